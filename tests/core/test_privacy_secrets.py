"""Secrets live only in the keyring: never in a file of the home (database settings, ui.ini,
logs), and every place that needs one says clearly what failed and falls back when the keyring
is missing (the "fail" backend) or refuses to store (a backend raising on set_password)."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from netassist.cli import imap_import, main
from netassist.cli.context import CliError
from netassist.core import contacts as svc
from netassist.core import keys, secrets
from netassist.core.db import open_database, raw_connect
from netassist.core.settings import database_path
from tests.support.keyring_backend import FileKeyring

PASSPHRASE = "Correct-Horse-Battery-Staple-77"


class RefusingKeyring(KeyringBackend):
    """Reads work (nothing stored), writes fail: a locked or read-only Secret Service."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.Secret.Error.IsLocked")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("locked")


class BrokenReadKeyring(RefusingKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("D-Bus connection lost")


def _home_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file())


def _plain_dump(home: Path, key: str | None) -> str:
    conn = raw_connect(database_path(home), key)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return repr([list(conn.execute(f'SELECT * FROM "{t}"')) for t in tables])
    finally:
        conn.close()


def test_no_key_or_passphrase_is_ever_written_into_the_home(home: Path, monkeypatch) -> None:
    monkeypatch.setenv("NETASSIST_ENCRYPTION", "off")
    assert main(["contacts", "add", "Anna"]) == 0
    (home / "ui.ini").write_text("[window]\ngeometry=x\n")  # as the GUI leaves it
    monkeypatch.delenv("NETASSIST_ENCRYPTION")
    # a random key kept in the keyring
    assert main(["db", "encrypt"]) == 0
    key = secrets.get_secret(keys.keyring_name(database_path(home)))
    assert key and key.startswith("x'")
    assert main(["backup"]) == 0
    blob = _home_bytes(home)
    assert key.encode() not in blob and key[2:-1].encode() not in blob
    assert key[2:-1] not in _plain_dump(home, key)
    # a passphrase the person types
    monkeypatch.setenv("NETASSIST_NEW_PASSPHRASE", PASSPHRASE)
    assert main(["db", "rekey", "--passphrase"]) == 0
    assert secrets.get_secret(keys.keyring_name(database_path(home))) is None  # not kept
    monkeypatch.setenv("NETASSIST_PASSPHRASE", PASSPHRASE)
    assert main(["backup"]) == 0
    assert PASSPHRASE.encode() not in _home_bytes(home)
    assert PASSPHRASE not in _plain_dump(home, PASSPHRASE)


@pytest.mark.parametrize("backend", [fail.Keyring, RefusingKeyring])
def test_new_database_falls_back_to_a_passphrase(home: Path, backend: type, monkeypatch) -> None:
    keyring.set_keyring(backend())
    with pytest.raises(keys.KeyUnavailable, match="NETASSIST_PASSPHRASE.*NETASSIST_ENCRYPTION"):
        keys.resolve_key(home)
    asked: list[str] = []
    choice = keys.resolve_key(home, ask=lambda kind, msg: asked.append(msg) or PASSPHRASE)
    assert choice.source == "passphrase" and choice.key == PASSPHRASE
    assert "keyring" in asked[0]  # the person is told why
    monkeypatch.setenv("NETASSIST_ENCRYPTION", "off")
    assert keys.resolve_key(home).source == "none"


def test_encrypting_with_a_refusing_keyring_changes_nothing(home: Path, capsys) -> None:
    db = open_database(database_path(home), None)
    svc.add_contact(db, "Anna")
    db.dispose()
    before = database_path(home).read_bytes()[:16]
    keyring.set_keyring(RefusingKeyring())
    with pytest.raises(secrets.SecretStoreUnavailable, match="refused"):
        keys.change_key(home, None, keys.new_raw_key(), "keyring")
    assert database_path(home).read_bytes()[:16] == before  # still readable, not swapped
    assert not list(home.glob("*.rekey"))
    assert main(["db", "encrypt"]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and "--passphrase" in err and "nothing was changed" in err
    assert not keys.is_encrypted(database_path(home))


def test_unreadable_keyring_asks_for_the_passphrase(home: Path, monkeypatch) -> None:
    monkeypatch.setenv("NETASSIST_PASSPHRASE", PASSPHRASE)
    keyring.set_keyring(FileKeyring())
    db = open_database(database_path(home), keys.resolve_key(home).key)
    db.dispose()
    keyring.set_keyring(BrokenReadKeyring())
    msgs: list[str] = []
    choice = keys.resolve_key(home, ask=lambda kind, m: msgs.append(m) or "typed")
    # the environment's passphrase wins over asking; without it the person is asked and told why
    assert choice.key == PASSPHRASE
    monkeypatch.delenv("NETASSIST_PASSPHRASE")
    choice = keys.resolve_key(home, ask=lambda kind, m: msgs.append(m) or "typed")
    assert choice.key == "typed" and "could not be read" in msgs[-1]


@pytest.mark.parametrize("backend", [fail.Keyring, RefusingKeyring, BrokenReadKeyring])
def test_imap_password_is_asked_each_time_without_a_working_keyring(
    backend: type, monkeypatch, capsys
) -> None:
    keyring.set_keyring(backend())
    monkeypatch.setattr(imap_import.sys.stdin, "isatty", lambda: True, raising=False)
    typed = iter(["pw-one", "pw-two"])
    monkeypatch.setattr(imap_import.getpass, "getpass", lambda prompt="": next(typed))
    assert imap_import.password_for("imap:u@h", "u@h") == "pw-one"
    assert imap_import.password_for("imap:u@h", "u@h") == "pw-two"  # nothing was kept
    assert "asked each time" in capsys.readouterr().err
    # without a terminal: one clear line, no traceback
    monkeypatch.setattr(imap_import.sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(CliError, match="u@h"):
        imap_import.password_for("imap:u@h", "u@h")
