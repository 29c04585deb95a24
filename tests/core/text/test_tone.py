from __future__ import annotations

import pytest

from netassist.core.engine.text import Message
from netassist.core.engine.tone import lexicon, message_tone, tone, tone_trend
from tests.core.text.helpers import BASE, DAY


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо огромное, очень рада!",
        "Обнимаю тебя, солнышко ❤️",
        "Thanks so much, love it!",
        "Поздравляю!!! 🎉",
        "Приветик)))",
        "Вот твоя чашечка чая",
    ],
)
def test_warm_messages_are_positive(text: str) -> None:
    assert tone(text) > 0.1


@pytest.mark.parametrize(
    "text",
    ["Это ужасно, меня бесит", "I hate this, terrible :(", "Отстой полный 😡", "Очень обидно(("],
)
def test_cold_messages_are_negative(text: str) -> None:
    assert tone(text) < -0.1


def test_neutral_and_lookalike_diminutives() -> None:
    assert tone("Встреча в 10 у метро") == 0.0
    assert tone("Точка сбора у бабушки") == 0.0  # look like diminutives, are not


def test_negation_flips() -> None:
    assert tone("рад") > 0 > tone("не рад")
    assert tone("happy") > 0 > tone("not happy")
    assert tone("не плохо") > 0 > tone("плохо")
    assert tone("I don't hate it") > 0
    # Negation stops at the end of a clause.
    assert tone("Не знаю. Рад тебя видеть") > 0


def test_inflected_forms_use_lemma_and_hits_explain() -> None:
    score = message_tone("Благодарю за помощь, ты молодец")
    assert score.score > 0.5
    assert {w for w, _ in score.hits} == {"Благодарю", "помощь", "молодец"}


def test_exclamation_amplifies_only_existing_sentiment() -> None:
    assert tone("Спасибо!") > tone("Спасибо")
    assert tone("Во сколько встреча!") == 0.0


def test_scores_bounded() -> None:
    assert -1.0 <= tone("ненавижу ненавижу ненавижу 😡😡😡 ужасно!!!") < -0.9
    assert 0.9 < tone("люблю обожаю спасибо ❤️❤️❤️") <= 1.0


def test_lexicon_loaded_from_data_files() -> None:
    lex = lexicon()
    assert lex["спасибо"] > 0 and lex["ненавидеть"] < 0 and lex["thank"] > 0


def test_trend_detects_cooling() -> None:
    old = [
        Message(i, 1, BASE + i * DAY, "in", "Спасибо, дорогой! Обнимаю ❤️", "tg") for i in range(5)
    ]
    recent = [Message(10 + i, 1, BASE + (60 + i) * DAY, "in", "ок. занят", "tg") for i in range(3)]
    tr = tone_trend(old + recent, BASE + 65 * DAY)
    assert tr.n_recent == 3 and tr.n_before == 5
    assert tr.recent is not None and tr.before is not None and tr.delta is not None
    assert tr.before > 0.5 and tr.delta < -0.5
    only_out = tone_trend(old + recent, BASE + 65 * DAY, direction="out")
    assert only_out.recent is None and only_out.n_before == 0 and only_out.delta is None
