"""Run every benchmark (bench/bench_*.py) in its own process, then print one table.

Never part of pass/fail. Each script takes ``--json PATH`` and writes its results there; peers
(whatstk, chat-miner, vobject) run from the separate bench venv named by $BENCH_PEER_PYTHON.
Results: bench/results/<name>.json and bench/results/summary.json.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def machine() -> dict[str, object]:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def main(argv: list[str]) -> int:
    only = set(argv)
    RESULTS.mkdir(exist_ok=True)
    summary: dict[str, object] = {"machine": machine(), "benchmarks": {}}
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        out = RESULTS / f"{name}.json"
        print(f"== {name}", flush=True)
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script), "--json", str(out)], cwd=HERE.parent)
        took = time.perf_counter() - t
        if proc.returncode != 0 or not out.exists():
            failed.append(name)
            summary["benchmarks"][name] = {"error": f"exit {proc.returncode}"}  # type: ignore[index]
            continue
        summary["benchmarks"][name] = json.loads(out.read_text()) | {"wall_s": round(took, 1)}  # type: ignore[index]
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"\nresults in {RESULTS}/ ({len(summary['benchmarks'])} benchmark(s)"  # type: ignore[arg-type]
          f"{', failed: ' + ', '.join(failed) if failed else ''})")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
