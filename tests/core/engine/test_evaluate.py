"""evaluate: metric code on hand-computable logs, and the published baselines on real data."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np
import pytest

from netassist.core.engine.evaluate import evaluate_file, main, rank_metrics

DAY = 86400
BASE = 1_100_000_000
DATASETS = Path(__file__).resolve().parents[3] / ".." / "shared" / "datasets"


def test_rank_metrics_by_hand() -> None:
    # order by score: a (rel, gain 3), b (not), c (rel, gain 1), d (not)
    scores = np.array([4.0, 3.0, 2.0, 1.0])
    keys = np.array(["a", "b", "c", "d"])
    gain = np.array([3.0, 0.0, 1.0, 0.0])
    ap, recall, ndcg = rank_metrics(scores, keys, gain)
    assert ap == pytest.approx((1 + 2 / 3) / 2)
    assert recall == 1.0
    assert ndcg == pytest.approx((3 + 1 / 2) / (3 + 1 / math.log2(3)))
    # no relevant candidate: all zero
    assert rank_metrics(scores, keys, np.zeros(4)) == (0.0, 0.0, 0.0)
    # ties broken by id as a string: "10" < "9"
    ap, _, _ = rank_metrics(np.array([1.0, 1.0]), np.array(["9", "10"]), np.array([1.0, 0.0]))
    assert ap == 0.5
    # AP normalised by min(|relevant|, 10): 12 relevant, all in the top 10 -> 1
    ap, recall, _ = rank_metrics(np.arange(12.0), np.arange(12).astype(str), np.ones(12))
    assert ap == 1.0 and recall == pytest.approx(10 / 12)


def _write_synthetic(path: Path) -> None:
    # Ego 0 writes to 1 daily for days 0-79, then 2 writes to ego 0 daily for days 80-119.
    # 120 events: cut-offs at indices 60, 78, 96 -> days 60, 78, 96.
    lines = ["# a comment", "% another"]
    lines += [f"0 1 {BASE + d * DAY}" for d in range(80)]
    lines += [f"2,0,{BASE + d * DAY},extra" for d in range(80, 120)]
    with gzip.open(path, "wt") as fh:
        fh.write("\n".join(lines) + "\n")


def test_synthetic_log_metrics(tmp_path: Path) -> None:
    p = tmp_path / "log.txt.gz"
    _write_synthetic(p)
    res = evaluate_file(p)
    assert res["egos"] == 1 and res["cases"] == 3
    rank = res["rank"]
    # T=60 and T=78: only contact 1 is a candidate and it is relevant: every metric is 1.
    # T=96: candidates 1 (80 events, out) and 2 (17 events, in); only 2 talks afterwards.
    assert rank["recency"]["map@10"] == 1.0  # 2 is more recent
    assert rank["frequency"]["map@10"] == pytest.approx((1 + 1 + 0.5) / 3, abs=1e-4)
    assert rank["halflife"]["map@10"] == pytest.approx((1 + 1 + 0.5) / 3, abs=1e-4)
    assert rank["frequency"]["ndcg@10"] == pytest.approx((2 + 1 / math.log2(3)) / 3, abs=1e-4)
    assert rank["frequency"]["recall@10"] == 1.0
    # next contact: daily streams, next event one day after T. fixed30 is 29 days off,
    # the mean gap (1 day) is exact.
    nc = res["next_contact_median_abs_days"]
    assert nc["fixed30"] == pytest.approx(29)
    assert nc["mean_gap"] == pytest.approx(0)
    assert nc["netassist"] < nc["fixed30"]
    # the same metrics per cut-off: one case each; only the last one (T=96) separates the rankers
    by = res["by_cutoff"]
    assert list(by) == ["0.5", "0.65", "0.8"]
    assert [part["cases"] for part in by.values()] == [1, 1, 1]
    assert by["0.5"]["rank"]["frequency"]["map@10"] == 1.0
    assert by["0.8"]["rank"]["frequency"]["map@10"] == 0.5
    assert by["0.8"]["rank"]["recency"]["map@10"] == 1.0
    assert by["0.8"]["rank"]["frequency"]["ndcg@10"] == pytest.approx(1 / math.log2(3), abs=1e-4)
    assert by["0.8"]["next_contact_median_abs_days"]["fixed30"] == pytest.approx(29)


def test_main_json_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "log.txt.gz"
    _write_synthetic(p)
    assert main([str(p), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["rank"]) == {"netassist", "recency", "frequency", "halflife"}
    assert main([str(p)]) == 0
    table = capsys.readouterr().out
    assert "MAP@10" in table and "q=0.8 (1 cases)" in table
    assert main([str(tmp_path / "missing.txt")]) == 2


# (file, baselines MAP@10 recency/frequency/half-life, fixed30, mean_gap,
#  netassist MAP@10, NDCG@10, next-contact median error as measured when committed)
REAL = [
    ("CollegeMsg.txt", (0.361, 0.265, 0.276), 22.8, 5.0, 0.3949, 0.4751, 3.701),
    ("email-Eu-core-temporal.txt.gz", (0.605, 0.667, 0.677), 25.2, 21.1, 0.7116, 0.7895, 13.942),
]


@pytest.mark.parametrize("name,maps,fixed30,mean_gap,na_map,na_ndcg,na_err", REAL)
def test_real_datasets(name, maps, fixed30, mean_gap, na_map, na_ndcg, na_err) -> None:
    path = DATASETS / name
    if not path.is_file():
        pytest.skip(f"dataset not available: {path} (../shared/datasets is absent)")
    res = evaluate_file(path)
    rank, nc = res["rank"], res["next_contact_median_abs_days"]
    for ranker, want in zip(("recency", "frequency", "halflife"), maps, strict=True):
        assert rank[ranker]["map@10"] == pytest.approx(want, abs=0.005), ranker
    assert nc["fixed30"] == pytest.approx(fixed30, abs=0.1)
    assert nc["mean_gap"] == pytest.approx(mean_gap, abs=0.1)
    # regression guard: netassist as good as when committed
    assert rank["netassist"]["map@10"] >= na_map - 0.002
    assert rank["netassist"]["ndcg@10"] >= na_ndcg - 0.002
    assert nc["netassist"] <= na_err + 0.05
    # the per-cut-off breakdown partitions the cases: its case-weighted means are the totals
    by = res["by_cutoff"]
    assert sum(p["cases"] for p in by.values()) == res["cases"]
    for ranker in ("netassist", "halflife"):
        for m in ("map@10", "ndcg@10"):
            mean = sum(p["cases"] * p["rank"][ranker][m] for p in by.values()) / res["cases"]
            assert mean == pytest.approx(rank[ranker][m], abs=2e-4)


def _synthetic_lines(ids: tuple[str, str, str] = ("0", "1", "2"), scale: int = 1) -> list[str]:
    e, a, b = ids
    lines = [f"{e} {a} {(BASE + d * DAY) * scale}" for d in range(80)]
    return lines + [f"{b},{e},{(BASE + d * DAY) * scale}" for d in range(80, 120)]


def test_ids_that_are_not_numbers(tmp_path: Path) -> None:
    """E-mail addresses or user names as ids (quoted CSV with a header): the same metrics as
    with numbers; the header is reported as a skipped line, by number."""
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(_synthetic_lines()) + "\n")
    named = tmp_path / "named.csv"
    rows = _synthetic_lines(("ann@example.org", "bob@example.org", "cat@example.org"))
    quoted = ['"{}","{}","{}"'.format(*r.replace(",", " ").split()) for r in rows]
    named.write_text("source,target,timestamp\n" + "\n".join(quoted) + "\n")
    want, got = evaluate_file(plain), evaluate_file(named)
    assert got["cases"] == want["cases"] == 3
    assert got["rank"] == want["rank"]
    assert got["next_contact_median_abs_days"] == want["next_contact_median_abs_days"]
    assert (got["skipped"], got["skipped_examples"][0]["line"]) == (1, 1)
    assert want["skipped"] == 0


def test_ties_broken_by_the_name_when_ids_are_names(tmp_path: Path) -> None:
    # Ego "e" talks to "a" daily, once to each of c1..c8, twice to each of d1 and d2 (tied);
    # after the last cut-off only a and d2 talk to e. Names are coded in sorted order (a=0,
    # c1..c8=1..8, d1=9, d2=10, e=11): by code as a string "10" < "9" would put d2 first; by
    # name d1 comes first, so frequency ranks a, d1, d2: AP = (1 + 2/3) / 2 for e, and 1 for
    # a (another ego, whose only candidate is e).
    lines = [f"e a {BASE + d * DAY}" for d in range(119)]
    lines += [f"e c{i} {BASE + 10 * DAY}" for i in range(1, 9)]
    lines += [f"{x} e {BASE + d * DAY}" for d in (50, 51) for x in ("d1", "d2")]
    lines += [f"d2 e {BASE + d * DAY}" for d in range(119, 124)]
    p = tmp_path / "names.txt"
    p.write_text("\n".join(lines) + "\n")
    res = evaluate_file(p)
    last = res["by_cutoff"]["0.8"]
    assert last["cases"] == 2
    assert last["rank"]["frequency"]["map@10"] == pytest.approx(((1 + 2 / 3) / 2 + 1) / 2, abs=1e-4)


def test_times_in_milliseconds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s, ms = tmp_path / "s.txt", tmp_path / "ms.txt"
    s.write_text("\n".join(_synthetic_lines()) + "\n")
    ms.write_text("\n".join(_synthetic_lines(scale=1000)) + "\n")
    a, b = evaluate_file(s), evaluate_file(ms)
    assert b["time_scale"] == 1000.0 and a["time_scale"] == 1.0
    assert b["rank"] == a["rank"] and b["cases"] == 3
    assert main([str(ms)]) == 0
    assert "times read as milliseconds" in capsys.readouterr().err


def test_bad_lines_reported_and_nothing_to_measure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "few.txt"
    p.write_text("1 2 1100000000\n1 2\n3 4 yesterday\n\n# note\n")
    assert main([str(p), "--json"]) == 0
    cap = capsys.readouterr()
    out = json.loads(cap.out)
    assert (out["lines"], out["skipped"], out["cases"]) == (3, 2, 0)
    assert out["rank"]["netassist"]["map@10"] is None
    assert "skipped 2 of 3 lines" in cap.err and "line 2: fewer than three fields" in cap.err
    assert "line 3: the third field is not a time" in cap.err
    assert main([str(p)]) == 0
    assert "nothing to measure" in capsys.readouterr().out
    bad_gz = tmp_path / "bad.txt.gz"
    bad_gz.write_bytes(b"not gzip at all")
    assert main([str(bad_gz)]) == 2
    assert "cannot read" in capsys.readouterr().err
