"""Write contacts as vCard 4.0 / 3.0 text or as a Google-Contacts-style CSV.

Pure functions over a plain :class:`ExportContact` (no database, no importers), so the CLI's
``export`` and the UI can both use them. vCard output follows RFC 6350 / RFC 2426: CRLF line
ends, text escaping, lines folded at 75 octets without splitting a UTF-8 sequence. The CSV uses
the 2020+ Google Contacts header so Google, and our own CSV importer, read it back.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass, field

# (value, label or None, preferred)
Labelled = tuple[str, str | None, bool]

_IMPP_SCHEMES = {
    "telegram": "telegram",
    "skype": "skype",
    "whatsapp": "whatsapp",
    "signal": "sgnl",
    "vk": "vk",
    "facebook": "facebook",
    "instagram": "instagram",
    "twitter": "twitter",
}
# "scheme:rest" that is not a web page: an instant-messaging URI (RFC 4770 IMPP)
_IM_URI = re.compile(r"(?!(?:https?|ftp):)[a-z][a-z0-9+.-]*:[^/]", re.I)
_PROFILE_URLS = {
    "telegram": "https://t.me/{}",
    "vk": "https://vk.com/{}",
    "instagram": "https://instagram.com/{}",
    "twitter": "https://twitter.com/{}",
    "facebook": "https://facebook.com/{}",
}
_MIME_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/bmp": "BMP",
    "image/webp": "WEBP",
}


@dataclass
class ExportContact:
    full_name: str = ""
    given_name: str = ""
    family_name: str = ""
    middle_name: str = ""
    prefix: str = ""
    suffix: str = ""
    nickname: str = ""
    organization: str = ""
    title: str = ""
    birthday: str | None = None  # "YYYY-MM-DD" or "--MM-DD"
    anniversary: str | None = None
    note: str = ""
    emails: list[Labelled] = field(default_factory=list)
    phones: list[Labelled] = field(default_factory=list)
    handles: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)
    addresses: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    photo: bytes | None = None
    photo_mime: str | None = None
    uid: str | None = None


def escape_text(s: str) -> str:
    """RFC 6350 text escaping: backslash, comma, semicolon, line breaks."""
    return (
        s.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets (continuations start with a space and so hold 74),
    never inside a UTF-8 sequence. Returns the folded line with CRLF line ends."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # back off to a character boundary
        out.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(out) + "\r\n"


def _date_value(d: str, version: str) -> tuple[str, str]:
    """(params, value) for BDAY/ANNIVERSARY: 4.0 "--MMDD"; 3.0 uses Apple's omit-year."""
    if d.startswith("--"):
        mm, dd = d[2:4], d[5:7]
        if version == "4.0":
            return "", f"--{mm}{dd}"
        return ";X-APPLE-OMIT-YEAR=1604", f"1604-{mm}-{dd}"
    return ("", d.replace("-", "")) if version == "4.0" else ("", d)


def _type_params(label: str | None, pref: bool, version: str) -> str:
    types = [t for t in (label or "").lower().split() if t.replace("-", "").isalnum()]
    if pref and version != "4.0":
        types.append("pref")
    out = f";TYPE={','.join(types)}" if types else ""
    if pref and version == "4.0":
        out += ";PREF=1"
    return out


def format_vcard(c: ExportContact, version: str = "4.0") -> str:
    """One contact as a vCard ``version`` ("4.0" or "3.0") string with CRLF line ends."""
    if version not in ("4.0", "3.0"):
        raise ValueError(f"unsupported vCard version {version!r}")
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    full = c.full_name or " ".join(
        p for p in (c.prefix, c.given_name, c.middle_name, c.family_name, c.suffix) if p
    )
    lines.append("FN:" + escape_text(full))
    n = (c.family_name, c.given_name, c.middle_name, c.prefix, c.suffix)
    lines.append("N:" + ";".join(escape_text(x) for x in n))
    if c.nickname:
        lines.append("NICKNAME:" + escape_text(c.nickname))
    if c.organization:
        lines.append("ORG:" + escape_text(c.organization))
    if c.title:
        lines.append("TITLE:" + escape_text(c.title))
    for value, label, pref in c.emails:
        lines.append(f"EMAIL{_type_params(label, pref, version)}:{escape_text(value)}")
    for value, label, pref in c.phones:
        lines.append(f"TEL{_type_params(label, pref, version)}:{escape_text(value)}")
    for kind, value in c.handles:
        scheme = _IMPP_SCHEMES.get(kind)
        if scheme:
            lines.append(f"IMPP;X-SERVICE-TYPE={kind.capitalize()}:{scheme}:{value}")
        elif kind == "url" and _IM_URI.match(value):
            lines.append("IMPP:" + value)  # "xmpp:ann@jabber.ru", "aim:ann": an IM address
        elif kind == "linkedin" or kind == "url":
            lines.append("URL:" + value)
    for addr in c.addresses:
        lines.append("ADR:;;" + escape_text(addr) + ";;;;")
    for url in c.urls:
        lines.append("URL:" + url)
    if c.birthday:
        params, value = _date_value(c.birthday, version)
        lines.append(f"BDAY{params}:{value}")
    if c.anniversary:
        params, value = _date_value(c.anniversary, version)
        name = "ANNIVERSARY" if version == "4.0" else "X-ANNIVERSARY"
        lines.append(f"{name}{params}:{value}")
    if c.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(t) for t in c.tags))
    if c.note:
        lines.append("NOTE:" + escape_text(c.note))
    if c.photo:
        b64 = base64.b64encode(c.photo).decode("ascii")
        mime = c.photo_mime or "image/jpeg"
        if version == "4.0":
            lines.append(f"PHOTO:data:{mime};base64,{b64}")
        else:
            kind = _MIME_TYPES.get(mime, mime.rpartition("/")[2].upper())
            lines.append(f"PHOTO;ENCODING=b;TYPE={kind}:{b64}")
    if c.uid:
        lines.append("UID:" + escape_text(c.uid))
    lines.append("END:VCARD")
    return "".join(fold_line(line) for line in lines)


def format_vcards(contacts: list[ExportContact], version: str = "4.0") -> str:
    return "".join(format_vcard(c, version) for c in contacts)


_BASE_HEADER = [
    "First Name", "Middle Name", "Last Name", "Name Prefix", "Name Suffix", "Nickname",
    "File As", "Organization Name", "Organization Title", "Birthday", "Notes", "Labels",
]  # fmt: skip


def _google_label(label: str | None, pref: bool) -> str:
    lab = (label or "").strip()
    lab = {"cell": "Mobile"}.get(lab.lower(), lab.title())
    return f"* {lab}" if pref else lab


def format_csv(contacts: list[ExportContact]) -> str:
    """Contacts as a Google Contacts (2020+ header) CSV; multi-values joined with " ::: "."""
    n_email = max((len(c.emails) for c in contacts), default=0)
    n_phone = max((len(c.phones) for c in contacts), default=0)
    n_addr = max((len(c.addresses) for c in contacts), default=0)
    n_im = max((len(c.handles) for c in contacts), default=0)
    n_web = max((len(c.urls) for c in contacts), default=0)
    n_event = 1 if any(c.anniversary for c in contacts) else 0
    header = list(_BASE_HEADER)
    for i in range(1, n_email + 1):
        header += [f"E-mail {i} - Label", f"E-mail {i} - Value"]
    for i in range(1, n_phone + 1):
        header += [f"Phone {i} - Label", f"Phone {i} - Value"]
    for i in range(1, n_addr + 1):
        header += [f"Address {i} - Label", f"Address {i} - Formatted"]
    for i in range(1, n_web + 1):
        header += [f"Website {i} - Label", f"Website {i} - Value"]
    for i in range(1, n_im + 1):
        header += [f"IM {i} - Label", f"IM {i} - Service", f"IM {i} - Value"]
    for i in range(1, n_event + 1):
        header += [f"Event {i} - Label", f"Event {i} - Value"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for c in contacts:
        row = [
            c.given_name, c.middle_name, c.family_name, c.prefix, c.suffix, c.nickname,
            c.full_name, c.organization, c.title, c.birthday or "", c.note,
            " ::: ".join(["* myContacts", *c.tags]),
        ]  # fmt: skip
        for items, n in ((c.emails, n_email), (c.phones, n_phone)):
            for i in range(n):
                if i < len(items):
                    value, label, pref = items[i]
                    row += [_google_label(label, pref), value]
                else:
                    row += ["", ""]
        for i in range(n_addr):
            row += ["", c.addresses[i]] if i < len(c.addresses) else ["", ""]
        for i in range(n_web):
            row += ["", c.urls[i]] if i < len(c.urls) else ["", ""]
        for i in range(n_im):
            if i < len(c.handles):
                kind, value = c.handles[i]
                row += ["", kind.capitalize(), value]
            else:
                row += ["", "", ""]
        if n_event:
            row += ["Anniversary", c.anniversary] if c.anniversary else ["", ""]
        w.writerow(row)
    return buf.getvalue()
