"""Report data (pure, no Qt): a network review for a period and a dossier per contact.

Strength, tier, trend and due come from the score cache (``contact_score``) that the engine keeps
fresh; topics, open loops and openers from the text engine when it is installed. Renderers (the
PDF renderer of the desktop package, the CLI) only lay this out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from netassist.core.db import Database
from netassist.core.engine.texts import SHOWN_TIER_SQL
from netassist.core.timeutil import now_ts


@dataclass
class ContactLine:
    id: int
    name: str
    strength: float | None
    tier: str
    trend: str
    last_at: int | None
    interactions: int  # in the period
    reason: str = ""  # English; renderers use kind + params (netassist.core.engine.texts)
    kind: str = ""  # a follow-up kind, or "due" from the score cache
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class NetworkReport:
    lang: str
    period_days: int
    start: int
    end: int
    summary: dict[str, Any]
    by_channel: dict[str, int]
    weekly: list[tuple[int, dict[str, int]]]  # week start (UTC) → channel → count
    tiers: dict[str, int]
    strength_histogram: list[int]  # 10 buckets of 10 points
    top: list[ContactLine]
    fading: list[ContactLine]
    followups: list[ContactLine]
    topics: list[tuple[str, float]] = field(default_factory=list)
    best_times: list[tuple[str, str]] = field(default_factory=list)  # (name, "Tue 19–20h, n=14")
    segments: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Dossier:
    lang: str
    contact: dict[str, Any]
    identities: list[tuple[str, str]]
    tags: list[str]
    notes: list[tuple[int, str]]
    score: dict[str, Any] | None
    breakdown: list[dict[str, Any]]
    monthly: list[tuple[str, int]]  # "YYYY-MM" → interactions
    by_channel: dict[str, int]
    recent: list[dict[str, Any]]
    topics: list[tuple[str, float]] = field(default_factory=list)
    open_loops: list[tuple[str, str]] = field(default_factory=list)  # (kind, excerpt)
    openers: list[str] = field(default_factory=list)


def _line(r: Any) -> ContactLine:
    return ContactLine(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5], r[6] or 0)


def network_report(db: Database, period_days: int = 90, now: int | None = None,
                   lang: str = "en", top_n: int = 25) -> NetworkReport:  # fmt: skip
    end = now or now_ts()
    start = end - period_days * 86400
    with db.engine.connect() as c:
        q = c.exec_driver_sql
        n_contacts = q("SELECT count(*) FROM contact WHERE is_me = 0").scalar() or 0
        n_inter = q("SELECT count(*) FROM interaction WHERE occurred_at BETWEEN ? AND ?",
                    (start, end)).scalar() or 0  # fmt: skip
        by_channel = dict(q(
            "SELECT channel, count(*) FROM interaction WHERE occurred_at BETWEEN ? AND ?"
            " GROUP BY channel ORDER BY 2 DESC", (start, end)).all())  # fmt: skip
        new_ties = q(
            "SELECT count(*) FROM (SELECT contact_id, min(occurred_at) AS f FROM interaction"
            " GROUP BY contact_id) WHERE f BETWEEN ? AND ?", (start, end)).scalar() or 0  # fmt: skip
        active = q("SELECT count(DISTINCT contact_id) FROM interaction WHERE occurred_at BETWEEN"
                   " ? AND ?", (start, end)).scalar() or 0  # fmt: skip
        weeks: dict[int, dict[str, int]] = {}
        for wk, ch, n in q(
            "SELECT (occurred_at - ?) / 604800, channel, count(*) FROM interaction"
            " WHERE occurred_at BETWEEN ? AND ? GROUP BY 1, 2", (start, start, end)):  # fmt: skip
            weeks.setdefault(int(wk), {})[ch] = n
        weekly = [(start + w * 604800, weeks.get(w, {})) for w in range((period_days + 6) // 7)]
        # "never" (no history) apart from the dormant tier; no strength band for them either
        tiers = dict(q(f"SELECT {SHOWN_TIER_SQL.format(s='contact_score')}, count(*)"
                       " FROM contact_score GROUP BY 1").all())  # fmt: skip
        hist = [0] * 10
        for (s,) in q("SELECT strength FROM contact_score WHERE tier != '' AND state != 'never'"):
            hist[min(int(s // 10), 9)] += 1
        base = (
            "SELECT c.id, c.display_name, s.strength, s.tier, s.trend, s.last_at,"
            " (SELECT count(*) FROM interaction i WHERE i.contact_id = c.id"
            "  AND i.occurred_at BETWEEN ? AND ?)"
            " FROM contact c JOIN contact_score s ON s.contact_id = c.id WHERE c.is_me = 0 "
        )
        top = [_line(r) for r in q(base + "ORDER BY s.strength DESC, c.id LIMIT ?",
                                   (start, end, top_n))]  # fmt: skip
        fading = [_line(r) for r in q(base + "AND s.trend = 'down' AND s.strength >= 30"
                                      " ORDER BY s.strength DESC LIMIT ?", (start, end, top_n))]  # fmt: skip
        fups = []
        for r in q(base + "AND s.state IN ('due', 'overdue') ORDER BY s.strength DESC LIMIT ?",
                   (start, end, top_n)):  # fmt: skip
            line = _line(r)
            line.reason = line.kind = "due"
            fups.append(line)
        dormant_ties = q("SELECT count(*) FROM contact_score WHERE state = 'dormant'").scalar() or 0
    summary = {
        "contacts": n_contacts, "interactions": n_inter, "active_contacts": active,
        "new_ties": new_ties, "dormant_ties": dormant_ties,
    }  # fmt: skip
    rep = NetworkReport(lang, period_days, start, end, summary, by_channel, weekly, tiers, hist,
                        top, fading, fups)  # fmt: skip
    _enrich_network(db, rep)
    return rep


def _enrich_network(db: Database, rep: NetworkReport) -> None:
    """Engine sections (follow-up reasons, topics, best times, segments) when available."""
    try:
        from netassist.core.scoring import report_sections
    except ImportError:
        return
    report_sections(db, rep)


def contact_dossier(db: Database, cid: int, now: int | None = None, lang: str = "en") -> Dossier:
    end = now or now_ts()
    with db.engine.connect() as c:
        q = c.exec_driver_sql
        row = q("SELECT * FROM contact WHERE id = ?", (cid,)).mappings().first()
        if row is None:
            raise LookupError(f"no contact with id {cid}")
        contact = {k: v for k, v in dict(row).items() if k != "photo"}
        idents = [(k, r or v) for k, v, r in q(
            "SELECT kind, value, raw FROM identity WHERE contact_id = ? AND kind NOT IN"
            " ('name', 'me_name') ORDER BY kind", (cid,))]  # fmt: skip
        tags = [r[0] for r in q("SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
                                " WHERE ct.contact_id = ? ORDER BY 1", (cid,))]  # fmt: skip
        notes = [(a, b) for a, b in q("SELECT created_at, text FROM note WHERE contact_id = ?"
                                      " ORDER BY created_at DESC", (cid,))]  # fmt: skip
        score = q("SELECT * FROM contact_score WHERE contact_id = ?", (cid,)).mappings().first()
        months: dict[str, int] = {}
        first = datetime.fromtimestamp(end, UTC) - timedelta(days=730)
        for ts, n in q("SELECT occurred_at / 86400 * 86400, count(*) FROM interaction WHERE"
                       " contact_id = ? AND occurred_at >= ? GROUP BY 1",
                       (cid, int(first.timestamp()))):  # fmt: skip
            key = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m")
            months[key] = months.get(key, 0) + n
        monthly = []
        d = first.replace(day=1)
        while d <= datetime.fromtimestamp(end, UTC):
            k = d.strftime("%Y-%m")
            monthly.append((k, months.get(k, 0)))
            d = (d + timedelta(days=32)).replace(day=1)
        by_channel = dict(q("SELECT channel, count(*) FROM interaction WHERE contact_id = ?"
                            " GROUP BY 1 ORDER BY 2 DESC", (cid,)).all())  # fmt: skip
        recent = [dict(r) for r in q(
            "SELECT occurred_at, channel, direction, coalesce(text, subject, '') AS text"
            " FROM interaction WHERE contact_id = ? ORDER BY occurred_at DESC LIMIT 12", (cid,)
        ).mappings()]  # fmt: skip
    sc = dict(score) if score else None
    breakdown = json.loads(sc["breakdown"]) if sc and sc.get("breakdown") else []
    dos = Dossier(lang, contact, idents, tags, notes, sc, breakdown, monthly, by_channel, recent)
    try:
        from netassist.core.scoring import dossier_sections
    except ImportError:
        return dos
    dossier_sections(db, dos, end)
    return dos
