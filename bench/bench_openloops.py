"""Precision and recall of open-loop detection on a hand-labelled RU/EN conversation set.

    python bench/bench_openloops.py [--verbose]

Reads tests/core/text/data/openloops_labelled.json (written for this benchmark, separate from the
unit-test examples), runs netassist.core.engine.openloops.find_open_loops on every conversation,
reports the dev part (rules tuned on it), "tuned2" (a first holdout, later also tuned on), the
fresh holdout (written after the last tuning) and all together,
compares (kind, message id) pairs with the labels, prints precision/recall per kind and overall and
writes bench/results/openloops.json. Target: ≥ 0.8 each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netassist.core.engine.openloops import find_open_loops  # noqa: E402
from netassist.core.engine.text import Message  # noqa: E402

DATA = REPO / "tests" / "core" / "text" / "data" / "openloops_labelled.json"
RESULTS = REPO / "bench" / "results" / "openloops.json"
KINDS = ("question", "promise", "plan")


def load(path: Path = DATA) -> tuple[float, list[dict]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    base = dt.datetime.fromisoformat(raw["base"]).timestamp()
    return base, raw["conversations"]


def run(verbose: bool = False, out: Path = RESULTS) -> dict:
    base, convs = load()
    result = {"all": evaluate(base, convs, "all", verbose)}
    for split in ("dev", "tuned2", "holdout"):
        part = [c for c in convs if c.get("split", "dev") == split]
        result[split] = evaluate(base, part, split, verbose=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def evaluate(base: float, convs: list[dict], label: str, verbose: bool) -> dict:
    tp = dict.fromkeys(KINDS, 0)
    fp = dict.fromkeys(KINDS, 0)
    fn = dict.fromkeys(KINDS, 0)
    mistakes: list[str] = []
    n_messages = 0
    started = time.perf_counter()
    for conv in convs:
        msgs = [
            Message(
                id=i,
                contact_id=1,
                t=base + m["h"] * 3600,
                direction=m["d"],
                text=m["text"],
                channel=m.get("ch", "telegram"),
                has_attachment=bool(m.get("att", False)),
            )
            for i, m in enumerate(conv["messages"], start=1)
        ]
        n_messages += len(msgs)
        found = {
            (lp.kind, lp.message_id) for lp in find_open_loops(msgs, base + conv["now_h"] * 3600)
        }
        truth = {(k, mid) for k, ids in conv["open"].items() for mid in ids}
        for kind in KINDS:
            f = {x for x in found if x[0] == kind}
            g = {x for x in truth if x[0] == kind}
            tp[kind] += len(f & g)
            fp[kind] += len(f - g)
            fn[kind] += len(g - f)
        for k, mid in sorted(found - truth):
            mistakes.append(f"FP {conv['id']} #{mid} {k}: {conv['messages'][mid - 1]['text']}")
        for k, mid in sorted(truth - found):
            mistakes.append(f"FN {conv['id']} #{mid} {k}: {conv['messages'][mid - 1]['text']}")
    elapsed = time.perf_counter() - started

    def pr(t: int, p: int, n: int) -> dict:
        precision = t / (t + p) if t + p else 1.0
        recall = t / (t + n) if t + n else 1.0
        return {
            "tp": t,
            "fp": p,
            "fn": n,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
        }

    result = {
        "conversations": len(convs),
        "messages": n_messages,
        "seconds": round(elapsed, 3),
        "per_kind": {k: pr(tp[k], fp[k], fn[k]) for k in KINDS},
        "overall": pr(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "mistakes": mistakes,
    }
    print(f"[{label}] {len(convs)} conversations, {n_messages} labelled messages, {elapsed:.2f} s")
    for k in (*KINDS, "overall"):
        r = result["overall"] if k == "overall" else result["per_kind"][k]
        print(
            f"{k:9s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
            f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']})"
        )
    if verbose and mistakes:
        print("\n".join(mistakes))
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Open-loop detection precision/recall")
    ap.add_argument("--verbose", action="store_true", help="list every wrong or missed loop")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"default {RESULTS}")
    a = ap.parse_args()
    run(a.verbose, a.json)
