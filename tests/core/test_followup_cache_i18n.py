"""Cached follow-ups (Today, tray) and digests show the engine's reasons in the language asked."""

from __future__ import annotations

import re

import pytest

from netassist.core import i18n, scoring, today
from netassist.core.db import open_database
from netassist.core.demo import load_demo
from netassist.core.settings import Settings


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):
    d = open_database(tmp_path_factory.mktemp("fc") / "f.db")
    load_demo(d, 40, 1, seed=5)
    scoring.rescore(d, None)
    yield d
    d.dispose()


RUSSIAN_REASON = re.compile(
    r"^(последн(ий контакт|ее сообщение от них)|день рождения|годовщина|связь \(|напоминание"
    r"|пора выполнить|\d+ разговор)"
)


def test_today_reasons_follow_the_language(demo_db) -> None:
    try:
        en = today.due_followups(demo_db)
        assert en and all(it.title and not RUSSIAN_REASON.match(it.title) for it in en)
        i18n.set_language("ru")
        ru = today.due_followups(demo_db)
        assert [it.contact_id for it in ru] == [it.contact_id for it in en]
        assert all(RUSSIAN_REASON.match(it.title) for it in ru), [it.title for it in ru]
    finally:
        i18n.set_language("en")


def test_digest_reasons_in_the_language_setting(demo_db) -> None:
    now = scoring.compute(demo_db).now
    Settings(demo_db).set("language", "ru")
    try:
        lines = scoring.digest_followups(demo_db, now)
        assert lines and all(RUSSIAN_REASON.match(reason) for _name, reason in lines)
        assert i18n.current_language() == "en"
        assert not any(
            RUSSIAN_REASON.match(r) for _n, r in scoring.digest_followups(demo_db, now, "en")
        )
    finally:
        Settings(demo_db).set("language", "en")
