"""Best time to reach and segments on hand-made logs."""

from __future__ import annotations

import datetime as dt

import numpy as np

from netassist.core.engine.besttime import best_times
from netassist.core.engine.events import EventLog
from netassist.core.engine.features import compute_features
from netassist.core.engine.segments import segment_contacts

MSK = dt.timezone(dt.timedelta(hours=3))


def _at(day: int, hour: int, minute: int = 0) -> float:
    # June 2026: 1 June is a Monday
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=MSK).timestamp()


def test_best_time_is_when_they_answer_fast_in_local_time() -> None:
    rows = []
    for week in range(4):
        tue = 2 + 7 * week
        # Tuesdays 20:00 Moscow time they answer within 2 minutes
        for k in range(3):
            rows += [(1, _at(tue, 20, 10 * k), "out"), (1, _at(tue, 20, 10 * k + 2), "in")]
        # Thursdays 10:00 they answer after 5 hours
        rows += [(1, _at(tue + 2, 10), "out"), (1, _at(tue + 2, 15), "in")]
    rows += [(2, _at(3, 12), "in")] * 3  # too little
    bt = best_times(EventLog.from_rows(rows), tz="Europe/Moscow")
    assert bt[1].weekday == 1 and bt[1].hour == 20
    assert bt[1].samples == 16 and bt[1].replies == 16
    assert "Tuesday around 20:00" in bt[1].reason
    assert bt[2].weekday is None and bt[2].reason.startswith("not enough data")
    # the same log seen from UTC moves the hour
    assert best_times(EventLog.from_rows(rows), tz="UTC")[1].hour == 17


def test_segments_are_named_and_deterministic() -> None:
    rows = []
    for c in range(30):  # evening chats, frequent
        rows += [
            (c, _at(d, 21, c % 50), "in" if d % 2 else "out", "telegram") for d in range(1, 29)
        ]
    for c in range(30, 60):  # work-hours e-mail, occasional
        rows += [
            (c, _at(d, 11), "out", "email")
            for d in (1, 9, 17, 25)
            if dt.date(2026, 6, d).weekday() < 5
        ]
    for c in range(60, 70):  # calls
        rows += [(c, _at(d, 13), "mutual", "call") for d in (3, 17)]
    log = EventLog.from_rows(rows)
    f = compute_features(log, _at(29, 12), contact_ids=np.arange(71))
    seg = segment_contacts(f, log, tz="Europe/Moscow", n_segments=3)
    again = segment_contacts(f, log, tz="Europe/Moscow", n_segments=3)
    assert seg.label.tolist() == again.label.tolist()
    assert seg.label[70] == -1
    names = {s.name for s in seg.segments}
    assert "frequent evening chats" in names
    assert any(n.endswith("work-hours e-mail") for n in names)
    assert any(n.endswith("calls and meetings") for n in names)
    assert sum(s.size for s in seg.segments) == 70
    by_name = {s.name: set(s.contact_ids) for s in seg.segments}
    assert by_name["frequent evening chats"] == set(range(30))
