"""Read-side queries → plain objects; id lists for lazy UI models."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from netassist.core.db import Database
from netassist.core.textnorm import fts_query, normalize_for_index

SORT_COLUMNS = {
    "name": "c.display_name COLLATE NOCASE",
    "strength": "coalesce(s.strength, -1)",
    "last": "coalesce(s.last_at, (SELECT max(occurred_at) FROM interaction i WHERE i.contact_id = c.id), 0)",
    "due": "coalesce(s.due_at, 9e18)",
}


@dataclass
class ContactRow:
    id: int
    display_name: str
    organization: str
    strength: float | None
    tier: str
    trend: str
    last_at: int | None
    due_at: int | None
    state: str
    tags: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def contact_ids(
    db: Database, filter_text: str = "", sort: str = "name", descending: bool = False,
    tag: str | None = None,
) -> list[int]:  # fmt: skip
    """Ids of non-"me" contacts matching ``filter_text`` (name/org prefix words), sorted."""
    where = ["c.is_me = 0"]
    params: list[Any] = []
    if filter_text.strip():
        q = fts_query(filter_text)
        if q:
            where.append("c.id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)")
            params.append(q)
    if tag:
        where.append(
            "c.id IN (SELECT contact_id FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
            " WHERE t.name = ?)"
        )
        params.append(tag)
    order = SORT_COLUMNS.get(sort, SORT_COLUMNS["name"])
    sql = (
        f"SELECT c.id FROM contact c LEFT JOIN contact_score s ON s.contact_id = c.id"
        f" WHERE {' AND '.join(where)} ORDER BY {order} {'DESC' if descending else 'ASC'}, c.id"
    )
    with db.engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql(sql, tuple(params))]


def contact_rows(db: Database, ids: list[int]) -> dict[int, ContactRow]:
    """Rows for a page of ids (the UI's row cache asks for ~100 at a time)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[int, ContactRow] = {}
    with db.engine.connect() as conn:
        for r in conn.exec_driver_sql(
            "SELECT c.id, c.display_name, c.organization, s.strength, coalesce(s.tier, ''),"
            " coalesce(s.trend, ''), coalesce(s.last_at,"
            "  (SELECT max(occurred_at) FROM interaction i WHERE i.contact_id = c.id)),"
            " s.due_at, coalesce(s.state, '')"
            f" FROM contact c LEFT JOIN contact_score s ON s.contact_id = c.id WHERE c.id IN ({marks})",
            tuple(ids),
        ):
            out[r[0]] = ContactRow(*r)
        for cid, name in conn.exec_driver_sql(
            "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
            f" WHERE ct.contact_id IN ({marks}) ORDER BY t.name",
            tuple(ids),
        ):
            out[cid].tags.append(name)
    return out


def contact_detail(db: Database, cid: int) -> dict[str, Any] | None:
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT * FROM contact WHERE id = ?", (cid,)).mappings().first()
        if row is None:
            return None
        d = dict(row)
        d["has_photo"] = d.pop("photo") is not None
        d["identities"] = [
            dict(r)
            for r in conn.exec_driver_sql(
                "SELECT kind, value, raw, label, pref FROM identity WHERE contact_id = ?"
                " AND kind NOT IN ('name', 'me_name') ORDER BY kind, value",
                (cid,),
            ).mappings()
        ]
        d["tags"] = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
                " WHERE ct.contact_id = ? ORDER BY t.name",
                (cid,),
            )
        ]
        d["notes"] = [
            dict(r)
            for r in conn.exec_driver_sql(
                "SELECT id, created_at, text FROM note WHERE contact_id = ? ORDER BY created_at DESC",
                (cid,),
            ).mappings()
        ]
        agg = conn.exec_driver_sql(
            "SELECT count(*), min(occurred_at), max(occurred_at) FROM interaction"
            " WHERE contact_id = ?",
            (cid,),
        ).first()
        d["interaction_count"], d["first_at"], d["last_at"] = agg or (0, None, None)
        d["by_channel"] = dict(
            conn.exec_driver_sql(
                "SELECT channel, count(*) FROM interaction WHERE contact_id = ? GROUP BY channel"
                " ORDER BY 2 DESC",
                (cid,),
            ).all()
        )
        score = (
            conn.exec_driver_sql("SELECT * FROM contact_score WHERE contact_id = ?", (cid,))
            .mappings()
            .first()
        )
        d["score"] = dict(score) if score else None
    return d


def contact_photo(db: Database, cid: int) -> tuple[bytes, str | None] | None:
    with db.engine.connect() as conn:
        r = conn.exec_driver_sql(
            "SELECT photo, photo_mime FROM contact WHERE id = ?", (cid,)
        ).first()
    return (r[0], r[1]) if r and r[0] else None


def timeline(
    db: Database, cid: int, limit: int = 200, before: int | None = None, search: str = ""
) -> list[dict[str, Any]]:
    """Newest first; page with ``before`` (the occurred_at of the last row shown)."""
    where = ["i.contact_id = ?"]
    params: list[Any] = [cid]
    if before is not None:
        where.append("i.occurred_at < ?")
        params.append(before)
    if search.strip():
        q = fts_query(search)
        if q:
            where.append(
                "i.id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?)"
            )
            params.append(q)
    sql = (
        "SELECT i.id, i.occurred_at, i.channel, i.direction, i.text, i.subject, i.duration_s,"
        " i.attachments, i.tz_status, cv.kind AS conversation_kind, cv.title AS conversation"
        " FROM interaction i LEFT JOIN conversation cv ON cv.id = i.conversation_id"
        f" WHERE {' AND '.join(where)} ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?"
    )
    params.append(limit)
    with db.engine.connect() as conn:
        return [dict(r) for r in conn.exec_driver_sql(sql, tuple(params)).mappings()]


def find_contact(db: Database, ref: str) -> int:
    """A contact by id, exact identity value, or unique name/prefix match."""
    ref = ref.strip()
    with db.engine.connect() as conn:
        if ref.isdigit():
            r = conn.exec_driver_sql("SELECT id FROM contact WHERE id = ?", (int(ref),)).first()
            if r:
                return int(r[0])
        r = conn.exec_driver_sql(
            "SELECT DISTINCT contact_id FROM identity WHERE value = ? OR raw = ?",
            (ref.casefold(), ref),
        ).all()
        if len(r) == 1:
            return int(r[0][0])
        exact = conn.exec_driver_sql(
            "SELECT id FROM contact WHERE is_me = 0 AND lower(display_name) = lower(?)", (ref,)
        ).all()
        if len(exact) == 1:
            return int(exact[0][0])
    ids = contact_ids(db, ref)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise LookupError(f"no contact matches {ref!r}")
    raise LookupError(f"{len(ids)} contacts match {ref!r}; use the id (netassist contacts list)")


def search(db: Database, query: str, limit: int = 50) -> dict[str, list[dict[str, Any]]]:
    """FTS prefix search over contact names and interaction text, Cyrillic and Latin alike."""
    forms = None
    try:
        from netassist.core.engine.text import query_forms  # lemma forms, when available

        forms = query_forms
    except ImportError:
        pass
    q_names = fts_query(query)
    q_text = fts_query(query, forms)
    if not q_names:
        return {"contacts": [], "interactions": []}
    with db.engine.connect() as conn:
        contacts = [
            dict(r)
            for r in conn.exec_driver_sql(
                "SELECT c.id, c.display_name, c.organization FROM contact_fts f"
                " JOIN contact c ON c.id = f.rowid WHERE contact_fts MATCH ? AND c.is_me = 0"
                " ORDER BY rank LIMIT ?",
                (q_names, limit),
            ).mappings()
        ]
        inters = [
            dict(r)
            for r in conn.exec_driver_sql(
                "SELECT i.id, i.contact_id, c.display_name, i.occurred_at, i.channel, i.direction,"
                " i.subject, i.text"
                " FROM interaction_fts f JOIN interaction i ON i.id = f.rowid"
                " JOIN contact c ON c.id = i.contact_id WHERE interaction_fts MATCH ?"
                " ORDER BY i.occurred_at DESC LIMIT ?",
                (q_text, limit),
            ).mappings()
        ]
    words = [w for w in _WORD.findall(normalize_for_index(query)) if w]
    for it in inters:
        it["snippet"] = snippet(f"{it.pop('subject') or ''} {it['text'] or ''}".strip(), words)
    return {"contacts": contacts, "interactions": inters}


_WORD = re.compile(r"\w+")


def snippet(text: str, words: list[str], width: int = 90) -> str:
    """The part of ``text`` around the first matched word, matches in [brackets]."""
    if not text:
        return ""
    norm = normalize_for_index(text)  # same length as text: casefold/ё→е keep positions here
    if len(norm) != len(text):
        norm = text.lower()
    pos = min((p for p in (norm.find(w) for w in words) if p >= 0), default=0)
    start = max(0, pos - width // 3)
    piece = text[start : start + width]
    low = normalize_for_index(piece) if len(normalize_for_index(piece)) == len(piece) else piece
    out, i = [], 0
    while i < len(piece):
        for w in words:
            if low.startswith(w, i):
                j = i + len(w)
                while j < len(piece) and piece[j].isalnum():
                    j += 1
                out.append(f"[{piece[i:j]}]")
                i = j
                break
        else:
            out.append(piece[i])
            i += 1
    return ("…" if start else "") + "".join(out) + ("…" if start + width < len(text) else "")


def stats(db: Database) -> dict[str, Any]:
    with db.engine.connect() as conn:
        one = lambda sql: conn.exec_driver_sql(sql).scalar() or 0  # noqa: E731
        runs = conn.exec_driver_sql("SELECT status, count(*) FROM import_run GROUP BY status").all()
        return {
            "contacts": one("SELECT count(*) FROM contact WHERE is_me = 0"),
            "identities": one(
                "SELECT count(*) FROM identity WHERE kind NOT IN ('name', 'me_name')"
            ),
            "interactions": one("SELECT count(*) FROM interaction"),
            "by_channel": dict(
                conn.exec_driver_sql(
                    "SELECT channel, count(*) FROM interaction GROUP BY channel ORDER BY 2 DESC"
                ).all()
            ),
            "conversations": one("SELECT count(*) FROM conversation"),
            "notes": one("SELECT count(*) FROM note"),
            "tags": one("SELECT count(*) FROM tag"),
            "reminders": one("SELECT count(*) FROM reminder"),
            "import_runs": one("SELECT count(*) FROM import_run"),
            "import_runs_by_status": dict(runs),
            "duplicate_candidates": one(
                "SELECT count(*) FROM duplicate_candidate WHERE status = 'open'"
            ),
        }
