"""Field-level helpers shared by the address-book importers (vCard, CSV): dates in every shape
address books write them, social handles from URLs / IMPP / X- properties, phone/e-mail labels,
display-name fallbacks and stable source keys."""

from __future__ import annotations

import calendar
import dataclasses
import hashlib
import re
from datetime import date

from netassist.importers.records import IdentityRef, ImportedContact


class BadDate(ValueError):
    """A date value that is not a date ("--13-40", "yesterday")."""


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6,
    "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip

_ISO_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ][\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
_NOYEAR_RE = re.compile(r"--(\d{2})-?(\d{2})(?:T[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
_PARTIAL_RE = re.compile(r"\d{4}(?:-\d{2})?|---\d{2}|--\d{2}")
_NUMERIC_RE = re.compile(r"(\d{1,4})([./-])(\d{1,2})(?:\2(\d{2,4}))?\.?")
_WORDS_RE = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?(?:\s+(\d{4}))?(?:\s*г\.?)?")
_WORDS_US_RE = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?(?:\s+(\d{4}))?")
# Years that mean "year unknown": Apple's X-APPLE-OMIT-YEAR default and zero years.
_NO_YEARS = {1604, 0, 1}
_PLAUSIBLE_YEARS = (1800, 2200)


def _valid(y: int | None, m: int, d: int) -> str | None:
    if not 1 <= m <= 12:
        raise BadDate(f"month {m}")
    leap_year = 2000 if y is None else y
    if not 1 <= d <= calendar.monthrange(max(leap_year, 1), m)[1]:
        raise BadDate(f"day {d}")
    if y is not None and not _PLAUSIBLE_YEARS[0] <= y <= _PLAUSIBLE_YEARS[1]:
        return None  # placeholders: Evolution's 1000-01-01, Outlook's 4501-01-01 ("none")
    if y is None:
        return f"--{m:02d}-{d:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _year(y: int | None, omit_year: int | None) -> int | None:
    if y is None or y in _NO_YEARS or (omit_year is not None and y == omit_year):
        return None
    return y


def _two_digit_year(y: int) -> int:
    if y >= 100:
        return y
    this = date.today().year % 100
    return 2000 + y if y <= this else 1900 + y


# A time of day after a date: LinkedIn's "1/8/18, 6:14 PM", Outlook/Excel's "4/14/1980 0:00:00"
_TIME_TAIL_RE = re.compile(
    r"(.*?\d)\.?(?:,\s*|\s+)\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
)


def date_part(raw: str) -> str:
    """The value without a time of day written after the date."""
    s = raw.strip()
    if ":" in s and (m := _TIME_TAIL_RE.fullmatch(s)):
        return m.group(1)
    return s


def parse_date(raw: str, omit_year: int | None = None, day_first: bool = True) -> str | None:
    """Normalise a birthday/anniversary to "YYYY-MM-DD" or "--MM-DD".

    Returns None for valid values that carry no day (vCard 4.0 "1980", "---14", Outlook's
    empty "0/0/00"); raises BadDate for values that are not dates at all. ``day_first``
    resolves "04/05/1980" (day first everywhere but the US).
    """
    s = date_part(raw)
    if not s:
        return None
    if m := _ISO_RE.fullmatch(s):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _valid(_year(y, omit_year), mo, d)
    if m := _NOYEAR_RE.fullmatch(s):
        return _valid(None, int(m.group(1)), int(m.group(2)))
    if _PARTIAL_RE.fullmatch(s):
        return None
    if m := _NUMERIC_RE.fullmatch(s):
        a, sep, b, c = m.group(1), m.group(2), m.group(3), m.group(4)
        if len(a) == 4:  # 1980/04/14
            if c is None:
                raise BadDate(s)
            return _valid(_year(int(a), omit_year), int(b), int(c))
        if c is not None and int(a) == 0 and int(b) == 0:
            return None  # Outlook's "0.0.00" / "0/0/00"
        x, z = int(a), int(b)
        if sep == "." or x > 12:
            d, mo = x, z
        elif z > 12:
            mo, d = x, z
        else:
            d, mo = (x, z) if day_first else (z, x)
        y = _two_digit_year(int(c)) if c is not None else None
        return _valid(_year(y, omit_year), mo, d)
    if m := _WORDS_RE.fullmatch(s):
        mo = _MONTHS.get(m.group(2)[:3].lower())
        if mo is None:
            raise BadDate(s)
        y = int(m.group(3)) if m.group(3) else None
        return _valid(_year(y, omit_year), mo, int(m.group(1)))
    if m := _WORDS_US_RE.fullmatch(s):
        mo = _MONTHS.get(m.group(1)[:3].lower())
        if mo is None:
            raise BadDate(s)
        y = int(m.group(3)) if m.group(3) else None
        return _valid(_year(y, omit_year), mo, int(m.group(2)))
    raise BadDate(s)


# --- identities -------------------------------------------------------------------------

_SOCIAL_HOSTS = {
    "t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
    "wa.me": "whatsapp", "api.whatsapp.com": "whatsapp",
    "vk.com": "vk", "m.vk.com": "vk", "vkontakte.ru": "vk", "vk.ru": "vk",
    "facebook.com": "facebook", "m.facebook.com": "facebook", "fb.com": "facebook",
    "instagram.com": "instagram", "twitter.com": "twitter", "x.com": "twitter",
    "linkedin.com": "linkedin", "skype.com": "skype",
}  # fmt: skip
_URL_RE = re.compile(r"(?:https?://)?(?:www\.)?([^/\s?#]+)/*([^?#\s]*)", re.I)

# IMPP schemes and X- property names → identity kinds (None: not worth keeping).
SCHEME_KINDS = {
    "telegram": "telegram", "tg": "telegram", "skype": "skype", "callto": "skype",
    "whatsapp": "whatsapp", "vk": "vk", "facebook": "facebook", "fb": "facebook",
    "instagram": "instagram", "twitter": "twitter", "signal": "signal", "sgnl": "signal",
    "linkedin": "linkedin",
}  # fmt: skip
SERVICE_KINDS = {
    "telegram": "telegram", "whatsapp": "whatsapp", "skype": "skype", "vk": "vk",
    "vkontakte": "vk", "facebook": "facebook", "messenger": "facebook", "instagram": "instagram",
    "twitter": "twitter", "x": "twitter", "signal": "signal", "linkedin": "linkedin",
}  # fmt: skip
X_PROP_KINDS = {
    "X-TELEGRAM": "telegram", "X-TELEGRAM-USERNAME": "telegram", "X-WHATSAPP": "whatsapp",
    "X-VK": "vk", "X-VKONTAKTE": "vk", "X-SKYPE": "skype", "X-SKYPE-USERNAME": "skype",
    "X-MS-IMADDRESS": None, "X-TWITTER": "twitter", "X-INSTAGRAM": "instagram",
    "X-FACEBOOK": "facebook", "X-LINKEDIN": "linkedin", "X-SIGNAL": "signal",
    "X-JABBER": "xmpp", "X-GOOGLE-TALK": "xmpp", "X-GTALK": "xmpp",
    "X-ICQ": "icq", "X-AIM": "aim", "X-MSN": "msnim", "X-YAHOO": "ymsgr",
}  # fmt: skip


def handle_from_url(url: str) -> tuple[str, str] | None:
    """(kind, handle) for a profile URL of a known network: "https://t.me/ivan" → telegram ivan."""
    m = _URL_RE.match(url.strip())
    if not m:
        return None
    host = m.group(1).lower()
    kind = _SOCIAL_HOSTS.get(host)
    if kind is None:
        return None
    path = [p for p in m.group(2).split("/") if p]
    if kind == "linkedin":
        return ("linkedin", url.strip()) if path else None
    if kind == "whatsapp" and path and path[0] == "send":
        return None
    if not path or path[0] in ("share", "joinchat", "+", "s", "c"):
        return None
    handle = path[0].lstrip("@")
    if kind == "facebook" and handle == "profile.php":
        return None
    return (kind, handle) if handle else None


def impp_identity(value: str, service: str | None = None) -> tuple[str, str] | None:
    """(kind, value) for an IMPP URI ("telegram:ivan", "xmpp:a@b", "x-apple:ivan" with
    X-SERVICE-TYPE=Telegram). Unknown services are kept as kind "url"."""
    v = value.strip()
    if not v:
        return None
    scheme, colon, rest = v.partition(":")
    scheme_l = scheme.lower()
    if not colon or " " in scheme:
        scheme_l, rest = "", v
    rest = rest.lstrip("/")
    svc = SERVICE_KINDS.get((service or "").strip().lower())
    if scheme_l == "tg" and "domain=" in rest:
        rest = rest.split("domain=", 1)[1].split("&", 1)[0]
    if scheme_l in ("http", "https"):
        return handle_from_url(v) or ("url", v)
    kind = SCHEME_KINDS.get(scheme_l) or svc
    if kind:
        handle = rest.split("?", 1)[0].lstrip("@")
        return (kind, handle) if handle else None
    if scheme_l == "sip":
        return None
    return ("url", v if scheme_l else f"{(service or 'im').lower()}:{v}")


def x_prop_identity(name: str, value: str) -> tuple[str, str] | None:
    """(kind, value) for X-TELEGRAM:@ivan, X-SKYPE:ivan, X-JABBER:a@b ..."""
    kind = X_PROP_KINDS.get(name, "")
    v = value.strip()
    if not kind or not v:
        return None
    if v.lower().startswith(("http://", "https://")) or "/" in v:
        found = handle_from_url(v)
        if found:
            return found
    if kind in ("xmpp", "icq", "aim", "msnim", "ymsgr"):
        return ("url", f"{kind}:{v}")
    return (kind, v.lstrip("@"))


# --- labels ---------------------------------------------------------------------------

_IGNORED_TYPES = frozenset(
    {
        "internet",
        "voice",
        "pref",
        "x400",
        "msg",
        "text",
        "postal",
        "parcel",
        "dom",
        "intl",
        "encoding",
        "charset",
    }
)
_TYPE_ALIASES = {
    "mobile": "cell",
    "iphone": "cell",
    "cellular": "cell",
    "main": "main",
    "homepage": "homepage",
}
_AB_LABEL_RE = re.compile(r"_\$!<(.*)>!\$_")


def label_of(types: list[str], ab_label: str | None = None) -> str | None:
    """A short label from vCard TYPEs ("work fax") or an Apple X-ABLabel ("_$!<Mobile>!$_")."""
    if ab_label:
        m = _AB_LABEL_RE.fullmatch(ab_label)
        lab = (m.group(1) if m else ab_label).strip().lower()
        return _TYPE_ALIASES.get(lab, lab) or None
    kept = [_TYPE_ALIASES.get(t, t) for t in types if t not in _IGNORED_TYPES]
    if not kept:
        return None
    return " ".join(dict.fromkeys(kept))


# --- names and keys ---------------------------------------------------------------------

_ANGLE_EMAIL_RE = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def clean_email(value: str) -> str:
    """'"Omega" <omega@example.com>' → 'omega@example.com'; 'mailto:' dropped."""
    v = value.strip()
    if "<" in v and (m := _ANGLE_EMAIL_RE.search(v)):
        v = m.group(1)
    if v[:7].lower() == "mailto:":
        v = v[7:]
    return v.strip()


def compose_name(prefix: str, given: str, middle: str, family: str, suffix: str) -> str:
    """The name from its parts; "" when there is no given, middle or family name ("Mr." alone,
    "Dr. Jr." is a courtesy title, not a name)."""
    if not (given or middle or family):
        return ""
    return " ".join(p for p in (prefix, given, middle, family, suffix) if p)


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def content_key(kind_prefix: str, full_name: str, identities: tuple[IdentityRef, ...]) -> str:
    """A stable key for a record without its own id: normalised name + sorted identities, so
    re-importing the same card (even from another file, in another order) gives the same key."""
    ids = sorted({f"{i.kind}:{_norm(i.value)}" for i in identities})
    digest = hashlib.sha1(
        "\x1f".join([_norm(full_name), *ids]).encode("utf-8"), usedforsecurity=False
    ).hexdigest()
    return f"{kind_prefix}:{digest[:24]}"


class DistinctKeys:
    """Content keys made distinct inside one file. Two records with one name and the same (or
    no) identities share a content key; when their other fields differ they are two people (two
    "John Doe" with no phone, one at Acme): the second gets "key#2", the third "key#3", in file
    order, so a re-import gives each the same key again. A record repeated word for word keeps
    the key of its first copy; the first of each name keeps the plain key (stored books match)."""

    def __init__(self) -> None:
        self._seen: dict[str, list[bytes]] = {}  # key → digests of the distinct records

    def __call__(self, contact: ImportedContact) -> ImportedContact:
        key = contact.source_key
        if key.startswith("uid:"):  # a card's own id: the same id is the same card
            return contact
        body = hashlib.sha1(
            repr(dataclasses.replace(contact, source_key="", where="")).encode("utf-8", "replace"),
            usedforsecurity=False,
        ).digest()
        bodies = self._seen.setdefault(key, [])
        if body in bodies:
            n = bodies.index(body)
        else:
            n = len(bodies)
            bodies.append(body)
        return contact if n == 0 else dataclasses.replace(contact, source_key=f"{key}#{n + 1}")
