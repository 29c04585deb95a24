"""Forgetting a person: every trace of them leaves the database, not just their contact row.

Beyond the rows that cascade from ``contact`` (identities, interactions, notes, tags, reminders,
scores, duplicate candidates, provenance, feedback), a person leaves traces in places keyed by
text rather than by id: FTS shadow tables, APScheduler's persisted jobs (``reminder-<id>``),
cached corpus statistics (term document frequencies of their messages), global topics (named
by lemmas of everyone's messages; their interests and topic shares cascade), conversation titles,
import-run sources (a file named "WhatsApp Chat with <name>.txt"), import problems and merge
records that quote their name or address. All of them go in ONE transaction; then the FTS
indexes are compacted and the WAL truncated so no deleted token survives in a segment or a WAL
frame (``secure_delete`` overwrites freed pages).

Backups made before the forget still hold the person until they rotate out; callers say when
(:func:`netassist.core.backup.backups_age_out`).
"""

from __future__ import annotations

from typing import Any

from netassist.core.db import Database

# setting keys whose values are caches derived from message text: dropped on every forget (they
# are rebuilt lazily from what is left)
DERIVED_CACHES = ("state:corpus_stats", "state:global_topics")
FORGOTTEN = "(forgotten)"


def _lower(s: Any) -> str:
    return str(s).casefold() if s is not None else ""


def needles_of(conn: Any, cid: int) -> set[str]:
    """Texts that identify the person: names and every identity (raw and normalised)."""
    row = conn.execute(
        "SELECT display_name, given_name, family_name, nickname FROM contact WHERE id = ?", (cid,)
    ).fetchone()
    found = {row[0]} | {
        " ".join(p for p in (row[1], row[2]) if p)
    }  # display name and "given family"
    if row[3]:
        found.add(row[3])
    for raw, value in conn.execute("SELECT raw, value FROM identity WHERE contact_id = ?", (cid,)):
        found |= {raw, value}
    # short fragments ("Al", "+7") would match unrelated text; whole names only
    return {n.strip().casefold() for n in found if n and len(n.strip()) >= 3}


def _has_table(conn: Any, name: str) -> bool:
    q = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(q, (name,)).fetchone() is not None


def _delete_jobs(conn: Any, reminder_ids: list[int]) -> int:
    if not reminder_ids or not _has_table(conn, "apscheduler_jobs"):
        return 0
    n = 0
    for rid in reminder_ids:
        n += conn.execute(
            "DELETE FROM apscheduler_jobs WHERE id = ?", (f"reminder-{rid}",)
        ).rowcount
    return n


def scrub(conn: Any, cid: int) -> dict[str, int]:
    """Delete every trace of contact ``cid`` inside the caller's open write transaction."""
    needles = needles_of(conn, cid)
    conn.create_function("na_fold", 1, _lower, deterministic=True)
    match = " OR ".join(["instr(na_fold({col}), ?) > 0"] * len(needles)) or "0"
    args = tuple(needles)

    def where(*cols: str) -> str:
        return "(" + " OR ".join(match.format(col=c) for c in cols) + ")"

    def args_for(*cols: str) -> tuple[str, ...]:
        return args * len(cols)

    counts: dict[str, int] = {}
    counts["interactions"] = conn.execute(
        "SELECT count(*) FROM interaction WHERE contact_id = ?", (cid,)
    ).fetchone()[0]
    # reminders: their own, and free-standing ones whose title or body names the person
    rids = [r[0] for r in conn.execute("SELECT id FROM reminder WHERE contact_id = ?", (cid,))]
    named = [
        r[0]
        for r in conn.execute(
            f"SELECT id FROM reminder WHERE contact_id IS NULL AND {where('title', 'body')}",
            args_for("title", "body"),
        )
    ]
    for rid in named:
        conn.execute("DELETE FROM reminder WHERE id = ?", (rid,))
    counts["jobs"] = _delete_jobs(conn, rids + named)
    counts["reminders"] = len(rids) + len(named)
    conv_ids = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT conversation_id FROM interaction WHERE contact_id = ?"
            " AND conversation_id IS NOT NULL",
            (cid,),
        )
    ]

    # the rows themselves: FTS entries first (the contentless index is keyed by rowid), then the
    # contact row, whose foreign keys cascade to everything keyed by contact id
    conn.execute(
        "DELETE FROM interaction_fts WHERE rowid IN"
        " (SELECT id FROM interaction WHERE contact_id = ?)",
        (cid,),
    )
    conn.execute("DELETE FROM contact_fts WHERE rowid = ?", (cid,))
    conn.execute("DELETE FROM contact WHERE id = ?", (cid,))

    # conversations only they were in go; group chats keep going but lose a title naming them
    for conv in conv_ids:
        conn.execute(
            "DELETE FROM conversation WHERE id = ? AND NOT EXISTS"
            " (SELECT 1 FROM interaction WHERE conversation_id = ?)",
            (conv, conv),
        )
    conn.execute(f"UPDATE conversation SET title = NULL WHERE {where('title')}", args_for("title"))
    conn.execute(
        f"UPDATE conversation SET key = 'forgotten:' || id WHERE {where('key')}", args_for("key")
    )

    merged = [
        r[0]
        for r in conn.execute(
            "SELECT merged_contact_id FROM merge_record WHERE kept_contact_id = ?", (cid,)
        )
    ]
    conn.execute(
        "DELETE FROM merge_record WHERE kept_contact_id = ? OR merged_contact_id = ?", (cid, cid)
    )
    for m in merged:
        conn.execute("DELETE FROM merge_record WHERE kept_contact_id = ?", (m,))
    conn.execute(
        f"DELETE FROM merge_record WHERE {where('merged_name', 'details')}",
        args_for("merged_name", "details"),
    )
    conn.execute(f"DELETE FROM duplicate_candidate WHERE {where('reason')}", args_for("reason"))
    counts["problems"] = conn.execute(
        f"DELETE FROM import_problem WHERE {where(chr(34) + 'where' + chr(34), 'reason')}",
        args_for("where", "reason"),
    ).rowcount
    conn.execute(
        f"UPDATE import_run SET source = '{FORGOTTEN}' WHERE {where('source')}", args_for("source")
    )
    conn.execute(
        f"UPDATE import_run SET message = '{FORGOTTEN}' WHERE {where('message')}",
        args_for("message"),
    )
    # caches derived from message text, and remembered state that quotes the person
    for key in DERIVED_CACHES:
        conn.execute("DELETE FROM setting WHERE key = ?", (key,))
    conn.execute("DELETE FROM global_topic")  # contact_topic cascades; recomputed on demand
    conn.execute(
        f"DELETE FROM setting WHERE key LIKE 'state:%' AND {where('value')}", args_for("value")
    )
    conn.execute("INSERT INTO interaction_fts(interaction_fts) VALUES ('optimize')")
    conn.execute("INSERT INTO contact_fts(contact_fts) VALUES ('optimize')")
    return counts


def checkpoint(db: Database) -> None:
    """Move the WAL into the main file and truncate it: the WAL holds old page images, the
    forgotten rows among them, until it is checkpointed."""
    conn = db.raw()
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
