"""IMAP against a real Dovecot started on 127.0.0.1 by the test (Debian's dovecot-imapd)."""

from __future__ import annotations

import json
from pathlib import Path

import keyring

from netassist.cli import main
from netassist.core.settings import database_path
from tests.support.dovecot import PASSWORD, append, dovecot, needs_dovecot

pytestmark = needs_dovecot
__all__ = ["dovecot"]  # the fixture, used by name


def test_imap_incremental_import_with_password_in_keyring(dovecot, home: Path, capsys) -> None:
    append(dovecot["port"], dovecot["cafile"], 0, 5)
    keyring.set_password("netassist", "imap:alice@example.org@127.0.0.1", PASSWORD)
    url = f"imap://alice@example.org@127.0.0.1:{dovecot['port']}/INBOX"
    args = ["import", url, "--cafile", dovecot["cafile"], "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert first["interactions_added"] == 5 and first["contacts_created"] == 3
    assert main(args) == 0  # incremental: nothing new fetched, nothing added
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["interactions_added"] == 0
    append(dovecot["port"], dovecot["cafile"], 5, 2)
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["interactions_added"] == 2
    # the password is in the keyring and nowhere else
    assert keyring.get_password("netassist", "imap:alice@example.org@127.0.0.1") == PASSWORD
    db_bytes = database_path(home).read_bytes()
    wal = database_path(home).with_name("netassist.db-wal")
    db_bytes += wal.read_bytes() if wal.exists() else b""
    assert PASSWORD.encode() not in db_bytes
    for f in home.rglob("*"):
        if f.is_file() and "keyring" not in f.name:
            assert PASSWORD.encode() not in f.read_bytes(), f


def test_imap_wrong_password_and_tls_errors(dovecot, capsys) -> None:
    keyring.set_password("netassist", "imap:alice@example.org@127.0.0.1", "NotThePw-123")
    url = f"imap://alice@example.org@127.0.0.1:{dovecot['port']}/INBOX"
    assert main(["import", url, "--cafile", dovecot["cafile"], "--json"]) == 2
    out = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert "refused the login" in out["error"] and "NotThePw-123" not in out["error"]
    # without the self-signed CA the certificate is not trusted: TLS is really checked
    keyring.set_password("netassist", "imap:alice@example.org@127.0.0.1", PASSWORD)
    assert main(["import", url, "--json"]) == 2
    assert "TLS" in json.loads(capsys.readouterr().out.splitlines()[-1])["error"]
