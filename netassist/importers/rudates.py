"""Russian, Ukrainian, Belarusian, Kazakh (and plain English) dates as chat exports write them.

"9 авг 2017 в 11:31:26", "9 августа 2017 в 11:31", "1 сен. 2020 г. в 16:28", "сегодня в 12:30",
"вчера в 9:05", "14 грудня 2019 о 10:00", "9 Aug 2017 at 11:31", "at 7:15:40 pm on 3 Nov 2014",
"today at 5:54 pm". Month names are matched in any
case: nominative, genitive ("августа", "мая", "січня") and abbreviated forms ("авг", "авг.",
"сент", "лют"; Belarusian "студзеня", "жніўня", Kazakh "қаңтар", "тамыз"). Results are naive
wall-clock datetimes: the caller knows the source's zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

_MONTH_STEMS: tuple[tuple[int, tuple[str, ...]], ...] = (
    # Russian stems (nominative/genitive/abbreviated share them), Ukrainian, Belarusian
    # (студзень, лютага, сакавіка, красавіка, мая, чэрвеня, ліпеня, жніўня, верасня,
    # кастрычніка, лістапада, снежня), Kazakh (қаңтар, ақпан, наурыз, сәуір, мамыр, маусым,
    # шілде, тамыз, қыркүйек, қазан, қараша, желтоқсан), English.
    (1, ("янв", "січ", "сту", "қаң", "jan")),
    (2, ("фев", "лют", "ақп", "feb")),
    (3, ("мар", "бер", "сак", "нау", "mar")),
    (4, ("апр", "кві", "квт", "кра", "сәу", "apr")),
    (5, ("мая", "май", "мае", "тра", "мам", "may")),
    (6, ("июн", "чер", "чэр", "мау", "jun")),
    (7, ("июл", "лип", "ліп", "шіл", "jul")),
    (8, ("авг", "сер", "жні", "там", "aug")),
    (9, ("сен", "вер", "қыр", "sep")),
    (10, ("окт", "жов", "кас", "қаз", "oct")),
    (11, ("ноя", "лис", "ліс", "қар", "nov")),
    (12, ("дек", "гру", "сне", "жел", "dec")),
)
_STEM_TO_MONTH = {stem: month for month, stems in _MONTH_STEMS for stem in stems}

# Words that are plainly not a month even though they start like one ("марка", "серый") are
# not a concern here: callers only pass the token that sits between a day and a year.
_RELATIVE_DAYS = {
    "сегодня": 0,
    "сьогодні": 0,
    "сёння": 0,
    "бүгін": 0,
    "today": 0,
    "вчера": -1,
    "вчора": -1,
    "учора": -1,
    "кеше": -1,
    "yesterday": -1,
    "позавчера": -2,
    "позавчора": -2,
    "пазаўчора": -2,
}

_TIME = (
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"  # English archives: "7:15:40 pm"
)
_SEP = r"(?:\s*,\s*|\s+(?:в|во|о|об|у|ў|at)\s+|\s+)"
_ABSOLUTE = re.compile(
    r"(?P<d>\d{1,2})\s+(?P<mon>[^\W\d_]{3,12})\.?"
    r"(?:\s+(?P<y>\d{4})(?:\s*(?:г\.?|р\.?|ж\.?|года|року|жылғы))?)?"
    + r"(?:"
    + _SEP
    + _TIME
    + r")?",
    re.IGNORECASE,
)
# English archives put the clock first: "at 7:15:40 pm on 3 Nov 2014".
_CLOCK_FIRST = re.compile(
    r"\bat\s+"
    + _TIME
    + r"\s+on\s+(?P<d>\d{1,2})\s+(?P<mon>[^\W\d_]{3,12})\.?(?:,?\s+(?P<y>\d{4}))?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?P<rel>сегодня|сьогодні|сёння|бүгін|today|вчера|вчора|учора|кеше|yesterday|позавчера"
    r"|позавчора|пазаўчора)" + r"(?:" + _SEP + _TIME + r")?",
    re.IGNORECASE,
)


def month_number(token: str) -> int | None:
    """1..12 for a Russian/Ukrainian/Belarusian/Kazakh/English month name in any form, else
    None."""
    word = token.strip().rstrip(".").casefold().replace("ё", "е")
    if len(word) < 3:
        return None
    return _STEM_TO_MONTH.get(word[:3])


def _clock(m: re.Match[str]) -> time | None:
    if m.group("h") is None:
        return time(0, 0)
    h, mi, s = int(m.group("h")), int(m.group("mi")), int(m.group("s") or 0)
    ampm = m.group("ampm")
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.casefold() == "p" else 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    return time(h, mi, s)


def parse_ru_datetime(text: str, today: date | None = None) -> datetime | None:
    """The first date (with optional time) found in ``text`` as a naive datetime, else None.

    Without a year the date is taken in ``today``'s year, or the year before when that would
    lie in the future. "сегодня/вчера" count from ``today`` (default: the current date).
    """
    ref = today or date.today()
    m = _RELATIVE.search(text)
    if m is not None:
        clock = _clock(m)
        if clock is None:
            return None
        day = ref + timedelta(days=_RELATIVE_DAYS[m.group("rel").casefold()])
        return datetime.combine(day, clock)
    for m in (*_CLOCK_FIRST.finditer(text), *_ABSOLUTE.finditer(text)):
        month = month_number(m.group("mon"))
        if month is None:
            continue
        clock = _clock(m)
        if clock is None:
            return None
        day = int(m.group("d"))
        year = int(m.group("y")) if m.group("y") else ref.year
        try:
            result = datetime.combine(date(year, month, day), clock)
        except ValueError:
            return None
        if not m.group("y") and result.date() > ref:
            try:
                result = result.replace(year=year - 1)
            except ValueError:  # 29 February
                return None
        return result
    return None
