"""The vectorised features agree with a plain per-contact Python computation on random logs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netassist.core.engine.events import CONVERSATION_GAP_S, EventLog
from netassist.core.engine.features import DAY, compute_features

NOW = 1_700_000_000.0


def _naive(ts: list[float], ds: list[int]) -> dict[str, float]:
    order = sorted(range(len(ts)), key=lambda k: ts[k])
    ts = [ts[k] for k in order]
    ds = [ds[k] for k in order]
    starts = [0] + [k for k in range(1, len(ts)) if ts[k] - ts[k - 1] >= CONVERSATION_GAP_S]
    gaps = [(ts[b] - ts[a]) / DAY for a, b in zip(starts, starts[1:], strict=False)]
    starts_set = set(starts)
    mine = [
        ts[k] - ts[k - 1]
        for k in range(1, len(ts))
        if k not in starts_set and ds[k] > 0 and ds[k - 1] < 0
    ]
    theirs = [
        ts[k] - ts[k - 1]
        for k in range(1, len(ts))
        if k not in starts_set and ds[k] < 0 and ds[k - 1] > 0
    ]
    med = lambda x: float(np.median(x)) if x else float("nan")  # noqa: E731
    return {
        "count": len(ts),
        "last_t": ts[-1],
        "conversations": len(starts),
        "gap_median": med(gaps),
        "my_reply": med(mine),
        "their_reply": med(theirs),
        "w_in": sum(1 for d in ds if d <= 0),
    }


events = st.lists(
    st.tuples(
        st.integers(1, 6),
        st.floats(0, 40 * DAY, allow_nan=False),
        st.sampled_from([-1, 0, 1]),
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(events)
def test_vectorised_equals_naive(rows: list[tuple[int, float, int]]) -> None:
    rows = [(c, NOW - 40 * DAY + round(t / 600) * 600, d) for c, t, d in rows]  # 10-min grid
    f = compute_features(EventLog.from_rows(rows), NOW)
    for c in sorted({r[0] for r in rows}):
        # ties in time keep insertion order in both computations
        mine = [(t, d) for cc, t, d in rows if cc == c]
        exp = _naive([t for t, _ in mine], [d for _, d in mine])
        i = f.index_of(c)
        assert f.count[i] == exp["count"]
        assert f.last_t[i] == exp["last_t"]
        assert f.conversations[i] == exp["conversations"]
        assert f.weighted_in[i] == pytest.approx(exp["w_in"])
        for name, key in (
            ("conv_gap_median_days", "gap_median"),
            ("my_reply_median_s", "my_reply"),
            ("their_reply_median_s", "their_reply"),
        ):
            got, want = float(getattr(f, name)[i]), exp[key]
            assert (np.isnan(got) and np.isnan(want)) or got == pytest.approx(want), name
