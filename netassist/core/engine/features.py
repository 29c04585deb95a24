"""Per-contact features of an :class:`EventLog`, columnar and vectorised.

Every array in :class:`ContactFeatures` has one row per contact (``features.contact`` sorted
ascending). Times are unix seconds, durations are days unless the name says ``_s``. Missing values
are NaN (e.g. no reply latency could be derived) and "never interacted" contacts (passed in
``contact_ids`` without events) have ``never`` set and zero counts.

Derived definitions (all as of ``now``; events after ``now`` are ignored):
- decayed frequency: sum of effective weights x 0.5 ** (age / half-life), for each of
  ``HALF_LIVES_DAYS`` (a short, a medium and a long memory);
- reciprocity: min(in, out) / max(in, out) of weighted counts, mutual events counting for both;
- initiative: share of conversations (first event after a >= 6 h silence) that I started;
- responsiveness: median latency of a reply inside a conversation, in -> out (mine) and
  out -> in (theirs);
- regularity: coefficient of variation of the gaps between conversation starts;
- trend: (last 30 days - previous 60 days / 2) / (sum of both), in [-1, 1], weighted counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netassist.core.engine._groups import (
    group_bounds,
    group_last,
    group_median,
    group_sum,
    group_weighted_median,
)
from netassist.core.engine.events import N_CHANNELS, EventLog

DAY = 86400.0
#: Memories of the decayed message frequency, in days.
HALF_LIVES_DAYS: tuple[float, ...] = (7.0, 30.0, 180.0)
#: Memories of the decayed conversation frequency (a month and a year), in days.
CONV_HALF_LIVES_DAYS: tuple[float, ...] = (30.0, 365.0)
#: Weight of a conversation gap in the recent-gap cadence halves every this many gaps back.
RECENT_GAP_HALF_LIFE = 4.0


@dataclass
class ContactFeatures:
    contact: np.ndarray  # int64, sorted
    now: float
    never: np.ndarray  # bool: no interaction at all
    count: np.ndarray  # int64 events
    weighted_count: np.ndarray  # sum of effective weights
    first_t: np.ndarray
    last_t: np.ndarray
    last_in_t: np.ndarray
    last_out_t: np.ndarray
    days_since_last: np.ndarray  # inf when never
    # now - min(last in, last out): since both sides last spoke; inf when a side never did
    days_since_two_way: np.ndarray
    decayed: np.ndarray  # (n, len(HALF_LIVES_DAYS)) decayed weighted message counts
    conv_decayed: np.ndarray  # (n, len(CONV_HALF_LIVES_DAYS)) decayed weighted conversations
    weighted_in: np.ndarray
    weighted_out: np.ndarray
    reciprocity: np.ndarray  # [0, 1]
    conversations: np.ndarray  # int64
    initiated_by_me: np.ndarray  # int64 conversations I started
    initiated_by_them: np.ndarray
    initiative_share: np.ndarray  # NaN when no directed conversation start
    my_reply_median_s: np.ndarray
    their_reply_median_s: np.ndarray
    mean_length: np.ndarray
    msgs_per_conversation: np.ndarray
    conv_gap_median_days: np.ndarray  # NaN with < 1 gap
    conv_gap_recent_days: np.ndarray  # recency-weighted median of conversation gaps
    conv_gap_cv: np.ndarray  # NaN with < 2 gaps
    conv_gaps: np.ndarray  # int64 number of conversation-start gaps
    duration_days: np.ndarray
    channel_mix: np.ndarray  # (n, N_CHANNELS) share of effective weight
    dominant_channel: np.ndarray  # int8, -1 when never
    recent30: np.ndarray
    prev60: np.ndarray
    trend: np.ndarray  # [-1, 1]

    def __len__(self) -> int:
        return int(self.contact.shape[0])

    def index_of(self, contact_id: int) -> int:
        i = int(np.searchsorted(self.contact, contact_id))
        if i >= len(self.contact) or self.contact[i] != contact_id:
            raise KeyError(contact_id)
        return i


def compute_features(
    log: EventLog, now: float, contact_ids: np.ndarray | None = None
) -> ContactFeatures:
    """Features for every contact in ``log`` (plus ``contact_ids`` with no events: never)."""
    if len(log) and log.t.max() > now:
        log = log.select(log.t <= now)
    c, t, d = log.contact, log.t, log.direction
    keys, starts, gid = group_bounds(c)
    ng = len(keys)
    w = log.effective_weight()
    is_in = d <= 0
    is_out = d >= 0

    count = np.bincount(gid, minlength=ng).astype(np.int64)
    wsum = group_sum(w, gid, ng)
    if ng:
        first_t = t[starts]
        ends = np.append(starts[1:], len(t)) - 1
        last_t = t[ends]
    else:
        first_t = last_t = np.zeros(0)
    last_in = group_last(t, is_in, gid, ng)
    last_out = group_last(t, is_out, gid, ng)
    two_way = np.fmin(last_in, last_out)  # NaN-propagating would hide one-sided ties; fmin
    two_way = np.where(np.isnan(last_in) | np.isnan(last_out), np.nan, two_way)
    age_days = (now - t) / DAY
    cs = log.conv_start
    # A burst of fifty lines is one conversation: conversations carry the weight of their opener.
    wc = w * cs
    decayed = np.zeros((ng, len(HALF_LIVES_DAYS)))
    for j, h in enumerate(HALF_LIVES_DAYS):
        decayed[:, j] = group_sum(w * np.exp2(-age_days / h), gid, ng)
    conv_decayed = np.zeros((ng, len(CONV_HALF_LIVES_DAYS)))
    for j, h in enumerate(CONV_HALF_LIVES_DAYS):
        conv_decayed[:, j] = group_sum(wc * np.exp2(-age_days / h), gid, ng)
    w_in = group_sum(w * is_in, gid, ng)
    w_out = group_sum(w * is_out, gid, ng)
    hi = np.maximum(w_in, w_out)
    recip = np.divide(np.minimum(w_in, w_out), hi, out=np.zeros(ng), where=hi > 0)

    conv = np.bincount(gid, weights=cs, minlength=ng).astype(np.int64)
    by_me = np.bincount(gid, weights=cs & (d > 0), minlength=ng).astype(np.int64)
    by_them = np.bincount(gid, weights=cs & (d < 0), minlength=ng).astype(np.int64)
    directed = by_me + by_them
    init_share = np.divide(
        by_me, directed, out=np.full(ng, np.nan), where=directed > 0, dtype=np.float64
    )

    # Replies: consecutive events with the same contact, inside one conversation, direction flips.
    n = len(t)
    if log.reply_latency_s is not None:
        lat = log.reply_latency_s
        mine_mask = (d > 0) & ~np.isnan(lat)
        theirs_mask = (d < 0) & ~np.isnan(lat)
        my_med = group_median(np.where(mine_mask, lat, np.nan), gid, ng)
        their_med = group_median(np.where(theirs_mask, lat, np.nan), gid, ng)
    else:
        lat = np.full(n, np.nan)
        if n > 1:
            cont = ~cs[1:]  # same contact and same conversation as the previous row
            lat[1:] = np.where(cont & (d[1:] * d[:-1] < 0), t[1:] - t[:-1], np.nan)
        my_med = group_median(np.where(d > 0, lat, np.nan), gid, ng)
        their_med = group_median(np.where(d < 0, lat, np.nan), gid, ng)

    mean_len = np.divide(
        group_sum(log.length.astype(np.float64), gid, ng), count, out=np.zeros(ng), where=count > 0
    )
    mpc = np.divide(count, conv, out=np.zeros(ng), where=conv > 0, dtype=np.float64)

    # Gaps between conversation starts, per contact.
    si = np.flatnonzero(cs)
    st, sg = t[si], gid[si]
    if len(si) > 1:
        same = sg[1:] == sg[:-1]
        gaps = ((st[1:] - st[:-1]) / DAY)[same]
        ggid = sg[1:][same]
    else:
        gaps = np.zeros(0)
        ggid = np.zeros(0, dtype=np.int64)
    ngaps = np.bincount(ggid, minlength=ng).astype(np.int64)
    gap_med = group_median(gaps, ggid, ng)
    # Recent gaps say more about the next one than old ones: weight halves every few gaps back.
    if len(gaps):
        gstart = np.concatenate(([0], np.cumsum(ngaps)[:-1]))
        rank_from_end = (gstart[ggid] + ngaps[ggid] - 1) - np.arange(len(gaps))
        gw = np.exp2(-rank_from_end / RECENT_GAP_HALF_LIFE)
    else:
        gw = np.zeros(0)
    gap_recent = group_weighted_median(gaps, gw, ggid, ng)
    gsum = group_sum(gaps, ggid, ng)
    gsq = group_sum(gaps * gaps, ggid, ng)
    with np.errstate(invalid="ignore", divide="ignore"):
        gmean = gsum / ngaps
        gvar = np.maximum(gsq / ngaps - gmean * gmean, 0.0) * ngaps / np.maximum(ngaps - 1, 1)
        gcv = np.where((ngaps >= 2) & (gmean > 0), np.sqrt(gvar) / gmean, np.nan)

    mix = np.zeros((ng, N_CHANNELS))
    if ng:
        flat = gid * N_CHANNELS + log.channel.astype(np.int64)
        mix = np.bincount(flat, weights=w, minlength=ng * N_CHANNELS).reshape(ng, N_CHANNELS)
        tot = mix.sum(axis=1, keepdims=True)
        mix = np.divide(mix, tot, out=np.zeros_like(mix), where=tot > 0)
        dom = mix.argmax(axis=1).astype(np.int8)
    else:
        dom = np.zeros(0, dtype=np.int8)
    r30 = group_sum(w * (age_days <= 30), gid, ng)
    p60 = group_sum(w * ((age_days > 30) & (age_days <= 90)), gid, ng)
    base = r30 + p60 / 2
    trend = np.divide(r30 - p60 / 2, base, out=np.zeros(ng), where=base > 0)

    f = ContactFeatures(
        contact=keys.astype(np.int64),
        now=float(now),
        never=np.zeros(ng, dtype=bool),
        count=count,
        weighted_count=wsum,
        first_t=first_t,
        last_t=last_t,
        last_in_t=last_in,
        last_out_t=last_out,
        days_since_last=(now - last_t) / DAY,
        days_since_two_way=np.where(np.isnan(two_way), np.inf, (now - two_way) / DAY),
        decayed=decayed,
        conv_decayed=conv_decayed,
        weighted_in=w_in,
        weighted_out=w_out,
        reciprocity=recip,
        conversations=conv,
        initiated_by_me=by_me,
        initiated_by_them=by_them,
        initiative_share=init_share,
        my_reply_median_s=my_med,
        their_reply_median_s=their_med,
        mean_length=mean_len,
        msgs_per_conversation=mpc,
        conv_gap_median_days=gap_med,
        conv_gap_recent_days=gap_recent,
        conv_gap_cv=gcv,
        conv_gaps=ngaps,
        duration_days=(last_t - first_t) / DAY,
        channel_mix=mix,
        dominant_channel=dom,
        recent30=r30,
        prev60=p60,
        trend=trend,
    )
    if contact_ids is not None:
        f = _with_never(f, np.asarray(contact_ids, dtype=np.int64))
    return f


def _with_never(f: ContactFeatures, ids: np.ndarray) -> ContactFeatures:
    """Add rows for ``ids`` that have no events (never interacted)."""
    extra = np.setdiff1d(ids, f.contact)
    if len(extra) == 0:
        return f
    allc = np.concatenate([f.contact, extra])
    order = np.argsort(allc, kind="stable")
    k = len(extra)
    fills = {
        "never": True,
        "days_since_last": np.inf,
        "days_since_two_way": np.inf,
        "dominant_channel": -1,
    }
    out: dict[str, object] = {"contact": allc[order], "now": f.now}
    for name, arr in vars(f).items():
        if name in ("contact", "now"):
            continue
        a = np.asarray(arr)
        if name in fills:
            fill = fills[name]
        elif a.dtype.kind == "f" and name not in (
            "count",
            "weighted_count",
            "decayed",
            "conv_decayed",
            "weighted_in",
            "weighted_out",
            "reciprocity",
            "mean_length",
            "msgs_per_conversation",
            "duration_days",
            "channel_mix",
            "recent30",
            "prev60",
            "trend",
        ):
            fill = np.nan
        else:
            fill = 0
        pad = np.full((k,) + a.shape[1:], fill, dtype=a.dtype)
        out[name] = np.concatenate([a, pad])[order]
    return ContactFeatures(**out)  # type: ignore[arg-type]
