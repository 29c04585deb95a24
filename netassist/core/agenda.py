"""Acting on what is due: done / snooze / dismiss on follow-ups and reminders, the counts of the
Today digest, and a contact's "keep in touch" settings (cadence override, next due, reminders).

The Today view, the contact page and the CLI share these. Every write here rescores the contact
involved, so the cached follow-ups (``contact_score``) and the tray's badge reflect it at once.
A follow-up snoozed until some time comes back when :func:`wake_snoozed` rescores it after that
time (the Today view calls it on every load).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from netassist.core import reminders as rem
from netassist.core.contacts import edit_contact, log_interaction, transaction
from netassist.core.db import Database
from netassist.core.timeutil import birthday_next, now_ts

#: Follow-up kinds the engine knows; anything else (a fallback "due" state) is acted on as overdue.
FOLLOWUP_KINDS = ("owed_reply", "reminder", "birthday", "anniversary", "overdue", "fading",
                  "reconnect")  # fmt: skip
#: Channels where both sides take part; other logged channels count as me reaching out.
_TOGETHER = ("call", "meeting")


def action_kind(kind_or_state: str) -> str:
    """The follow-up kind an action is recorded under (the fallback list carries states)."""
    return kind_or_state if kind_or_state in FOLLOWUP_KINDS else "overdue"


def _rescore(db: Database, cids: set[int], now: int | None = None) -> None:
    from netassist.core.scoring import rescore

    if cids:
        rescore(db, cids, now)


def _log(db: Database, cid: int, channel: str, when: int, text: str) -> None:
    direction = "mutual" if channel in _TOGETHER else "out"
    log_interaction(db, cid, channel, when, text, direction)


# --- follow-ups -------------------------------------------------------------------------------


#: One signal seen three ways (silence past the cadence, a strong tie fading, a dormant one
#: worth reviving): a snooze or dismissal of one covers all, or the next would pop up at once.
_SILENCE = ("overdue", "fading", "reconnect")


def _record(db: Database, cid: int, kind: str, action: str, until: int) -> None:
    kinds = _SILENCE if action_kind(kind) in _SILENCE else (action_kind(kind),)
    now = now_ts()
    with transaction(db) as conn:
        conn.executemany(
            "INSERT INTO followup_action (contact_id, kind, action, until, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(cid, k, action, int(until), now) for k in kinds],
        )
    _rescore(db, {cid})  # the cached follow-up of this contact reflects the action at once


def snooze_followup(db: Database, cid: int, kind: str, until: int) -> None:
    """Hide the contact's follow-up of ``kind`` until ``until``."""
    _record(db, cid, kind, "snooze", until)


def dismiss_followup(db: Database, cid: int, kind: str) -> None:
    """Hide it until there is a new interaction with the contact."""
    _record(db, cid, kind, "dismiss", now_ts())


def done_followup(db: Database, cid: int, kind: str, now: int, channel: str | None = None,
                  text: str = "") -> None:  # fmt: skip
    """Done (counts like an interaction for the cadence); with ``channel``, an interaction is
    logged too, which resets the contact's due like any other."""
    if channel:
        _log(db, cid, channel, now, text)
    _record(db, cid, kind, "done", now)


def snoozes_ended(db: Database, now: int | None = None) -> list[int]:
    """Contacts with a follow-up snooze that ended after they were last scored (their cached
    follow-ups still hide it)."""
    now = now_ts() if now is None else now
    with db.engine.connect() as conn:
        return [
            int(r[0])
            for r in conn.exec_driver_sql(
                "SELECT DISTINCT a.contact_id FROM followup_action a"
                " JOIN contact_score s ON s.contact_id = a.contact_id"
                " WHERE a.action = 'snooze' AND a.until <= ? AND a.until > s.computed_at",
                (now,),
            )
        ]


def wake_snoozed(db: Database, now: int | None = None) -> int:
    """Rescore the contacts of :func:`snoozes_ended`, so their follow-ups are back; how many."""
    now = now_ts() if now is None else now
    ids = set(snoozes_ended(db, now))
    _rescore(db, ids, now)
    return len(ids)


def next_wake(db: Database, now: int | None = None) -> int | None:
    """The next time something snoozed (a follow-up or a reminder) comes back, if any."""
    now = now_ts() if now is None else now
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT min(t) FROM (SELECT until AS t FROM followup_action"
            "  WHERE action = 'snooze' AND until > ?"
            " UNION ALL SELECT coalesce(snoozed_until, due_at) FROM reminder"
            "  WHERE done_at IS NULL AND dismissed_at IS NULL"
            "  AND coalesce(snoozed_until, due_at) > ?)",
            (now, now),
        ).scalar()


# --- reminders --------------------------------------------------------------------------------


def _reminder_contact(db: Database, rid: int) -> int | None:
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT contact_id FROM reminder WHERE id = ?", (rid,)).first()
    if row is None:
        raise LookupError(f"no reminder with id {rid}")
    return None if row[0] is None else int(row[0])


def add_reminder(db: Database, title: str, due_at: int, contact_id: int | None = None,
                 recurrence: str = "none") -> int:  # fmt: skip
    rid = rem.add_reminder(db, title, due_at, contact_id, recurrence)
    if contact_id is not None:
        _rescore(db, {contact_id})  # a reminder due now is a follow-up of its contact
    return rid


def snooze_reminder(db: Database, rid: int, until: int) -> None:
    cid = _reminder_contact(db, rid)
    rem.snooze(db, rid, int(until))
    _rescore(db, {cid} if cid is not None else set())


def dismiss_reminder(db: Database, rid: int, now: int) -> None:
    cid = _reminder_contact(db, rid)
    rem.dismiss(db, rid, now)
    _rescore(db, {cid} if cid is not None else set())


def done_reminder(db: Database, rid: int, now: int, channel: str | None = None,
                  text: str = "") -> int | None:  # fmt: skip
    """Done (a recurring reminder moves to its next time, which is returned); with ``channel``,
    an interaction with the reminder's contact is logged (which resets their due)."""
    cid = _reminder_contact(db, rid)
    with db.engine.connect() as conn:
        title = conn.exec_driver_sql("SELECT title FROM reminder WHERE id = ?", (rid,)).scalar()
    nxt = rem.done(db, rid, now)
    if cid is not None:
        if channel:
            _log(db, cid, channel, now, text or str(title or ""))
        _rescore(db, {cid})
    return nxt


def contact_reminders(db: Database, cid: int) -> list[dict[str, Any]]:
    """The contact's open reminders, soonest first (``when`` is the snoozed time if snoozed)."""
    with db.engine.connect() as conn:
        return [
            dict(r)
            for r in conn.exec_driver_sql(
                "SELECT id, title, kind, recurrence, due_at, snoozed_until,"
                ' coalesce(snoozed_until, due_at) AS "when" FROM reminder'
                " WHERE contact_id = ? AND done_at IS NULL AND dismissed_at IS NULL"
                " ORDER BY coalesce(snoozed_until, due_at), id",
                (cid,),
            ).mappings()
        ]


# --- the Today digest -------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestCounts:
    followups: dict[str, int]  # kind → how many in Today's list (dormant ones not counted)
    reminders: int
    birthdays_week: int  # contacts whose birthday is in the next 7 days (today included)
    dormant: int  # contacts silent for over 3 x their cadence
    reconnect: int  # dormant ones the engine suggests reconnecting with


def birthdays_within(db: Database, today: date, days: int = 7) -> int:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT birthday FROM contact WHERE birthday IS NOT NULL AND is_me = 0"
        ).all()
    end = today + timedelta(days=days - 1)
    return sum(1 for (b,) in rows if (d := birthday_next(b, today)) is not None and d <= end)


def digest_counts(db: Database, followup_kinds: list[str], reminders: int,
                  now: int | None = None) -> DigestCounts:  # fmt: skip
    """Counts for the line at the top of Today: ``followup_kinds`` are the kinds (or fallback
    states) of the follow-ups listed; reconnect suggestions are dormant contacts, counted apart."""
    now = now_ts() if now is None else now
    kinds = Counter(k if k in FOLLOWUP_KINDS else "overdue" for k in followup_kinds)
    reconnect = kinds.pop("reconnect", 0)
    with db.engine.connect() as conn:
        dormant = conn.exec_driver_sql(
            "SELECT count(*) FROM contact_score s JOIN contact c ON c.id = s.contact_id"
            " WHERE c.is_me = 0 AND s.state = 'dormant'"
        ).scalar_one()
    today = datetime.fromtimestamp(now).astimezone().date()
    return DigestCounts(dict(kinds), reminders, birthdays_within(db, today), int(dormant),
                        reconnect)  # fmt: skip


# --- keep in touch (one contact) --------------------------------------------------------------


@dataclass(frozen=True)
class KeepInTouch:
    contact_id: int
    learned_days: float | None  # the cadence learned from the history (None: no history)
    user_days: float | None  # the user's override, if set
    cadence_days: float | None  # the one in force, as of the last scoring
    due_at: int | None
    last_at: int | None
    state: str  # active / due / overdue / dormant / never ("" before the first scoring)


def learned_cadence(db: Database, cid: int, now: int | None = None) -> float | None:
    """The cadence the engine would use for ``cid`` without the user's override."""
    import numpy as np

    from netassist.core.engine.cadence import estimate_cadence
    from netassist.core.engine.features import compute_features
    from netassist.core.engine.strength import TIER_NAMES
    from netassist.core.event_read import load_log

    now = now_ts() if now is None else now
    evlog, cids = load_log(db, [cid])
    f = compute_features(evlog, float(now), contact_ids=cids)
    if not len(f) or bool(f.never[0]):
        return None
    with db.engine.connect() as conn:
        tier = conn.exec_driver_sql(
            "SELECT tier FROM contact_score WHERE contact_id = ?", (cid,)
        ).scalar()
    idx = TIER_NAMES.index(tier) if tier in TIER_NAMES else len(TIER_NAMES) - 2
    cad = estimate_cadence(f, np.array([idx], dtype=np.int8), None)
    return float(cad.days[0])


def keep_in_touch(db: Database, cid: int, now: int | None = None) -> KeepInTouch:
    with db.engine.connect() as conn:
        user = conn.exec_driver_sql(
            "SELECT cadence_days FROM contact WHERE id = ?", (cid,)
        ).scalar()
        row = conn.exec_driver_sql(
            "SELECT cadence_days, due_at, last_at, state FROM contact_score WHERE contact_id = ?",
            (cid,),
        ).first()
    cad, due, last, state = row if row is not None else (None, None, None, "")
    return KeepInTouch(cid, learned_cadence(db, cid, now), user, cad, due, last, state or "")


def set_cadence(db: Database, cid: int, days: float | None) -> None:
    """Keep in touch every ``days`` days (None or 0: back to the learned cadence); rescored."""
    edit_contact(db, cid, cadence_days=float(days) if days else None)
    _rescore(db, {cid})
