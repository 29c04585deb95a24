"""Time helpers: the store keeps UTC unix seconds; people see local dates."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime


def now_ts() -> int:
    return int(time.time())


def to_ts(dt: datetime) -> int:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def from_ts(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def local_dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts).astimezone()


def fmt_local(ts: float | None, with_time: bool = True) -> str:
    if ts is None:
        return ""
    return local_dt(ts).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def parse_when(text: str, now: datetime | None = None) -> int:
    """Parse a user-given time: ISO date/datetime, "now", "today", "yesterday", "-3d", "-2h"."""
    now = now or datetime.now().astimezone()
    t = text.strip().lower()
    if t in ("", "now"):
        return to_ts(now)
    if t in ("today",):
        return to_ts(now)
    if t == "yesterday":
        return to_ts(now) - 86400
    if t[:1] in "+-" and t[-1:] in "dhwm" and t[1:-1].isdigit():
        unit = {"d": 86400, "h": 3600, "w": 7 * 86400, "m": 60}[t[-1]]
        n = int(t[1:-1]) * unit
        return to_ts(now) + (n if t[0] == "+" else -n)
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"cannot read the time {text!r}: use YYYY-MM-DD, 'YYYY-MM-DD HH:MM', now, -3d"
        ) from None
    if dt.tzinfo is None:
        dt = dt.astimezone()  # a person's wall time
    return to_ts(dt)


def birthday_next(bday: str | None, today: date) -> date | None:
    """The next occurrence (today included) of a "YYYY-MM-DD" / "--MM-DD" birthday."""
    if not bday:
        return None
    try:
        mm, dd = (int(bday[-5:-3]), int(bday[-2:]))
    except ValueError:
        return None
    for year in (today.year, today.year + 1):
        try:
            d = date(year, mm, dd)
        except ValueError:  # 29 Feb in a common year
            d = date(year, 3, 1)
        if d >= today:
            return d
    return None
