"""core.vcard_out writers: escaping, folding, year-less dates, and round trips through our
own importers (vCard 4.0, vCard 3.0, Google-style CSV)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netassist.core.vcard_out import ExportContact, fold_line, format_csv, format_vcard
from netassist.importers.csv_contacts import CsvContactsImporter
from netassist.importers.records import IdentityRef, ImportedContact
from netassist.importers.vcard import VCardImporter

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763"
    "f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def _full() -> ExportContact:
    return ExportContact(
        full_name="Екатерина Андреевна Жукова",
        given_name="Екатерина",
        family_name="Жукова",
        middle_name="Андреевна",
        prefix="Др.",
        suffix="",
        nickname="Катя",
        organization="ООО «Вектор»; филиал, Казань",
        title="Главный инженер",
        birthday="--04-14",
        anniversary="2010-06-05",
        note="Первая строка\nвторая; с запятой, и \\ обратной чертой " + "длинно " * 30 + "конец",
        emails=[("kate@example.ru", "home", True), ("k.zhukova@vector.ru", "work", False)],
        phones=[("+7 916 123-45-67", "cell", True), ("+7 843 000-00-00", "work", False)],
        handles=[("telegram", "kate_zh"), ("skype", "kate.zh"), ("whatsapp", "+79161234567")],
        addresses=["ул. Баумана, 5, Казань"],
        urls=["https://example.com/kate"],
        tags=["Семья", "Work, old"],
        photo=PNG,
        photo_mime="image/png",
        uid="urn:uuid:1234-abcd",
    )


def _import(tmp_path: Path, text: str, name: str) -> ImportedContact:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    imp = CsvContactsImporter() if name.endswith(".csv") else VCardImporter()
    (c,) = [r for r in imp.parse(p) if isinstance(r, ImportedContact)]
    return c


def _assert_same(c: ImportedContact, e: ExportContact, *, photo: bool = True) -> None:
    assert c.full_name == e.full_name
    assert (c.given_name, c.family_name, c.middle_name, c.prefix) == (
        e.given_name, e.family_name, e.middle_name, e.prefix)  # fmt: skip
    assert c.nickname == e.nickname
    assert c.organization == e.organization
    assert c.title == e.title
    assert c.birthday == e.birthday
    assert c.anniversary == e.anniversary
    assert c.note == e.note
    assert [(i.value, i.label, i.pref) for i in c.identities if i.kind == "email"] == e.emails
    assert [(i.value, i.label, i.pref) for i in c.identities if i.kind == "phone"] == e.phones
    assert [(i.kind, i.value) for i in c.identities if i.kind not in ("email", "phone")] == (
        e.handles
    )
    assert list(c.addresses) == e.addresses
    assert list(c.urls) == e.urls
    assert list(c.tags) == e.tags
    if photo:
        assert c.photo == e.photo and c.photo_mime == e.photo_mime


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_round_trip(tmp_path: Path, version: str) -> None:
    e = _full()
    text = format_vcard(e, version)
    c = _import(tmp_path, text, "rt.vcf")
    _assert_same(c, e)
    assert c.source_key == "uid:urn:uuid:1234-abcd"


def test_year_less_birthday_forms() -> None:
    e = ExportContact(full_name="A", birthday="--04-14")
    assert "BDAY:--0414\r\n" in format_vcard(e, "4.0")
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-14\r\n" in format_vcard(e, "3.0")


def test_csv_round_trip(tmp_path: Path) -> None:
    e = _full()
    e.birthday = "1985-07-19"
    c = _import(tmp_path, format_csv([e]), "rt.csv")
    _assert_same(c, e, photo=False)


def test_lines_are_crlf_and_folded_at_75_octets_on_character_boundaries() -> None:
    text = format_vcard(_full(), "4.0")
    assert text.endswith("END:VCARD\r\n")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75
        assert "\n" not in line and "\r" not in line
    assert "\n" not in text.replace("\r\n", "")


@given(st.text(min_size=0, max_size=400))
@settings(max_examples=200, deadline=None)
def test_fold_line_never_splits_utf8_and_unfolds_back(s: str) -> None:
    s = s.replace("\r", "").replace("\n", "")
    folded = fold_line("NOTE:" + s)
    parts = folded[:-2].split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert folded[:-2].replace("\r\n ", "") == "NOTE:" + s


@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60),
    note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
)
@settings(max_examples=60, deadline=None)
def test_escaping_round_trips_arbitrary_text(
    tmp_path_factory: pytest.TempPathFactory, name: str, note: str
) -> None:
    name = " ".join(name.split())
    if not name:
        return
    note = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    e = ExportContact(full_name=name, note=note, emails=[("a@b.c", None, False)])
    c = _import(tmp_path_factory.mktemp("rt"), format_vcard(e), "h.vcf")
    assert c.full_name == name
    assert c.note == note
    assert c.identities == (IdentityRef("email", "a@b.c"),)


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_im_addresses_round_trip(tmp_path: Path, version: str) -> None:
    # IM addresses kept as "scheme:handle" (from X-JABBER, X-AIM, IMPP) go out as IMPP and come
    # back the same; a web address stays a URL.
    handles = [("url", "xmpp:ann@jabber.ru"), ("url", "aim:ann.smith"), ("url", "https://ann.me")]
    c = _import(tmp_path, format_vcard(ExportContact(full_name="Ann", handles=handles), version),
                "im.vcf")  # fmt: skip
    assert [(i.kind, i.value) for i in c.identities] == handles[:2]
    assert c.urls == ("https://ann.me",)
