"""gettext glue: Russian's three plural forms, the stdlib msgfmt, fallbacks."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from netassist.core import i18n
from netassist.core.i18n import _, ngettext


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    i18n.set_language("en")


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "контакт"), (2, "контакта"), (4, "контакта"), (5, "контактов"), (11, "контактов"),
     (21, "контакт"), (22, "контакта"), (112, "контактов"), (0, "контактов")],
)  # fmt: skip
def test_russian_three_plural_forms(n: int, word: str) -> None:
    assert i18n.set_language("ru") == "ru"
    assert ngettext("%d contact", "%d contacts", n) % n == f"{n} {word}"


def test_switch_and_fallback() -> None:
    assert _("Contacts") == "Contacts"
    i18n.set_language("ru")
    assert _("Contacts") == "Контакты"
    assert _("a string nobody translated") == "a string nobody translated"
    assert i18n.set_language("xx") == "en"
    assert _("Contacts") == "Contacts"
    assert ngettext("%d contact", "%d contacts", 1) % 1 == "1 contact"


def test_compile_po_matches_gettext(tmp_path: Path) -> None:
    po = tmp_path / "t.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        '#: x.py:1\nmsgid "Hello"\nmsgstr "Привет"\n\n'
        '#, fuzzy\nmsgid "Fuzzy"\nmsgstr "Не готово"\n\n'
        'msgid "Two\\n"\n"lines"\nmsgstr "Две\\n"\n"строки"\n\n'
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d файл"\n'
        'msgstr[1] "%d файла"\nmsgstr[2] "%d файлов"\n',
        encoding="utf-8",
    )
    mo = tmp_path / "t.mo"
    i18n.compile_po(po, mo)
    with open(mo, "rb") as fh:
        t = gettext.GNUTranslations(fh)
    assert t.gettext("Hello") == "Привет"
    assert t.gettext("Fuzzy") == "Fuzzy"  # fuzzy entries fall back to English
    assert t.gettext("Two\nlines") == "Две\nстроки"
    assert [t.ngettext("%d file", "%d files", n) % n for n in (1, 3, 7)] == [
        "1 файл", "3 файла", "7 файлов"]  # fmt: skip


def test_shipped_catalog_is_complete_and_compiled() -> None:
    po = i18n.locale_dir() / "ru" / "LC_MESSAGES" / "netassist.po"
    entries = i18n.parse_po(po.read_text(encoding="utf-8"))
    text = po.read_text(encoding="utf-8")
    assert text.count("\nmsgid ") == len(entries) - 1, "untranslated or fuzzy entries left"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 1000
