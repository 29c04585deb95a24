"""Records → identities → contacts → rows, in ONE transaction per import.

Identity resolution: an identity already known (same kind and normalised value) means the same
contact, silently. A party known only by name is matched to the one contact with that exact
display name, else remembered as a per-channel name identity ("whatsapp:маша") so re-imports map
to the same contact. Anything fuzzier is left to ``netassist.core.dedupe`` as review candidates.

Interactions are deduplicated by fingerprint (UNIQUE index, INSERT OR IGNORE), so importing the
same or an overlapping file again adds nothing. When an importer changes how it keys a
conversation, it names the former keys (``FormerConversationKeys``) and the stored rows move to
the new key first (``_Ingest.rekey``). Rows go in as batches on writer threads
(``netassist.core.ingest_writers``: one JSON-array statement per batch, no GIL while SQLite
inserts, encrypts and indexes) while the importer goes on parsing, so a file's parse and its
store overlap on two cores. The FTS index is filled set-wise in SQL after each batch.
The whole import, its run record included, uses ONE connection (with a passphrase, every new
connection pays SQLCipher's key derivation).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from netassist.core.db import Database
from netassist.core.ingest_contacts import ROW_COLUMNS, ContactPath, _name_key, _sql_default
from netassist.core.ingest_writers import InteractionWriter, LockedConnection, RowWriter
from netassist.core.progress import Cancelled, NullProgress, Progress
from netassist.core.records import (
    FormerConversationKeys,
    ImportedContact,
    ImportedInteraction,
    ImportProblem,
    MeHint,
    SkippedMessages,
)
from netassist.core.timeutil import now_ts

log = logging.getLogger(__name__)

BATCH = 20000


@dataclass
class ImportResult:
    file: str
    importer: str
    run_id: int | None = None
    status: str = "ok"
    records: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0
    contacts_merged: int = 0
    interactions_added: int = 0
    duplicates_skipped: int = 0
    skipped: int = 0  # interactions whose only counterpart is me
    # messages the importer left out on purpose, by reason (SkippedMessages): not problems
    left_out: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)
    me_hints: list[MeHint] = field(default_factory=list)  # as the importer gave them, in order
    error: str | None = None
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "importer": self.importer,
            "status": self.status,
            "run_id": self.run_id,
            "records": self.records,
            "contacts_created": self.contacts_created,
            "contacts_updated": self.contacts_updated,
            "contacts_merged": self.contacts_merged,
            "interactions_added": self.interactions_added,
            "duplicates_skipped": self.duplicates_skipped,
            "left_out": dict(sorted(self.left_out.items())),
            "problems": [{"where": w, "reason": r} for w, r in self.problems],
            "dry_run": self.dry_run,
        }


class _Ingest(ContactPath):
    def __init__(self, db: Database, conn: Any, result: ImportResult, importer: str,
                 region: str, progress: Progress) -> None:  # fmt: skip
        self.db = db
        self.c = conn
        self.r = result
        self.importer = importer
        self.region = region
        self.progress = progress
        self.now = now_ts()
        self.ident: dict[tuple[str, str], int] = {
            (k, v): cid
            for k, v, cid in conn.execute("SELECT kind, value, contact_id FROM identity")
        }
        self.me_id: int | None = None
        row = conn.execute("SELECT id FROM contact WHERE is_me = 1 ORDER BY id LIMIT 1").fetchone()
        if row:
            self.me_id = row[0]
        self.names: dict[str, list[int]] = {}
        for cid, name in conn.execute("SELECT id, display_name FROM contact WHERE is_me = 0"):
            key = _name_key(name or "")
            if key:
                self.names.setdefault(key, []).append(cid)
        self.convs: dict[str, int] = {}
        self.party_cache: dict[Any, int | None] = {}
        self.party_by_id: dict[int, tuple[Any, str, int | None]] = {}
        self.rows: list[tuple[Any, ...]] = []
        self.last_when: Any = None  # the last occurred_at seen and its epoch seconds
        self.last_ts = 0
        self.touched_add = result.touched.add
        self.created: set[int] = set()
        max_id = conn.execute("SELECT coalesce(max(id), 0) FROM interaction").fetchone()[0]
        lock = threading.Lock()
        self.writer = InteractionWriter(conn, lock, result.run_id, max_id)
        self.c = LockedConnection(
            conn, lock
        )  # from here on the writer thread shares the connection
        # identity and contact-name FTS rows are written in batches: nothing reads them back
        # during the import (self.ident is the authority), except update_contact's FTS delete,
        # which flushes first
        self.pending_ids: list[tuple[Any, ...]] = []
        self.pending_fts: list[tuple[int, str]] = []
        self.rw = RowWriter(conn, lock)
        # The contact path (address books) keeps the rows of the contacts it makes in memory
        # for the whole import and writes them in batches: contacts get their ids here (max + 1,
        # as SQLite would: the import holds the write lock), and a card merged into a contact
        # made earlier in the same file changes that row in memory (written with the next
        # batch) instead of reading and writing the database. Sources and tags are looked up in
        # dicts loaded once, not with a statement per card.
        self.next_cid = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM contact").fetchone()[0]
        self.defaults = {
            name: _sql_default(dflt)
            for _, name, _, _, dflt, _ in conn.execute("PRAGMA table_info(contact)")
            if name in ROW_COLUMNS
        }
        self.made: dict[int, dict[str, Any]] = {}  # contact id → its full row
        self.fts_name: dict[int, str] = {}  # the name its FTS row was made from
        self.pending_contacts: set[int] = set()  # made, not stored yet
        self.dirty: set[int] = set()  # stored, changed since
        self.sources: set[str] = {
            k for (k,) in conn.execute(
                "SELECT source_key FROM contact_source WHERE importer = ?", (importer,))
        }  # fmt: skip
        self.pending_src: dict[str, list[Any]] = {}  # source_key → [contact id, fields JSON]
        self._carded: set[int] | None = None  # see ContactPath.carded
        self.tags: dict[str, int] = {n: i for i, n in conn.execute("SELECT id, name FROM tag")}
        self.pending_tags: list[tuple[int, int]] = []

    def me(self, hint: Any) -> None:
        if self.me_id is None:
            self.me_id = self.new_contact(hint.name or "me", is_me=True)
        for kind, val, ref in self.norm_idents(hint.identities):
            if (kind, val) not in self.ident:
                self.add_identity(self.me_id, kind, val, ref.value)
        if hint.name:
            key = f"name:{_name_key(hint.name)}"
            self.add_identity(self.me_id, "me_name", key, hint.name)

    # -- interactions ---------------------------------------------------------------------
    def party(self, p: Any, channel: str) -> int | None:
        # Importers reuse one Party object per author, so the hot path is a lookup by id();
        # the cached object is kept alive (and compared) so an id is never reused wrongly.
        hit = self.party_by_id.get(id(p))
        if hit is not None and hit[0] is p and hit[1] == channel:
            return hit[2]
        key = (p, channel)
        if key in self.party_cache:
            cid = self.party_cache[key]
        else:
            cid = self._resolve_party(p, channel)
            self.party_cache[key] = cid
        self.party_by_id[id(p)] = (p, channel, cid)
        return cid

    def _resolve_party(self, p: Any, channel: str) -> int | None:
        idents = self.norm_idents(p.identities)
        for kind, val, _ in idents:
            if (kind, val) in self.ident:
                cid = self.ident[(kind, val)]
                break
        else:
            cid = None
            nkey = _name_key(p.name or "")
            if idents:
                # unknown addresses are a new person even when the display name matches
                # someone: same-name different-data goes to the review list, not a merge
                cid = self.new_contact(p.name or idents[0][2].value)
            elif nkey:
                if self.me_id is not None and ("me_name", f"name:{nkey}") in self.ident:
                    return self.me_id
                chan_key = ("name", f"{channel}:{nkey}")
                if chan_key in self.ident:
                    cid = self.ident[chan_key]
                elif len(self.names.get(nkey, ())) == 1:
                    cid = self.names[nkey][0]
                else:
                    cid = self.new_contact(p.name or "")
                self.add_identity(cid, "name", f"{channel}:{nkey}", p.name or "")
            else:
                return None
        for kind, val, ref in idents:
            self.add_identity(cid, kind, val, ref.value, ref.label, ref.pref)
        return cid

    def conversation(self, rec: Any) -> int | None:
        key = rec.conversation_key
        if not key:
            return None
        cid = self.convs.get(key)
        if cid is None:
            self.c.execute("INSERT OR IGNORE INTO conversation(key, kind, channel, title)"
                           " VALUES (?, ?, ?, ?)",
                           (key, rec.conversation_kind, rec.channel, rec.conversation_title))  # fmt: skip
            cid = self.c.execute("SELECT id FROM conversation WHERE key = ?", (key,)).fetchone()[0]
            self.convs[key] = cid
        return cid

    def rekey(self, rec: FormerConversationKeys) -> None:
        """Rows stored under a former key of this conversation move to its key: the
        conversation row (or, when both exist, the rows to the new one) and the fingerprints'
        prefix. A row whose new fingerprint is already stored (the same message imported under
        both keys earlier) stays where it is."""
        new = rec.conversation_key
        if new in self.convs:  # its messages came first: rows may be on their way, leave all
            return
        for old in dict.fromkeys(rec.former):
            if old == new or old in self.convs:
                continue
            row = self.c.execute("SELECT id FROM conversation WHERE key = ?", (old,)).fetchone()
            if row is None:
                continue
            old_id = row[0]
            cur = self.c.execute("SELECT id FROM conversation WHERE key = ?", (new,)).fetchone()
            if cur is None:
                self.c.execute("UPDATE conversation SET key = ? WHERE id = ?", (new, old_id))
                new_id = old_id
            else:
                new_id = cur[0]
            self.c.execute(
                "UPDATE OR IGNORE interaction SET fingerprint = ? || substr(fingerprint, ?),"
                " conversation_id = ? WHERE conversation_id = ? AND substr(fingerprint, 1, ?) = ?",
                (new, len(old) + 1, new_id, old_id, len(old), old),
            )

    def interaction(self, rec: Any) -> None:
        cps = rec.counterparts
        channel = rec.channel
        if len(cps) == 1:  # the common case, kept lean: a million messages pass through here
            p = cps[0]
            hit = self.party_by_id.get(id(p))  # party()'s fast path, inlined
            if hit is not None and hit[0] is p and hit[1] == channel:
                cid = hit[2]
            else:
                cid = self.party(p, channel)
            if cid is None or cid == self.me_id:
                self.r.skipped += 1
                return
            if p.role != "cc":  # one counterpart, full weight: the row without a loop
                key = rec.conversation_key
                conv = self.convs.get(key) if key else None
                if key and conv is None:
                    conv = self.conversation(rec)
                when = rec.occurred_at
                if when is not self.last_when:  # chats share one datetime per second or minute
                    self.last_when, self.last_ts = when, int(when.timestamp())
                text = rec.text
                rows = self.rows
                rows.append((cid, conv, channel, rec.direction, self.last_ts, rec.tz_status, text,
                             rec.subject, len(text) if text else 0, rec.duration_s,
                             rec.weight * 1.0, rec.attachments, rec.message_id, rec.reply_to,
                             rec.fingerprint))  # fmt: skip
                self.touched_add(cid)
                if len(rows) >= BATCH:
                    self.flush()
                return
            targets = [(cid, 0.5)]
        else:
            targets = []
            for p in cps:
                cid = self.party(p, channel)
                if cid is not None and cid != self.me_id:
                    targets.append((cid, 0.5 if p.role == "cc" else 1.0))
            if not targets:
                if cps:
                    self.r.skipped += 1
                else:
                    self.r.problems.append(
                        (rec.where, "message has no counterpart to attribute it to")
                    )
                return
        key = rec.conversation_key
        conv = self.convs.get(key) if key else None
        if key and conv is None:
            conv = self.conversation(rec)
        ts = int(rec.occurred_at.timestamp())
        text = rec.text
        length = len(text) if text else 0
        many = len(targets) > 1
        rows = self.rows
        for cid, role_w in targets:
            fp = f"{rec.fingerprint}#{cid}" if many else rec.fingerprint
            rows.append((cid, conv, channel, rec.direction, ts, rec.tz_status, text, rec.subject,
                         length, rec.duration_s, rec.weight * role_w, rec.attachments,
                         rec.message_id, rec.reply_to, fp))  # fmt: skip
            self.touched_add(cid)
        if len(rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.pending_contacts:  # the rows may refer to contacts still in memory
            self.flush_small()
        self.rw.drain()  # or queued
        self.writer.put(self.rows)
        self.rows = []

    def finish(self) -> None:
        """Store what is left and wait for the writer; the counts are final after this."""
        self.flush_small()
        self.rw.drain()
        self.rw.close()
        self.flush()
        self.writer.close()
        self.r.interactions_added += self.writer.added
        self.r.duplicates_skipped += self.writer.queued - self.writer.added


def _start_run(conn: Any, source: str, importer: str) -> int:
    """The run record, committed on its own before the import's transaction begins (a process
    that dies mid-import leaves it "running"; the next start marks it failed)."""
    cur = conn.execute(
        "INSERT INTO import_run (source, importer, started_at, status, records,"
        " contacts_created, contacts_updated, contacts_merged, interactions_added,"
        " duplicates_skipped, problem_count, message)"
        " VALUES (?, ?, ?, 'running', 0, 0, 0, 0, 0, 0, 0, '')",
        (source, importer, now_ts()),
    )
    return int(cur.lastrowid)


def _finish_run(conn: Any, r: ImportResult) -> None:
    conn.execute("BEGIN")
    try:
        conn.execute(
            "UPDATE import_run SET finished_at = ?, status = ?, records = ?, contacts_created = ?,"
            " contacts_updated = ?, contacts_merged = ?, interactions_added = ?,"
            " duplicates_skipped = ?, problem_count = ?, message = ? WHERE id = ?",
            (now_ts(), r.status, r.records, r.contacts_created, r.contacts_updated,
             r.contacts_merged, r.interactions_added, r.duplicates_skipped, len(r.problems),
             r.error or "", r.run_id),
        )  # fmt: skip
        conn.executemany(
            'INSERT INTO import_problem (run_id, "where", reason) VALUES (?, ?, ?)',
            [(r.run_id, w, reason) for w, reason in r.problems],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def ingest(
    db: Database,
    records: Iterable[Any],
    *,
    source: str,
    importer: str,
    default_region: str = "RU",
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Store records from one file in one transaction; return the counts and problems.

    Cancellation (``progress.is_cancelled()``) or any unexpected error rolls the whole import
    back; the import run then says so. Problems in single records never stop the import.
    """
    progress = progress or NullProgress()
    result = ImportResult(file=source, importer=importer, dry_run=dry_run)
    conn = db.raw()
    try:
        if not dry_run:
            result.run_id = _start_run(conn, source, importer)
        _run(conn, db, records, result, importer, default_region, progress, dry_run)
        if not dry_run:
            _finish_run(conn, result)
    finally:
        conn.close()
    return result


def _run(conn: Any, db: Database, records: Iterable[Any], result: ImportResult, importer: str,
         region: str, progress: Progress, dry_run: bool) -> None:  # fmt: skip
    conn.execute("PRAGMA cache_size = -65536")
    ing: _Ingest | None = None
    try:
        conn.execute("BEGIN IMMEDIATE")
        ing = _Ingest(db, conn, result, importer, region, progress)
        interaction = ing.interaction
        is_cancelled = progress.is_cancelled
        for n, rec in enumerate(records, 1):
            if not n % 5000 and is_cancelled():
                raise Cancelled()
            if isinstance(rec, ImportedInteraction):
                result.records += 1
                interaction(rec)
            elif isinstance(rec, ImportedContact):
                result.records += 1
                ing.contact(rec)
            elif isinstance(rec, ImportProblem):
                result.problems.append((rec.where, rec.reason))
            elif isinstance(rec, MeHint):
                result.me_hints.append(rec)
                ing.me(rec)
            elif isinstance(rec, FormerConversationKeys):
                ing.rekey(rec)
            elif isinstance(rec, SkippedMessages):
                result.left_out[rec.reason] = result.left_out.get(rec.reason, 0) + rec.count
        ing.finish()
        if dry_run:
            conn.execute("ROLLBACK")
        else:
            conn.execute("COMMIT")
    except Cancelled:
        if ing is not None:
            ing.writer.abort()
            ing.rw.abort()
        conn.execute("ROLLBACK")
        result.status = "cancelled"
        result.error = "cancelled by the user; nothing from this file was kept"
        _reset_counts(result)
    except Exception as exc:
        if ing is not None:
            ing.writer.abort()
            ing.rw.abort()
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        # no message text or addresses in logs: the type and the line are enough to debug
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
        log.error("import of a %s file failed: %s at %s", importer, type(exc).__name__, where)
        result.status = "failed"
        result.error = f"{type(exc).__name__}: {exc}"
        _reset_counts(result)
    except BaseException:  # KeyboardInterrupt, SystemExit: stop the writer, keep nothing
        if ing is not None:
            ing.writer.abort()
            ing.rw.abort()
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _reset_counts(r: ImportResult) -> None:
    r.contacts_created = r.contacts_updated = r.contacts_merged = 0
    r.interactions_added = r.duplicates_skipped = 0
    r.left_out = {}
    r.touched = set()


def fingerprint(*parts: object) -> str:
    """A stable fingerprint for records without a source id."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(str(p).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()
