"""SMS Backup & Restore XML: sms, mms and calls; streaming; refusing entity declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.importers.base import FormatError, read_head
from netassist.importers.records import IdentityRef, ImportProblem, SkippedMessages
from netassist.importers.sms_backup import SmsBackupImporter
from tests.importers._golden_msg import check_golden, interactions

FIX = Path(__file__).parent / "fixtures/sms"
SMS = FIX / "sms-20240301120000.xml"
CALLS = FIX / "calls-20240301120000.xml"


def test_sms_and_mms_golden() -> None:
    records = list(SmsBackupImporter().parse(SMS))
    check_golden(records, SMS.with_name(SMS.name + ".expected.json"))
    msgs = interactions(records)
    # the draft is skipped; the text from the short number 900 is left out (a service)
    assert [m.direction for m in msgs] == ["in", "out", "in", "out"]
    assert [(r.reason, r.count) for r in records if isinstance(r, SkippedMessages)] == [
        ("service_sender", 1)
    ]
    first = msgs[0]
    assert first.text == "Привет! Ты завтра свободна?"
    assert first.counterparts[0].name == "Иван Петров"
    assert first.counterparts[0].identities == (IdentityRef("phone", "+79161234567"),)
    assert first.occurred_at.isoformat() == "2024-02-29T09:46:40+00:00"
    assert msgs[1].text == "Да, после обеда 😊"
    mms_in, mms_out = msgs[2], msgs[3]
    assert mms_in.conversation_kind == "group" and mms_in.weight == 0.4
    assert mms_in.counterparts[0].identities == (IdentityRef("phone", "+79035556677"),)
    assert mms_in.attachments == 1 and mms_in.text == "Смотрите, какой закат"
    assert len(mms_out.counterparts) == 2
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert [p.where for p in problems] == ["sms-20240301120000.xml: sms 5"]


def test_calls_golden() -> None:
    records = list(SmsBackupImporter().parse(CALLS))
    check_golden(records, CALLS.with_name(CALLS.name + ".expected.json"))
    calls = interactions(records)
    assert [(c.direction, c.duration_s) for c in calls] == [
        ("in", 125), ("out", 0), ("in", 0), ("in", 0), ("out", 3605),
    ]  # fmt: skip
    assert {c.channel for c in calls} == {"call"}
    assert any(isinstance(r, ImportProblem) and "hidden" in r.reason for r in records)


def test_fingerprints_stable_and_distinct() -> None:
    a = [m.fingerprint for m in interactions(SmsBackupImporter().parse(SMS))]
    b = [m.fingerprint for m in interactions(SmsBackupImporter().parse(SMS))]
    assert a == b and len(set(a)) == len(a)


def test_sniff() -> None:
    assert SmsBackupImporter().sniff(SMS, read_head(SMS)) >= 90
    assert SmsBackupImporter().sniff(CALLS, read_head(CALLS)) >= 90
    assert SmsBackupImporter().sniff(SMS, b"<html></html>") == 0


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "sms.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<smses count="1"><sms address="1" date="1709200000000" type="1" body="&c;"/></smses>'
    )
    with pytest.raises(FormatError):
        list(SmsBackupImporter().parse(bomb))


def test_truncated_and_big_file(tmp_path: Path) -> None:
    one = (
        '<sms address="+79161234567" date="{d}" type="1" body="сообщение {i}" contact_name="Я"/>\n'
    )
    body = "".join(one.format(d=1709200000000 + i * 1000, i=i) for i in range(30000))
    big = tmp_path / "big.xml"
    big.write_text(f'<?xml version="1.0"?>\n<smses count="30000">\n{body}</smses>\n')
    msgs = interactions(SmsBackupImporter().parse(big))
    assert len(msgs) == 30000
    cut = tmp_path / "cut.xml"
    cut.write_text(f'<?xml version="1.0"?>\n<smses count="30000">\n{body}'[:-5000])
    records = list(SmsBackupImporter().parse(cut))
    assert isinstance(records[-1], ImportProblem)
    assert len(interactions(records)) > 29000
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"\x00\x01 not xml at all")
    with pytest.raises(FormatError):
        list(SmsBackupImporter().parse(junk))


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sms-20240715.xml"
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        f'<smses count="3">\n{body}</smses>\n',
        encoding="utf-8",
    )
    return path


def _mms(box: str, address: str, addrs: list[tuple[str, str]], text: str, ms: int) -> str:
    rows = "".join(f'<addr address="{a}" type="{t}" charset="106" />' for a, t in addrs)
    return (
        f'<mms date="{ms}" msg_box="{box}" address="{address}" contact_name="(Unknown)">'
        f'<parts><part seq="0" ct="text/plain" text="{text}" /></parts>'
        f"<addrs>{rows}</addrs></mms>\n"
    )


def test_rcs_group_takes_its_people_from_addrs(tmp_path: Path) -> None:
    """Google Messages writes an RCS group's thread id as the address: never a phone number."""
    thread = "5f0c2a@rcs.google.com"
    me, ann, bob, eve = "+79990000001", "+79990000002", "+79990000003", "+79990000004"
    members = [(ann, "130"), (bob, "130"), (eve, "130")]
    path = _write(
        tmp_path,
        _mms("1", thread, [*members, (bob, "137"), (me, "151")], "привет всем", 1721000123000)
        + _mms("2", thread, [(me, "137"), (ann, "151"), (bob, "151"), (eve, "151")], "да", 1721000200000)
        + _mms("1", thread, [*members, (eve, "137"), (me, "151")], "и я", 1721000300000),
    )  # fmt: skip
    records = list(SmsBackupImporter().parse(path))
    assert not [r for r in records if isinstance(r, ImportProblem)]
    got, sent, third = interactions(records)
    for msg in (got, sent, third):
        assert msg.conversation_kind == "group" and msg.weight == 0.4
        assert msg.conversation_key == got.conversation_key
        numbers = [i.value for p in msg.counterparts for i in p.identities]
        assert "rcs" not in " ".join(numbers) and me not in numbers
    assert [i.value for p in got.counterparts for i in p.identities] == [bob]
    assert [i.value for p in third.counterparts for i in p.identities] == [eve]
    assert sorted(i.value for p in sent.counterparts for i in p.identities) == [ann, bob, eve]


def test_one_to_one_mms_counts_with_the_threads_number(tmp_path: Path) -> None:
    """A received 1:1 MMS belongs to the thread's person even when the from address is
    written another way or is not theirs (a token, the message centre)."""
    body = "".join(
        f'<mms date="{1721000000000 + i}" msg_box="1" address="+79161234567" contact_name="Иван">'
        f'<parts><part ct="text/plain" text="фото {i}"/><part ct="image/jpeg" text="null"/></parts>'
        f'<addrs><addr address="{sender}" type="137"/><addr address="+79990000001" type="151"/>'
        "</addrs></mms>\n"
        for i, sender in enumerate(["89161234567", "+79035550000", "insert-address-token"])
    )
    msgs = interactions(SmsBackupImporter().parse(_write(tmp_path, body)))
    assert len(msgs) == 3
    for msg in msgs:
        assert msg.direction == "in" and msg.conversation_kind == "private"
        (party,) = msg.counterparts
        assert party.name == "Иван"
        assert party.identities == (IdentityRef("phone", "+79161234567"),)


@pytest.mark.parametrize("chunk", [1 << 20, 7])  # 7 bytes: every pattern falls across reads
def test_signalbackup_tools_xml_is_repaired_and_its_groups_leave_me_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """signalbackup-tools --exportxml (before 2023) wrote `count=2` unquoted and two `cl`
    attributes on a text part; a group's address lists every member, me included."""
    me, ann, bob = "+31600000001", "+31600000002", "+31600000003"
    group = f"{me}~{ann}~{bob}"

    def mms(box: str, sender: str, text: str, ms: int) -> str:
        addrs = "".join(
            f'<addr address="{n}" type="{"137" if n == sender else "151"}" charset="106" />'
            for n in (me, ann, bob)
        )
        return (
            f'  <mms msg_box="{box}" date="{ms}" date_sent="0" address="{group}" '
            f'contact_name="Велосипедисты" text_only="1">\n    <parts>\n'
            f'      <part seq="0" ct="text/plain" name="null" chset="106" cd="null" fn="null" '
            f'cl="&lt;text000042&gt;" cl="text000042.txt" ctt_s="null" ctt_t="null" '
            f'text="{text}" ></part>\n    </parts>\n    <addrs>{addrs}</addrs>\n  </mms>\n'
        )

    path = tmp_path / "signal.xml"
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        '<?xml-stylesheet type="text/xsl" href="sms.xsl"?>\n'
        '<smses count=3 backup_date="" type="full">\n'
        f'  <sms protocol="0" address="{ann}" contact_name="null" date="1700000000000" '
        'readable_date="Nov 14, 2023 22:13:20" type="1" subject="null" body="привет" '
        'toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" />\n'
        + mms("2", me, "едем в субботу", 1700000100000)
        + mms("1", bob, "я за", 1700000200000)
        + "</smses>\n",
        encoding="utf-8",
    )
    assert SmsBackupImporter().sniff(path, read_head(path)) >= 90
    monkeypatch.setattr("netassist.importers.sms_backup._CHUNK", chunk)
    records = list(SmsBackupImporter().parse(path))
    assert not [r for r in records if isinstance(r, ImportProblem)]
    sms, sent, got = interactions(records)
    assert sms.text == "привет" and sms.counterparts[0].name is None
    assert sent.direction == "out" and sent.conversation_kind == "group"
    assert sorted(i.value for p in sent.counterparts for i in p.identities) == [ann, bob]
    assert [i.value for p in got.counterparts for i in p.identities] == [bob]
    assert sent.conversation_title == "Велосипедисты" and got.text == "я за"


@pytest.mark.parametrize("chunk", [1 << 20, 5])
def test_emoji_written_as_utf16_halves_do_not_stop_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """SMS Backup & Restore writes 😀 as "&#55357;&#56832;" (forbidden in XML): the halves are
    joined, a lone half is U+FFFD, control-character references are dropped, and every
    message after them is still read."""
    rows = [
        ("привет &#55357;&#56832;!", "1"),
        ("&#xD83D;&#xDC4D;&#x1F60A;", "2"),
        ("обрыв &#55357; и &#56832;", "1"),
        ("звонок&#1;&#11; в 10&#58;00&#10;ок", "2"),
        ("после", "1"),
    ]
    body = "".join(
        f'<sms address="+79161234567" date="{1709200000000 + i}" type="{t}" body="{b}" '
        'contact_name="Иван" />\n'
        for i, (b, t) in enumerate(rows)
    )
    path = _write(tmp_path, body)
    monkeypatch.setattr("netassist.importers.sms_backup._CHUNK", chunk)
    records = list(SmsBackupImporter().parse(path))
    assert not [r for r in records if isinstance(r, ImportProblem)]
    assert [m.text for m in interactions(records)] == [
        "привет 😀!",
        "👍😊",
        "обрыв \ufffd и \ufffd",
        "звонок в 10:00\nок",
        "после",
    ]


def test_no_number_written_as_null_or_a_negative_code(tmp_path: Path) -> None:
    """Signal's plaintext export (SignalPlaintextBackup.xml, same format) writes address="null"
    for a Signal user without a phone number, with his name in contact_name; Android's call log
    writes -1/-2/-3 for unknown, private and payphone callers. "null" was taken for a phone
    number: everyone without one shared one conversation "sms:null", and a message with
    neither a number nor a name (or a -2 call) vanished without a word."""
    path = _write(
        tmp_path,
        '<sms protocol="0" address="null" contact_name="Bob Uuid" date="1600000100000"'
        ' type="1" subject="null" body="bob here" read="1" status="-1" />\n'
        '<sms protocol="0" address="null" contact_name="Carol Uuid" date="1600000200000"'
        ' type="2" subject="null" body="hi carol" read="1" status="-1" />\n'
        '<sms protocol="0" address="null" contact_name="null" date="1600000300000"'
        ' type="1" subject="null" body="nobody" read="1" status="-1" />\n',
    )
    recs = list(SmsBackupImporter().parse(path))
    msgs = interactions(recs)
    assert [(m.direction, m.counterparts[0].name, m.counterparts[0].identities) for m in msgs] == [
        ("in", "Bob Uuid", ()),
        ("out", "Carol Uuid", ()),
    ]
    assert len({m.conversation_key for m in msgs}) == 2
    problems = [r for r in recs if isinstance(r, ImportProblem)]
    assert [(p.where, p.reason) for p in problems] == [
        ("sms-20240715.xml: sms 3", "message has no phone number")
    ]

    calls = tmp_path / "calls-20240715.xml"
    calls.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<calls count="2">\n'
        '<call number="-2" duration="0" date="1600000000000" type="1" presentation="2"'
        ' contact_name="(Unknown)" />\n'
        '<call number="+15551230002" duration="33" date="1600000003000" type="2"'
        ' contact_name="Vera" />\n</calls>\n',
        encoding="utf-8",
    )
    recs = list(SmsBackupImporter().parse(calls))
    assert [m.counterparts[0].name for m in interactions(recs)] == ["Vera"]
    assert [p.reason for p in recs if isinstance(p, ImportProblem)] == [
        "call has no phone number (hidden caller)"
    ]


@pytest.mark.parametrize("chunk", [None, 5])
def test_html_named_entities_do_not_stop_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    """gvoice-sms-takeout-xml (Google Voice Takeout -> this format) ran each text through
    BeautifulSoup's HTML formatter: every ’ é … became &rsquo; &eacute; &hellip;, names XML
    does not know. The first one stopped the import (FormatError, or 'cut short' with all
    later messages lost). They are read as the characters they name; an unknown name stays
    as literal text."""
    if chunk:
        monkeypatch.setattr("netassist.importers.sms_backup._CHUNK", chunk)
    path = _write(
        tmp_path,
        '<sms protocol="0" address="+15551230000" date="1600000000000" type="1"'
        ' subject="null" body="I&rsquo;m at the caf&eacute;&hellip; &nbsp;ok &amp; &lt;3"'
        ' read="1" status="1" locked="0" />\n'
        '<sms protocol="0" address="+15551230000" date="1600000060000" type="2"'
        ' subject="null" body="&notanentity; &#233; fine" read="1" status="1" locked="0" />\n'
        '<sms protocol="0" address="+15551230000" date="1600000120000" type="1"'
        ' subject="null" body="last one" read="1" status="1" locked="0" />\n',
    )
    recs = list(SmsBackupImporter().parse(path))
    assert [m.text for m in interactions(recs)] == [
        "I\u2019m at the caf\u00e9\u2026 \u00a0ok & <3",
        "&notanentity; \u00e9 fine",
        "last one",
    ]
    assert not [r for r in recs if isinstance(r, ImportProblem)]


@pytest.mark.parametrize("chunk", [None, 7])
def test_raw_line_breaks_inside_a_text_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    """The app writes a line break in a text as "&#10;", but other writers of this format put
    it raw inside the attribute (Signal's early plaintext export through XStream, iPhone and
    Google Voice converters); an XML parser turns it into a space, so multi-line texts came
    out as one line. Line breaks between attributes stay whitespace."""
    if chunk:
        monkeypatch.setattr("netassist.importers.sms_backup._CHUNK", chunk)
    path = _write(
        tmp_path,
        '<sms protocol="0" address="+15551230000" date="1600000000000" type="1"\n'
        '     subject="null" body="first line\nsecond line\r\nthird" read="1" />\n'
        "<sms protocol='0' address='+15551230000' date='1600000060000' type='2'"
        " body='a &gt; b\n\nc' read='1' />\n"
        '<sms protocol="0" address="+15551230000" date="1600000120000" type="1"'
        ' body="written by the app&#10;next" read="1" />\n',
    )
    recs = list(SmsBackupImporter().parse(path))
    assert [m.text for m in interactions(recs)] == [
        "first line\nsecond line\nthird",
        "a > b\n\nc",
        "written by the app\nnext",
    ]
    assert not [r for r in recs if isinstance(r, ImportProblem)]
