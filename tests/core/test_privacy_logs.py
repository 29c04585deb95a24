"""Logs carry no message text, no addresses, no names and no secrets.

A realistic CLI session at DEBUG level writes into the home's ``logs`` folder: the demo, imports
of a WhatsApp chat, a vCard and an mbox holding secret-looking text, an IMAP import whose login
the server refuses (the password travels through netassist), an import that fails inside ingest,
and a command that crashes with personal data in its exception message. Then every log file is
grepped for all of it.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from netassist.cli import main
from netassist.core import keys, secrets
from netassist.core.logsafe import SafeFormatter, describe_exception

NAME = "Зинаида Уникальная"
OTHER = "Henrietta Quackenbush"
EMAIL = "zina.unique@example.ru"
OTHER_EMAIL = "hquack@example.org"
PHONE = "9167771234"
SECRET = "квазарпароль"
EN_SECRET = "marmaladeelephant"
IMAP_USER = "imapuser.secret"
PASSWORD = "Hunter2-Very-Secret-Pw"
FORBIDDEN = (
    "зинаид", "уникальн", "henrietta", "quackenbush", "zina.unique", "hquack", PHONE, SECRET,
    EN_SECRET, "imapuser", PASSWORD.casefold(), "hunter2",
)  # fmt: skip


def _sources(tmp: Path) -> list[Path]:
    chat = tmp / f"WhatsApp Chat with {NAME}.txt"
    chat.write_text(
        f"01.02.2021, 10:01 - {NAME}: {SECRET} и ещё {EN_SECRET}, пиши на {EMAIL}\n"
        f"01.02.2021, 10:05 - Ольга: Хорошо, позвоню на +7 {PHONE}\n",
        encoding="utf-8",
    )
    card = tmp / "people.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{NAME}\r\nEMAIL:{EMAIL}\r\nTEL:+7{PHONE}\r\n"
        f"NOTE:{SECRET}\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{OTHER}\r\nEMAIL:{OTHER_EMAIL}\r\nEND:VCARD\r\n"
        # a broken card: the importer reports a problem quoting it (into the DB, not the log)
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN;BROKEN{OTHER}\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    mbox = tmp / "mail.mbox"
    mbox.write_text(
        f"From {OTHER_EMAIL} Mon Jan  4 10:00:00 2021\n"
        f"From: {OTHER} <{OTHER_EMAIL}>\nTo: Me <me@example.net>\n"
        f"Subject: {EN_SECRET} plans\nDate: Mon, 4 Jan 2021 10:00:00 +0000\n"
        f"Message-ID: <a1@example.org>\n\nThe code is {EN_SECRET}. Call {PHONE}.\n\n"
        f"From me@example.net Tue Jan  5 10:00:00 2021\n"
        f"From: Me <me@example.net>\nTo: {NAME} <{EMAIL}>\n"
        f"Subject: Re: {SECRET}\nDate: Tue, 5 Jan 2021 10:00:00 +0000\n"
        f"Message-ID: <a2@example.net>\n\n{SECRET} {PASSWORD}\n",
        encoding="utf-8",
    )
    return [chat, card, mbox]


@pytest.fixture
def refusing_imap() -> Iterator[int]:
    """A loopback IMAP server that refuses every login (reads the password, like a real one)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(2)
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _addr = srv.accept()
            except OSError:
                continue
            with conn:
                f = conn.makefile("rwb")
                f.write(b"* OK IMAP4rev1 ready\r\n")
                f.flush()
                for line in f:
                    tag = line.split(b" ", 1)[0]
                    if b"CAPABILITY" in line.upper():
                        f.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
                    elif b"LOGIN" in line.upper():
                        f.write(tag + b" NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
                    else:
                        f.write(b"* BYE\r\n" + tag + b" OK bye\r\n")
                        f.flush()
                        break
                    f.flush()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join(2)
    srv.close()


def _all_logs(home: Path) -> str:
    files = [p for p in (home / "logs").rglob("*") if p.is_file()]
    assert files, "the session wrote no log at all"
    return "\n".join(p.read_text("utf-8", "replace") for p in files)


def test_a_whole_session_logs_nothing_personal(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusing_imap: int, capsys
) -> None:
    monkeypatch.setenv("NETASSIST_LOG_LEVEL", "DEBUG")
    assert main(["demo", "--contacts", "20"]) == 0
    for src in _sources(tmp_path):
        main(["import", str(src), "--me", "Ольга"])
    # IMAP: the password comes from the keyring, the server refuses it
    secrets.set_secret(f"imap:{IMAP_USER}@127.0.0.1", PASSWORD)
    main(["import", f"imap://{IMAP_USER}@127.0.0.1:{refusing_imap}/INBOX?tls=off"])
    out = capsys.readouterr()
    assert "refused the login" in out.out + out.err  # the person is told, the log is not

    # an import that fails inside ingest, with personal data in the exception
    import netassist.core.ingest as ingest_mod

    def broken_interaction(*a: object, **k: object) -> None:
        raise RuntimeError(f"row for {NAME} <{EMAIL}> with {SECRET} could not be written")

    monkeypatch.setattr(ingest_mod._Ingest, "interaction", broken_interaction)
    main(["import", str(tmp_path / f"WhatsApp Chat with {NAME}.txt"), "--me", "Ольга"])

    # a command that crashes with names, addresses and a password in its message
    import netassist.core.repository as repo

    def crash(*a: object, **k: object) -> int:
        raise RuntimeError(f"{NAME} <{EMAIL}> {OTHER} {PASSWORD}") from KeyError(OTHER_EMAIL)

    monkeypatch.setattr(repo, "find_contact", crash)
    assert main(["contacts", "show", "someone"]) == 1
    capsys.readouterr()

    logs = _all_logs(home)
    assert "command failed: RuntimeError" in logs  # the crash is in the log, as a type
    assert "message withheld" in logs and "KeyError" in logs
    assert "DEBUG" in logs or "INFO" in logs
    folded = logs.casefold()
    for needle in FORBIDDEN:
        assert needle not in folded, needle
    key = keys.resolve_key(home).key
    assert key and key.casefold() not in folded and key[2:-1].casefold() not in folded


def test_safe_formatter_keeps_types_and_places_drops_messages() -> None:
    try:
        try:
            raise KeyError(EMAIL)
        except KeyError as inner:
            raise ValueError(f"{NAME} {PASSWORD}") from inner
    except ValueError as exc:
        text = describe_exception(exc)
        rec = logging.LogRecord("netassist.x", logging.ERROR, __file__, 1, "failed: %s", ("ValueError",),
                                (type(exc), exc, exc.__traceback__))  # fmt: skip
        formatted = SafeFormatter("%(message)s").format(rec)
    assert "KeyError" in text and "ValueError" in text and "which led to" in text
    assert "test_privacy_logs.py" in text
    for s in (formatted, text):
        assert EMAIL not in s and NAME not in s and PASSWORD not in s
    assert formatted.startswith("failed: ValueError")
