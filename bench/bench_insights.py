"""Benchmark: the Insights page's engine part on 10k contacts over 1M interactions — the
network heat map (best-time evidence for everyone), the contacts behind a cell, fading ties.
Standalone:

    python bench/bench_insights.py [--contacts 10000] [--events 1000000]

Prints a table and writes bench/results/insights.json. Segments and features are timed by
bench_engine.py; the first Insights load costs roughly those plus the numbers here, later loads
hit the cache in netassist.core.insights.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import synthetic_log, timed  # noqa: E402

from netassist.core.engine.events import EventLog  # noqa: E402
from netassist.core.engine.features import compute_features  # noqa: E402
from netassist.core.engine.strength import score_columns  # noqa: E402
from netassist.core.insights import fading_ties, heat_map  # noqa: E402

TARGET_S = 5.0  # the heat map on a first load, on top of rescoring


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument(
        "--out", default=str(Path(__file__).resolve().parent / "results" / "insights.json")
    )
    a = ap.parse_args(argv)
    cols, now = synthetic_log(a.contacts, a.events)
    log = EventLog.from_arrays(**cols)
    ids = np.arange(1000, 1000 + a.contacts, dtype=np.int64)
    f = compute_features(log, now, contact_ids=ids)
    sc = score_columns(f, now)
    c = SimpleNamespace(features=f, scores=sc, now=int(now))
    rows: list[tuple[str, float]] = []
    t_hm, hm = timed(lambda: heat_map(log, "Europe/Moscow"), 1)
    rows.append(("heat_map (Europe/Moscow)", t_hm))
    wd, hr = hm.peaks(1)[0]
    t_cell, behind = timed(lambda: hm.cell_contacts(wd, hr))
    rows.append(("cell_contacts (busiest cell)", t_cell))
    t_fade, fading = timed(lambda: fading_ties(c, {}))  # type: ignore[arg-type]
    rows.append(("fading_ties", t_fade))
    print(f"insights bench: {a.contacts} contacts, {len(log)} interactions, "
          f"{len(behind)} behind the busiest cell, {len(fading)} fading ties")  # fmt: skip
    print(f"{'step':<55}{'seconds':>10}")
    for name, s in rows:
        print(f"{name:<55}{s:>10.3f}")
    ok = t_hm < TARGET_S
    print(f"target: heat map under {TARGET_S:g} s -> {'OK' if ok else 'MISSED'}")
    res = {
        "contacts": a.contacts, "events": len(log), "seconds": dict(rows),
        "heat_map_bytes": int(hm.grids.nbytes), "target_seconds": TARGET_S, "ok": ok,
        "python": platform.python_version(), "machine": platform.machine(),
    }  # fmt: skip
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
