"""Full export so nobody is locked in: JSON of everything the database knows (readable without
netassist), and contacts as vCard 4.0/3.0 or CSV.

The JSON is streamed row by row (a million interactions never sit in memory as one object):
``{"format": "netassist-export", "version": 1, "exported_at": ..., "contacts": [...],
"interactions": [...], ...}`` with times as ISO 8601 UTC next to the raw epoch seconds.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import orjson

from netassist import __version__
from netassist.core.db import Database
from netassist.core.timeutil import from_ts, now_ts

TIME_COLS = {"created_at", "updated_at", "occurred_at", "due_at", "snoozed_until", "done_at",
             "dismissed_at", "last_fired_at", "started_at", "finished_at", "computed_at",
             "last_at", "until"}  # fmt: skip
TABLES = ("conversation", "interaction", "note", "reminder", "feedback", "followup_action",
          "import_run", "import_problem", "merge_record", "duplicate_candidate",
          "contact_source", "contact_score", "contact_interest", "global_topic",
          "contact_topic", "setting")  # fmt: skip


def _rows(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    for row in cur:
        d = dict(zip(cols, row, strict=True))
        for c in TIME_COLS & d.keys():
            if isinstance(d[c], int) and d[c]:
                d[c + "_iso"] = from_ts(d[c]).isoformat()
        for k, v in d.items():
            if isinstance(v, bytes):
                d[k] = base64.b64encode(v).decode("ascii")
        yield d


def _array(out: IO[bytes], name: str, rows: Iterator[dict[str, Any]]) -> None:
    out.write(b',\n"' + name.encode() + b'": [')
    first = True
    for r in rows:
        out.write(b"\n" if first else b",\n")
        out.write(orjson.dumps(r))
        first = False
    out.write(b"]")


@contextmanager
def _output(path: Path, mode: str = "wb", **kw: Any) -> Iterator[IO[Any]]:
    """The export's file, written whole or not at all: into "<name>.part" beside it, renamed
    over it at the end. A symlink is followed (the file it points to is replaced, the link
    stays); a target that is not a regular file (``/dev/stdout``, a pipe, ``/dev/null``) is
    written in place, as renaming over it would replace the device or pipe with a file."""
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        with open(target, mode, **kw) as out:
            yield out
        return
    tmp = target.with_name(target.name + ".part")
    try:
        with open(tmp, mode, **kw) as out:
            yield out
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def export_json(db: Database, path: Path) -> dict[str, int]:
    conn = db.raw()
    counts: dict[str, int] = {}
    try:
        with _output(path) as out:
            head = {"format": "netassist-export", "version": 1, "netassist": __version__,
                    "exported_at": from_ts(now_ts()).isoformat()}  # fmt: skip
            out.write(orjson.dumps(head)[:-1])
            contacts = list(_rows(conn, "SELECT * FROM contact ORDER BY id"))
            idents: dict[int, list[dict[str, Any]]] = {}
            for r in _rows(conn, "SELECT * FROM identity ORDER BY id"):
                idents.setdefault(r.pop("contact_id"), []).append(r)
            tags: dict[int, list[str]] = {}
            for cid, name in conn.execute(
                "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
            ):
                tags.setdefault(cid, []).append(name)
            for c in contacts:
                c["identities"] = idents.get(c["id"], [])
                c["tags"] = sorted(tags.get(c["id"], []))
            _array(out, "contacts", iter(contacts))
            counts["contacts"] = len(contacts)
            for t in TABLES:
                n = [0]

                def counted(
                    it: Iterator[dict[str, Any]], n: list[int] = n
                ) -> Iterator[dict[str, Any]]:
                    for r in it:
                        n[0] += 1
                        yield r

                _array(out, t, counted(_rows(conn, f'SELECT * FROM "{t}" ORDER BY 1')))
                counts[t] = n[0]
            out.write(b"\n}\n")
    finally:
        conn.close()
    return counts


def export_contacts(db: Database, path: Path, fmt: str = "vcard", version: str = "4.0") -> int:
    """All contacts (not "me") as vCard (4.0 or 3.0, UTF-8) or Google-style CSV."""
    from netassist.core.vcard_out import ExportContact, format_csv, format_vcard

    conn = db.raw()
    try:
        people: list[ExportContact] = []
        rows = list(_rows(conn, "SELECT * FROM contact WHERE is_me = 0 ORDER BY id"))
        idents: dict[int, list[tuple[str, str, str | None, bool]]] = {}
        for cid, kind, value, label, pref in conn.execute(
            "SELECT contact_id, kind, value, label, pref FROM identity"
            " WHERE kind NOT IN ('name', 'me_name') ORDER BY id"
        ):
            idents.setdefault(cid, []).append((kind, value, label, bool(pref)))
        tags: dict[int, list[str]] = {}
        for cid, name in conn.execute(
            "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
        ):
            tags.setdefault(cid, []).append(name)
        for r in rows:
            ids = idents.get(r["id"], [])
            photo = base64.b64decode(r["photo"]) if r.get("photo") else None
            people.append(
                ExportContact(
                    full_name=r["display_name"],
                    given_name=r["given_name"],
                    family_name=r["family_name"],
                    middle_name=r["middle_name"],
                    prefix=r["prefix"],
                    suffix=r["suffix"],
                    nickname=r["nickname"],
                    organization=r["organization"],
                    title=r["title"],
                    birthday=r["birthday"],
                    anniversary=r["anniversary"],
                    note=r["about"],
                    emails=[(v, lab, p) for k, v, lab, p in ids if k == "email"],
                    phones=[(v, lab, p) for k, v, lab, p in ids if k == "phone"],
                    handles=[(k, v) for k, v, _, _ in ids if k not in ("email", "phone")],
                    addresses=[a for a in (r["addresses"] or "").split("\n") if a],
                    urls=[u for u in (r["urls"] or "").split("\n") if u],
                    tags=sorted(tags.get(r["id"], [])),
                    photo=photo,
                    photo_mime=r["photo_mime"],
                    uid=f"netassist-{r['id']}",
                )  # fmt: skip
            )
    finally:
        conn.close()
    if fmt == "csv":
        text = format_csv(people)
    else:
        text = "".join(format_vcard(p, version=version) for p in people)
    with _output(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return len(people)
