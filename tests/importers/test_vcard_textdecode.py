"""netassist.importers.textdecode: the shared charset helpers used by the vCard/CSV importers."""

from __future__ import annotations

import pytest

from netassist.importers.textdecode import (
    decode_text,
    decode_value,
    detect_utf16_without_bom,
    guess_8bit,
    text_encoding,
)

RUSSIAN = [
    "Иван Петров",
    "Ёлкина Софья Дмитриевна",
    "ООО Ромашка",
    "позвонить завтра после обеда",
    "Щукин",
    "Мария",
    "ИВАНОВ ПЁТР",
    "ООО СТРОЙМОНТАЖ",
    "Ли",
    "Ян Ким",
]


@pytest.mark.parametrize("text", RUSSIAN)
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_cyrillic_code_page_is_recognised(text: str, codec: str) -> None:
    data = text.encode(codec)
    assert guess_8bit(data) == codec
    assert decode_value(data) == text


@pytest.mark.parametrize("text", ["Doë", "Café Müller", "Ångström"])
def test_latin_accents_fall_back_to_cp1252(text: str) -> None:
    assert decode_value(text.encode("cp1252")) == text


def test_utf8_beats_a_wrong_declaration() -> None:
    assert decode_value("Мария".encode(), "ISO-8859-1") == "Мария"
    assert decode_value("Мария".encode("cp1251"), "windows-1251") == "Мария"
    assert decode_value("東京".encode("shift_jis"), "SHIFT_JIS") == "東京"


def test_declared_utf8_with_a_truncated_tail_keeps_the_good_part() -> None:
    assert decode_value("Привет".encode() + b"\xd0", "UTF-8") == "Привет\ufffd"
    # mostly broken "UTF-8" is really cp1251
    assert decode_value("Привет мир".encode("cp1251"), "utf-8") == "Привет мир"


def test_unknown_declared_charset_is_ignored() -> None:
    assert decode_value("Олег".encode("cp1251"), "X-NONSENSE") == "Олег"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    data = "BEGIN:VCARD\r\nFN:Олег\r\n".encode(codec)
    assert detect_utf16_without_bom(data) == codec
    assert decode_text(data) == "BEGIN:VCARD\r\nFN:Олег\r\n"
    assert text_encoding(data) == (codec, 0)


def test_whole_text_with_boms_and_legacy() -> None:
    assert decode_text(b"\xef\xbb\xbfabc") == "abc"
    assert decode_text(b"\xff\xfea\x00b\x00") == "ab"
    assert decode_text("Имя;Фамилия\r\n".encode("cp1251")) == "Имя;Фамилия\r\n"
    assert text_encoding(b"\xef\xbb\xbfx") == ("utf-8", 3)
    assert text_encoding("абв".encode()[:-1]) == ("utf-8", 0)  # a sample cut mid-character
    assert detect_utf16_without_bom(b"plain ascii text") is None


def test_one_stray_byte_does_not_turn_a_utf8_file_into_cp1251() -> None:
    data = ("Имя,Фамилия\nИван,Петров\n" * 50).encode() + b"\xff\n"
    text = decode_text(data)
    assert text.startswith("Имя,Фамилия\nИван,Петров")
