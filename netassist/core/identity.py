"""Identity normalisation: one canonical string per way of reaching a person.

``normalize_identity(kind, value)`` is called by ingest for every identity of every imported
record, so the hot paths are cheap string work; phone parsing (phonenumbers is slow) is cached by
the raw string. Two identities with the same (kind, normalised value) are the same identity and
ingest merges them; ``weak_email_key`` is a *weaker* key (Gmail dots, +tags) that only ever
proposes a duplicate candidate.

Normalised forms:
  phone, whatsapp, signal-as-phone  "+79161234567" (E.164), or "raw:<digits>" for short codes
                                    and numbers phonenumbers rejects, when they have ≥ 5 digits
  email                             "ivan.petrov@пример.рф" (casefolded; IDNA domains decoded)
  telegram, vk, instagram, twitter, facebook, linkedin, skype, signal   the handle, casefolded
  url                               "https://example.com/Path" (scheme and host lower-case,
                                    no trailing slash, no fragment; "http" assumed when missing)
  name and unknown kinds            whitespace collapsed, casefolded
None means the value cannot identify anyone ("(Unknown)", "", "Deleted Account", garbage).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

_UNUSABLE = frozenset(
    {
        "", "unknown", "(unknown)", "<unknown>", "n/a", "na", "none", "null", "nil", "-", "--",
        "?", "deleted account", "deleted user", "удалённый аккаунт", "удаленный аккаунт",
        "неизвестно", "(неизвестно)", "нет", "no", "private number", "скрытый номер",
        "unknown caller", "anonymous", "аноним",
    }
)  # fmt: skip
_MAX_LEN = 320  # longest valid e-mail address; anything longer is not an identity


def _unusable(value: str) -> bool:
    return len(value) > _MAX_LEN or value.strip().casefold() in _UNUSABLE


# --- phones ----------------------------------------------------------------------------------

_NON_DIGITS = re.compile(r"\D+")
_PHONE_JUNK = re.compile(r"^(?:tel:|phone:|callto:|sms:|whatsapp:|wa\.me/|https?://wa\.me/)", re.I)
_LETTER_NOTES = re.compile(r"[(\[][^)\]]*[^\W\d_][^)\]]*[)\]]")
_EXTENSION = re.compile(r"(?:доб\.?|ext\.?|extension|x|#|,|;)\s*\d+\s*$", re.I)


@lru_cache(maxsize=65536)
def normalize_phone(value: str, default_region: str = "RU") -> str | None:
    """E.164 for a valid number ("8 (916) 123-45-67" → "+79161234567" in region RU).

    Numbers phonenumbers does not accept (short codes like "900", service numbers, garbage
    with digits) are kept as "raw:<digits>" when they have at least 5 digits, so "Сбербанк 900"
    still joins its own SMS thread but a stray "12" never becomes an identity; fewer digits or
    none give None. Extensions are dropped: an office switchboard is one identity.
    """
    return _normalize_phone(value, default_region)


# "+7 916 123-45-67", "+1 (212) 555-0100": a plus, ASCII digits and the usual separators.
_SIMPLE_INTL = re.compile(r" *\+[0-9 ().\-]+")
_INTL_PREFIX: dict[int, re.Pattern[str] | None] = {}
_KEEP_DIGITS = str.maketrans("", "", " ().-+")


def _fast_intl(digits: str) -> str | None:
    """phonenumbers' parse of "+<digits>" (the common shape of a stored number) answered
    without it, or None to let phonenumbers decide: the calling code is the shortest known
    prefix of one to three digits, and the rest is the national number as it stands when it
    has no leading zero and no national prefix the library would strip. Only a valid number
    is answered here; a test checks this against phonenumbers on many inputs."""
    if len(digits) < 4 or digits[0] == "0":
        return None
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    for n in (1, 2, 3):
        cc = int(digits[:n])
        if cc in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    nsn = digits[n:]
    if not 2 <= len(nsn) <= 17 or nsn[0] == "0":
        return None
    try:
        prefix = _INTL_PREFIX[cc]
    except KeyError:
        import phonenumbers

        md = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
            cc, phonenumbers.region_code_for_country_code(cc)
        )
        if md is None:
            return None
        npp = md.national_prefix_for_parsing
        prefix = _INTL_PREFIX[cc] = re.compile(npp) if npp else None
    if prefix is not None and prefix.match(nsn):
        return None  # the library may strip a national prefix here: let it
    return f"+{cc}{nsn}" if _valid(cc, nsn) else None


def _normalize_phone(value: str, default_region: str, fast: bool = True) -> str | None:
    """``normalize_phone`` uncached; ``fast=False`` always asks phonenumbers (for tests)."""
    import phonenumbers  # lazy: a heavy import

    if _unusable(value):
        return None
    if fast and _SIMPLE_INTL.fullmatch(value):  # nothing below would change it: skip to the end
        e164 = _fast_intl(value.translate(_KEEP_DIGITS))
        if e164 is not None:
            return e164
    s = _PHONE_JUNK.sub("", value.strip())
    s = s.split("@", 1)[0]  # WhatsApp JIDs: 79161234567@s.whatsapp.net
    s = _EXTENSION.sub("", s)
    s = re.split(r"[,;]", s, maxsplit=1)[0]  # "num1, num2" in one field: the first one
    s = _LETTER_NOTES.sub(" ", s)  # "(моб)", "[work]"
    digits = _NON_DIGITS.sub("", s)
    if not digits:
        return None
    explicit = s.lstrip().startswith("+")
    if not explicit and digits.startswith("00"):  # "00 44 …": the international prefix
        s, explicit = "+" + digits[2:], True
    if fast and explicit and _SIMPLE_INTL.fullmatch(s):
        e164 = _fast_intl(digits)
        if e164 is not None:
            return e164
    try:
        num = phonenumbers.parse(s, None if explicit else default_region)
    except phonenumbers.NumberParseException:
        num = None
    valid = num is not None and is_valid_number(num)
    if not valid:
        # Leftover words ("8-916-123-45-67 моб.") can make the parser give up; digits alone
        # carry the whole number.
        try:
            num = phonenumbers.parse(
                ("+" if explicit else "") + digits, None if explicit else default_region
            )
        except phonenumbers.NumberParseException:
            num = None
        valid = num is not None and is_valid_number(num)
    if num is not None and (valid or (explicit and phonenumbers.is_possible_number(num))):
        # An explicit "+country" number the metadata does not know yet (new ranges) is still
        # the writer's own statement of the country, so it is kept as E.164.
        return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    if len(digits) >= 5:
        return "raw:" + digits
    return None


# phonenumbers' is_valid_number, answered from the same metadata with fewer steps. The library
# checks a number against each number type in turn (premium, toll-free, ..., fixed line,
# mobile), looking every pattern up in its regex cache each time — about half of a big address
# book's import. Valid means "the general pattern matches and some type's pattern matches";
# which type does not matter here, so the type patterns that allow the number's length are
# joined into one alternation per (metadata, length) and matched once. The region of a
# multi-region calling code (+1, +7, +44...) is chosen exactly as the library does. A test
# checks this against phonenumbers.is_valid_number on every region's example numbers and
# their neighbours.
_TYPE_DESCS = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
    "voicemail", "fixed_line",
)  # fmt: skip


class _Validator:
    """Validity for one region's metadata (mirrors phonenumbers' _number_type_helper)."""

    __slots__ = ("general_lengths", "general", "types", "by_length")

    def __init__(self, md: Any) -> None:
        g = md.general_desc
        self.general_lengths = frozenset(g.possible_length) if g is not None else frozenset()
        self.general = _pattern(g)
        descs = [getattr(md, n) for n in _TYPE_DESCS]
        if not md.same_mobile_and_fixed_line_pattern:  # the library skips mobile then
            descs.append(md.mobile)
        self.types = [(frozenset(d.possible_length), d.national_number_pattern)
                      for d in descs if _pattern(d) is not None]  # fmt: skip
        self.by_length: dict[int, re.Pattern[str] | None] = {}

    def valid(self, nsn: str) -> bool:
        n = len(nsn)
        if self.general is None or (self.general_lengths and n not in self.general_lengths):
            return False
        if self.general.fullmatch(nsn) is None:
            return False
        try:
            rx = self.by_length[n]
        except KeyError:
            pats = [p for lengths, p in self.types if not lengths or n in lengths]
            rx = self.by_length[n] = (
                re.compile("|".join(f"(?:{p})" for p in pats)) if pats else None
            )
        return rx is not None and rx.fullmatch(nsn) is not None


def _pattern(desc: Any) -> re.Pattern[str] | None:
    if desc is None or not desc.national_number_pattern:
        return None
    if "(?" in desc.national_number_pattern.replace("(?:", ""):
        raise ValueError("unexpected regex syntax in phone metadata")  # never joined blindly
    return re.compile(desc.national_number_pattern)


_BY_CODE: dict[int, tuple[Any, tuple[tuple[str, re.Pattern[str] | None, _Validator], ...]]] = {}


def _candidates(cc: int) -> tuple[Any, tuple[tuple[str, re.Pattern[str] | None, _Validator], ...]]:
    """For a calling code: phonenumbers' functions used below and its regions in the library's
    order, each with its leading-digits regex (or None) and its validator; built once."""
    hit = _BY_CODE.get(cc)
    if hit is not None:
        return hit
    import phonenumbers
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    regions = []
    for rc in COUNTRY_CODE_TO_REGION_CODE.get(cc, ()):
        md = PhoneMetadata.metadata_for_region(rc.upper(), None)
        if md is None:
            continue
        lead = re.compile(md.leading_digits) if md.leading_digits is not None else None
        regions.append((rc, lead, _Validator(md)))
    hit = _BY_CODE[cc] = (phonenumbers, tuple(regions))
    return hit


def is_valid_number(num: Any) -> bool:
    """Exactly ``phonenumbers.is_valid_number(num)``, faster (see above)."""
    import phonenumbers

    return _valid(num.country_code, phonenumbers.national_significant_number(num))


def _valid(cc: int, nsn: str) -> bool:
    pn, regions = _candidates(cc)
    all_regions = pn.COUNTRY_CODE_TO_REGION_CODE.get(cc)
    if all_regions is None:
        return False
    region = None
    known_valid = False  # the region was chosen because its validator said so
    if len(all_regions) == 1:
        region = all_regions[0]
    else:  # phonenumbers' _region_code_for_number_from_list
        for rc, lead, validator in regions:
            if lead is not None:
                if lead.match(nsn):
                    region = rc
                    break
            elif validator.valid(nsn):
                region, known_valid = rc, True
                break
    if region is None:
        return False
    md = _region_metadata(cc, region)
    if md is None:
        return False
    for rc, _, validator in regions:
        if rc == region:
            return known_valid or validator.valid(nsn)
    # a non-geographic calling code (+800, +882...): its metadata is found by the code
    hit = _NON_GEO.get(cc)
    if hit is None or hit[0] is not md:
        hit = _NON_GEO[cc] = (md, _Validator(md))
    return hit[1].valid(nsn)


_NON_GEO: dict[int, tuple[Any, _Validator]] = {}
_REGION_MD: dict[tuple[int, str], Any] = {}


def _region_metadata(cc: int, region: str) -> Any:
    """The metadata phonenumbers validates a number of ``region`` with, or None when it
    would call the number invalid for its region alone (asked once per code and region)."""
    key = (cc, region)
    if key not in _REGION_MD:
        import phonenumbers as pn

        md = pn.PhoneMetadata.metadata_for_region_or_calling_code(cc, region.upper())
        if md is not None and region != "001" and cc != pn.country_code_for_valid_region(region):
            md = None  # "001": phonenumbers' REGION_CODE_FOR_NON_GEO_ENTITY
        _REGION_MD[key] = md
    return _REGION_MD[key]


# --- e-mail ----------------------------------------------------------------------------------

_ANGLE = re.compile(r"<([^<>]*)>")
_EMAIL_LOCAL = re.compile(r"^[^\s@<>()\[\],;:\"]+$")


@lru_cache(maxsize=4096)
def _decode_domain(domain: str) -> str | None:
    labels = domain.strip(".").split(".")
    out: list[str] = []
    for label in labels:
        if not label:
            return None
        if label[:4].lower() == "xn--":
            try:
                label = label.lower().encode("ascii").decode("idna")
            except (UnicodeError, ValueError):
                return None
        out.append(label)
    if len(out) < 2 or any(c.isspace() or c in '@<>()[],;:"/\\' for c in domain):
        return None
    return ".".join(out).casefold()


@lru_cache(maxsize=65536)
def normalize_email(value: str) -> str | None:
    """Casefolded address with IDNA domains decoded; "Name <a@b>" and "mailto:a@b?subject=x"
    are unwrapped. Local parts are casefolded too: real providers ignore case and people type
    it at random, the rare case-sensitive mailbox is not worth split contacts."""
    if _unusable(value):
        return None
    s = value.strip()
    m = _ANGLE.search(s)
    if m:
        s = m.group(1).strip()
    if s[:7].casefold() == "mailto:":
        s = s[7:]
    s = s.split("?", 1)[0].strip().strip("'\"").strip()
    local, at, domain = s.rpartition("@")
    if not at or not local or not _EMAIL_LOCAL.match(local):
        return None
    dom = _decode_domain(domain)
    if dom is None:
        return None
    return f"{local.casefold()}@{dom}"


# Providers that deliver "name+anything@" to "name@".
_PLUS_PROVIDERS = frozenset(
    {
        "gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com",
        "me.com", "mac.com", "fastmail.com", "fastmail.fm", "proton.me", "protonmail.com",
        "pm.me", "yandex.ru", "yahoo.com", "zoho.com", "gmx.com", "gmx.de", "rambler.ru",
    }
)  # fmt: skip
_YANDEX = frozenset(
    {"yandex.ru", "ya.ru", "yandex.com", "yandex.by", "yandex.kz", "yandex.ua", "narod.ru"}
)


def weak_email_key(email: str) -> str | None:
    """A looser key under which two addresses probably reach the same mailbox.

    Gmail ignores dots and "+tag" and googlemail.com is gmail.com; Yandex domains are aliases
    of one another and treat "-" and "." alike; common providers drop "+tag". The key is for
    *candidates* only: ingest must not merge on it (a company may reuse "+tag" mailboxes).
    For addresses no rule touches, the key equals the normalised address.
    """
    norm = normalize_email(email)
    if norm is None:
        return None
    return weak_key_of_normalized(norm)


def weak_key_of_normalized(norm: str) -> str | None:
    """``weak_email_key`` of an address already normalised by ``normalize_email``."""
    local, _, domain = norm.rpartition("@")
    if domain == "googlemail.com":
        domain = "gmail.com"
    elif domain in _YANDEX:
        domain = "yandex.ru"
        local = local.replace("-", ".")
    if domain in _PLUS_PROVIDERS:
        local = local.split("+", 1)[0]
    if domain == "gmail.com":
        local = local.replace(".", "")
    return f"{local}@{domain}" if local else None


# --- handles and URLs ------------------------------------------------------------------------

_HANDLE_OK = re.compile(r"^[\w.\-]{1,100}$")
_HOSTS = {
    "telegram": ("t.me", "telegram.me", "telegram.dog"),
    "vk": ("vk.com", "vk.ru", "vkontakte.ru"),
    "instagram": ("instagram.com", "instagr.am"),
    "twitter": ("twitter.com", "x.com"),
    "facebook": ("facebook.com", "fb.com", "fb.me"),
    "linkedin": ("linkedin.com",),
}
_NOT_PEOPLE = frozenset({"joinchat", "share", "addstickers", "c", "s", "pages", "groups", "p"})


def _path_handle(value: str, kind: str) -> str | None:
    """The handle inside a profile URL, or the bare value when it is not a URL."""
    s = value.strip()
    hosts = _HOSTS.get(kind, ())
    low = s.casefold()
    if kind == "telegram" and low.startswith("tg://resolve?domain="):
        return s[len("tg://resolve?domain=") :].split("&", 1)[0]
    if "/" in s or any(h in low for h in hosts):
        url = s if "://" in s else "https://" + s
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
        if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
            return None
        segs = [unquote(x) for x in parts.path.split("/") if x]
        if kind == "facebook" and segs[:1] == ["profile.php"]:
            ids = [q[3:] for q in parts.query.split("&") if q.startswith("id=")]
            return ids[0] if ids else None
        if kind == "linkedin" and len(segs) >= 2 and segs[0] in ("in", "pub"):
            return segs[1]
        if not segs or segs[0].casefold() in _NOT_PEOPLE or segs[0].startswith("+"):
            return None
        return segs[0]
    return s


@lru_cache(maxsize=65536)
def _normalize_handle(kind: str, value: str) -> str | None:
    h = _path_handle(value, kind)
    if h is None:
        return None
    h = h.strip().lstrip("@").casefold()
    if kind == "skype":
        h = h.removeprefix("skype:").split("?", 1)[0]  # "skype:name?call"
        return h if h and re.fullmatch(r"[\w.,:\-]{2,100}", h) else None
    return h if _HANDLE_OK.match(h) else None


# "scheme:rest" with no "//": an IM/contact URI (vCard IMPP, X-JABBER...), not a web address
_OPAQUE_URI = re.compile(r"([a-z][a-z0-9+\-]*):(?!//)(.+)", re.I)
_IM_SCHEMES = frozenset(
    {"xmpp", "jabber", "icq", "aim", "msnim", "ymsgr", "gtalk", "irc", "ircs", "im", "sip", "sips",
     "tel", "mailto", "mrim", "qq", "wechat", "weixin", "line", "matrix", "discord", "slack"}
)  # fmt: skip


def normalize_url(value: str) -> str | None:
    s = value.strip()
    if not s or any(c.isspace() for c in s):
        return None
    m = _OPAQUE_URI.fullmatch(s)
    if m and m.group(1).casefold() not in ("http", "https"):
        port_like = re.match(r"\d+(?:[/?#]|$)", m.group(2))
        if m.group(1).casefold() in _IM_SCHEMES or not port_like:
            # "xmpp:anna@jabber.ru" stays whole: read as http://, its host would be the
            # provider's, shared by every user there ("host:8080" is still a web address)
            return s.casefold()
    if "://" not in s:
        s = "http://" + s
    try:
        parts = urlsplit(s)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if not host or "." not in host and host != "localhost":
        return None
    dom = _decode_domain(host) if "." in host else host
    if dom is None:
        return None
    scheme = parts.scheme.casefold()
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = dom if port is None or port == default_port else f"{dom}:{port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{path}{query}"


# --- entry points ----------------------------------------------------------------------------

_PHONE_LIKE = re.compile(r"^\+?[\d\s()\-.]{5,}$")


def normalize_identity(kind: str, value: str, default_region: str = "RU") -> str | None:
    """Canonical form of one identity (see the module docstring), None when unusable."""
    if not value or _unusable(value):
        return None
    if kind in ("phone", "whatsapp"):
        return normalize_phone(value, default_region)
    if kind == "email":
        return normalize_email(value)
    if kind == "signal" and _PHONE_LIKE.match(value.strip()):
        return normalize_phone(value, default_region)
    if kind in ("telegram", "vk", "instagram", "twitter", "facebook", "linkedin", "skype"):
        return _normalize_handle(kind, value)
    if kind == "signal":
        return _normalize_handle(kind, value)
    if kind == "url":
        return normalize_url(value)
    out = " ".join(value.split()).casefold()
    return out or None


_DISPLAY_PREFIX = {
    "telegram": "@",
    "instagram": "@",
    "twitter": "@",
    "vk": "vk.com/",
    "facebook": "facebook.com/",
    "linkedin": "linkedin.com/in/",
}


def identity_display(kind: str, normalized: str) -> str:
    """How a normalised identity is shown to a person (phones in international format)."""
    if normalized.startswith("raw:"):
        return normalized[4:]
    if kind in ("phone", "whatsapp", "signal") and normalized.startswith("+"):
        return _phone_display(normalized)
    prefix = _DISPLAY_PREFIX.get(kind)
    return prefix + normalized if prefix else normalized


@lru_cache(maxsize=8192)
def _phone_display(e164: str) -> str:
    import phonenumbers

    try:
        num = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
