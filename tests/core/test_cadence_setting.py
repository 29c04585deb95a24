"""The default cadence per tier is a setting the engine reads: changing it moves the due date
(and so the follow-up) of a contact whose own history is too short, from the next rescore."""

from __future__ import annotations

import numpy as np
import pytest

from netassist.core import contacts as svc
from netassist.core import scoring
from netassist.core.engine.cadence import TIER_PRIOR_DAYS, estimate_cadence
from netassist.core.engine.strength import TIER_NAMES
from netassist.core.settings import SETTINGS, TIER_KEYS, Settings, tier_cadence_days

DAY = 86400
NOW = 1_750_000_000


def _row(db, cid: int) -> tuple[str, float, int, str | None]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        r = conn.exec_driver_sql(
            "SELECT tier, cadence_days, due_at, followup_kind FROM contact_score"
            " WHERE contact_id = ?", (cid,)
        ).one()  # fmt: skip
    return r[0], r[1], r[2], r[3]


def test_a_changed_tier_cadence_moves_the_due_date_and_the_followup(db) -> None:
    cid = svc.add_contact(db, "Пётр Редкий")
    last = NOW - 20 * DAY
    svc.log_interaction(db, cid, "call", when=last)  # one conversation: no gaps to learn from
    scoring.rescore(db, None, now=NOW)
    tier, days, due, kind = _row(db, cid)
    key = TIER_KEYS[TIER_NAMES.index(tier)]
    default = SETTINGS["tier_cadence_days"].default[key]
    assert days == default and due == last + default * DAY

    settings = Settings(db)
    # shorter than the 20 days of silence: now overdue, with a follow-up
    settings.set("tier_cadence_days", {**settings.get("tier_cadence_days"), key: 10})
    assert _row(db, cid)[2] == due  # nothing moves before the next rescore
    scoring.rescore(db, None, now=NOW)
    tier2, days2, due2, kind2 = _row(db, cid)
    assert tier2 == tier and days2 == 10 and due2 == last + 10 * DAY
    assert kind2 == "overdue"
    # a long cadence: not due, no follow-up
    settings.set("tier_cadence_days", {**settings.get("tier_cadence_days"), key: 400})
    scoring.rescore(db, None, now=NOW)
    assert _row(db, cid)[2] == last + 400 * DAY and _row(db, cid)[3] is None
    # a contact's own override still wins over the tier default
    svc.edit_contact(db, cid, cadence_days=3.0)
    scoring.rescore(db, None, now=NOW)
    assert _row(db, cid)[1] == 3.0


def test_stored_values_are_checked() -> None:
    assert tier_cadence_days(None) == TIER_PRIOR_DAYS
    assert tier_cadence_days({"inner": 5, "close": "x", "active": 0, "dormant": True}) == (
        5.0, 14.0, 30.0, 90.0, 180.0,
    )  # fmt: skip


def test_engine_prior_days_parameter() -> None:
    from netassist.core.engine.events import EventLog
    from netassist.core.engine.features import compute_features

    log = EventLog.from_arrays(np.array([1], np.int64), np.array([NOW - 5 * DAY], np.float64))
    f = compute_features(log, float(NOW), contact_ids=np.array([1], np.int64))
    tiers = np.array([2], np.int8)
    assert estimate_cadence(f, tiers).days[0] == TIER_PRIOR_DAYS[2]
    assert estimate_cadence(f, tiers, prior_days=(1, 2, 45, 4, 5)).days[0] == 45
    with pytest.raises(ValueError):
        estimate_cadence(f, tiers, prior_days=(1, 2))
