"""End to end: one contact's messages → topics and open loops → openers, as the CLI will do."""

from __future__ import annotations

from netassist.core.engine.openloops import find_open_loops
from netassist.core.engine.suggest import openers
from netassist.core.engine.text import Message
from netassist.core.engine.topics import build_corpus_stats, contact_topics
from tests.core.text.helpers import BASE, DAY, HOUR


def test_messages_to_openers_ru() -> None:
    d = DAY / HOUR
    vasya = [
        (0, "in", "Вась, в субботу едем на рыбалку на Ладогу!"),
        (1, "out", "Супер, возьму палатку"),
        (3 * d, "in", "На рыбалке на Ладоге клевало отлично, взяли трёх судаков"),
        (3 * d + 1, "out", "Круто! Судаков коптить будешь?"),
        (20 * d, "in", "Ты смотрел квартиру на Васильевском?"),
        (20 * d + 2, "out", "Скину тебе фотки квартиры вечером"),
    ]
    msgs = [
        Message(i + 1, 1, BASE + h * HOUR, direction, text, "telegram")
        for i, (h, direction, text) in enumerate(vasya)
    ]
    others = [
        Message(100 + i, 2 + i % 3, BASE + i * DAY, "in", text, "telegram")
        for i, text in enumerate(
            ["Квартиру сдали?", "Работа замучила", "Как квартира?", "Работа, работа", "Отпуск!"]
        )
    ]
    now = BASE + 24 * DAY
    stats = build_corpus_stats(msgs + others, ("Вася",))
    topics = contact_topics(msgs, stats, 5, exclude_names=("Вася",))
    assert topics[0].term == "рыбалка ладога"
    loops = find_open_loops(msgs, now)
    assert [(lp.kind, lp.message_id) for lp in loops] == [("promise", 6)]
    got = openers("Вася", topics, loops, msgs[-1].t, now, "ru", gender="m")
    assert (
        got[0].text == "Отправить ему то, что обещали 24 мая: «Скину тебе фотки квартиры вечером»"
    )
    assert got[0].source_message_ids == (6,)
    assert got[1].text == "Спросить, как прошла рыбалка на Ладоге — обсуждали 3 недели назад"
    assert got[1].source_message_ids == (1, 3)
    assert 3 <= len(got) <= 5
