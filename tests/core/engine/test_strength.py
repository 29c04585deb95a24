"""Strength: breakdown sums, explanations, trend, tiers, feedback."""

from __future__ import annotations

import numpy as np
import pytest

from netassist.core.engine.events import EventLog
from netassist.core.engine.features import DAY, compute_features
from netassist.core.engine.strength import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    TIER_MAX_RANK,
    TIER_NAMES,
    fit_feedback,
    score,
    score_columns,
)

NOW = 1_700_000_000.0


def _log_every(contact: int, every_days: float, n: int, last_days_ago: float) -> list[tuple]:
    return [
        (contact, NOW - (last_days_ago + k * every_days) * DAY, "out" if k % 2 else "in")
        for k in range(n)
    ]


def test_default_weights_sum_to_100() -> None:
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(100)
    assert set(DEFAULT_WEIGHTS) == set(COMPONENTS)


def test_breakdown_sums_and_order() -> None:
    rows = _log_every(1, 2, 100, 0.1) + _log_every(2, 9, 20, 6) + _log_every(3, 60, 3, 200)
    f = compute_features(EventLog.from_rows(rows), NOW, contact_ids=np.array([1, 2, 3, 4]))
    scores = {s.contact_id: s for s in score(f, NOW)}
    for s in scores.values():
        assert 0 <= s.strength <= 100
        assert sum(p for _, p, _, _ in s.breakdown) == pytest.approx(s.strength, abs=0.3)
        assert [c for c, *_ in s.breakdown] == list(COMPONENTS)
        assert len(s.explanation) == len(COMPONENTS)
    assert scores[1].strength > scores[2].strength > scores[3].strength > scores[4].strength
    assert scores[4].strength == 0 and scores[4].tier == "dormant"
    rec = scores[2].breakdown[0][3]
    assert rec.startswith("recency ") and "last talk 6 days ago" in rec
    assert "usually every 9 days" in rec
    assert scores[2].explanation[0]["params"]["days_since_last"] == pytest.approx(6)
    assert scores[1].rank == 1


def test_trend_arrows() -> None:
    rising = [(1, NOW - d * DAY, "in") for d in (1, 3, 5, 7, 9, 11, 80)]
    falling = [(2, NOW - d * DAY, "in") for d in (40, 45, 50, 55, 60, 65)]
    steady = [(3, NOW - d * DAY, "in") for d in range(1, 90, 3)]
    f = compute_features(EventLog.from_rows(rising + falling + steady), NOW)
    arrows = {s.contact_id: s.trend for s in score(f, NOW)}
    assert arrows == {1: "up", 2: "down", 3: "flat"}


def test_tier_sizes_follow_dunbar() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for c in range(400):
        every = float(rng.choice([1, 2, 4, 8, 16, 32, 64]))
        rows += _log_every(c, every, int(rng.integers(3, 60)), float(rng.uniform(0, 30)))
    f = compute_features(EventLog.from_rows(rows), NOW)
    sc = score_columns(f, NOW)
    sizes = np.bincount(sc.tier, minlength=len(TIER_NAMES))
    cum = np.cumsum(sizes[:-1])
    assert (cum <= np.array(TIER_MAX_RANK)).all()
    assert sizes[0] >= 1 and sizes[-1] >= 400 - 150
    # tiers are monotone in strength
    for a in range(len(TIER_NAMES) - 1):
        if sizes[a] and sizes[a + 1]:
            assert sc.strength[sc.tier == a].min() >= sc.strength[sc.tier == a + 1].max()


def test_feedback_reweights_and_keeps_sum() -> None:
    # Contact 1: frequent but one-sided; contact 2: rare but perfectly two-way.
    rows = [(1, NOW - d * DAY, "in") for d in range(1, 60)]
    rows += [(2, NOW - d * DAY, "in" if d % 2 else "out") for d in (5, 40, 90, 200)]
    rows += [
        (c, NOW - d * DAY, "in" if (c + d) % 2 else "out")
        for c in range(3, 30)
        for d in range(c, 300, c)
    ]
    f = compute_features(EventLog.from_rows(rows), NOW)
    sc0 = score_columns(f, NOW)
    # The user rates reciprocal ties high and one-sided low.
    ratings = {int(c): (5.0 if f.reciprocity[i] > 0.5 else 1.0) for i, c in enumerate(f.contact)}
    model = fit_feedback(f, ratings)
    assert sum(model.weights.values()) == pytest.approx(100)
    assert all(w >= 0 for w in model.weights.values())
    assert model.weights["reciprocity"] > DEFAULT_WEIGHTS["reciprocity"]
    sc1 = score_columns(f, NOW, feedback_model=model)
    np.testing.assert_allclose(sc1.points.sum(axis=1), sc1.strength)
    i1, i2 = f.index_of(1), f.index_of(2)
    assert sc1.strength[i2] - sc1.strength[i1] > sc0.strength[i2] - sc0.strength[i1]
    s = score(f, NOW, feedback_model=model)[i2]
    assert sum(p for _, p, _, _ in s.breakdown) == pytest.approx(s.strength, abs=0.3)
