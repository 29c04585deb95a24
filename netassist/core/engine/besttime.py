"""Best time to reach each contact: the hour x weekday (in my zone) when they answer fastest.

Evidence per contact, on a 7 x 24 grid in the user's local zone:
- each of my messages that they answered inside the same conversation counts at the cell where I
  sent it, weighted by how fast they answered (2 ** -(latency / 1 h): an answer within minutes
  counts ~1, after a few hours little);
- each message they wrote counts 0.5 at its own cell (they are around then).
The grid is smoothed over neighbouring hours and the best cell is reported with the number of
messages behind it. Below ``MIN_SAMPLES`` messages from them there is no answer, only a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netassist.core.engine._groups import group_bounds
from netassist.core.engine._localtime import local_weekday_hour
from netassist.core.engine.events import EventLog

MIN_SAMPLES = 12
REPLY_HALF_LIFE_S = 3600.0
PRESENCE_WEIGHT = 0.5
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class BestTime:
    contact_id: int
    weekday: int | None  # 0 = Monday
    hour: int | None  # local hour 0-23: start of the best hour
    samples: int  # messages from them behind the estimate
    replies: int  # of my messages they answered
    reason: str
    grid: np.ndarray | None = None  # (7, 24) evidence, None when not enough data


def best_times(
    log: EventLog, tz: str = "UTC", min_samples: int = MIN_SAMPLES
) -> dict[int, BestTime]:
    """Best time per contact in ``log`` (every contact gets an entry, maybe "not enough data")."""
    keys, starts, gid = group_bounds(log.contact)
    ng = len(keys)
    if ng == 0:
        return {}
    wd, hr = local_weekday_hour(log.t, tz)
    cell = wd * 24 + hr
    d = log.direction
    t = log.t
    # Their replies to me: an in-message right after my out-message in the same conversation.
    reply_w = np.zeros(len(t))
    if len(t) > 1:
        is_reply = ~log.conv_start[1:] & (d[1:] < 0) & (d[:-1] > 0)
        lat = t[1:] - t[:-1]
        reply_w[:-1] = np.exp2(-np.where(is_reply, lat, np.inf) / REPLY_HALF_LIFE_S)
    presence = np.where(d < 0, PRESENCE_WEIGHT, 0.0)
    flat = gid * 168 + cell
    grid = np.bincount(flat, weights=reply_w + presence, minlength=ng * 168).reshape(ng, 7, 24)
    # Smooth over neighbouring hours (wrapping midnight into the same weekday: close enough).
    sm = 0.5 * grid + 0.25 * (np.roll(grid, 1, axis=2) + np.roll(grid, -1, axis=2))
    samples = np.bincount(gid, weights=(d < 0), minlength=ng).astype(np.int64)
    replies = np.bincount(gid, weights=reply_w > 0, minlength=ng).astype(np.int64)
    best = sm.reshape(ng, 168).argmax(axis=1)
    out: dict[int, BestTime] = {}
    for i in range(ng):
        cid = int(keys[i])
        if samples[i] < min_samples:
            out[cid] = BestTime(
                cid,
                None,
                None,
                int(samples[i]),
                int(replies[i]),
                f"not enough data: {samples[i]} messages from them, need {min_samples}",
            )
            continue
        w, h = divmod(int(best[i]), 24)
        out[cid] = BestTime(
            cid,
            w,
            h,
            int(samples[i]),
            int(replies[i]),
            f"{WEEKDAYS[w]} around {h:02d}:00: they answer fastest then "
            f"(from {samples[i]} messages, {replies[i]} replies to mine)",
            grid[i],
        )
    return out
