"""Forget removes every trace: a forgotten person is searched for in the decrypted database (all
tables, FTS shadow tables, APScheduler's job pickles, cached statistics) and in the logs."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import time
from pathlib import Path

import pytest

from netassist.cli import main
from netassist.core import backup as bk
from netassist.core import keys
from netassist.core import reminders as rem
from netassist.core.db import open_database, raw_connect
from netassist.core.scheduler import ReminderService
from netassist.core.settings import Settings, database_path

NAME = "Зинаида Уникальная"
EMAIL = "zina.unique@example.ru"
PHONE_DIGITS = "9167771234"
SECRET = "квазарпароль"
NEEDLES = ("зинаид", "уникальн", "zina.unique", PHONE_DIGITS, SECRET)


def _write_sources(tmp: Path) -> tuple[Path, Path]:
    chat = tmp / f"WhatsApp Chat with {NAME}.txt"
    chat.write_text(
        f"01.02.2021, 10:01 - {NAME}: Привет! Пароль от сейфа {SECRET} не забудь\n"
        "01.02.2021, 10:05 - Ольга: Хорошо, созвонимся завтра\n"
        f"02.02.2021, 18:40 - {NAME}: {SECRET} ещё раз, и пиши на {EMAIL}\n",
        encoding="utf-8",
    )
    card = tmp / "zina.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{NAME}\r\nN:Уникальная;Зинаида;;;\r\nEMAIL:{EMAIL}\r\nTEL:+7 916 777-12-34\r\n"
        f"NOTE:{SECRET} в заметке\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Other Person\r\nEMAIL:other@example.com\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    return chat, card


def _their_ids(home: Path, capsys: pytest.CaptureFixture[str]) -> list[int]:
    capsys.readouterr()
    assert main(["contacts", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    return [r["id"] for r in rows if "Зинаида" in r["display_name"]]


def _haystack(v: object) -> str:
    if isinstance(v, bytes):
        text = v.decode("utf-8", "ignore")
        with contextlib.suppress(Exception):  # APScheduler's job state is a pickle: look inside
            text += repr(pickle.loads(v))
        return text.casefold()
    return str(v).casefold()


def test_forgotten_contact_leaves_no_trace(home: Path, tmp_path: Path, capsys) -> None:
    chat, card = _write_sources(tmp_path)
    assert main(["import", str(chat), "--me", "Ольга"]) == 0
    assert main(["import", str(card)]) == 0
    ids = _their_ids(home, capsys)
    assert ids
    key = keys.resolve_key(home).key
    assert key is not None  # the home is encrypted (test keyring)
    db = open_database(database_path(home), key)
    for cid in ids:
        rem.add_reminder(db, f"позвонить {NAME}", int(time.time()) + 86400, contact_id=cid)
    rem.add_reminder(db, f"подарок для {NAME}", int(time.time()) + 86400)  # names her, no id
    rem.add_reminder(db, "unrelated reminder", int(time.time()) + 86400)
    # persist the scheduler's jobs in the same database, as the tray does
    svc = ReminderService(db, notify=lambda d: None, service_id="forget-test")
    svc.start()
    time.sleep(0.5)  # let the start-up check run before stopping (no race in the log)
    svc.stop()
    with db.engine.connect() as c:
        jobs = [r[0] for r in c.exec_driver_sql("SELECT id FROM apscheduler_jobs")]
    assert sum(j.startswith("reminder-") for j in jobs) == len(ids) + 2
    # cache the corpus statistics (term document frequencies from message text)
    from netassist.core.talk import corpus_stats

    corpus_stats(db)
    with db.engine.connect() as c:
        cached = c.exec_driver_sql(
            "SELECT value FROM setting WHERE key = 'state:corpus_stats'"
        ).scalar()
    assert cached and "квазар" in cached.casefold()
    # interests: one confirmed and one hidden that quote her words, and the global topics with
    # her share (the topic names come from her messages too)
    from netassist.core import interests as it

    for cid in ids:
        it.confirm(db, cid, f"{SECRET} сейф", source="user")
        it.hide(db, cid, SECRET)
    it.refresh_global_topics(db, n_topics=2)
    with db.engine.connect() as c:
        quoted = c.exec_driver_sql("SELECT group_concat(label) FROM contact_interest").scalar()
        shares = c.exec_driver_sql("SELECT count(*) FROM contact_topic").scalar()
        topics = c.exec_driver_sql("SELECT count(*) FROM global_topic").scalar()
    assert SECRET in quoted and shares >= 1 and topics == 2
    keep = int(Settings(db).get("backup_keep"))
    db.dispose()
    assert main(["backup"]) == 0
    capsys.readouterr()

    for cid in ids:
        assert main(["forget", str(cid), "--yes"]) == 0
    out = capsys.readouterr().out
    until = bk.backups_age_out(home, keep).until
    assert until is not None and until.isoformat() in out and "backup(s)" in out

    # the decrypted database, every table (FTS shadow tables and job pickles included)
    conn = raw_connect(database_path(home), key)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert "apscheduler_jobs" in tables and "interaction_fts_data" in tables
    for t in tables:
        for row in conn.execute(f'SELECT * FROM "{t}"'):
            blob = " ".join(_haystack(v) for v in row)
            for needle in NEEDLES:
                assert needle not in blob, (t, needle, row)
    # global topics are named by lemmas of everyone's messages: dropped, recomputed on demand
    assert conn.execute("SELECT count(*) FROM global_topic").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM contact_interest").fetchone() == (0,)
    jobs_left = [r[0] for r in conn.execute("SELECT id FROM apscheduler_jobs")]
    assert sum(j.startswith("reminder-") for j in jobs_left) == 1  # the unrelated reminder
    for term in ("зинаида", "квазарпароль"):
        assert conn.execute(
            "SELECT count(*) FROM contact_fts WHERE contact_fts MATCH ?", (f'"{term}"',)
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH ?", (f'"{term}"',)
        ).fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] >= 1  # Other Person stays
    conn.close()
    # nothing left in the WAL either
    wal = database_path(home).with_name(database_path(home).name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0

    # and nothing in the logs
    logs = list((home / "logs").glob("*"))
    assert logs
    for p in logs:
        text = p.read_text("utf-8", "replace").casefold()
        for needle in NEEDLES:
            assert needle not in text, (p, needle)

    # the CLI can purge the backups that still hold her
    assert len(bk.list_backups(home)) == 1
    assert main(["contacts", "add", "Temp Person"]) == 0
    assert main(["forget", "Temp Person", "--yes", "--purge-backups"]) == 0
    assert "1 backup(s) deleted" in capsys.readouterr().out
    assert bk.list_backups(home) == []


def test_age_out_is_keep_days_after_the_newest_backup(home: Path) -> None:
    assert bk.backups_age_out(home, 7).count == 0
    d = bk.backups_dir(home)
    d.mkdir(parents=True)
    for i, stamp in enumerate(("20260101-100000", "20260102-100000")):
        p = d / f"netassist-{stamp}.db"
        p.write_bytes(b"x")
        t = 1_767_261_600 + i * 86400  # 2026-01-01 10:00 UTC, then a day later
        os.utime(p, (t, t))
    a = bk.backups_age_out(home, 7)
    assert a.count == 2
    from datetime import datetime

    assert a.until == datetime.fromtimestamp(1_767_261_600 + 86400 + 7 * 86400).date()
    assert a.oldest == datetime.fromtimestamp(1_767_261_600).date()
    assert a.until.isoformat() in a.sentence() and f"the oldest on {a.oldest}" in a.sentence()
    assert "the newest 7 are kept" in a.sentence()
    # the GUI's words, in both languages (the folder may hold a "%")
    from netassist.core import i18n

    weird = home / "100%" / "backups"
    a.folder = weird
    text = a.describe()
    assert f"2 backups made before now (the oldest on {a.oldest})" in text
    assert f"gone by {a.until}" in text and str(weird) in text
    i18n.set_language("ru")
    try:
        ru = a.describe()
    finally:
        i18n.set_language("en")
    assert ru.startswith("2 резервные копии") and f"к {a.until}" in ru and str(weird) in ru
