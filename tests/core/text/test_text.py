from __future__ import annotations

import subprocess
import sys

import pytest

from netassist.core.engine import text as T
from tests.core.text.helpers import BASE, DAY


@pytest.mark.parametrize("form", ["рыбалку", "рыбалке", "рыбалкой", "Рыбалки", "РЫБАЛКА"])
def test_russian_lemmas_fold_cases(form: str) -> None:
    assert T.lemmas(form) == ["рыбалка"]


def test_yo_is_folded_in_lemmas_and_index() -> None:
    assert T.lemmas("Ёлку нарядили, ёжик") == ["елка", "нарядить", "ежик"]
    assert T.normalize_for_index("Ещё ЁЖИК") == "еще ежик"


def test_english_lemmas_are_readable() -> None:
    assert T.lemmas("The conferences and parties, boxes of Anna's books") == [
        "conference",
        "party",
        "box",
        "anna",
        "book",
    ]


def test_stopwords_and_chat_filler_dropped() -> None:
    assert T.lemmas("ок, спс, хаха, ну я же говорил") == []
    assert T.lemmas("ok thx lol haha I think so") == []
    assert T.lemmas("ок", drop_stopwords=False) == ["ок"]


def test_names_excluded_in_any_form() -> None:
    assert T.lemmas("Маше передай, что Машей все довольны, проект готов", exclude=["Маша"]) == [
        "передать",
        "довольный",
        "проект",
        "готовый",
    ]


def test_topic_only_keeps_nouns_and_adjectives() -> None:
    assert T.lemmas("Мы быстро съездили на новую дачу", topic_only=True) == ["новый", "дача"]


def test_tokenize_keeps_non_words_apart() -> None:
    toks = T.tokenize(
        "Глянь https://ex.com/a?b=1, пиши на a.b@mail.ru или @vasya 12.05 в 18:30 — 3.5% 😀👍 :) )))"
    )
    kinds = [(t.kind, t.text) for t in toks if t.kind != "punct"]
    assert ("url", "https://ex.com/a?b=1") in kinds
    assert ("email", "a.b@mail.ru") in kinds
    assert ("mention", "@vasya") in kinds
    assert ("date", "12.05") in kinds
    assert ("time", "18:30") in kinds
    assert ("number", "3.5%") in kinds
    assert ("emoji", "😀👍") in kinds
    assert ("emoticon", ":)") in kinds and ("emoticon", ")))") in kinds
    words = [t.text for t in toks if t.kind == "word"]
    assert words == ["Глянь", "пиши", "на", "или", "в"]
    assert T.lemmas("https://rybalka.ru/ladoga vasya@mail.ru @rybak 2026") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Привет, как дела?", "ru"),
        ("hi, how are you doing", "en"),
        ("Hola amigo como estas hoy", "other"),
        ("привіт як справи", "other"),
        ("Встреча в Zoom tomorrow at the office", "mixed"),
        ("😀 12:30", "other"),
        ("ok", "en"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert T.detect_lang(text) == lang


def test_query_forms_russian_lexeme() -> None:
    forms = T.query_forms("рыбалка")
    assert {"рыбалка", "рыбалке", "рыбалку", "рыбалкой", "рыбалок"} <= set(forms)
    assert T.normalize_for_index("на Рыбалке").split()[1] in forms
    assert "ежик" in T.query_forms("Ёжик") and "ежиком" in T.query_forms("ёжик")


def test_query_forms_english() -> None:
    assert {"party", "parties"} <= set(T.query_forms("Parties"))
    assert {"plan", "plans", "planned", "planning"} <= set(T.query_forms("plan"))
    assert {"box", "boxes"} <= set(T.query_forms("box"))
    assert T.query_forms("  ") == []


def test_find_date_relative_to_message() -> None:
    # BASE is Monday 4 May 2026.
    def day(text: str) -> int:
        span = T.find_date(text, BASE)
        assert span is not None, text
        return round((span[0] - (BASE - BASE % DAY)) / DAY)

    assert day("завтра скину") == 1
    assert day("послезавтра") == 2
    assert day("давай в четверг") == 3
    assert day("on Friday then") == 4
    assert day("12 мая") == 8
    assert day("May 12th") == 8
    assert day("на следующей неделе") == 7
    assert day("через 3 дня") == 3
    assert T.find_date("в 3.5 раза больше", BASE) is None
    assert T.find_date("просто так", BASE) is None


def test_heavy_libraries_not_imported_at_module_import() -> None:
    code = (
        "import sys; import netassist.core.engine.text, netassist.core.engine.topics, "
        "netassist.core.engine.openloops, netassist.core.engine.tone, netassist.core.engine.suggest;"
        "bad=[m for m in ('pymorphy3','sklearn','snowballstemmer') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
