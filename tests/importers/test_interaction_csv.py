"""Generic interaction-log CSV: encodings, delimiters, timestamp forms, me detection, bad rows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netassist.importers.base import FormatError, read_head
from netassist.importers.interaction_csv import InteractionCsvImporter, parse_party, parse_when
from netassist.importers.records import IdentityRef, ImportOptions, ImportProblem, Party
from tests.importers._golden_msg import check_golden, interactions

FIX = Path(__file__).parent / "fixtures/interaction_csv"
MSK = ImportOptions(local_timezone="Europe/Moscow")


def test_cp1251_semicolon_golden() -> None:
    path = FIX / "log_cp1251.csv"
    records = list(InteractionCsvImporter().parse(path, MSK))
    check_golden(records, path.with_name(path.name + ".expected.json"))
    msgs = interactions(records)
    assert [m.direction for m in msgs] == ["out", "in", "in", "mutual", "in"]
    assert msgs[0].text == "Обсудили проект" and msgs[0].channel == "meeting"
    assert msgs[0].occurred_at == datetime(2024, 3, 5, 7, 15, tzinfo=UTC)
    assert msgs[0].tz_status == "local"
    assert msgs[1].channel == "call"
    assert msgs[1].counterparts == (Party(identities=(IdentityRef("phone", "+7 916 123-45-67"),)),)
    assert msgs[3].counterparts == (Party(name="Ольга Кузнецова"), Party(name="Иван Петров"))
    assert msgs[4].tz_status == "date"
    assert msgs[4].counterparts[0].identities == (IdentityRef("telegram", "@olga_k"),)
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert [p.where for p in problems] == ["log_cp1251.csv:5"]


def test_utf8_bom_comma_golden() -> None:
    path = FIX / "log_utf8.csv"
    records = list(InteractionCsvImporter().parse(path, MSK))
    check_golden(records, path.with_name(path.name + ".expected.json"))
    msgs = interactions(records)
    assert msgs[0].counterparts == (
        Party(name="Anna Smith", identities=(IdentityRef("email", "anna@example.com"),)),
    )
    assert msgs[0].occurred_at == datetime(2024, 3, 5, 7, 15, tzinfo=UTC)
    assert msgs[1].occurred_at == datetime.fromtimestamp(1709632800, UTC)  # epoch seconds
    assert msgs[2].occurred_at == datetime.fromtimestamp(1709636400, UTC)  # epoch ms
    assert msgs[2].duration_s == 95 and msgs[2].channel == "call"
    assert msgs[3].tz_status == "local"
    assert len(msgs[4].counterparts) == 2
    assert msgs[5].direction == "in"  # stated by the direction column
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert [p.where for p in problems] == ["log_utf8.csv:8"]


def test_me_identities_option(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "time,sender,recipient\n2024-01-01T10:00:00Z,masha@example.ru,+7 (916) 000-11-22\n"
    )
    opts = ImportOptions(me_identities=(IdentityRef("email", "Masha@Example.ru"),))
    (m,) = interactions(InteractionCsvImporter().parse(path, opts))
    assert m.direction == "out"
    opts = ImportOptions(me_identities=(IdentityRef("phone", "89160001122"),))
    (m,) = interactions(InteractionCsvImporter().parse(path, opts))
    assert m.direction == "in"


def test_column_map_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("когда именно\tкто\tс кем\n2024-01-01T10:00:00Z\tя\tОля\n")
    with pytest.raises(FormatError):
        list(InteractionCsvImporter().parse(path))
    opts = ImportOptions(column_map={"когда именно": "timestamp", "кто": "from", "с кем": "to"})
    (m,) = interactions(InteractionCsvImporter().parse(path, opts))
    assert m.direction == "out" and m.counterparts == (Party(name="Оля"),)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("2024-03-05T10:15:00+03:00", "utc"),
        ("2024-03-05 10:15", "local"),
        ("05.03.2024 10:15:30", "local"),
        ("05.03.2024", "date"),
        ("2024-03-05", "date"),
        ("1709632800", "utc"),
        ("1709632800123", "utc"),
    ],
)
def test_timestamp_forms(value: str, status: str) -> None:
    got = parse_when(value, ZoneInfo("Europe/Moscow"))
    assert got is not None and got[1] == status and got[0].tzinfo is not None


def test_bad_timestamps_and_parties() -> None:
    assert parse_when("31.02.2024 10:00", None) is None
    assert parse_when("когда-нибудь", None) is None
    assert parse_party("  ") is None
    assert parse_party("Иван") == Party(name="Иван")


def test_sniff_and_stable_fingerprints() -> None:
    for name in ("log_cp1251.csv", "log_utf8.csv"):
        path = FIX / name
        assert InteractionCsvImporter().sniff(path, read_head(path)) >= 80
        a = [m.fingerprint for m in interactions(InteractionCsvImporter().parse(path, MSK))]
        b = [m.fingerprint for m in interactions(InteractionCsvImporter().parse(path, MSK))]
        assert a == b and len(set(a)) == len(a)
    assert InteractionCsvImporter().sniff(FIX / "x.csv", b"name,email\nA,a@b.c\n") == 0


def test_hostile_rows(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(
        b"timestamp,from,to,text\n"
        b"2024-01-01T10:00:00Z,me,Bob,ok\n"
        b"2024-01-01T11:00:00Z,me,Bob,nul \x00 here\n"
        b"2024-01-01T12:00:00Z,me,Bob," + b"x" * 3_000_000 + b"\n"
        b"2024-01-01T13:00:00Z,\xff\xfe,Bob,bad bytes\n"
        b"2024-01-01T14:00:00Z,me,me,only me\n"
    )
    records = list(InteractionCsvImporter().parse(path))
    msgs = interactions(records)
    assert [m.occurred_at.hour for m in msgs] == [10, 11, 12, 13]
    assert len(msgs[2].text or "") == 3_000_000
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert [(p.where, p.reason) for p in problems] == [("log.csv:6", "nobody but me in this row")]


def test_windows_line_breaks_inside_a_quoted_text_cell(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(
        'Дата;От;Кому;Текст\r\n06.12.2026 13:00;я;Иван;"Привет,\r\nкак дела?"\r\n'.encode("cp1251")
    )
    (row,) = interactions(InteractionCsvImporter().parse(path))
    assert row.text == "Привет,\nкак дела?"


def test_mail_header_dates_as_mail_tools_write_them() -> None:
    # Mail header exports ("Date,From,To,Subject") keep the RFC 5322 date as it was written.
    msk = ZoneInfo("Europe/Moscow")
    assert parse_when("Tue, 6 Sep 2016 10:11:12 +0800", msk) == (
        datetime(2016, 9, 6, 2, 11, 12, tzinfo=UTC),
        "utc",
    )
    assert parse_when("Fri, 13 Oct 2023 09:15:02 GMT", msk) == (
        datetime(2023, 10, 13, 9, 15, 2, tzinfo=UTC),
        "utc",
    )
    # A Twilio log written by its old Python library: the weekday's comma dropped.
    assert parse_when("Mon 03 Jan 2000 00:00:00 +0000", msk) == (
        datetime(2000, 1, 3, tzinfo=UTC),
        "utc",
    )
    # No zone ("-0000" means unknown): local wall time.
    assert parse_when("6 Sep 2016 10:11:12 -0000", msk) == (
        datetime(2016, 9, 6, 7, 11, 12, tzinfo=UTC),
        "local",
    )
    assert parse_when("Tue, 31 Feb 2016 10:11:12 +0000", msk) is None


def test_sms_gateway_log_with_sentdate_and_inbound_outbound(tmp_path: Path) -> None:
    # The SMS log layout of Twilio's console download: no "me" in it, the Direction column
    # says which side is mine ("inbound", "outbound-api", "outbound-reply").
    path = tmp_path / "sms_log.csv"
    path.write_text(
        "From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,"
        "Direction,Price,PriceUnit\n"
        "+15551230001,+15559870002,Hi there,received,2021-03-15T18:32:05-07:00,2010-04-01,1,0,"
        "AC1,SM1,inbound,-0.0075,USD\n"
        '+15559870002,+15551230001,"Hello,\nsee you",delivered,2021-03-15T18:40:00-07:00,'
        "2010-04-01,1,0,AC1,SM2,outbound-reply,-0.0075,USD\n"
        "+15559870002,+15551230001,Reminder,delivered,2021-03-16T09:00:00-07:00,2010-04-01,1,0,"
        "AC1,SM3,outbound-api,-0.0075,USD\n",
        encoding="utf-8",
    )
    assert InteractionCsvImporter().sniff(path, read_head(path)) >= 80
    records = list(InteractionCsvImporter().parse(path))
    msgs = interactions(records)
    assert [m.direction for m in msgs] == ["in", "out", "out"]
    phone = Party(identities=(IdentityRef("phone", "+15551230001"),))
    assert [m.counterparts for m in msgs] == [(phone,)] * 3
    assert msgs[0].occurred_at == datetime(2021, 3, 16, 1, 32, 5, tzinfo=UTC)
    assert msgs[1].text == "Hello,\nsee you"


def test_mail_export_with_comma_separated_recipients(tmp_path: Path) -> None:
    # Mail header exports copy the To header as it is: addresses separated by commas.
    path = tmp_path / "mail.csv"
    path.write_text(
        "Date,From,To,Subject\n"
        '"Mon, 14 May 2001 16:39:00 -0700",phillip.allen@enron.com,'
        '"tim.belden@enron.com, john.arnold@enron.com",Re: forecast\n'
        '"Tue, 15 May 2001 09:00:00 -0700",me,"""Petrov, Ivan"" <ivan@example.com>",hi\n',
        encoding="utf-8",
    )
    msgs = interactions(InteractionCsvImporter().parse(path))
    assert [p.identities for p in msgs[0].counterparts] == [
        (IdentityRef("email", "phillip.allen@enron.com"),),
        (IdentityRef("email", "tim.belden@enron.com"),),
        (IdentityRef("email", "john.arnold@enron.com"),),
    ]
    assert msgs[0].direction == "mutual"
    assert msgs[1].counterparts == (
        Party(name="Petrov, Ivan", identities=(IdentityRef("email", "ivan@example.com"),)),
    )


def _times(tmp_path: Path, rows: list[str], name: str) -> list[datetime]:
    p = tmp_path / name
    p.write_text("timestamp,from,to,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    opts = ImportOptions(local_timezone="UTC", me_names=("me",))
    return [r.occurred_at for r in interactions(list(InteractionCsvImporter().parse(p, opts)))]


def test_us_month_first_dates_are_read_from_the_whole_column(tmp_path: Path) -> None:
    """US software writes 12/25/2023 3:45 PM. The order is decided from the whole column: a
    second number above 12 anywhere (even on the last row) means month first; with none, a
    12-hour clock does; a first number above 12 means day first; dots are day first."""
    us = [f"0{m}/0{d}/2023 {h}:05 PM,me,Ann,hi" for m, d, h in ((1, 2, 3), (3, 4, 11))]
    assert _times(tmp_path, [*us, "12/25/2023 12:15 AM,me,Ann,late"], "us.csv") == [
        datetime(2023, 1, 2, 15, 5, tzinfo=UTC),
        datetime(2023, 3, 4, 23, 5, tzinfo=UTC),
        datetime(2023, 12, 25, 0, 15, tzinfo=UTC),
    ]
    # 24-hour clock, month first only shown by the last row
    rows = ["01/02/2023 15:05,me,Ann,a", "03/04/2023 09:00,me,Ann,b", "05/13/2023 10:00,me,Ann,c"]
    assert [t.date().isoformat() for t in _times(tmp_path, rows, "us24.csv")] == [
        "2023-01-02", "2023-03-04", "2023-05-13",
    ]  # fmt: skip
    # day first: a first number above 12; and the ambiguous 24-hour default stays day first
    rows = ["01/02/2023 15:05,me,Ann,a", "25/12/2023 09:00,me,Ann,b"]
    assert [t.date().isoformat() for t in _times(tmp_path, rows, "eu.csv")] == [
        "2023-02-01", "2023-12-25",
    ]  # fmt: skip
    assert [t.date().isoformat() for t in _times(tmp_path, rows[:1], "amb.csv")] == ["2023-02-01"]
    dotted = ["01.02.2023 3:05 PM,me,Ann,a"]
    assert _times(tmp_path, dotted, "dots.csv") == [datetime(2023, 2, 1, 15, 5, tzinfo=UTC)]
    assert parse_when("13/25/2023", None) is None
    assert parse_when("12/25/2023 13:00 PM", None, month_first=True) is None


def test_a_log_without_a_header_in_the_documented_order(tmp_path: Path) -> None:
    """timestamp, from, to[, channel][, text] without a header line: the first rows read that
    way, so they are data; a bad row is reported with its own line number."""
    p = tmp_path / "log.csv"
    p.write_text(
        "2024-03-01 10:00,me,Anna <anna@example.org>,email,Привет\n"
        "2024-03-02 11:00,Anna <anna@example.org>,me,email,Hi!\n"
        "yesterday,me,Anna <anna@example.org>,call,\n"
        "2024-03-03 12:00,me,+7 900 123-45-67,sms,ok\n",
        encoding="utf-8",
    )
    imp = InteractionCsvImporter()
    assert imp.sniff(p, read_head(p)) > 0
    recs = list(imp.parse(p, ImportOptions(local_timezone="UTC")))
    msgs = interactions(recs)
    assert [(m.channel, m.direction, m.text) for m in msgs] == [
        ("email", "out", "Привет"), ("email", "in", "Hi!"), ("sms", "out", "ok"),
    ]  # fmt: skip
    problems = [r for r in recs if isinstance(r, ImportProblem)]
    assert [(pr.where, pr.reason) for pr in problems] == [
        ("log.csv:3", "'yesterday' is not a time")
    ]
    # four columns: the fourth is the text unless it names channels
    q = tmp_path / "four.csv"
    q.write_text("2024-03-01 10:00,me,Anna,see you at 5\n2024-03-02 10:00,Anna,me,ok\n")
    assert [m.text for m in interactions(list(imp.parse(q)))] == ["see you at 5", "ok"]
    r = tmp_path / "chan.csv"
    r.write_text("2024-03-01 10:00,me,Anna,call\n2024-03-02 10:00,Anna,me,telegram\n")
    assert [m.channel for m in interactions(list(imp.parse(r)))] == ["call", "telegram"]
    # not the documented order: still refused, with the reason
    bad = tmp_path / "bad.csv"
    bad.write_text("Anna,me,2024-03-01\n")
    assert imp.sniff(bad, read_head(bad)) == 0
    with pytest.raises(FormatError, match="no from, timestamp, to column"):
        list(imp.parse(bad))
