"""VCardImporter: encodings, QP, folding, dates, handles, nesting, hostile input, streaming."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.core.db import open_database
from netassist.core.ingest import ingest
from netassist.core.progress import Cancelled
from netassist.importers import vcard as vcard_mod
from netassist.importers.base import FormatError, read_head
from netassist.importers.contact_values import content_key
from netassist.importers.records import IdentityRef, ImportedContact, ImportProblem
from netassist.importers.vcard import VCardImporter


def _write(tmp_path: Path, data: bytes | str, name: str = "c.vcf") -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _parse(tmp_path: Path, data: bytes | str, name: str = "c.vcf") -> list:
    return list(VCardImporter().parse(_write(tmp_path, data, name)))


def _contacts(recs: list) -> list[ImportedContact]:
    return [r for r in recs if isinstance(r, ImportedContact)]


def _card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def test_qp_soft_break_inside_utf8_sequence(tmp_path: Path) -> None:
    # Sony Ericsson style: the soft break splits "=D0=A1" as "==" / "D0=A1"... and mid-char.
    data = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9F=D0=B5=D1=82=D1=80=D0=BE=D0=B2;=D0=\n"
        "=98=D0=B2=D0=B0=D0=BD==\nD0=A1\nEND:VCARD\n"
    )
    (c,) = _contacts(_parse(tmp_path, data))
    assert c.family_name == "Петров"
    assert c.given_name == "ИванС"


def test_qp_continuation_without_whitespace_and_equals_at_end_of_plain_value(
    tmp_path: Path,
) -> None:
    data = (
        "BEGIN:VCARD\nVERSION:2.1\nN:Doe;John\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=\nline two\n"
        "TITLE:ends with equal sign=\nTEL;WORK:5555\nEND:VCARD\n"
    )
    (c,) = _contacts(_parse(tmp_path, data))
    assert c.note == "line one\nline two"
    assert c.title == "ends with equal sign="
    assert c.identities == (IdentityRef("phone", "5555", "work"),)


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_undeclared_legacy_cyrillic_is_detected_per_value(tmp_path: Path, codec: str) -> None:
    body = _card(
        "N:Жукова;Екатерина;Андреевна;;",
        "NOTE:Работает в банке, любит собак",
        "EMAIL:kate@example.ru",
        version="2.1",
    )
    (c,) = _contacts(_parse(tmp_path, body.encode(codec)))
    assert c.full_name == "Екатерина Андреевна Жукова"
    assert c.middle_name == "Андреевна"
    assert c.note == "Работает в банке, любит собак"


def test_declared_latin1_but_utf8_bytes_is_read_as_utf8(tmp_path: Path) -> None:
    body = _card("FN;CHARSET=ISO-8859-1:Мария", version="2.1")
    (c,) = _contacts(_parse(tmp_path, body))
    assert c.full_name == "Мария"


@pytest.mark.parametrize(
    "codec,bom",
    [
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_whole_file_encodings(tmp_path: Path, codec: str, bom: bytes) -> None:
    text = _card("FN:Олег Тихонов", "TEL;TYPE=CELL:+79161234567") * 3
    path = _write(tmp_path, bom + text.encode(codec))
    assert VCardImporter().sniff(path, read_head(path)) >= 90
    recs = list(VCardImporter().parse(path))
    assert [c.full_name for c in _contacts(recs)] == ["Олег Тихонов"] * 3
    assert [c.where for c in _contacts(recs)] == ["c.vcf:1", "c.vcf:6", "c.vcf:11"]


def test_name_fallbacks(tmp_path: Path) -> None:
    data = (
        _card("N:Петров;Пётр;Петрович;;")
        + _card("ORG:ООО Рога и копыта;Отдел")
        + _card("EMAIL;TYPE=work:only@example.com")
        + _card("NOTE:nothing to call this by")
    )
    recs = _parse(tmp_path, data)
    names = [c.full_name for c in _contacts(recs)]
    assert names == ["Пётр Петрович Петров", "ООО Рога и копыта", "only@example.com"]
    problems = [r for r in recs if isinstance(r, ImportProblem)]
    assert len(problems) == 1 and problems[0].where == "c.vcf:13"


def test_multiple_tel_email_with_types_and_pref(tmp_path: Path) -> None:
    data = _card(
        "FN:A",
        "TEL;CELL;PREF:+1 1",
        "TEL;TYPE=HOME,VOICE:+1 2",
        "TEL;TYPE=work;PREF=1:tel:+1-3",
        "EMAIL;TYPE=INTERNET;TYPE=pref:a@x.org",
        "EMAIL:b@x.org",
        "TEL;TYPE=HOME:sip:a@sip.example",
    )
    (c,) = _contacts(_parse(tmp_path, data))
    assert c.identities == (
        IdentityRef("phone", "+1 1", "cell", True),
        IdentityRef("phone", "+1 2", "home", False),
        IdentityRef("phone", "+1-3", "work", True),
        IdentityRef("email", "a@x.org", None, True),
        IdentityRef("email", "b@x.org", None, False),
    )


@pytest.mark.parametrize(
    "line,expected",
    [
        ("BDAY:19800414", "1980-04-14"),
        ("BDAY:1980-04-14", "1980-04-14"),
        ("BDAY:--0414", "--04-14"),
        ("BDAY:--04-14", "--04-14"),
        ("BDAY:1980-04-14T00:00:00Z", "1980-04-14"),
        ("BDAY;VALUE=date:1980-04-14", "1980-04-14"),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-14", "--04-14"),
        ("BDAY;VALUE=text:14.04.1980", "1980-04-14"),
        ("BDAY:14 апреля 1980", "1980-04-14"),
        ("BDAY:April 14, 1980", "1980-04-14"),
        ("BDAY:1980", None),
        ("BDAY:0001-04-14", "--04-14"),
        ("BDAY:1000-01-01", None),
        ("BDAY:4501-01-01", None),
    ],
)
def test_birthday_shapes(tmp_path: Path, line: str, expected: str | None) -> None:
    recs = _parse(tmp_path, _card("FN:X", line))
    (c,) = _contacts(recs)
    assert c.birthday == expected
    assert not [r for r in recs if isinstance(r, ImportProblem)]


def test_invalid_birthday_is_a_problem_but_the_card_and_the_rest_import(tmp_path: Path) -> None:
    data = _card("FN:A", "BDAY:1980-02-30") + _card("FN:B", "BDAY:yesterday") + _card("FN:C")
    recs = _parse(tmp_path, data)
    assert [c.full_name for c in _contacts(recs)] == ["A", "B", "C"]
    assert all(c.birthday is None for c in _contacts(recs))
    problems = [r for r in recs if isinstance(r, ImportProblem)]
    assert [p.where for p in problems] == ["c.vcf:1", "c.vcf:6"]
    assert "1980-02-30" in problems[0].reason


def test_anniversaries_and_categories(tmp_path: Path) -> None:
    data = _card("FN:A", "X-ANNIVERSARY:2001-09-08", "CATEGORIES:Друзья,Work\\, Old,Друзья")
    (c,) = _contacts(_parse(tmp_path, data))
    assert c.anniversary == "2001-09-08"
    assert c.tags == ("Друзья", "Work, Old")


def test_note_escapes(tmp_path: Path) -> None:
    (c,) = _contacts(_parse(tmp_path, _card("FN:A", "NOTE:a\\nb\\, c\\; d\\\\e")))
    assert c.note == "a\nb, c; d\\e"


@pytest.mark.parametrize(
    "line,expected",
    [
        ("X-TELEGRAM:@ivan_p", IdentityRef("telegram", "ivan_p")),
        ("X-WHATSAPP:+79161234567", IdentityRef("whatsapp", "+79161234567")),
        ("X-VK:id12345", IdentityRef("vk", "id12345")),
        ("X-SKYPE:ivan.p", IdentityRef("skype", "ivan.p")),
        ("X-SKYPE-USERNAME:ivan.p", IdentityRef("skype", "ivan.p")),
        ("X-JABBER:ivan@jabber.ru", IdentityRef("url", "xmpp:ivan@jabber.ru")),
        ("X-SOCIALPROFILE;type=telegram:https://t.me/ivan_p", IdentityRef("telegram", "ivan_p")),
        ("X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ivan", IdentityRef("twitter", "ivan")),
        ("IMPP:telegram:ivan_p", IdentityRef("telegram", "ivan_p")),
        ("IMPP;X-SERVICE-TYPE=Telegram:x-apple:ivan_p", IdentityRef("telegram", "ivan_p")),
        ("IMPP:xmpp:ivan@jabber.ru", IdentityRef("url", "xmpp:ivan@jabber.ru")),
        ("IMPP:skype:ivan.p", IdentityRef("skype", "ivan.p")),
        ("URL:https://vk.com/ivan_p", IdentityRef("vk", "ivan_p")),
    ],
)
def test_social_handles(tmp_path: Path, line: str, expected: IdentityRef) -> None:
    (c,) = _contacts(_parse(tmp_path, _card("FN:A", line)))
    assert expected in c.identities


def test_unknown_x_properties_are_ignored_without_problems(tmp_path: Path) -> None:
    recs = _parse(tmp_path, _card("FN:A", "X-FOO-BAR:baz", "X-SOCIALPROFILE:", "IMPP:sip:1@x"))
    assert len(recs) == 1 and recs[0].identities == ()


def test_source_key_uid_is_file_independent_and_content_key_is_stable(tmp_path: Path) -> None:
    a = _card("FN:Ann", "UID:abc-1", "EMAIL:ann@x.org") + _card("FN:Bob", "TEL:+1 2", "EMAIL:b@x")
    b = _card("FN:Bob", "EMAIL:b@x", "TEL:+1 2") + _card("FN:Ann Changed", "UID:abc-1")
    ka = {c.full_name: c.source_key for c in _contacts(_parse(tmp_path, a, "a.vcf"))}
    kb = {c.full_name: c.source_key for c in _contacts(_parse(tmp_path, b, "other.vcf"))}
    assert ka["Ann"] == kb["Ann Changed"] == "uid:abc-1"
    assert ka["Bob"] == kb["Bob"]
    c = _card("FN:Bob", "EMAIL:b@x")
    assert _contacts(_parse(tmp_path, c, "c.vcf"))[0].source_key != ka["Bob"]


def test_nested_agent_does_not_break_outer_card(tmp_path: Path) -> None:
    data = (
        "BEGIN:VCARD\nVERSION:2.1\nFN:Outer\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\nFN:Inner\n"
        "END:VCARD\nTEL:+1 1\nEND:VCARD\n" + _card("FN:Next")
    )
    recs = _parse(tmp_path, data)
    cs = _contacts(recs)
    assert [c.full_name for c in cs] == ["Outer", "Inner", "Next"]
    assert cs[0].identities == (IdentityRef("phone", "+1 1"),)
    assert cs[1].where == "c.vcf:5"


def test_hostile_input_never_crashes(tmp_path: Path) -> None:
    deep = (
        "BEGIN:VCARD\nFN:L0\n"
        + "".join(f"AGENT:\nBEGIN:VCARD\nFN:L{i}\n" for i in range(1, 300))
        + "END:VCARD\n" * 300
    )
    giant = _card("FN:Giant", "NOTE:" + "x" * 2_000_000)
    junk = b"\x00\xff\xfe garbage\nBEGIN:VCARD\nFN:\xff\xfe\x00\nN:;;;;;;;;;;;;\nPHOTO;ENCODING=b:!!!\n"
    data = deep.encode() + giant.encode() + junk
    recs = _parse(tmp_path, data)
    names = [c.full_name for c in _contacts(recs)]
    assert "Giant" in names and "L0" in names


def test_no_vcard_at_all_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError):
        _parse(tmp_path, "just some text\n", "x.vcf")


def test_sniff(tmp_path: Path) -> None:
    imp = VCardImporter()
    p = _write(tmp_path, _card("FN:A"), "contacts.txt")
    assert imp.sniff(p, read_head(p)) >= 90
    q = _write(tmp_path, "timestamp,from,to,channel,text\n", "log.csv")
    assert imp.sniff(q, read_head(q)) == 0
    r = _write(tmp_path, b"", "empty.vcf")
    assert 0 < imp.sniff(r, read_head(r)) < 90


def test_cards_spanning_read_blocks_match_one_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = "".join(
        _card(
            f"FN:Человек {i}",
            f"NOTE:{'длинная заметка ' * (i % 7)}",
            f"TEL:+7 900 {i:07d}",
            "PHOTO;ENCODING=b;TYPE=PNG:" + "iVBORw0KGgo" * (i % 5),
        )
        for i in range(300)
    )
    path = _write(tmp_path, cards.replace("\r\n", "\r\r\n"))
    whole = list(VCardImporter().parse(path))
    monkeypatch.setattr(vcard_mod, "BLOCK", 333)
    pieces = list(VCardImporter().parse(path))
    assert pieces == whole and len(whole) == 300


class _CancelAfterFirst:
    def __init__(self) -> None:
        self.calls = 0

    def set_progress(self, fraction: float | None, text: str = "") -> None:
        self.calls += 1

    def is_cancelled(self) -> bool:
        return self.calls >= 1


def test_progress_and_cancellation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vcard_mod, "BLOCK", 64)
    path = _write(tmp_path, _card("FN:A") * 500)
    with pytest.raises(Cancelled):
        list(VCardImporter().parse(path, progress=_CancelAfterFirst()))


def test_sniff_prefers_files_that_are_vcards_over_mail_quoting_one(tmp_path: Path) -> None:
    imp = VCardImporter()
    mail = _write(tmp_path, "From: a@b.c\nSubject: card\n\nhere:\n" + _card("FN:A"), "mail.eml")
    assert 0 < imp.sniff(mail, read_head(mail)) < 50
    vcf = _write(tmp_path, "\n\n" + _card("FN:A"), "x.dat")
    assert imp.sniff(vcf, read_head(vcf)) >= 90


def test_adr_formatted_eighth_component_is_not_repeated(tmp_path: Path) -> None:
    # Google Contacts exports append the formatted address (the same words over lines) as an
    # eighth ADR component; it must not double the address.
    data = _card(
        "FN:Olga Smirnova",
        "ADR;TYPE=HOME:;Kv. 7;Lenina 1;Tver;;170100;RU;Lenina 1\\nKv. 7\\n170100 Tver\\nRU",
    )
    (c,) = _contacts(_parse(tmp_path, data))
    assert c.addresses == ("Kv. 7, Lenina 1, Tver, 170100, RU",)


def test_adr_extra_component_with_new_words_is_kept(tmp_path: Path) -> None:
    # An unescaped ';' in a 2.1 phone's street shifts the country past the seventh component.
    data = _card(
        "N:Lind;Per", "ADR;HOME:;;Storgatan 3; lgh 12;Lund;Skane;22350;Sverige", version="2.1"
    )
    (c,) = _contacts(_parse(tmp_path, data))
    assert c.addresses == ("Storgatan 3, lgh 12, Lund, Skane, 22350, Sverige",)


def test_fn_that_is_only_an_email_gives_way_to_the_name_in_n(tmp_path: Path) -> None:
    data = _card(
        "N:Volkova;Irina;;;",
        "FN:irina.v@example.ru",
        "EMAIL;TYPE=INTERNET:irina.v@example.ru",
    ) + _card("FN:only@example.org", "EMAIL:only@example.org")
    first, second = _contacts(_parse(tmp_path, data))
    assert first.full_name == "Irina Volkova"
    assert second.full_name == "only@example.org"  # no name anywhere: the address stays


def test_namesakes_without_address_or_phone_are_separate_cards(tmp_path: Path) -> None:
    # Two cards with one name and nothing to tell them apart but their other fields (notes,
    # company) are two people: each keeps its own key, so neither overwrites the other and a
    # re-import changes nothing. The same card twice is still one record.
    data = (
        _card("FN:John Doe", "NOTE:met at the fair")
        + _card("FN:John Doe", "ORG:Acme")
        + _card("FN:John Doe", "NOTE:met at the fair")
    )
    a, b, again = _contacts(_parse(tmp_path, data))
    assert a.source_key != b.source_key and again.source_key == a.source_key
    # the first keeps the key it always had: books imported before still match it
    assert a.source_key == content_key("vcard", "John Doe", ())

    path = _write(tmp_path, data, "book.vcf")
    db = open_database(tmp_path / "c.db")
    try:
        first = ingest(db, VCardImporter().parse(path), source="book.vcf", importer="vcard")
        second = ingest(db, VCardImporter().parse(path), source="book.vcf", importer="vcard")
        with db.engine.connect() as c:
            notes = c.exec_driver_sql("SELECT about, organization FROM contact ORDER BY id").all()
    finally:
        db.dispose()
    assert first.contacts_created == 2 and notes == [("met at the fair", ""), ("", "Acme")]
    assert (second.contacts_created, second.contacts_updated) == (0, 0)


def test_a_courtesy_title_alone_is_no_name(tmp_path: Path) -> None:
    # No FN and an N with only "Mr." (Palm, old phones): the nickname or the address names them.
    data = _card("N:;;;Mr.;;", "NICKNAME:Jim", "EMAIL:jq@example.com") + _card(
        "N:;;;Dr.;Jr.;", "EMAIL:doc@example.com"
    )
    a, b = _contacts(_parse(tmp_path, data))
    assert (a.full_name, a.prefix) == ("Jim", "Mr.")
    assert (b.full_name, b.prefix, b.suffix) == ("doc@example.com", "Dr.", "Jr.")


def test_label_is_the_address_when_the_card_has_no_adr(tmp_path: Path) -> None:
    # Old Gmail and phone exports give the postal address only as LABEL (quoted-printable
    # lines); Outlook writes LABEL next to ADR, where ADR says it already.
    gmail = _card(
        "FN:Ann",
        "LABEL;TYPE=HOME;ENCODING=QUOTED-PRINTABLE:12 Home Street=0D=0A=",
        "Kowloon=0D=0A=",
        "Hong Kong",
    )
    outlook = _card(
        "FN:Bob",
        "ADR;WORK:;;1 Main St;Springfield;;12345;USA",
        "LABEL;WORK;ENCODING=QUOTED-PRINTABLE:1 Main St=0D=0ASpringfield 12345=0D=0AUSA",
        version="2.1",
    )
    ann, bob = _contacts(_parse(tmp_path, gmail + outlook))
    assert ann.addresses == ("12 Home Street, Kowloon, Hong Kong",)
    assert bob.addresses == ("1 Main St, Springfield, 12345, USA",)


def test_base64_text_values_are_decoded(tmp_path: Path) -> None:
    # Some writers base64 a text value (3.0 "ENCODING=b" or a bare "BASE64", 2.1 phones
    # "ENCODING=BASE64" with a CHARSET): the text is what the bytes say, not the base64.
    data = _card(
        "FN:Anna",
        "NOTE;ENCODING=b:THVkd2lnLUfDtnR6IEdyYcOfbA==",
        "ORG;BASE64:0KDQvtCz0LAg0Lgg0LrQvtC/0YvRgtCw",
    ) + _card(
        "N;CHARSET=WINDOWS-1251;ENCODING=BASE64:z+Xy8O7iO8/l8vA7Ozs=",
        "TEL;CELL:+79160000000",
        version="2.1",
    )
    a, b = _contacts(_parse(tmp_path, data))
    assert (a.note, a.organization) == ("Ludwig-Götz Graßl", "Рога и копыта")
    assert (b.full_name, b.family_name) == ("Петр Петров", "Петров")


def test_google_my_contacts_group_is_no_tag(tmp_path: Path) -> None:
    # Google's vCard export puts every contact in "myContacts": a tag on everyone says nothing.
    (c,) = _contacts(_parse(tmp_path, _card("FN:Ann", "CATEGORIES:myContacts,Climbing")))
    assert c.tags == ("Climbing",)
