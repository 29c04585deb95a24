"""Dates mentioned in a message ("в четверг", "12 мая", "next week", "tomorrow"), resolved
against the message's own time. Days are UTC days; callers shift ``t`` for local days."""

from __future__ import annotations

import re

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
