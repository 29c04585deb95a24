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


# --- dates mentioned in a message ------------------------------------------------------------

DAY = 86_400.0

_RU_MONTHS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_RU_WEEKDAYS = ("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень")
_RU_WD_ABBR = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
_EN_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_RU_MONTH_RE = r"(январ[яе]|феврал[яе]|марта?|апрел[яе]|ма[яе]|июн[яе]|июл[яе]|августа?|сентябр[яе]|октябр[яе]|ноябр[яе]|декабр[яе])"
_EN_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.IGNORECASE))
    for name, rx in (
        ("dayafter", r"\bпослезавтра\b|\bday after tomorrow\b"),
        ("tomorrow", r"\bзавтра\b|\btomorrow\b|\btmrw?\b"),
        ("today", r"\bсегодня\b|\btoday\b|\btonight\b|\bthis (?:evening|afternoon)\b"),
        ("ru_dm", r"\b(\d{1,2})(?:-?го)?\s+" + _RU_MONTH_RE + r"\b"),
        ("en_md", r"\b" + _EN_MONTH_RE + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"),
        ("en_dm", r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _EN_MONTH_RE + r"\b"),
        # "12.05", "3.05.2026"; a one-digit month ("3.5") is a decimal far more often than a date.
        ("num_dm", r"(?<![\d.])(\d{1,2})[./](\d{2})(?:[./](?:\d{4}|\d{2}))?(?![\d%]|[.,]\d)"),
        (
            "ru_wd",
            r"\b(?:в|во|на|к|до|по|в эт[уо]т|в эту|в следующ\w+)\s+"
            r"(понедельник|вторник|сред[уы]|четверг|пятниц[уы]|суббот[уы]|воскресень[ея])\b",
        ),
        ("ru_wd_abbr", r"\b(?:в|во|на)\s+(пн|вт|ср|чт|пт|сб|вс)\b"),
        (
            "en_wd",
            r"\b(?:on|this|next|by|until|till|see you)\s+"
            r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b",
        ),
        ("weekend", r"\bна выходн\w*|\bв выходные\b|\b(?:this|the|next|over the) weekend\b"),
        ("nextweek", r"\bна (?:следующей|след\.?|той) неделе\b|\bnext week\b"),
        ("thisweek", r"\bна этой неделе\b|\bthis week\b|\blater this week\b"),
        (
            "in_n",
            r"\bчерез\s+(\d+|пару|неделю|месяц|день)\s*(дн\w*|день|недел\w*|месяц\w*)?"
            r"|\bin\s+(\d+|a|one|two|a couple of)\s+(days?|weeks?|months?)\b",
        ),
    )
)


def _day_bounds(ts: float) -> tuple[float, float]:
    start = ts - ts % DAY
    return start, start + DAY


def _month_index(token: str, names: tuple[str, ...]) -> int:
    tok = token.casefold()
    for i, stem in enumerate(names):
        if tok.startswith(stem):
            # "ма" must not swallow "март": march is checked first in order, so compare exactly.
            if stem == "ма" and tok.startswith("мар"):
                continue
            return i + 1
    return 0


def find_date(text: str, t: float) -> tuple[float, float] | None:
    """The first day or period a message refers to, as (start, end) unix seconds (UTC days).

    Understands today/tomorrow/the day after, weekdays ("в четверг", "on Friday": the next such
    day, today included), "12 мая", "May 12", "12.05", the weekend, this/next week and "через N
    дней / in N days". Relative dates count from the message's own time `t`; day boundaries are
    UTC (local-zone days are a refinement the caller can make by shifting `t`).
    """
    import datetime as dt

    low = text.casefold().replace("ё", "е")
    today0, _ = _day_bounds(t)
    weekday = dt.datetime.fromtimestamp(t, dt.UTC).weekday()
    best: tuple[int, tuple[float, float]] | None = None
    for name, rx in _DATE_PATTERNS:
        m = rx.search(low)
        if not m:
            continue
        span = _resolve(name, m, t, today0, weekday)
        if span and (best is None or m.start() < best[0]):
            best = (m.start(), span)
    return best[1] if best else None


def _resolve(
    name: str, m: re.Match[str], t: float, today0: float, weekday: int
) -> tuple[float, float] | None:
    import datetime as dt

    if name == "today":
        return today0, today0 + DAY
    if name == "tomorrow":
        return today0 + DAY, today0 + 2 * DAY
    if name == "dayafter":
        return today0 + 2 * DAY, today0 + 3 * DAY
    if name in ("ru_wd", "ru_wd_abbr", "en_wd"):
        tok = m.group(1)
        names = {"ru_wd": _RU_WEEKDAYS, "ru_wd_abbr": _RU_WD_ABBR, "en_wd": _EN_WEEKDAYS}[name]
        target = next(i for i, stem in enumerate(names) if tok.startswith(stem))
        ahead = (target - weekday) % 7
        if "след" in m.group(0) or m.group(0).startswith("next"):
            # "next Friday" / "в следующую пятницу": the one in next week, not this week's.
            ahead = ahead + 7 if ahead <= 6 - weekday else ahead
        start = today0 + ahead * DAY
        return start, start + DAY
    if name == "weekend":
        ahead = (5 - weekday) % 7 if weekday != 6 else 0
        if "next" in m.group(0) and ahead < 2:
            ahead += 7
        start = today0 + ahead * DAY
        return start, start + (2 * DAY if weekday != 6 else DAY)
    if name == "nextweek":
        start = today0 + (7 - weekday) * DAY
        return start, start + 7 * DAY
    if name == "thisweek":
        return today0, today0 + (7 - weekday) * DAY
    if name == "in_n":
        return _resolve_in_n(m, today0)
    if name in ("ru_dm", "en_dm", "en_md", "num_dm"):
        if name == "ru_dm":
            day, month = int(m.group(1)), _month_index(m.group(2), _RU_MONTHS)
        elif name == "en_dm":
            day, month = int(m.group(1)), _month_index(m.group(2), _EN_MONTHS)
        elif name == "en_md":
            day, month = int(m.group(2)), _month_index(m.group(1), _EN_MONTHS)
        else:
            day, month = int(m.group(1)), int(m.group(2))
        year = dt.datetime.fromtimestamp(t, dt.UTC).year
        try:
            d = dt.datetime(year, month, day, tzinfo=dt.UTC)
        except ValueError:
            return None
        # A date more than two months in the past is about next year ("12 января" said in Dec).
        if d.timestamp() < today0 - 60 * DAY:
            d = d.replace(year=year + 1)
        start = d.timestamp()
        return start, start + DAY
    return None


def _resolve_in_n(m: re.Match[str], today0: float) -> tuple[float, float] | None:
    count_word = (m.group(1) or m.group(3) or "").strip()
    unit = (m.group(2) or m.group(4) or "").strip()
    if count_word in ("неделю", "месяц", "день"):
        unit, n = count_word, 1
    elif count_word.isdigit():
        n = int(count_word)
    else:
        n = {"пару": 2, "a": 1, "one": 1, "two": 2, "a couple of": 2}.get(count_word, 0)
    if not n or not unit:
        return None
    days = (
        7
        if unit.startswith(("недел", "week"))
        else 30
        if unit.startswith(("месяц", "month"))
        else 1
    )
    start = today0 + n * days * DAY
    return start, start + DAY
