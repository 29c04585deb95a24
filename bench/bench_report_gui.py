"""Benchmark: the Reports page's path for a 10k-contact network review (issue 10: "a 10k-contact
network report renders in under 10 s"), and two dossiers in one PDF. Standalone:

    python bench/bench_report_gui.py [--contacts 10000] [--db PATH]

The data is gathered as the page's worker does (core.reports), then drawn as the page does:
report_pdf.RenderJob in steps into memory. Reported: wall and CPU time of each part, and the
longest drawing step in GUI-thread CPU time (what the event loop waits for at most). --db reuses
a database made before (building the 10k demo network takes one to two minutes).
Writes bench/results/report_gui.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, round(time.perf_counter() - w, 2), round(time.process_time() - c, 2)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--json", type=Path, default=Path("bench/results/report_gui.json"))
    a = ap.parse_args()

    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtWidgets import QApplication

    from netassist.core.db import open_database
    from netassist.core.demo import load_demo
    from netassist.core.reports import contact_dossier, network_report
    from netassist.core.scoring import rescore
    from netassist.ui.report_pdf import RenderJob

    app = QApplication.instance() or QApplication([])  # noqa: F841
    tmp = tempfile.TemporaryDirectory(prefix="bench-report-")
    path = a.db or Path(tmp.name) / "r.db"
    fresh = not path.exists()
    db = open_database(path)
    res: dict[str, object] = {}
    if fresh:
        _r, res["build_demo_s"], _c = _timed(lambda: load_demo(db, contacts=a.contacts, years=1.0))
        _r, res["rescore_s"], _c = _timed(lambda: rescore(db, None))

    def draw(reports: list[object]) -> dict[str, object]:
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        job = RenderJob(reports, buf)  # type: ignore[arg-type]
        steps: list[float] = []
        w = time.perf_counter()
        while True:
            t = time.thread_time()
            more = job.step()
            steps.append(time.thread_time() - t)
            if not more:
                break
        return {"wall_s": round(time.perf_counter() - w, 2), "cpu_s": round(sum(steps), 2),
                "steps": len(steps), "longest_step_ms": round(max(steps) * 1000),
                "pages": job.pages, "bytes": len(bytes(buf.data().data()))}  # fmt: skip

    rep, gw, gc = _timed(lambda: network_report(db, 90, lang="ru"))
    res["contacts"] = rep.summary["contacts"]
    res["interactions_in_period"] = rep.summary["interactions"]
    res["network_gather"] = {"wall_s": gw, "cpu_s": gc}
    res["network_draw"] = draw([rep])
    res["network_total_wall_s"] = round(gw + res["network_draw"]["wall_s"], 2)  # type: ignore[index]
    dossiers, dw, dc = _timed(lambda: [contact_dossier(db, c, lang="en") for c in (1, 2)])
    res["two_dossiers_gather"] = {"wall_s": dw, "cpu_s": dc}
    res["two_dossiers_draw"] = draw(dossiers)
    res["load_average"] = os.getloadavg()[0]
    db.dispose()
    tmp.cleanup()

    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(res, indent=2))
    for k, v in res.items():
        print(f"{k:26} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
