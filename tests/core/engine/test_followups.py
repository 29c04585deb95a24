"""Follow-ups: kinds, reasons, actions."""

from __future__ import annotations

import datetime as dt

import numpy as np

from netassist.core.engine.cadence import estimate_cadence
from netassist.core.engine.events import EventLog
from netassist.core.engine.features import DAY, compute_features
from netassist.core.engine.followups import Action, ExtraSignals, Reminder, rank_followups
from netassist.core.engine.strength import score_columns

NOW = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC).timestamp()


def _weekly(contact: int, last_days_ago: float, n: int = 20) -> list[tuple]:
    return [
        (contact, NOW - (last_days_ago + 7 * k) * DAY, "in" if k % 2 else "out") for k in range(n)
    ]


def _run(rows, actions=(), question=None, **extra):
    f = compute_features(EventLog.from_rows(rows), NOW)
    sc = score_columns(f, NOW)
    cad = estimate_cadence(f, sc.tier)
    q = None if question is None else np.isin(f.contact, question)
    sig = ExtraSignals(f, last_in_is_question=q, **extra)
    return rank_followups(sc, cad, sig, NOW, actions)


def _kinds(fus) -> set[tuple[int, str]]:
    return {(x.contact_id, x.kind) for x in fus}


def test_overdue_but_not_when_dormant_or_not_yet_due() -> None:
    # 1: last talk 10 days ago, weekly -> overdue. 2: 3 days ago -> fine. 3: 40 days -> dormant.
    rows = _weekly(1, 10) + _weekly(2, 3) + _weekly(3, 40)
    fus = _run(rows)
    kinds = _kinds(fus)
    assert (1, "overdue") in kinds
    assert not any(c == 2 for c, _ in kinds)
    assert (3, "overdue") not in kinds and (3, "reconnect") in kinds
    od = next(x for x in fus if x.kind == "overdue")
    assert "usually every 7 days" in od.reason and "3 days overdue" in od.reason
    assert abs(od.due - (NOW - 3 * DAY)) < 60  # due = last (10 days ago) + cadence (7 days)


def test_owed_reply_with_question_ranks_first() -> None:
    rows = _weekly(1, 10) + [(2, NOW - 2 * DAY, "out"), (2, NOW - DAY, "in")]
    rows += [(3, NOW - DAY, "in")]
    fus = _run(rows, question=[3])
    owed = [x for x in fus if x.kind == "owed_reply"]
    assert {x.contact_id for x in owed} == {2, 3}
    assert fus[0].contact_id == 3 and "asks a question" in fus[0].reason
    assert fus[0].params["question"] is True


def test_birthday_within_14_days_and_year_known() -> None:
    rows = _weekly(1, 2) + _weekly(2, 2) + _weekly(3, 2)
    fus = _run(rows, birthdays={1: "1990-06-15", 2: "--07-30", 3: "--06-10"})
    bd = {x.contact_id: x for x in fus if x.kind == "birthday"}
    assert set(bd) == {1, 3}
    assert bd[1].reason == "birthday in 5 days (36 years)"
    assert bd[3].reason == "birthday today"


def test_reminder_due_shows_and_done_clears_it() -> None:
    rows = _weekly(1, 2)
    rem = [Reminder(1, NOW - DAY, "send the slides"), Reminder(1, NOW + DAY, "later")]
    fus = _run(rows, reminders=rem)
    r = [x for x in fus if x.kind == "reminder"]
    assert len(r) == 1 and "send the slides" in r[0].reason
    fus = _run(rows, actions=[Action(1, "reminder", "done", NOW - 3600)], reminders=rem)
    assert not [x for x in fus if x.kind == "reminder"]


def test_snooze_dismiss_done() -> None:
    rows = _weekly(1, 10) + _weekly(2, 10) + _weekly(3, 10)
    acts = [
        (1, "overdue", "snooze", NOW + DAY),  # hidden until tomorrow
        (2, "overdue", "dismiss", NOW - DAY),  # hidden until a new interaction
        (3, "overdue", "done", NOW - DAY),  # done yesterday: due again in a week
    ]
    assert not [x for x in _run(rows, acts) if x.kind == "overdue"]
    # the snooze expired
    expired = [(1, "overdue", "snooze", NOW - 1)]
    assert (1, "overdue") in _kinds(_run(rows, expired))
    # a new interaction after the dismissal brings the kind back once it is overdue again
    later = rows + [(2, NOW - 9 * DAY + 600, "in")]
    assert (2, "overdue") in _kinds(_run(later, [(2, "overdue", "dismiss", NOW - 9.5 * DAY)]))


def test_fading_strong_tie() -> None:
    # almost daily for months, then only rarely in the last 30 days
    rows = [(1, NOW - d * DAY, "in" if d % 2 else "out") for d in range(31, 200)]
    rows += [(1, NOW - 5 * DAY, "in")]
    fus = _run(rows)
    assert (1, "fading") in _kinds(fus)


def _weekly_then_in(contact: int, in_days_ago: float) -> list[tuple]:
    """A weekly tie whose last message, ``in_days_ago``, is theirs and unanswered."""
    return _weekly(contact, in_days_ago + 7) + [(contact, NOW - in_days_ago * DAY, "in")]


def test_a_date_that_cannot_wait_outranks_a_stale_question() -> None:
    # 1: asked something 39 days ago, still unanswered; 2: birthday in 2 days (same kind of tie)
    rows = _weekly_then_in(1, 39) + _weekly_then_in(2, 1) + [(2, NOW - 0.5 * DAY, "out")]
    fus = _run(rows, question=[1], birthdays={2: "--06-12"})
    order = [(x.contact_id, x.kind) for x in fus if x.kind in ("owed_reply", "birthday")]
    assert order == [(2, "birthday"), (1, "owed_reply")]


def test_a_fresh_question_still_outranks_a_birthday_next_week() -> None:
    rows = _weekly_then_in(1, 1) + _weekly_then_in(2, 1) + [(2, NOW - 0.5 * DAY, "out")]
    fus = _run(rows, question=[1], birthdays={2: "--06-17"})
    order = [(x.contact_id, x.kind) for x in fus if x.kind in ("owed_reply", "birthday")]
    assert order == [(1, "owed_reply"), (2, "birthday")]


def test_a_birthday_today_comes_before_any_owed_reply() -> None:
    rows = _weekly_then_in(1, 0.1) + _weekly_then_in(2, 1) + [(2, NOW - 0.5 * DAY, "out")]
    fus = _run(rows, question=[1], birthdays={2: "--06-10"})
    assert (fus[0].contact_id, fus[0].kind) == (2, "birthday")


def test_an_owed_reply_loses_urgency_with_age() -> None:
    rows = _weekly_then_in(1, 1) + _weekly_then_in(2, 10) + _weekly_then_in(3, 30)
    fus = _run(rows, question=[1, 2, 3])
    prio = {x.contact_id: x.priority for x in fus if x.kind == "owed_reply"}
    assert prio[1] > prio[2] > prio[3]
    # a month-old question weighs about what a fresh message without a question does
    fresh_plain = {
        x.contact_id: x.priority for x in _run(_weekly_then_in(4, 1)) if x.kind == "owed_reply"
    }
    assert abs(prio[3] - fresh_plain[4]) < 6
