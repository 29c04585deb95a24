"""Warmth/tone of messages and of a relationship, from a small transparent lexicon.

How a message is scored (everything is visible in `ToneScore.hits`):
- each word is looked up by its surface form and by its lemma (Russian via pymorphy3, English via
  the light lemmatiser in text.py) in netassist/core/data/tone_ru.txt / tone_en.txt — compact
  lexicons written for netassist (GPL-3.0-or-later; see their header lines);
- a negator ("не", "ни", "not", "no", "never", "…n't") flips and halves the weight of the next
  two words ("не рад" → -0.3, "not bad" → +0.2), as most lexicon scorers do;
- emoji and emoticons carry their own weights (❤️ 😊 :) ))) +, 😢 😡 :( ((( -);
- Russian diminutive/affectionate nouns ("-очка", "-ечка", "-енька", "-ушка") add a little warmth,
  minus a stop list of ordinary words that only look diminutive ("точка", "бабушка", "подушка");
- "!" amplifies whatever sentiment is already there by 20%;
- the sum goes through tanh, so the score is in -1..1 and saturates gently.
The relationship trend compares the mean tone of the last 30 days with everything before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from netassist.core.engine.text import (
    DATA_DIR,
    DAY,
    Message,
    en_lemma,
    ru_parse,
    split_words,
    tokenize,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

NEGATORS = frozenset({"не", "ни", "нет", "not", "no", "never", "nothing", "hardly", "without"})
NEGATION_SCOPE = 2
DIMINUTIVE_BONUS = 0.15
_DIMINUTIVE_ENDINGS = ("очка", "ечка", "енька", "онька", "ушка", "юшка", "ичка")
# Ordinary words that end like diminutives; they carry no affection.
_NOT_DIMINUTIVE = frozenset(
    split_words(
        "точка строчка бочка почка дочка ночка тачка пачка ручка девочка бабушка дедушка подушка "
        "игрушка ловушка кружка катушка пушка лягушка избушка макушка верхушка опушка кукушка "
        "девушка старушка полушка ватрушка петрушка погремушка раскладушка частичка птичка "
        "спичка привычка табличка водичка клубничка синичка сестричка косичка страничка "
        "полочка ложечка"
    )
)
EMOJI_WEIGHTS: dict[str, float] = {
    **dict.fromkeys(split_words("❤ 😍 🥰 😘 💕 💖 💗 💓 💞 🤗 😻 💋"), 0.8),
    **dict.fromkeys(
        split_words("😊 ☺ 🙂 😀 😃 😄 😁 😆 😉 🙏 👍 🎉 🥳 👏 🤝 ✨ 🌞 💪 😇 😋 🌹 💐"), 0.5
    ),
    **dict.fromkeys(split_words("😂 🤣 😅"), 0.3),
    **dict.fromkeys(split_words("😐 😶 🤔 🙃"), 0.0),
    **dict.fromkeys(split_words("😢 😭 😞 😔 😟 😕 🙁 ☹ 😩 😫 💔"), -0.5),
    **dict.fromkeys(split_words("😠 😡 🤬 👎 😤 🙄 😒 🖕 💩"), -0.7),
}
EMOTICON_WEIGHTS = {
    ":)": 0.4,
    ":-)": 0.4,
    ";)": 0.4,
    ";-)": 0.4,
    ":d": 0.5,
    ":-d": 0.5,
    "=)": 0.4,
    "<3": 0.8,
    ":p": 0.3,
    ":-p": 0.3,
    ":(": -0.5,
    ":-(": -0.5,
    ":*": 0.6,
    ":o": 0.0,
}


@dataclass(frozen=True, slots=True)
class ToneScore:
    score: float  # -1..1
    hits: tuple[tuple[str, float], ...] = field(default=())  # (token, weight used)


@dataclass(frozen=True, slots=True)
class ToneTrend:
    recent: float | None  # mean tone over the window (None: no messages there)
    before: float | None  # mean tone of everything older
    delta: float | None  # recent - before, when both exist
    n_recent: int
    n_before: int


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """Lemma → weight from both lexicon files (Russian and English)."""
    out: dict[str, float] = {}
    for name in ("tone_ru.txt", "tone_en.txt"):
        for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            word, weight = line.split()
            out[word.casefold().replace("ё", "е")] = float(weight)
    return out


def _emoji_weight(text: str) -> float:
    total = 0.0
    for ch in text:
        total += EMOJI_WEIGHTS.get(ch, 0.0)
    return total


def _word_weight(word: str, lex: dict[str, float]) -> float:
    if word in lex:
        return lex[word]
    if "а" <= word[0] <= "я":
        lem = ru_parse(word)[0]
        if lem in lex:
            return lex[lem]
        if word.endswith(_DIMINUTIVE_ENDINGS) and lem not in _NOT_DIMINUTIVE and len(word) > 5:
            return DIMINUTIVE_BONUS
        return 0.0
    return lex.get(en_lemma(word), 0.0)


def message_tone(text: str) -> ToneScore:
    """Tone of one message in -1..1 with the tokens that moved it (see the module doc)."""
    lex = lexicon()
    raw = 0.0
    hits: list[tuple[str, float]] = []
    negate_left = 0
    exclaimed = False
    for tok in tokenize(text):
        if tok.kind == "word":
            w = tok.text.casefold().replace("ё", "е").replace("’", "'")
            if w in NEGATORS or w.endswith("n't"):
                negate_left = NEGATION_SCOPE
                continue
            weight = _word_weight(w, lex)
            if negate_left:
                negate_left -= 1
                weight = -0.5 * weight
            if weight:
                raw += weight
                hits.append((tok.text, weight))
        elif tok.kind == "emoji":
            weight = _emoji_weight(tok.text)
            if weight:
                raw += weight
                hits.append((tok.text, weight))
        elif tok.kind == "emoticon":
            e = tok.text.casefold()
            weight = EMOTICON_WEIGHTS.get(e, 0.0)
            if not weight and len(e) >= 2 and set(e) == {")"}:
                weight = 0.4  # ")))" is the Russian chat smile
            elif not weight and len(e) >= 2 and set(e) == {"("}:
                weight = -0.5
            if weight:
                raw += weight
                hits.append((tok.text, weight))
        elif tok.kind == "punct":
            if "!" in tok.text:
                exclaimed = True
            if any(c in tok.text for c in ".?;"):
                negate_left = 0  # negation does not cross a sentence or clause end
    if exclaimed and raw:
        raw *= 1.2
    return ToneScore(round(math.tanh(raw), 4), tuple(hits))


def tone(text: str) -> float:
    """Tone of one message in -1..1."""
    return message_tone(text).score


def tone_trend(
    messages: Iterable[Message],
    now: float,
    *,
    window_days: float = 30.0,
    direction: str | None = None,
) -> ToneTrend:
    """Mean tone over the last `window_days` vs all earlier messages (neutral ones included, so a
    relationship that moved from warm words to bare logistics shows as cooling).

    `direction` = "in" measures their warmth towards me, "out" mine; None both.
    """
    cutoff = now - window_days * DAY
    recent: list[float] = []
    before: list[float] = []
    for m in messages:
        if not m.text or m.t > now or (direction and m.direction != direction):
            continue
        (recent if m.t >= cutoff else before).append(tone(m.text))
    r = sum(recent) / len(recent) if recent else None
    b = sum(before) / len(before) if before else None
    delta = round(r - b, 4) if r is not None and b is not None else None
    return ToneTrend(
        round(r, 4) if r is not None else None,
        round(b, 4) if b is not None else None,
        delta,
        len(recent),
        len(before),
    )
