"""Russian/English personal names: transliteration, phonetic keys, diminutives, patronymics.

The one idea here is the *phonetic key* (``name_key``): a lower-case Latin string that the
spellings real people use for the same name collapse to. "Александр", "Aleksandr" (passport,
ICAO 9303), "Alexander" (English), "Aleksander" all give ``aleksandr``; "Юлия", "Iuliia",
"Yulia", "Julia" give ``iulia``. Keys are for matching, never for display.

All lookups are pure and cached; the data file is read once, lazily, on first use.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

# --- names that name nobody -------------------------------------------------------------------

#: What Meta's exports (Messenger, Instagram) write for every deleted or deactivated account,
#: in English and Russian: a name that names nobody, so two contacts called so are not one
#: person by that name (the Messenger importer keeps one per thread; duplicate detection finds
#: no name evidence in it).
PLACEHOLDER_NAMES = frozenset({"facebook user", "пользователь facebook", "instagram user"})


def is_placeholder_name(name: str) -> bool:
    return " ".join(name.split()).casefold() in PLACEHOLDER_NAMES


# --- transliteration for display -------------------------------------------------------------

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "ч": "ch", "ш": "sh", "ь": "", "э": "e",
}  # fmt: skip
# ICAO 9303 (Russian passports since 2014): what people see in their own documents.
_ICAO = _COMMON | {
    "ё": "e", "й": "i", "х": "kh", "ц": "ts", "щ": "shch", "ъ": "ie", "ы": "y", "ю": "iu",
    "я": "ia",
}  # fmt: skip
# BGN/PCGN without diacritics and apostrophes (ё → yo; е → ye at word start / after a vowel).
_BGN = _COMMON | {
    "ё": "yo", "й": "y", "х": "kh", "ц": "ts", "щ": "shch", "ъ": "", "ы": "y", "ю": "yu",
    "я": "ya",
}  # fmt: skip
# GOST 7.79-2000 system B (the ASCII variant of ISO 9), apostrophes dropped.
_GOST = _COMMON | {
    "ё": "yo", "й": "j", "х": "x", "ц": "cz", "щ": "shh", "ъ": "", "ы": "y", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_SCHEMES = {"icao": _ICAO, "bgn": _BGN, "gost": _GOST}
_VOWELS_RU = set("аеёиоуыэюяьъй")

Scheme = Literal["icao", "bgn", "gost"]


def translit_ru_en(s: str, scheme: Scheme = "icao") -> str:
    """Transliterate Cyrillic to Latin; other characters pass through unchanged.

    ``icao`` is the passport scheme (Александр → Aleksandr, Юлия → Iuliia), ``bgn`` the
    BGN/PCGN one most English texts use (Yuliya, Fyodor → Fyodor via ё → yo), ``gost`` GOST
    7.79 system B (Щукин → Shhukin, Цой → Czoj). Case follows the source letter.
    """
    table = _SCHEMES[scheme]
    out: list[str] = []
    prev = ""
    for i, ch in enumerate(s):
        low = ch.lower()
        rep = table.get(low)
        if rep is None:
            out.append(ch)
            prev = low
            continue
        if scheme == "bgn" and low == "е" and (not prev.isalpha() or prev in _VOWELS_RU):
            rep = "ye"
        elif scheme == "gost" and low == "ц" and s[i + 1 : i + 2].lower() in ("е", "и", "ы", "й"):
            rep = "c"
        if ch != low and rep:
            nxt = s[i + 1 : i + 2]
            rep = rep.upper() if nxt.isupper() else rep[0].upper() + rep[1:]
        out.append(rep)
        prev = low
    return "".join(out)


# --- phonetic key ----------------------------------------------------------------------------

# Cyrillic straight into the key alphabet; Latin spellings are then folded by the same rules.
_CYR_KEY = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
        "я": "ia", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
    }
)  # fmt: skip
_MAX_NAME = 256
_NON_KEY = re.compile(r"[^a-z ]+")
_SEPARATORS = re.compile(r"[-‐‑–—_.,/\\]+")
# Order matters: multi-letter spellings first, then single-letter folds.
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"shch|shh|sch", "sh"),
        (r"tsch|tch", "ch"),
        (r"x", "ks"),
        (r"q", "k"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"tz|cz", "ts"),
        (r"kh", "h"),
        (r"c(?=[eiy])", "ts"),  # Cecilia, Polish/GOST c = ц
        (r"c(?!h)", "k"),  # Nicolai, Victor
        (r"[jy]", "i"),  # й/ы/j/y spellings: Sergey/Sergei, Tatjana/Tatyana, Dmitriy/Dmitrii
        (r"ou", "u"),
        (r"(.)\1+", r"\1"),  # double letters: Anna/Ana, Filipp/Filip, Dmitrii/Dmitri
        (r"ie", "e"),  # Yelena/Elena, Andreyev/Andreev, Solovyev/Solovev
        (r"(?<=[bdfgklmnprstvz])io", "e"),  # ё after a consonant: Pyotr/Petr, Fyodor/Fedor
        (r"(.)\1+", r"\1"),
        (r"(?<=[bdgkptv])er\b", "r"),  # Alexander/Aleksandr, Peter/Petr
        (r"f\b", "v"),  # Smirnoff/Smirnov
    )
)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Phonetic Latin key of a name (one or several words, either script); "" for no letters."""
    # No real name is longer; the cap keeps hostile input (a 1 MB "name") cheap.
    s = name[:_MAX_NAME].casefold().replace("ё", "е").translate(_CYR_KEY)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _SEPARATORS.sub(" ", s.replace("'", "").replace("’", "").replace("ʼ", ""))
    s = _NON_KEY.sub("", s)
    for pat, rep in _FOLDS:
        s = pat.sub(rep, s)
    return " ".join(s.split())


_FEMININE_FAMILY = (
    (re.compile(r"(ov|ev|in)a\b"), r"\1"),  # Иванова, Королёва, Пушкина
    (re.compile(r"(?<=\w{3})(aia|oi)\b"), "i"),  # Ковальская/Ковальский, Толстая/Толстой
)


@lru_cache(maxsize=65536)
def family_key(family: str) -> str:
    """Phonetic key of a family name with the feminine form folded into the masculine one
    (Иванов, Иванова, Ivanov, Ivanova → ``ivanov``; Ковальская/Kovalsky → ``kovalski``)."""
    k = name_key(family)
    for pat, rep in _FEMININE_FAMILY:
        k = pat.sub(rep, k)
    return k


_FAMILY_F = re.compile(r"(ova|eva|ina|aia)\b")
_FAMILY_M = re.compile(r"(ov|ev|in|ski|oi)\b")


def family_gender(family: str) -> Literal["m", "f"] | None:
    """Gender implied by a Russian family-name ending (Иванова → "f"), None when it says none."""
    k = name_key(family)
    if _FAMILY_F.search(k):
        return "f"
    if _FAMILY_M.search(k):
        return "m"
    return None


# --- diminutives -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _NameIndex:
    by_key: dict[str, frozenset[str]]  # phonetic key of any form → canonical names
    gender: dict[str, Literal["m", "f"]]  # canonical → gender
    canonical_key: dict[str, str]  # canonical → its phonetic key


@cache
def _index() -> _NameIndex:
    text = (
        resources.files("netassist.core").joinpath("data", "diminutives_ru.txt").read_text("utf-8")
    )
    by_key: dict[str, set[str]] = {}
    gender: dict[str, Literal["m", "f"]] = {}
    canonical_key: dict[str, str] = {}
    section: Literal["m", "f"] = "m"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[male]", "[female]"):
            section = "m" if line == "[male]" else "f"
            continue
        canonical, _, forms = line.partition(":")
        canonical = canonical.strip().replace("ё", "е")
        gender[canonical] = section
        canonical_key[canonical] = name_key(canonical)
        for form in [canonical, *forms.split(",")]:
            k = name_key(form)
            if k:
                by_key.setdefault(k, set()).add(canonical)
    return _NameIndex({k: frozenset(v) for k, v in by_key.items()}, gender, canonical_key)


_FIRST_WORD = re.compile(r"\S+")


@lru_cache(maxsize=65536)
def diminutive_groups(given_name: str) -> frozenset[str]:
    """Every canonical Russian name a given name (full, diminutive, transliterated, English
    nickname) may stand for: Саша → {александр, александра}, Alex → {александр, алексей,
    александра}, Aleksandr → {александр}. Empty when the name is unknown."""
    m = _FIRST_WORD.search(given_name)
    if not m:
        return frozenset()
    return _index().by_key.get(name_key(m.group()), frozenset())


def diminutive_group(given_name: str) -> str | None:
    """The canonical name a given name stands for ("Саша", "Шура", "Alex", "Aleksandr" →
    "александр"); None when unknown.

    Ambiguous forms (Саша is Александр or Александра, Женя is Евгений or Евгения, Слава is one
    of five names) return the first canonical name in data-file order, where male names come
    first; callers that must not guess use ``diminutive_groups`` and compare sets.
    """
    groups = diminutive_groups(given_name)
    if not groups:
        return None
    if len(groups) == 1:
        return next(iter(groups))
    order = _index().gender
    return min(groups, key=lambda c: (order[c] != "m", list(order).index(c)))


def is_full_form(given_name: str, canonical: str) -> bool:
    """True when ``given_name`` is the canonical name itself in some spelling (Aleksandr for
    александр), False for a diminutive or nickname (Саша, Alex)."""
    return name_key(given_name) == _index().canonical_key.get(canonical)


def given_gender(given_name: str) -> Literal["m", "f"] | None:
    """Gender of a given name when all its canonical readings agree (Саша → None)."""
    genders: set[Literal["m", "f"]] = {_index().gender[c] for c in diminutive_groups(given_name)}
    return genders.pop() if len(genders) == 1 else None


def is_known_given(word: str) -> bool:
    return bool(diminutive_groups(word))


# --- full-name parsing -----------------------------------------------------------------------

_PATRONYMIC = re.compile(
    r"(?:ович|евич|ьич|ич|овна|евна|ична|инична"
    r"|ovich|evich|ovitch|evitch|ovna|evna|ichna|inichna|yevich|yevna|ich)$"
)
_FAMILY_SHAPE = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ский|цкий|ской|ая|ова|ева|ёва|ина|ына|енко|ук|юк|ко|дзе|швили|ян"
    r"|ov|ev|yov|in|yn|sky|skiy|skii|skaya|ova|eva|ina|yna|enko|uk|yuk|dze|shvili|yan"
    r"|off|ow|owa)$"
)
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|[^\w\s.'’\-,]")
Order = Literal["given family", "family given", "given patronymic family",
                "family given patronymic", "given patronymic", "given", "family", ""]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParsedName:
    given: str
    family: str
    patronymic: str
    order: Order  # which order the words came in; "" when there were no words


def is_patronymic(word: str) -> bool:
    w = word.casefold()
    return len(w) >= 5 and bool(_PATRONYMIC.search(w)) and not is_known_given(word)


def _looks_family(word: str) -> bool:
    return len(word) >= 4 and bool(_FAMILY_SHAPE.search(word.casefold()))


@lru_cache(maxsize=65536)
def parse_person_name(full: str) -> ParsedName:
    """Split a display name into given name, family name and patronymic.

    Recognises "Имя Фамилия", "Фамилия Имя", "Фамилия Имя Отчество" (the official Russian
    order), "Имя Отчество Фамилия", "Имя Отчество" (how colleagues are often saved), "Family,
    Given" and Latin patronymics (-ovich/-evna...). Two words with no patronymic are ordered by
    which word is a known given name, then by family-name endings; Western order otherwise.
    Words in brackets ("Иван (работа)") and emoji are ignored.
    """
    s = _NOISE.sub(" ", full[:_MAX_NAME])
    if "," in s:  # "Ivanov, Alexander" is the library-card order
        fam, _, rest = s.partition(",")
        inner = parse_person_name(rest.replace(",", " "))
        fam = " ".join(fam.split())
        if fam and inner.given:
            return ParsedName(inner.given, fam, inner.patronymic, "family given")
    words = [w.strip("-'’") for w in s.replace(",", " ").split()]
    words = [w for w in words if w and any(c.isalpha() for c in w)]
    n = len(words)
    if n == 0:
        return ParsedName("", "", "", "")
    if n == 1:
        w = words[0]
        if not is_known_given(w) and _looks_family(w):
            return ParsedName("", w, "", "family")
        return ParsedName(w, "", "", "given")
    if n == 2:
        a, b = words
        if is_patronymic(b):
            return ParsedName(a, "", b, "given patronymic")
        ka, kb = is_known_given(a), is_known_given(b)
        if kb and not ka or (ka == kb and _looks_family(a) and not _looks_family(b)):
            return ParsedName(b, a, "", "family given")
        return ParsedName(a, b, "", "given family")
    if is_patronymic(words[-1]) and not is_patronymic(words[1]):
        return ParsedName(words[1], words[0], " ".join(words[2:]), "family given patronymic")
    if is_patronymic(words[1]):
        return ParsedName(words[0], " ".join(words[2:]), words[1], "given patronymic family")
    if is_known_given(words[1]) and not is_known_given(words[0]):
        return ParsedName(words[1], words[0], " ".join(words[2:]), "family given patronymic")
    # Several given names (Anna Maria Petrova): the middle ones go to "patronymic" as middle.
    return ParsedName(words[0], words[-1], " ".join(words[1:-1]), "given patronymic family")
