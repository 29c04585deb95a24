"""Reminders: what is due, snooze / done / dismiss, recurrence, birthdays, quiet hours, and the
one daily digest. No scheduler here — the tray (or ``netassist remind run``) asks this module.

Misfires: a reminder that came due while netassist was not running is *missed*; it fires once at
the next start, together with the others, in one notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from netassist.core.contacts import log_interaction, transaction
from netassist.core.db import Database
from netassist.core.i18n import N_, translations_for
from netassist.core.timeutil import birthday_next, now_ts

RECURRENCES = ("none", "daily", "weekly", "monthly", "yearly")
STEP = {
    "daily": relativedelta(days=1),
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
    "yearly": relativedelta(years=1),
}


@dataclass
class Due:
    id: int
    title: str
    body: str
    kind: str
    contact_id: int | None
    contact_name: str | None
    due_at: int
    missed: bool  # came due before this run of netassist started


def add_reminder(
    db: Database, title: str, due_at: int, contact_id: int | None = None,
    recurrence: str = "none", body: str = "", kind: str = "user",
) -> int:  # fmt: skip
    if recurrence not in RECURRENCES:
        raise ValueError(f"recurrence is one of {', '.join(RECURRENCES)}")
    if not title.strip():
        raise ValueError("a reminder needs a title")
    with transaction(db) as conn:
        cur = conn.execute(
            "INSERT INTO reminder (contact_id, title, body, kind, due_at, recurrence, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (contact_id, title.strip(), body, kind, int(due_at), recurrence, now_ts()),
        )
        return int(cur.lastrowid)


def list_reminders(db: Database, include_done: bool = False) -> list[dict[str, Any]]:
    where = "" if include_done else "WHERE r.done_at IS NULL AND r.dismissed_at IS NULL"
    with db.engine.connect() as conn:
        return [
            dict(r)
            for r in conn.exec_driver_sql(
                "SELECT r.*, c.display_name AS contact_name FROM reminder r"
                f" LEFT JOIN contact c ON c.id = r.contact_id {where}"
                " ORDER BY coalesce(r.snoozed_until, r.due_at), r.id"
            ).mappings()
        ]


def due_reminders(db: Database, now: int, started_at: int | None = None) -> list[Due]:
    """Reminders due at ``now`` that have not fired since they came due."""
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT r.id, r.title, r.body, r.kind, r.contact_id, c.display_name, r.due_at,"
            " r.snoozed_until, r.last_fired_at FROM reminder r"
            " LEFT JOIN contact c ON c.id = r.contact_id"
            " WHERE r.done_at IS NULL AND r.dismissed_at IS NULL"
            " AND coalesce(r.snoozed_until, r.due_at) <= ?"
            " ORDER BY r.due_at, r.id",
            (now,),
        ).all()
    out = []
    for rid, title, body, kind, cid, name, due_at, snoozed, fired in rows:
        effective = snoozed if snoozed is not None else due_at
        if fired is not None and fired >= effective:
            continue  # already shown for this occurrence; waits for done/snooze/dismiss
        missed = started_at is not None and effective < started_at
        out.append(Due(rid, title, body, kind, cid, name, effective, missed))
    return out


def mark_fired(db: Database, ids: list[int], now: int) -> None:
    if not ids:
        return
    with transaction(db) as conn:
        conn.executemany("UPDATE reminder SET last_fired_at = ? WHERE id = ?",
                         [(now, i) for i in ids])  # fmt: skip


def snooze(db: Database, rid: int, until: int) -> None:
    with transaction(db) as conn:
        cur = conn.execute("UPDATE reminder SET snoozed_until = ? WHERE id = ?", (until, rid))
        if cur.rowcount == 0:
            raise LookupError(f"no reminder with id {rid}")


def snooze_until(choice: str, now: datetime) -> datetime:
    """'1h', 'tomorrow' (9:00 next day), 'next-week' (Monday 9:00), or an ISO time."""
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        return datetime.combine(now.date() + timedelta(days=1), time(9), now.tzinfo)
    if choice in ("next-week", "week"):
        monday = now.date() + timedelta(days=7 - now.weekday())
        return datetime.combine(monday, time(9), now.tzinfo)
    dt = datetime.fromisoformat(choice)
    return dt if dt.tzinfo else dt.replace(tzinfo=now.tzinfo)


def next_occurrence(due_at: int, recurrence: str, after: int) -> int | None:
    if recurrence not in STEP:
        return None
    dt = datetime.fromtimestamp(due_at).astimezone()
    step = STEP[recurrence]
    n = 1
    while True:  # step from the original date so "31st monthly" stays at month ends
        cand = dt + step * n
        if cand.timestamp() > after:
            return int(cand.timestamp())
        n += 1


def done(db: Database, rid: int, now: int, log: bool = False) -> int | None:
    """Mark done; a recurring reminder moves to its next occurrence. With ``log``, an
    interaction is logged for the reminder's contact (which resets their due)."""
    with transaction(db) as conn:
        row = conn.execute(
            "SELECT due_at, recurrence, contact_id, title FROM reminder WHERE id = ?", (rid,)
        ).fetchone()
        if row is None:
            raise LookupError(f"no reminder with id {rid}")
        due_at, rec, cid, title = row
        nxt = next_occurrence(due_at, rec, now)
        if nxt is None:
            conn.execute("UPDATE reminder SET done_at = ?, snoozed_until = NULL WHERE id = ?",
                         (now, rid))  # fmt: skip
        else:
            conn.execute("UPDATE reminder SET due_at = ?, snoozed_until = NULL WHERE id = ?",
                         (nxt, rid))  # fmt: skip
    if log and cid is not None:
        log_interaction(db, cid, "note", now, f"done: {title}")
    return nxt


def dismiss(db: Database, rid: int, now: int) -> None:
    with transaction(db) as conn:
        cur = conn.execute("UPDATE reminder SET dismissed_at = ? WHERE id = ?", (now, rid))
        if cur.rowcount == 0:
            raise LookupError(f"no reminder with id {rid}")


def sync_birthdays(db: Database, today: date, at: time = time(9)) -> int:
    """One yearly reminder per contact with a birthday, kept at the next occurrence (its title
    in the language setting of the time it is made)."""
    from netassist.core.settings import Settings

    birthday_of = translations_for(str(Settings(db).get("language"))).gettext(
        N_("Birthday: {name}")
    )
    with transaction(db) as conn:
        have = {
            cid: (rid, due)
            for rid, cid, due in conn.execute(
                "SELECT id, contact_id, due_at FROM reminder WHERE kind = 'birthday'"
            )
        }
        made = 0
        for cid, name, bday in conn.execute(
            "SELECT id, display_name, birthday FROM contact WHERE birthday IS NOT NULL AND is_me = 0"
        ).fetchall():
            nxt = birthday_next(bday, today)
            if nxt is None:
                continue
            ts = int(datetime.combine(nxt, at).astimezone().timestamp())
            if cid in have:
                rid, due = have[cid]
                if due < ts - 300 * 86400:  # a year passed with nobody pressing "done"
                    conn.execute("UPDATE reminder SET due_at = ? WHERE id = ?", (ts, rid))
                continue
            conn.execute(
                "INSERT INTO reminder (contact_id, title, kind, due_at, recurrence, created_at)"
                " VALUES (?, ?, 'birthday', ?, 'yearly', ?)",
                (cid, birthday_of.format(name=name), ts, now_ts()),
            )
            made += 1
    return made


def _hm(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m))


def in_quiet_hours(local: datetime, start: str, end: str) -> bool:
    a, b, t = _hm(start), _hm(end), local.time()
    if a == b:
        return False
    return (a <= t or t < b) if a > b else (a <= t < b)


def quiet_hours_end(local: datetime, start: str, end: str) -> datetime:
    """The first moment after ``local`` outside quiet hours."""
    if not in_quiet_hours(local, start, end):
        return local
    b = _hm(end)
    cand = datetime.combine(local.date(), b, local.tzinfo)
    return cand if cand > local else cand + timedelta(days=1)


@dataclass
class Digest:
    title: str
    body: str
    reminder_ids: list[int]
    count: int


def compose_digest(reminders: list[Due], followups: list[tuple[str, str]], max_lines: int = 8,
                   lang: str = "en") -> Digest | None:  # fmt: skip
    """One notification for everything due: reminders first, then follow-ups (name, reason).

    Texts come from the catalog of ``lang`` without switching the process's language: this runs
    on a scheduler thread while the window may be drawing."""
    t = translations_for(lang)
    lines: list[str] = []
    missed = [r for r in reminders if r.missed]
    for r in reminders:
        who = f" — {r.contact_name}" if r.contact_name and r.contact_name not in r.title else ""
        mark = t.gettext("missed: ") if r.missed else ""
        lines.append(f"• {mark}{r.title}{who}")
    for name, reason in followups:
        lines.append(f"• {name}: {reason}")
    total = len(lines)
    if not total:
        return None
    shown = lines[:max_lines]
    if total > max_lines:
        more = total - max_lines
        shown.append(t.ngettext("… and {n} more", "… and {n} more", more).format(n=more))
    title = t.ngettext(
        "netassist: {n} thing to do today", "netassist: {n} things to do today", total
    ).format(n=total)
    if missed:
        title += " " + t.ngettext("({n} missed)", "({n} missed)", len(missed)).format(n=len(missed))
    return Digest(title, "\n".join(shown), [r.id for r in reminders], total)
