"""The engine on the database: cached scores, resets on any interaction, follow-up actions."""

from __future__ import annotations

import json

import pytest

from netassist.core import contacts as svc
from netassist.core import event_read, scoring
from netassist.core.demo import load_demo

DAY = 86400
NOW = 1_780_000_000


def _score(db, cid: int) -> dict:
    with db.engine.connect() as c:
        return dict(c.exec_driver_sql("SELECT * FROM contact_score WHERE contact_id = ?",
                                      (cid,)).mappings().one())  # fmt: skip


def test_weekly_contact_gets_weekly_cadence_and_logging_resets_due(db) -> None:
    cid = svc.add_contact(db, "Неделькин")
    for k in range(20):
        svc.log_interaction(db, cid, "call", NOW - (20 - k) * 7 * DAY - 30 * DAY)
    scoring.rescore(db, None, now=NOW)
    s = _score(db, cid)
    assert 6 <= s["cadence_days"] <= 8
    assert s["state"] in ("overdue", "dormant") and s["due_at"] < NOW
    svc.log_interaction(db, cid, "meeting", NOW - DAY)  # any interaction resets due
    scoring.rescore(db, {cid}, now=NOW)
    s2 = _score(db, cid)
    assert s2["due_at"] > NOW - DAY and s2["state"] in ("active", "due")
    assert s2["strength"] > s["strength"]
    comps = [b["component"] for b in json.loads(s2["breakdown"])]
    assert "recency" in comps and abs(sum(b["points"] for b in json.loads(s2["breakdown"]))
                                      - s2["strength"]) < 0.5  # fmt: skip


def test_never_interacted_is_its_own_state(db) -> None:
    cid = svc.add_contact(db, "Только в книжке")
    scoring.rescore(db, None, now=NOW)
    s = _score(db, cid)
    assert s["state"] == "never" and s["last_at"] is None and s["tier"] == "dormant"


def test_touched_rescore_keeps_tiers_consistent(db) -> None:
    load_demo(db, 60, 1, seed=2)
    scoring.rescore(db, None)
    with db.engine.connect() as c:
        before = dict(
            c.exec_driver_sql("SELECT tier, count(*) FROM contact_score GROUP BY 1").all()
        )
    assert before.get("inner circle", 0) <= 5 and before.get("close", 0) <= 15
    with db.engine.connect() as c:
        cid = c.exec_driver_sql(
            "SELECT contact_id FROM contact_score ORDER BY strength LIMIT 1"
        ).scalar()
    for k in range(60):
        svc.log_interaction(db, cid, "meeting", NOW - k * DAY // 2 - 10)
    scoring.rescore(db, {cid})
    with db.engine.connect() as c:
        tiers = dict(c.exec_driver_sql("SELECT tier, count(*) FROM contact_score GROUP BY 1").all())
    assert tiers.get("inner circle", 0) <= 5 and tiers.get("close", 0) <= 15
    assert sum(tiers.values()) == 60


def test_followup_snooze_and_dismiss_feed_back(db) -> None:
    load_demo(db, 40, 1, seed=4)
    fups = scoring.followups(db)
    assert fups and all(f.reason for f in fups)
    first = fups[0]
    scoring.record_action(db, first.contact_id, first.kind, "snooze",
                          until=10**10)  # fmt: skip
    after = scoring.followups(db)
    assert (first.contact_id, first.kind) not in {(f.contact_id, f.kind) for f in after}
    with pytest.raises(ValueError):
        scoring.record_action(db, first.contact_id, first.kind, "ignore")


def test_load_log_table_scan_equals_index_walk(db, monkeypatch) -> None:
    """A large share of the table is read in one rowid-order pass and sorted in numpy; the log
    must be the very one the (contact, time) index walk gives, ties in the same order."""
    import numpy as np

    load_demo(db, 40, 1, seed=3)
    ids = set(range(1, 30))
    monkeypatch.setattr(event_read, "SCAN_MIN_ROWS", 10**9)
    walked, cids_w = event_read.load_log(db, ids)
    monkeypatch.setattr(event_read, "SCAN_MIN_ROWS", 0)
    conn = db.raw()
    try:
        conn.execute("CREATE TEMP TABLE _ids(id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO _ids VALUES (?)", [(i,) for i in ids])
        assert event_read._mostly(conn)  # the scan path is the one taken below
    finally:
        conn.close()
    scanned, cids_s = event_read.load_log(db, ids)
    assert len(walked.t) > 100
    assert np.array_equal(cids_w, cids_s)
    for name in ("contact", "t", "direction", "weight", "channel", "length", "conv_start"):
        assert np.array_equal(getattr(walked, name), getattr(scanned, name)), name


def test_packed_read_equals_the_plain_one(db, monkeypatch) -> None:
    """The rows travel packed into three integers when their values allow it; the log and the
    last incoming messages must be exactly what the seven plain columns give, and a time
    outside the packable range (a year 5000 from a broken file) takes the plain path."""
    import numpy as np

    load_demo(db, 40, 1, seed=3)
    cid = svc.add_contact(db, "Долгий Таймстамп")
    svc.log_interaction(db, cid, "note", NOW - 10 * DAY, "заметка " * 400, "out")
    packed, cids_p, last_p = event_read._read_log(db, None)
    monkeypatch.setattr(event_read, "_packable", lambda conn: False)
    plain, cids_q, last_q = event_read._read_log(db, None)
    monkeypatch.undo()
    assert len(plain.t) > 100 and np.array_equal(cids_p, cids_q) and last_p == last_q
    for name in ("contact", "t", "direction", "weight", "channel", "length", "conv_start"):
        assert np.array_equal(getattr(packed, name), getattr(plain, name)), name
    conn = db.raw()
    try:
        assert event_read._packable(conn)
        conn.execute("UPDATE interaction SET occurred_at = 95617584000 WHERE contact_id = ?",
                     (cid,))  # fmt: skip
        assert not event_read._packable(conn)
    finally:
        conn.close()


def test_last_incoming_from_the_loaded_log_equals_the_table_scan(db) -> None:
    """compute() finds each contact's last incoming interaction in the rows it loads anyway;
    follow-ups' "their last message asks something" must be what a scan of the table finds."""
    import numpy as np

    load_demo(db, 40, 1, seed=5)
    cids = [r[0] for r in db.raw().execute("SELECT id FROM contact WHERE is_me = 0")]
    ann = svc.add_contact(db, "Аня")
    svc.log_interaction(db, ann, "telegram", NOW - 3 * DAY, direction="in", text="Созвонимся?")
    svc.log_interaction(db, ann, "telegram", NOW - 2 * DAY, direction="out", text="Да")
    for ids in (None, set(cids[:15]) | {ann}):
        c = scoring.compute(db, ids, NOW)
        assert c.last_in is not None and ann in c.last_in
        fast = scoring._extra(db, c.features, c.now, c.last_in)
        scan = scoring._extra(db, c.features, c.now)
        assert np.array_equal(fast.last_in_is_question, scan.last_in_is_question)
        assert fast.last_in_is_question[list(c.features.contact).index(ann)]  # "?" in her last "in"
        assert fast.last_in_is_question.any() and not fast.last_in_is_question.all()


def test_contacts_never_met_share_one_breakdown_that_equals_their_own(db) -> None:
    """Rescoring makes the breakdown of never-met contacts once per set of points; each stored
    row must still be exactly what scoring that contact on its own gives."""
    from netassist.core.engine.strength import score

    load_demo(db)
    quiet = [svc.add_contact(db, f"Тихонов {i}") for i in range(5)]
    scoring.rescore(db, None, now=NOW)
    c = scoring.compute(db, None, NOW)
    assert c.features.never.sum() >= 5 and (~c.features.never).sum() >= 5
    expected = {s.contact_id: scoring._breakdown_json(s)
                for s in score(c.features, float(NOW), columns=c.scores)}  # fmt: skip
    with db.engine.connect() as conn:
        stored = dict(conn.exec_driver_sql("SELECT contact_id, breakdown FROM contact_score").all())
    assert stored == expected
    assert all(json.loads(stored[q])[0]["params"] == {"never": True} for q in quiet)
    assert all(_score(db, q)["state"] == "never" for q in quiet)
