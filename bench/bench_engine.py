"""Benchmark: rescoring 10k contacts over 1M interactions (features + strength + cadence +
follow-ups), plus explanations, best time and segments. Standalone:

    python bench/bench_engine.py [--contacts 10000] [--events 1000000]

Prints a table and writes bench/results/engine.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netassist.core.engine.besttime import best_times  # noqa: E402
from netassist.core.engine.cadence import estimate_cadence  # noqa: E402
from netassist.core.engine.events import N_CHANNELS, EventLog  # noqa: E402
from netassist.core.engine.features import compute_features  # noqa: E402
from netassist.core.engine.followups import ExtraSignals, Reminder, rank_followups  # noqa: E402
from netassist.core.engine.segments import segment_contacts  # noqa: E402
from netassist.core.engine.strength import score, score_columns  # noqa: E402

NOW = 1_790_000_000.0
DAY = 86400.0


def synthetic_log(n_contacts: int, n_events: int, seed: int = 0) -> tuple[dict, float]:
    """Heavy-tailed: a few contacts get most events (Zipf-like), bursts within conversations."""
    rng = np.random.default_rng(seed)
    share = 1.0 / np.arange(1, n_contacts + 1) ** 0.9
    share /= share.sum()
    contact = rng.choice(n_contacts, size=n_events, p=share).astype(np.int64) + 1000
    # each contact has its own active period within two years
    start = rng.uniform(0, 700, n_contacts + 1000) * DAY
    span = rng.uniform(30, 730, n_contacts + 1000) * DAY
    t = NOW - 730 * DAY + start[contact] + rng.uniform(0, 1, n_events) * span[contact]
    t = np.minimum(t, NOW)
    return {
        "contact": contact,
        "t": t,
        "direction": rng.choice(np.array([1, -1, 0], dtype=np.int8), n_events, p=[0.45, 0.5, 0.05]),
        "weight": rng.choice(
            np.array([1.0, 0.4, 0.5], dtype=np.float32), n_events, p=[0.8, 0.15, 0.05]
        ),
        "channel": rng.integers(0, N_CHANNELS, n_events).astype(np.int8),
        "length": rng.integers(0, 400, n_events).astype(np.int32),
    }, NOW


def timed(fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument(
        "--out",
        "--json",
        dest="out",
        default=str(Path(__file__).resolve().parent / "results" / "engine.json"),
    )
    a = ap.parse_args(argv)
    cols, now = synthetic_log(a.contacts, a.events)
    rows: list[tuple[str, float]] = []

    t_build, log = timed(lambda: EventLog.from_arrays(**cols), 1)
    rows.append(("EventLog.from_arrays (sort + conversations)", t_build))
    ids = np.arange(1000, 1000 + a.contacts, dtype=np.int64)
    rng = np.random.default_rng(1)
    birthdays = {int(c): f"--{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}" for c in ids[::7]}
    reminders = [Reminder(int(c), now - DAY, "call back") for c in ids[::50]]

    def pipeline():
        f = compute_features(log, now, contact_ids=ids)
        sc = score_columns(f, now)
        cad = estimate_cadence(f, sc.tier)
        q = np.zeros(len(f), dtype=bool)
        q[::3] = True
        fus = rank_followups(sc, cad, ExtraSignals(f, q, birthdays, {}, reminders), now, [])
        return f, sc, cad, fus

    t_feat, f = timed(lambda: compute_features(log, now, contact_ids=ids))
    rows.append(("compute_features", t_feat))
    t_score, sc = timed(lambda: score_columns(f, now))
    rows.append(("score_columns", t_score))
    t_cad, cad = timed(lambda: estimate_cadence(f, sc.tier))
    rows.append(("estimate_cadence", t_cad))
    t_pipe, (f, sc, cad, fus) = timed(pipeline)
    rows.append(("RESCORE: features + strength + cadence + follow-ups", t_pipe))
    t_expl, _ = timed(lambda: score(f, now, columns=sc), 1)
    rows.append(("score(): per-contact breakdown texts", t_expl))
    t_bt, _ = timed(lambda: best_times(log, "Europe/Moscow"), 1)
    rows.append(("best_times (Europe/Moscow)", t_bt))
    t_seg, seg = timed(lambda: segment_contacts(f, log, "Europe/Moscow"), 1)
    rows.append(("segment_contacts (KMeans)", t_seg))

    print(f"engine bench: {a.contacts} contacts, {len(log)} interactions, {len(fus)} follow-ups")
    print(f"{'step':<55}{'seconds':>10}")
    for name, s in rows:
        print(f"{name:<55}{s:>10.3f}")
    ok = t_pipe < 2.0
    print(f"target: rescoring under 2 s -> {'OK' if ok else 'MISSED'}")
    res = {
        "contacts": a.contacts,
        "events": len(log),
        "followups": len(fus),
        "segments": [s.name for s in seg.segments],
        "seconds": dict(rows),
        "rescore_seconds": t_pipe,
        "target_seconds": 2.0,
        "ok": ok,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
