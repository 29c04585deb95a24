"""Cadence: how often I usually talk with each contact, when they are due, and when the next
contact will likely happen.

Two different questions, two numbers:

- ``days`` (the cadence) is the *usual* gap between conversations: a recency-weighted median of
  the gaps between conversation starts (a conversation begins after >= 6 h of silence, so a burst
  of messages is one start), blended with a prior by tier while there are few gaps
  (weight n / (n + 3)). A user-set override wins. ``due = last interaction + cadence``; any new
  interaction moves "last" and so resets due by construction. Past 3 x cadence the contact is
  ``dormant``: they fall out of the overdue list into the reconnect suggestions.
- ``expected_gap_days`` predicts when the next contact will actually happen, counted from the
  last one. Gaps are heavy-tailed: the longer a silence has lasted, the longer it will probably
  go on, and a contact who is usually far apart comes back later. The residual wait after now is
  modelled as ``1.5 * ((s + 1) * g) ** 0.25`` days (s = days of silence so far, g = mean gap
  between conversations), a damped geometric mean of both. The three constants are round values
  checked on two public logs (see ``evaluate``); the same for everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from netassist.core.engine.features import DAY, ContactFeatures

#: Cadence prior by tier (inner circle, close, active, acquaintance, dormant), in days.
TIER_PRIOR_DAYS: tuple[float, ...] = (7.0, 14.0, 30.0, 90.0, 180.0)
DEFAULT_PRIOR_DAYS = 30.0
PRIOR_PSEUDO_GAPS = 3.0
DORMANT_FACTOR = 3.0
MIN_CADENCE_DAYS = 1.0
RESIDUAL_SCALE = 1.5
RESIDUAL_EXPONENT = 0.25


@dataclass
class CadenceColumns:
    contact: np.ndarray
    days: np.ndarray  # usual gap in days
    source: np.ndarray  # int8: 0 learned, 1 blended with prior, 2 prior only, 3 user override
    due_t: np.ndarray  # unix seconds (NaN when never interacted)
    overdue_days: np.ndarray  # now - due (negative: not yet due; NaN when never)
    dormant: np.ndarray  # bool: silent for more than 3 x cadence
    expected_gap_days: np.ndarray  # predicted gap from the last interaction to the next one
    expected_next_t: np.ndarray  # unix seconds, >= now


SOURCE_NAMES = ("learned", "blended", "prior", "user")


def estimate_cadence(
    f: ContactFeatures,
    tiers: np.ndarray | None = None,
    override_days: Mapping[int, float] | np.ndarray | None = None,
    prior_days: Sequence[float] | None = None,
) -> CadenceColumns:
    """Cadence and due dates for every contact in ``f``.

    ``tiers`` (int8 per row, from :func:`strength.score_columns`) picks the prior from
    ``prior_days`` (one per tier; default :data:`TIER_PRIOR_DAYS`, the person's setting
    ``tier_cadence_days`` when run on a database); ``override_days`` is either an array aligned
    with ``f.contact`` (NaN = no override) or {contact_id: days}.
    """
    n = len(f)
    prior = np.full(n, DEFAULT_PRIOR_DAYS)
    if tiers is not None:
        table = np.asarray(prior_days if prior_days is not None else TIER_PRIOR_DAYS, float)
        if len(table) != len(TIER_PRIOR_DAYS):
            raise ValueError(f"prior_days needs {len(TIER_PRIOR_DAYS)} values, one per tier")
        prior = table[np.asarray(tiers, dtype=np.int64)]
    learned = f.conv_gap_recent_days
    ng = f.conv_gaps.astype(np.float64)
    has = ~np.isnan(learned)
    wl = ng / (ng + PRIOR_PSEUDO_GAPS)
    # Blend in log space: cadences are multiplicative (1 day vs 2 days ~ 30 vs 60).
    with np.errstate(divide="ignore", invalid="ignore"):
        blend = np.exp(
            wl * np.log(np.maximum(np.nan_to_num(learned, nan=1.0), MIN_CADENCE_DAYS / 24))
            + (1 - wl) * np.log(prior)
        )
    days = np.where(has, blend, prior)
    source = np.where(has, np.where(ng >= 12, 0, 1), 2).astype(np.int8)
    if has.any():
        # With many gaps the prior has negligible weight: call it learned.
        days = np.where(has & (ng >= 12), np.maximum(learned, MIN_CADENCE_DAYS / 24), days)
    days = np.maximum(days, MIN_CADENCE_DAYS)
    if override_days is not None:
        if isinstance(override_days, Mapping):
            ov = np.full(n, np.nan)
            for cid, d in override_days.items():
                i = int(np.searchsorted(f.contact, cid))
                if i < n and f.contact[i] == cid:
                    ov[i] = float(d)
        else:
            ov = np.asarray(override_days, dtype=np.float64)
        set_ = ~np.isnan(ov) & (ov > 0)
        days = np.where(set_, ov, days)
        source = np.where(set_, 3, source).astype(np.int8)

    now = f.now
    last = np.where(f.never, np.nan, f.last_t)
    due = last + days * DAY
    overdue = (now - due) / DAY
    silence = (now - last) / DAY
    dormant = ~f.never & (silence > DORMANT_FACTOR * days)

    # Mean gap between conversations (all of them, not trimmed: the tail is what the residual
    # wait depends on); the cadence stands in with fewer than two conversations.
    conv = f.conversations
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_gap = np.where(conv >= 2, (f.last_t - f.first_t) / DAY / (conv - 1), days)
    s = np.maximum(np.nan_to_num(silence, nan=0.0), 0.0)
    residual = RESIDUAL_SCALE * ((s + 1.0) * np.maximum(mean_gap, 1e-3)) ** RESIDUAL_EXPONENT
    exp_gap = s + residual
    exp_next = np.where(f.never, np.nan, now + residual * DAY)
    return CadenceColumns(f.contact, days, source, due, overdue, dormant, exp_gap, exp_next)
