"""vCard 2.1 / 3.0 / 4.0 address books → ImportedContact records.

Why our own parser and not vobject: vobject builds a full object tree per card, validates
each property through Python-level behaviours and needs ~47 s for 100k cards; it also gives up
on whole files over one bad card and mangles 2.1 QUOTED-PRINTABLE lines split inside UTF-8
sequences. Here the file is read in big blocks, card boundaries and line endings are found by
regexes and ``bytes`` methods (C speed), and only the properties a contact needs are decoded.
That keeps a 100k-card file at a small fraction of vobject's time (see bench/bench_vcard.py)
while being more tolerant: every card is imported or reported, never the whole file lost.

The lexing (unfolding, QP soft breaks, params, charsets) lives in ``vcard_lex``; field
mapping (dates, handles, labels) in ``contact_values``; this module maps a card to a record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

from netassist.core.progress import Progress, check_cancelled
from netassist.importers import vcard_lex as lex
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.contact_values import (
    BadDate,
    DistinctKeys,
    clean_email,
    compose_name,
    content_key,
    handle_from_url,
    impp_identity,
    label_of,
    parse_date,
    x_prop_identity,
)
from netassist.importers.records import (
    IdentityRef,
    ImportedContact,
    ImportOptions,
    ImportProblem,
    Record,
)
from netassist.importers.textdecode import wide_encoding

BLOCK = 8 * 1024 * 1024
_BEGIN_RE = re.compile(rb"BEGIN[ \t]*:[ \t]*VCARD", re.I)
_BEGIN_LINE_RE = re.compile(rb"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD", re.I | re.M)
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG", "image/png"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
    (b"RIFF", "image/webp"),
)
_MIME_BY_TYPE = {
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "webp": "image/webp",
}
_DATA_URI_RE = re.compile(rb"data:([^;,]*)(;base64)?,", re.I)
_WORD = re.compile(r"\w+")
_BARE_ADDRESS = re.compile(r"<?[^\s@<>]+@[^\s@<>]+>?")
_ANNIVERSARY_PROPS = {
    b"ANNIVERSARY",
    b"X-ANNIVERSARY",
    b"X-MS-ANNIVERSARY",
    b"X-EVOLUTION-ANNIVERSARY",
    b"X-KADDRESSBOOK-X-ANNIVERSARY",
}
_SOCIAL_X = {b"X-SOCIALPROFILE", b"X-SOCIAL-PROFILE"}


class VCardImporter(Importer):
    name = "vcard"
    label = "vCard address book (.vcf)"
    patterns = ("*.vcf", "*.vcard")
    parse_apart = True  # a big address book parses in a child process (importers/apart.py)

    _CONTENT_SCORE: ClassVar[int] = 95
    _NAME_SCORE: ClassVar[int] = 50

    def sniff(self, path: Path, head: bytes) -> int:
        enc, skip = wide_encoding(head)
        sample = head[skip:]
        if enc is not None:
            usable = len(sample) - len(sample) % (4 if "32" in enc else 2)
            sample = sample[:usable].decode(enc, "replace").encode("utf-8", "replace")
        named = path.suffix.lower() in (".vcf", ".vcard")
        if _BEGIN_RE.match(sample.lstrip()):
            return self._CONTENT_SCORE
        if _BEGIN_LINE_RE.search(sample[:16384]):
            # A card further down: a .vcf with a preamble, or a mail quoting a card.
            return 70 if named else 30
        return self._NAME_SCORE if named else 0

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        prog = ensure_progress(progress)
        total = max(path.stat().st_size, 1)
        fname = path.name
        seen_cards = 0
        distinct = DistinctKeys()
        carry = b""
        line = 1
        for data, final, done in _blocks(path):
            buf = carry + data if carry else data
            cards, cut = lex.split_cards(buf, line, final)
            line += buf.count(b"\n", 0, cut)
            carry = buf[cut:]
            for raw in cards:
                seen_cards += 1
                if seen_cards % 2000 == 0:
                    check_cancelled(prog)
                for card in (raw, *raw.nested):
                    for rec in _convert(card, fname):
                        yield distinct(rec) if isinstance(rec, ImportedContact) else rec
            check_cancelled(prog)
            prog.set_progress(min(done / total, 1.0), fname)
        if seen_cards == 0:
            raise FormatError(f"{fname}: no BEGIN:VCARD found")


def _blocks(path: Path) -> Iterator[tuple[bytes, bool, int]]:
    """(newline-normalised block, is-last, bytes read so far). Cards may span blocks; the
    caller carries an unfinished card over. UTF-16/32 files are decoded and re-encoded as
    UTF-8 first (rare and small)."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
        enc, skip = wide_encoding(head)
        if enc is not None:
            data = (head + fh.read())[skip:].decode(enc, "replace").encode("utf-8")
            yield lex.normalise_newlines(data), True, len(data)
            return
        buf = head[skip:]
        done = len(head)
        while True:
            more = fh.read(BLOCK)
            done += len(more)
            buf += more
            while more and buf.endswith(b"\r"):  # never split CR LF across blocks
                more = fh.read(1)
                buf += more
                done += len(more)
            yield lex.normalise_newlines(buf), not more, done
            if not more:
                return
            buf = b""


def _one_line(s: str) -> str:
    return " ".join(s.split())


class _Card:
    """Mutable accumulator for one card; turned into a frozen ImportedContact at the end."""

    __slots__ = (
        "fn", "n", "nickname", "org", "title", "role", "bday", "anniv", "notes", "ids",
        "addresses", "labels", "urls", "tags", "photo", "photo_mime", "uid", "problems",
        "agents",
    )  # fmt: skip

    def __init__(self) -> None:
        self.fn = ""
        self.n: list[str] | None = None
        self.nickname = ""
        self.org = ""
        self.title = ""
        self.role = ""
        self.bday: str | None = None
        self.anniv: str | None = None
        self.notes: list[str] = []
        self.ids: list[IdentityRef] = []
        self.addresses: list[str] = []
        self.labels: list[str] = []  # LABEL: the address as printed on an envelope
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.photo: bytes | None = None
        self.photo_mime: str | None = None
        self.uid = ""
        self.problems: list[str] = []
        self.agents: list[str] = []


def _convert(raw: lex.RawCard, fname: str, depth: int = 0) -> Iterator[Record]:
    where = f"{fname}:{raw.line}"
    try:
        record = _build(raw, fname)
    except Exception as exc:  # one hostile card must not sink the file
        yield ImportProblem(where, f"card could not be read ({type(exc).__name__})")
        return
    if isinstance(record, str):
        yield ImportProblem(where, record)
        return
    card, contact = record
    for reason in card.problems:
        yield ImportProblem(where, reason)
    yield contact
    if depth < 3:
        # vCard 3.0 AGENT with an escaped card as its value: the agent is a person too.
        for agent in card.agents:
            data = lex.normalise_newlines(agent.encode("utf-8"))
            inner, _ = lex.split_cards(data, raw.line, True)
            for inner_raw in inner:
                yield from _convert(inner_raw, fname, depth + 1)


def _build(raw: lex.RawCard, fname: str) -> tuple[_Card, ImportedContact] | str:
    props = lex.props_of(lex.unfold(raw.body))
    v21 = False
    ab_labels: dict[bytes, str] = {}
    for p in props:
        if p[0] == b"VERSION":
            v21 = p[3].strip().startswith(b"2")
        elif p[1] and p[0] == b"X-ABLABEL":
            ab_labels[p[1]] = lex.unescape(lex.text(p[3], lex.parse_params(p[2])))
    c = _Card()
    get = _HANDLERS.get
    for p in props:
        name = p[0]
        handler = get(name)
        if handler is None:
            if name[:2] != b"X-" or name == b"X-ABLABEL":
                continue
            handler = _x_prop
        handler(c, p, lex.parse_params(p[2]), v21, ab_labels)
    return _finish(c, raw, fname)


def _finish(c: _Card, raw: lex.RawCard, fname: str) -> tuple[_Card, ImportedContact] | str:
    family = given = middle = prefix = suffix = ""
    if c.n is not None:
        parts = [_one_line(x) for x in c.n] + [""] * 5
        family, given, middle, prefix, suffix = parts[:5]
    full = _one_line(c.fn)
    if not full or (_BARE_ADDRESS.fullmatch(full) and (given or family)):
        # an FN that is only an e-mail address (Roundcube, old phones) names nobody; N does
        full = compose_name(prefix, given, middle, family, suffix) or full
    if not full:
        full = c.nickname or c.org
    if not full:
        first = next((i for i in c.ids if i.kind == "email"), None) or next(
            (i for i in c.ids if i.kind == "phone"), None
        )
        full = first.value if first else ""
    if not full and not c.ids:
        state = "incomplete card" if not raw.complete else "card"
        return f"{state} has no name, e-mail or phone"
    ids = tuple(dict.fromkeys(c.ids))
    uid = c.uid.strip()
    key = f"uid:{uid}" if uid else content_key("vcard", full, ids)
    contact = ImportedContact(
        source_key=key,
        where=f"{fname}:{raw.line}",
        full_name=full,
        given_name=given,
        family_name=family,
        middle_name=middle,
        prefix=prefix,
        suffix=suffix,
        nickname=c.nickname,
        organization=c.org,
        title=c.title or c.role,
        birthday=c.bday,
        anniversary=c.anniv,
        note="\n".join(c.notes),
        identities=ids,
        addresses=tuple(dict.fromkeys(c.addresses or c.labels)),
        urls=tuple(dict.fromkeys(c.urls)),
        tags=tuple(dict.fromkeys(c.tags)),
        photo=c.photo,
        photo_mime=c.photo_mime,
    )
    return c, contact


# --- property handlers: (card, prop, params, is_v21, X-ABLabel by group) ---------------------


def _label(p: lex.Prop, pa: lex.Params, lab: dict[bytes, str]) -> str | None:
    ab = lab.get(p[1]) if p[1] else None
    return label_of([], ab) if ab else pa.label


def _txt(p: lex.Prop, pa: lex.Params, v21: bool) -> str:
    return lex.unescape(lex.text(p[3], pa), v21).strip()


def _agent(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    value = lex.unescape(lex.text(p[3], pa))
    if value.lstrip()[:11].upper() == "BEGIN:VCARD":
        c.agents.append(value)


def _fn(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if not c.fn:
        c.fn = _txt(p, pa, v21)


def _n(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if c.n is not None:
        return  # ALTID alternatives: the first representation wins
    text = lex.text(p[3], pa)
    if v21 or "," not in text:
        c.n = lex.split_structured(text, v21)
        return
    # 3.0 lists inside a component: "A,B" → "A B" while "Richter\, James" keeps its comma.
    c.n = [
        " ".join(x.strip() for x in lex.split_list(part) if x.strip())
        for part in lex.split_structured(text, keep_escapes=True)
    ]


def _nickname(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if not c.nickname:
        c.nickname = ", ".join(x.strip() for x in lex.split_list(lex.text(p[3], pa)) if x.strip())


def _org(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if not c.org:
        parts = lex.split_structured(lex.text(p[3], pa), v21)
        c.org = next((x.strip() for x in parts if x.strip()), "")


def _title(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if not c.title:
        c.title = _txt(p, pa, v21)


def _role(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if not c.role:
        c.role = _txt(p, pa, v21)


def _note(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    note = _txt(p, pa, v21)
    if note:
        c.notes.append(note)


def _email(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    value = clean_email(_txt(p, pa, v21))
    if value:
        c.ids.append(IdentityRef("email", value, _label(p, pa, lab), pa.pref))


def _tel(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    value = _txt(p, pa, v21)
    low = value[:4].lower()
    if low == "tel:":
        value = value[4:].split(";", 1)[0]
    elif low == "sip:" or value[:5].lower() == "sips:":
        return
    if value:
        c.ids.append(IdentityRef("phone", value, _label(p, pa, lab), pa.pref))


def _adr_parts(parts: list[str]) -> list[str]:
    """The seven ADR components, plus any extra one that says something they do not.

    Google Contacts appends the formatted address as an eighth component (the same words again
    over lines); an unescaped ';' in an old phone's street shifts real data past the seventh.
    """
    if len(parts) <= 7:
        return parts
    known = set(_WORD.findall(" ".join(parts[:7]).casefold()))
    extra = [x for x in parts[7:] if not set(_WORD.findall(x.casefold())) <= known]
    return parts[:7] + extra


def _address_line(parts: list[str]) -> str:
    lines = []
    for part in parts:
        for x in part.replace("\r", "").split("\n"):
            x = x.strip().strip(",").strip()
            if x:
                lines.append(x)
    return ", ".join(lines)


def _adr(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    line = _address_line(_adr_parts(lex.split_structured(lex.text(p[3], pa), v21)))
    if line:
        c.addresses.append(line)


def _postal_label(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    # Used only when the card has no ADR (old Gmail, some phones): see _finish.
    line = _address_line([_txt(p, pa, v21)])
    if line:
        c.labels.append(line)


def _url(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    url = lex.unescape(lex.text(p[3], pa)).strip()
    if not url:
        return
    c.urls.append(url)
    found = handle_from_url(url)
    if found:
        c.ids.append(IdentityRef(found[0], found[1], _label(p, pa, lab)))


def _impp(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    service = pa.extra.get("X-SERVICE-TYPE") or (pa.types[0] if pa.types else None)
    found = impp_identity(_txt(p, pa, v21), service)
    if found:
        c.ids.append(IdentityRef(found[0], found[1], None, pa.pref))


def _social(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    value = lex.unescape(lex.text(p[3], pa)).strip()
    service = pa.types[0] if pa.types else pa.extra.get("X-SERVICE-TYPE")
    user = pa.extra.get("X-USER")
    found = handle_from_url(value) if "/" in value else None
    if found is None:
        found = impp_identity(user or value, service)
    if found:
        c.ids.append(IdentityRef(found[0], found[1]))


def _x_prop(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    name = p[0].decode("ascii", "replace")
    if name == "X-ANDROID-CUSTOM":
        _android_custom(c, _txt(p, pa, v21))
        return
    if name == "X-ABDATE":
        label = (lab.get(p[1]) or "").lower()
        if "anniversary" in label:
            _anniversary(c, p, pa, v21, lab)
        return
    found = x_prop_identity(name, _txt(p, pa, v21))
    if found:
        c.ids.append(IdentityRef(found[0], found[1], None, pa.pref))


def _android_custom(c: _Card, value: str) -> None:
    # vnd.android.cursor.item/contact_event;DATE;TYPE (1 = anniversary, 3 = birthday)
    parts = value.split(";")
    if parts[0] == "vnd.android.cursor.item/nickname" and len(parts) > 1 and not c.nickname:
        c.nickname = parts[1].strip()
    elif parts[0] == "vnd.android.cursor.item/contact_event" and len(parts) > 2:
        try:
            when = parse_date(parts[1])
        except BadDate:
            return
        if parts[2] == "1" and c.anniv is None:
            c.anniv = when
        elif parts[2] == "3" and c.bday is None:
            c.bday = when


def _date(p: lex.Prop, pa: lex.Params, c: _Card, what: str) -> str | None:
    raw = lex.text(p[3], pa).strip()
    omit = pa.extra.get("X-APPLE-OMIT-YEAR")
    try:
        return parse_date(raw, int(omit) if omit and omit.isdigit() else None)
    except BadDate:
        if pa.value != "text":  # free text ("circa 1800") is allowed by vCard 4.0
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            c.problems.append(f"{what} '{shown}' is not a date; imported without it")
        return None


def _bday(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if c.bday is None:
        c.bday = _date(p, pa, c, "BDAY")


def _anniversary(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if c.anniv is None:
        c.anniv = _date(p, pa, c, p[0].decode("ascii", "replace"))


def _categories(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    text = lex.text(p[3], pa)
    items = text.replace(";", ",").split(",") if v21 else lex.split_list(text)
    # Google puts every contact in its system group "myContacts": no tag of anyone's
    c.tags.extend(t.strip() for t in items if t.strip() and t.strip().lower() != "mycontacts")


def _uid(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if not c.uid:
        c.uid = _txt(p, pa, v21)


def _photo(c: _Card, p: lex.Prop, pa: lex.Params, v21: bool, lab: dict[bytes, str]) -> None:
    if c.photo is not None:
        return
    value = p[3].strip()
    if not value:
        return
    mime = pa.extra.get("MEDIATYPE")
    if pa.encoding == "b64":
        data = lex.b64_bytes(value)
    else:
        m = _DATA_URI_RE.match(value.replace(b"\\,", b","))
        if not m:
            return  # a URL: we never fetch
        payload = value.replace(b"\\,", b",")[m.end() :]
        mime = m.group(1).decode("ascii", "replace") or mime
        data = lex.b64_bytes(payload) if m.group(2) else None
    if not data:
        c.problems.append("PHOTO data is not valid base64; imported without photo")
        return
    c.photo = data
    c.photo_mime = (
        next((mt for magic, mt in _MAGIC if data.startswith(magic)), None)
        or mime
        or (next((_MIME_BY_TYPE[t] for t in pa.types if t in _MIME_BY_TYPE), None))
    )


_HANDLERS: dict[bytes, Callable[[_Card, lex.Prop, lex.Params, bool, dict[bytes, str]], None]] = {
    b"FN": _fn, b"N": _n, b"NICKNAME": _nickname, b"ORG": _org, b"TITLE": _title,
    b"ROLE": _role, b"NOTE": _note, b"EMAIL": _email, b"TEL": _tel, b"ADR": _adr,
    b"URL": _url, b"IMPP": _impp, b"BDAY": _bday, b"CATEGORIES": _categories, b"UID": _uid,
    b"PHOTO": _photo, b"AGENT": _agent, b"LABEL": _postal_label,
}  # fmt: skip
_HANDLERS.update(dict.fromkeys(_SOCIAL_X, _social))
_HANDLERS.update(dict.fromkeys(_ANNIVERSARY_PROPS, _anniversary))

__all__ = ["VCardImporter"]
