"""Header decoding: RFC 2047 in many charsets, raw 8-bit headers, broken encodings, addresses."""

from __future__ import annotations

import base64

import pytest

from netassist.importers.email_headers import (
    addresses,
    ctype_params,
    header_str,
    msg_ids,
    parse_date,
    parse_envelope_date,
    parse_headers,
    split_head_body,
)
from netassist.importers.email_text import decode_bytes, guess_cyrillic, repair_mojibake


def _b(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


@pytest.mark.parametrize("charset", ["utf-8", "windows-1251", "koi8-r"])
def test_rfc2047_cyrillic_charsets(charset: str) -> None:
    assert header_str(f"Re: {_b('Счёт на оплату', charset)}".encode()) == "Re: Счёт на оплату"


def test_iso_2022_jp() -> None:
    raw = b"=?ISO-2022-JP?B?GyRCRnxLXDhsJWEhPCVrJUYlOSVIGyhCICh0ZXN0aW5nIEph?=\n =?ISO-2022-JP?B?cGFuZXNlIGVtYWlscyk=?="
    assert header_str(raw) == "日本語メールテスト (testing Japanese emails)"


def test_utf8_character_split_between_encoded_words() -> None:
    # CPython #128110: policy.default decodes this From as 'Ан\ufffd \ufffdа Смирнова'.
    raw = "Анна Смирнова".encode()
    split = f"=?UTF-8?B?{base64.b64encode(raw[:5]).decode()}?= =?UTF-8?B?{base64.b64encode(raw[5:]).decode()}?="
    assert header_str(split.encode()) == "Анна Смирнова"
    assert addresses([f"{split} <anna@example.ru>".encode()]) == [
        ("Анна Смирнова", "anna@example.ru")
    ]


def test_q_encoding_underscores_and_adjacent_words() -> None:
    raw = b"=?UTF-8?Q?=D0=90=D0=BD=D0=BD=D0=B0?= =?UTF-8?Q?_=D0=A1=D0=BC?= and text"
    assert header_str(raw) == "Анна См and text"


@pytest.mark.parametrize("charset", ["utf-8", "cp1251", "koi8-r"])
def test_raw_8bit_headers(charset: str) -> None:
    # compat32 turns these into Header objects of unknown-8bit; we guess the charset.
    head = "From: Иван Петров <ivan@example.ru>\nSubject: Привет, как дела?\n".encode(charset)
    h = parse_headers(head)
    assert header_str(h["subject"][0]) == "Привет, как дела?"
    assert addresses(h["from"]) == [("Иван Петров", "ivan@example.ru")]


def test_wrong_declared_charset_is_repaired() -> None:
    # UTF-8 bytes labelled ISO-8859-1, and UTF-8 decoded as Latin-1 upstream (mojibake).
    assert header_str(_b("Привет", "utf-8").replace("utf-8", "iso-8859-1").encode()) == "Привет"
    assert repair_mojibake("Привет".encode().decode("latin-1")) == "Привет"
    assert repair_mojibake("Привет".encode().decode("cp1251")) == "Привет"
    assert repair_mojibake("Café au lait") == "Café au lait"


def test_truncated_utf8_is_not_taken_for_cp1251() -> None:
    data = "Юникод запрещен".encode() + b"\xf1"
    assert decode_bytes(data) == "Юникод запрещен"


def test_cyrillic_guess() -> None:
    text = "съешь же ещё этих мягких французских булок"
    assert guess_cyrillic(text.encode("cp1251")) == "cp1251"
    assert guess_cyrillic(text.encode("koi8-r")) == "koi8-r"
    assert decode_bytes(text.encode("koi8-r"), "unknown-8bit") == text


def test_unknown_charset_label_falls_back() -> None:
    assert decode_bytes("Привет".encode("cp1251"), "x-no-such-charset") == "Привет"


def test_addresses_with_comma_in_encoded_name_and_groups() -> None:
    assert addresses([b"=?UTF-8?B?Rm9vLCBCYXI=?= <foo.bar@example.com>"]) == [
        ("Foo, Bar", "foo.bar@example.com")
    ]
    got = addresses([b'"Petrov, Ivan" <ivan@mail.ru>, anna@ya.ru, undisclosed-recipients:;'])
    assert got == [("Petrov, Ivan", "ivan@mail.ru"), ("", "anna@ya.ru")]
    assert addresses([b"broken <<<garbage"]) == []


def test_headers_folded_and_garbage_lines() -> None:
    head = b"Subject: one\r\n two\r\nnot a header line\r\nX-A: 1\r\nX-A: 2"
    h = parse_headers(head)
    assert header_str(h["subject"][0]) == "one two"
    assert h["x-a"] == [b"1", b"2"]
    assert split_head_body(b"A: 1\r\n\r\nbody") == (b"A: 1", b"body")


def test_dates_and_ids() -> None:
    assert parse_date("Thu, 2 Mar 2023 12:15:00 +0300").isoformat() == "2023-03-02T09:15:00+00:00"
    assert parse_date("2 Mar 2023 12:15 -0000").isoformat() == "2023-03-02T12:15:00+00:00"
    assert parse_date("yesterday") is None
    env = parse_envelope_date("From 17@xxx Thu Mar 02 09:15:00 +0000 2023")
    assert env is not None and env.isoformat() == "2023-03-02T09:15:00+00:00"
    assert msg_ids(b"<a@b> <c@d>") == ["a@b", "c@d"]
    assert ctype_params('text/plain; charset="koi8-r"; format=flowed') == (
        "text/plain",
        {"charset": "koi8-r", "format": "flowed"},
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # commit / form mailers list addresses with spaces, no commas
        (b"tim@dev.example.com concierge@dev.example.com",
         [("", "tim@dev.example.com"), ("", "concierge@dev.example.com")]),
        (b"a@x.ru b@y.ru, C <c@z.ru>", [("", "a@x.ru"), ("", "b@y.ru"), ("C", "c@z.ru")]),
        # a name before a bare address, no angle brackets
        (b"Ivan Petrov ivan@x.ru", [("Ivan Petrov", "ivan@x.ru")]),
        (b"=?utf-8?B?0JjQstCw0L0=?= ivan@x.ru", [("Иван", "ivan@x.ru")]),
    ],
)  # fmt: skip
def test_addresses_without_brackets_or_commas(raw: bytes, expected: list) -> None:
    assert addresses([raw]) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # scripts and some web forms write ISO 8601 instead of RFC 5322
        ("2012-12-08 00:48", "2012-12-08T00:48:00+00:00"),
        ("2023-03-02T12:15:07+03:00", "2023-03-02T09:15:07+00:00"),
        ("2023-03-02 12:15:07.123 +0300", "2023-03-02T09:15:07+00:00"),
        ("2023-03-02T12:15:07Z", "2023-03-02T12:15:07+00:00"),
        ("2023-13-02 12:15", None),
        ("2023-03-02", None),  # a day without a time is not a moment
    ],
)
def test_iso_dates(raw: str, expected: str | None) -> None:
    got = parse_date(raw)
    assert (got.isoformat() if got else None) == expected


@pytest.mark.parametrize("charset", ["iso-8859-1", "windows-1252", None])
@pytest.mark.parametrize(
    "text",
    [
        "Björn Persson",
        "Dan Horák",
        "Jürgen Müller",
        "François Lefèvre",
        "Søren Ærø",
        "Åsa",
        "Grüße aus München, Hääyö",
        "Joaquín Peña: ¿Qué tal?",
    ],  # fmt: skip
)
def test_western_latin1_is_not_taken_for_cyrillic(text: str, charset: str | None) -> None:
    # accented Latin letters lie at 0xC0-0xFF like cp1251's Cyrillic: "Björn" became "Bjцrn"
    data = text.encode("cp1252")
    assert decode_bytes(data, charset) == text
    if charset:
        word = "=?" + charset + "?Q?" + "".join(f"={b:02X}" for b in data) + "?="
        assert header_str(word.encode()) == text


@pytest.mark.parametrize("charset", ["iso-8859-1", None])
@pytest.mark.parametrize("enc", ["cp1251", "koi8-r"])
@pytest.mark.parametrize("text", ["Иван Петров", "Re: meeting в пятницу", "Счёт 12", "Ёж"])
def test_cyrillic_mislabelled_as_latin1_is_still_cyrillic(
    text: str, enc: str, charset: str | None
) -> None:
    assert decode_bytes(text.encode(enc), charset) == text
