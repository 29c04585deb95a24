"""Global topics and interests on a demo database: how long a recompute over the whole history
takes (lemmatising every message, NMF with one BLAS thread; scikit-learn's import time is
reported apart), the cost of the staleness check a
contact page pays on every open, and one contact's full "what to talk about" with interests.

    python bench/bench_interests.py [--contacts 150 1500] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netassist.core import interests as it  # noqa: E402
from netassist.core.db import open_database  # noqa: E402
from netassist.core.demo import load_demo  # noqa: E402
from netassist.core.talk import talk_about  # noqa: E402


def one(contacts: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory(prefix="bench-interests-") as tmp:
        db = open_database(Path(tmp) / "b.db")
        load_demo(db, contacts=contacts, years=2.0)
        with db.engine.connect() as c:
            n_msgs = int(
                c.exec_driver_sql(
                    "SELECT count(*) FROM interaction WHERE text IS NOT NULL"
                ).scalar()
                or 0
            )
        t = time.perf_counter()
        topics = it.refresh_global_topics(db)
        refresh = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(20):
            it.is_stale(db)
        stale_ms = (time.perf_counter() - t) / 20 * 1000
        with db.engine.connect() as c:
            busiest = c.exec_driver_sql(
                "SELECT contact_id FROM interaction WHERE text IS NOT NULL GROUP BY contact_id"
                " ORDER BY count(*) DESC"
            ).scalar()
        talk_about(db, int(busiest), lang="ru")  # warm: corpus stats cached, lemmas cached
        t = time.perf_counter()
        talk_about(db, int(busiest), lang="ru")
        talk_s = time.perf_counter() - t
        db.dispose()
    return {
        "contacts": contacts,
        "messages": n_msgs,
        "topics": len(topics),
        "refresh_s": round(refresh, 2),
        "messages_per_s": round(n_msgs / refresh),
        "stale_check_ms": round(stale_ms, 2),
        "talk_about_s": round(talk_s, 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, nargs="+", default=[150, 1500])
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    t = time.perf_counter()
    import sklearn.decomposition  # noqa: F401  - paid once per process, reported on its own

    print(f"scikit-learn import {time.perf_counter() - t:.2f} s (once per process)")
    rows = []
    for n in a.contacts:
        r = one(n)
        rows.append(r)
        print(
            f"{r['contacts']:6d} contacts {r['messages']:7d} messages: {r['topics']} topics in "
            f"{r['refresh_s']} s ({r['messages_per_s']} msg/s); staleness check "
            f"{r['stale_check_ms']} ms; one contact's talk + interests {r['talk_about_s']} s"
        )
    if a.json:
        a.json.write_text(json.dumps({"runs": rows}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
