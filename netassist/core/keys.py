"""Encryption at rest: which key opens a home's database, and changing it.

A new database is encrypted by default with a random 256-bit key kept in the OS keyring. Where no
keyring exists, the person chooses: a passphrase (SQLCipher's KDF stretches it; asked each start or
taken from ``NETASSIST_PASSPHRASE``), or an explicitly unencrypted database
(``NETASSIST_ENCRYPTION=off`` or the GUI's choice). ``encrypt``/``decrypt``/``rekey`` rewrite the
file with ``sqlcipher_export`` into a new file and swap it in only when that succeeded.
"""

from __future__ import annotations

import contextlib
import os
import secrets as pysecrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from netassist.core import secrets
from netassist.core.db import Database, DatabaseError, key_pragma_value, raw_connect
from netassist.core.settings import database_path

SQLITE_HEADER = b"SQLite format 3\x00"


class KeyUnavailable(Exception):
    """The database cannot be opened without something the person must provide."""


def keyring_name(db_path: Path) -> str:
    return f"db-key:{db_path.resolve()}"


def new_raw_key() -> str:
    return "x'" + pysecrets.token_hex(32) + "'"


def is_encrypted(db_path: Path) -> bool:
    """True for an existing file that is not a plain SQLite database."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    with open(db_path, "rb") as fh:
        return fh.read(16) != SQLITE_HEADER


@dataclass
class KeyChoice:
    key: str | None  # None = unencrypted
    source: str  # "keyring", "passphrase", "none"
    message: str = ""  # what the person should be told (e.g. why there is no keyring)


# ask(kind, message) -> passphrase, "" for "keep it unencrypted", or None for "cancel"
Ask = Callable[[str, str], str | None]


def resolve_key(home: Path, ask: Ask | None = None) -> KeyChoice:
    db = database_path(home)
    env_pass = os.environ.get("NETASSIST_PASSPHRASE")
    if db.exists() and db.stat().st_size > 0:
        if not is_encrypted(db):
            return KeyChoice(None, "none")
        try:
            key = secrets.get_secret(keyring_name(db))
        except secrets.SecretStoreUnavailable as exc:
            key, why = None, str(exc)
        else:
            why = "the key is not in the OS keyring"
        if key:
            return KeyChoice(key, "keyring")
        if env_pass:
            return KeyChoice(env_pass, "passphrase")
        if ask is not None:
            got = ask(
                "unlock", f"The database at {db} is encrypted and {why}. Enter its passphrase."
            )
            if got:
                return KeyChoice(got, "passphrase")
        raise KeyUnavailable(
            f"{db} is encrypted and {why}; set NETASSIST_PASSPHRASE or start netassist from a"
            " terminal to type the passphrase"
        )
    # a new database
    if os.environ.get("NETASSIST_ENCRYPTION", "").lower() in ("off", "0", "no"):
        return KeyChoice(None, "none", "encryption turned off by NETASSIST_ENCRYPTION")
    try:
        key = new_raw_key()
        secrets.set_secret(keyring_name(db), key)
        return KeyChoice(key, "keyring")
    except secrets.SecretStoreUnavailable as exc:
        why = str(exc)
    if env_pass:
        return KeyChoice(env_pass, "passphrase", why)
    if ask is not None:
        got = ask(
            "new",
            f"{why[0].upper()}{why[1:]}. Choose a passphrase to encrypt your database, or continue"
            " without encryption.",
        )
        if got is None:
            raise KeyUnavailable("cancelled")
        return KeyChoice(got or None, "passphrase" if got else "none", why)
    raise KeyUnavailable(
        f"{why}. Set NETASSIST_PASSPHRASE=... to encrypt the database with a passphrase, or"
        " NETASSIST_ENCRYPTION=off to keep it unencrypted"
    )


def _export(src: Path, src_key: str | None, dst: Path, dst_key: str | None) -> None:
    if dst.exists():
        dst.unlink()
    conn = raw_connect(src, src_key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        attach_key = key_pragma_value(dst_key) if dst_key else "''"
        conn.execute(f"ATTACH DATABASE ? AS target KEY {attach_key}", (str(dst),))
        conn.execute("SELECT sqlcipher_export('target')")
        ver = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA target.user_version = {int(ver)}")
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()
    check = raw_connect(dst, dst_key)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseError("the rewritten database failed its integrity check")
    finally:
        check.close()


def _swap(db: Path, new: Path) -> None:
    """Put ``new`` in place of the database file ``db``."""
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            side.unlink()
    os.replace(new, db)


def change_key(
    home: Path,
    old_key: str | None,
    new_key: str | None,
    store: str,
    open_db: Database | None = None,
) -> None:
    """Rewrite the database under ``new_key`` (None = unencrypted); ``store`` is "keyring" to
    keep a random key in the keyring, "passphrase" when the person remembers it.

    ``open_db``: the running app's open Database on this file. The file is swapped under it
    (:meth:`Database.key_change`), so everything holding that object or its engine goes on
    with the new key. Its writers must be quiet meanwhile (the GUI runs this on its one
    database-writer thread and pauses the scheduler): a write made between the export and the
    swap would land in the replaced file."""
    db = database_path(home)
    tmp = db.with_name(db.name + ".rekey")
    _export(db, old_key, tmp, new_key)
    name = keyring_name(db)
    if store == "keyring" and new_key:
        try:
            secrets.set_secret(name, new_key)  # before the swap: never a file without its key
        except secrets.SecretStoreUnavailable:
            tmp.unlink(missing_ok=True)  # the database stays as it was
            raise
    if open_db is None:
        _swap(db, tmp)
    else:
        with open_db.key_change(new_key):
            _swap(db, tmp)
    if store != "keyring":
        with contextlib.suppress(secrets.SecretStoreUnavailable):
            secrets.delete_secret(name)


def key_for_cli(home: Path) -> str | None:
    """The key for a CLI run: keyring, NETASSIST_PASSPHRASE, or a prompt on a terminal."""
    import sys

    ask: Ask | None = None
    if sys.stdin.isatty() and sys.stderr.isatty():

        def ask(kind: str, message: str) -> str | None:
            import getpass

            print(message, file=sys.stderr)
            if kind == "new":
                choice = input("Encrypt with a passphrase? [Y/n] ").strip().lower()
                if choice in ("n", "no", "н", "нет"):
                    return ""
            first = getpass.getpass("Passphrase: ")
            if kind == "new" and getpass.getpass("Again: ") != first:
                raise KeyUnavailable("the two passphrases differ")
            return first

    try:
        return resolve_key(home, ask).key
    except KeyUnavailable as exc:
        raise DatabaseError(str(exc)) from exc


def rekey_backups(home: Path, old_key: str | None, new_key: str | None) -> tuple[int, int]:
    """Rewrite the backups made under ``old_key`` under ``new_key`` (after the database's key
    changed: otherwise encrypting would leave readable backups behind, and after a rekey the
    backups would need a key that is no longer kept anywhere). Backups that do not open with
    ``old_key`` (made under an even older key) are left as they are. Returns (rewritten, left)."""
    from netassist.core.backup import list_backups

    done = left = 0
    for b in list_backups(home):
        tmp = b.with_name(b.name + ".rekey")
        try:
            _export(b, old_key, tmp, new_key)
            conn = raw_connect(tmp, new_key)
            try:
                conn.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            finally:
                conn.close()
        except Exception:  # noqa: BLE001 - not this key (or damaged): leave it, count it
            tmp.unlink(missing_ok=True)
            left += 1
            continue
        mtime = b.stat().st_mtime  # rotation and "backups age out" go by the time it was made
        _swap(b, tmp)
        os.utime(b, (mtime, mtime))
        done += 1
    return done, left


@dataclass
class Status:
    """What the settings show about encryption."""

    encrypted: bool
    source: str  # "keyring" (a random key in the OS keyring), "passphrase" or "none"
    keyring: str | None  # the keyring backend's name; None when no keyring can be used


def status(db: Database) -> Status:
    backend = secrets.backend_name()
    if not db.encrypted:
        return Status(False, "none", backend)
    kept = None
    if backend is not None:
        with contextlib.suppress(secrets.SecretStoreUnavailable):
            kept = secrets.get_secret(keyring_name(db.path))
    return Status(True, "keyring" if kept and kept == db._key else "passphrase", backend)


@dataclass
class Converted:
    backup: Path  # the safety copy taken first (under the old key, then rewritten)
    backups_rewritten: int
    backups_left: int  # backups under another, older key: left as they were


def convert(
    home: Path,
    old_key: str | None,
    new_key: str | None,
    store: str,
    keep: int,
    open_db: Database | None = None,
) -> Converted:
    """Encrypt, decrypt or rekey (``new_key`` None = decrypt): a backup first, then the
    database, then the backups, so none is left readable without the key, or under a key
    nobody keeps. The GUI's settings and ``netassist db encrypt|decrypt|rekey`` both come here."""
    from netassist.core.backup import backup_now

    tag = "before-decrypt" if new_key is None else ("before-rekey" if old_key else "before-encrypt")
    safety = backup_now(home, old_key, keep=keep, tag=tag)
    change_key(home, old_key, new_key, store, open_db)
    done, left = rekey_backups(home, old_key, new_key)
    return Converted(safety, done, left)
