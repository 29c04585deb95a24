"""Encryption at rest, keys, backups and recovery — on real SQLCipher files."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from netassist.cli import main
from netassist.core import contacts as svc
from netassist.core import keys
from netassist.core.backup import backup_now, list_backups, restore, verify
from netassist.core.db import DatabaseError, open_database, raw_connect
from netassist.core.settings import database_path

SECRET = "квартальныйотчётсекрет"


def _fill(home: Path) -> None:
    key = keys.resolve_key(home).key
    db = open_database(database_path(home), key)
    cid = svc.add_contact(db, "Олег Тайный", identities=[("email", "oleg@example.ru")])
    svc.log_interaction(db, cid, "note", 1_700_000_000, SECRET)
    db.dispose()


def _raw(home: Path) -> bytes:
    p = database_path(home)
    data = p.read_bytes()
    wal = p.with_name(p.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_new_database_is_encrypted_by_default(home: Path) -> None:
    _fill(home)
    raw = _raw(home)
    assert not raw.startswith(b"SQLite format 3")
    assert SECRET.encode() not in raw and "Олег".encode() not in raw
    assert b"oleg@example.ru" not in raw
    assert keys.is_encrypted(database_path(home))


def test_wrong_key_is_refused_with_a_clear_error(home: Path) -> None:
    _fill(home)
    with pytest.raises(DatabaseError, match="wrong key"):
        open_database(database_path(home), "x'" + "00" * 32 + "'")
    with pytest.raises(DatabaseError):
        open_database(database_path(home), None)


def test_no_keyring_explains_and_offers_fallbacks(home: Path, monkeypatch) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(keys.KeyUnavailable, match="NETASSIST_PASSPHRASE") as exc:
        keys.resolve_key(home)
    assert "no OS keyring" in str(exc.value)
    # the person chooses a passphrase
    choice = keys.resolve_key(home, ask=lambda kind, msg: "correct horse battery")
    assert choice.source == "passphrase" and "keyring" in choice.message
    # or an explicitly unencrypted database
    monkeypatch.setenv("NETASSIST_ENCRYPTION", "off")
    assert keys.resolve_key(home).key is None


def test_passphrase_database_roundtrip(home: Path, monkeypatch) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("NETASSIST_PASSPHRASE", "длинная фраза-пароль")
    _fill(home)
    assert SECRET.encode() not in _raw(home)
    db = open_database(database_path(home), keys.resolve_key(home).key)
    assert svc and db.raw().execute("SELECT count(*) FROM contact").fetchone()[0] == 1
    db.dispose()


def test_cli_encrypt_decrypt_rekey(home: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NETASSIST_ENCRYPTION", "off")
    assert main(["contacts", "add", "Plain Person", "--email", "p@x.org"]) == 0
    assert database_path(home).read_bytes().startswith(b"SQLite format 3")
    assert main(["backup"]) == 0  # an unencrypted backup, made before
    capsys.readouterr()
    assert main(["db", "encrypt"]) == 0
    out = capsys.readouterr().out
    assert "backup taken first" in out and "before-encrypt" in out
    assert "2 backup(s) rewritten under the new key" in out
    assert keys.is_encrypted(database_path(home))
    # no backup left readable without the key
    assert all(keys.is_encrypted(b) for b in list_backups(home))
    key = keys.resolve_key(home).key
    assert main(["db", "rekey"]) == 0
    # the old key opens neither the database nor a backup any more
    for f in (database_path(home), *list_backups(home)):
        with pytest.raises(DatabaseError):
            raw_connect(f, key).close()
    for b in list_backups(home):
        verify(b, keys.resolve_key(home).key)
    assert main(["contacts", "list", "--json"]) == 0
    capsys.readouterr()
    assert main(["db", "decrypt", "--yes"]) == 0
    assert database_path(home).read_bytes().startswith(b"SQLite format 3")
    capsys.readouterr()
    assert main(["contacts", "list", "--json"]) == 0
    assert [r["display_name"] for r in json.loads(capsys.readouterr().out)] == ["Plain Person"]


def test_backup_restore_encrypted(home: Path) -> None:
    _fill(home)
    key = keys.resolve_key(home).key
    b = backup_now(home, key, keep=2)
    assert b.exists() and not b.read_bytes().startswith(b"SQLite format 3")
    assert SECRET.encode() not in b.read_bytes()
    verify(b, key)
    with pytest.raises(DatabaseError):
        verify(b, "x'" + "11" * 32 + "'")
    for _ in range(3):
        backup_now(home, key, keep=2)
    assert len(list_backups(home)) == 2
    db = open_database(database_path(home), key)
    svc.add_contact(db, "Added After Backup")
    db.dispose()
    restore(home, list_backups(home)[-1], key)
    db = open_database(database_path(home), key)
    names = [r[0] for r in db.raw().execute("SELECT display_name FROM contact")]
    db.dispose()
    assert names == ["Олег Тайный"]


def test_restore_refuses_a_damaged_backup(home: Path, tmp_path: Path) -> None:
    _fill(home)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(DatabaseError):
        restore(home, bad, keys.resolve_key(home).key)


def test_unfinished_import_is_marked_failed_on_next_start(home: Path) -> None:
    key = keys.resolve_key(home).key
    db = open_database(database_path(home), key)
    conn = db.raw()
    conn.execute("INSERT INTO import_run (source, importer, status) VALUES ('x', 'y', 'running')")
    conn.close()
    db.dispose()
    db = open_database(database_path(home), key)
    st = db.raw().execute("SELECT status, message FROM import_run").fetchone()
    db.dispose()
    assert st[0] == "failed" and "interrupted" in st[1]


def test_convert_swaps_the_file_under_an_open_database(home: Path, monkeypatch) -> None:
    """keys.convert with the app's open Database: the same Database and engine objects (which
    views and the scheduler's job store hold) go on working with the new key."""
    monkeypatch.setenv("NETASSIST_ENCRYPTION", "off")
    db = open_database(database_path(home), keys.resolve_key(home).key)
    svc.add_contact(db, "Open Person")
    engine = db.engine
    with engine.connect() as conn:  # a pooled connection under the old (no) key
        conn.exec_driver_sql("SELECT 1").fetchall()
    new = keys.new_raw_key()
    done = keys.convert(home, None, new, "keyring", keep=3, open_db=db)
    assert done.backup.exists() and done.backups_rewritten == 1 and done.backups_left == 0
    assert keys.is_encrypted(database_path(home)) and db.encrypted and db._key == new
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT display_name FROM contact").scalar() == "Open Person"
    assert db.raw().execute("SELECT count(*) FROM contact").fetchone()[0] == 1
    svc.add_contact(db, "Written After")  # writes land in the new file
    db.dispose()
    again = open_database(database_path(home), keys.resolve_key(home).key)
    assert again.raw().execute("SELECT count(*) FROM contact").fetchone()[0] == 2
    # a failing conversion (here: a wrong old key) leaves the file and the open Database as
    # they were
    with pytest.raises(DatabaseError):
        keys.convert(home, "x'" + "0" * 64 + "'", None, "none", keep=3, open_db=again)
    assert again._key == new and keys.is_encrypted(database_path(home))
    assert again.raw().execute("SELECT count(*) FROM contact").fetchone()[0] == 2
    again.dispose()


def test_cli_status_says_where_the_key_is(home: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NETASSIST_ENCRYPTION", "off")
    assert main(["contacts", "add", "Status Person"]) == 0
    capsys.readouterr()

    def status() -> dict:
        assert main(["db", "status", "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    st = status()
    assert not st["encrypted"] and st["key"] == "none"
    assert st["keyring_backend"] == "keyring backend FileKeyring" and st["keyring_available"]
    assert main(["db", "encrypt"]) == 0
    capsys.readouterr()
    st = status()
    assert st["encrypted"] and st["key"] == "keyring" and len(st["backups"]) == 1
    monkeypatch.setenv("NETASSIST_NEW_PASSPHRASE", "a long passphrase")
    monkeypatch.setenv("NETASSIST_PASSPHRASE", "a long passphrase")
    assert main(["db", "rekey", "--passphrase"]) == 0
    capsys.readouterr()
    assert status()["key"] == "passphrase"
    assert main(["db", "status"]) == 0
    out = capsys.readouterr().out
    assert "yes (SQLCipher 4), with a passphrase" in out and "2 in " in out
    keyring.set_keyring(fail.Keyring())
    st = status()
    assert st["keyring_backend"] is None and st["key"] == "passphrase"


def test_passphrase_key_is_derived_once_and_opens_like_the_passphrase(tmp_path: Path) -> None:
    """New connections to a passphrase database use the key SQLCipher itself derives (PBKDF2 on
    the file's salt), so its 256,000-round KDF is not repeated on each one; a wrong passphrase
    still opens nothing, and a changed key (a new file, a new salt) is derived anew."""
    from netassist.core.db import DatabaseError, derived_raw_key, is_raw_key, raw_connect

    path = tmp_path / "p.db"
    db = open_database(path, "фраза-пароль 123")
    try:
        with db.connect() as conn:
            conn.exec_driver_sql("INSERT INTO tag (name) VALUES ('x')")
        raw = db._raw
        assert raw is not None and is_raw_key(raw) and len(raw) == 2 + 96 + 1
        assert raw.endswith(path.read_bytes()[:16].hex() + "'")  # the file's own salt
        c = db.raw()  # another connection, with the derived key
        assert c.execute("SELECT name FROM tag").fetchall() == [("x",)]
        c.close()
        with pytest.raises(DatabaseError):
            raw_connect(path, "wrong passphrase")
        assert derived_raw_key(path, "wrong passphrase") is None
        other = tmp_path / "o.db"
        open_database(other, "фраза-пароль 123").dispose()
        assert derived_raw_key(other, "фраза-пароль 123") != raw  # salt differs per file
        with db.key_change("фраза-пароль 123"):
            pass
        assert db._raw is None
        with db.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM tag").scalar() == 1
        assert db._raw == raw
    finally:
        db.dispose()
    assert derived_raw_key(tmp_path / "missing.db", "x") is None
