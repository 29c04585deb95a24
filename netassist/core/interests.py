"""Interests: global NMF topics over the whole history, each contact's share of them, and what
the user confirmed or hid for a contact.

Global topics (``engine.topics.global_topics``) are a cache in the ``global_topic`` and
``contact_topic`` tables, keyed on the state of the history (how many interactions there are and
the newest id): they are recomputed on demand once the history changed by 1% (at least one
interaction) since the last run, so the first look after an import pays for it, off the GUI thread.
"forget" drops them, since their lemmas come from everyone's messages.

The user's choices live in ``contact_interest``, per contact: an interest confirmed (one of the
suggestions, or words the user typed), or a term / global topic hidden. A hidden term never
shows again for that contact: not among the topics, not in openers, not in suggestions; hiding a
word also hides the phrases made with it ("щука" hides "щука ладога"). Terms are keyed by lemma,
so "рыбалку на Ладоге" typed by the user is the same as the phrase found in the messages.
A global topic is keyed by its top lemmas; after a recompute it is still "the same topic" when
two of its three top lemmas, or the first one, are unchanged.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netassist.core.db import Database
from netassist.core.progress import Progress
from netassist.core.talk import NAME_WORDS_SQL, name_words
from netassist.core.timeutil import now_ts

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from netassist.core.engine.text import Message
    from netassist.core.engine.topics import Topic

STATE_KEY = "state:global_topics"
MAX_TOPICS = 12
MIN_SHARE = 0.05  # a topic below this share of a contact's conversations is not suggested
_LOCK = threading.Lock()  # one recompute at a time per process (pages open in parallel)


@dataclass(frozen=True, slots=True)
class StoredTopic:
    idx: int
    name: str
    top_terms: tuple[str, ...]
    weight: float


@dataclass(frozen=True, slots=True)
class Interest:
    id: int
    kind: str  # term / topic
    term: str  # key: lemmas; for a topic, its top lemmas joined with ", "
    label: str
    status: str  # confirmed / hidden
    source: str  # suggested / user
    created_at: int


@dataclass(frozen=True, slots=True)
class Share:
    """A contact's share of one global topic, with the contact's own terms that belong to it."""

    topic: StoredTopic
    share: float
    terms: tuple[str, ...] = ()  # display forms of the contact's terms in this topic


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str  # topic / term
    term: str  # the key to pass to confirm()/hide()
    label: str
    share: float | None = None  # topics only
    terms: tuple[str, ...] = ()  # topics: the contact's own words in it


@dataclass(slots=True)
class Choices:
    """A contact's confirmed and hidden terms and topics, with the matching rules."""

    items: list[Interest] = field(default_factory=list)

    @property
    def confirmed(self) -> list[Interest]:
        return [i for i in self.items if i.status == "confirmed"]

    @property
    def hidden(self) -> list[Interest]:
        return [i for i in self.items if i.status == "hidden"]

    def term_hidden(self, term: str) -> bool:
        words = term.split()
        for h in self.hidden:
            if h.kind == "term" and (h.term == term or (" " not in h.term and h.term in words)):
                return True
        return False

    def term_confirmed(self, term: str) -> bool:
        return any(c.kind == "term" and c.term == term for c in self.confirmed)

    def topic_status(self, top_terms: Sequence[str]) -> str | None:
        for i in self.items:
            if i.kind == "topic" and same_topic(i.term.split(", "), top_terms):
                return i.status
        return None


# --- keys ------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def term_key(text: str) -> str:
    """The lemma key of words the user typed or clicked: one topic word → its lemma, two topic
    words making a phrase → the phrase's lemmas ("рыбалку на Ладоге" → "рыбалка ладога"),
    anything else → the lemmas of its words in order."""
    from netassist.core.engine.text import lemma
    from netassist.core.engine.topics import message_terms

    terms = message_terms(text)
    words = [t for t in terms if t.pos != "PHRASE"]
    phrases = [t for t in terms if t.pos == "PHRASE"]
    if len(words) == 1 and not phrases:
        return words[0].term
    if len(words) == 2 and len(phrases) == 1:
        return phrases[0].term
    return " ".join(lemma(w) for w in _WORD.findall(text)) or " ".join(text.casefold().split())


def topic_key(top_terms: Sequence[str]) -> str:
    return ", ".join(top_terms[:3])


def same_topic(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two topics (top lemmas, strongest first) are the same when their first lemma or two of
    their three top lemmas agree: recomputed topics shift a little, the user's choice stays."""
    if not a or not b:
        return False
    return a[0] == b[0] or len(set(a[:3]) & set(b[:3])) >= 2


# --- global topics: compute and store ----------------------------------------------------------


def history_state(db: Database) -> tuple[int, int]:
    """(interactions, newest interaction id): what the global topics were computed on. Two
    separate queries on purpose: each alone is answered from a b-tree in well under a
    millisecond, while one query with both (or any WHERE) reads every row."""
    with db.engine.connect() as c:
        count = c.exec_driver_sql("SELECT count(*) FROM interaction").scalar()
        max_id = c.exec_driver_sql("SELECT max(id) FROM interaction").scalar()
    return int(count or 0), int(max_id or 0)


def _stored_state(conn: Any) -> dict[str, Any] | None:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (STATE_KEY,)).fetchone()
    return json.loads(row[0]) if row else None


def is_stale(db: Database) -> bool:
    count, max_id = history_state(db)
    conn = db.raw()
    try:
        st = _stored_state(conn)
    finally:
        conn.close()
    if st is None:
        return True
    changed = abs(count - int(st["count"])) + max(0, max_id - int(st["max_id"]))
    return changed >= max(1, int(st["count"]) // 100)


def topic_count(n_docs: int) -> int:
    """How many topics for a history of n contact-day documents: about sqrt(n/2), 2..12."""
    return max(2, min(MAX_TOPICS, round((n_docs / 2) ** 0.5)))


def _messages(conn: Any) -> Iterator[Message]:
    from netassist.core.engine.text import Message

    cur = conn.execute(
        "SELECT id, contact_id, occurred_at, direction, text, channel FROM interaction"
        " WHERE text IS NOT NULL AND text != ''"
    )
    for r in cur:
        yield Message(r[0], r[1], float(r[2]), r[3], r[4], r[5])


def refresh_global_topics(
    db: Database, *, n_topics: int | None = None, progress: Progress | None = None
) -> list[StoredTopic]:
    """Recompute the global topics and every contact's shares over the whole history, now."""
    from netassist.core.engine.topics import global_topics

    count, max_id = history_state(db)
    conn = db.raw()
    try:
        if n_topics is None:
            n_docs = conn.execute(
                "SELECT count(*) FROM (SELECT DISTINCT contact_id, occurred_at / 86400"
                " FROM interaction WHERE text IS NOT NULL AND text != '')"
            ).fetchone()[0]
            n_topics = topic_count(int(n_docs))
        topics, shares = global_topics(
            _messages(conn),
            n_topics,
            exclude_names=name_words(conn.execute(NAME_WORDS_SQL)),
            progress=progress,
        )
        t = now_ts()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM contact_topic")
            conn.execute("DELETE FROM global_topic")
            conn.executemany(
                "INSERT INTO global_topic (idx, name, top_terms, weight, computed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(tp.index, tp.name, json.dumps(list(tp.top_terms), ensure_ascii=False),
                  tp.weight, t) for tp in topics],
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO contact_topic (contact_id, topic_idx, share)"
                " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM contact WHERE id = ?)",
                [(cid, i, s, cid) for cid, by in shares.items() for i, s in by.items()],
            )
            state = {"count": count, "max_id": max_id, "n_topics": n_topics, "at": t}
            conn.execute(
                "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                (STATE_KEY, json.dumps(state)),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return [StoredTopic(tp.index, tp.name, tp.top_terms, tp.weight) for tp in topics]


def ensure_global_topics(db: Database, *, progress: Progress | None = None) -> bool:
    """Recompute the global topics when the history changed since they were computed (see the
    module doc). Returns whether it recomputed."""
    with _LOCK:
        if not is_stale(db):
            return False
        refresh_global_topics(db, progress=progress)
        return True


def stored_topics(db: Database) -> list[StoredTopic]:
    with db.engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT idx, name, top_terms, weight FROM global_topic ORDER BY weight DESC, idx"
        ).all()
    return [StoredTopic(r[0], r[1], tuple(json.loads(r[2] or "[]")), r[3]) for r in rows]


def topic_shares(db: Database, cid: int) -> list[tuple[StoredTopic, float]]:
    """The contact's share of each global topic, largest first."""
    with db.engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT g.idx, g.name, g.top_terms, g.weight, s.share FROM contact_topic s"
            " JOIN global_topic g ON g.idx = s.topic_idx WHERE s.contact_id = ?"
            " ORDER BY s.share DESC, g.idx",
            (cid,),
        ).all()
    return [(StoredTopic(r[0], r[1], tuple(json.loads(r[2] or "[]")), r[3]), r[4]) for r in rows]


# --- the user's choices ------------------------------------------------------------------------


def choices(db: Database, cid: int) -> Choices:
    with db.engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT id, kind, term, label, status, source, created_at FROM contact_interest"
            " WHERE contact_id = ? ORDER BY status, created_at, id",
            (cid,),
        ).all()
    return Choices([Interest(*r) for r in rows])


def _set_choice(db: Database, cid: int, kind: str, term: str, label: str, status: str,
                source: str) -> Interest:  # fmt: skip
    from netassist.core.contacts import NotFound, transaction

    if kind not in ("term", "topic"):
        raise ValueError(f"unknown interest kind {kind!r}")
    if not term.strip():
        raise ValueError("an interest needs some words")
    t = now_ts()
    with transaction(db) as conn:
        if conn.execute("SELECT 1 FROM contact WHERE id = ?", (cid,)).fetchone() is None:
            raise NotFound(f"no contact with id {cid}")
        conn.execute(
            "INSERT INTO contact_interest (contact_id, kind, term, label, status, source,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (contact_id, kind, term)"
            " DO UPDATE SET label = excluded.label, status = excluded.status,"
            " source = excluded.source, created_at = excluded.created_at",
            (cid, kind, term, label, status, source, t),
        )
        row = conn.execute(
            "SELECT id, kind, term, label, status, source, created_at FROM contact_interest"
            " WHERE contact_id = ? AND kind = ? AND term = ?",
            (cid, kind, term),
        ).fetchone()
    return Interest(*row)


def confirm(db: Database, cid: int, words: str, *, kind: str = "term", key: str | None = None,
            source: str = "suggested") -> Interest:  # fmt: skip
    """Confirm an interest: a suggested term or topic (pass its ``key``), or the user's own
    words (``source="user"``; keyed by their lemmas)."""
    label = " ".join(words.split())
    return _set_choice(db, cid, kind, key or _key_for(kind, label), label, "confirmed", source)


def hide(db: Database, cid: int, words: str, *, kind: str = "term",
         key: str | None = None) -> Interest:  # fmt: skip
    """Hide a term (and the phrases made with it) or a global topic for this contact."""
    label = " ".join(words.split())
    return _set_choice(db, cid, kind, key or _key_for(kind, label), label, "hidden", "user")


def forget_choice(db: Database, cid: int, words: str, *, kind: str = "term",
                  key: str | None = None) -> bool:  # fmt: skip
    """Undo a confirm or a hide. Returns whether there was one."""
    from netassist.core.contacts import transaction

    k = key or _key_for(kind, " ".join(words.split()))
    with transaction(db) as conn:
        n = conn.execute(
            "DELETE FROM contact_interest WHERE contact_id = ? AND kind = ? AND term = ?",
            (cid, kind, k),
        ).rowcount
    return bool(n)


def _key_for(kind: str, label: str) -> str:
    return label.casefold() if kind == "topic" else term_key(label)


# --- a contact's view: topics filtered, confirmed first, suggestions ---------------------------


def apply_choices(topics: Sequence[Topic], ch: Choices, messages: Sequence[Message] = (),
                  limit: int = 8) -> list[Topic]:  # fmt: skip
    """The contact's topics with hidden terms dropped and confirmed interests first.

    A confirmed interest that is not among the topics (typed by the user, or below the cut) is
    looked up in the contact's messages, so it can feed openers with its sources; one never
    mentioned stays out (an opener needs something that was said)."""
    kept = [t for t in topics if not ch.term_hidden(t.term)]
    have = {t.term for t in kept}
    first: list[Topic] = []
    for c in ch.confirmed:
        if c.kind != "term" or ch.term_hidden(c.term):
            continue
        hit = next((t for t in kept if t.term == c.term), None)
        if hit is None and c.term not in have and messages:
            hit = _topic_from_messages(c, messages)
        if hit is not None and hit not in first:
            first.append(hit)
    rest = [t for t in kept if t not in first]
    return (first + rest)[: max(limit, len(first))]


def _topic_from_messages(c: Interest, messages: Sequence[Message]) -> Topic | None:
    from netassist.core.engine.topics import Topic, message_terms

    ids: list[int] = []
    times: list[float] = []
    pos = ""
    surface = ""
    for m in sorted(messages, key=lambda m: (m.t, m.id)):
        if not m.text:
            continue
        for t in message_terms(m.text):
            if t.term == c.term:
                ids.append(m.id)
                times.append(m.t)
                pos, surface = t.pos, t.surface
                break
    if not ids:
        return None
    display = surface if pos == "PHRASE" else c.term
    return Topic(c.term, 0.0, tuple(ids), times[0], times[-1], display, pos)


def contact_shares(db: Database, cid: int, topics: Sequence[Topic], ch: Choices) -> list[Share]:
    """The contact's shares of global topics (hidden topics left out), each with the contact's
    own terms that belong to it: a term goes to the one topic where one of its lemmas ranks
    highest among the top lemmas (the larger share on a tie)."""
    rows = [(st, s) for st, s in topic_shares(db, cid) if ch.topic_status(st.top_terms) != "hidden"]
    mine: dict[int, list[str]] = {st.idx: [] for st, _s in rows}
    for t in topics:
        if ch.term_hidden(t.term):
            continue
        best: tuple[int, float, int] | None = None
        for st, s in rows:
            ranks = [st.top_terms.index(w) for w in t.term.split() if w in st.top_terms]
            if ranks and (best is None or (min(ranks), -s) < best[:2]):
                best = (min(ranks), -s, st.idx)
        if best is not None:
            mine[best[2]].append(t.display or t.term)
    return [Share(st, s, tuple(mine[st.idx])) for st, s in rows]


def suggestions(shares: Sequence[Share], topics: Sequence[Topic], ch: Choices, *,
                max_topics: int = 3, max_terms: int = 5) -> list[Suggestion]:  # fmt: skip
    """What the user may confirm or hide: the contact's largest global topics (share at least
    5%), then the contact's most distinctive terms, leaving out what was already decided."""
    out: list[Suggestion] = []
    for sh in shares:
        if len([s for s in out if s.kind == "topic"]) >= max_topics or sh.share < MIN_SHARE:
            break
        if ch.topic_status(sh.topic.top_terms) is not None:
            continue
        key = topic_key(sh.topic.top_terms)
        out.append(Suggestion("topic", key, sh.topic.name, sh.share, sh.terms[:4]))
    n = 0
    for t in topics:
        if n >= max_terms:
            break
        if ch.term_hidden(t.term) or ch.term_confirmed(t.term):
            continue
        out.append(Suggestion("term", t.term, t.display or t.term))
        n += 1
    return out


def interests_json(db: Database, cid: int) -> dict[str, Any]:
    """The user's choices and the contact's global topic shares, as plain data (CLI, export)."""
    ch = choices(db, cid)
    return {
        "confirmed": [_interest_json(i) for i in ch.confirmed],
        "hidden": [_interest_json(i) for i in ch.hidden],
        "shares": [
            {"topic": st.idx, "name": st.name, "top_terms": list(st.top_terms), "share": share}
            for st, share in topic_shares(db, cid)
            if ch.topic_status(st.top_terms) != "hidden"
        ],  # fmt: skip
    }


def _interest_json(i: Interest) -> dict[str, Any]:
    return {"kind": i.kind, "term": i.term, "label": i.label, "source": i.source,
            "created_at": i.created_at}  # fmt: skip
