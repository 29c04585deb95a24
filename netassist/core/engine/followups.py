"""Follow-up suggestions: who to reach out to now, why, and what to do.

Kinds (each with a reason and an action in English and machine-readable ``params``; the texts
are made from kind + params by :mod:`netassist.core.engine.texts`, which displays call with the
person's language):
- ``owed_reply``: their last message came after my last one and is unanswered (more urgent when
  it contained a question: the caller passes ``last_in_is_question``);
- ``reminder``: a reminder the user set is due;
- ``birthday`` / ``anniversary``: within the next 14 days;
- ``overdue``: silence longer than the contact's own cadence, but not yet 3 x (see cadence);
- ``fading``: a strong tie (close or inner circle) whose activity is trending down;
- ``reconnect``: a dormant tie that used to be valuable (many conversations over the years).

User actions feed back, each ``(contact_id, kind, action, until)``:
- ``snooze``: hidden while now < until;
- ``dismiss``: hidden for that kind until a new interaction after ``until`` (the time of the
  dismissal);
- ``done``: the user did it at ``until``: overdue/fading/reconnect count from then as if it were an
  interaction (due again one cadence later), an owed reply is cleared until they write again,
  a birthday/anniversary is done for this year, a reminder is cleared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from netassist.core.engine.cadence import DORMANT_FACTOR, CadenceColumns
from netassist.core.engine.events import CHANNEL_NAMES
from netassist.core.engine.features import DAY, ContactFeatures
from netassist.core.engine.strength import TIER_NAMES, ScoreColumns
from netassist.core.engine.texts import followup_action, followup_reason

KINDS = ("owed_reply", "reminder", "birthday", "anniversary", "overdue", "fading", "reconnect")
DATE_WINDOW_DAYS = 14
OWED_REPLY_MAX_DAYS = 60.0  # an unanswered message older than this is no longer "owed"
OWED_DECAY_PER_DAY = 0.6  # priority lost per day an owed reply waits (for the first 30 days)
FADING_MAX_TIER = 1  # close or inner circle
RECONNECT_MIN_CONVERSATIONS = 10
TIER_INDEX = {n: i for i, n in enumerate(TIER_NAMES)}


class Action(NamedTuple):
    contact_id: int
    kind: str
    action: str  # "snooze" | "dismiss" | "done"
    until: float  # snooze: hidden until; dismiss/done: when the user did it (unix seconds)


class Reminder(NamedTuple):
    contact_id: int
    due_t: float
    text: str


@dataclass
class ExtraSignals:
    """What the engine cannot derive from the event log; everything optional but ``features``."""

    features: ContactFeatures
    last_in_is_question: np.ndarray | None = None  # bool per features row
    birthdays: Mapping[int, str] = field(default_factory=dict)  # "YYYY-MM-DD" or "--MM-DD"
    anniversaries: Mapping[int, str] = field(default_factory=dict)
    reminders: Sequence[Reminder] = ()
    tz: str = "UTC"  # the user's zone, to decide what "today" is for dates


@dataclass
class FollowUp:
    contact_id: int
    kind: str
    priority: float  # 0-100
    reason: str
    suggested_action: str
    due: float  # unix seconds
    params: dict[str, Any] = field(default_factory=dict)


def date_priority(days_until: int) -> float:
    """A birthday or anniversary cannot be moved: today it comes before anything but a due
    reminder (95 and up: above any owed reply), in two days before a stale unanswered question,
    a week or more ahead below a fresh one (48 points that halve about every two days)."""
    return 47.0 + 48.0 * float(np.exp(-days_until / 3.0))


def _parse_month_day(s: str) -> tuple[int | None, int, int] | None:
    s = s.strip()
    try:
        if s.startswith("--"):
            m, d = s[2:].split("-")[:2]
            return None, int(m), int(d)
        y, m, d = s.split("-")[:3]
        return int(y), int(m), int(d[:2])
    except ValueError:
        return None


def _next_occurrence(today: dt.date, month: int, day: int) -> dt.date | None:
    for year in (today.year, today.year + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            if month == 2 and day == 29:  # born on Feb 29: celebrate on Feb 28
                d = dt.date(year, 2, 28)
            else:
                return None
        if d >= today:
            return d
    return None


def _today(now: float, tz: str) -> dt.date:
    from zoneinfo import ZoneInfo

    try:
        zone: dt.tzinfo = ZoneInfo(tz)
    except (KeyError, ValueError):
        zone = dt.UTC
    return dt.datetime.fromtimestamp(now, zone).date()


def rank_followups(
    scores: ScoreColumns,
    cadences: CadenceColumns,
    extra_signals: ExtraSignals,
    now: float,
    actions: Sequence[Action | tuple[int, str, str, float]] = (),
) -> list[FollowUp]:
    """All current follow-ups, highest priority first (ties: earlier due, smaller id)."""
    f = extra_signals.features
    n = len(f)
    if not (len(scores.contact) == len(cadences.contact) == n):
        raise ValueError("scores, cadences and features must have the same rows")
    acts = [Action(*a) for a in actions]
    snoozed: dict[tuple[int, str], float] = {}
    dismissed: dict[tuple[int, str], float] = {}
    done: dict[tuple[int, str], float] = {}
    for a in acts:
        key = (int(a.contact_id), a.kind)
        target = {"snooze": snoozed, "dismiss": dismissed, "done": done}.get(a.action)
        if target is not None:
            target[key] = max(target.get(key, -np.inf), float(a.until))

    last = np.where(f.never, -np.inf, f.last_t)
    strength = scores.strength
    ch = [CHANNEL_NAMES[c] if c >= 0 else "message" for c in f.dominant_channel]
    out: list[FollowUp] = []

    def add(i: int, kind: str, prio: float, due: float, **p: Any) -> None:
        cid = int(f.contact[i])
        key = (cid, kind)
        if snoozed.get(key, -np.inf) > now:
            return
        if key in dismissed and last[i] <= dismissed[key]:
            return
        # English texts here (stable for logs, JSON and tests); displays re-render kind + params
        reason, action = followup_reason(kind, p, "en"), followup_action(kind, p, "en")
        out.append(
            FollowUp(
                cid, kind, round(float(np.clip(prio, 0, 100)), 1), reason, action, float(due), p
            )
        )

    # Owed replies: their message is the latest and it is recent enough to still answer.
    lin = np.nan_to_num(f.last_in_t, nan=-np.inf)
    lout = np.nan_to_num(f.last_out_t, nan=-np.inf)
    q = (
        np.zeros(n, dtype=bool)
        if extra_signals.last_in_is_question is None
        else np.asarray(extra_signals.last_in_is_question, dtype=bool)
    )
    owed_age = (now - lin) / DAY
    owed = (lin > lout) & (owed_age <= OWED_REPLY_MAX_DAYS) & np.isfinite(lin)
    for i in np.flatnonzero(owed):
        if done.get((int(f.contact[i]), "owed_reply"), -np.inf) >= lin[i]:
            continue
        age = float(owed_age[i])
        # fresh: 60-95; a month-old question weighs about what a fresh plain message does
        prio = 60 + (20 if q[i] else 0) + 0.15 * strength[i] - OWED_DECAY_PER_DAY * min(age, 30)
        add(
            int(i),
            "owed_reply",
            prio,
            lin[i],
            days_since=round(age, 2),
            question=bool(q[i]),
        )

    # Reminders the user set.
    row = {int(c): i for i, c in enumerate(f.contact)}
    for r in extra_signals.reminders:
        i = row.get(int(r.contact_id))
        if i is None or r.due_t > now:
            continue
        if done.get((int(r.contact_id), "reminder"), -np.inf) >= r.due_t:
            continue
        late = (now - r.due_t) / DAY
        add(
            i,
            "reminder",
            90 + min(late, 10),
            r.due_t,
            text=r.text,
            days_late=round(late, 2),
        )

    # Birthdays and anniversaries within the window.
    today = _today(now, extra_signals.tz)
    for kind, dates in (
        ("birthday", extra_signals.birthdays),
        ("anniversary", extra_signals.anniversaries),
    ):
        for cid, s in dates.items():
            i = row.get(int(cid))
            parsed = _parse_month_day(s) if s else None
            if i is None or parsed is None:
                continue
            year, month, day = parsed
            occ = _next_occurrence(today, month, day)
            if occ is None:
                continue
            days = (occ - today).days
            if days > DATE_WINDOW_DAYS:
                continue
            occ_t = dt.datetime(occ.year, occ.month, occ.day, tzinfo=dt.UTC).timestamp()
            if done.get((int(cid), kind), -np.inf) >= occ_t - DATE_WINDOW_DAYS * DAY:
                continue
            years = (occ.year - year) if year else None
            add(
                i,
                kind,
                date_priority(days) + 0.1 * strength[i],
                occ_t,
                days_until=days,
                years=years,
            )

    # Overdue / fading / reconnect: a "done" counts like an interaction at that time.
    eff_last = last.copy()
    for (cid, kind), t in done.items():
        i = row.get(cid)
        if i is not None and kind in ("overdue", "fading", "reconnect"):
            eff_last[i] = max(eff_last[i], t)
    cad = cadences.days
    silence = (now - eff_last) / DAY
    ratio = silence / cad
    overdue = ~f.never & (ratio > 1.0) & (ratio <= DORMANT_FACTOR) & (silence >= 1.0)
    for i in np.flatnonzero(overdue):
        over = float(silence[i] - cad[i])
        prio = 30 + 0.4 * strength[i] + 10 * min(ratio[i] - 1.0, 2.0)
        add(
            int(i),
            "overdue",
            prio,
            eff_last[i] + cad[i] * DAY,
            days_since=round(float(silence[i]), 2),
            cadence_days=round(float(cad[i]), 2),
            overdue_days=round(over, 2),
            channel=ch[i],
        )

    fading = (scores.tier <= FADING_MAX_TIER) & (scores.trend < 0) & (silence >= 1.0)
    for i in np.flatnonzero(fading):
        add(
            int(i),
            "fading",
            25 + 0.4 * strength[i],
            now,
            recent30=float(f.recent30[i]),
            prev60=float(f.prev60[i]),
            tier=TIER_NAMES[scores.tier[i]],
        )

    valuable = f.conversations >= RECONNECT_MIN_CONVERSATIONS
    reconnect = ~f.never & valuable & (ratio > DORMANT_FACTOR)
    for i in np.flatnonzero(reconnect):
        add(
            int(i),
            "reconnect",
            15 + 2 * np.log1p(f.conversations[i]),
            now,
            conversations=int(f.conversations[i]),
            days_since=round(float(silence[i]), 2),
        )

    out.sort(key=lambda x: (-x.priority, x.due, x.contact_id))
    return out
