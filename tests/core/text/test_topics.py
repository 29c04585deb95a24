from __future__ import annotations

import pytest

from netassist.core.engine.text import Message
from netassist.core.engine.topics import (
    CorpusStats,
    build_corpus_stats,
    contact_topics,
    global_topics,
    message_terms,
)
from netassist.core.progress import Cancelled
from tests.core.text.helpers import BASE, DAY


def _history() -> list[Message]:
    rows = {
        1: [  # fishing with Petya, in many grammatical forms
            "Петя, поехали на рыбалку на Ладогу в субботу",
            "На рыбалке на Ладоге поймал здоровенную щуку!",
            "С рыбалкой в этом году повезло, щуки крупные",
            "Купил новые удочки для рыбалки",
            "Петя, как работа?",
        ],
        2: [  # English practice and programming with Anna
            "Как твой английский? Курсы английского помогают?",
            "Английский идёт тяжело, но курсы отличные",
            "Работа достала",
            "Python or Rust for the new backend?",
            "Rust backends are faster, Python is simpler",
        ],
        3: [  # work and holidays with Oleg
            "Новая работа нравится?",
            "На работе завал, отпуск нужен",
            "Когда отпуск?",
            "Отпуск в августе, поедем в Турцию",
            "Турция понравилась, отель отличный",
        ],
    }
    msgs = []
    i = 0
    for contact, texts in rows.items():
        for d, text in enumerate(texts):
            i += 1
            msgs.append(Message(i, contact, BASE + d * DAY, "in", text, "telegram"))
    return msgs


NAMES = ("Петя", "Анна", "Олег")


def test_contact_topics_find_the_distinctive_lemmas_with_provenance() -> None:
    msgs = _history()
    stats = build_corpus_stats(msgs, NAMES)
    petya = contact_topics([m for m in msgs if m.contact_id == 1], stats, 5, exclude_names=NAMES)
    terms = [t.term for t in petya]
    assert terms[0] == "рыбалка"
    assert "щука" in terms and "петя" not in terms
    fishing = petya[0]
    assert fishing.message_ids == (1, 2, 3, 4)
    assert fishing.first_t == BASE and fishing.last_t == BASE + 3 * DAY
    assert fishing.display == "рыбалка" and fishing.pos == "NOUN"
    phrase = next(t for t in petya if t.term == "рыбалка ладога")
    assert phrase.display in ("рыбалку на Ладогу", "рыбалке на Ладоге")
    assert phrase.message_ids == (1, 2)


def test_common_terms_rank_below_distinctive_ones_and_one_offs_dropped() -> None:
    msgs = _history()
    stats = build_corpus_stats(msgs, NAMES)
    oleg = contact_topics([m for m in msgs if m.contact_id == 3], stats, 10, exclude_names=NAMES)
    terms = [t.term for t in oleg]
    assert set(terms[:2]) == {"отпуск", "турция"}
    assert terms.index("работа") > 1  # "работа" is shared by all three contacts
    assert "отель" not in terms  # said once
    anna = contact_topics([m for m in msgs if m.contact_id == 2], stats, 10, exclude_names=NAMES)
    assert {"английский", "курс", "python", "rust", "backend"} <= {t.term for t in anna}


def test_message_terms_skip_urls_numbers_and_break_phrases_at_punctuation() -> None:
    terms = [t.term for t in message_terms("Рыбалка, https://ladoga.ru/fish 2026 щука")]
    assert terms == ["рыбалка", "щука"]


def test_global_topics_and_shares() -> None:
    msgs = _history()
    topics, shares = global_topics(msgs, n_topics=3, exclude_names=NAMES)
    assert len(topics) == 3
    by_word = {w: t.index for t in topics for w in t.top_terms[:3]}
    fishing = by_word["рыбалка"]
    assert shares[1][fishing] > 0.5
    assert abs(sum(shares[1].values()) - 1.0) < 0.01
    assert abs(sum(t.weight for t in topics) - 1.0) < 0.01
    assert all(t.name for t in topics)


def test_global_topics_on_too_little_text() -> None:
    one = [Message(1, 1, BASE, "in", "привет", "telegram")]
    assert global_topics(one, n_topics=5) == ([], {})


def test_global_topics_fills_corpus_stats_in_the_same_pass() -> None:
    msgs = _history()
    stats = CorpusStats()
    global_topics(msgs, n_topics=3, exclude_names=NAMES, corpus_stats_out=stats)
    direct = build_corpus_stats(msgs, NAMES)
    assert stats.n_contacts == direct.n_contacts == 3
    assert stats.contact_df == direct.contact_df


def test_long_passes_can_be_cancelled() -> None:
    class Stop:
        def set_progress(self, fraction: float | None, text: str = "") -> None:
            pass

        def is_cancelled(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        build_corpus_stats(_history(), progress=Stop())
    with pytest.raises(Cancelled):
        global_topics(_history(), n_topics=3, progress=Stop())
