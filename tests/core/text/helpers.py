"""Small builders for hand-written conversations used by the text/engine tests."""

from __future__ import annotations

import datetime as dt

from netassist.core.engine.text import Message

# Monday 2026-05-04 10:00 UTC.
BASE = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC).timestamp()
HOUR = 3600.0
DAY = 86_400.0


def conv(*rows: tuple, contact_id: int = 1, start_id: int = 1) -> list[Message]:
    """rows: (hours after BASE, direction, text[, channel[, has_attachment]])."""
    out = []
    for i, row in enumerate(rows):
        hours, direction, text, *rest = row
        channel = rest[0] if rest else "telegram"
        att = bool(rest[1]) if len(rest) > 1 else False
        out.append(
            Message(start_id + i, contact_id, BASE + hours * HOUR, direction, text, channel, att)
        )
    return out
