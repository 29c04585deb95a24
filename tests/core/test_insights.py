"""Network insights on hand-made data whose right answer is known: the heat map, fading ties,
segments, the contacts behind each chart element, labels in both languages, the cache."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from netassist.core import contacts as svc
from netassist.core import event_read, insights, scoring, today
from netassist.core.demo import load_demo
from netassist.core.engine.events import CHANNEL_CODES, DIRECTION_CODES, EventLog

DAY, HOUR = 86400, 3600
MONDAY = int(datetime(2026, 11, 2, tzinfo=UTC).timestamp())  # a Monday, 00:00 UTC
NOW = MONDAY + 7 * DAY


def _log(rows: list[tuple[int, int, str, str]]) -> EventLog:
    """(contact, time, direction, channel) rows as an EventLog."""
    rows = sorted(rows)
    return EventLog.from_arrays(
        np.array([r[0] for r in rows], np.int64),
        np.array([r[1] for r in rows], np.float64),
        np.array([DIRECTION_CODES[r[2]] for r in rows], np.int8),
        np.ones(len(rows), np.float32),
        np.array([CHANNEL_CODES[r[3]] for r in rows], np.int8),
        np.zeros(len(rows), np.int32),
        assume_sorted=True,
    )


def _add(db, cid: int, channel: str, t: int, direction: str = "in") -> None:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        conn.exec_driver_sql(
            "INSERT INTO interaction (contact_id, channel, direction, occurred_at, tz_status,"
            " length, weight, attachments, fingerprint) VALUES (?, ?, ?, ?, 'utc', 40, 1.0, 0, ?)",
            (cid, channel, direction, t, f"{cid}-{channel}-{t}-{direction}"),
        )


# -- heat map ------------------------------------------------------------------------------


def test_heat_map_cells_weights_and_the_contacts_behind_them() -> None:
    weeks = [MONDAY - k * 7 * DAY for k in range(4)]
    rows = []
    for w in weeks:
        rows += [(1, w + 10 * HOUR, "in", "telegram")]  # contact 1: Mondays at 10
        rows += [(2, w + DAY + 20 * HOUR, "in", "telegram")]  # contact 2: Tuesdays at 20
        rows += [(2, w + DAY + 20 * HOUR + 60, "in", "telegram")]
    # contact 3: I write Wednesday 09:00, they answer at 09:05 -> both count at Wednesday 09
    rows += [(3, MONDAY + 2 * DAY + 9 * HOUR, "out", "email"),
             (3, MONDAY + 2 * DAY + 9 * HOUR + 300, "in", "email")]  # fmt: skip
    rows += [(4, MONDAY + 3 * DAY + 15 * HOUR, "out", "email")]  # never answered: no evidence
    hm = insights.heat_map(_log(rows), "UTC")
    assert sorted(hm.contact.tolist()) == [1, 2, 3]
    # each contact's evidence sums to one: three people's worth in all
    assert hm.weight.sum() == pytest.approx(3.0)
    assert hm.weight[0, 10] == pytest.approx(1.0) and hm.people[0, 10] == 1
    assert hm.weight[1, 20] == pytest.approx(1.0)
    assert hm.weight[2, 9] == pytest.approx(1.0)
    assert hm.weight[3, 15] == 0
    assert hm.cell_contacts(0, 10) == [1]
    assert hm.cell_contacts(1, 20) == [2]
    assert hm.cell_contacts(3, 15) == []
    assert set(hm.peaks(3)) == {(0, 10), (1, 20), (2, 9)}
    assert hm.best_cell(2) == (1, 20) and hm.best_cell(4) is None
    assert hm.samples.tolist() == [4, 8, 1]


def test_heat_map_is_in_the_users_time_zone() -> None:
    rows = [(1, MONDAY - k * 7 * DAY + 10 * HOUR, "in", "telegram") for k in range(3)]
    moscow = insights.heat_map(_log(rows), "Europe/Moscow")  # UTC+3 all year
    assert moscow.cell_contacts(0, 13) == [1] and moscow.weight[0, 10] == 0


def test_heat_map_shares_keep_one_chatty_contact_from_painting_everything() -> None:
    rows = [(1, MONDAY + 10 * HOUR + k * 10, "in", "telegram") for k in range(200)]
    rows += [(2, MONDAY + DAY + 18 * HOUR, "in", "telegram")]
    rows += [(3, MONDAY + DAY + 18 * HOUR + 5, "in", "sms")]
    hm = insights.heat_map(_log(rows), "UTC")
    assert hm.weight[1, 18] == pytest.approx(2.0)
    assert hm.weight[0, 10] == pytest.approx(1.0)
    assert hm.peaks(1) == [(1, 18)]
    assert insights.heat_map(_log([]), "UTC").peaks() == []


# -- fading ties ---------------------------------------------------------------------------


def test_fading_ties_are_strong_ties_going_quiet_with_their_numbers(db) -> None:
    fading = svc.add_contact(db, "Затихающий")
    steady = svc.add_contact(db, "Ровный")
    for k in range(1, 60):  # steady: every 3 days for half a year, to this day
        _add(db, steady, "telegram", NOW - k * 3 * DAY, "in" if k % 2 else "out")
    for k in range(24):  # fading: 24 in the 60 days before the last 30, then 2
        _add(db, fading, "telegram", NOW - 35 * DAY - k * 2 * DAY, "in" if k % 2 else "out")
    for k in range(40):
        _add(db, fading, "telegram", NOW - 100 * DAY - k * 3 * DAY, "in" if k % 2 else "out")
    _add(db, fading, "telegram", NOW - 10 * DAY)
    _add(db, fading, "telegram", NOW - 20 * DAY, "out")
    c = scoring.compute(db, None, NOW)
    ties = insights.fading_ties(c, {fading: "Затихающий"})
    assert [t.contact_id for t in ties] == [fading]
    t = ties[0]
    assert (t.recent30, t.prev60) == (2.0, 24.0)
    assert t.drop == pytest.approx(10.0)
    assert t.days_since == pytest.approx(10.0) and t.last_at == NOW - 10 * DAY
    assert t.strength >= insights.FADING_MIN_STRENGTH and t.name == "Затихающий"
    # a higher bar leaves it out
    assert insights.fading_ties(c, {}, min_strength=t.strength + 1) == []


# -- segments ------------------------------------------------------------------------------


def test_segments_split_work_email_from_evening_chats(db) -> None:
    mail = [svc.add_contact(db, f"Коллега {i}") for i in range(12)]
    chat = [svc.add_contact(db, f"Друг {i}") for i in range(12)]
    for n, cid in enumerate(mail):
        for k in range(10):  # weekdays 10-16 UTC, e-mail
            day = MONDAY + (n % 5 - (k + 1) * 7) * DAY  # Monday to Friday
            _add(db, cid, "email", day + (10 + n % 6) * HOUR, "in" if k % 2 else "out")
    for n, cid in enumerate(chat):
        for k in range(40):  # evenings, chats, often
            day = MONDAY - (k * 3 + n % 3) * DAY
            _add(db, cid, "telegram", day + (19 + n % 3) * HOUR, "in" if k % 2 else "out")
    c = scoring.compute(db, None, NOW)
    segs = insights.segments_of(c, event_read.load_log(db)[0], "UTC")
    assert sum(s.size for s in segs) == 24
    groups = {frozenset(s.contact_ids): s for s in segs}
    assert frozenset(mail) in groups and frozenset(chat) in groups
    assert "e-mail" in groups[frozenset(mail)].traits
    assert "work-hours" in groups[frozenset(mail)].traits
    assert {"evening", "chats"} <= set(groups[frozenset(chat)].traits)


def test_segment_labels_in_both_languages() -> None:
    assert insights.segment_label(["occasional", "work-hours", "e-mail"], "en") == (
        "occasional work-hours e-mails"
    )
    assert insights.segment_label(["occasional", "work-hours", "e-mail"], "ru") == (
        "нечастые письма в рабочее время"
    )
    assert insights.segment_label(["frequent", "evening", "chats"], "ru") == "частые вечерние чаты"
    assert insights.segment_label(["rare", "calls and meetings"], "ru") == "редкие звонки и встречи"
    assert insights.weekday_label(1, "ru") == "Вт" and insights.weekday_label(6, "en", False) == (
        "Sunday"
    )


# -- the contacts behind chart elements ------------------------------------------------------


def test_contacts_behind_bars_bins_and_tiers_match_the_charts(db) -> None:
    load_demo(db, 30, 0.5, seed=5)
    scoring.rescore(db, None)
    hist = today.strength_histogram(db)
    assert [len(insights.contacts_in_strength_bin(db, b)) for b in range(10)] == hist
    tiers = insights.tier_counts(db)
    assert {t: len(insights.contacts_in_tier(db, t)) for t in tiers} == tiers
    starts, series = today.weekly_by_channel(db)
    week = max(range(len(starts)), key=lambda i: series[next(iter(series))][i])
    channel = next(iter(series))
    ids = insights.contacts_in_week(db, starts[week], channel)
    with db.engine.connect() as conn:
        n = conn.exec_driver_sql(
            f"SELECT count(*) FROM interaction WHERE contact_id IN ({','.join('?' * len(ids))})"
            " AND channel = ? AND occurred_at >= ? AND occurred_at < ?",
            (*ids, channel, starts[week], starts[week] + insights.WEEK),
        ).scalar()
    assert ids and n == series[channel][week]  # these contacts make up the whole bar
    briefs = insights.contact_briefs(db, list(reversed(ids)) + [999_999])
    assert [b.id for b in briefs] == list(reversed(ids))  # order kept, unknown id skipped


def test_network_insights_are_cached_until_the_data_changes(db) -> None:
    load_demo(db, 20, 0.5, seed=3)
    scoring.rescore(db, None, now=NOW)
    a = insights.network_insights(db, NOW, "UTC")
    assert insights.network_insights(db, NOW, "UTC") is a
    assert insights.network_insights(db, NOW, "Europe/Moscow") is not a
    cid = svc.add_contact(db, "Новый")
    _add(db, cid, "sms", NOW - DAY)
    b = insights.network_insights(db, NOW, "UTC")
    assert b is not a and cid in b.heatmap.contact.tolist()


def test_a_cell_lists_only_contacts_usually_active_then() -> None:
    # contact 1: 100 messages on Mondays at 10, one stray message on a Sunday at 03
    rows = [(1, MONDAY - k * 7 * DAY + 10 * HOUR, "in", "telegram") for k in range(100)]
    rows += [(1, MONDAY - DAY + 3 * HOUR, "in", "telegram")]
    rows += [(2, MONDAY - DAY + 3 * HOUR + 60, "in", "telegram")]  # contact 2: only then
    hm = insights.heat_map(_log(rows), "UTC")
    assert hm.weight[6, 3] == pytest.approx(1 + 1 / 101)  # the stray message still counts
    assert hm.cell_contacts(6, 3) == [2] and hm.people[6, 3] == 1  # but 1 is no night owl
    assert hm.cell_contacts(0, 10) == [1]


def test_a_cell_lists_the_contacts_most_often_active_then_first() -> None:
    rows = [(1, MONDAY + 20 * HOUR, "in", "telegram")]  # one message, all of it at Monday 20
    rows += [(2, MONDAY - k * 7 * DAY + 20 * HOUR, "in", "telegram") for k in range(30)]
    rows += [(2, MONDAY - k * 7 * DAY + DAY + 9 * HOUR, "in", "telegram") for k in range(30)]
    hm = insights.heat_map(_log(rows), "UTC")
    assert hm.grids[0, 0, 20] == 1.0 and hm.grids[1, 0, 20] == pytest.approx(0.5)
    assert hm.cell_contacts(0, 20) == [2, 1]  # 30 messages then beat 1


def test_contacts_never_interacted_with_are_in_no_tier_and_no_strength_band(db) -> None:
    """ "Never interacted" is a state of its own, not a zero: such contacts are counted as
    "no history", not as dormant ties, and have no strength band."""
    load_demo(db, 30, 0.5, seed=5)
    never = [svc.add_contact(db, f"Никогда Незнакомый {i}") for i in range(4)]
    scoring.rescore(db, None)
    with db.engine.connect() as conn:
        silent = {r[0] for r in conn.exec_driver_sql(
            "SELECT id FROM contact WHERE is_me = 0 AND id NOT IN"
            " (SELECT contact_id FROM interaction)")}  # fmt: skip
    assert set(never) <= silent
    tiers = insights.tier_counts(db)
    assert tiers["never"] == len(silent)
    assert set(insights.contacts_in_tier(db, "never")) == silent
    assert not set(never) & set(insights.contacts_in_tier(db, "dormant"))
    hist = today.strength_histogram(db)
    assert sum(hist) + tiers["never"] == sum(tiers.values())
    assert not set(never) & {c for b in range(10) for c in insights.contacts_in_strength_bin(db, b)}


def test_an_address_book_without_history_still_has_its_tier_chart(db) -> None:
    for i in range(3):
        svc.add_contact(db, f"Only In The Book {i}")
    scoring.rescore(db, None)
    assert today.strength_histogram(db) == [0] * 10  # scored, nothing to band: not "unscored"
    assert insights.tier_counts(db) == {"never": 3}
