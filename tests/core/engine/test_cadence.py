"""Cadence: learned usual gap, due, dormant, overrides, expected next contact."""

from __future__ import annotations

import numpy as np
import pytest

from netassist.core.engine.cadence import TIER_PRIOR_DAYS, estimate_cadence
from netassist.core.engine.events import EventLog
from netassist.core.engine.features import DAY, compute_features

NOW = 1_700_000_000.0


def _weekly(contact: int, last_days_ago: float, n: int = 20, burst: int = 1) -> list[tuple]:
    rows = []
    for k in range(n):
        t = NOW - (last_days_ago + 7 * k) * DAY
        # a burst of messages a few minutes apart is one conversation
        rows += [(contact, t - j * 120, "in" if j % 2 else "out") for j in range(burst)]
    return rows


def test_weekly_contact_has_cadence_7_and_is_due_7_days_after_last() -> None:
    f = compute_features(EventLog.from_rows(_weekly(1, 2.0, burst=5)), NOW)
    c = estimate_cadence(f)
    assert c.days[0] == pytest.approx(7, abs=0.01)
    assert c.due_t[0] == pytest.approx(f.last_t[0] + 7 * DAY)
    assert c.overdue_days[0] == pytest.approx(-5, abs=0.01)
    assert not c.dormant[0]


def test_dormant_after_three_cadences_and_new_interaction_resets() -> None:
    rows = _weekly(1, 10.0) + _weekly(2, 22.0)
    f = compute_features(EventLog.from_rows(rows), NOW)
    c = estimate_cadence(f)
    assert c.overdue_days.tolist() == pytest.approx([3, 15], abs=0.01)
    assert c.dormant.tolist() == [False, True]
    # a new interaction today: due a cadence from now, no longer dormant
    f2 = compute_features(EventLog.from_rows(rows + [(2, NOW, "in")]), NOW)
    c2 = estimate_cadence(f2)
    assert not c2.dormant[1] and c2.due_t[1] > NOW


def test_short_history_blends_with_tier_prior_and_override_wins() -> None:
    rows = [(1, NOW - 10 * DAY, "in"), (1, NOW - 8 * DAY, "out")]  # one 2-day gap
    rows += [(2, NOW - 3 * DAY, "in")]  # a single conversation: prior only
    f = compute_features(EventLog.from_rows(rows), NOW)
    tiers = np.array([3, 3], dtype=np.int8)  # acquaintance: prior 90 days
    c = estimate_cadence(f, tiers)
    assert 2 < c.days[0] < TIER_PRIOR_DAYS[3]
    assert c.days[1] == TIER_PRIOR_DAYS[3]
    assert c.source.tolist() == [1, 2]
    c = estimate_cadence(f, tiers, override_days={2: 14.0})
    assert c.days[1] == 14.0 and c.source[1] == 3


def test_expected_next_grows_with_silence() -> None:
    rows = _weekly(1, 1.0) + _weekly(2, 30.0)
    f = compute_features(EventLog.from_rows(rows), NOW)
    c = estimate_cadence(f)
    assert (c.expected_next_t >= NOW).all()
    assert c.expected_next_t[1] > c.expected_next_t[0]
    np.testing.assert_allclose(c.expected_gap_days, (c.expected_next_t - f.last_t) / DAY)
