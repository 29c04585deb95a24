"""The engine on the database: interactions → EventLog → features → strength, cadence, due,
follow-ups; results cached in ``contact_score`` with the time they were computed.

After an import only the touched contacts are recomputed; ranks and tiers (which depend on
everyone's strength) are then refreshed for all from the cache. The engine itself
(``netassist.core.engine``) never sees the database.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from netassist.core.db import Database
from netassist.core.engine.cadence import estimate_cadence
from netassist.core.engine.events import EventLog
from netassist.core.engine.features import ContactFeatures, compute_features
from netassist.core.engine.followups import Action, ExtraSignals, FollowUp, Reminder, rank_followups
from netassist.core.engine.strength import (
    TIER_MAX_RANK,
    TIER_MIN_STRENGTH,
    TIER_NAMES,
    TREND_ARROWS,
    fit_feedback,
    score,
    score_columns,
)
from netassist.core.event_read import _read_log
from netassist.core.timeutil import now_ts

log = logging.getLogger(__name__)


def _local_tz() -> str:
    import os

    tz = os.environ.get("TZ")
    if tz:
        return tz
    try:
        from pathlib import Path

        link = Path("/etc/localtime").resolve()
        if "zoneinfo/" in str(link):
            return str(link).split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def _feedback(db: Database, f: ContactFeatures) -> Any:
    conn = db.raw()
    try:
        ratings = {cid: r for cid, r in conn.execute(
            "SELECT contact_id, rating FROM feedback WHERE rating IS NOT NULL"
            " AND id IN (SELECT max(id) FROM feedback GROUP BY contact_id)")}  # fmt: skip
    finally:
        conn.close()
    ratings = {c: r for c, r in ratings.items() if c in set(f.contact.tolist())}
    if len(ratings) < 5:  # too few ratings to learn anything honest from
        return None
    return fit_feedback(f, ratings)


def _state(never: bool, dormant: bool, overdue_days: float) -> str:
    if never:
        return "never"
    if dormant:
        return "dormant"
    if overdue_days > 0:
        return "overdue"
    if overdue_days > -1:
        return "due"
    return "active"


@dataclass
class Computed:
    features: ContactFeatures
    scores: Any
    cadences: Any
    now: int
    log: EventLog | None = None  # everyone's events, when computed for everyone (insights reuse it)
    last_in: dict[int, int] | None = None  # contact -> id of its last incoming interaction


def compute(db: Database, ids: Iterable[int] | None = None, now: int | None = None) -> Computed:
    now = now or now_ts()
    evlog, cids, last_in = _read_log(db, ids)
    f = compute_features(evlog, float(now), contact_ids=cids)
    model = _feedback(db, f)
    sc = score_columns(f, float(now), feedback_model=model)
    conn = db.raw()
    try:
        overrides = {cid: d for cid, d in conn.execute(
            "SELECT id, cadence_days FROM contact WHERE cadence_days IS NOT NULL")}  # fmt: skip
    finally:
        conn.close()
    from netassist.core.settings import Settings, tier_cadence_days

    prior = tier_cadence_days(Settings(db).get("tier_cadence_days"))
    cad = estimate_cadence(f, sc.tier, overrides, prior_days=prior)
    return Computed(f, sc, cad, now, evlog if ids is None else None, last_in)


def rescore(db: Database, touched: Iterable[int] | None = None, now: int | None = None) -> int:
    """Recompute and cache scores for ``touched`` (None: everyone); returns how many."""
    c = compute(db, touched, now)
    f, sc, cad = c.features, c.scores, c.cadences
    never = f.never.tolist()
    # Contacts never interacted with (most of a fresh address book) all get one breakdown per
    # set of points (the same for all of them, as their features are all empty): it is made
    # and encoded once, not once per contact.
    talked = [i for i, nv in enumerate(never) if not nv]
    detailed = {s.contact_id: s for s in score(f, float(c.now), columns=sc, rows=talked)}
    never_json: dict[tuple[float, ...], str] = {}
    top: dict[int, FollowUp] = {}
    for fu in rank_followups(sc, cad, _extra(db, f, c.now, c.last_in), float(c.now), _actions(db)):
        top.setdefault(fu.contact_id, fu)  # highest priority first
    rows = []
    strength, tier, trend = sc.strength.tolist(), sc.tier.tolist(), sc.trend.tolist()
    days, due_t, last_t = cad.days.tolist(), cad.due_t.tolist(), f.last_t.tolist()
    dormant, overdue = cad.dormant.tolist(), cad.overdue_days.tolist()
    for i, cid in enumerate(f.contact.tolist()):
        if never[i]:
            key = tuple(sc.points[i].tolist())
            breakdown = never_json.get(key)
            if breakdown is None:
                (s,) = score(f, float(c.now), columns=sc, rows=[i])
                breakdown = never_json[key] = _breakdown_json(s)
        else:
            breakdown = _breakdown_json(detailed[cid])
        due = due_t[i]
        od = overdue[i]
        fu = top.get(cid)
        rows.append((
            int(cid), c.now, round(strength[i], 2), TIER_NAMES[tier[i]], TREND_ARROWS[trend[i]],
            round(days[i], 2), None if due != due else int(due),
            None if never[i] else int(last_t[i]), breakdown,
            _state(never[i], bool(dormant[i]), -1e9 if od != od else od),
            fu.kind if fu else None, fu.reason if fu else None, fu.priority if fu else None,
            json.dumps(fu.params, ensure_ascii=False) if fu else None,
        ))  # fmt: skip
    conn = db.raw()
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT OR REPLACE INTO contact_score (contact_id, computed_at, strength, tier, trend,"
            " cadence_days, due_at, last_at, breakdown, state, followup_kind, followup_reason,"
            " followup_priority, followup_params) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        if touched is not None:
            _retier(conn)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    log.info("rescored %d contact(s)", len(rows))
    return len(rows)


def _breakdown_json(s: Any) -> str:
    # params next to the English text: the views render them in the person's language
    return json.dumps(
        [{"component": comp, "points": round(pts, 1), "max_points": round(mx, 1),
          "explanation": text, "params": ex.get("params", {})}
         for (comp, pts, mx, text), ex in zip(s.breakdown, s.explanation, strict=False)],
        ensure_ascii=False,
    )  # fmt: skip


def _retier(conn: Any) -> None:
    """Tiers depend on everyone's rank: recompute them for all from the cached strengths."""
    rows = conn.execute(
        "SELECT s.contact_id, s.strength, s.state, s.tier FROM contact_score s"
        " ORDER BY s.strength DESC, s.contact_id"
    ).fetchall()
    updates = []
    for rank, (cid, strength, state, old) in enumerate(rows, 1):
        tier = len(TIER_NAMES) - 1
        if state != "never":
            for i in range(len(TIER_MAX_RANK) - 1, -1, -1):
                if rank <= TIER_MAX_RANK[i] and strength >= TIER_MIN_STRENGTH[i]:
                    tier = i
        if TIER_NAMES[tier] != old:  # only the changed rows are written
            updates.append((TIER_NAMES[tier], cid))
    conn.executemany("UPDATE contact_score SET tier = ? WHERE contact_id = ?", updates)


def ensure_fresh(db: Database, max_age_s: int = 6 * 3600) -> bool:
    """Rescore everyone when the cache is empty or older than ``max_age_s`` (recency decays)."""
    with db.engine.connect() as conn:
        oldest = conn.exec_driver_sql("SELECT min(computed_at) FROM contact_score").scalar()
        missing = conn.exec_driver_sql(
            "SELECT count(*) FROM contact c LEFT JOIN contact_score s ON s.contact_id = c.id"
            " WHERE c.is_me = 0 AND s.contact_id IS NULL"
        ).scalar()
    if oldest is None or missing or now_ts() - oldest > max_age_s:
        rescore(db, None)
        return True
    return False


def after_import(db: Database, touched: set[int]) -> None:
    """What an import changes: touched contacts rescored, their duplicate candidates (and
    their namesakes') refreshed."""
    if touched:
        rescore(db, touched)
    try:
        from netassist.core.dedupe import refresh_candidates
    except ImportError:
        return
    refresh_candidates(db, touched)


def _extra(
    db: Database, f: ContactFeatures, now: int, last_in_ids: dict[int, int] | None = None
) -> ExtraSignals:
    """Birthdays, anniversaries, reminders and "their last message asks something" for the
    follow-ups. ``last_in_ids`` (from compute): the last incoming interaction of each contact in
    ``f``, so only those rows are read; without it one scan of the table finds them."""
    conn = db.raw()
    try:
        bdays, annis = {}, {}
        for cid, b, a in conn.execute(
            "SELECT id, birthday, anniversary FROM contact WHERE is_me = 0"
        ):
            if b:
                bdays[cid] = b
            if a:
                annis[cid] = a
        reminders = [
            Reminder(cid, float(due), title)
            for cid, due, title in conn.execute(
                "SELECT contact_id, coalesce(snoozed_until, due_at), title FROM reminder"
                " WHERE contact_id IS NOT NULL AND done_at IS NULL AND dismissed_at IS NULL"
                " AND kind = 'user'"
            )
        ]
        if last_in_ids is not None:
            last_in = dict(conn.execute(
                "SELECT contact_id, text FROM interaction WHERE id IN"
                " (SELECT value FROM json_each(?))", (json.dumps(list(last_in_ids.values())),)))  # fmt: skip
        else:
            # one pass over the table in rowid order (NOT INDEXED): through the (contact, time)
            # index every row is a random page visit, 5x slower on a 1M-message chat
            last_in = dict(conn.execute(
                "SELECT contact_id, text FROM interaction WHERE id IN (SELECT max(id) FROM"
                " interaction NOT INDEXED WHERE direction = 'in' GROUP BY contact_id)"))  # fmt: skip
    finally:
        conn.close()
    q = np.array([("?" in (last_in.get(int(c)) or "")) for c in f.contact], dtype=bool)
    return ExtraSignals(f, q, bdays, annis, reminders, _local_tz())


def _actions(db: Database) -> list[Action]:
    conn = db.raw()
    try:
        return [Action(cid, kind, action, float(until or 0)) for cid, kind, action, until in
                conn.execute("SELECT contact_id, kind, action, until FROM followup_action")]  # fmt: skip
    finally:
        conn.close()


def followups(db: Database, now: int | None = None, limit: int | None = None) -> list[FollowUp]:
    """The ranked follow-up list with reasons; snoozed/dismissed/done feed back in."""
    c = compute(db, None, now)
    out = rank_followups(c.scores, c.cadences, _extra(db, c.features, c.now, c.last_in),
                         float(c.now),
                         _actions(db))  # fmt: skip
    return out[:limit] if limit else out


def cached_followups(db: Database, limit: int = 200) -> list[tuple[int, str, str, str, int | None]]:
    """(contact id, name, kind, reason, due) of each contact's top follow-up as of the last
    scoring, highest priority first: cheap enough for the Today view and the tray menu.

    The reason is in the active language (rendered from the cached kind + params)."""
    from netassist.core.engine.texts import followup_reason

    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT s.contact_id, c.display_name, s.followup_kind, s.followup_reason, s.due_at,"
            " s.followup_params FROM contact_score s JOIN contact c ON c.id = s.contact_id"
            " WHERE s.followup_kind IS NOT NULL AND c.is_me = 0"
            " ORDER BY s.followup_priority DESC, s.contact_id LIMIT ?", (limit,)).all()  # fmt: skip
    out = []
    for cid, name, kind, reason, due, params in rows:
        try:
            p = json.loads(params) if params else None
        except ValueError:
            p = None
        text = followup_reason(kind, p) if isinstance(p, dict) and p else reason
        out.append((cid, name, kind, text, due))
    return out


def record_action(db: Database, cid: int, kind: str, action: str, until: int | None = None) -> None:
    """snooze (until) / dismiss / done on a follow-up."""
    if action not in ("snooze", "dismiss", "done"):
        raise ValueError("action is snooze, dismiss or done")
    now = now_ts()
    if action != "snooze":
        until = now
    from netassist.core.contacts import transaction

    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO followup_action (contact_id, kind, action, until, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (cid, kind, action, until, now),
        )
    rescore(db, {cid})  # the cached follow-up of this contact reflects the action at once


def names(db: Database, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    with db.engine.connect() as conn:
        return dict(conn.exec_driver_sql(
            f"SELECT id, display_name FROM contact WHERE id IN ({','.join('?' * len(ids))})",
            tuple(ids)).all())  # fmt: skip


def digest_followups(db: Database, now: int, lang: str | None = None) -> list[tuple[str, str]]:
    """(name, reason) of the top follow-ups, for the daily digest, in ``lang`` (None: the
    language setting)."""
    from netassist.core.engine.texts import followup_reason

    if lang is None:
        from netassist.core.settings import Settings

        lang = str(Settings(db).get("language"))
    fups = followups(db, now, limit=6)
    nm = names(db, [x.contact_id for x in fups])
    return [(nm.get(x.contact_id, "?"), followup_reason(x.kind, x.params, lang) if x.params
             else x.reason) for x in fups]  # fmt: skip


def report_sections(db: Database, rep: Any) -> None:
    """Fill the engine parts of a network report: follow-ups with their reasons, fading ties with
    the numbers behind them, topics of the period, best times and segments (see
    ``netassist.core.insights``). The engine runs once, as of the report's end."""
    from netassist.core.reports import ContactLine

    c = compute(db, None, rep.end)
    fups = rank_followups(c.scores, c.cadences, _extra(db, c.features, c.now, c.last_in),
                          float(c.now),
                          _actions(db))[:25]  # fmt: skip
    nm = names(db, [x.contact_id for x in fups])
    with db.engine.connect() as conn:
        cached = {r[0]: r[1:] for r in conn.exec_driver_sql(
            "SELECT contact_id, strength, tier, trend, last_at FROM contact_score")}  # fmt: skip
    rep.followups = []
    for x in fups:
        st, tier, trend, last = cached.get(x.contact_id, (None, "", "", None))
        rep.followups.append(ContactLine(x.contact_id, nm.get(x.contact_id, "?"), st, tier, trend,
                                         last, 0, x.reason, x.kind, dict(x.params)))  # fmt: skip
    _insight_sections(db, rep, c)


def _insight_sections(db: Database, rep: Any, c: Computed) -> None:
    from netassist.core.engine.besttime import MIN_SAMPLES
    from netassist.core.i18n import translations_for
    from netassist.core.insights import (
        hour_span,
        network_insights,
        period_topics,
        segment_label,
        weekday_label,
    )
    from netassist.core.reports import ContactLine

    ins = network_insights(db, rep.end, computed=c)
    fading = ins.fading[:25]
    with db.engine.connect() as conn:
        in_period = dict(conn.exec_driver_sql(
            "SELECT contact_id, count(*) FROM interaction WHERE occurred_at BETWEEN ? AND ?"
            " GROUP BY 1", (rep.start, rep.end)).all())  # fmt: skip
    rep.fading = [
        ContactLine(x.contact_id, x.name, x.strength, x.tier, "down", x.last_at,
                    in_period.get(x.contact_id, 0),
                    f"{x.recent30:g} interactions in the last 30 days vs {x.prev60:g} in the 60 "
                    "before", "fading",
                    {"recent30": x.recent30, "prev60": x.prev60, "days_since": x.days_since})
        for x in fading
    ]  # fmt: skip
    rep.topics = period_topics(db, rep.start, rep.end)
    t = translations_for(rep.lang)
    rows = []
    hm = ins.heatmap
    for wd, hr in hm.peaks(3):
        n = int(hm.people[wd, hr])
        people = t.ngettext("{n} person active", "{n} people active", n).format(n=n)
        rows.append((t.gettext("Your network"),
                     f"{weekday_label(wd, rep.lang, short=False)} {hour_span(hr)} · {people}"))  # fmt: skip
    pos = {int(cid): i for i, cid in enumerate(hm.contact.tolist())}
    for line in rep.top[:15]:
        i = pos.get(line.id)
        if i is None or hm.samples[i] < MIN_SAMPLES:
            continue
        cell = hm.best_cell(line.id)
        if cell is None:
            continue
        n = int(hm.samples[i])
        msgs = t.ngettext("from {n} message", "from {n} messages", n).format(n=n)
        rows.append((line.name,
                     f"{weekday_label(cell[0], rep.lang, short=False)} {hour_span(cell[1])} · {msgs}"))  # fmt: skip
    rep.best_times = rows
    rep.segments = [(segment_label(s.traits, rep.lang), s.size) for s in ins.segments]


def dossier_sections(db: Database, dos: Any, now: int) -> None:
    """The text-engine parts of a dossier (see ``netassist.core.talk``)."""
    from netassist.core.talk import dossier_sections as talk_sections

    talk_sections(db, dos, now)
