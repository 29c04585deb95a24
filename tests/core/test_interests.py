"""Interests on a real database file: global NMF topics named by the expected lemmas, each
contact's shares, hide and confirm (persisted, applied to topics and openers), forget, merge and
export. The conversations are written here, in Russian and English, with known themes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import orjson

from netassist.core import contacts as svc
from netassist.core import interests as it
from netassist.core.db import Database, open_database
from netassist.core.export import export_json
from netassist.core.talk import talk_about

DAY = 86_400
T0 = 1_767_225_600  # 2026-01-01 00:00 UTC
NOW = T0 + 95 * DAY

FISHING = [
    "Поехали на рыбалку на озеро в субботу, возьму лодку",
    "На рыбалке поймал щуку, удочка чуть не сломалась",
    "Щука клюёт на блесну, а окунь на червя",
    "Купил новую удочку и блесну для рыбалки",
    "Лодку надо подлатать перед рыбалкой на озере",
    "Окуня на озере много, щуки поменьше",
]
TRAVEL = [
    "The flight to Lisbon is booked, hotel near the beach",
    "Did you renew your passport before the flight?",
    "Our hotel has a rooftop pool and the beach is close",
    "Lost my luggage after the flight, the airline is useless",
    "Packing the luggage tonight, passport and tickets ready",
    "The beach was perfect, the hotel breakfast too",
]
CODING = [
    "Python сервис упал на сервере после деплоя",
    "Деплой на сервер сломал базу, откатили релиз",
    "The Python tests fail on the server, the release waits",
    "Релиз в пятницу, сервер обновим после деплоя",
    "Перепиши этот сервис на Python, сервер не тянет",
    "Release notes for the Python service are on the server wiki",
]


def _insert(db: Database, cid: int, texts: list[str], start: int, seq: list[int]) -> None:
    conn = db.raw()
    try:
        conn.execute("BEGIN")
        for i, text in enumerate(texts):
            seq[0] += 1
            conn.execute(
                "INSERT INTO interaction (contact_id, channel, direction, occurred_at, text,"
                " length, fingerprint) VALUES (?, 'telegram', ?, ?, ?, ?, ?)",
                (cid, "in" if i % 2 else "out", start + i * DAY, text, len(text), f"t{seq[0]}"),
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


def _history(db: Database) -> dict[str, int]:
    """Четыре человека: Пётр — рыбалка, Anna — travel, Oleg — code, Мария — fishing and code."""
    rng = random.Random(3)
    seq = [0]
    people = {
        "Пётр Рыбаков": [FISHING] * 9 + [TRAVEL],
        "Anna Smith": [TRAVEL] * 9 + [FISHING],
        "Олег Кодов": [CODING] * 10,
        "Мария Смешанная": [FISHING, CODING] * 5,
    }
    ids = {}
    for name, themes in people.items():
        cid = svc.add_contact(db, name)
        ids[name] = cid
        texts = []
        for d in range(60):
            theme = themes[d % len(themes)]
            texts.append(" ".join(rng.sample(theme, 2)))
        _insert(db, cid, texts, T0 + rng.randrange(3600), seq)
    return ids


# the topic words each theme can be named by (lemmas)
FISHING_WORDS = {"рыбалка", "озеро", "щука", "лодка", "окунь", "удочка", "блесна", "червь"}
TRAVEL_WORDS = {"flight", "hotel", "beach", "passport", "luggage", "pool", "airline", "lisbon"}
CODING_WORDS = {"сервер", "python", "сервис", "релиз", "деплой", "server", "release", "база"}


def _topic_named_by(topics: list[it.StoredTopic], words: set[str]) -> it.StoredTopic:
    """The one topic whose three top lemmas (its name) all come from the theme's words."""
    hits = [t for t in topics if len(t.top_terms) >= 3 and set(t.top_terms[:3]) <= words]
    assert len(hits) == 1, (words, topics)
    return hits[0]


def test_global_topics_are_named_by_their_lemmas_with_sensible_shares(db) -> None:
    ids = _history(db)
    topics = it.refresh_global_topics(db, n_topics=3)
    assert len(topics) == 3
    assert it.stored_topics(db) == sorted(topics, key=lambda t: (-t.weight, t.idx))
    fishing = _topic_named_by(topics, FISHING_WORDS)
    travel = _topic_named_by(topics, TRAVEL_WORDS)
    coding = _topic_named_by(topics, CODING_WORDS)
    assert len({fishing.idx, travel.idx, coding.idx}) == 3
    assert fishing.name == ", ".join(fishing.top_terms[:3])
    assert abs(sum(t.weight for t in topics) - 1.0) < 0.01

    for cid in ids.values():
        shares = dict((t.idx, s) for t, s in it.topic_shares(db, cid))
        assert abs(sum(shares.values()) - 1.0) < 0.01
        assert all(0 <= s <= 1 for s in shares.values())
    petr = dict((t.idx, s) for t, s in it.topic_shares(db, ids["Пётр Рыбаков"]))
    assert petr[fishing.idx] > 0.7
    anna = it.topic_shares(db, ids["Anna Smith"])
    assert anna[0][0].idx == travel.idx and anna[0][1] > 0.7  # largest first
    maria = dict((t.idx, s) for t, s in it.topic_shares(db, ids["Мария Смешанная"]))
    assert 0.25 < maria[fishing.idx] < 0.75 and 0.25 < maria[coding.idx] < 0.75

    # the contact's own words are grouped under the topic they belong to
    tk = talk_about(db, ids["Мария Смешанная"], NOW, "ru")
    by_topic = {s.topic.idx: s.terms for s in tk.shares}
    assert any("щук" in w or "рыбалк" in w for w in by_topic[fishing.idx])
    assert any("сервер" in w or "деплой" in w for w in by_topic[coding.idx])
    assert not set(by_topic[fishing.idx]) & set(by_topic[coding.idx])


def test_topics_are_recomputed_when_the_history_changes(db) -> None:
    ids = _history(db)
    assert it.is_stale(db)
    assert it.ensure_global_topics(db) is True
    assert 2 <= len(it.stored_topics(db)) <= it.MAX_TOPICS
    assert it.ensure_global_topics(db) is False  # nothing changed: the cache is used
    seq = [10_000]
    _insert(db, ids["Олег Кодов"], ["Новый релиз Python сервиса на сервере"] * 3, NOW, seq)
    assert it.is_stale(db)  # 3 new messages out of 240: more than 1%
    assert it.ensure_global_topics(db) is True
    assert it.topic_count(0) == 2 and it.topic_count(50) == 5 and it.topic_count(10**6) == 12


def test_term_keys_and_topic_identity() -> None:
    assert it.term_key("рыбалку на Ладоге") == "рыбалка ладога"
    assert it.term_key("Щуку") == "щука"
    assert it.term_key("flights") == "flight"
    assert it.same_topic(["рыбалка", "щука", "озеро"], ["щука", "озеро", "лодка"])
    assert it.same_topic(["рыбалка", "a", "b"], ["рыбалка", "c", "d"])
    assert not it.same_topic(["рыбалка", "щука", "озеро"], ["flight", "щука", "hotel"])


def test_hide_removes_a_term_from_topics_openers_and_suggestions(db) -> None:
    ids = _history(db)
    cid = ids["Пётр Рыбаков"]
    it.refresh_global_topics(db, n_topics=3)
    before = talk_about(db, cid, NOW, "ru")
    first = before.topics[0]
    topic_openers = [o for o in before.openers if o.kind == "topic"]
    assert topic_openers and topic_openers[0].source_message_ids == first.message_ids[-5:]
    hidden = first.term.split()[0]  # one word: it also hides every phrase made with it

    it.hide(db, cid, first.display or first.term, key=hidden)
    after = talk_about(db, cid, NOW, "ru")
    assert all(hidden not in t.term.split() for t in after.topics)
    assert all(hidden not in s.term.split() for s in after.suggestions if s.kind == "term")
    assert all(o.source_message_ids != first.message_ids[-5:] for o in after.openers)
    stem = hidden[:4]
    assert not any(stem in o.text.casefold() for o in after.openers if o.kind == "topic")
    assert all(stem not in w for s in after.shares for w in s.terms)
    assert [i.term for i in after.hidden] == [hidden]
    # hiding a whole topic takes it out of the contact's shares and suggestions
    top = after.shares[0].topic
    it.hide(db, cid, top.name, kind="topic", key=it.topic_key(top.top_terms))
    again = talk_about(db, cid, NOW, "ru")
    assert top.idx not in {s.topic.idx for s in again.shares}
    assert all(s.term != it.topic_key(top.top_terms) for s in again.suggestions)
    # and "show again" brings the word back
    assert it.forget_choice(db, cid, "", key=hidden) is True
    back = talk_about(db, cid, NOW, "ru")
    assert any(hidden in t.term.split() for t in back.topics)


def test_confirm_persists_across_reopen_and_leads_topics_and_openers(tmp_path: Path) -> None:
    path = tmp_path / "reopen.db"
    db = open_database(path)
    ids = _history(db)
    cid = ids["Пётр Рыбаков"]
    tk = talk_about(db, cid, NOW, "en")
    terms = [t.term for t in tk.topics]
    assert "лодка" in terms and terms[0] != "лодка"
    it.confirm(db, cid, "лодку")  # as a suggestion would be clicked: by its words
    it.confirm(db, cid, "джазовые концерты", source="user")  # never mentioned
    db.dispose()

    db = open_database(path)
    try:
        ch = it.choices(db, cid)
        assert [(i.term, i.label, i.source) for i in ch.confirmed] == [
            ("лодка", "лодку", "suggested"),
            ("джазовый концерт", "джазовые концерты", "user"),
        ]
        tk = talk_about(db, cid, NOW, "en")
        assert [i.label for i in tk.interests] == ["лодку", "джазовые концерты"]
        assert tk.topics[0].term == "лодка"  # confirmed first
        assert "джазовый концерт" not in [t.term for t in tk.topics]  # nothing said about it
        topic_openers = [o for o in tk.openers if o.kind == "topic"]
        assert "лодка" in topic_openers[0].text
        assert all(s.term != "лодка" for s in tk.suggestions)
        # a confirmed word the contact did use, but rarely, is found in the messages
        seq = [20_000]
        _insert(db, cid, ["Видел выдру у причала", "Выдра опять у причала"], NOW - DAY, seq)
        it.confirm(db, cid, "выдра", source="user")
        tk = talk_about(db, cid, NOW, "ru")
        assert tk.topics[0].term == "лодка" and tk.topics[1].term == "выдра"
        assert len(tk.topics[1].message_ids) == 2
    finally:
        db.dispose()


def test_forget_merge_and_export_cover_interests(db, tmp_path: Path) -> None:
    ids = _history(db)
    it.refresh_global_topics(db, n_topics=3)
    petr, anna = ids["Пётр Рыбаков"], ids["Anna Smith"]
    it.confirm(db, petr, "щуку")
    it.hide(db, petr, "лодка")
    it.confirm(db, anna, "beach")

    out = tmp_path / "export.json"
    counts = export_json(db, out)
    data = orjson.loads(out.read_bytes())
    assert counts["contact_interest"] == 3 and counts["global_topic"] == 3
    assert {(r["contact_id"], r["term"], r["status"]) for r in data["contact_interest"]} == {
        (petr, "щука", "confirmed"), (petr, "лодка", "hidden"), (anna, "beach", "confirmed")
    }  # fmt: skip
    assert {r["contact_id"] for r in data["contact_topic"]} == set(ids.values())
    assert all(json.loads(t["top_terms"]) for t in data["global_topic"])

    other = svc.add_contact(db, "Пётр Второй")
    it.confirm(db, other, "окунь")
    it.confirm(db, other, "щука")  # petr has it too: the merge keeps one
    svc.merge_contacts(db, petr, other)
    assert sorted(i.term for i in it.choices(db, petr).confirmed) == ["окунь", "щука"]

    svc.forget_contact(db, petr)
    conn = db.raw()
    try:
        for table in ("contact_interest", "contact_topic"):
            n = conn.execute(f"SELECT count(*) FROM {table} WHERE contact_id = ?", (petr,))
            assert n.fetchone()[0] == 0
        # the global topics are named by lemmas of everyone's messages, his included: dropped
        assert conn.execute("SELECT count(*) FROM global_topic").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM contact_topic").fetchone()[0] == 0
        assert (
            conn.execute("SELECT count(*) FROM setting WHERE key = ?", (it.STATE_KEY,)).fetchone()[
                0
            ]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM contact_interest").fetchone()[0] == 1  # Anna's
    finally:
        conn.close()
    assert it.is_stale(db) and it.ensure_global_topics(db)  # recomputed without him
    assert it.topic_shares(db, anna)
