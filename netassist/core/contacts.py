"""Services over contacts: add / edit / delete, identities, tags, notes, logging interactions,
merging two contacts and forgetting one. Plain functions usable from CLI, GUI and tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from netassist.core.db import Database
from netassist.core.identity import normalize_identity
from netassist.core.timeutil import now_ts

EDITABLE = (
    "display_name", "given_name", "family_name", "middle_name", "prefix", "suffix", "nickname",
    "organization", "title", "birthday", "anniversary", "about", "addresses", "urls", "gender",
    "cadence_days", "photo", "photo_mime",
)  # fmt: skip
CHANNELS = ("call", "meeting", "note", "email", "telegram", "whatsapp", "sms", "vk", "messenger",
            "instagram", "signal", "linkedin", "other")  # fmt: skip


class NotFound(LookupError):
    pass


def _tx(db: Database) -> Any:
    conn = db.raw()
    conn.execute("BEGIN IMMEDIATE")
    return conn


class _Tx:
    """One write transaction on a raw connection (commit on success, roll back on error)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __enter__(self) -> Any:
        self.conn = _tx(self.db)
        return self.conn

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        try:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.conn.close()


def transaction(db: Database) -> _Tx:
    return _Tx(db)


def _exists(conn: Any, cid: int) -> None:
    if conn.execute("SELECT 1 FROM contact WHERE id = ?", (cid,)).fetchone() is None:
        raise NotFound(f"no contact with id {cid}")


def _reindex_name(conn: Any, cid: int, name: str) -> None:
    conn.execute("DELETE FROM contact_fts WHERE rowid = ?", (cid,))
    conn.execute("INSERT INTO contact_fts(rowid, name) VALUES (?, na_norm(?))", (cid, name))


def add_contact(
    db: Database,
    display_name: str,
    *,
    identities: Iterable[tuple[str, str]] = (),
    tags: Iterable[str] = (),
    region: str = "RU",
    **fields: Any,
) -> int:
    name = " ".join(display_name.split())
    if not name:
        raise ValueError("a contact needs a name")
    bad = set(fields) - set(EDITABLE)
    if bad:
        raise ValueError(f"unknown contact field(s): {', '.join(sorted(bad))}")
    now = now_ts()
    with transaction(db) as conn:
        cols = ["display_name", "created_at", "updated_at", *fields]
        cur = conn.execute(
            f"INSERT INTO contact ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            (name, now, now, *fields.values()),
        )
        cid = int(cur.lastrowid)
        _reindex_name(conn, cid, name)
        for kind, value in identities:
            _add_identity(conn, cid, kind, value, region)
        for tag in tags:
            _tag(conn, cid, tag)
    return cid


def edit_contact(db: Database, cid: int, **fields: Any) -> None:
    """Change fields; they are remembered as the user's own, so imports never clobber them."""
    bad = set(fields) - set(EDITABLE)
    if bad:
        raise ValueError(f"unknown contact field(s): {', '.join(sorted(bad))}")
    if not fields:
        return
    with transaction(db) as conn:
        _exists(conn, cid)
        edited = conn.execute("SELECT user_edited FROM contact WHERE id = ?", (cid,)).fetchone()[0]
        names = sorted(set(filter(None, edited.split(","))) | set(fields))
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(
            f"UPDATE contact SET {sets}, user_edited = ?, updated_at = ? WHERE id = ?",
            (*fields.values(), ",".join(names), now_ts(), cid),
        )
        if "display_name" in fields:
            _reindex_name(conn, cid, fields["display_name"])


def _add_identity(conn: Any, cid: int, kind: str, value: str, region: str) -> str:
    norm = normalize_identity(kind, value, region)
    if not norm:
        raise ValueError(f"{value!r} is not a usable {kind}")
    row = conn.execute(
        "SELECT contact_id FROM identity WHERE kind = ? AND value = ?", (kind, norm)
    ).fetchone()
    if row and row[0] != cid:
        raise ValueError(f"{kind} {norm} already belongs to contact {row[0]} (merge them instead)")
    conn.execute(
        "INSERT OR IGNORE INTO identity (contact_id, kind, value, raw, source) VALUES (?,?,?,?,?)",
        (cid, kind, norm, value, "user"),
    )
    return norm


def add_identity(db: Database, cid: int, kind: str, value: str, region: str = "RU") -> str:
    with transaction(db) as conn:
        _exists(conn, cid)
        return _add_identity(conn, cid, kind, value, region)


def remove_identity(db: Database, cid: int, kind: str, value: str) -> None:
    with transaction(db) as conn:
        conn.execute(
            "DELETE FROM identity WHERE contact_id = ? AND kind = ? AND value = ?",
            (cid, kind, value),
        )


def _tag(conn: Any, cid: int, name: str) -> None:
    name = name.strip()
    if not name:
        return
    conn.execute("INSERT OR IGNORE INTO tag(name) VALUES (?)", (name,))
    tid = conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()[0]
    conn.execute("INSERT OR IGNORE INTO contact_tag VALUES (?, ?)", (cid, tid))


def tag_contacts(db: Database, cids: Iterable[int], name: str) -> None:
    with transaction(db) as conn:
        for cid in cids:
            _exists(conn, cid)
            _tag(conn, cid, name)


def untag_contacts(db: Database, cids: Iterable[int], name: str) -> None:
    with transaction(db) as conn:
        for cid in cids:
            conn.execute(
                "DELETE FROM contact_tag WHERE contact_id = ? AND tag_id ="
                " (SELECT id FROM tag WHERE name = ?)",
                (cid, name),
            )
        conn.execute("DELETE FROM tag WHERE id NOT IN (SELECT tag_id FROM contact_tag)")


def add_note(db: Database, cid: int, text: str) -> int:
    with transaction(db) as conn:
        _exists(conn, cid)
        cur = conn.execute(
            "INSERT INTO note (contact_id, created_at, text) VALUES (?, ?, ?)",
            (cid, now_ts(), text),
        )
        return int(cur.lastrowid)


def log_interaction(
    db: Database,
    cid: int,
    channel: str,
    when: int | None = None,
    text: str = "",
    direction: str = "mutual",
    duration_s: int | None = None,
) -> int:
    """Log a call, meeting or note by hand. Like any interaction, it resets the contact's due."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; use one of: {', '.join(CHANNELS)}")
    if direction not in ("in", "out", "mutual"):
        raise ValueError("direction is in, out or mutual")
    when = now_ts() if when is None else when
    with transaction(db) as conn:
        _exists(conn, cid)
        cur = conn.execute(
            "INSERT INTO interaction (contact_id, channel, direction, occurred_at, tz_status, text,"
            " length, duration_s, weight, fingerprint) VALUES (?, ?, ?, ?, 'utc', ?, ?, ?, 1.0, ?)",
            (cid, channel, direction, when, text or None, len(text), duration_s,
             f"manual:{uuid.uuid4().hex}"),
        )  # fmt: skip
        iid = int(cur.lastrowid)
        if text:
            conn.execute(
                "INSERT INTO interaction_fts(rowid, text) VALUES (?, na_norm(?))", (iid, text)
            )
    return iid


def _delete_rows(conn: Any, cid: int) -> None:
    conn.execute(
        "DELETE FROM interaction_fts WHERE rowid IN"
        " (SELECT id FROM interaction WHERE contact_id = ?)",
        (cid,),
    )
    conn.execute("DELETE FROM contact_fts WHERE rowid = ?", (cid,))
    # foreign keys cascade to identities, interactions, notes, tags, reminders, scores...
    conn.execute("DELETE FROM contact WHERE id = ?", (cid,))


def delete_contact(db: Database, cid: int) -> None:
    with transaction(db) as conn:
        _exists(conn, cid)
        _delete_rows(conn, cid)


def forget_contact(db: Database, cid: int) -> dict[str, int]:
    """Erase every trace of a person (see :mod:`netassist.core.forget`): rows, FTS entries,
    identities, reminders and their scheduler jobs, merge records, duplicate candidates, import
    problems, conversation titles and cached statistics; then compact the FTS index and truncate
    the WAL so no deleted token survives (secure_delete overwrites freed pages)."""
    from netassist.core.forget import checkpoint, scrub

    with transaction(db) as conn:
        _exists(conn, cid)
        counts = scrub(conn, cid)
    checkpoint(db)
    return counts


def merge_contacts(db: Database, keep: int, other: int) -> None:
    """Merge ``other`` into ``keep``: identities, interactions, notes, reminders, tags, feedback
    and provenance move; empty fields of ``keep`` are filled; a merge record is kept."""
    if keep == other:
        raise ValueError("cannot merge a contact with itself")
    with transaction(db) as conn:
        _exists(conn, keep)
        _exists(conn, other)
        moved: dict[str, int] = {}
        for table in ("identity", "interaction", "note", "reminder", "feedback",
                      "contact_source", "followup_action", "contact_interest"):  # fmt: skip
            cur = conn.execute(
                f"UPDATE OR IGNORE {table} SET contact_id = ? WHERE contact_id = ?", (keep, other)
            )
            moved[table] = cur.rowcount
        conn.execute(
            "INSERT OR IGNORE INTO contact_tag SELECT ?, tag_id FROM contact_tag WHERE contact_id = ?",
            (keep, other),
        )
        cols = [c for c in EDITABLE if c not in ("display_name",)]
        a = conn.execute(f"SELECT {', '.join(cols)} FROM contact WHERE id = ?", (keep,)).fetchone()
        b = conn.execute(f"SELECT {', '.join(cols)} FROM contact WHERE id = ?", (other,)).fetchone()
        fill = {c: bv for c, av, bv in zip(cols, a, b, strict=True) if av in (None, "") and bv}
        if fill:
            sets = ", ".join(f"{k} = ?" for k in fill)
            conn.execute(f"UPDATE contact SET {sets} WHERE id = ?", (*fill.values(), keep))
        name = conn.execute("SELECT display_name FROM contact WHERE id = ?", (other,)).fetchone()[0]
        conn.execute(
            "UPDATE duplicate_candidate SET status = 'merged' WHERE (contact_a = ? AND contact_b = ?)"
            " OR (contact_a = ? AND contact_b = ?)",
            (keep, other, other, keep),
        )
        conn.execute(
            "INSERT INTO merge_record (kept_contact_id, merged_contact_id, merged_name, details,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            (keep, other, name, json.dumps(moved), now_ts()),
        )
        conn.execute("DELETE FROM contact_score WHERE contact_id IN (?, ?)", (keep, other))
        _delete_rows(conn, other)
