"""Conformance over the shared corpus of real address books (../shared/corpus/vcard and
../shared/corpus/csv_contacts, described in ../shared/corpus/MANIFEST.md).

Files are read in place. Each must import without a crash; every card is either imported or
reported; names carry no mojibake; Cyrillic survives where the manifest says the file has it;
and the names each file yields are pinned (checked by hand against the source files).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from netassist.importers.base import read_head
from netassist.importers.csv_contacts import CsvContactsImporter
from netassist.importers.records import ImportedContact, ImportProblem
from netassist.importers.textdecode import decode_text
from netassist.importers.vcard import VCardImporter
from tests.conftest import CORPUS, corpus_files

VCARD_FILES = corpus_files("vcard")
CSV_FILES = corpus_files("csv_contacts")
_ABSENT = [pytest.param(None, marks=pytest.mark.skip(reason=f"corpus not found at {CORPUS}"))]

# U+FFFD, UTF-8 read as Latin-1 ("Ð¸", "Ã©"), the classic signs of a wrong decode.
_MOJIBAKE = re.compile("\ufffd|[ÐÑ][\u0080-\u00bf]|Ã[\u0080-\u00bf]")
_CYRILLIC = re.compile("[А-Яа-яЁё]")
_BEGIN_LINE = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD", re.I | re.M)

# file (below corpus/<fmt>/) → (full names in order, number of problems)
EXPECTED: dict[str, tuple[list[str], int]] = {
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_android_custom_prop.vcf": ([], 1),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_backslash.vcf": (["A;B\\C;D:E\\\\"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_blackberry_photo.vcf": (["boogie"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_complicated.vcf": (["Joe Due"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_invalid_comment_line.vcf": (["Conference Call"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_invalid_multiple_line.vcf": (["Omega"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_japanese_1.vcf": (["安藤ロイド"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_japanese_2.vcf": (["安藤 ロイド 1"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_malformed_photo.vcf": (["fullname"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_org_before_title.vcf": (["Normal Guy"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_pref_handling.vcf": (["Smith"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_simple_2.vcf": (["Ando Roid"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_simple_3.vcf": (["Ando Roid"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_sip.vcf": (["Android"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_title_before_org.vcf": (["Nice Guy"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_winmo_65.vcf": (["Example"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_x_android_custom_after_photo.vcf": (["Roid Ando"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_comma_separated.vcf": (["G M F"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_ios_613_multiline.vcf": (["Bob Smith"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_japanese.vcf": (["伊能 圭一 伊予"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_multibyte_param.vcf": (["G M F"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_pager.vcf": (["G M F"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_pause_wait.vcf": (["Pause Wait"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v30_simple.vcf": (["And Roid"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v40_sip.vcf": (["安藤 ロイド"], 0),
    "CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v40_sort_as.vcf": (["安藤 ロイド"], 0),
    "gammu__gammu/tests/vcards/char-escaping.vcf": ([], 1),
    "gammu__gammu/tests/vcards/evolution.vcf": (["NIB"], 0),
    "gammu__gammu/tests/vcards/line-continuation.vcf": (["Nikdovic Nikdo"], 0),
    "gammu__gammu/tests/vcards/many-lines.vcf": (["firstname lastname"], 0),
    "gammu__gammu/tests/vcards/photo-2.vcf": (["Bar Foobar"], 0),
    "gammu__gammu/tests/vcards/photo.vcf": (["Amore"], 0),
    "gammu__gammu/tests/vcards/private.vcf": (["Nikdovic Nikdo"], 0),
    "gammu__gammu/tests/vcards/quoted-printable-ascii.vcf": (["Nobody Nowhere"], 0),
    "gammu__gammu/tests/vcards/quoted-printable-empty-new-line.vcf": (["Joseph Hörmann"], 0),
    "gammu__gammu/tests/vcards/quoted-printable-new-line.vcf": (["ПОРКС - PRIMA"], 0),
    "gammu__gammu/tests/vcards/quoted-printable-normal.vcf": (["Bc. Zdeněk Žák"], 0),
    "gammu__gammu/tests/vcards/se-1.vcf": (["Yves Laurent"], 0),
    "gammu__gammu/tests/vcards/se-2.vcf": (["Catherine Laurent"], 0),
    "gammu__gammu/tests/vcards/simple-name-utf.vcf": (["Name Test"], 0),
    "gammu__gammu/tests/vcards/types2.vcf": (["Nikdovic Nikdo"], 0),
    "gammu__gammu/tests/vcards/unicode-name.vcf": (["Ventron Confection"], 0),
    "gammu__gammu/tests/vcards/vcard3-utf-8.vcf": (["Bodø likningskontor"], 0),
    "gammu__gammu/tests/vcards/version3.vcf": (["MARK/HEATHER DEE"], 0),
    "lucc__khard/test/fixture/vcards/altid.vcf": (["altid"], 0),
    "lucc__khard/test/fixture/vcards/contact1.vcf": (["second contact"], 0),
    "lucc__khard/test/fixture/vcards/contact2.vcf": (["third contact"], 0),
    "lucc__khard/test/fixture/vcards/individual.vcf": (["Wile E. Coyote"], 0),
    "lucc__khard/test/fixture/vcards/issue249.vcf": (["Foo Bar"], 0),
    "lucc__khard/test/fixture/vcards/korean-c.vcf": (["최유림"], 0),
    "lucc__khard/test/fixture/vcards/korean-j.vcf": (["전도훈"], 0),
    "lucc__khard/test/fixture/vcards/labels.vcf": (["labeled guy"], 0),
    "lucc__khard/test/fixture/vcards/nickname.vcf": (["Michael Smith"], 0),
    "lucc__khard/test/fixture/vcards/no-nickname.vcf": (["Mike Jones"], 0),
    "lucc__khard/test/fixture/vcards/photov4.vcf": (["with photo v4"], 0),
    "lucc__khard/test/fixture/vcards/post.vcf": (["With post address"], 0),
    "lucc__khard/test/fixture/vcards/text-bday.vcf": (["text birthday"], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/John_Doe_ANDROID.vcf": (
        ["john.doe@company.com", "jane.doe@company.com", "Ñ Ñ Ñ Ñ Ñ",
         "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ", "ÑÑÑÑ"], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/John_Doe_GMAIL.vcf": (["Mr. John Richter, James Doe Sr."], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/John_Doe_MAC_ADDRESS_BOOK.vcf": (["Mr. John Richter,James Doe Sr."], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/John_Doe_MS_OUTLOOK.vcf": (["Mr. John Richter James Doe Sr."], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/fullcontact.vcf": (["Prefix FirstName MiddleName LastName Suffix"], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/gmail-list.vcf": (["Arnold Smith", "Chris Beatle", "Doug White"], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/gmail-single.vcf": (["Greg Dartmouth"], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/outlook-2003.vcf": (["John Doe III"], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/outlook-2007.vcf": (["Mr. Michael Angstadt Jr."], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/rfc2426-example.vcf": (["Frank Dawson", "Tim Howes"], 0),
    "mangstadt__ez-vcard/src/test/resources/ezvcard/issue/issue114.vcf": (["Dummy, Dummy"], 0),
    "roundcube__roundcubemail/tests/src/johndoe.vcf": (["John Doë"], 0),
    "roundcube__roundcubemail/tests/src/Csv2vcard/all.csv": (["Display Name"], 0),
    "roundcube__roundcubemail/tests/src/Csv2vcard/email.csv": (
        ["test1@domain.tld", "test2@domain.tld", "test3@domain.tld", "test4@domain.tld"], 0),
    "roundcube__roundcubemail/tests/src/Csv2vcard/gmail.csv": (["Prefix Firstname Middle Lastname Suffix"], 0),
    "roundcube__roundcubemail/tests/src/Csv2vcard/outlook.csv": (["test1@domain.tld"], 0),
    "roundcube__roundcubemail/tests/src/Csv2vcard/tb_plain.csv": (["Displayname"], 0),
}  # fmt: skip


def _manifest_notes() -> dict[str, str]:
    path = CORPUS / "manifest.json"
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {r["local"]: f"{r.get('note', '')} {r.get('props', '')}" for r in rows}


def _rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix().split("/", 1)[1]


def _check_names(contacts: list[ImportedContact], path: Path) -> None:
    for c in contacts:
        for value in (c.full_name, c.given_name, c.family_name, c.middle_name):
            assert not _MOJIBAKE.search(value), f"{path.name}: mojibake in name {value!r}"
    note = _manifest_notes().get(path.relative_to(CORPUS).as_posix(), "")
    if "cyrillic" in note.lower():
        assert any(_CYRILLIC.search(c.full_name) for c in contacts), (
            f"{path.name}: manifest says Cyrillic, no Cyrillic name imported"
        )


@pytest.mark.parametrize("path", VCARD_FILES or _ABSENT, ids=lambda p: p and _rel(p))
def test_vcard_corpus_file(path: Path) -> None:
    imp = VCardImporter()
    if path.suffix.lower() not in (".vcf", ".vcard"):
        assert imp.sniff(path, read_head(path)) == 0  # e.g. the samples' licence note
        return
    assert imp.sniff(path, read_head(path)) >= 90
    recs = list(imp.parse(path))
    contacts = [r for r in recs if isinstance(r, ImportedContact)]
    problems = [r for r in recs if isinstance(r, ImportProblem)]
    # Every card (nested AGENT cards start their own line too) is imported or reported: all
    # records of one card share its "file:line".
    n_cards = len(_BEGIN_LINE.findall(decode_text(path.read_bytes())))
    assert len({r.where for r in contacts + problems}) == n_cards
    for c in contacts:
        assert c.full_name or c.identities
        assert c.where.startswith(path.name + ":")
    _check_names(contacts, path)
    expected = EXPECTED.get(_rel(path))
    assert expected is not None, f"{_rel(path)}: new corpus file, look at it and pin it here"
    assert ([c.full_name for c in contacts], len(problems)) == expected


@pytest.mark.parametrize("path", CSV_FILES or _ABSENT, ids=lambda p: p and _rel(p))
def test_csv_corpus_file(path: Path) -> None:
    imp = CsvContactsImporter()
    assert imp.sniff(path, read_head(path)) > 0
    recs = list(imp.parse(path))
    contacts = [r for r in recs if isinstance(r, ImportedContact)]
    problems = [r for r in recs if isinstance(r, ImportProblem)]
    assert contacts
    for c in contacts:
        assert c.full_name and c.identities
    _check_names(contacts, path)
    expected = EXPECTED.get(_rel(path))
    assert expected is not None, f"{_rel(path)}: new corpus file, look at it and pin it here"
    assert ([c.full_name for c in contacts], len(problems)) == expected


def test_sony_ericsson_qp_cyrillic_split_escape() -> None:
    path = CORPUS / "vcard/gammu__gammu/tests/vcards/quoted-printable-new-line.vcf"
    if not path.exists():
        pytest.skip(f"corpus file not found: {path}")
    (c,) = [r for r in VCardImporter().parse(path) if isinstance(r, ImportedContact)]
    assert (c.family_name, c.given_name) == ("- PRIMA", "ПОРКС")


def _first(rel: str) -> ImportedContact:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"corpus file not found: {path}")
    imp = CsvContactsImporter() if path.suffix == ".csv" else VCardImporter()
    return next(r for r in imp.parse(path) if isinstance(r, ImportedContact))


def test_field_spot_checks() -> None:
    se1 = _first("vcard/gammu__gammu/tests/vcards/se-1.vcf")
    assert "100 rue des Maths, Saint Martin d'Hères, 38402" in se1.addresses  # QP soft break
    assert se1.birthday == "1954-04-21"
    assert [i.value for i in se1.identities if i.pref] == ["Yves.Laurent@ujf-grenoble.fr"]

    cx = _first("vcard/CyanogenMod__android_frameworks_opt_vcard/tests/res/raw/v21_complicated.vcf")
    assert "Now's the time for all folk to come to the aid of their country." in cx.note
    assert cx.photo_mime == "image/jpeg" and cx.photo and cx.photo[:3] == b"\xff\xd8\xff"
    assert (cx.given_name, cx.family_name, cx.middle_name) == ("Forrest", "Gump", "Hoge")

    gm = _first("vcard/mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/John_Doe_GMAIL.vcf")
    assert gm.anniversary == "1975-03-01"  # item1.X-ABDATE labelled _$!<Anniversary>!$_
    assert gm.middle_name == "Richter, James"

    fc = _first("vcard/mangstadt__ez-vcard/src/test/resources/ezvcard/io/text/fullcontact.vcf")
    assert ("skype", "skype") in [(i.kind, i.value) for i in fc.identities]
    assert fc.tags == ("Tag",)

    ev = _first("vcard/gammu__gammu/tests/vcards/version3.vcf")
    assert ev.birthday is None and ev.anniversary is None  # 1000-01-01 placeholders

    jd = _first("vcard/roundcube__roundcubemail/tests/src/johndoe.vcf")
    assert jd.family_name == "Doë"  # CHARSET=windows-1252

    gcsv = _first("csv_contacts/roundcube__roundcubemail/tests/src/Csv2vcard/gmail.csv")
    assert gcsv.tags == ("Test",)
    assert gcsv.identities[0].value == "home@aaa.pl" and gcsv.identities[0].pref

    allcsv = _first("csv_contacts/roundcube__roundcubemail/tests/src/Csv2vcard/all.csv")
    assert (allcsv.birthday, allcsv.anniversary) == ("1991-01-20", "1992-02-20")  # dd/mm/yyyy
