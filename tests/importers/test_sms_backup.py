"""SMS Backup & Restore XML: sms, mms and calls; streaming; refusing entity declarations."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.importers.base import FormatError, read_head
from netassist.importers.records import IdentityRef, ImportProblem
from netassist.importers.sms_backup import SmsBackupImporter
from tests.importers._golden_msg import check_golden, interactions

FIX = Path(__file__).parent / "fixtures/sms"
SMS = FIX / "sms-20240301120000.xml"
CALLS = FIX / "calls-20240301120000.xml"


def test_sms_and_mms_golden() -> None:
    records = list(SmsBackupImporter().parse(SMS))
    check_golden(records, SMS.with_name(SMS.name + ".expected.json"))
    msgs = interactions(records)
    assert [m.direction for m in msgs] == ["in", "out", "in", "in", "out"]  # draft skipped
    first = msgs[0]
    assert first.text == "Привет! Ты завтра свободна?"
    assert first.counterparts[0].name == "Иван Петров"
    assert first.counterparts[0].identities == (IdentityRef("phone", "+79161234567"),)
    assert first.occurred_at.isoformat() == "2024-02-29T09:46:40+00:00"
    assert msgs[1].text == "Да, после обеда 😊"
    assert msgs[2].counterparts[0].name is None  # "(Unknown)"
    mms_in, mms_out = msgs[3], msgs[4]
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
