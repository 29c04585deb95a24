"""Text helpers for e-mail: charset decoding with repair, HTML to text, quote/signature stripping.

Everything here is pure and stdlib-only so that every mail importer (mbox, .eml, Maildir and the
IMAP importer the lead adds later) turns bytes into the same text. HTML is converted with
``html.parser``: nothing is fetched, nothing is executed.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

# Charset labels seen in the wild that Python does not know, or knows under another name.
_CHARSET_ALIASES = {
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "win-1251": "cp1251",
    "cp-1251": "cp1251",
    "x-cp1251": "cp1251",
    "windows-1251": "cp1251",
    "x-user-defined": "cp1252",
    "koi8r": "koi8-r",
    "koi": "koi8-r",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "x-sjis": "shift_jis",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "default": "",
}
# Labels under which senders routinely ship some other 8-bit charset.
_WEAK_CHARSETS = {"ascii", "latin-1", "iso-8859-1", "iso8859-1", "latin1", "cp1252"}


def normalise_charset(label: str | None) -> str:
    """A Python codec name for a MIME charset label, or "" when unknown."""
    if not label:
        return ""
    name = label.strip().strip("\"'").lower()
    name = name.split("*", 1)[0]  # RFC 2231 language suffix: utf-8*ru
    name = _CHARSET_ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def guess_cyrillic(data: bytes) -> str:
    """cp1251 or koi8-r for 8-bit Russian text.

    Russian text is mostly lower case: cp1251 puts а..я at 0xE0-0xFF, KOI8-R at 0xC0-0xDF.
    """
    lower_1251 = sum(data.count(bytes((b,))) for b in range(0xE0, 0x100))
    lower_koi = sum(data.count(bytes((b,))) for b in range(0xC0, 0xE0))
    return "cp1251" if lower_1251 >= lower_koi else "koi8-r"


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 apart from a few broken sequences (truncation, one bad byte)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good > 0 and bad * 8 <= good


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode 8-bit text whose declared charset may be missing or wrong; never raises.

    Declared charset first (unless it is a "weak" label like us-ascii/latin-1 on bytes that are
    valid UTF-8), then UTF-8, then a cp1251/KOI8-R guess for Cyrillic, then cp1252.
    """
    codec = normalise_charset(charset)
    if data.isascii():
        if codec.startswith("iso2022") or codec in ("utf-7", "hz"):  # 7-bit stateful charsets
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
        return data.decode("ascii")
    if codec and codec not in _WEAK_CHARSETS:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", "ignore")
    # Declared Latin-1/cp1252 (or nothing) and not UTF-8: Western text unless it looks Russian.
    if looks_cyrillic(data):
        return data.decode(guess_cyrillic(data), "replace")
    return data.decode("cp1252", "replace").replace("\ufffd", "")


_CYR_BYTE = re.compile(rb"[\xa3\xa8\xb3\xb8\xc0-\xff]")  # cp1251/KOI8-R letters (with Ё/ё)
_CYR_WORD = re.compile(rb"[\xa3\xa8\xb3\xb8\xc0-\xff]{3}")
_ASCII_LETTER = re.compile(rb"[A-Za-z]")


def looks_cyrillic(data: bytes) -> bool:
    """8-bit Russian (cp1251/KOI8-R) rather than Western Latin-1/cp1252 text? Both put their
    letters at 0xC0-0xFF, but a Russian word is a run of such bytes while a Western word has
    an accented letter or two among ASCII ones ("Björn", "Grüße", "Hääyö")."""
    if _CYR_WORD.search(data):
        return True
    cyr = len(_CYR_BYTE.findall(data))
    return cyr > 0 and cyr * 4 >= (cyr + len(_ASCII_LETTER.findall(data))) * 3


_LATIN1_MOJIBAKE = re.compile("[ÐÑ][\u0080-\u00bf]|Ã[\u0080-\u00bf]|â\u0080")
_CP1251_MOJIBAKE = re.compile("[РС][\u0400-\u045f\u2018-\u203a\u00a0-\u00bf]")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Latin-1/cp1252 or as cp1251 ("Ð˜Ð²Ð°Ð½", "РРІР°РЅ")."""
    if _LATIN1_MOJIBAKE.search(text):
        for enc in ("latin-1", "cp1252"):
            try:
                return text.encode(enc).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
    if len(_CP1251_MOJIBAKE.findall(text)) >= 2:
        try:
            fixed = text.encode("cp1251").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
        return fixed
    return text


# ----------------------------------------------------------------------------------------------
# HTML to text
# ----------------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "address",
        "dd",
        "dt",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})
# Markers of where a client put the quoted original: everything from here on is not the reply.
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "divrplyfwdmsg", "zmail_extra")
_QUOTE_IDS = (
    "divrplyfwdmsg",
    "stopspelling",
    "appendonsend",
    "olk_src_body_section",
    "mail-editor-reference-message-container",
)
_VOID_TAGS = frozenset(
    [
        "br",
        "hr",
        "img",
        "meta",
        "link",
        "input",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
    ]
)


# Signature blocks: skipped (their subtree only), the text after them still counts.
_SIGNATURE_CLASSES = ("gmail_signature", "moz-signature", "signature", "yandex-signature")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.stopped = False
        self.depth = 0  # open non-void elements (approximate: mail HTML is rarely balanced)
        self.signature_at: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stopped:
            return
        attr = {k.lower(): (v or "") for k, v in attrs}
        cls = attr.get("class", "").lower()
        ident = attr.get("id", "").lower()
        if any(q in cls for q in _QUOTE_CLASSES) or any(ident.startswith(q) for q in _QUOTE_IDS):
            self.stopped = True  # the rest of the document is the quoted original
            return
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")
            return
        self.depth += 1
        if self.signature_at is None and (
            any(c in cls.split() for c in _SIGNATURE_CLASSES) or "signature" in ident
        ):
            self.signature_at = self.depth
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        elif tag == "blockquote":
            self.quote_depth += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.stopped or tag in _VOID_TAGS:
            return
        if self.signature_at is not None and self.depth <= self.signature_at:
            self.signature_at = None
        self.depth = max(0, self.depth - 1)
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "blockquote" and self.quote_depth:
            self.quote_depth -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.stopped or self.skip_depth or self.quote_depth or self.signature_at is not None:
            return
        self.parts.append(data)


_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200e\u200f]+")
_MANY_NEWLINES = re.compile(r"\n\s*\n\s*\n+")


def html_to_text(html: str) -> str:
    """Visible text of an HTML mail body without the quoted original (blockquotes, gmail_quote,
    Outlook's divRplyFwdMsg...). Scripts and styles are dropped; nothing is fetched."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; a failure must not sink the message
        pass
    text = "".join(parser.parts)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


# ----------------------------------------------------------------------------------------------
# Quoted replies and signatures
# ----------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}|_{2,}|={2,})?\s*(?:"
    r"original message|forwarded message|begin forwarded message|"
    r"исходное сообщение|пересылаемое сообщение|пересланное сообщение|"
    r"переадресованное сообщение|конец пересылаемого сообщения"
    r")\s*:?\s*(?:-{2,}|_{2,}|={2,})?\s*$",
    re.IGNORECASE,
)
_UNDERSCORE_RULE = re.compile(r"^\s*_{8,}\s*$")
_ON_WROTE = re.compile(
    r"^\s*(?:on|le|am|el|il|op)\s.{0,300}(?:wrote|écrit|schrieb|escribió|scritto|schreef)\s*:\s*$",
    re.IGNORECASE,
)
_RU_WROTE = re.compile(
    r"^.{0,300}(?:пишет|писал|написал|написала|написал\(а\)|писал\(а\)|wrote)\s*:\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(?:from|от|de|von|van)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(?:sent|date|to|subject|cc|отправлено|дата|кому|тема|копия|envoyé|gesendet)\s*:",
    re.IGNORECASE,
)
_HEADER_ANY = re.compile(
    r"^\s*\*?(?:from|sent|date|to|subject|cc|от|отправлено|дата|кому|тема|копия|de|envoyé|von|"
    r"gesendet)\s*:",
    re.IGNORECASE,
)
_HEADER_FROM_ANY = re.compile(r"^\s*\*?(?:from|от|de|von)\s*:", re.IGNORECASE)
_MOBILE_SIG = re.compile(
    r"^\s*(?:sent from my |sent from (?:mail|outlook|yahoo|samsung)|get outlook for |"
    r"отправлено с (?:моего )?(?:iphone|ipad|android|samsung|мобильного)|"
    r"отправлено из (?:мобильной|приложения)|"
    r"(?:с|c) уважением,? отправлено с|"
    r"sent via |sent with )",
    re.IGNORECASE,
)


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _hard_cut(lines: list[str], i: int) -> bool:
    """Lines after which nothing is the person's own text: signature, forward, Outlook header."""
    raw = lines[i]
    line = raw.rstrip()
    if line == "--" or raw == "-- ":
        return True
    if _SEPARATOR.match(line) or _MOBILE_SIG.match(line):
        return True
    if _UNDERSCORE_RULE.match(line) and i + 1 < len(lines) and _HEADER_FROM.match(lines[i + 1]):
        return True
    if _HEADER_ANY.match(line):
        return _header_block(lines, i)
    return False


def _header_block(lines: list[str], i: int) -> bool:
    """A quoted message's header block starts at ``i``: among the next non-empty lines, 3+ are
    "Field:" lines and one is From/От (Outlook "From:/Sent:/To:", Hotmail "Date:/Subject:/From:",
    Outlook 2003 with the value wrapped onto the next line)."""
    window = [ln for ln in lines[i : i + 12] if ln.strip()][:7]
    fields = [ln for ln in window if _HEADER_ANY.match(ln)]
    return len(fields) >= 3 and any(_HEADER_FROM_ANY.match(ln) for ln in fields)


def _attribution(lines: list[str], i: int) -> int:
    """How many lines (1 or 2) an attribution like "On ..., X wrote:" takes at ``i``, else 0."""
    line = lines[i].strip()
    if not line or _is_quote(line) or len(line) > 300:
        return 0
    if line.endswith(":") and (_ON_WROTE.match(line) or _RU_WROTE.match(line)):
        return 1
    if i + 1 < len(lines):
        nxt = lines[i + 1].strip()
        # Clients wrap long attributions: "On Mon, ... Name <a@b>" + "wrote:".
        if nxt.endswith(":") and len(nxt) < 120:
            joined = line + " " + nxt
            if _ON_WROTE.match(joined) or _RU_WROTE.match(joined):
                return 2
    if line.endswith(":"):
        # Any "...:" line directly followed by a quoted block (Mail.ru, Yandex, Russian Gmail:
        # "3 февр. 2017 г., в 10:15, Имя <a@b>:").
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and _is_quote(lines[j]):
            return 1
    return 0


def strip_quotes_and_signature(text: str) -> str:
    """What the person actually wrote: the text before the quoted original, forwarded part or
    signature, without inline '>' lines. English and Russian client patterns. Bottom-posted and
    interleaved replies keep the text written below the quotes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    kept: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        if _hard_cut(lines, i):
            break
        span = _attribution(lines, i)
        if span:
            # Skip the attribution and the quoted block after it; keep going only when the
            # person wrote more below it (bottom-posting), else the rest is the original.
            j = i + span
            while j < n and (not lines[j].strip() or _is_quote(lines[j])):
                j += 1
            quoted = any(_is_quote(ln) for ln in lines[i + span : j])
            if not quoted or j >= n or _hard_cut(lines, j):
                break
            i = j
            continue
        if not _is_quote(lines[i]):
            kept.append(lines[i].rstrip())
        i += 1
    out = "\n".join(kept).strip()
    return _MANY_NEWLINES.sub("\n\n", out)


def unflow(text: str, delsp: bool = False) -> str:
    """Join RFC 3676 format=flowed soft line breaks (a line ending in a space continues on the
    next line of the same quote depth)."""
    out: list[str] = []
    buf, buf_depth = "", -1
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if buf and depth != buf_depth:
            out.append(">" * buf_depth + (" " if buf_depth else "") + buf)
            buf = ""
        if content.endswith(" ") and content != "-- ":
            buf += content[:-1] if delsp else content
            buf_depth = depth
            continue
        full = buf + content
        out.append(">" * depth + (" " if depth else "") + full)
        buf = ""
    if buf:
        out.append(">" * buf_depth + (" " if buf_depth else "") + buf)
    return "\n".join(out)
