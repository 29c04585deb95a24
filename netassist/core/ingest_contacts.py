"""The contact path of an import (address books): cards and rows become contacts, identities,
tags and sources, merged silently when an identity is already known, updated without clobbering
what the user edited or what another source gave. ``ContactPath`` is a part of
``netassist.core.ingest._Ingest`` (its state is set up there); the rows of the contacts it makes
stay in memory for the whole import and go to the row writer in batches (``flush_small``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import orjson

from netassist.core.identity import normalize_identity
from netassist.core.ingest_writers import LockedConnection, RowWriter
from netassist.core.names import diminutive_groups, family_key, name_key, parse_person_name
from netassist.core.textnorm import normalize_for_index
from netassist.core.timeutil import to_ts

CONTACT_FIELDS = (
    "given_name", "family_name", "middle_name", "prefix", "suffix", "nickname",
    "organization", "title", "birthday", "anniversary",
)  # fmt: skip


def _name_key(name: str) -> str | None:
    """How a display name is matched inside one channel: casefolded, ё→е, spaces folded."""
    key = normalize_for_index(" ".join((name or "").split()))
    return key or None


def _display_name(rec: Any) -> str:
    if rec.full_name.strip():
        return " ".join(rec.full_name.split())
    parts = [rec.given_name, rec.middle_name, rec.family_name]
    name = " ".join(p.strip() for p in parts if p and p.strip())
    if name:
        return name
    if rec.nickname:
        return rec.nickname
    if rec.organization:
        return rec.organization
    for ident in rec.identities:
        return ident.value
    return ""


# The contact row as the contact path writes it (every column it may set, in one statement).
ROW_COLUMNS = ("id", "display_name", "is_me", "created_at", "updated_at", *CONTACT_FIELDS,
               "about", "addresses", "urls", "photo", "photo_mime")  # fmt: skip
INSERT_CONTACT_SQL = (f"INSERT INTO contact ({', '.join(ROW_COLUMNS)})"
                      f" VALUES ({', '.join('?' * len(ROW_COLUMNS))})")  # fmt: skip
PHOTO = ROW_COLUMNS.index("photo")
UPDATE_CONTACT_SQL = (f"UPDATE contact SET {', '.join(f'{c} = ?' for c in ROW_COLUMNS[1:])}"
                      " WHERE id = ?")  # fmt: skip


def _sql_default(text: str | None) -> Any:
    """A column's default as PRAGMA table_info shows it ("''", "'0'", "5", NULL)."""
    if text is None or text.upper() == "NULL":
        return None
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        return float(text)


def names_may_be_one(a: str, b: str) -> bool:
    """False when two full names are plainly two people: both have a family name and these
    differ (Морозова and Морозов are one family name, as are Петров and Petrov), or the family
    is the same and the given names are different names (Павел and Мария Морозовы sharing a
    home phone; Саша and Александр are one name; names the index does not know are compared by
    their first letters). True when either has no family name."""
    pa, pb = parse_person_name(a), parse_person_name(b)
    if not (pa.family and pb.family):
        return True
    if family_key(pa.family) != family_key(pb.family):
        return False
    ga, gb = pa.given.strip("."), pb.given.strip(".")
    if not ga or not gb or name_key(ga) == name_key(gb):
        return True
    if len(ga) == 1 or len(gb) == 1:  # an initial
        return name_key(ga)[:1] == name_key(gb)[:1]
    da, db = diminutive_groups(ga), diminutive_groups(gb)
    if da and db:
        return bool(da & db)
    # a name the index does not know (most English ones): Sue/Susan, Jon/John, Rick/Richard
    # start alike; Richard and Susan do not
    return name_key(ga)[:2] == name_key(gb)[:2]


class ContactPath:
    """The contact-path methods of an import; the attributes below are set by ``_Ingest``."""

    c: LockedConnection
    r: Any  # ImportResult
    importer: str
    region: str
    now: int
    ident: dict[tuple[str, str], int]
    names: dict[str, list[int]]
    rows: list[tuple[Any, ...]]
    created: set[int]
    rw: RowWriter
    pending_ids: list[tuple[Any, ...]]
    pending_fts: list[tuple[int, str]]
    next_cid: int
    defaults: dict[str, Any]
    made: dict[int, dict[str, Any]]
    fts_name: dict[int, str]
    pending_contacts: set[int]
    dirty: set[int]
    sources: set[str]
    pending_src: dict[str, list[Any]]
    tags: dict[str, int]
    pending_tags: list[tuple[int, int]]
    _carded: set[int] | None

    def new_contact(
        self, name: str, fields: dict[str, Any] | None = None, is_me: bool = False,
        defer: bool = False,
    ) -> int:  # fmt: skip
        """A new contact; with ``defer`` its row waits in memory for ``flush_small``."""
        cid = self.next_cid
        self.next_cid += 1
        row = {"id": cid, "display_name": name, "is_me": 1 if is_me else 0,
               "created_at": self.now, "updated_at": self.now, **(fields or {})}  # fmt: skip
        if defer:
            self.made[cid] = self.defaults | row
            self.pending_contacts.add(cid)
            if len(self.pending_contacts) >= 5000:
                self.flush_small()
        else:
            self.c.execute(f"INSERT INTO contact ({', '.join(row)})"
                           f" VALUES ({', '.join('?' * len(row))})", list(row.values()))  # fmt: skip
            self.pending_fts.append((cid, name))
            if len(self.pending_fts) >= 5000:
                self.flush_small()
        self.created.add(cid)
        self.r.touched.add(cid)
        if not is_me:
            self.r.contacts_created += 1
            key = _name_key(name)
            if key:
                self.names.setdefault(key, []).append(cid)
        return cid

    def add_identity(self, cid: int, kind: str, value: str, raw: str, label: str | None = None,
                     pref: bool = False) -> None:  # fmt: skip
        if (kind, value) in self.ident:
            return
        self.pending_ids.append((cid, kind, value, raw, label, 1 if pref else 0, self.importer))
        self.ident[(kind, value)] = cid
        if len(self.pending_ids) >= 5000:
            self.flush_small()

    def flush_small(self) -> None:
        """Queue the pending contact-path rows for the row writer, in an order that keeps
        foreign keys satisfied (contacts first)."""
        rw = self.rw
        if self.pending_contacts or self.dirty:  # first: the rows below refer to them
            made = self.made
            if self.pending_contacts:
                rows = [
                    tuple(made[c][k] for k in ROW_COLUMNS) for c in sorted(self.pending_contacts)
                ]
                rw.put(INSERT_CONTACT_SQL, [r for r in rows if r[PHOTO] is None])
                rw.put(INSERT_CONTACT_SQL, [r for r in rows if r[PHOTO] is not None])
            if self.dirty:
                rw.put_many(UPDATE_CONTACT_SQL, [
                    (*(made[c][k] for k in ROW_COLUMNS[1:]), c) for c in sorted(self.dirty)
                ])  # fmt: skip
                renamed = [c for c in sorted(self.dirty)
                           if made[c]["display_name"] != self.fts_name[c]]  # fmt: skip
                rw.put_many("DELETE FROM contact_fts WHERE rowid = ?", [(c,) for c in renamed])
            else:
                renamed = []
            for c in sorted(self.pending_contacts) + renamed:
                name = made[c]["display_name"]
                self.pending_fts.append((c, name))
                self.fts_name[c] = name
            self.pending_contacts = set()
            self.dirty = set()
        if self.pending_ids:
            rw.put(
                "INSERT OR IGNORE INTO identity (contact_id, kind, value, raw, label, pref, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                self.pending_ids,
            )
            self.pending_ids = []
        if self.pending_fts:  # normalised here, as na_norm() would (a Python call per row)
            rw.put("INSERT INTO contact_fts(rowid, name) VALUES (?, ?)",
                   [(c, normalize_for_index(n)) for c, n in self.pending_fts])  # fmt: skip
            self.pending_fts = []
        if self.pending_tags:
            rw.put(
                "INSERT OR IGNORE INTO contact_tag(contact_id, tag_id) VALUES (?, ?)",
                self.pending_tags,
            )
            self.pending_tags = []
        if self.pending_src:
            rw.put(
                "INSERT INTO contact_source (contact_id, importer, source_key, fields, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(cid, self.importer, key, stored, self.now)
                 for key, (cid, stored) in self.pending_src.items()],
            )  # fmt: skip
            self.sources.update(self.pending_src)
            self.pending_src = {}

    def norm_idents(self, identities: Iterable[Any]) -> list[tuple[str, str, Any]]:
        out = []
        for ref in identities:
            kind = "phone" if ref.kind == "whatsapp" else ref.kind
            val = normalize_identity(kind, ref.value, self.region)
            if val:
                out.append((kind, val, ref))
        return out

    def contact(self, rec: Any) -> None:
        idents = self.norm_idents(rec.identities)
        key = rec.source_key
        pending = self.pending_src.get(key)
        src: Any = None
        if pending is not None:  # the same card twice in one file
            src = (None, pending[0], pending[1])
        elif key in self.sources:
            self.rw.drain()  # its row may still be queued
            src = self.c.execute(
                "SELECT id, contact_id, fields FROM contact_source"
                " WHERE importer = ? AND source_key = ?",
                (self.importer, key),
            ).fetchone()
        name = _display_name(rec)
        fields: dict[str, Any] = {f: getattr(rec, f) or None for f in CONTACT_FIELDS}
        fields["display_name"] = name
        fields["about"] = rec.note or None
        fields["addresses"] = "\n".join(rec.addresses) or None
        fields["urls"] = "\n".join(rec.urls) or None
        cid: int | None = src[1] if src else None
        if cid is None:
            owners = {self.ident[(k, v)] for k, v, _ in idents if (k, v) in self.ident}
            # Another card's contact with a plainly different name is another person who
            # shares this phone or address (an office line, a family e-mail): not merged.
            carded = self.carded()
            owners = {o for o in owners if o not in carded or self._may_be(o, name)}
            if owners:
                cid = min(owners)
                self.r.contacts_merged += 1  # same identity ⇒ same person, merged silently
        if cid is None:
            if not name and not idents:
                self.r.problems.append((rec.where, "contact has no name and no way to reach them"))
                return
            cid = self.new_contact(
                name or "?",
                {k: v for k, v in fields.items() if k != "display_name" and v is not None},
                defer=True,
            )
            self.carded().add(cid)
        else:
            self.update_contact(cid, fields, json.loads(src[2]) if src else None)
        for kind, val, ref in idents:
            self.add_identity(cid, kind, val, ref.value, ref.label, ref.pref)
        for tag in rec.tags:
            self.tag(cid, tag)
        if rec.photo:
            row = self.made.get(cid)
            if row is None:
                self.rw.drain()
                self.c.execute(
                    "UPDATE contact SET photo = ?, photo_mime = ? WHERE id = ? AND photo IS NULL",
                    (rec.photo, rec.photo_mime, cid),
                )
            elif row["photo"] is None:
                row["photo"], row["photo_mime"] = rec.photo, rec.photo_mime
                if cid not in self.pending_contacts:
                    self.dirty.add(cid)
        # orjson: the same keys and values as json.dumps(sort_keys=True), several times faster
        try:
            stored = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS).decode("utf-8")
        except (TypeError, orjson.JSONEncodeError):  # what orjson refuses (lone surrogates)
            stored = json.dumps(fields, ensure_ascii=False, sort_keys=True)
        if pending is not None:
            pending[:] = [cid, stored]
        elif src:
            self.c.execute("UPDATE contact_source SET fields = ?, updated_at = ?, contact_id = ?"
                           " WHERE id = ?", (stored, self.now, cid, src[0]))  # fmt: skip
        else:
            self.pending_src[key] = [cid, stored]
            if len(self.pending_src) >= 5000:
                self.flush_small()
        if rec.connected_on is not None:
            self.rows.append((cid, None, "linkedin", "mutual", to_ts(rec.connected_on), "date",
                              "connected", None, 9, None, 1.0, 0, None, None,
                              f"{self.importer}:connected:{rec.source_key}"))  # fmt: skip
        self.r.touched.add(cid)

    def carded(self) -> set[int]:
        """The contacts that came from an address book (any contacts importer, or a card of
        this import): a card shares a phone or e-mail with one of them only as the same person
        (``_may_be``). Read on the first card that needs it: a chat import never does."""
        if self._carded is None:
            self.rw.drain()
            self._carded = {
                c for (c,) in self.c.execute("SELECT DISTINCT contact_id FROM contact_source").rows
            }
        return self._carded

    def _may_be(self, cid: int, name: str) -> bool:
        """Could the address-book contact ``cid`` be the person a card names ``name``?
        (``names_may_be_one``: "Мария Морозова" and "Алёна Макарова" sharing an office phone
        are two people; "Саша Петров" and "Alexander Petrov" may be one.)"""
        row = self.made.get(cid)
        if row is not None:
            other = row["display_name"]
        else:
            self.rw.drain()
            got = self.c.execute("SELECT display_name FROM contact WHERE id = ?", (cid,))
            other = got.fetchone()[0] if got.rows else ""
        return names_may_be_one(name, other or "")

    def update_contact(self, cid: int, new: dict[str, Any], last: dict[str, Any] | None) -> None:
        cols = list(new)
        row = self.made.get(cid)
        if row is not None:  # made earlier in this import: its row is in memory
            cur = [row[c] for c in cols] + [None]
        else:
            self.rw.drain()
            cur = self.c.execute(
                f"SELECT {', '.join(cols)}, user_edited FROM contact WHERE id = ?", (cid,)
            ).fetchone()
        edited = set(filter(None, (cur[-1] or "").split(",")))
        changes: dict[str, Any] = {}
        for i, col in enumerate(cols):
            v_new, v_cur = new[col], cur[i]
            if v_new in (None, "") or col in edited or v_new == v_cur:
                continue
            v_last = last.get(col) if last else None
            # fill empty fields; replace only what this same source gave last time
            if v_cur in (None, "", "?") or (last is not None and v_cur == v_last):
                changes[col] = v_new
        if changes and row is not None:
            row.update(changes)  # stored with the next batch, its FTS row too when renamed
            row["updated_at"] = self.now
            if cid not in self.pending_contacts:
                self.dirty.add(cid)
        elif changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            self.c.execute(f"UPDATE contact SET {sets}, updated_at = ? WHERE id = ?",
                           (*changes.values(), self.now, cid))  # fmt: skip
            if "display_name" in changes:
                self.flush_small()  # this contact's FTS row may still be pending
                self.rw.drain()
                self.c.execute("DELETE FROM contact_fts WHERE rowid = ?", (cid,))
                self.c.execute("INSERT INTO contact_fts(rowid, name) VALUES (?, na_norm(?))",
                               (cid, changes["display_name"]))  # fmt: skip
            if cid not in self.created:
                self.r.contacts_updated += 1

    def tag(self, cid: int, name: str) -> None:
        name = name.strip()
        if not name:
            return
        tid = self.tags.get(name)
        if tid is None:
            self.c.execute("INSERT OR IGNORE INTO tag(name) VALUES (?)", (name,))
            tid = self.c.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()[0]
            self.tags[name] = tid
        self.pending_tags.append((cid, tid))
