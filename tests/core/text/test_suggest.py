from __future__ import annotations

import pytest

from netassist.core.engine.openloops import OpenLoop
from netassist.core.engine.suggest import (
    about_ru,
    ago_phrase,
    count_ru,
    date_phrase,
    inflect_ru,
    openers,
    past_verb_ru,
    plural_ru,
)
from netassist.core.engine.topics import Topic
from tests.core.text.helpers import DAY

# 2026-06-02 12:00 UTC
NOW = 1780401600.0
WEEK = ("неделю", "недели", "недель")


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, "неделю"),
        (2, "недели"),
        (4, "недели"),
        (5, "недель"),
        (11, "недель"),
        (12, "недель"),
        (14, "недель"),
        (21, "неделю"),
        (22, "недели"),
        (25, "недель"),
        (101, "неделю"),
        (111, "недель"),
        (0, "недель"),
    ],
)
def test_plural_ru(n: int, form: str) -> None:
    assert plural_ru(n, WEEK) == form


def test_relative_time_phrases() -> None:
    assert ago_phrase(0) == "сегодня" and ago_phrase(DAY) == "вчера"
    assert ago_phrase(3 * DAY) == "3 дня назад"
    assert ago_phrase(5 * DAY) == "5 дней назад"
    assert ago_phrase(7 * DAY) == "1 неделю назад"
    assert ago_phrase(21 * DAY) == "3 недели назад"
    assert ago_phrase(40 * DAY) == "1 месяц назад"
    assert ago_phrase(150 * DAY) == "5 месяцев назад"
    assert ago_phrase(2 * 365 * DAY) == "2 года назад"
    assert ago_phrase(5 * 365 * DAY) == "5 лет назад"
    assert ago_phrase(21 * DAY, "en") == "3 weeks ago"
    assert ago_phrase(7 * DAY, "en") == "1 week ago"
    assert count_ru(3, WEEK) == "3 недели"


def test_dates() -> None:
    assert date_phrase(NOW - 21 * DAY, "ru", NOW) == "12 мая"
    assert date_phrase(NOW - 21 * DAY, "en", NOW) == "12 May"
    assert date_phrase(NOW - 400 * DAY, "ru", NOW) == "28 апреля 2025"


def test_russian_inflection_after_prepositions() -> None:
    assert about_ru("рыбалка") == "о рыбалке"
    assert about_ru("отпуск") == "об отпуске"
    assert about_ru("новая работа") == "о новой работе"
    assert inflect_ru("рыбалка", "accs") == "рыбалку"
    assert inflect_ru("новая машина", "accs") == "новую машину"
    assert inflect_ru("рыбалку на Ладогу", "nomn") == "рыбалка на Ладогу"
    assert inflect_ru("Ладога", "loct") == "Ладоге"
    assert inflect_ru("python", "loct") == "python"
    assert past_verb_ru("прошел", "рыбалка") == "прошла"
    assert past_verb_ru("прошел", "соревнования") == "прошли"
    assert past_verb_ru("прошел", "отпуск") == "прошёл"


def _topic(term: str, display: str, pos: str, days_ago: float, ids=(1, 2)) -> Topic:
    return Topic(term, 1.0, tuple(ids), NOW - 60 * DAY, NOW - days_ago * DAY, display, pos)


def test_openers_ru_exact_strings() -> None:
    topics = [
        _topic("рыбалка ладога", "рыбалке на Ладоге", "PHRASE", 21, (3, 4)),
        _topic("дача", "дача", "NOUN", 7, (5,)),
        _topic("английский", "английский", "ADJF", 10, (6,)),
    ]
    loops = [
        OpenLoop("question", 11, NOW - 21 * DAY, "Ты будешь на конференции в Казани?", None),
        OpenLoop("promise", 12, NOW - 10 * DAY, "Скину статью про Байкал", None),
    ]
    got = openers("Ольга", topics, loops, NOW - 5 * DAY, NOW, "ru", gender="f")
    assert [o.text for o in got] == [
        "Ответить на её вопрос от 12 мая: «Ты будешь на конференции в Казани?»",
        "Отправить ей то, что обещали 23 мая: «Скину статью про Байкал»",
        "Спросить, как прошла рыбалка на Ладоге — обсуждали 3 недели назад",
        "Вернуться к разговору о даче — говорили 1 неделю назад",
        "Спросить, какие планы на выходные",
    ]
    assert got[0].source_message_ids == (11,) and got[2].source_message_ids == (3, 4)
    assert [o.kind for o in got] == ["reply", "promise", "topic", "topic", "checkin"]


def test_openers_en_and_without_gender() -> None:
    topics = [_topic("conference", "conference", "LATN", 14), _topic("garden", "garden", "LATN", 3)]
    loops = [OpenLoop("plan", 20, NOW - 30 * DAY, "Let's have lunch on Friday", NOW - 27 * DAY)]
    got = openers("Sam", topics, loops, NOW - 40 * DAY, NOW, "en")
    assert [o.text for o in got] == [
        "Check whether the plan for 6 May happened, or set a new date: “Let's have lunch on Friday”",
        "Ask how the conference went — you talked about it 2 weeks ago",
        "Ask about garden — you discussed it 3 days ago",
        "Just say hi — you last talked 1 month ago",
    ]


def test_openers_always_three_to_five() -> None:
    bare = openers("X", [], [], None, NOW, "ru")
    assert len(bare) == 3 and bare[0].text == "Написать первым и представиться"
    many_topics = [_topic(f"тема{i}", "дача", "NOUN", 3) for i in range(10)]
    assert len(openers("X", many_topics, [], NOW - DAY, NOW, "ru")) == 5
    nouns = [_topic("машина", "машина", "NOUN", 3)] * 2
    texts = [o.text for o in openers("X", nouns, [], NOW - DAY, NOW, "ru")]
    assert texts[0] == "Спросить про машину — обсуждали 3 дня назад"


def test_place_phrases_use_the_locative() -> None:
    from netassist.core.engine.suggest import static_place_ru

    assert static_place_ru("рыбалку на Ладогу") == "рыбалку на Ладоге"
    assert static_place_ru("поездку в лес") == "поездку в лесу"
    assert static_place_ru("поход в горы") == "поход в горах"
    assert static_place_ru("концерт в Москве") == "концерт в Москве"
    topic = _topic("поход гора", "поход в горы", "PHRASE", 14)
    got = openers("X", [topic], [], NOW - DAY, NOW, "ru")
    assert got[0].text == "Спросить, как прошёл поход в горах — обсуждали 2 недели назад"


def test_openers_skip_questions_and_plans_the_conversation_has_moved_past() -> None:
    loops = [
        # asked in April, and we have talked since (last week): not something to bring up now
        OpenLoop("question", 30, NOW - 60 * DAY, "Созвонимся вечером?", None),
        # a plan for two months ago, talked since
        OpenLoop("plan", 31, NOW - 70 * DAY, "Увидимся в четверг", NOW - 65 * DAY),
        # my promise from then is still mine to keep
        OpenLoop("promise", 32, NOW - 60 * DAY, "Скину статью про Байкал", None),
        # a question from 3 weeks ago still waits
        OpenLoop("question", 33, NOW - 21 * DAY, "Ты будешь на конференции в Казани?", None),
    ]
    got = openers("Ольга", [], loops, NOW - 5 * DAY, NOW, "ru", gender="f")
    sources = [o.source_message_ids for o in got]
    assert (33,) in sources and (32,) in sources
    assert (30,) not in sources and (31,) not in sources
    # with nothing said since, the old question is still the last word: it stays
    quiet = openers("Ольга", [], loops[:1], NOW - 60 * DAY, NOW, "ru", gender="f")
    assert [o.source_message_ids for o in quiet][0] == (30,)


def test_openers_ask_about_one_subject_once() -> None:
    topics = [
        _topic("конференция", "конференция", "NOUN", 21, (3,)),
        _topic("конференция машинный", "конференция по машинному", "PHRASE", 21, (4,)),
        _topic("дача", "дача", "NOUN", 7, (5,)),
    ]
    got = openers("Ольга", topics, [], NOW - 5 * DAY, NOW, "ru", gender="f")
    texts = [o.text for o in got]
    assert sum("конференц" in t for t in texts) == 1, texts
    assert any("дачу" in t for t in texts)
