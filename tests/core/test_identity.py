"""Identity normalisation: phones, e-mail, handles, URLs, and what counts as unusable."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netassist.core.identity import (
    identity_display,
    normalize_identity,
    normalize_phone,
    weak_email_key,
)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("8 (916) 123-45-67", "RU", "+79161234567"),  # Russian trunk prefix 8
        ("89161234567", "RU", "+79161234567"),
        ("+7 916 123 45 67", "RU", "+79161234567"),
        ("+7(916)123-45-67", "RU", "+79161234567"),
        ("7 916 123-45-67", "RU", "+79161234567"),
        ("9161234567", "RU", "+79161234567"),
        ("tel:+7-916-123-45-67", "RU", "+79161234567"),
        ("+7 (495) 123-45-67 доб. 123", "RU", "+74951234567"),  # extension dropped
        ("8 800 555-35-35", "RU", "+78005553535"),
        ("020 7946 0958", "GB", "+442079460958"),  # national number with its region
        ("(212) 555-0123", "US", "+12125550123"),
        ("+1 202-555-0143", "RU", "+12025550143"),  # explicit country beats the region
        ("00 44 20 7946 0958", "RU", "+442079460958"),  # 00 international prefix
        ("+380 44 123 4567", "RU", "+380441234567"),
        ("+44 (0) 20 7946 0958", "RU", "+442079460958"),
        ("8-916-123-45-67 (моб)", "RU", "+79161234567"),  # a note in brackets
        ("8-916-123-45-67 моб.", "RU", "+79161234567"),
        ("+7 916 123 45 67, +7 916 000 00 00", "RU", "+79161234567"),  # two in one field
    ],
)
def test_phone_to_e164(raw: str, region: str, expected: str) -> None:
    assert normalize_identity("phone", raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("900", None),  # short code with < 5 digits: not an identity
        ("12", None),
        ("12345", "raw:12345"),  # short service number: kept digits-only
        ("+7 900", None),
        ("(Unknown)", None),
        ("", None),
        ("no digits here", None),
        ("x" * 5000, None),
    ],
)
def test_phone_invalid_and_short(raw: str, expected: str | None) -> None:
    assert normalize_identity("phone", raw) == expected


def test_phone_cache_keyed_by_region() -> None:
    assert normalize_phone("020 7946 0958", "GB") == "+442079460958"
    assert normalize_phone("020 7946 0958", "RU") != "+442079460958"


def test_whatsapp_is_a_phone() -> None:
    assert normalize_identity("whatsapp", "79161234567@s.whatsapp.net") == "+79161234567"
    assert normalize_identity("whatsapp", "https://wa.me/79161234567") == "+79161234567"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ivan.Petrov@Example.COM", "ivan.petrov@example.com"),
        ("  ivan@example.com  ", "ivan@example.com"),
        ("mailto:IVAN@example.com?subject=hi", "ivan@example.com"),
        ("Иван Петров <Ivan@Example.com>", "ivan@example.com"),
        ("ivan@xn--e1afmkfd.xn--p1ai", "ivan@пример.рф"),  # IDNA decoded
        ("IVAN@XN--E1AFMKFD.XN--P1AI", "ivan@пример.рф"),
        ("ivan@example.com.", "ivan@example.com"),
        ("Иван@Пример.РФ", "иван@пример.рф"),
        ("not an email", None),
        ("a@b", None),
        ("a@@b.com", None),
        ("@example.com", None),
        ("(Unknown)", None),
    ],
)
def test_email(raw: str, expected: str | None) -> None:
    assert normalize_identity("email", raw) == expected


def test_gmail_dots_and_tags_are_only_a_weak_key() -> None:
    a, b = "Ivan.Petrov+news@googlemail.com", "ivanpetrov@gmail.com"
    assert normalize_identity("email", a) != normalize_identity("email", b)
    assert weak_email_key(a) == weak_email_key(b) == "ivanpetrov@gmail.com"


def test_weak_key_rules_per_provider() -> None:
    assert weak_email_key("ivan-petrov+x@ya.ru") == weak_email_key("ivan.petrov@yandex.ru")
    assert weak_email_key("a.b+c@outlook.com") == "a.b@outlook.com"  # dots matter off Gmail
    assert weak_email_key("a.b+c@corp.example") == "a.b+c@corp.example"  # unknown provider
    assert weak_email_key("garbage") is None


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("telegram", "@Durov", "durov"),
        ("telegram", "https://t.me/Durov", "durov"),
        ("telegram", "t.me/durov", "durov"),
        ("telegram", "tg://resolve?domain=Durov", "durov"),
        ("telegram", "user123", "user123"),
        ("telegram", "t.me/joinchat/AAAA", None),
        ("vk", "vk.com/id123", "id123"),
        ("vk", "https://vk.com/durov", "durov"),
        ("vk", "https://m.vk.com/Durov?w=wall1_2", "durov"),
        ("vk", "https://example.com/durov", None),
        ("instagram", "https://www.instagram.com/nasa/", "nasa"),
        ("instagram", "@NASA", "nasa"),
        ("twitter", "https://x.com/Jack", "jack"),
        ("twitter", "twitter.com/jack/status/20", "jack"),
        ("facebook", "https://www.facebook.com/profile.php?id=100004", "100004"),
        ("facebook", "fb.com/zuck", "zuck"),
        ("linkedin", "https://www.linkedin.com/in/ivan-petrov-12345/", "ivan-petrov-12345"),
        ("linkedin", "https://www.linkedin.com/in/%D0%B8%D0%B2%D0%B0%D0%BD/", "иван"),
        ("skype", "skype:Ivan.Petrov?call", "ivan.petrov"),
        ("skype", "live:.cid.abc123", "live:.cid.abc123"),
        ("signal", "+7 916 123-45-67", "+79161234567"),
        ("url", "HTTPS://Example.COM/Path/", "https://example.com/Path"),
        ("url", "example.com", "http://example.com"),
        ("url", "http://xn--e1afmkfd.xn--p1ai:80/", "http://пример.рф"),
        ("url", "not a url", None),
        # IM addresses kept as "url" (vCard IMPP / X-JABBER): the host is the provider's, shared
        # by all its users, so it must not become "http://jabber.ru" (that merged strangers)
        ("url", "xmpp:Anna@Jabber.ru", "xmpp:anna@jabber.ru"),
        ("url", "myIM:anonymous@example.com", "myim:anonymous@example.com"),
        ("url", "icq:123456789", "icq:123456789"),
        ("url", "localhost:8080/admin", "http://localhost:8080/admin"),
        ("url", "example.com:8080", "http://example.com:8080"),
        ("name", "  Иван   ПЕТРОВ ", "иван петров"),
        ("telegram", "Deleted Account", None),
    ],
)
def test_handles_and_urls(kind: str, raw: str, expected: str | None) -> None:
    assert normalize_identity(kind, raw) == expected


def test_display() -> None:
    assert identity_display("phone", "+79161234567") == "+7 916 123-45-67"
    assert identity_display("phone", "raw:12345") == "12345"
    assert identity_display("telegram", "durov") == "@durov"
    assert identity_display("vk", "id123") == "vk.com/id123"
    assert identity_display("email", "a@b.ru") == "a@b.ru"


KINDS = ["phone", "email", "telegram", "whatsapp", "vk", "facebook", "instagram", "signal",
         "skype", "twitter", "linkedin", "url", "name", "other"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KINDS), st.text(max_size=400))
def test_never_crashes_on_hostile_input(kind: str, value: str) -> None:
    out = normalize_identity(kind, value)
    assert out is None or (isinstance(out, str) and out)


def _numbers_near_every_example() -> list[object]:
    """Every region's (and every non-geographic code's) example numbers from phonenumbers'
    own metadata, each with neighbours one edit away: a digit changed, dropped or added."""
    import random

    import phonenumbers
    from phonenumbers import PhoneMetadata

    rng = random.Random(7)
    metas = [PhoneMetadata.metadata_for_region(r) for r in sorted(phonenumbers.SUPPORTED_REGIONS)]
    metas += [
        PhoneMetadata.metadata_for_nongeo_region(c)
        for c in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)
    ]
    descs = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
             "voip", "pager", "uan", "voicemail")  # fmt: skip
    nums = []
    for md in metas:
        if md is None:
            continue
        for name in descs:
            desc = getattr(md, name)
            ex = desc.example_number if desc is not None else None
            if not ex:
                continue
            variants = {ex, ex[:-1], ex + rng.choice("0123456789"), "0" + ex}
            for _ in range(4):
                i = rng.randrange(len(ex))
                variants.add(ex[:i] + rng.choice("0123456789") + ex[i + 1 :])
            for v in variants:
                with contextlib.suppress(phonenumbers.NumberParseException):
                    nums.append(phonenumbers.parse(f"+{md.country_code}{v}", None))
    for _ in range(3000):  # and plain random digit strings after a "+"
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 15)))
        with contextlib.suppress(phonenumbers.NumberParseException):
            nums.append(phonenumbers.parse("+" + digits, None))
    return nums


def test_fast_validity_is_exactly_phonenumbers() -> None:
    """``identity.is_valid_number`` answers phonenumbers' question from the same metadata with
    fewer steps; on tens of thousands of numbers, valid and invalid, it agrees every time."""
    import phonenumbers

    from netassist.core.identity import is_valid_number

    nums = _numbers_near_every_example()
    assert len(nums) > 10_000
    expected = [phonenumbers.is_valid_number(n) for n in nums]
    assert 0.2 < sum(expected) / len(expected) < 0.9  # both answers are well represented
    wrong = [phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
             for n, e in zip(nums, expected, strict=True) if is_valid_number(n) != e]  # fmt: skip
    assert wrong == []


def test_fast_international_phones_are_exactly_phonenumbers() -> None:
    """``normalize_phone`` answers "+<code> <number>" shapes without phonenumbers' parse when it
    can; on every region's example numbers, their neighbours, national prefixes and zeros after
    the code, random digits and random separators, it gives exactly what phonenumbers gives."""
    import random

    import phonenumbers
    from phonenumbers import PhoneMetadata

    from netassist.core.identity import _fast_intl, _normalize_phone

    rng = random.Random(11)
    metas = [PhoneMetadata.metadata_for_region(r) for r in sorted(phonenumbers.SUPPORTED_REGIONS)]
    metas += [
        PhoneMetadata.metadata_for_nongeo_region(c)
        for c in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)
    ]
    raw: list[str] = []
    for md in metas:
        if md is None:
            continue
        for name in ("fixed_line", "mobile", "toll_free", "premium_rate", "voip", "uan"):
            desc = getattr(md, name)
            ex = desc.example_number if desc is not None else None
            if not ex:
                continue
            prefix = md.national_prefix or "0"
            variants = {ex, ex[:-1], ex + rng.choice("0123456789"), "0" + ex, prefix + ex}
            for _ in range(3):
                i = rng.randrange(len(ex))
                variants.add(ex[:i] + rng.choice("0123456789") + ex[i + 1 :])
            raw += [f"{md.country_code}{v}" for v in variants]
    raw += ["".join(rng.choice("0123456789") for _ in range(rng.randint(3, 18)))
            for _ in range(3000)]  # fmt: skip

    def shaped(digits: str) -> str:
        out = "+" if rng.random() < 0.9 else "00"
        for i, d in enumerate(digits):
            if i and rng.random() < 0.25:
                out += rng.choice([" ", "-", ".", " (", ") ", "-"])
            out += d
        return out

    inputs = [shaped(d) for d in raw] + ["+" + d for d in raw]
    fast = 0
    wrong = []
    for s in inputs:
        digits = "".join(c for c in s if c.isdigit())
        digits = digits[2:] if s.startswith("00") else digits
        fast += _fast_intl(digits) is not None
        for region in ("RU", "US"):
            if _normalize_phone(s, region) != _normalize_phone(s, region, fast=False):
                wrong.append((s, region))
    assert wrong == []
    assert fast > len(inputs) // 5  # the fast path answered a good share of them
