"""Acting on follow-ups and reminders (netassist.core.agenda) on a real database file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netassist.core import agenda, today
from netassist.core import reminders as rem
from netassist.core.contacts import log_interaction
from netassist.core.db import Database
from netassist.core.scoring import rescore
from netassist.core.timeutil import now_ts
from tests.support.agenda_network import network

DAY = 86400


def _listed(db: Database) -> dict[int, str]:
    return {x.contact_id: x.state for x in today.due_followups(db)}


def test_snoozing_hides_the_silence_followups_until_then_and_wake_brings_them_back(db) -> None:  # type: ignore[no-untyped-def]
    now = now_ts()
    ids = network(db, now)
    anna = ids["Анна"]
    assert _listed(db)[anna] in ("overdue", "fading")
    agenda.snooze_followup(db, anna, _listed(db)[anna], now + 3600)
    assert anna not in _listed(db)  # neither overdue nor fading pops up in its place
    assert agenda.snoozes_ended(db, now + 60) == []
    assert agenda.next_wake(db, now) == now + 3600
    assert agenda.snoozes_ended(db, now + 3601) == [anna]
    assert agenda.wake_snoozed(db, now + 3601) == 1
    assert anna in _listed(db)
    assert agenda.wake_snoozed(db, now + 3700) == 0  # once back, nothing more to do


def test_done_with_a_logged_call_resets_due_and_dismiss_lasts_until_they_talk(db) -> None:  # type: ignore[no-untyped-def]
    now = now_ts()
    ids = network(db, now)
    anna, boris = ids["Анна"], ids["Борис"]
    before = agenda.keep_in_touch(db, anna, now)
    assert before.state == "overdue" and before.due_at is not None and before.due_at < now
    agenda.done_followup(db, anna, "overdue", now, "call", "поговорили о даче")
    after = agenda.keep_in_touch(db, anna, now)
    assert after.last_at == now and after.due_at is not None and after.due_at > now
    assert after.state == "active" and anna not in _listed(db)
    with db.engine.connect() as conn:
        chan, direction, text = conn.exec_driver_sql(
            "SELECT channel, direction, text FROM interaction WHERE contact_id = ?"
            " ORDER BY occurred_at DESC LIMIT 1", (anna,)).one()  # fmt: skip
    assert (chan, direction, text) == ("call", "mutual", "поговорили о даче")

    assert _listed(db)[boris] == "reconnect"
    agenda.dismiss_followup(db, boris, "reconnect")
    assert boris not in _listed(db)
    later = now_ts() + 5
    log_interaction(db, boris, "telegram", later, "", "in")
    rescore(db, {boris}, later + 5)
    assert boris in _listed(db)  # they wrote: no longer dismissed (an owed reply now)


def test_digest_counts_dormant_apart_and_birthdays_this_week(db) -> None:  # type: ignore[no-untyped-def]
    now = now_ts()
    network(db, now)
    items = today.due_followups(db)
    d = agenda.digest_counts(db, [x.state for x in items], 2, now)
    assert d.dormant == 1 and d.reconnect == 1
    assert "reconnect" not in d.followups
    assert d.birthdays_week == 1 and d.reminders == 2
    assert sum(d.followups.values()) == len(items) - 1
    assert agenda.birthdays_within(db, date.today() + timedelta(days=4)) == 0


def test_cadence_override_moves_due_and_automatic_goes_back(db) -> None:  # type: ignore[no-untyped-def]
    now = now_ts()
    anna = network(db, now)["Анна"]
    k = agenda.keep_in_touch(db, anna, now)
    assert k.user_days is None and k.learned_days is not None
    assert k.cadence_days == pytest.approx(k.learned_days, rel=0.05)
    agenda.set_cadence(db, anna, 30)
    k30 = agenda.keep_in_touch(db, anna, now)
    assert k30.user_days == 30 and k30.cadence_days == 30
    assert k30.due_at == k30.last_at + 30 * DAY and k30.state == "active"
    assert k30.learned_days == pytest.approx(k.learned_days)  # still shown next to it
    agenda.set_cadence(db, anna, None)
    back = agenda.keep_in_touch(db, anna, now)
    assert back.user_days is None and back.due_at == k.due_at


def test_recurring_reminder_done_moves_on_and_logs_with_its_contact(db) -> None:  # type: ignore[no-untyped-def]
    now = now_ts()
    vera = network(db, now)["Вера"]
    rid = agenda.add_reminder(db, "Позвонить Вере", now - 60, vera, "weekly")
    assert [x.ref for x in today.due_reminders(db, now)] == [rid]
    nxt = agenda.done_reminder(db, rid, now, "whatsapp")
    assert nxt == now - 60 + 7 * DAY
    assert today.due_reminders(db, now) == []
    assert [r["id"] for r in agenda.contact_reminders(db, vera)] == [rid]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT channel, text FROM interaction WHERE contact_id = ? ORDER BY id DESC LIMIT 1",
            (vera,)).one() == ("whatsapp", "Позвонить Вере")  # fmt: skip
    agenda.snooze_reminder(db, rid, nxt + 3600)
    assert agenda.contact_reminders(db, vera)[0]["when"] == nxt + 3600
    agenda.dismiss_reminder(db, rid, now)
    assert agenda.contact_reminders(db, vera) == []
    assert rem.list_reminders(db, include_done=True)[0]["dismissed_at"] == now
    with pytest.raises(LookupError):
        agenda.snooze_reminder(db, 9999, now)


def test_a_dismissed_overdue_does_not_come_back_as_reconnect_when_they_go_dormant(db) -> None:  # type: ignore[no-untyped-def]
    now = now_ts()
    anna = network(db, now)["Анна"]
    agenda.dismiss_followup(db, anna, "overdue")
    rescore(db, {anna}, now + 20 * DAY)  # silent 32 days: over 3 x the weekly cadence
    assert agenda.keep_in_touch(db, anna).state == "dormant"
    assert anna not in _listed(db)  # one dismissal covers the whole "you have gone quiet" signal
    log_interaction(db, anna, "call", now + 21 * DAY, "", "mutual")
    rescore(db, {anna}, now + 40 * DAY)
    assert _listed(db).get(anna) == "overdue"  # a new interaction ends the dismissal
