"""What to talk about, on the database: a contact's topics, open loops, tone and openers.

The text engine (``netassist.core.engine.text/topics/openloops/tone/suggest``) works on plain
``Message`` values; this module reads them from the interaction table. Document frequencies
over the whole history (for TF-IDF) are computed from a bounded sample of recent messages per
contact and cached until new interactions arrive. The user's interests (``core.interests``)
shape the result: hidden terms never show (topics, openers), confirmed interests come first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from netassist.core.db import Database
from netassist.core.settings import State
from netassist.core.timeutil import now_ts

PER_CONTACT = 400  # most recent messages per contact that topics and loops look at
SAMPLE_TOTAL = 80_000


@dataclass
class Talk:
    contact_id: int
    name: str
    topics: list[Any] = field(default_factory=list)
    open_loops: list[Any] = field(default_factory=list)
    openers: list[Any] = field(default_factory=list)
    tone: Any = None
    messages: dict[int, Any] = field(default_factory=dict)  # id → Message, for "show source"
    interests: list[Any] = field(default_factory=list)  # confirmed interests.Interest
    hidden: list[Any] = field(default_factory=list)  # hidden interests.Interest
    shares: list[Any] = field(default_factory=list)  # interests.Share, largest first
    suggestions: list[Any] = field(default_factory=list)  # interests.Suggestion


def messages_of(db: Database, cid: int, limit: int = PER_CONTACT) -> list[Any]:
    from netassist.core.engine.text import Message

    with db.engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT id, contact_id, occurred_at, direction, coalesce(text, ''), channel,"
            " attachments FROM interaction WHERE contact_id = ? AND text IS NOT NULL"
            " ORDER BY occurred_at DESC, id DESC LIMIT ?",
            (cid, limit),
        ).all()
    return [Message(r[0], r[1], float(r[2]), r[3], r[4], r[5], bool(r[6])) for r in reversed(rows)]


NAME_WORDS_SQL = (
    "SELECT display_name || ' ' || given_name || ' ' || family_name || ' ' || nickname FROM contact"
)


def name_words(rows: Any) -> tuple[str, ...]:
    """Every word of every contact's names (rows of NAME_WORDS_SQL): kept out of topics, so
    that people's names never become "what you talk about"."""
    return tuple({w for (n,) in rows for w in (n or "").split() if len(w) > 1})


def name_tokens(db: Database) -> tuple[str, ...]:
    with db.engine.connect() as c:
        return name_words(c.exec_driver_sql(NAME_WORDS_SQL).all())


def corpus_stats(db: Database) -> Any:
    """TF-IDF document frequencies (a document = one contact's recent history), cached."""
    from netassist.core.engine.text import Message
    from netassist.core.engine.topics import CorpusStats, build_corpus_stats

    with db.engine.connect() as c:
        stamp = c.exec_driver_sql("SELECT coalesce(max(id), 0) FROM interaction").scalar()
    st = State(db)
    cached = st.get("corpus_stats")
    if cached and cached.get("stamp") == stamp:
        return CorpusStats(cached["n"], Counter(cached["df"]))
    with db.engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT id, contact_id, occurred_at, direction, text, channel FROM ("
            " SELECT *, row_number() OVER (PARTITION BY contact_id ORDER BY occurred_at DESC) rn"
            " FROM interaction WHERE text IS NOT NULL) WHERE rn <= ? LIMIT ?",
            (PER_CONTACT // 4, SAMPLE_TOTAL),
        ).all()
    msgs = (Message(r[0], r[1], float(r[2]), r[3], r[4], r[5]) for r in rows)
    stats = build_corpus_stats(msgs, name_tokens(db))
    st.set("corpus_stats", {"stamp": stamp, "n": stats.n_contacts, "df": dict(stats.contact_df)})
    return stats


def talk_about(db: Database, cid: int, now: int | None = None, lang: str = "en",
               stats: Any = None, *, shares: bool = True, refresh: bool = True) -> Talk:  # fmt: skip
    """Topics, open loops, tone, openers and interests of one contact. With ``shares`` the
    contact's global topic shares and the suggested interests are filled in, after bringing
    the global topics up to date (a recompute when the history changed) unless ``refresh`` is
    off (a caller that must not write: the GUI's read pool; it refreshes on its write pool)."""
    from netassist.core import interests as it
    from netassist.core.engine.openloops import find_open_loops
    from netassist.core.engine.suggest import openers
    from netassist.core.engine.tone import tone_trend
    from netassist.core.engine.topics import contact_topics

    now = now or now_ts()
    with db.engine.connect() as c:
        row = c.exec_driver_sql(
            "SELECT display_name, given_name, family_name, nickname, gender FROM contact"
            " WHERE id = ?", (cid,)).first()  # fmt: skip
        last = c.exec_driver_sql(
            "SELECT max(occurred_at) FROM interaction WHERE contact_id = ?", (cid,)).scalar()  # fmt: skip
    if row is None:
        raise LookupError(f"no contact with id {cid}")
    name = row[0]
    exclude = tuple(w for part in row[:4] for w in (part or "").split())
    msgs = messages_of(db, cid)
    stats = stats if stats is not None else corpus_stats(db)
    found = contact_topics(msgs, stats, 30, exclude_names=exclude) if msgs else []
    ch = it.choices(db, cid)
    topics = it.apply_choices(found, ch, msgs, 8)
    loops = find_open_loops(msgs, float(now)) if msgs else []
    gender = row[4]
    if gender is None:
        from netassist.core.names import given_gender

        gender = given_gender(row[1] or name.split()[0] if name else "")
    ops = openers(name, topics, loops, float(last) if last else None, float(now), lang, gender)
    tk = Talk(cid, name, topics, loops, ops, tone_trend(msgs, float(now)) if msgs else None,
              {m.id: m for m in msgs}, ch.confirmed, ch.hidden)  # fmt: skip
    if shares:
        if refresh:
            it.ensure_global_topics(db)
        tk.shares = it.contact_shares(db, cid, found, ch)
        tk.suggestions = it.suggestions(tk.shares, found, ch)
    return tk


def dossier_sections(db: Database, dos: Any, now: int) -> None:
    """Topics, open loops and openers for a contact dossier."""
    tk = talk_about(db, int(dos.contact["id"]), now, dos.lang, shares=False)
    dos.topics = [(t.display or t.term, float(t.score)) for t in tk.topics]
    dos.open_loops = [(lp.kind, lp.text_excerpt) for lp in tk.open_loops]
    dos.openers = [o.text for o in tk.openers]
