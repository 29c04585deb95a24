"""Relationship strength 0-100 with a breakdown that sums to it, a trend arrow and a tier.

Strength is a weighted sum of five components, each a number in [0, 1] computed from
:class:`~netassist.core.engine.features.ContactFeatures`; a component's points are its value times
its weight, so the breakdown always sums to the strength. Default weights (max points):

==================  ====  ==========================================================================
component           max   value in [0, 1]
==================  ====  ==========================================================================
recency              20   1 - log(1 + days since last) / log(1 + 730): falls fast in the first days,
                          slowly after; 0 after two years
frequency_month    29.5   log(1 + C30) / log(1 + 130): conversations with a 30-day half-life memory
frequency_year     44.5   log(1 + C365) / log(1 + 1580): conversations with a 365-day memory
active                6   2 ** -(days since last): an ongoing conversation (half-life one day)
reciprocity           0   min(in, out) / max(in, out) of weighted messages
==================  ====  ==========================================================================

Why these: frequency counts *conversations* (a new one after 6 h of silence), not lines, so a
burst of fifty messages does not outweigh fifty separate chats; two memories (a month and a
year) let a steady long tie and a new intense one both score; caps correspond to ~3
conversations a day sustained. Recency is logarithmic in days (the difference between 1 and 8
days matters more than between 100 and 107). The relative weights (recency about half a
frequency log-unit, the active bonus one unit) were chosen on two public logs (CollegeMsg and
email-Eu-core, see ``evaluate``) and are the same for everyone. Reciprocity is shown in the
breakdown but weighs 0 by default: tie-strength research counts it, yet on both logs any weight
on it made the prediction of who you talk to next worse (5 points cost 0.013 MAP@10 on
CollegeMsg). :func:`fit_feedback` gives it weight when the user's own ratings call for it.
Message volume (lines as well as conversations, messages per conversation, decayed line counts)
was tried for NDCG@10, whose gain is the number of interactions: chosen on the earlier cut-offs, it
gained at most +0.016 NDCG@10 on email-Eu-core's last cut-off while costing CollegeMsg up to 0.06,
so it is not a component (numbers in the README, "Measured on real behaviour").

Personalisation: :func:`fit_feedback` learns non-negative weights from the user's 1-5 ratings
(ridge regression, shrunk towards the defaults), and the breakdown still sums to the strength.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from netassist.core.engine.features import CONV_HALF_LIVES_DAYS, ContactFeatures
from netassist.core.engine.texts import component_text

COMPONENTS: tuple[str, ...] = (
    "recency",
    "frequency_month",
    "frequency_year",
    "active",
    "reciprocity",
)
DEFAULT_WEIGHTS: dict[str, float] = {
    "recency": 20.0,
    "frequency_month": 29.5,
    "frequency_year": 44.5,
    "active": 6.0,
    "reciprocity": 0.0,
}
RECENCY_HORIZON_DAYS = 730.0
#: Decayed conversation counts that saturate a frequency component (~3 conversations a day).
FREQ_CAPS: tuple[float, ...] = tuple(3.0 * h / np.log(2) for h in CONV_HALF_LIVES_DAYS)
ACTIVE_HALF_LIFE_DAYS = 1.0

TIER_NAMES: tuple[str, ...] = ("inner circle", "close", "active", "acquaintance", "dormant")
#: Dunbar's layers: at most this many contacts by rank in each tier ...
TIER_MAX_RANK: tuple[int, ...] = (5, 15, 50, 150)
#: ... and at least this strength.
TIER_MIN_STRENGTH: tuple[float, ...] = (60.0, 45.0, 25.0, 8.0)
TREND_THRESHOLD = 0.25  # features.trend beyond +-0.25 shows an arrow
TREND_MIN_EVENTS = 3.0  # weighted events in the last 90 days needed for an arrow
TREND_ARROWS = {1: "up", 0: "flat", -1: "down"}


@dataclass
class FeedbackModel:
    """Weights (max points per component, summing to 100) learned from the user's ratings."""

    weights: dict[str, float]
    n_ratings: int
    r2: float


@dataclass
class ScoreColumns:
    """Columnar scores, one row per ``features.contact``."""

    contact: np.ndarray
    strength: np.ndarray  # float64 0-100
    values: np.ndarray  # (n, len(COMPONENTS)) component values in [0, 1]
    points: np.ndarray  # (n, len(COMPONENTS)) values x weights; rows sum to strength
    weights: dict[str, float]
    trend: np.ndarray  # int8 +1 up, 0 flat, -1 down
    rank: np.ndarray  # int64, 1 = strongest (ties by contact id)
    tier: np.ndarray  # int8 index into TIER_NAMES


@dataclass
class Score:
    contact_id: int
    strength: float
    breakdown: list[tuple[str, float, float, str]]  # (component, points, max_points, text)
    explanation: list[dict[str, Any]] = field(default_factory=list)  # machine-readable
    trend: str = "flat"
    tier: str = "dormant"
    rank: int = 0


def component_values(f: ContactFeatures) -> np.ndarray:
    """(n, len(COMPONENTS)) values in [0, 1]."""
    n = len(f)
    s = np.where(f.never, np.inf, np.maximum(f.days_since_last, 0.0))
    v = np.zeros((n, len(COMPONENTS)))
    with np.errstate(invalid="ignore", over="ignore"):
        rec = 1.0 - np.log1p(s) / np.log1p(RECENCY_HORIZON_DAYS)
    v[:, 0] = np.clip(np.nan_to_num(rec, nan=0.0, neginf=0.0), 0.0, 1.0)
    for j, cap in enumerate(FREQ_CAPS):
        v[:, 1 + j] = np.minimum(np.log1p(f.conv_decayed[:, j]) / np.log1p(cap), 1.0)
    v[:, 3] = np.exp2(-s / ACTIVE_HALF_LIFE_DAYS)
    v[:, 4] = f.reciprocity
    v[f.never] = 0.0
    return v


def _weights_array(weights: Mapping[str, float]) -> np.ndarray:
    return np.array([float(weights.get(k, 0.0)) for k in COMPONENTS])


def score_columns(
    f: ContactFeatures,
    now: float | None = None,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    feedback_model: FeedbackModel | None = None,
) -> ScoreColumns:
    """Vectorised strength, trend, rank and tier for every contact in ``f``."""
    w = dict(feedback_model.weights if feedback_model is not None else weights)
    v = component_values(f)
    pts = v * _weights_array(w)
    strength = pts.sum(axis=1)
    recent = f.recent30 + f.prev60
    trend = np.where(
        recent >= TREND_MIN_EVENTS, np.sign(f.trend) * (np.abs(f.trend) >= TREND_THRESHOLD), 0
    )
    order = np.lexsort((f.contact, -strength))
    rank = np.empty(len(f), dtype=np.int64)
    rank[order] = np.arange(1, len(f) + 1)
    tier = np.full(len(f), len(TIER_NAMES) - 1, dtype=np.int8)
    # Walk tiers from the widest to the innermost so the innermost that fits wins.
    for i in range(len(TIER_MAX_RANK) - 1, -1, -1):
        ok = (rank <= TIER_MAX_RANK[i]) & (strength >= TIER_MIN_STRENGTH[i]) & ~f.never
        tier[ok] = i
    return ScoreColumns(f.contact, strength, v, pts, w, trend.astype(np.int8), rank, tier)


def _explain(f: ContactFeatures, i: int, comp: str) -> tuple[str, dict[str, Any]]:
    """English text and the params it is made from (``texts.component_text`` renders the same
    params in any language where the breakdown is shown)."""
    s = float(f.days_since_last[i])
    params: dict[str, Any]
    if comp == "recency":
        gap = float(f.conv_gap_median_days[i])
        params = {"days_since_last": round(s, 2) if np.isfinite(s) else None}
        if np.isfinite(gap):
            params["usual_gap_days"] = round(gap, 2)
    elif comp in ("frequency_month", "frequency_year"):
        j = 0 if comp == "frequency_month" else 1
        params = {
            "decayed_conversations": round(float(f.conv_decayed[i, j]), 3),
            "memory": "month" if j == 0 else "year",
            "memory_days": int(CONV_HALF_LIVES_DAYS[j]),
            "conversations": int(f.conversations[i]),
            "messages": int(f.count[i]),
        }
    elif comp == "active":
        params = {"days_since_last": round(s, 3) if np.isfinite(s) else None}
    else:
        win, wout = float(f.weighted_in[i]), float(f.weighted_out[i])
        params = {"share_mine": round(wout / (win + wout), 3) if win + wout else None}
    return component_text(comp, params, "en"), params


def score(
    f: ContactFeatures,
    now: float | None = None,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    feedback_model: FeedbackModel | None = None,
    columns: ScoreColumns | None = None,
    rows: Iterable[int] | None = None,
) -> list[Score]:
    """Per-contact :class:`Score` with an English breakdown and machine-readable explanation
    (for the row indices ``rows`` only, when given)."""
    sc = columns if columns is not None else score_columns(f, now, weights, feedback_model)
    wa = _weights_array(sc.weights)
    out: list[Score] = []
    for i in range(len(f)) if rows is None else rows:
        bd: list[tuple[str, float, float, str]] = []
        ex: list[dict[str, Any]] = []
        for k, comp in enumerate(COMPONENTS):
            if f.never[i]:
                params = {"never": True}
                txt = component_text(comp, params, "en")
            else:
                txt, params = _explain(f, i, comp)
            p, m = round(float(sc.points[i, k]), 1), float(wa[k])
            bd.append((comp, p, m, f"{comp.replace('_', ' ')} {p:.0f}/{m:.0f}: {txt}"))
            ex.append({"component": comp, "points": p, "max_points": m, "params": params})
        out.append(
            Score(
                contact_id=int(f.contact[i]),
                strength=round(float(sc.strength[i]), 1),
                breakdown=bd,
                explanation=ex,
                trend=TREND_ARROWS[int(sc.trend[i])],
                tier=TIER_NAMES[int(sc.tier[i])],
                rank=int(sc.rank[i]),
            )
        )
    return out


def fit_feedback(
    f: ContactFeatures, ratings: Mapping[int, float], prior_strength: float = 10.0
) -> FeedbackModel:
    """Learn component weights from the user's ratings (1 = barely know, 5 = closest).

    Ratings map to a 0-100 target; a non-negative ridge regression (no intercept) on component
    values gives points per component. ``prior_strength`` pseudo-ratings drawn from the default
    weights keep a handful of ratings from overturning everything. Weights are rescaled to
    sum to 100 so strength stays in 0-100.
    """
    from sklearn.linear_model import Ridge  # lazy: heavy import

    ids = np.array([int(k) for k in ratings], dtype=np.int64)
    pos = np.searchsorted(f.contact, ids)
    ok = (pos < len(f)) & (f.contact[np.minimum(pos, len(f) - 1)] == ids)
    if not ok.any():
        return FeedbackModel(dict(DEFAULT_WEIGHTS), 0, 0.0)
    x = component_values(f)[pos[ok]]
    y = (np.array([float(ratings[int(k)]) for k in ids[ok]]) - 1.0) / 4.0 * 100.0
    y = np.clip(y, 0.0, 100.0)
    w0 = _weights_array(DEFAULT_WEIGHTS)
    # Pseudo-observations: each component alone at 1 earns its default points.
    px = np.eye(len(COMPONENTS))
    py = w0.copy()
    sw = np.concatenate([np.ones(len(y)), np.full(len(py), prior_strength / len(py))])
    m = Ridge(alpha=1.0, positive=True, fit_intercept=False)
    m.fit(np.vstack([x, px]), np.concatenate([y, py]), sample_weight=sw)
    coef = np.maximum(m.coef_, 0.0)
    if coef.sum() <= 0:
        coef = w0
    coef = coef / coef.sum() * 100.0
    r2 = float(m.score(x, y)) if len(y) > 1 else 0.0
    return FeedbackModel({k: float(c) for k, c in zip(COMPONENTS, coef, strict=True)}, len(y), r2)
