"""Charset detection for files people actually have: BOMs, UTF-16 without a BOM, UTF-8, and the
legacy 8-bit Cyrillic code pages (Windows-1251 from Windows/Outlook, KOI8-R from old Unix mail).

Generic on purpose: any importer may use it. Everything works on bytes and never raises on
hostile input; undecodable bytes become U+FFFD only as a last resort.

Why our own heuristics rather than charset-normalizer: the values we decode are short (a name,
one CSV cell), where statistical detectors guess poorly and slowly, and we only need to choose
between a handful of candidates that real address books use.
"""

from __future__ import annotations

import codecs

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The most frequent Russian letters (lower case), about 60 % of running text. A wrong code page
# turns them into rarer letters or into capitals in the middle of words.
_FREQUENT_RU = frozenset("оеаинтсрвлкмдпуяыь")
_VOWELS_RU = frozenset("аеёиоуыэюя")
_CYR_UPPER = frozenset(chr(c) for c in range(0x410, 0x430)) | {"Ё"}
_CYR_LOWER = frozenset(chr(c) for c in range(0x430, 0x450)) | {"ё"}


def detect_bom(data: bytes) -> tuple[str | None, int]:
    """(encoding, BOM length) for a byte-order mark at the start of ``data``, else (None, 0)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None, 0


def detect_utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when ``data`` looks like BOM-less UTF-16 text, else None.

    Text in UTF-16 has a zero byte in nearly every other position (ASCII markup and line
    breaks), which never happens in UTF-8 or 8-bit text.
    """
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    zeros_even = even.count(0)
    zeros_odd = odd.count(0)
    if zeros_odd > 0.3 * len(odd) and zeros_even < 0.05 * len(even):
        return "utf-16-le"
    if zeros_even > 0.3 * len(even) and zeros_odd < 0.05 * len(odd):
        return "utf-16-be"
    return None


def wide_encoding(data: bytes) -> tuple[str | None, int]:
    """The UTF-16/32 encoding of ``data`` (with or without BOM) and the BOM length.

    Returns (None, n) for byte-oriented data, where n is the length of a UTF-8 BOM (0 or 3).
    """
    enc, skip = detect_bom(data)
    if enc == "utf-8":
        return None, skip
    if enc is not None:
        return enc, skip
    return detect_utf16_without_bom(data), 0


def cyrillic_score(text: str) -> float:
    """How much ``text`` looks like Russian written in the right code page (higher is better).

    Letter frequency and the share of vowels are judged case-insensitively (old phone books
    are often ALL CAPS); a capital right after a lower-case letter counts against, as the
    wrong code page swaps cases (cp1251 and KOI8-R put the cases in opposite halves).
    """
    score = 0.0
    prev = ""
    letters = vowels = 0
    for ch in text:
        low = ch.lower()
        if low in _CYR_LOWER:
            letters += 1
            vowels += low in _VOWELS_RU
        if low in _FREQUENT_RU:
            score += 1.0
        elif low in _CYR_LOWER:
            score += 0.3
        elif ch.isalpha() or ch == "\ufffd":
            score -= 0.5
        elif not ch.isprintable() and ch not in "\r\n\t":
            score -= 2.0
        if ch in _CYR_UPPER and prev in _CYR_LOWER:
            score -= 1.0
        elif ch in _CYR_LOWER:
            score += 0.1
        prev = ch
    if letters:
        # Russian runs ~43 % vowels; the wrong code page gives consonant soup ("ннн ярпнил").
        score -= 3.0 * letters * abs(vowels / letters - 0.43)
    return score


def _looks_cyrillic(data: bytes) -> bool:
    """8-bit text whose high bytes form words (Cyrillic) rather than accents inside Latin words."""
    high = sum(1 for b in data if b >= 0xC0)
    if high == 0:
        return False
    letters = sum(1 for b in data if (0x41 <= b <= 0x5A) or (0x61 <= b <= 0x7A))
    return (
        high >= letters
        or high >= 3
        and any(
            data[i] >= 0xC0 and data[i + 1] >= 0xC0 and data[i + 2] >= 0xC0
            for i in range(len(data) - 2)
        )
    )


def guess_8bit(data: bytes) -> str:
    """Pick a legacy single-byte code page for bytes that are not UTF-8.

    Cyrillic-looking bytes choose between Windows-1251 and KOI8-R by letter statistics (in
    cp1251 lower case is 0xE0-0xFF, in KOI8-R 0xC0-0xDF, so the wrong choice produces
    capitals inside words and rare letters); anything else is taken as Windows-1252.
    """
    if not _looks_cyrillic(data):
        return "cp1252"
    s1251 = cyrillic_score(data.decode("cp1251", "replace"))
    skoi = cyrillic_score(data.decode("koi8-r", "replace"))
    return "koi8-r" if skoi > s1251 else "cp1251"


def _normal_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip('"').lower()).name
    except (LookupError, ValueError):
        return None


def decode_value(data: bytes, declared: str | None = None) -> str:
    """Decode one short value (a vCard property, a CSV cell).

    ``declared`` is the charset the source claims, if any. Valid UTF-8 with multi-byte
    sequences wins over any declaration: phones often declare Latin-1 or a legacy code page
    while writing UTF-8, and 8-bit text is almost never valid UTF-8 by accident.
    """
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = _normal_codec(declared) if declared else None
    if codec is not None and codec != "utf-8":
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    return _decode_undeclared(data)


def _decode_undeclared(data: bytes) -> str:
    """Non-UTF-8 bytes: broken UTF-8 (a sequence cut by a truncating exporter, one stray
    byte) is still UTF-8 when most non-ASCII characters decode, because 8-bit text yields
    almost no valid multi-byte sequences; otherwise a guessed 8-bit code page."""
    repl = data.decode("utf-8", "replace")
    bad = repl.count("\ufffd")
    good = sum(1 for ch in repl if ch > "\x7f") - bad
    if good >= 2 * bad:
        return repl
    return data.decode(guess_8bit(data), "replace")


def decode_text(data: bytes) -> str:
    """Decode a whole text file: BOM, BOM-less UTF-16, UTF-8, else a guessed 8-bit code page."""
    enc, skip = wide_encoding(data)
    if enc is not None:
        return data[skip:].decode(enc, "replace")
    body = data[skip:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_undeclared(body)


def text_encoding(data: bytes) -> tuple[str, int]:
    """(codec, BOM length) for a whole file's bytes, by the same rules as :func:`decode_text`."""
    enc, skip = wide_encoding(data)
    if enc is not None:
        return enc, skip
    body = data[skip:]
    try:
        body.decode("utf-8")
        return "utf-8", skip
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut at the end of a sample is still UTF-8.
        if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
            return "utf-8", skip
        repl = body.decode("utf-8", "replace")
        bad = repl.count("\ufffd")
        if sum(1 for ch in repl if ch > "\x7f") - bad >= 2 * bad:
            return "utf-8", skip  # decode with errors="replace"
        return guess_8bit(body), skip
