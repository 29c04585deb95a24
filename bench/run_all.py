"""`make bench`: run the benchmarks, each in its own process, then print one combined table.

    python bench/run_all.py [NAME ...]      # default: import engine app openloops
    python bench/run_all.py --table         # rebuild the table from bench/results/*.json

Never part of pass/fail. Each script takes ``--json PATH`` and writes its results there; peers
(whatstk, chat-miner, vobject) run from the separate bench venv named by $BENCH_PEER_PYTHON.
Results: bench/results/<name>.json, and the combined table with the machine it ran on in
bench/results/summary.json and bench/results/summary.md (the README's Performance section).

The default set measures the list of issue 12 once: complete imports side by side with the peers
(import), rescoring (engine, and on the database in app), cold start, filter latency and the PDF
report (app), open-loop precision/recall (openloops). The parser-only benchmarks (messengers,
vcard, mbox) overlap with import and run only when named.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DEFAULT = ("import", "engine", "app", "openloops")
HEADER = ("benchmark", "measured", "peer", "ratio", "target", "met?")


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    ram_gb: float | None = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (OSError, ValueError, AttributeError):
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb, 1) if ram_gb else None,
        "python": platform.python_version(),
        "os": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in load] if load else None,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# --- the combined table --------------------------------------------------------------------

Row = tuple[str, str, str, str, str, str]


def _run(r: dict[str, Any]) -> str:
    if not r.get("ok", True):
        return "failed (see the log)"
    rate = f", {r['records_per_s'] / 1000:.1f}k rec/s" if r.get("records_per_s") else ""
    return f"{r['wall_s']:.1f} s{rate}, {r['peak_rss_mb']:.0f} MB"


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "MISSED")


IMPORT_JOBS = (
    ("whatsapp_1M", "Import WhatsApp, 1M messages", ("whatstk", "chat-miner-wa")),
    ("telegram_1M", "Import Telegram, 1M messages", ("chat-miner-tg",)),
    ("vcard_100k", "Import vCard, 100k cards", ("vobject",)),
    ("mbox_50k", "Import mbox, 50k messages", ()),
)
# The issues' targets: our complete import's time over the peer's parse time (issues 3 and 4),
# peak RSS of the messenger imports (issue 4), and the mbox import's time (issue 5).
RATIO_TARGETS = {("whatsapp_1M", "whatstk"): 0.2, ("whatsapp_1M", "chat-miner-wa"): 0.1,
                 ("telegram_1M", "chat-miner-tg"): 0.5, ("vcard_100k", "vobject"): 0.5}  # fmt: skip
RSS_TARGET_MB = {"whatsapp_1M": 600.0, "telegram_1M": 600.0}
WALL_TARGET_S = {"mbox_50k": 60.0}


def import_rows(res: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    if "skipped" in res:
        return [("Imports", f"skipped: {res['skipped']}", "", "", "", "—")]
    for key, label, peers in IMPORT_JOBS:
        job = res.get(key)
        if not job:
            continue
        mine = job["netassist_import"]
        measured = _run(mine)
        if key in WALL_TARGET_S:
            limit = WALL_TARGET_S[key]
            rows.append((label, measured, "no peer", "", f"< {limit:g} s",
                         _met(mine.get("ok", True) and mine["wall_s"] < limit)))  # fmt: skip
        elif not peers:
            rows.append((label, measured, "no peer", "", "", "—"))
        if key in RSS_TARGET_MB:
            limit = RSS_TARGET_MB[key]
            rows.append((label, measured, "", "", f"peak RSS ≤ {limit:g} MB",
                         _met(mine["peak_rss_mb"] <= limit)))  # fmt: skip
            label = measured = "″"
        for peer in peers:
            p = job.get(peer, {})
            peer_name = peer.removesuffix("-wa").removesuffix("-tg")
            target = RATIO_TARGETS.get((key, peer))
            target_text = "" if target is None else f"time ratio < {target:g}"
            if "skipped" in p:
                rows.append((label, measured, f"{peer_name}: {p['skipped']}", "", target_text,
                             "—"))  # fmt: skip
                continue
            ratio = job.get(f"ratio_vs_{peer}")
            rss = (mine["peak_rss_mb"] / p["peak_rss_mb"]) if p.get("peak_rss_mb") else None
            text = "" if ratio is None else f"{ratio:.2f}× time" + (
                f", {rss:.2f}× RSS" if rss else "")  # fmt: skip
            met = None if ratio is None or target is None else ratio < target
            rows.append((label, measured, f"{peer_name}: {_run(p)}", text, target_text, _met(met)))
            label = measured = "″"  # the same import, next peer
        fl = mine.get("store_floor")
        if fl:
            budget = [
                t * job[peer]["wall_s"]
                for peer in peers
                if (t := RATIO_TARGETS.get((key, peer))) and job.get(peer, {}).get("wall_s")
            ]
            rows.append((f"″ storing alone, in C (no parse: bench/store_floor.py, {_n(fl['rows'])}"
                         " rows)", f"{fl['store_cpu_s']:.1f} s CPU (insert {fl['insert_cpu_s']:.1f},"
                         f" FTS {fl['fts_cpu_s']:.1f}, commit {fl['commit_cpu_s']:.1f})", "", "",
                         f"the targets allow {min(budget):.1f} s in all" if budget else "",
                         "—"))  # fmt: skip
    return rows


def engine_rows(res: dict[str, Any]) -> list[Row]:
    t, target = res["rescore_seconds"], res.get("target_seconds", 2.0)
    return [(f"Rescore, engine only ({_n(res['contacts'])} contacts, {_n(res['events'])} "
             "interactions in memory)", f"{t:.2f} s", "", "",
             f"< {target:g} s", _met(t < target))]  # fmt: skip


def _n(x: int) -> str:
    return f"{x / 1e6:.3g}M" if x >= 1e6 else f"{x / 1e3:.3g}k" if x >= 1e3 else str(x)


def app_rows(res: dict[str, Any]) -> list[Row]:
    db, cold, filt, rep = res["database"], res["cold_start"], res["filter"], res["report"]
    tg = res["targets"]
    size = f"{_n(db['contacts'])} contacts, {_n(db['interactions'])} interactions"
    rows: list[Row] = []
    if "rescore" in res:
        r = res["rescore"]
        rows.append((f"Rescore from the database ({size})",
                     f"{r['total_s']:.2f} s", "", "", "", "—"))  # fmt: skip
    rows += [
        (f"Cold start to first paint with data ({size})",
         f"{cold['data_median_s']:.2f} s (median of {cold['runs']}; first paint "
         f"{cold['window_median_s']:.2f} s)", "", "", f"< {tg['cold_start_s']:g} s",
         _met(res["met"]["cold_start"])),
        (f"Contact filter latency, p95 / median ({_n(db['contacts'])} contacts)",
         f"{filt['p95_ms']:.0f} / {filt['median_ms']:.0f} ms ({filt['keystrokes']} keystrokes;"
         " + 150 ms debounce)", "", "", f"p95 < {tg['filter_p95_ms']:g} ms",
         _met(res["met"]["filter"])),
        (f"Network report PDF, 90 days ({_n(db['contacts'])} contacts)",
         f"{rep['report_s']:.1f} s ({rep['pages']} pages; data {rep['data_s']:.1f} s)", "", "",
         f"< {tg['report_s']:g} s", _met(res["met"]["report"])),
    ]  # fmt: skip
    return rows


def openloops_rows(res: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for split, label in (("holdout", "fresh holdout"), ("all", "all labelled")):
        o = res[split]["overall"]
        ok = o["precision"] >= 0.8 and o["recall"] >= 0.8
        rows.append((f"Open loops, {label} ({res[split]['conversations']} conversations)",
                     f"P {o['precision']:.2f} / R {o['recall']:.2f}", "", "", "≥ 0.80 each",
                     _met(ok)))  # fmt: skip
    return rows


ROWS = {"import": import_rows, "engine": engine_rows, "app": app_rows,
        "openloops": openloops_rows}  # fmt: skip


def table(benchmarks: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for name, res in benchmarks.items():
        if "error" in res:
            rows.append((name, f"error: {res['error']}", "", "", "", "—"))
        elif name in ROWS:
            try:
                rows += ROWS[name](res)
            except (KeyError, TypeError) as exc:
                rows.append((name, f"unreadable result ({exc})", "", "", "", "—"))
    return rows


def markdown(rows: list[Row], mach: dict[str, object]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(c.strip() or " " for c in r) + " |" for r in rows]
    out += ["", f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['ram_gb']} GB RAM; "
            f"Python {mach['python']}; {mach['os']}; load average at start "
            f"{mach['load_avg_at_start']}; {mach['when']}."]  # fmt: skip
    return "\n".join(out) + "\n"


def plain(rows: list[Row]) -> str:
    widths = [min(60, max(len(r[i]) for r in (HEADER, *rows))) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(HEADER, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    table_only = "--table" in argv
    names = [a for a in argv if a != "--table"] or list(DEFAULT)
    RESULTS.mkdir(exist_ok=True)
    summary: dict[str, Any] = {"machine": machine(), "benchmarks": {}}
    if table_only:  # the machine of the run that wrote the results, when known
        old = RESULTS / "summary.json"
        if old.exists():
            summary["machine"] = json.loads(old.read_text()).get("machine", summary["machine"])
    failed = []
    for name in names:
        if table_only:
            out = RESULTS / f"{name}.json"
            if out.exists():
                summary["benchmarks"][name] = json.loads(out.read_text())
            continue
        script = HERE / f"bench_{name}.py"
        if not script.exists():
            print(f"no benchmark {script.name}", file=sys.stderr)
            return 2
        out = RESULTS / f"{name}.json"
        out.unlink(missing_ok=True)
        print(f"== {name}", flush=True)
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script), "--json", str(out)], cwd=HERE.parent)
        took = time.perf_counter() - t
        if not out.exists():  # a missed target still writes its results (and exits 1)
            failed.append(name)
            summary["benchmarks"][name] = {"error": f"exit {proc.returncode}"}
            continue
        summary["benchmarks"][name] = json.loads(out.read_text()) | {"wall_s": round(took, 1)}
    rows = table(summary["benchmarks"])
    summary["table"] = [dict(zip(HEADER, r, strict=True)) for r in rows]
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    md = markdown(rows, summary["machine"])
    (RESULTS / "summary.md").write_text(md, encoding="utf-8")
    print("\n" + plain(rows))
    print("\n" + md.splitlines()[-1])
    print(f"\nresults in {RESULTS}/ (summary.md, summary.json"
          f"{'; failed: ' + ', '.join(failed) if failed else ''})")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
