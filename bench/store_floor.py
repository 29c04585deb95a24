"""How long storing alone takes: the interactions of an imported home copied, in C, into a fresh
encrypted home with the same schema, so nothing of the parse, the identity resolution or Python's
per-row work is in the number.

    python bench/store_floor.py HOME [--json PATH]

HOME is a netassist home that an import filled (its database under NETASSIST_PASSPHRASE). One
`INSERT ... SELECT` moves its rows into a fresh home's `interaction` table (the table, its five
indexes, SQLCipher's page encryption on commit), then the FTS rows are built the way an import
builds them (``ingest_writers.FTS_SQL``), then the transaction commits. CPU seconds come from
``time.process_time`` around each step; reading the source file (decrypting it) is measured on its
own first and taken off the insert. This is the floor of the storage design: an import of the
same file cannot store its rows faster than this, however fast it parses.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

COLS = (
    "contact_id, conversation_id, channel, direction, occurred_at, tz_status, text, subject,"
    " length, duration_s, weight, attachments, message_id, reply_to, fingerprint, import_run_id"
)


def floor(src_home: Path) -> dict[str, float | int]:
    from netassist.cli.context import Context
    from netassist.core.db import key_pragma_value
    from netassist.core.ingest_writers import FTS_SQL

    os.environ["NETASSIST_HOME"] = str(src_home)
    src = Context().db
    src_file, src_key = src.path, src._key  # noqa: SLF001 - the bench opens the file itself
    dst_home = Path(tempfile.mkdtemp(prefix="na-floor-"))
    try:
        os.environ["NETASSIST_HOME"] = str(dst_home)
        conn = Context().db.raw()
        key = f" KEY {key_pragma_value(src_key)}" if src_key else ""
        conn.execute(f"ATTACH DATABASE '{src_file}' AS old{key}")
        conn.execute("PRAGMA main.cache_size = -65536")  # as ingest sets it
        c0 = time.process_time()
        rows = conn.execute("SELECT count(*), sum(length(text)), sum(length(fingerprint))"
                            " FROM old.interaction").fetchone()[0]  # fmt: skip
        read = time.process_time() - c0
        conn.execute("BEGIN IMMEDIATE")
        for table in ("contact", "conversation", "import_run"):
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM old.{table}")
        c0 = time.process_time()
        conn.execute(f"INSERT INTO main.interaction ({COLS}) SELECT {COLS} FROM old.interaction"
                     " ORDER BY id")  # fmt: skip
        insert = time.process_time() - c0 - read
        c0 = time.process_time()
        conn.execute(FTS_SQL, (0,))
        fts = time.process_time() - c0
        c0 = time.process_time()
        conn.execute("COMMIT")
        commit = time.process_time() - c0
        conn.close()
    finally:
        shutil.rmtree(dst_home, ignore_errors=True)
    return {"rows": int(rows), "read_cpu_s": round(read, 2), "insert_cpu_s": round(insert, 2),
            "fts_cpu_s": round(fts, 2), "commit_cpu_s": round(commit, 2),
            "store_cpu_s": round(insert + fts + commit, 2)}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    if not os.environ.get("NETASSIST_PASSPHRASE"):
        print("set NETASSIST_PASSPHRASE to the passphrase the home was imported with")
        return 2
    t = time.perf_counter()
    r = floor(a.home)
    r["wall_s"] = round(time.perf_counter() - t, 2)
    print(json.dumps(r))
    if a.json:
        a.json.write_text(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
