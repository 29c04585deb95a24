"""Offline evaluation of the engine on a public timestamped communication log.

Usage: ``python -m netassist.core.engine.evaluate FILE [--horizon-days 30] [--json]``
(also ``netassist evaluate``). FILE holds ``SRC DST UNIX_SECONDS`` lines (whitespace or comma
separated, extra columns ignored, ``%``/``#`` comment lines skipped, ``.gz`` read transparently).
Ids may be numbers or any other tokens (e-mail addresses, user names; quoted CSV cells too);
times in milliseconds or microseconds are recognised and scaled; a line that is not
``SRC DST TIME`` (a header, say) is skipped and reported with its number. The (ego, T) cases are
generated and measured one at a time, so a log of tens of millions of events fits in memory.

Protocol (the reading that reproduces the published baseline numbers, see the tests):
- every line is one event, kept as is: duplicates (same pair, same second) count as separate
  events, self-loops are kept (the person is then their own candidate);
- each event is an interaction seen from both ends: out for SRC, in for DST;
- egos: people with >= 100 events (as SRC or DST) spanning >= 90 days over the whole file;
- cut-offs T: after sorting all event times, T = time of the event at index floor(q * N) for
  q in 0.5, 0.65, 0.8; "at or before T" is inclusive (events at exactly T have happened);
- an (ego, T) case counts when the ego has >= 30 events <= T and >= 1 event in (T, T + horizon];
- candidates: everyone the ego interacted with <= T; relevant: candidates with an event in
  (T, T + horizon]; gain for NDCG: their number of events in that window;
- rankers: netassist strength as of T (the app's own features + strength code), recency (last
  event), frequency (count), half-life (sum of 0.5 ** (age / 30 d), outgoing x 2); ties broken
  by contact id as a string, ascending;
- MAP@10: AP@10 normalised by min(|relevant|, 10) (0 when no candidate is relevant);
  Recall@10; NDCG@10 with linear gains and the ideal order of all candidates; averaged over cases;
- next contact: for every (ego, T, contact) with >= 3 events <= T and an event after T anywhere
  in the file, |predicted - first event after T| in days with prediction max(T, last + cadence):
  netassist's predicted gap (``cadence.expected_gap_days``: the usual gap and the silence so far),
  a fixed 30 days, and the mean gap between the events <= T; the median over all such pairs is
  reported. For context the output also gives the error of due dates (last + the usual cadence
  that reminders use), which answer a different question ("when should I reach out").
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from netassist.core.engine.cadence import estimate_cadence
from netassist.core.engine.events import EventLog
from netassist.core.engine.features import ContactFeatures, compute_features
from netassist.core.engine.strength import score_columns

DAY = 86400.0
QUANTILES = (0.5, 0.65, 0.8)
MIN_EGO_EVENTS = 100
MIN_EGO_SPAN_DAYS = 90.0
MIN_EVENTS_BEFORE = 30
MIN_PAIR_EVENTS = 3
K = 10
RANKERS = ("netassist", "recency", "frequency", "halflife")
PREDICTORS = ("netassist", "fixed30", "mean_gap", "netassist_due")

_SPLIT = re.compile(rb"[\s,;]+")
_QUOTES = b"\"'"


@dataclass
class LogFile:
    """A log read by :func:`read_log_file`: ids as int64 (the file's own numbers, or codes in
    the tokens' sorted order when the file names people otherwise, ``names`` then holds each
    code's token), times in seconds, and what was skipped."""

    src: np.ndarray
    dst: np.ndarray
    t: np.ndarray
    names: np.ndarray | None = None  # the token of each code when ids are not all integers
    lines: int = 0  # data lines (not blank, not a comment)
    skipped: int = 0
    first_skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)
    time_scale: float = 1.0  # the file's times were divided by this (ms: 1000)


def _as_ints(tokens: list[bytes]) -> np.ndarray | None:
    try:
        return np.array(tokens, dtype=bytes).astype(np.int64)
    except (ValueError, OverflowError):
        return None


def read_log_file(path: str | Path) -> LogFile:
    """Read a SRC DST TIME file block by block into compact arrays.

    Ids may be integers (kept as they are) or other tokens (e-mail addresses, user names).
    Times in milliseconds or microseconds (seconds past the year 5000) are scaled to seconds.
    A line that is not ``SRC DST TIME`` is skipped and counted with its number."""
    p = Path(path)
    opener = gzip.open if p.suffix == ".gz" else open
    ids_a: list[np.ndarray] = []
    ids_b: list[np.ndarray] = []
    times: list[np.ndarray] = []
    lines = skipped = no = 0
    first_bad: list[tuple[int, str]] = []
    split = _SPLIT.split
    with opener(p, "rb") as fh:
        while block := fh.readlines(1 << 24):
            ta: list[bytes] = []
            tb: list[bytes] = []
            tt: list[float] = []
            for line in block:
                no += 1
                s = line.strip()
                if not s or s[:1] in (b"%", b"#"):
                    continue
                lines += 1
                parts = split(s, 3)
                if b'"' in s or b"'" in s:
                    parts = [x.strip(_QUOTES) for x in parts]
                why = ""
                if len(parts) < 3:
                    why = "fewer than three fields (SRC DST TIME)"
                else:
                    try:
                        tv = float(parts[2])
                    except ValueError:
                        tv = math.nan
                    if not math.isfinite(tv):
                        why = "the third field is not a time in seconds"
                    elif not parts[0] or not parts[1]:
                        why = "an empty id"
                if why:
                    skipped += 1
                    if len(first_bad) < 3:
                        first_bad.append((no, why))
                    continue
                ta.append(parts[0])
                tb.append(parts[1])
                tt.append(tv)
            for raw, out in ((ta, ids_a), (tb, ids_b)):
                as_int = _as_ints(raw)
                out.append(as_int if as_int is not None else np.array(raw, dtype=bytes))
            times.append(np.array(tt, dtype=np.float64))
    t = np.concatenate(times) if times else np.zeros(0)
    names = None
    if all(a.dtype.kind == "i" for a in ids_a + ids_b):
        src = np.concatenate(ids_a) if ids_a else np.zeros(0, dtype=np.int64)
        dst = np.concatenate(ids_b) if ids_b else np.zeros(0, dtype=np.int64)
    else:
        # Not all numbers: every id becomes its token, coded in sorted order (UTF-8 byte order
        # is code point order), and the tie-break compares the tokens.
        tok = np.concatenate([a.astype(bytes) for a in ids_a + ids_b])
        uniq, inv = np.unique(tok, return_inverse=True)
        n = len(t)
        src, dst = inv[:n].astype(np.int64), inv[n:].astype(np.int64)
        names = np.array([u.decode("utf-8", "replace") for u in uniq.tolist()], dtype=str)
    scale = 1.0
    mid = float(np.median(t)) if len(t) else 0.0
    if mid > 1e11:  # 1e11 s is the year 5138: these are ms or us
        scale = 1000.0 if mid < 1e14 else 1e6
        t /= scale
    return LogFile(src, dst, t, names, lines, skipped, first_bad, scale)


@dataclass
class Case:
    """One (ego, T): the ego's log up to T and what happened afterwards."""

    ego: int
    T: float
    before: EventLog  # ego's events <= T, contact = the other person
    gain: np.ndarray  # per features.contact row: events in (T, T + horizon]
    next_t: np.ndarray  # per row: first event after T (NaN when none)
    halflife: np.ndarray  # per row: the half-life baseline score
    features: ContactFeatures = field(repr=False)
    q: float = float("nan")  # the cut-off's quantile (QUANTILES), for the per-cut-off breakdown


def iter_cases(
    src: np.ndarray, dst: np.ndarray, t: np.ndarray, horizon_days: float = 30.0
) -> Iterator[Case]:
    """The (ego, T) cases one at a time (a big log's cases never all sit in memory)."""
    n = len(t)
    if n == 0:
        return
    ts = np.sort(t, kind="stable")
    cutoffs = [(q, float(ts[int(np.floor(q * n))])) for q in QUANTILES]
    ego = np.concatenate([src, dst])
    other = np.concatenate([dst, src])
    tt = np.concatenate([t, t])
    direction = np.concatenate([np.ones(n, np.int8), -np.ones(n, np.int8)])
    order = np.lexsort((tt, other, ego))
    ego, other, tt, direction = ego[order], other[order], tt[order], direction[order]
    brk = np.flatnonzero(np.diff(ego)) + 1
    starts = np.concatenate(([0], brk))
    ends = np.concatenate((brk, [len(ego)]))
    h = horizon_days * DAY
    for s, e in zip(starts, ends, strict=True):
        if e - s < MIN_EGO_EVENTS:
            continue
        et = tt[s:e]
        if et.max() - et.min() < MIN_EGO_SPAN_DAYS * DAY:
            continue
        log = EventLog.from_arrays(other[s:e], et, direction[s:e], assume_sorted=True)
        for q, T in cutoffs:
            before_mask = log.t <= T
            if before_mask.sum() < MIN_EVENTS_BEFORE:
                continue
            window = (log.t > T) & (log.t <= T + h)
            if not window.any():
                continue
            before = log.select(before_mask)
            feats = compute_features(before, T)
            cand = feats.contact
            pos = np.searchsorted(cand, log.contact)
            pos_c = np.minimum(pos, len(cand) - 1)
            known = cand[pos_c] == log.contact
            gain = np.bincount(pos_c[window & known], minlength=len(cand)).astype(np.float64)
            after = (log.t > T) & known
            next_t = np.full(len(cand), np.nan)
            ai = np.flatnonzero(after)
            if len(ai):
                g = pos_c[ai]
                first = np.ones(len(ai), dtype=bool)
                first[1:] = g[1:] != g[:-1]  # sorted by (contact, t): first row per contact
                next_t[g[first]] = log.t[ai[first]]
            bpos = np.searchsorted(cand, before.contact)
            hl = np.bincount(
                bpos,
                weights=np.exp2(-(T - before.t) / (30 * DAY))
                * np.where(before.direction > 0, 2, 1),
                minlength=len(cand),
            )
            yield Case(int(ego[s]), T, before, gain, next_t, hl, feats, q)


def rank_metrics(scores: np.ndarray, keys: np.ndarray, gain: np.ndarray) -> tuple[float, ...]:
    """(AP@10, Recall@10, NDCG@10) of ranking by ``scores`` desc, ties by string ``keys`` asc."""
    order = np.lexsort((keys, -scores))[:K]
    nrel = int((gain > 0).sum())
    if nrel == 0:
        return 0.0, 0.0, 0.0
    rel = gain[order] > 0
    hits = np.cumsum(rel)
    ranks = np.arange(1, len(order) + 1)
    ap = float((hits / ranks * rel).sum() / min(nrel, K))
    recall = float(rel.sum() / nrel)
    disc = 1.0 / np.log2(ranks + 1)
    dcg = float((gain[order] * disc).sum())
    ideal = np.sort(gain)[::-1][: len(order)]
    idcg = float((ideal * disc[: len(ideal)]).sum())
    return ap, recall, dcg / idcg


ScoreFn = Callable[[Case], np.ndarray]
CadenceFn = Callable[[Case], np.ndarray]


def netassist_scores(case: Case) -> np.ndarray:
    return score_columns(case.features, case.T).strength


def netassist_cadence(case: Case) -> np.ndarray:
    """Predicted gap from the last interaction to the next (cadence.expected_gap_days), with
    the tier priors the app uses."""
    sc = score_columns(case.features, case.T)
    return estimate_cadence(case.features, sc.tier).expected_gap_days


def netassist_usual_cadence(case: Case) -> np.ndarray:
    """The usual gap used for due dates, reported for comparison only."""
    sc = score_columns(case.features, case.T)
    return estimate_cadence(case.features, sc.tier).days


def _rank_summary(m: np.ndarray) -> dict[str, dict[str, float | None]]:
    """(cases, rankers, 3) metrics -> mean per ranker, rounded (None without cases)."""
    mean = m.mean(axis=0) if len(m) else None
    return {
        r: {
            k: (None if mean is None else round(float(mean[i, j]), 4))
            for j, k in enumerate(("map@10", "recall@10", "ndcg@10"))
        }
        for i, r in enumerate(RANKERS)
    }


def _medians(errs: dict[str, list[np.ndarray]]) -> dict[str, float | None]:
    return {
        p: (round(float(np.median(np.concatenate(e))), 3) if e else None) for p, e in errs.items()
    }


def evaluate_cases(
    cases: Iterable[Case],
    score_fn: ScoreFn = netassist_scores,
    cadence_fn: CadenceFn = netassist_cadence,
    names: np.ndarray | None = None,
) -> dict[str, object]:
    """Metrics over all cases, and the same per cut-off (``by_cutoff``, keyed by quantile): a
    setting chosen on the earlier cut-offs can be checked on the last one, which it never saw.
    Ties are broken by the contact id as a string, or by ``names[id]`` when given (a log whose
    ids are not numbers)."""
    rows: list[np.ndarray] = []
    qs_list: list[float] = []
    egos: set[int] = set()
    errs: dict[str, list[np.ndarray]] = {p: [] for p in PREDICTORS}
    errs_q: dict[float, dict[str, list[np.ndarray]]] = {}
    for case in cases:
        f = case.features
        keys = f.contact.astype(str) if names is None else names[f.contact]
        egos.add(case.ego)
        qs_list.append(case.q)
        row = np.zeros((len(RANKERS), 3))
        rows.append(row)
        ranked = {
            "netassist": score_fn(case),
            "recency": f.last_t,
            "frequency": f.count.astype(np.float64),
            "halflife": case.halflife,
        }
        for ri, r in enumerate(RANKERS):
            row[ri] = rank_metrics(np.asarray(ranked[r], dtype=np.float64), keys, case.gain)
        eq = errs_q.setdefault(case.q, {p: [] for p in PREDICTORS})
        sel = (f.count >= MIN_PAIR_EVENTS) & ~np.isnan(case.next_t)
        if sel.any():
            last, nxt = f.last_t[sel], case.next_t[sel]
            mean_gap = (f.last_t - f.first_t)[sel] / (f.count[sel] - 1)
            preds = {
                "netassist": last + np.asarray(cadence_fn(case))[sel] * DAY,
                "netassist_due": last + netassist_usual_cadence(case)[sel] * DAY,
                "fixed30": last + 30 * DAY,
                "mean_gap": last + mean_gap,
            }
            for p in PREDICTORS:
                e = np.abs(np.maximum(case.T, preds[p]) - nxt) / DAY
                errs[p].append(e)
                eq[p].append(e)
    metrics = np.array(rows).reshape(len(rows), len(RANKERS), 3)
    nxt_err = _medians(errs)
    due_err = nxt_err.pop("netassist_due")
    qs = np.array(qs_list)
    by_cutoff: dict[str, object] = {}
    for q in sorted(errs_q):
        sel_q = qs == q
        med = _medians(errs_q[q])
        med.pop("netassist_due")
        by_cutoff[f"{q:g}"] = {
            "cases": int(sel_q.sum()),
            "rank": _rank_summary(metrics[sel_q]),
            "next_contact_median_abs_days": med,
        }
    return {
        "egos": len(egos),
        "cases": len(rows),
        "rank": _rank_summary(metrics),
        "next_contact_median_abs_days": nxt_err,
        "next_contact_pairs": int(sum(len(e) for e in errs["fixed30"])),
        # the usual-gap cadence behind due dates, as a predictor of the next contact (for context)
        "due_date_median_abs_days": due_err,
        "by_cutoff": by_cutoff,
    }


def evaluate_file(path: str | Path, horizon_days: float = 30.0) -> dict[str, object]:
    """``evaluate_cases`` on a log file, with what reading it skipped (``lines``, ``skipped``,
    ``skipped_examples``) and ``time_scale`` when its times were not in seconds."""
    lf = read_log_file(path)
    res = evaluate_cases(iter_cases(lf.src, lf.dst, lf.t, horizon_days), names=lf.names)
    res["lines"] = lf.lines
    res["skipped"] = lf.skipped
    res["skipped_examples"] = [{"line": no, "why": why} for no, why in lf.first_skipped]
    res["time_scale"] = lf.time_scale
    return res


def format_table(res: dict[str, object]) -> str:
    rank = res["rank"]
    nxt = res["next_contact_median_abs_days"]
    assert isinstance(rank, dict) and isinstance(nxt, dict)
    lines = [
        f"egos: {res['egos']}   cases (ego, T): {res['cases']}",
        "",
        f"{'ranker':<12}{'MAP@10':>9}{'Recall@10':>11}{'NDCG@10':>9}",
    ]
    if not res["cases"]:
        lines = [
            f"egos: 0: nobody has >= {MIN_EGO_EVENTS} events over >= {MIN_EGO_SPAN_DAYS:g} days "
            f"with >= {MIN_EVENTS_BEFORE} before a cut-off and one in the horizon after it; "
            "nothing to measure"
        ]
        return "\n".join(lines)
    for r, m in rank.items():
        lines.append(f"{r:<12}{m['map@10']:>9.3f}{m['recall@10']:>11.3f}{m['ndcg@10']:>9.3f}")
    lines += ["", f"next contact, median |error| in days ({res['next_contact_pairs']} pairs):"]
    for p, v in nxt.items():
        lines.append(f"  {p:<10}{'n/a' if v is None else f'{v:.2f}':>8}")
    due = res.get("due_date_median_abs_days")
    if due is not None:
        lines.append(f"  (due date = last + usual cadence: {due:.2f})")
    by_cutoff = res.get("by_cutoff")
    if isinstance(by_cutoff, dict) and by_cutoff:
        lines += ["", "by cut-off (MAP@10 / NDCG@10; next contact: netassist / best baseline):"]
        for q, part in by_cutoff.items():
            pr, pn = part["rank"], part["next_contact_median_abs_days"]
            cells = "  ".join(f"{r} {pr[r]['map@10']:.3f}/{pr[r]['ndcg@10']:.3f}" for r in RANKERS)
            base = [v for k, v in pn.items() if k != "netassist" and v is not None]
            nxt_txt = (
                f"{pn['netassist']:.2f}/{min(base):.2f}"
                if pn.get("netassist") is not None and base
                else "n/a"
            )
            lines.append(f"  q={q} ({part['cases']} cases): {cells}  next {nxt_txt}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="netassist evaluate",
        description="Rank contacts and predict next contact on a SRC DST TIME log; "
        "compare netassist with recency, frequency and half-life baselines.",
    )
    ap.add_argument("file", help="SRC DST UNIX_SECONDS lines (.gz ok)")
    ap.add_argument("--horizon-days", type=float, default=30.0)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    a = ap.parse_args(argv)
    if not Path(a.file).is_file():
        print(f"evaluate: no such file: {a.file}", file=sys.stderr)
        return 2
    try:
        res = evaluate_file(a.file, a.horizon_days)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        print(f"evaluate: {a.file}: cannot read: {exc}", file=sys.stderr)
        return 2
    if res["skipped"]:
        ex = "; ".join(f"line {e['line']}: {e['why']}" for e in res["skipped_examples"])
        print(
            f"evaluate: {a.file}: skipped {res['skipped']} of {res['lines']} lines that are not "
            f"SRC DST UNIX_SECONDS ({ex})",
            file=sys.stderr,
        )
    if res["time_scale"] != 1.0:
        unit = "milliseconds" if res["time_scale"] == 1000.0 else "microseconds"
        print(f"evaluate: {a.file}: times read as {unit}", file=sys.stderr)
    print(json.dumps(res, indent=2) if a.json else format_table(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
