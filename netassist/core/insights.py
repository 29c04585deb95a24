"""Network insights (pure, no Qt): fading ties, the best-time heat map, segments, and the contacts
behind every chart element the Insights view and the network report show.

The expensive parts (the engine's features over the whole log, K-means for segments) run once
per state of the data: :func:`network_insights` caches its result per database, keyed by the
newest interaction and score rows and the hour, so opening the Insights page again costs nothing.
Callers run it off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netassist.core.db import Database
from netassist.core.i18n import N_, translations_for
from netassist.core.timeutil import now_ts

if TYPE_CHECKING:
    import numpy as np

    from netassist.core.engine.events import EventLog
    from netassist.core.scoring import Computed

log = logging.getLogger(__name__)
WEEK = 7 * 86400
#: A tie worth a warning when it fades: strength at least this (weak ties come and go).
FADING_MIN_STRENGTH = 25.0
#: A contact is "behind" a heat-map cell when at least this share of their evidence falls there
#: (an even spread over the week's 168 hours would give 0.006; someone with a daily habit has
#: 0.05 or more in their usual hours).
CELL_MIN_SHARE = 0.02
WEEKDAYS_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
WEEKDAYS_LONG = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
                 N_("Saturday"), N_("Sunday"))  # fmt: skip
#: Segment traits (netassist.core.engine.segments._traits) as phrases: a frequency wraps a
#: time-of-week qualifier which wraps the channel noun, so each language orders its own words
#: ("occasional work-hours e-mail" / "нечастые письма в рабочее время").
_FREQ = {"frequent": N_("frequent {what}"), "occasional": N_("occasional {what}"),
         "rare": N_("rare {what}")}  # fmt: skip
_WHEN = {"evening": N_("evening {what}"), "weekend": N_("weekend {what}"),
         "work-hours": N_("work-hours {what}")}  # fmt: skip
_NOUN = {"chats": N_("chats"), "long chats": N_("long chats"), "e-mail": N_("e-mails"),
         "calls and meetings": N_("calls and meetings")}  # fmt: skip


@dataclass(frozen=True)
class FadingTie:
    """A tie that mattered and is going quiet, with the numbers behind the verdict."""

    contact_id: int
    name: str
    strength: float
    tier: str
    recent30: float  # weighted interactions in the last 30 days
    prev60: float  # weighted interactions in the 60 days before
    last_at: int | None
    days_since: float | None

    @property
    def drop(self) -> float:
        """How much the monthly rate fell: (60 days before) / 2 − (last 30 days)."""
        return self.prev60 / 2 - self.recent30


@dataclass
class HeatMap:
    """When my network is reachable: a weekday × hour grid (0 = Monday, local hours).

    Each contact's evidence (the engine's best-time evidence: their replies to my messages,
    weighted by how fast they came, and their own messages) is scaled to sum to one, so a cell's
    ``weight`` is "how many people's worth" of activity falls there and one chatty contact cannot
    paint the whole map. ``people`` counts the contacts *usually* active then: at least
    ``CELL_MIN_SHARE`` of their evidence in that cell, so one message years ago at 03:00 does
    not make someone a night owl."""

    weight: np.ndarray  # (7, 24) float
    people: np.ndarray  # (7, 24) int
    contact: np.ndarray  # (n,) contact ids with evidence
    grids: np.ndarray  # (n, 7, 24) float32, each contact's share per cell
    samples: np.ndarray  # (n,) messages from them behind the evidence

    def cell_contacts(self, weekday: int, hour: int) -> list[int]:
        """Contacts usually active in the cell (see ``people``); those with the most of their
        messages there first (share × messages, so one stray message does not top the list)."""
        import numpy as np

        if not len(self.contact):
            return []
        share = self.grids[:, weekday, hour]
        idx = np.flatnonzero(share >= CELL_MIN_SHARE)
        rank = share * np.maximum(self.samples, 1)
        order = sorted(idx.tolist(), key=lambda i: (-float(rank[i]), int(self.contact[i])))
        return [int(self.contact[i]) for i in order]

    def peaks(self, n: int = 3) -> list[tuple[int, int]]:
        """The ``n`` busiest cells as (weekday, hour), busiest first (ties: earlier first)."""
        flat = self.weight.ravel()
        order = sorted(range(flat.size), key=lambda k: (-float(flat[k]), k))
        return [divmod(k, 24) for k in order[:n] if flat[k] > 0]

    def best_cell(self, cid: int) -> tuple[int, int] | None:
        """A contact's own busiest cell (smoothed over neighbouring hours, as the engine does)."""
        import numpy as np

        pos = np.flatnonzero(self.contact == cid)
        if not len(pos):
            return None
        g = self.grids[pos[0]].astype(np.float64)
        sm = 0.5 * g + 0.25 * (np.roll(g, 1, axis=1) + np.roll(g, -1, axis=1))
        return divmod(int(sm.argmax()), 24)


@dataclass
class SegmentInfo:
    id: int
    name: str  # English, from the engine; segment_label() gives it in a language
    traits: list[str]
    size: int
    contact_ids: list[int] = field(default_factory=list)


@dataclass
class NetworkInsights:
    now: int
    tz: str
    fading: list[FadingTie]
    heatmap: HeatMap
    segments: list[SegmentInfo]


# -- pure computations -------------------------------------------------------------------------


def fading_ties(c: Computed, names: dict[int, str], min_strength: float = FADING_MIN_STRENGTH,
                limit: int | None = None) -> list[FadingTie]:  # fmt: skip
    """Contacts whose strength trend is down (the engine's trend: last 30 days against the 60
    before) and whose strength still says they matter; the steepest fall first."""
    import numpy as np

    from netassist.core.engine.strength import TIER_NAMES

    f, sc = c.features, c.scores
    pick = np.flatnonzero((sc.trend < 0) & (sc.strength >= min_strength) & ~f.never)
    out = []
    for i in pick.tolist():
        cid = int(f.contact[i])
        last = None if f.never[i] else int(f.last_t[i])
        out.append(FadingTie(cid, names.get(cid, "?"), round(float(sc.strength[i]), 1),
                             TIER_NAMES[int(sc.tier[i])], round(float(f.recent30[i]), 2),
                             round(float(f.prev60[i]), 2), last,
                             None if last is None else round((c.now - last) / 86400, 1)))  # fmt: skip
    out.sort(key=lambda x: (-x.drop, -x.strength, x.contact_id))
    return out[:limit] if limit else out


def heat_map(log: EventLog, tz: str = "UTC") -> HeatMap:
    """The network's weekday × hour heat map from the engine's best-time evidence."""
    import numpy as np

    from netassist.core.engine.besttime import best_times

    per = best_times(log, tz, min_samples=1)
    rows = [(cid, bt) for cid, bt in sorted(per.items()) if bt.grid is not None]
    if not rows:
        z = np.zeros((7, 24))
        return HeatMap(z, z.astype(np.int64), np.zeros(0, np.int64),
                       np.zeros((0, 7, 24), np.float32), np.zeros(0, np.int64))  # fmt: skip
    grids = np.stack([bt.grid for _cid, bt in rows if bt.grid is not None]).astype(np.float64)
    totals = grids.reshape(len(rows), -1).sum(axis=1)
    keep = totals > 0
    grids = grids[keep] / totals[keep][:, None, None]
    ids = np.array([cid for cid, _bt in rows], dtype=np.int64)[keep]
    samples = np.array([bt.samples for _cid, bt in rows], dtype=np.int64)[keep]
    return HeatMap(grids.sum(axis=0), (grids >= CELL_MIN_SHARE).sum(axis=0), ids,
                   grids.astype(np.float32), samples)  # fmt: skip


def segments_of(c: Computed, log: EventLog | None, tz: str) -> list[SegmentInfo]:
    """Contacts with interactions grouped by pattern (K-means; scikit-learn imported lazily)."""
    from netassist.core.engine.segments import segment_contacts

    seg = segment_contacts(c.features, log, tz)
    return [SegmentInfo(s.id, s.name, list(s.traits), s.size, list(s.contact_ids))
            for s in seg.segments]  # fmt: skip


# -- labels in a language ---------------------------------------------------------------------


def segment_label(traits: Sequence[str], lang: str | None = None) -> str:
    """A segment's name from its traits in ``lang`` (None: the active language)."""
    t = translations_for(lang)
    freq = [x for x in traits if x in _FREQ]
    when = [x for x in traits if x in _WHEN]
    nouns = [x for x in traits if x in _NOUN]
    other = [x for x in traits if x not in _FREQ and x not in _WHEN and x not in _NOUN]
    what = " ".join(other + [t.gettext(_NOUN[n]) for n in nouns]) or "—"
    for w in when:
        what = t.gettext(_WHEN[w]).format(what=what)
    for fq in freq:
        what = t.gettext(_FREQ[fq]).format(what=what)
    return what


def weekday_label(weekday: int, lang: str | None = None, short: bool = True) -> str:
    return translations_for(lang).gettext((WEEKDAYS_SHORT if short else WEEKDAYS_LONG)[weekday])


def hour_span(hour: int) -> str:
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


# -- on the database -------------------------------------------------------------------------

_cache: dict[tuple[str, str], tuple[Any, Any]] = {}
_cache_lock = threading.Lock()


def data_stamp(db: Database) -> tuple[Any, ...]:
    """Changes whenever interactions, contacts or scores change (cheap: index look-ups)."""
    with db.engine.connect() as conn:
        q = conn.exec_driver_sql
        return (
            tuple(q("SELECT coalesce(max(id), 0), count(*) FROM interaction").one()),
            tuple(q("SELECT coalesce(max(id), 0), count(*) FROM contact").one()),
            tuple(q("SELECT coalesce(max(computed_at), 0), count(*) FROM contact_score").one()),
        )


def network_insights(db: Database, now: int | None = None, tz: str | None = None,
                     computed: Computed | None = None) -> NetworkInsights:  # fmt: skip
    """Fading ties, heat map and segments, cached per (database, data, hour, zone)."""
    from netassist.core.event_read import load_log
    from netassist.core.scoring import _local_tz, compute, names

    now = now_ts() if now is None else now
    tz = tz or _local_tz()
    key = (str(db.path), "network")
    stamp = (data_stamp(db), now // 3600, tz)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]  # type: ignore[no-any-return]
    c = computed if computed is not None else compute(db, None, now)
    evlog = c.log if c.log is not None else load_log(db)[0]  # read a million rows once, not twice
    nm = names(db, [int(x) for x in c.features.contact[(c.scores.trend < 0)].tolist()])
    try:
        segs = segments_of(c, evlog, tz)
    except ImportError:  # scikit-learn missing: everything but the segments still works
        log.warning("segments need scikit-learn, which is not installed")
        segs = []
    result = NetworkInsights(now, tz, fading_ties(c, nm), heat_map(evlog, tz), segs)
    with _cache_lock:
        _cache[key] = (stamp, result)
    return result


def contacts_in_week(db: Database, week_start: int, channel: str | None = None) -> list[int]:
    """Contacts with interactions in [week_start, week_start + 7 days), optionally on one
    channel; the most interactions that week first."""
    sql = ("SELECT contact_id FROM interaction WHERE occurred_at >= ? AND occurred_at < ?"
           + (" AND channel = ?" if channel else "")
           + " GROUP BY contact_id ORDER BY count(*) DESC, contact_id")  # fmt: skip
    args: tuple[Any, ...] = (week_start, week_start + WEEK) + ((channel,) if channel else ())
    with db.engine.connect() as conn:
        return [int(r[0]) for r in conn.exec_driver_sql(sql, args)]


def contacts_in_strength_bin(db: Database, index: int, bins: int = 10) -> list[int]:
    """Scored contacts in strength band ``index`` of ``bins`` (the bands of
    ``today.strength_histogram``: contacts never interacted with are in none), strongest first."""
    with db.engine.connect() as conn:
        return [int(r[0]) for r in conn.exec_driver_sql(
            "SELECT s.contact_id FROM contact_score s JOIN contact c ON c.id = s.contact_id"
            " WHERE c.is_me = 0 AND s.state != 'never' AND min(CAST(s.strength * ? / 100 AS INTEGER), ?) = ?"
            " ORDER BY s.strength DESC, s.contact_id", (bins, bins - 1, index))]  # fmt: skip


def contacts_in_tier(db: Database, tier: str) -> list[int]:
    """Contacts in ``tier`` as shown (``texts.SHOWN_TIER_SQL``: "never" is everyone never
    interacted with), strongest first."""
    from netassist.core.engine.texts import SHOWN_TIER_SQL

    with db.engine.connect() as conn:
        return [int(r[0]) for r in conn.exec_driver_sql(
            "SELECT s.contact_id FROM contact_score s JOIN contact c ON c.id = s.contact_id"
            f" WHERE c.is_me = 0 AND {SHOWN_TIER_SQL.format(s='s')} = ?"
            " ORDER BY s.strength DESC, s.contact_id", (tier,))]  # fmt: skip


def tier_counts(db: Database) -> dict[str, int]:
    """Contacts per tier as shown, "never" (no history) apart from "dormant"."""
    from netassist.core.engine.texts import SHOWN_TIER_SQL

    with db.engine.connect() as conn:
        return dict(conn.exec_driver_sql(
            f"SELECT {SHOWN_TIER_SQL.format(s='s')}, count(*) FROM contact_score s"
            " JOIN contact c ON c.id = s.contact_id WHERE c.is_me = 0 AND s.tier != ''"
            " GROUP BY 1").all())  # fmt: skip


@dataclass(frozen=True)
class ContactBrief:
    """One row of a "contacts behind this" list."""

    id: int
    name: str
    strength: float | None
    tier: str


def contact_briefs(db: Database, ids: Sequence[int]) -> list[ContactBrief]:
    """Name, strength and tier for ``ids``, in the order given (unknown ids are skipped)."""
    if not ids:
        return []
    found: dict[int, ContactBrief] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = [int(i) for i in ids[start : start + 500]]
            for cid, name, st, tier in conn.exec_driver_sql(
                "SELECT c.id, c.display_name, s.strength, coalesce(s.tier, '') FROM contact c"
                " LEFT JOIN contact_score s ON s.contact_id = c.id"
                f" WHERE c.id IN ({','.join('?' * len(chunk))})", tuple(chunk)):  # fmt: skip
                found[int(cid)] = ContactBrief(int(cid), name, st, tier)
    return [found[int(i)] for i in ids if int(i) in found]


#: Messages of the period the topic model reads at most (the most recent ones).
PERIOD_TOPIC_MESSAGES = 40_000


def period_topics(db: Database, start: int, end: int, n_topics: int = 8) -> list[tuple[str, float]]:
    """What the network talked about in [start, end]: NMF topics over that period's messages
    (named by their top lemmas) with their share of the period's topic mass, largest first."""
    from netassist.core.engine.text import Message
    from netassist.core.engine.topics import global_topics
    from netassist.core.talk import name_tokens

    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT i.id, i.contact_id, i.occurred_at, i.direction, i.text, i.channel"
            " FROM interaction i JOIN contact c ON c.id = i.contact_id"
            " WHERE c.is_me = 0 AND i.text IS NOT NULL AND i.text != ''"
            " AND i.occurred_at BETWEEN ? AND ? ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?",
            (start, end, PERIOD_TOPIC_MESSAGES),
        ).all()
    msgs = [Message(r[0], r[1], float(r[2]), r[3], r[4], r[5]) for r in reversed(rows)]
    topics, _shares = global_topics(msgs, n_topics, exclude_names=name_tokens(db))
    return sorted(((t.name, t.weight) for t in topics), key=lambda x: (-x[1], x[0]))
