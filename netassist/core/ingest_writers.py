"""The writer threads of an import (see ``netassist.core.ingest``): SQLite runs without the GIL
while it inserts, indexes and encrypts, so rows are stored on a thread of their own while the
importer goes on parsing and resolving on the other core.

``InteractionWriter`` stores interaction batches and fills their FTS rows; ``RowWriter`` stores the
contact path's batches (contacts, identities, the name index, tags, sources) in the order they
were put; ``LockedConnection`` is the import's one connection as the resolving thread sees it
(every statement under the writers' lock).
"""

from __future__ import annotations

import queue
import threading
from typing import Any, NamedTuple

import orjson

from netassist.core.textnorm import SQL_NORM

FTS_TEXT = "coalesce(subject, '') || ' ' || coalesce(text, '')"
INSERT_SQL = (
    "INSERT OR IGNORE INTO interaction (contact_id, conversation_id, channel, direction,"
    " occurred_at, tz_status, text, subject, length, duration_s, weight, attachments,"
    " message_id, reply_to, fingerprint, import_run_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {run})"
)
# set-wise, in SQL: the tokenizer casefolds, replace() folds ё→е — the same normalisation as
# normalize_for_index, without a Python call per row
# The same insert as ONE statement per batch: the rows travel as a JSON array (orjson) and
# json_each unpacks them inside SQLite, so the whole batch runs without the GIL. executemany
# takes the GIL back after every row, and the parsing thread then holds it for a switch
# interval each time: the two threads would not overlap. Each ``value->>k`` costs about as much
# as the insert itself, so a column holding one value across the batch (channel, time-zone
# status, conversation, weight... in a chat export) goes as a bound parameter instead.
COLUMNS = (
    "contact_id", "conversation_id", "channel", "direction", "occurred_at", "tz_status", "text",
    "subject", "length", "duration_s", "weight", "attachments", "message_id", "reply_to",
    "fingerprint",
)  # fmt: skip


def rows_source(conn: Any) -> str:
    """The table-valued function that unpacks a batch's JSON array of rows: ``jsonb_each`` over
    the batch converted to SQLite's binary JSON once where SQLite has it (3.45+, the SQLCipher
    wheel), so each ``value->>k`` reads a parsed row instead of parsing the row's text again
    (300k chat rows: 1.97 -> 1.09 s of insert); ``json_each`` on older SQLite."""
    version = conn.execute("SELECT sqlite_version()").fetchone()[0]
    if tuple(int(x) for x in version.split(".")[:2]) >= (3, 45):
        return "jsonb_each(jsonb(CAST(? AS TEXT)))"
    return "json_each(CAST(? AS TEXT))"


def insert_json_sql(
    constant: tuple[bool, ...], run_sql: str, source: str = "json_each(CAST(? AS TEXT))"
) -> str:
    """The batch insert for rows whose columns flagged in ``constant`` are bound as parameters
    (in column order, before the JSON of the other columns); ``source`` from ``rows_source``."""
    assert len(constant) == len(COLUMNS)
    exprs, k = [], 0
    for const in constant:
        if const:
            exprs.append("?")
        else:
            exprs.append(f"value->>{k}")
            k += 1
    return (
        f"INSERT OR IGNORE INTO interaction ({', '.join(COLUMNS)}, import_run_id)"
        f" SELECT {', '.join(exprs)}, {run_sql} FROM {source}"
    )


FTS_SQL = (
    f"INSERT INTO interaction_fts(rowid, text) SELECT id, {SQL_NORM.format(FTS_TEXT)}"
    " FROM interaction WHERE id > ? AND (text IS NOT NULL OR subject IS NOT NULL)"
)


class LockedConnection:
    """The import's connection as the resolving thread sees it: every statement runs (and is
    fully fetched) under the lock the writer holds while it stores a batch, so the two threads
    never interleave statements on the one connection."""

    def __init__(self, conn: Any, lock: threading.Lock) -> None:
        self.conn = conn
        self.lock = lock

    def execute(self, sql: str, params: Any = ()) -> Fetched:
        with self.lock:
            cur = self.conn.execute(sql, params)
            return Fetched(cur.fetchall(), cur.lastrowid)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self.lock:
            self.conn.executemany(sql, rows)


class Fetched:
    __slots__ = ("rows", "lastrowid")

    def __init__(self, rows: list[Any], lastrowid: int | None) -> None:
        self.rows = rows
        self.lastrowid = lastrowid

    def fetchone(self) -> Any:
        return self.rows[0] if self.rows else None


class _Batch(NamedTuple):
    sql: str
    args: tuple[Any, ...] | None  # one execute: constant columns, then the JSON of the others
    rows: list[tuple[Any, ...]] | None  # executemany (rows orjson refused)


class InteractionWriter:
    """Stores batches of interaction rows (and their FTS rows) on its own thread.

    A bounded queue (two batches) keeps memory flat when parsing outruns the disk. Rows refer to
    contacts and conversations the resolving thread inserted before it queued them, on the same
    connection and transaction, so constraints hold. An error stops the writing; it is raised
    in the resolving thread at its next ``put`` or at ``close``.
    """

    def __init__(self, conn: Any, lock: threading.Lock, run_id: int | None, after_id: int) -> None:
        self.conn = conn
        self.lock = lock
        self.sql = INSERT_SQL.format(run=int(run_id or 0) or "NULL")
        self.run_sql = str(int(run_id or 0) or "NULL")
        self.sql_json: dict[tuple[bool, ...], str] = {}
        with lock:
            self.source = rows_source(conn)
        self.after_id = after_id  # FTS rows exist for every interaction id up to this one
        self.added = 0
        self.queued = 0
        self.error: BaseException | None = None
        self.stopped = False
        self.q: queue.Queue[_Batch | None] = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            batch = self.q.get()
            if batch is None:
                return
            if self.error is not None or self.stopped:
                continue  # keep draining so the resolving thread never blocks on put
            try:
                self._store(batch)
            except BaseException as exc:  # noqa: BLE001 - handed to the resolving thread
                self.error = exc

    def _prepare(self, rows: list[tuple[Any, ...]]) -> _Batch:
        """The statement and its arguments for one batch. Runs on the resolving thread (in
        ``put``): the writer thread then needs the GIL only to start and end its one statement;
        Python work on the writer thread waits for the parsing thread's GIL switch interval at
        every turn, which stretched each batch."""
        cols = list(zip(*rows, strict=True))  # C-level transpose: a few ms per batch
        try:
            # a column is constant when it holds one value of one type (1, 1.0 and True are
            # equal; the type check keeps them apart)
            n = len(rows)
            constant = tuple(c.count(c[0]) == n and len(set(map(type, c))) == 1 for c in cols)
            params = [c[0] for c, const in zip(cols, constant, strict=True) if const]
            varying = [c for c, const in zip(cols, constant, strict=True) if not const]
            batch = orjson.dumps(list(zip(*varying, strict=True)) if varying else [0] * n)
        except (TypeError, orjson.JSONEncodeError):  # what orjson refuses goes as before
            return _Batch(self.sql, None, rows)
        sql = self.sql_json.get(constant)
        if sql is None:
            sql = self.sql_json[constant] = insert_json_sql(constant, self.run_sql, self.source)
        # orjson's UTF-8 bytes go in as they are (a blob, read as text by the CAST): no decoding
        # to str here and encoding back in the driver
        return _Batch(sql, (*params, batch), None)

    def _store(self, b: _Batch) -> None:
        with self.lock:
            if b.rows is None:
                cur = self.conn.execute(b.sql, b.args)
            else:
                cur = self.conn.executemany(b.sql, b.rows)
            n = cur.rowcount if cur.rowcount is not None and cur.rowcount >= 0 else 0
            self.added += n
            if n:
                self.conn.execute(FTS_SQL, (self.after_id,))
                self.after_id = self.conn.execute("SELECT max(id) FROM interaction").fetchone()[0]

    def put(self, rows: list[tuple[Any, ...]]) -> None:
        if self.error is not None:
            raise self.error
        self.queued += len(rows)
        self.q.put(self._prepare(rows))

    def close(self) -> None:
        """Wait until every queued row is stored; raise the writer's error, if any."""
        if self.thread.is_alive():
            self.q.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        """Stop without storing what is still queued (the transaction is rolled back next)."""
        self.stopped = True
        if self.thread.is_alive():
            self.q.put(None)
            self.thread.join()


def _json_insert(sql: str, source: str = "json_each(CAST(? AS TEXT))") -> str:
    """The same INSERT with its rows as one JSON array unpacked by ``source`` (see the comment
    above COLUMNS: one statement runs without the GIL, executemany takes it back every row)."""
    head, _, values = sql.partition(" VALUES (")
    n = values.count("?")
    return f"{head} SELECT {', '.join(f'value->>{i}' for i in range(n))} FROM {source}"


class RowWriter:
    """Stores the contact path's batches (contacts, identities, name index, tags, sources) on
    its own thread, in the order they were put, while the importer goes on parsing. Rows that
    JSON cannot carry (photos, odd text) go with executemany. The resolving thread calls
    ``drain`` before it reads what it may have queued, and before interactions that may refer
    to queued contacts are stored; an error is raised there (or at ``put``)."""

    def __init__(self, conn: Any, lock: threading.Lock) -> None:
        self.conn = conn
        self.lock = lock
        self.error: BaseException | None = None
        self.stopped = False
        self.q: queue.Queue[tuple[str, Any, bool] | None] = queue.Queue(maxsize=8)
        with lock:  # the interaction writer's thread may already run on this connection
            self.source = rows_source(conn)
        self.thread = threading.Thread(target=self._run, name="ingest-rows", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            job = self.q.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.stopped:
                    sql, rows, as_json = job
                    with self.lock:
                        if as_json:
                            self.conn.execute(sql, (rows,))
                        else:
                            self.conn.executemany(sql, rows)
            except BaseException as exc:  # noqa: BLE001 - handed to the resolving thread
                self.error = exc
            finally:
                self.q.task_done()

    def put(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if self.error is not None:
            raise self.error
        if not rows:
            return
        try:
            self.q.put((_json_insert(sql, self.source), orjson.dumps(rows), True))
        except (TypeError, orjson.JSONEncodeError):
            self.q.put((sql, rows, False))

    def put_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Rows for executemany as they are (UPDATE, DELETE)."""
        if self.error is not None:
            raise self.error
        if rows:
            self.q.put((sql, rows, False))

    def drain(self) -> None:
        """Wait until everything put so far is stored; raise the writer's error, if any."""
        self.q.join()
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        if self.thread.is_alive():
            self.q.put(None)
            self.thread.join()

    def abort(self) -> None:
        self.stopped = True
        self.close()
