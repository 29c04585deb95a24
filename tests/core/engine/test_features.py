"""EventLog and compute_features on hand-made logs."""

from __future__ import annotations

import numpy as np
import pytest

from netassist.core.engine.events import CHANNEL_CODES, EventLog
from netassist.core.engine.features import DAY, compute_features

T0 = 1_700_000_000.0
H = 3600.0


def test_from_rows_sorts_and_marks_conversation_starts() -> None:
    log = EventLog.from_rows(
        [
            (2, T0 + 10 * H, "out"),
            (1, T0 + 7 * H, "in"),
            (1, T0, "out"),
            (1, T0 + 1 * H, "in"),
            {"contact": 2, "t": T0, "direction": "mutual", "channel": "call"},
        ]
    )
    assert log.contact.tolist() == [1, 1, 1, 2, 2]
    assert log.t.tolist() == [T0, T0 + H, T0 + 7 * H, T0, T0 + 10 * H]
    # 1 h gap continues the conversation, 6 h starts a new one, a new contact always starts one
    assert log.conv_start.tolist() == [True, False, True, True, True]
    assert log.channel[3] == CHANNEL_CODES["call"]
    assert log.direction.tolist() == [1, -1, -1, 0, 1]


def test_slice_before_is_inclusive() -> None:
    log = EventLog.from_rows([(1, T0), (1, T0 + DAY), (1, T0 + 2 * DAY)])
    assert len(log.slice_before(T0 + DAY)) == 2


def test_basic_features() -> None:
    # I write, they answer after 10 minutes, twice; one long silence; lengths 10 and 30.
    log = EventLog.from_rows(
        [
            {"contact": 5, "t": T0, "direction": "out", "length": 10},
            {"contact": 5, "t": T0 + 600, "direction": "in", "length": 30},
            {"contact": 5, "t": T0 + 10 * DAY, "direction": "in", "length": 10},
            {"contact": 5, "t": T0 + 10 * DAY + 1200, "direction": "out", "length": 30},
        ]
    )
    now = T0 + 12 * DAY
    f = compute_features(log, now, contact_ids=np.array([5, 9]))
    i, j = f.index_of(5), f.index_of(9)
    assert f.count[i] == 4 and f.conversations[i] == 2
    assert f.initiated_by_me[i] == 1 and f.initiated_by_them[i] == 1
    assert f.initiative_share[i] == pytest.approx(0.5)
    assert f.their_reply_median_s[i] == pytest.approx(600)
    assert f.my_reply_median_s[i] == pytest.approx(1200)
    assert f.reciprocity[i] == pytest.approx(1.0)
    assert f.mean_length[i] == pytest.approx(20)
    assert f.msgs_per_conversation[i] == pytest.approx(2)
    assert f.days_since_last[i] == pytest.approx(2 - 1200 / DAY)
    assert f.conv_gap_median_days[i] == pytest.approx(10)
    assert f.duration_days[i] == pytest.approx(10 + 1200 / DAY)
    # decayed count with a 30-day half-life: every event weighs 2 ** -(age / 30)
    ages = (now - log.t) / DAY
    assert f.decayed[i, 1] == pytest.approx(np.exp2(-ages / 30).sum())
    assert f.conv_decayed[i, 0] == pytest.approx(np.exp2(-ages[[0, 2]] / 30).sum())
    assert f.never[j] and f.count[j] == 0 and np.isinf(f.days_since_last[j])


def test_one_sided_and_channel_mix_and_trend() -> None:
    rows = [(1, T0 - d * DAY, "in", "email") for d in (1, 2, 3, 50, 60)]
    rows += [(2, T0 - d * DAY, "out", "meeting") for d in (40, 45, 70, 80)]
    f = compute_features(EventLog.from_rows(rows), T0)
    a, b = f.index_of(1), f.index_of(2)
    assert f.reciprocity[a] == 0 and np.isinf(f.days_since_two_way[a])
    assert f.dominant_channel[a] == CHANNEL_CODES["email"]
    assert f.channel_mix[b, CHANNEL_CODES["meeting"]] == pytest.approx(1.0)
    assert f.trend[a] == pytest.approx(0.5)  # (3 - 2 / 2) / (3 + 2 / 2)
    assert f.trend[b] == pytest.approx(-1.0)  # nothing in the last 30 days
    assert f.weighted_count[b] == pytest.approx(4 * 3.0)  # a meeting weighs 3 chat lines


def test_events_after_now_are_ignored() -> None:
    log = EventLog.from_rows([(1, T0), (1, T0 + 5 * DAY)])
    f = compute_features(log, T0 + DAY)
    assert f.count.tolist() == [1]
