"""The engine's input: every interaction as plain numpy columns, sorted by (contact, time).

The app builds an :class:`EventLog` from the interaction table and ``evaluate`` builds one from a
public log, so both run the very same feature/strength/cadence code. Nothing here knows about the
database or Qt.

Direction is seen from me: +1 out (me -> them), -1 in (them -> me), 0 mutual (a meeting, a call
where the direction is unknown). ``weight`` is how much one record counts by itself (1 private,
0.4 group chat, 0.5 cc, 0.3 bulk); the channel weight (a meeting counts more than one chat line)
multiplies it, see :func:`EventLog.effective_weight`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Channel name -> int8 code stored in :attr:`EventLog.channel`.
CHANNEL_CODES: dict[str, int] = {
    "email": 0,
    "telegram": 1,
    "whatsapp": 2,
    "messenger": 3,
    "instagram": 4,
    "vk": 5,
    "signal": 6,
    "sms": 7,
    "call": 8,
    "meeting": 9,
    "note": 10,
    "linkedin": 11,
    "other": 12,
}
CHANNEL_NAMES: tuple[str, ...] = tuple(sorted(CHANNEL_CODES, key=CHANNEL_CODES.__getitem__))
N_CHANNELS = len(CHANNEL_CODES)

#: How much one interaction on a channel counts, relative to one chat line or e-mail.
#: A call or meeting is a whole conversation in one record, so it weighs several lines;
#: a note is something I wrote about them, not an exchange; LinkedIn/Instagram are lighter touch.
CHANNEL_WEIGHTS: dict[str, float] = {
    "email": 1.0,
    "telegram": 1.0,
    "whatsapp": 1.0,
    "messenger": 1.0,
    "instagram": 0.7,
    "vk": 1.0,
    "signal": 1.0,
    "sms": 1.0,
    "call": 2.0,
    "meeting": 3.0,
    "note": 0.3,
    "linkedin": 0.7,
    "other": 1.0,
}
CHANNEL_WEIGHT_ARRAY = np.array([CHANNEL_WEIGHTS[n] for n in CHANNEL_NAMES], dtype=np.float64)

DIRECTION_CODES: dict[str, int] = {"out": 1, "in": -1, "mutual": 0}

#: A silence this long (seconds) starts a new conversation in a contact's stream.
CONVERSATION_GAP_S = 6 * 3600.0


def _conv_start(contact: np.ndarray, t: np.ndarray) -> np.ndarray:
    """True for the first event of each contact and after each >= 6 h silence."""
    n = len(t)
    out = np.ones(n, dtype=bool)
    if n > 1:
        same = contact[1:] == contact[:-1]
        out[1:] = ~same | ((t[1:] - t[:-1]) >= CONVERSATION_GAP_S)
    return out


@dataclass
class EventLog:
    """Interactions as columns sorted by (contact, t). Build with :meth:`from_arrays`/:meth:`from_rows`."""

    contact: np.ndarray  # int64 contact ids
    t: np.ndarray  # float64 unix seconds UTC
    direction: np.ndarray  # int8 +1 out, -1 in, 0 mutual
    weight: np.ndarray  # float32 per-record weight
    channel: np.ndarray  # int8 code from CHANNEL_CODES
    length: np.ndarray  # int32 characters of text (0 when unknown)
    conv_start: np.ndarray  # bool: first event after a >= 6 h silence with that contact
    reply_latency_s: np.ndarray | None = None  # float64, NaN where unknown

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @classmethod
    def from_arrays(
        cls,
        contact: Any,
        t: Any,
        direction: Any = None,
        weight: Any = None,
        channel: Any = None,
        length: Any = None,
        conv_start: Any = None,
        reply_latency_s: Any = None,
        *,
        assume_sorted: bool = False,
    ) -> EventLog:
        """Build a log from array-likes; missing columns get defaults (in, 1.0, other, 0).

        Rows are sorted by (contact, t) unless ``assume_sorted``; ``conv_start`` is computed
        when not given (a given one is reordered with the rows).
        """
        c = np.asarray(contact, dtype=np.int64)
        tt = np.asarray(t, dtype=np.float64)
        n = len(tt)
        if c.shape != (n,):
            raise ValueError("contact and t must be 1-D arrays of the same length")

        def col(x: Any, dtype: Any, default: float) -> np.ndarray:
            if x is None:
                return np.full(n, default, dtype=dtype)
            a = np.asarray(x, dtype=dtype)
            if a.shape != (n,):
                raise ValueError("all columns must have the same length")
            return a

        d = col(direction, np.int8, -1)
        w = col(weight, np.float32, 1.0)
        ch = col(channel, np.int8, CHANNEL_CODES["other"])
        ln = col(length, np.int32, 0)
        rl = None if reply_latency_s is None else col(reply_latency_s, np.float64, np.nan)
        cs = None if conv_start is None else col(conv_start, bool, 0)
        if not assume_sorted and n > 1:
            order = np.lexsort((tt, c))
            if not np.array_equal(order, np.arange(n)):
                c, tt, d, w, ch, ln = c[order], tt[order], d[order], w[order], ch[order], ln[order]
                rl = None if rl is None else rl[order]
                cs = None if cs is None else cs[order]
        if cs is None:
            cs = _conv_start(c, tt)
        return cls(c, tt, d, w, ch, ln, cs, rl)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any] | tuple[Any, ...]]) -> EventLog:
        """Build from rows, mainly for tests.

        A row is a mapping with keys contact, t, and optionally direction ("in"/"out"/"mutual" or
        -1/+1/0), weight, channel (name or code), length; or a tuple
        (contact, t[, direction[, channel[, weight[, length]]]]).
        """
        cols: dict[str, list[Any]] = {
            k: [] for k in ("contact", "t", "direction", "weight", "channel", "length")
        }
        for r in rows:
            if isinstance(r, Mapping):
                get = r.get
                vals: tuple[Any, ...] = (
                    r["contact"],
                    r["t"],
                    get("direction", "in"),
                    get("channel", "other"),
                    get("weight", 1.0),
                    get("length", 0),
                )
            else:
                defaults: tuple[Any, ...] = (None, None, "in", "other", 1.0, 0)
                vals = tuple(r) + defaults[len(r) :]
            cid, t, d, ch, w, ln = vals
            cols["contact"].append(int(cid))
            cols["t"].append(float(t))
            cols["direction"].append(DIRECTION_CODES[d] if isinstance(d, str) else int(d))
            cols["channel"].append(CHANNEL_CODES[ch] if isinstance(ch, str) else int(ch))
            cols["weight"].append(float(w))
            cols["length"].append(int(ln))
        return cls.from_arrays(
            cols["contact"],
            cols["t"],
            cols["direction"],
            cols["weight"],
            cols["channel"],
            cols["length"],
        )

    def select(self, mask: np.ndarray) -> EventLog:
        """Rows where ``mask`` is true (order kept, so still sorted; conv_start stays valid
        when the mask only drops a suffix of each contact's stream)."""
        rl = None if self.reply_latency_s is None else self.reply_latency_s[mask]
        return EventLog(
            self.contact[mask],
            self.t[mask],
            self.direction[mask],
            self.weight[mask],
            self.channel[mask],
            self.length[mask],
            self.conv_start[mask],
            rl,
        )

    def slice_before(self, T: float) -> EventLog:
        """Events at or before ``T`` (inclusive: an event at T has already happened at T)."""
        return self.select(self.t <= T)

    def effective_weight(self) -> np.ndarray:
        """Record weight times channel weight, float64."""
        return self.weight.astype(np.float64) * CHANNEL_WEIGHT_ARRAY[self.channel]
