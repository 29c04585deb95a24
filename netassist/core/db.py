"""The one place where database connections are made.

``open_database(path, key=None)`` returns a :class:`Database` whose engine hands out connections
with WAL, foreign keys, a busy timeout and secure_delete on, and whose schema is upgraded to the
newest alembic revision. SQLCipher (the ``sqlcipher3`` wheel, SQLite 3.5x with FTS5) is used as
the driver whenever it is installed, encrypted or not, so the SQL dialect is the same in both
modes; the encryption issue plugs the key in here and nowhere else.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool, StaticPool
from sqlmodel import Session

from netassist.core.textnorm import normalize_for_index

log = logging.getLogger(__name__)


class DatabaseError(Exception):
    """The database cannot be opened (wrong key, not a database, newer schema...)."""


def _driver() -> Any:
    try:
        from sqlcipher3 import dbapi2  # type: ignore[import-not-found]

        return dbapi2
    except ImportError:  # pragma: no cover - platforms without the wheel
        return sqlite3


def key_pragma_value(key: str) -> str:
    """SQL for a key: a raw key ``x'<64 hex>'`` (no KDF; random keys from the keyring), or one
    with its salt ``x'<64 hex><32 hex>'`` (a derived passphrase key) is passed as is; anything
    else is a passphrase that SQLCipher stretches with its KDF."""
    if is_raw_key(key):
        return f'"{key}"'
    return "'" + key.replace("'", "''") + "'"


@dataclass
class Database:
    path: Path
    engine: Engine
    encrypted: bool
    _key: str | None = None
    # held while the file under this Database is swapped for one under another key (see
    # :meth:`key_change`): new connections wait, then open with the new key
    _gate: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    # A passphrase's key derived once (see derived_raw_key): SQLCipher would otherwise repeat
    # its 256,000-round KDF on every new connection (~0.25 s of CPU each, and a start or an
    # import opens a dozen). None: not derived (yet), or the key is raw already.
    _raw: str | None = field(default=None, repr=False, compare=False)
    # derivation tried on a salted file: not again (a file made with other KDF settings would
    # otherwise pay our PBKDF2 and SQLCipher's on every connection)
    _raw_tried: bool = field(default=False, repr=False, compare=False)

    def _connect(self) -> Any:
        with self._gate:
            key = self._key
            if not self._raw_tried and key is not None and not is_raw_key(key):
                self._raw = derived_raw_key(self.path, key)
                self._raw_tried = self._raw is not None or _has_salt(self.path)
            return raw_connect(self.path, self._raw or key)

    @contextmanager
    def key_change(self, new_key: str | None) -> Iterator[None]:
        """Swap the file under this open Database (``keys.change_key``): inside the block no new
        connection is made and the pooled ones are closed; after it, every connection (the
        engine's, ``raw()``'s, and so anyone holding this object or its engine, such as the
        scheduler's job store) opens with ``new_key``. On an exception the key stays as it was."""
        with self._gate:
            self.engine.dispose()
            yield
            self._key = new_key
            self._raw, self._raw_tried = None, False  # a new file: a new salt
            self.encrypted = new_key is not None
            self.engine.dispose()

    def raw(self) -> Any:
        """A new DB-API connection (autocommit; callers BEGIN/COMMIT) for bulk work."""
        return self._connect()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def connect(self) -> Iterator[Any]:
        """A SQLAlchemy Connection in one transaction (committed on success)."""
        with self.engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def is_raw_key(key: str) -> bool:
    return re.fullmatch(r"x'[0-9a-fA-F]{64}(?:[0-9a-fA-F]{32})?'", key) is not None


def _salt(path: Path) -> bytes | None:
    """An encrypted file's salt (its first 16 bytes), None for a new, empty or plain file."""
    try:
        with open(path, "rb") as fh:
            salt = fh.read(16)
    except OSError:
        return None
    return None if len(salt) < 16 or salt.startswith(b"SQLite format 3") else salt


def _has_salt(path: Path) -> bool:
    return _salt(path) is not None


def derived_raw_key(path: Path, passphrase: str) -> str | None:
    """SQLCipher 4's own derivation of a passphrase's key (PBKDF2-HMAC-SHA512, 256,000 rounds,
    the file's first 16 bytes as salt), as a raw key with that salt, ``x'<key><salt>'``; checked
    by opening the file with it. None when the file has no salt yet (new and empty) or the key
    does not open it (other KDF settings): connections then pass the passphrase itself."""
    import hashlib

    salt = _salt(path)
    if salt is None:
        return None
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, 256_000, 32)
    raw = f"x'{key.hex()}{salt.hex()}'"
    try:
        raw_connect(path, raw).close()
    except DatabaseError:
        return None
    return raw


def raw_connect(path: Path, key: str | None = None) -> Any:
    """A DB-API connection with the project's pragmas; used by the engine and by backups."""
    drv = _driver()
    if key is not None and drv is sqlite3:
        raise DatabaseError("encryption needs the sqlcipher3 package, which is not installed")
    conn = drv.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
    if drv is not sqlite3:
        conn.execute("PRAGMA cipher_log_level = NONE")  # errors reach the user as one line
    if key is not None:
        conn.execute(f"PRAGMA key = {key_pragma_value(key)}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except drv.DatabaseError as exc:
        conn.close()
        hint = "wrong key, or not a netassist database" if key else "encrypted or not a database"
        raise DatabaseError(f"cannot open {path}: {hint} ({exc})") from exc
    # The index normaliser as a SQL function, so FTS rows can be filled set-wise in SQL.
    conn.create_function("na_norm", 1, normalize_for_index, deterministic=True)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA secure_delete = ON")  # forgotten data is overwritten, not just unlinked
    conn.execute("PRAGMA synchronous = NORMAL")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    return conn


def make_engine(
    path: Path, key: str | None = None, creator: Callable[[], Any] | None = None
) -> Engine:
    drv = _driver()
    if creator is None:

        def creator() -> Any:
            return raw_connect(path, key)

    # The URL carries no path (connections come from ``creator``), which would make SQLAlchemy
    # pick SingletonThreadPool, one connection per thread that it closes under other threads
    # once more than five threads have asked: a crash with the GUI's worker pools. A QueuePool
    # hands each checkout to one thread at a time.
    memory = str(path) == ":memory:"
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=creator,
        module=drv,
        poolclass=StaticPool if memory else QueuePool,
        **({} if memory else {"pool_size": 4, "max_overflow": 8, "pool_timeout": 60}),
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # pragma: no cover - trivial
        # pysqlite's own transaction handling defers BEGIN; emit it so reads and writes in one
        # transaction see one snapshot and an import is all-or-nothing.
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _begin)

    return engine


def open_database(path: Path | str, key: str | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at ``path`` and upgrade its schema."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path=path, engine=None, encrypted=key is not None, _key=key)  # type: ignore[arg-type]
    db._connect().close()  # fail early, with a clear error, on a wrong key (deriving it once)
    db.engine = make_engine(path, creator=db._connect)  # the key is read at each connect
    if migrate:
        from netassist.core.migrate import upgrade

        upgrade(db)
        recover_unfinished_imports(db)
    return db


def recover_unfinished_imports(db: Database) -> int:
    """Mark import runs left "running" by a process that died as failed. Their rows were never
    committed (an import is one transaction), so the database holds none of them. Skipped while
    another process holds the write lock (its import may be live)."""
    conn = db.raw()
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except Exception:
            return 0
        cur = conn.execute(
            "UPDATE import_run SET status = 'failed', message = 'interrupted: netassist stopped"
            " before this import finished; nothing from it was kept' WHERE status = 'running'"
        )
        conn.execute("COMMIT")
        return int(cur.rowcount or 0)
    finally:
        conn.close()
