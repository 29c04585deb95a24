"""Local weekday and hour for many unix timestamps at once."""

from __future__ import annotations

import datetime as dt

import numpy as np


def utc_offsets(t: np.ndarray, tz: str) -> np.ndarray:
    """UTC offset in seconds of ``tz`` at each time in ``t``.

    The offset is looked up once per distinct UTC day (at noon), not per event, so a million
    events cost a few thousand zone lookups; only the few hours around a DST switch can be off
    by the DST step. An unknown zone name falls back to UTC.
    """
    from zoneinfo import ZoneInfo

    if len(t) == 0:
        return np.zeros(0)
    try:
        zone: dt.tzinfo = ZoneInfo(tz)
    except (KeyError, ValueError):
        zone = dt.UTC
    days = np.floor(t / 86400.0).astype(np.int64)
    ud, inv = np.unique(days, return_inverse=True)
    offs = np.empty(len(ud))
    for k, d in enumerate(ud):
        moment = dt.datetime.fromtimestamp(int(d) * 86400 + 43200, dt.UTC).astimezone(zone)
        off = moment.utcoffset()
        offs[k] = off.total_seconds() if off is not None else 0.0
    return offs[inv]


def local_weekday_hour(t: np.ndarray, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """(weekday 0 = Monday, hour 0-23) in ``tz`` as int64 arrays."""
    local = t + utc_offsets(t, tz)
    days = np.floor(local / 86400.0).astype(np.int64)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    hour = (np.floor(local / 3600.0).astype(np.int64)) % 24
    return weekday, hour
