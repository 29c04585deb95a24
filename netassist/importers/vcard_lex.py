"""Byte-level vCard lexer: split a buffer into cards, unfold lines, parse property lines and
decode values (quoted-printable, base64, charset, backslash escapes).

Everything before decoding happens on bytes because folding and QUOTED-PRINTABLE soft line
breaks may split a multi-byte UTF-8 sequence (Sony Ericsson phones write ``=D0=9A==`` then
``D0=A1`` on the next line), and because one file may mix charsets per property (vCard 2.1
``CHARSET=WINDOWS-1251`` next to raw UTF-8).

The whole-buffer work (card boundaries, line-end normalisation) is done with regexes and
``bytes`` methods in C; Python code only runs once per card and once per property line.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

from netassist.importers.contact_values import label_of
from netassist.importers.textdecode import decode_value

# BEGIN/END at a line start; "AGENT:BEGIN:VCARD" (2.1 inline agent on one line) is nested too.
# Trailing garbage after END:VCARD ("END:VCARD." from Sony Ericsson) still ends the card.
_CARD_RE = re.compile(
    rb"^[ \t]*(?:(AGENT)[^:\n]*:[ \t]*)?(BEGIN|END)[ \t]*:[ \t]*VCARD", re.I | re.M
)
# A QUOTED-PRINTABLE property and its soft-broken continuation lines ("=" at the line end),
# never swallowing the END:VCARD line.
_QP_JOIN_RE = re.compile(
    rb"^[^:\n]*QUOTED-PRINTABLE[^:\n]*:(?:[^\n]*=\n(?![ \t]*END[ \t]*:[ \t]*VCARD))+[^\n]*",
    re.I | re.M,
)
_CR_RUN_RE = re.compile(rb"\r+\n?")
_ESCAPE_RE = re.compile(r"\\(.)", re.S)
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"'}
_STRUCT_TOKEN_RE = re.compile(r"\\.|;|[^\\;]+", re.S)
_LIST_TOKEN_RE = re.compile(r"\\.|,|[^\\,]+", re.S)


def normalise_newlines(buf: bytes) -> bytes:
    """CRLF, CR CR LF (iOS 6) and bare CR all become LF, keeping one line per source line."""
    if b"\r" not in buf:
        return buf
    buf = buf.replace(b"\r\n", b"\n")
    if b"\r" in buf:
        buf = _CR_RUN_RE.sub(b"\n", buf)
    return buf


@dataclass(slots=True)
class RawCard:
    """One card's bytes (BEGIN and END lines excluded), nested AGENT cards cut out."""

    body: bytes
    line: int  # 1-based line of BEGIN:VCARD in the file
    complete: bool  # False when the file ended (or a new BEGIN came) before END:VCARD
    nested: list[RawCard] = field(default_factory=list)


def _is_escaped_agent(buf: bytes, m: re.Match[bytes]) -> bool:
    """AGENT:BEGIN:VCARD\\nFN:...\\nEND:VCARD as one escaped (3.0) value, not a nested card."""
    eol = buf.find(b"\n", m.end())
    if eol < 0:
        eol = len(buf)
    if re.search(rb"END:VCARD", buf[m.end() : eol], re.I):
        return True
    return buf[eol + 1 : eol + 2] in (b" ", b"\t")


def _prev_line_is_agent(buf: bytes, pos: int) -> bool:
    start = buf.rfind(b"\n", 0, max(pos - 1, 0)) + 1
    prev = buf[start:pos].lstrip().upper()
    colon = prev.find(b":")
    return colon >= 0 and b"AGENT" in prev[:colon] and not prev[colon + 1 :].strip()


def split_cards(buf: bytes, first_line: int, final: bool) -> tuple[list[RawCard], int]:
    """Cards fully inside ``buf`` (newline-normalised) and the offset up to which ``buf`` is
    consumed: the start of an unfinished card, else the end of the last END line (a BEGIN
    may be cut by the block edge). With ``final`` everything is consumed and an unfinished
    card is returned as incomplete. ``first_line`` is the file line number of ``buf[0]``."""
    cards: list[RawCard] = []
    depth = 0
    start = body_start = 0
    pieces: list[bytes] = []  # outer body pieces between nested cards
    piece_from = 0
    nested: list[RawCard] = []
    inner_start = inner_body = 0
    line_pos, line_no = 0, first_line  # incremental newline counting

    def line_of(pos: int) -> int:
        nonlocal line_pos, line_no
        line_no += buf.count(b"\n", line_pos, pos)
        line_pos = pos
        return line_no

    def eol(pos: int) -> int:
        e = buf.find(b"\n", pos)
        return len(buf) if e < 0 else e + 1

    start_line = first_line
    done_upto = 0

    def close_outer(end: int, complete: bool) -> None:
        pieces.append(buf[piece_from:end])
        cards.append(RawCard(b"".join(pieces), start_line, complete, list(nested)))

    for m in _CARD_RE.finditer(buf):
        is_begin = m.group(2).upper() == b"BEGIN"
        agent = m.group(1) is not None
        if is_begin:
            if agent and _is_escaped_agent(buf, m):
                continue
            if depth == 0:
                start, body_start = m.start(), eol(m.end())
                start_line = line_of(start)
                pieces, nested, piece_from = [], [], body_start
                depth = 1
            elif agent or _prev_line_is_agent(buf, m.start()):
                if depth == 1:
                    inner_start, inner_body = m.start(), eol(m.end())
                    pieces.append(buf[piece_from : m.start()])
                depth += 1
            else:
                # A new card began before the previous one ended: keep what we have.
                close_outer(m.start(), False)
                start, body_start = m.start(), eol(m.end())
                start_line = line_of(start)
                pieces, nested, piece_from = [], [], body_start
                depth = 1
        else:
            if depth == 0:
                continue  # stray END
            depth -= 1
            if depth == 0:
                close_outer(m.start(), True)
                done_upto = eol(m.end())
            elif depth == 1:
                nested.append(RawCard(buf[inner_body : m.start()], line_of(inner_start), True))
                piece_from = eol(m.end())
    if depth > 0:
        if not final:
            return cards, start
        close_outer(len(buf), False)
    if not final:
        # Keep everything after the last END line: it may be a BEGIN cut by the block edge.
        return cards, done_upto if cards else buf.rfind(b"\n") + 1
    return cards, len(buf)


def unfold(body: bytes) -> bytes:
    """Join QP soft line breaks (only inside QUOTED-PRINTABLE properties, before folding so
    a continuation's leading space stays data), then RFC 2425 folding (LF + space/tab)."""
    if b"=\n" in body and (b"PRINTABLE" in body or b"printable" in body or b"Printable" in body):
        body = _QP_JOIN_RE.sub(lambda m: m.group(0).replace(b"=\n", b""), body)
    if b"\n " in body or b"\n\t" in body:
        body = body.replace(b"\n ", b"").replace(b"\n\t", b"")
    return body


# A property line: (NAME upper-cased, group or b"", raw params or b"", raw value)
Prop = tuple[bytes, bytes, bytes, bytes]


def _head_end(line: bytes, colon: int) -> int:
    """The colon that ends name+params, skipping colons inside double-quoted param values."""
    head = line[:colon]
    if b'"' not in head or head.count(b'"') % 2 == 0:
        return colon
    in_quote = False
    for i, ch in enumerate(line):
        if ch == 0x22:
            in_quote = not in_quote
        elif ch == 0x3A and not in_quote:
            return i
    return colon


# Fast path: one regex over the whole card when no quoted params or bare base64 blocks occur.
_PROP_RE = re.compile(rb"^[ \t]*(?:([^.:;\n]*)\.)?([^.:;\n]*?)[ \t]*(?:;([^:\n]*))?:([^\n]*)", re.M)


def props_of(body: bytes) -> list[Prop]:
    """Property lines of an unfolded card body. Lines without a colon continue a base64 value
    (vCard 2.1 blocks need no leading space) and are junk otherwise (Android skips them)."""
    if b'"' not in body and b"BASE64" not in body and b"ase64" not in body:
        return [
            (name.upper(), group.lower() if group else group, params, value)
            for group, name, params, value in _PROP_RE.findall(body)
        ]
    return _props_slow(body)


def _props_slow(body: bytes) -> list[Prop]:
    out: list[list[bytes]] = []
    last: list[bytes] | None = None
    for line in body.split(b"\n"):
        colon = line.find(b":")
        if colon < 0:
            if last is not None and line.strip() and _is_b64(last[2]):
                last[3] += line.strip()
            continue
        colon = _head_end(line, colon)
        head = line[:colon].strip()
        semi = head.find(b";")
        if semi >= 0:
            name, params = head[:semi], head[semi + 1 :]
        else:
            name, params = head, b""
        dot = name.rfind(b".")
        group = b""
        if dot >= 0:
            group, name = name[:dot].lower(), name[dot + 1 :]
        last = [name.upper(), group, params, line[colon + 1 :]]
        out.append(last)
    return [(p[0], p[1], p[2], p[3]) for p in out]


def _is_b64(params: bytes) -> bool:
    if not params:
        return False
    up = params.upper()
    return b"BASE64" in up or b"ENCODING=B" in up


@dataclass(slots=True)
class Params:
    types: list[str] = field(default_factory=list)  # lower-case TYPE values and bare 2.1 types
    encoding: str = ""  # "qp", "b64" or ""
    charset: str | None = None
    pref: bool = False
    value: str = ""  # VALUE=text/date/uri, lower-case
    extra: dict[str, str] = field(default_factory=dict)  # other NAME=value, NAME upper-cased
    label: str | None = None  # short label from the types ("work fax"), computed once


_EMPTY_PARAMS = Params()


def _split_params(params: bytes) -> list[bytes]:
    if b'"' not in params:
        return params.split(b";")
    out, cur, in_quote = [], bytearray(), False
    for ch in params:
        if ch == 0x22:
            in_quote = not in_quote
        elif ch == 0x3B and not in_quote:
            out.append(bytes(cur))
            cur = bytearray()
            continue
        cur.append(ch)
    out.append(bytes(cur))
    return out


_PARAMS_CACHE: dict[bytes, Params] = {}


def parse_params(params: bytes) -> Params:
    """Parsed parameters; cached because real files repeat a few dozen parameter strings
    (callers must not mutate the result)."""
    if not params:
        return _EMPTY_PARAMS
    cached = _PARAMS_CACHE.get(params)
    if cached is not None:
        return cached
    p = _parse_params(params)
    p.label = label_of(p.types)
    if len(_PARAMS_CACHE) > 4096:  # hostile files with endless distinct params stay bounded
        _PARAMS_CACHE.clear()
    _PARAMS_CACHE[params] = p
    return p


def _parse_params(params: bytes) -> Params:
    p = Params()
    for item in _split_params(params):
        key, eq, val = item.partition(b"=")
        key_s = key.strip().upper().decode("ascii", "replace")
        if not eq:
            val_s, key_s = key_s.lower(), "TYPE"  # vCard 2.1 bare value: TEL;CELL;PREF
        else:
            val_s = decode_value(val.strip()).strip('"')
        if key_s == "TYPE":
            for t in val_s.lower().split(","):
                t = t.strip().strip('"')
                if t == "pref":
                    p.pref = True
                elif t in ("quoted-printable", "base64", "b"):
                    p.encoding = "qp" if t[0] == "q" else "b64"
                elif t:
                    p.types.append(t)
        elif key_s == "ENCODING":
            e = val_s.lower()
            if e.startswith("quoted"):
                p.encoding = "qp"
            elif e in ("b", "base64"):
                p.encoding = "b64"
        elif key_s == "CHARSET":
            p.charset = val_s
        elif key_s == "PREF":
            p.pref = True
        elif key_s == "VALUE":
            p.value = val_s.lower()
        else:
            p.extra[key_s] = val_s
    return p


def raw_bytes(value: bytes, p: Params) -> bytes:
    """The value's bytes after transfer decoding (QP); base64 is left to :func:`b64_bytes`."""
    if p.encoding == "qp":
        return binascii.a2b_qp(value)
    return value


def b64_bytes(value: bytes) -> bytes | None:
    """Tolerant base64: ignores whitespace and junk, repairs missing padding."""
    data = re.sub(rb"[^A-Za-z0-9+/]", b"", value)
    if len(data) % 4 == 1:
        data = data[:-1]  # a truncated export: keep what decodes
    if not data:
        return None
    data += b"=" * (-len(data) % 4)
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        return None


def text(value: bytes, p: Params) -> str:
    """Decoded text of a value (transfer encoding, then charset), escapes still in place."""
    if not p.encoding and (p.charset is None or value.isascii()):
        try:  # the common case: plain UTF-8
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return decode_value(value, p.charset)
    data = raw_bytes(value, p)
    if p.encoding == "b64":  # a base64'd text value (NOTE;ENCODING=b, 2.1 phones' BASE64)
        data = b64_bytes(value) or value
    s = decode_value(data, p.charset)
    return s.replace("\r\n", "\n").replace("\r", "\n") if "\r" in s else s


def _unescape_one(m: re.Match[str]) -> str:
    c = m.group(1)
    return _ESCAPES.get(c, "\\" + c)


def _unescape_token(tok: str) -> str:
    return _ESCAPES.get(tok[1], tok) if len(tok) == 2 else tok


def unescape(s: str, v21: bool = False) -> str:
    """vCard 3.0/4.0 text escapes. In 2.1 backslash is not an escape character except before
    ``n`` and ``;``, which phones write anyway (other backslashes stay literal)."""
    if "\\" not in s:
        return s
    if v21:
        # Android and Nokia writers still escape ';' and line breaks in 2.1 text.
        return s.replace("\\n", "\n").replace("\\N", "\n").replace("\\;", ";")
    return _ESCAPE_RE.sub(_unescape_one, s)


def split_structured(s: str, v21: bool = False, keep_escapes: bool = False) -> list[str]:
    """Components of N / ADR / ORG split on unescaped ';', then unescaped (or not, with
    ``keep_escapes``, for a second split of each component)."""
    if "\\" not in s:
        return s.split(";")
    parts, cur = [], []
    for tok in _STRUCT_TOKEN_RE.findall(s):
        if tok == ";":
            parts.append("".join(cur))
            cur = []
        elif keep_escapes:
            cur.append(tok)
        elif v21 and tok[0] == "\\" and len(tok) == 2:
            cur.append(";" if tok[1] == ";" else tok)
        else:
            cur.append(_unescape_token(tok) if tok[0] == "\\" else tok)
    parts.append("".join(cur))
    return parts


def split_list(s: str) -> list[str]:
    """Comma-separated values (CATEGORIES, NICKNAME) with escapes."""
    if "\\" not in s:
        return s.split(",")
    parts, cur = [], []
    for tok in _LIST_TOKEN_RE.findall(s):
        if tok == ",":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(_unescape_token(tok) if tok[0] == "\\" else tok)
    parts.append("".join(cur))
    return parts
