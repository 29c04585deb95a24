"""Fast, forgiving header parsing for e-mail importers.

The stdlib parser is too slow for big mailboxes with ``policy.default`` (~155 s per 50k messages)
and garbles raw 8-bit headers with ``compat32``. Here headers are split with one regex over the
header bytes, and only the few headers an importer needs are decoded: RFC 2047 encoded-words
(adjacent words of one charset are joined before decoding so a character split between words
survives; CPython #128110 puts a stray space there), raw 8-bit values (UTF-8, else a cp1251/KOI8-R
guess) and mojibake repair.
"""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import getaddresses, parsedate_to_datetime

from netassist.importers.email_text import decode_bytes, normalise_charset, repair_mojibake

Headers = dict[str, list[bytes]]

_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.M)
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(rb"\r?\n(?=[ \t])")


def split_head_body(raw: bytes) -> tuple[bytes, bytes]:
    """Header block and body (the body starts after the first empty line)."""
    if raw.startswith(b"\r\n") or raw.startswith(b"\n"):
        return b"", raw.lstrip(b"\r\n")
    m = _HEAD_END.search(raw)
    if m is None:
        return raw, b""
    return raw[: m.start()], raw[m.end() :]


def parse_headers(head: bytes) -> Headers:
    """Lower-cased field name -> raw unfolded values, in order. Lines that are not headers are
    ignored (broken files), so this never raises."""
    out: Headers = {}
    for m in _HEADER_LINE.finditer(head):
        value = _FOLD.sub(b"", m.group(2)).rstrip(b"\r\n \t")
        out.setdefault(m.group(1).decode("ascii").lower(), []).append(value)
    return out


def first(h: Headers, name: str) -> bytes | None:
    values = h.get(name)
    return values[0] if values else None


# ----------------------------------------------------------------------------------------------
# RFC 2047
# ----------------------------------------------------------------------------------------------

_EW = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_EW_GAP = re.compile(r"\?=\s+=\?")


def _ew_bytes(enc: str, payload: str) -> bytes:
    if enc in "bB":
        data = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        data += "=" * (-len(data) % 4)
        try:
            return binascii.a2b_base64(data)
        except binascii.Error:
            return binascii.a2b_base64(data[: len(data) // 4 * 4] or "")
    raw = payload.replace("_", " ").encode("latin-1", "replace")
    return binascii.a2b_qp(raw)


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded-words in an already-unicode header value."""
    if "=?" not in text:
        return text
    out: list[str] = []
    pos = 0
    pending: list[tuple[str, bytes]] = []  # adjacent words not yet decoded

    def flush() -> None:
        if not pending:
            return
        # Join bytes of adjacent words in one charset: encoders split multibyte characters.
        groups: list[tuple[str, bytearray]] = []
        for cs, data in pending:
            if groups and groups[-1][0] == cs:
                groups[-1][1].extend(data)
            else:
                groups.append((cs, bytearray(data)))
        for cs, data in groups:
            out.append(decode_bytes(bytes(data), cs))
        pending.clear()

    for m in _EW.finditer(text):
        gap = text[pos : m.start()]
        if pending and gap.strip() == "":
            pass  # whitespace between adjacent encoded-words is not part of the text
        else:
            flush()
            out.append(gap)
        charset = normalise_charset(m.group(1)) or m.group(1).lower()
        pending.append((charset, _ew_bytes(m.group(2), m.group(3))))
        pos = m.end()
    flush()
    out.append(text[pos:])
    return "".join(out)


def header_str(raw: bytes | None) -> str:
    """A header value as text: 8-bit bytes decoded, encoded-words decoded, mojibake repaired."""
    if raw is None:
        return ""
    text = raw.decode("ascii") if raw.isascii() else decode_bytes(raw)
    text = decode_words(text)
    text = repair_mojibake(text)
    return " ".join(text.split())


# ----------------------------------------------------------------------------------------------
# Addresses
# ----------------------------------------------------------------------------------------------

_ADDR_FALLBACK = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Mailman 2 (Pipermail) archives hide the address: "From: user at example.org (Name)"
PIPERMAIL_FROM = re.compile(
    r"^\s*([\w.!#$%&'*+/=?^`{|}~-]+) at ([\w-]+(?:\.[\w-]+)+)\s*(?:\((.*)\))?\s*$", re.S
)


def _protect_words(text: str) -> tuple[str, list[str]]:
    """Replace encoded-words by atoms so that commas inside them do not split addresses."""
    words: list[str] = []

    def sub(m: re.Match[str]) -> str:
        words.append(m.group(0))
        return f"EWPH{len(words) - 1}X"

    joined = _EW_GAP.sub("?==?", text)  # keep adjacent words together as one atom
    return re.sub(r"(?:=\?[^?\s]+\?[bBqQ]\?[^?]*\?=)+", sub, joined), words


def _restore_words(name: str, words: list[str]) -> str:
    return re.sub(r"EWPH(\d+)X", lambda m: words[int(m.group(1))], name)


_SIMPLE_ADDR = re.compile(
    r"^\s*(?:([^<>@,\"()\\]*?)\s*<([^<>@\s,\"]+@[^<>\s,\"]+)>|([^<>@\s,\"()]+@[^<>\s,\"()]+))\s*$"
)


_Q_COMMA = re.compile(r"=\?[^?\s]+\?[qQ]\?[^?]*,")


_BARE_ADDR = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")


def _loose_piece(piece: str) -> list[tuple[str, str]] | None:
    """Brackets-less shapes broken mailers write: "a@b c@d" (a list without commas, as commit
    and form mailers do) and "Ivan Petrov ivan@x.ru" (a name before a bare address)."""
    if "<" in piece or ">" in piece:
        return None
    words = piece.split()
    bare = [w for w in words if _BARE_ADDR.fullmatch(w)]
    if len(bare) >= 2 and len(bare) == len(words):
        return [("", w) for w in bare]
    if len(bare) == 1 and words[-1] == bare[0] and len(words) > 1:
        name = header_str(" ".join(words[:-1]).encode("utf-8"))
        return [(name, bare[0])]
    return None


def _simple_addresses(text: str) -> list[tuple[str, str]] | None:
    """The common shapes ("Name <a@b>, c@d") without the stdlib's slow general parser."""
    if '"' in text or "(" in text or ";" in text or "\\" in text:
        return None
    out: list[tuple[str, str]] = []
    for piece in text.split(","):
        if not piece.strip():
            continue
        m = _SIMPLE_ADDR.match(piece)
        if m is None:
            loose = _loose_piece(piece)
            if loose is None:
                return None
            out.extend(loose)
            continue
        if m.group(3):
            out.append(("", m.group(3)))
        else:
            name = header_str(m.group(1).encode("utf-8")) if m.group(1) else ""
            out.append(("" if name.lower() == m.group(2).lower() else name, m.group(2)))
    return out


def addresses(values: list[bytes] | None) -> list[tuple[str, str]]:
    """(display name, address) pairs from raw address headers; names decoded, junk dropped."""
    if not values:
        return []
    result: list[tuple[str, str]] = []
    for raw in values:
        text = raw.decode("ascii") if raw.isascii() else decode_bytes(raw)
        # Encoded-words may not contain a raw comma (RFC 2047 5.3) except in broken Q-words.
        risky = "=?" in text and _Q_COMMA.search(text) is not None
        simple = None if risky else _simple_addresses(text)
        if simple is not None:
            result.extend(simple)
            continue
        protected, words = _protect_words(text)
        try:
            pairs = getaddresses([protected])
        except Exception:  # the stdlib parser can choke on hostile input
            pairs = []
        found = False
        for name, addr in pairs:
            if "@" not in addr:
                continue
            found = True
            if words:
                name = _restore_words(name, words)
            name = header_str(name.encode("utf-8")).strip().strip("\"'").strip()
            if name.lower() == addr.lower():
                name = ""
            result.append((name, addr.strip().strip("<>")))
        if not found:
            loose = _ADDR_FALLBACK.findall(text)
            result.extend(("", a) for a in loose)
            hidden = None if loose else PIPERMAIL_FROM.match(text)
            if hidden:
                name = header_str((hidden.group(3) or "").encode("utf-8")).strip()
                result.append((name, f"{hidden.group(1)}@{hidden.group(2)}"))
    return result


def address_list(h: Headers, *names: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name in names:
        out.extend(addresses(h.get(name)))
    return out


# ----------------------------------------------------------------------------------------------
# Dates and ids
# ----------------------------------------------------------------------------------------------

_ASCTIME = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+"
    r"(?:[+-]\d{4}\s+)?(\d{4})"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    )
}


_ISO_DATE = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d?):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d\d:?\d\d)?$",
    re.I,
)


def _iso_date(value: str) -> datetime | None:
    """ "2012-12-08 00:48", "2023-03-02T12:15:07+03:00": what scripts write instead."""
    m = _ISO_DATE.match(value)
    if not m:
        return None
    zone = (m.group(7) or "Z").upper()
    offset = timedelta(0)
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        offset = -offset if zone[0] == "-" else offset
    try:
        y, mo, d, hh, mi = (int(m.group(i)) for i in range(1, 6))
        return datetime(y, mo, d, hh, mi, int(m.group(6) or 0), tzinfo=timezone(offset))
    except ValueError:
        return None


def parse_date(value: str) -> datetime | None:
    """An RFC 5322 date (or an ISO 8601 one) as an aware UTC datetime; "-0000"/missing zones
    are taken as UTC."""
    value = value.strip()
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        dt = None
    if dt is None:
        dt = _iso_date(value)
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        dt = dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    if not 1971 <= dt.year <= 2100:
        return None
    return dt


def parse_envelope_date(line: str) -> datetime | None:
    """The asctime date of an mbox "From addr Mon Jan  3 10:00:00 2020" line (UTC)."""
    m = _ASCTIME.search(line)
    if not m or m.group(1) not in _MONTHS:
        return None
    try:
        return datetime(
            int(m.group(6)),
            _MONTHS[m.group(1)],
            int(m.group(2)),
            int(m.group(3)),
            int(m.group(4)),
            int(m.group(5)),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def received_date(h: Headers) -> datetime | None:
    """The date after the last ';' of the newest Received header (when Date is missing)."""
    for raw in h.get("received", []):
        text = raw.decode("latin-1")
        if ";" in text:
            dt = parse_date(text.rsplit(";", 1)[1])
            if dt:
                return dt
    return None


_MSGID = re.compile(r"<([^<>\s]+)>")


def msg_ids(raw: bytes | None) -> list[str]:
    """Message ids from Message-ID / In-Reply-To / References, without angle brackets."""
    if not raw:
        return []
    text = raw.decode("latin-1")
    ids = _MSGID.findall(text)
    if not ids:
        bare = text.strip()
        if bare and " " not in bare and len(bare) < 500:
            ids = [bare]
    return ids


def ctype_params(value: str) -> tuple[str, dict[str, str]]:
    """("type/subtype" lower-cased, params) of a Content-Type or Content-Disposition value."""
    main, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for m in re.finditer(r";?\s*([\w\-*.]+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"?|[^;\s]*)", ";" + rest):
        val = m.group(2)
        if val.startswith('"'):
            val = val[1:-1] if val.endswith('"') and len(val) > 1 else val[1:]
            val = val.replace('\\"', '"').replace("\\\\", "\\")
        params.setdefault(m.group(1).lower(), val)
    return main.strip().lower(), params
