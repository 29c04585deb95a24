"""The engine's texts in Russian: rendered from kind + params (netassist.core.engine.texts)."""

from __future__ import annotations

import numpy as np
import pytest

from netassist.core import i18n
from netassist.core.engine.events import EventLog
from netassist.core.engine.features import DAY, compute_features
from netassist.core.engine.strength import COMPONENTS, TIER_NAMES, score
from netassist.core.engine.texts import (
    breakdown_line,
    component_label,
    component_text,
    describe_followup,
    followup_action,
    followup_reason,
    tier_label,
)
from netassist.core.reminders import Due, compose_digest
from tests.core.engine.test_followups import NOW, _run, _weekly


@pytest.fixture(autouse=True)
def _english_session() -> object:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def test_english_display_equals_the_engine_text() -> None:
    """One way: what a display renders from kind + params in English is the engine's text."""
    rows = _weekly(1, 10) + _weekly(3, 40) + [(2, NOW - 2 * DAY, "out"), (2, NOW - DAY, "in")]
    rows += [(4, NOW - d * DAY, "in" if d % 2 else "out") for d in range(31, 200)]
    rows += [(4, NOW - 5 * DAY, "in")]
    fus = _run(rows, question=[2], birthdays={1: "1990-06-15"})
    assert {x.kind for x in fus} >= {"overdue", "owed_reply", "birthday", "reconnect", "fading"}
    for x in fus:
        assert describe_followup(x, "en") == (x.reason, x.suggested_action)
        ru = describe_followup(x, "ru")
        assert ru[0] != x.reason and ru[1] != x.suggested_action, x.kind


def test_followup_reasons_in_russian() -> None:
    rows = _weekly(1, 10) + _weekly(2, 2) + [(3, NOW - 2 * DAY, "out"), (3, NOW - DAY, "in")]
    fus = _run(rows, question=[3], birthdays={2: "1990-06-15"})
    by = {x.kind: x for x in fus}
    assert describe_followup(by["overdue"], "ru")[0] == (
        "последний контакт 10 дней назад, обычно раз в 7 дней (просрочено на 3 дня)"
    )
    assert describe_followup(by["birthday"], "ru") == (
        "день рождения через 5 дней (36 лет)",
        "Поздравить через 5 дней",
    )
    assert describe_followup(by["owed_reply"], "ru")[0] == (
        "последнее сообщение от них (1 день назад) осталось без ответа, а в нём вопрос"
    )
    assert i18n.current_language() == "en"  # an explicit language never switches the process


@pytest.mark.parametrize(
    ("n", "conv", "days"),
    [(1, "1 разговор", "1 день"), (2, "2 разговора", "2 дня"), (5, "5 разговоров", "5 дней"),
     (11, "11 разговоров", "11 дней"), (21, "21 разговор", "21 день"),
     (104, "104 разговора", "104 дня")],
)  # fmt: skip
def test_russian_plural_forms_in_reasons(n: int, conv: str, days: str) -> None:
    got = followup_reason("reconnect", {"conversations": n, "days_since": n}, "ru")
    assert got == f"{conv} за всё время, тишина {days}"


def test_tiers_and_components_in_russian() -> None:
    assert [tier_label(t, "ru") for t in TIER_NAMES] == [
        "ближний круг", "близкие", "активные", "знакомые", "спящие"]  # fmt: skip
    assert [tier_label(t) for t in TIER_NAMES] == list(TIER_NAMES)
    assert len({component_label(c, "ru") for c in COMPONENTS}) == len(COMPONENTS)
    assert tier_label("something new", "ru") == "something new"
    # the active language is used when none is given
    i18n.set_language("ru")
    assert tier_label("dormant") == "спящие"
    reason = followup_reason("fading", {"tier": "close", "recent30": 2.2, "prev60": 30.0})
    assert reason.startswith("связь (близкие) слабеет: 2 за последние 30 дней против 30")
    assert followup_action("overdue", {"channel": "vk"}) == "Написать в ВКонтакте"
    assert followup_action("overdue", {"channel": "email"}) == "Написать письмо"


def test_strength_explanations_render_from_params() -> None:
    rows = [(2, NOW - (6 + k * 9) * DAY, "out" if k % 2 else "in") for k in range(20)]
    f = compute_features(EventLog.from_rows(rows), NOW, contact_ids=np.array([2, 5]))
    s = {x.contact_id: x for x in score(f, NOW)}
    for comp_row, ex in zip(s[2].breakdown, s[2].explanation, strict=True):
        comp, _p, _m, text = comp_row
        assert text.endswith(": " + component_text(comp, ex["params"], "en"))
    rec = component_text("recency", s[2].explanation[0]["params"], "ru")
    assert rec == "последний контакт 6 дней назад, обычно раз в 9 дней"
    year = component_text("frequency_year", s[2].explanation[2]["params"], "ru")
    assert "вдвое меньше через 365 дней" in year and "всего 20 разговоров и 20 сообщений" in year
    month = component_text("frequency_month", s[2].explanation[1]["params"], "en")
    assert month.endswith("recent conversations (each counts half after 30 days)")
    active = component_text("active", s[2].explanation[3]["params"], "en")
    assert active == "last conversation 6 days ago: the points halve every day after one"
    active_ru = component_text("active", s[2].explanation[3]["params"], "ru")
    assert (
        active_ru
        == "последний разговор 6 дней назад: баллы уменьшаются вдвое за каждый день после него"
    )
    assert "," in year.split(" (")[0]  # decimal comma
    assert component_text("recency", s[5].explanation[0]["params"], "ru") == "общения не было"


def test_cached_breakdown_items() -> None:
    new = {"component": "reciprocity", "points": 0, "max_points": 0,
           "explanation": "reciprocity 0/0: two-way: 55% of messages are mine",
           "params": {"share_mine": 0.55}}  # fmt: skip
    assert breakdown_line(new, "ru") == "в обе стороны: 55% сообщений мои"
    old = {k: v for k, v in new.items() if k != "params"}  # cached before params were kept
    assert breakdown_line(old, "ru") == "two-way: 55% of messages are mine"


def test_digest_in_russian_from_another_thread_language() -> None:
    due = [Due(1, "Позвонить маме", "", "user", None, None, 0, True)]
    d = compose_digest(due, [("Олег", "последний контакт 9 дней назад")] * 8, lang="ru")
    assert d is not None and i18n.current_language() == "en"
    assert d.title == "netassist: 9 дел на сегодня (1 пропущено)"
    assert d.body.startswith("• пропущено: Позвонить маме") and d.body.endswith("… и ещё 1")
    e = compose_digest(due[:0], [("Oleg", "x")], lang="en")
    assert e is not None and e.title == "netassist: 1 thing to do today"
