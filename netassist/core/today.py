"""Small read queries for the Today and Insights views (Qt-free, plain values).

The engine fills ``contact_score`` (state, due_at, strength); until it has run, Today falls
back to contacts ordered by how long ago the last interaction was (:func:`stale_contacts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from netassist.core.db import Database
from netassist.core.timeutil import now_ts

WEEK = 7 * 86400


@dataclass(frozen=True)
class DueItem:
    """One line of the Today list: a follow-up, a reminder or (fallback) a quiet contact."""

    kind: str  # "followup" / "reminder" / "stale"
    contact_id: int | None
    name: str
    when: int | None  # due_at for follow-ups and reminders, last interaction for stale
    state: str  # due / overdue for follow-ups; reminder kind; "" for stale
    title: str = ""  # reminder title
    ref: int | None = None  # the reminder's id (to act on it)


def has_scores(db: Database) -> bool:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM contact_score LIMIT 1").first() is not None


def due_followups(db: Database, limit: int = 200) -> list[DueItem]:
    """The engine's follow-ups as of the last scoring (owed replies, overdue by their own
    cadence, fading ties, birthdays...), highest priority first, each with its reason; without
    them, contacts the engine marked due or overdue, most overdue first."""
    from netassist.core.scoring import cached_followups

    ranked = cached_followups(db, limit)
    if ranked:
        return [DueItem("followup", cid, name, due, kind, reason)
                for cid, name, kind, reason, due in ranked]  # fmt: skip
    return _due_by_state(db, limit)


def _due_by_state(db: Database, limit: int) -> list[DueItem]:
    """Contacts the engine marked due or overdue, most overdue first."""
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT s.contact_id, c.display_name, s.due_at, s.state FROM contact_score s"
            " JOIN contact c ON c.id = s.contact_id"
            " WHERE s.state IN ('due', 'overdue') AND c.is_me = 0"
            " ORDER BY coalesce(s.due_at, 0), c.display_name LIMIT ?",
            (limit,),
        ).all()
    return [DueItem("followup", r[0], r[1], r[2], r[3]) for r in rows]


def due_reminders(db: Database, now: int | None = None, horizon_s: int = 86400) -> list[DueItem]:
    """Open reminders due before ``now + horizon_s`` and not snoozed past now."""
    now = now_ts() if now is None else now
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT r.contact_id, coalesce(c.display_name, ''), r.due_at, r.kind, r.title, r.id"
            " FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
            " WHERE r.done_at IS NULL AND r.dismissed_at IS NULL AND r.due_at <= ?"
            " AND (r.snoozed_until IS NULL OR r.snoozed_until <= ?)"
            " ORDER BY r.due_at",
            (now + horizon_s, now),
        ).all()
    return [DueItem("reminder", r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def stale_contacts(db: Database, limit: int = 50) -> list[DueItem]:
    """Contacts with any history, longest since the last interaction first.

    One pass over the (contact_id, occurred_at) index; fast enough at a million rows for a view
    that loads off the GUI thread."""
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT c.id, c.display_name, m.last FROM contact c"
            " JOIN (SELECT contact_id, max(occurred_at) AS last FROM interaction"
            "       GROUP BY contact_id) m ON m.contact_id = c.id"
            " WHERE c.is_me = 0 ORDER BY m.last ASC, c.id LIMIT ?",
            (limit,),
        ).all()
    return [DueItem("stale", r[0], r[1], r[2], "") for r in rows]


def weekly_by_channel(
    db: Database, weeks: int = 26, now: int | None = None
) -> tuple[list[int], dict[str, list[int]]]:
    """Interactions per week for the last ``weeks`` weeks, split by channel.

    Returns (week start timestamps oldest first, channel → counts aligned with them)."""
    now = now_ts() if now is None else now
    end = now - now % WEEK + WEEK  # weeks aligned to the epoch (Thursdays); fine for a chart
    start = end - weeks * WEEK
    starts = [start + i * WEEK for i in range(weeks)]
    series: dict[str, list[int]] = {}
    with db.engine.connect() as conn:
        for channel, bucket, n in conn.exec_driver_sql(
            "SELECT channel, (occurred_at - ?) / ?, count(*) FROM interaction"
            " WHERE occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2",
            (start, WEEK, start, end),
        ):
            counts = series.setdefault(channel, [0] * weeks)
            if 0 <= bucket < weeks:
                counts[int(bucket)] += n
    ordered = dict(sorted(series.items(), key=lambda kv: -sum(kv[1])))
    return starts, ordered


def strength_histogram(db: Database, bins: int = 10) -> list[int]:
    """How many scored contacts fall in each 0–100 strength band (empty when nothing scored).
    Contacts never interacted with have no strength to show ("never" is not a zero): they are
    counted apart, as the "no history" tier."""
    counts = [0] * bins
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT CASE WHEN s.state = 'never' THEN -1"
            " ELSE min(CAST(s.strength * ? / 100 AS INTEGER), ?) END, count(*) FROM contact_score s"
            " JOIN contact c ON c.id = s.contact_id WHERE c.is_me = 0 GROUP BY 1",
            (bins, bins - 1),
        ).all()
    if not rows:
        return []
    for b, n in rows:
        if b >= 0:
            counts[int(b)] += n
    return counts


def tag_names(db: Database) -> list[str]:
    """Every tag in use, for the contacts view's tag filter."""
    with db.engine.connect() as conn:
        return [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT DISTINCT t.name FROM tag t JOIN contact_tag ct ON ct.tag_id = t.id"
                " ORDER BY t.name COLLATE NOCASE"
            )
        ]
