"""Text pipeline for "what to talk about": normalisation, language, tokens, lemmas, stop-words.

Everything here is pure (no database) and cheap to import: pymorphy3 is
loaded lazily on first use, and per-word results are cached, because chat vocabularies are small
compared with message counts (a million messages have a few hundred thousand distinct words).

- `normalize_for_index` runs on every message during import: casefold + ё→е, nothing else.
- `query_forms` expands a search word into all its normalised inflected forms (pymorphy3 lexeme
  for Russian, simple inflections for English), so the FTS search finds "на рыбалке" for "рыбалка".
- `lemmas` is what topics and tone use: Russian via pymorphy3 (most probable parse), English via a
  small rule lemmatiser (plural/possessive stripping) so topic names stay readable words; no
  extra dependency (snowballstemmer stems are unreadable as topic names, simplemma is not needed).
- `find_date` resolves the date a message refers to ("в четверг", "12 мая", "next week").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable

Direction = Literal["in", "out", "mutual"]
Lang = Literal["ru", "en", "other", "mixed"]


@dataclass(frozen=True, slots=True)
class Message:
    """One dated exchange with a contact, as the engine sees it (plain values, no ORM)."""

    id: int
    contact_id: int
    t: float  # unix seconds, UTC
    direction: Direction
    text: str
    channel: str
    # True when the interaction carried a file/photo/link preview; importers know, text may not.
    has_attachment: bool = False


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of a message. kind: word, url, email, mention, hashtag, emoji, emoticon, number,
    date, time, punct."""

    kind: str
    text: str
    start: int


def split_words(s: str) -> list[str]:
    """Whitespace-split a literal word list (keeps long vocabularies compact in the source)."""
    return s.split()


# --- normalisation ---------------------------------------------------------------------------


def normalize_for_index(text: str) -> str:
    """Casefold and fold ё→е. Cheap on purpose: it runs on every message during import."""
    return text.casefold().replace("ё", "е")


def _norm_word(word: str) -> str:
    return word.casefold().replace("ё", "е").replace("’", "'")


# --- tokenisation ----------------------------------------------------------------------------

_EMOJI_RANGES = (
    "\U0001f300-\U0001faff"  # pictographs, emoticons, transport, supplemental symbols
    "\u2600-\u27bf"  # misc symbols, dingbats (☺ ❤ ✌)
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "\u2b50\u2b55\u2764\u2763"
)
_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)»]|\b[\w-]+\.(?:ru|com|org|net|io|рф)/(?:[^\s<>\"']*[^\s<>\"'.,;:!?)»])?)"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<mention>(?<![\w@])@\w+)"
    r"|(?P<hashtag>(?<!\w)#\w+)"
    r"|(?P<date>\b\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\b(?![.,]?\d|%)|\b\d{4}-\d{2}-\d{2}\b)"
    r"|(?P<time>\b\d{1,2}:\d{2}\b)"
    r"|(?P<number>[+-]?\d+(?:[.,]\d+)*%?)"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
    r"|(?P<emoticon>[:;=]-?[()DPpOo3*]|<3|\){2,}|\({2,})"
    rf"|(?P<emoji>[{_EMOJI_RANGES}][\ufe0f\u200d{_EMOJI_RANGES}\U0001f3fb-\U0001f3ff]*)"
    r"|(?P<punct>[?!.,;:…]+)"
)


def tokenize(text: str) -> list[Token]:
    """Split a message into typed tokens. Only kind == "word" tokens are candidates for topics;
    URLs, e-mails, @mentions, #hashtags, emoji, numbers, dates and times are kept apart."""
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "punct"
        out.append(Token(kind, m.group(), m.start()))
    return out


def words(text: str) -> list[str]:
    """The word tokens of a message, normalised (casefold, ё→е), in order."""
    return [_norm_word(t.text) for t in tokenize(text) if t.kind == "word"]


# --- language --------------------------------------------------------------------------------

_RU_FUNCTION = frozenset(
    split_words(
        "и в не на что я с он как а то все она так его но да ты к у же вы за бы по ее мне было вот от "
        "меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был до вас нибудь опять уж "
        "вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам "
        "чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем "
        "ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при "
        "привет спасибо пока ок давай"
    )
)
_EN_FUNCTION = frozenset(
    split_words(
        "the a an and or but of to in on at for with from by is are was were be been am i you he she "
        "it we they me my your our their this that these those what when where why how do does did "
        "not no yes have has had will would can could should just so if then than there here hi hey "
        "thanks ok okay please let's i'm it's don't"
    )
)
_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
_LAT = re.compile(r"[a-z]", re.IGNORECASE)
_NON_RU_CYR = re.compile(r"[іїєґўі]", re.IGNORECASE)


def detect_lang(text: str) -> Lang:
    """ "ru", "en", "mixed" or "other", from script counts and small function-word lists.

    Cyrillic with Ukrainian/Belarusian-only letters and no Russian function words is "other";
    Latin text of four or more words with no English function word is "other" (German, Spanish…).
    """
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    if cyr == 0 and lat == 0:
        return "other"
    ws = words(text)
    if cyr and lat and min(cyr, lat) >= 0.2 * (cyr + lat):
        return "mixed"
    if cyr >= lat:
        if _NON_RU_CYR.search(text) and not any(w in _RU_FUNCTION for w in ws):
            return "other"
        return "ru"
    latin_words = [w for w in ws if _LAT.match(w)]
    if len(latin_words) >= 4 and not any(w in _EN_FUNCTION for w in latin_words):
        return "other"
    return "en"


# --- stop-words ------------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read_word_list(name: str) -> frozenset[str]:
    raw = (DATA_DIR / name).read_text(encoding="utf-8")
    return frozenset(
        _norm_word(line.strip())
        for line in raw.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Russian + English stop-words and chat filler (see the data files' headers for sources)."""
    return _read_word_list("stopwords_ru.txt") | _read_word_list("stopwords_en.txt")


# --- morphology ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def morph() -> Any:
    """The shared pymorphy3 analyser (loaded once, ~0.1 s; thread-safe for parsing)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


# Parts of speech that never make a topic: pronouns, prepositions, conjunctions, particles,
# interjections, numerals, predicatives, comparatives, adverbs, verbs and their forms.
RU_NON_TOPIC_POS = frozenset(
    split_words("NPRO PREP CONJ PRCL INTJ NUMR PRED COMP ADVB VERB INFN PRTF PRTS GRND ADJS")
)


# Chat words the dictionary mistakes for something else ("ок" → "около").
_CHAT_AS_IS = frozenset(split_words("ок окей спс пасиб лол кек хаха ахах норм пжлст плз"))


@lru_cache(maxsize=300_000)
def ru_parse(word: str) -> tuple[str, str]:
    """(lemma, POS) of a normalised Russian word by its most probable parse; ё→е in the lemma."""
    if word in _CHAT_AS_IS:
        return word, "INTJ"
    p = morph().parse(word)[0]
    return p.normal_form.replace("ё", "е"), str(p.tag.POS or "")


_EN_IRREGULAR = dict(
    pair.split(":")
    for pair in split_words(
        "children:child people:person men:man women:woman feet:foot teeth:tooth mice:mouse "
        "geese:goose wives:wife knives:knife lives:life leaves:leaf halves:half wolves:wolf "
        "selves:self"
    )
)
_EN_KEEP_S = re.compile(r"(?:ss|us|is|ous|ics|news)$")


@lru_cache(maxsize=200_000)
def en_lemma(word: str) -> str:
    """Readable English lemma: possessives and plurals stripped (conferences → conference,
    parties → party, boxes → box); other words unchanged. Readable beats aggressive here because
    the lemma is shown to people as a topic name (a Snowball stem like "confer" would not be)."""
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _EN_IRREGULAR:
        return _EN_IRREGULAR[w]
    if len(w) <= 3 or not w.endswith("s") or _EN_KEEP_S.search(w):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if re.search(r"(?:sses|xes|zes|ches|shes)$", w):
        return w[:-2]
    return w[:-1]


def _is_cyrillic(word: str) -> bool:
    return bool(_CYR.match(word))


def lemma(word: str) -> str:
    """Lemma of one word (any case, ё allowed): Russian by pymorphy3, English by `en_lemma`."""
    w = _norm_word(word)
    if _is_cyrillic(w):
        return ru_parse(w)[0]
    if _LAT.match(w):
        return en_lemma(w)
    return w


def lemmas(
    text: str,
    lang: Lang | None = None,
    *,
    drop_stopwords: bool = True,
    exclude: Iterable[str] = (),
    topic_only: bool = False,
) -> list[str]:
    """Lemmas of the word tokens of `text`, in order.

    Each word is lemmatised by its own script (a "mixed" message has both). `lang="other"`
    leaves Latin words casefolded but not English-lemmatised. `exclude` takes contact-name tokens
    (any form; they are normalised and lemmatised too) so names never become topics.
    `topic_only` also drops Russian parts of speech that never make a topic (verbs, pronouns,
    adverbs…) and words shorter than 3 letters.
    """
    excluded = excluded_forms(tuple(exclude))
    stop = stopwords() if drop_stopwords else frozenset()
    out: list[str] = []
    for w in words(text):
        if w in stop or w in excluded:
            continue
        if _is_cyrillic(w):
            lem, pos = ru_parse(w)
            if topic_only and pos in RU_NON_TOPIC_POS:
                continue
        elif _LAT.match(w) and lang != "other":
            lem = en_lemma(w)
        else:
            lem = w
        if lem in stop or lem in excluded:
            continue
        if topic_only and len(lem) < 3:
            continue
        out.append(lem)
    return out


@lru_cache(maxsize=4096)
def excluded_forms(names: tuple[str, ...]) -> frozenset[str]:
    """Every normalised form and lemma of the given name tokens (for keeping names out)."""
    forms: set[str] = set()
    for name in names:
        for w in words(name):
            forms.add(w)
            forms.add(lemma(w))
            if _is_cyrillic(w):
                forms.update(query_forms(w))
    return frozenset(forms)


# --- search expansion ------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def _query_forms_cached(w: str) -> tuple[str, ...]:
    forms: dict[str, None] = {w: None}
    if _is_cyrillic(w):
        # Every parse's lexeme: "стекло" is both a noun and a verb form; a search should find both.
        for p in morph().parse(w)[:3]:
            for f in p.lexeme:
                forms[f.word.replace("ё", "е")] = None
    elif _LAT.match(w):
        base = en_lemma(w)
        forms[base] = None
        stem = base[:-1] if base.endswith("e") and len(base) > 3 else base
        plural = base + "es" if re.search(r"(?:s|x|z|ch|sh)$", base) else base + "s"
        forms[plural] = None
        forms[base + "'s"] = None
        if not base.endswith("ing"):
            for f in (stem + "ing", stem + "ed"):
                forms[f] = None
        if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
            del forms[base + "s"]
            forms[base[:-1] + "ies"] = None
            forms[base[:-1] + "ied"] = None
        # Doubled final consonant: run → running, plan → planned.
        if re.search(r"[^aeiou][aeiou][bdgmnprt]$", base) and len(base) <= 5:
            forms[base + base[-1] + "ing"] = None
            forms[base + base[-1] + "ed"] = None
    return tuple(forms)


def query_forms(word: str) -> list[str]:
    """All normalised (casefold, ё→е) inflected forms of `word` for full-text search.

    Russian: the pymorphy3 lexeme of the most probable parses ("рыбалка" → рыбалка, рыбалки,
    рыбалке, рыбалку, рыбалкой, …). English: the word, its lemma and simple inflections
    (-s/-es/-ies, -ing, -ed). Other scripts: the word itself.
    """
    w = _norm_word(word.strip())
    if not w:
        return []
    return list(_query_forms_cached(w))


# dates mentioned in a message live in netassist.core.engine.dates (re-exported here)
from netassist.core.engine.dates import DAY, find_date  # noqa: E402, F401
