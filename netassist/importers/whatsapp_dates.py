"""WhatsApp dates and times: which field is the day, parsing once per distinct string.

Headers hold local wall time as text ("12/31/20", "11:59 PM", "31.12.2020", "2565 BE"...). The
importer parses each distinct date and time string once (cached), so these run a few thousand
times per file, not once per message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

_NUM = re.compile(rb"\d+")


def date_numbers(raw: bytes) -> list[int]:
    return [int(x) for x in _NUM.findall(raw)]


def resolve_date_order(dates: Iterable[bytes], hints: tuple[str, ...] = ()) -> str:
    """Decide "ymd", "ydm", "dmy" or "mdy" from every distinct date string of the file.

    Rule (documented for users): a four-digit first field means year first (then y-d-m only
    when a middle field is above 12, else y-m-d). Otherwise, if
    any first field is above 12 the file is day-first; if any second field is above 12 it is
    month-first. When every date fits both (short chats, first twelve days of months), the
    order whose timestamps run forward is chosen (fewer backward jumps between consecutive
    distinct dates), then the order whose day field changes more often between consecutive
    dates (chats run day by day); on a tie, the way the date is written decides: dots and
    hyphens are written by day-first locales, and so are slashes with a four-digit year or a zero-padded
    day or month ("06/08/2020", "05/02/22": en-GB, fr, es, pt, nl, en-IN); only unpadded
    slashes with a two-digit year are US English ("6/8/20", month-first). ``hints`` ("dmy"
    when the chat is in Russian/Ukrainian, say) break what is left.
    """
    seq: list[tuple[int, ...]] = []
    seps: set[bytes] = set()
    year_first = False
    day_first_style = False  # a four-digit year or a zero-padded day/month: not US English
    for raw in dates:
        nums = date_numbers(raw)
        if len(nums) < 2:
            continue
        if len(nums) == 3 and nums[0] > 999:  # year first: y-m-d, rarely y-d-m
            year_first = True
            if nums[1] > 12:
                return "ydm"
            continue
        if nums[0] > 12:
            return "dmy"
        if nums[1] > 12:
            return "mdy"
        seq.append(tuple(nums))
        for sep in (b"/", b".", b"-"):
            if sep in raw:
                seps.add(sep)
        fields = _NUM.findall(raw)
        if (len(fields) > 2 and len(fields[2]) == 4) or any(
            len(f) == 2 and f[:1] == b"0" for f in fields[:2]
        ):
            day_first_style = True
    if year_first and not seq:
        return "ymd"
    if not seq:
        return "dmy"

    def backward_jumps(order: str) -> int:
        keys = []
        for nums in seq:
            a, b = nums[0], nums[1]
            y = nums[2] if len(nums) > 2 else 0
            keys.append((y, b, a) if order == "dmy" else (y, a, b))
        return sum(1 for x, y in zip(keys, keys[1:], strict=False) if y < x)

    dmy, mdy = backward_jumps("dmy"), backward_jumps("mdy")
    if dmy != mdy:
        return "dmy" if dmy < mdy else "mdy"
    # Still both: a chat runs day by day, so the field that changes more often is the day.
    first = sum(1 for x, y in zip(seq, seq[1:], strict=False) if x[0] != y[0])
    second = sum(1 for x, y in zip(seq, seq[1:], strict=False) if x[1] != y[1])
    if first != second:
        return "dmy" if first > second else "mdy"
    if b"." in seps or b"-" in seps or day_first_style:
        return "dmy"
    if "dmy" in hints:
        return "dmy"
    return "mdy"


_TD: list[timedelta] = []


def timedeltas() -> list[timedelta]:
    if not _TD:
        _TD.extend(timedelta(seconds=i) for i in range(86400 + 3600))
    return _TD


def ymd(date_b: bytes, order: str, year: int) -> tuple[int, int, int] | None:
    nums = date_numbers(date_b)
    if len(nums) == 2:
        a, b = nums
        m, d = (a, b) if order == "mdy" else (b, a)
        y = year
    elif len(nums) == 3:
        if nums[0] > 999:  # a four-digit first field is a year, whatever the rest of the file
            if order == "ydm":
                y, d, m = nums
            else:
                y, m, d = nums
        elif order == "dmy":
            d, m, y = nums
        else:
            m, d, y = nums
        if b"BE" in date_b:
            y -= 543  # Thai Buddhist era
        elif y < 100:
            y += 2000
    else:
        return None
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1900 < y < 2200):
        return None
    return y, m, d


def month_of(date_b: bytes, order: str) -> int:
    nums = date_numbers(date_b)
    if len(nums) < 2:
        return 0
    return nums[0] if order == "mdy" else nums[1]


def count_rollovers(chunks: list[list[bytes | None]], i_date: int, order: str) -> int:
    prev, n = 0, 0
    for c in chunks:
        for date_b in c[1 + i_date :: 4]:
            m = month_of(date_b, order)  # type: ignore[arg-type]
            if m + 1 < prev:
                n += 1
            prev = m
    return n


_TIME_NUM = re.compile(rb"\d+")


def parse_time(tb: bytes) -> int | None:
    nums = [int(x) for x in _TIME_NUM.findall(tb)]
    if len(nums) < 2:
        return None
    h, mi = nums[0], nums[1]
    s = nums[2] if len(nums) > 2 else 0
    low = tb.lower()
    letters = bytes(c for c in low if c >= 0x61 and c <= 0x7A)
    pm = (
        letters.startswith(b"p")
        or b"\xd9\x85" in tb
        or "午後".encode() in tb
        or "下午".encode() in tb
    )
    am = (
        letters.startswith(b"a")
        or b"\xd8\xb5" in tb
        or "午前".encode() in tb
        or "上午".encode() in tb
    )
    if pm and h < 12:
        h += 12
    elif am and h == 12:
        h = 0
    if h == 24 and mi == 0:  # some exports write midnight as 24:00
        h = 0
    if not (0 <= h < 24 and 0 <= mi < 60 and 0 <= s < 60):
        return None
    return h * 3600 + mi * 60 + s
