"""IcsImporter: recurrence windows, time zones, who "me" is, broken files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netassist.importers.base import FormatError
from netassist.importers.ics import IcsImporter, repair_calendar, value_to_utc
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _cal(*events: str, extra: str = "") -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\n" + extra + "".join(events) + "END:VCALENDAR\n"


def _event(uid: str, start: str, *lines: str) -> str:
    body = "\n".join(lines)
    return f"BEGIN:VEVENT\nUID:{uid}\nDTSTART{start}\nSUMMARY:{uid}\n{body}\nEND:VEVENT\n"


ME = "ATTENDEE;CN=Me:mailto:me@x.ru"
ANNA = "ATTENDEE;CN=Анна:mailto:anna@x.ru"


def _parse(tmp_path: Path, text: str, me: str | None = "me@x.ru") -> list:
    p = tmp_path / "c.ics"
    p.write_text(text, encoding="utf-8")
    opts = ImportOptions(me_identities=(IdentityRef("email", me),)) if me else ImportOptions()
    return list(IcsImporter(now=NOW).parse(p, opts))


def _meetings(recs: list) -> list[ImportedInteraction]:
    return [r for r in recs if isinstance(r, ImportedInteraction)]


def test_endless_weekly_rule_is_capped_at_five_years(tmp_path: Path) -> None:
    recs = _parse(tmp_path, _cal(_event("w", ":20100104T090000Z", "RRULE:FREQ=WEEKLY", ME, ANNA)))
    got = _meetings(recs)
    assert got[-1].occurred_at <= NOW
    assert got[0].occurred_at >= NOW - timedelta(days=5 * 366)
    assert 255 <= len(got) <= 262
    assert len({r.fingerprint for r in got}) == len(got)


def test_finite_rule_long_ago_is_kept(tmp_path: Path) -> None:
    recs = _parse(
        tmp_path, _cal(_event("f", ":20100104T090000Z", "RRULE:FREQ=WEEKLY;COUNT=4", ME, ANNA))
    )
    assert [r.occurred_at.day for r in _meetings(recs)] == [4, 11, 18, 25]


@pytest.mark.parametrize(
    ("start", "expected", "status"),
    [
        (";TZID=Europe/Moscow:20230601T100000", "2023-06-01T07:00:00+00:00", "utc"),
        (";TZID=Russian Standard Time:20230601T100000", "2023-06-01T07:00:00+00:00", "utc"),
        (";TZID=Pacific Standard Time:20230101T100000", "2023-01-01T18:00:00+00:00", "utc"),
        (
            ';TZID="/mozilla.org/20050126_1/Europe/Berlin":20230101T100000',
            "2023-01-01T09:00:00+00:00",
            "utc",
        ),
        # Outlook's display names (no VTIMEZONE of that name in the file): their UTC offset
        (
            ';TZID="(UTC+03:00) Moscow, St. Petersburg":20230601T100000',
            "2023-06-01T07:00:00+00:00",
            "utc",
        ),
        (
            ';TZID="(GMT-05:00) Eastern Time (US & Canada)":20230101T100000',
            "2023-01-01T15:00:00+00:00",
            "utc",
        ),
        (';TZID="(UTC+05:30) Chennai":20230101T100000', "2023-01-01T04:30:00+00:00", "utc"),
        (":20230601T100000", "2023-06-01T10:00:00+00:00", "floating"),
        (";VALUE=DATE:20230601", "2023-06-01T00:00:00+00:00", "date"),
        (":20230601T100000Z", "2023-06-01T10:00:00+00:00", "utc"),
    ],
)
def test_time_zones(tmp_path: Path, start: str, expected: str, status: str) -> None:
    (rec,) = _meetings(_parse(tmp_path, _cal(_event("t", start, ME, ANNA))))
    assert (rec.occurred_at.isoformat(), rec.tz_status) == (expected, status)


def test_unknown_tzid_is_floating() -> None:
    assert value_to_utc(datetime(2023, 1, 1, 10), "Mars/Olympus_Mons") == (
        datetime(2023, 1, 1, 10, tzinfo=UTC),
        "floating",
    )


def test_me_inferred_from_the_most_common_attendee(tmp_path: Path) -> None:
    text = _cal(
        _event("a", ":20230101T100000Z", ME, ANNA),
        _event("b", ":20230102T100000Z", ME, "ATTENDEE:mailto:bob@x.ru"),
        _event("c", ":20230103T100000Z", "ORGANIZER:mailto:me@x.ru", "ATTENDEE:mailto:carl@x.ru"),
    )
    recs = _parse(tmp_path, text, me=None)
    assert isinstance(recs[0], MeHint) and recs[0].identities[0].value == "me@x.ru"
    assert [r.counterparts[0].identities[0].value for r in _meetings(recs)] == [
        "anna@x.ru",
        "bob@x.ru",
        "carl@x.ru",
    ]


def test_organizer_is_me_when_nothing_else_tells(tmp_path: Path) -> None:
    text = _cal(_event("a", ":20230101T100000Z", "ORGANIZER:mailto:boss@x.ru", ANNA))
    (rec,) = _meetings(_parse(tmp_path, text, me=None))
    assert [p.identities[0].value for p in rec.counterparts] == ["anna@x.ru"]


def test_events_without_others_are_skipped_silently(tmp_path: Path) -> None:
    assert _parse(tmp_path, _cal(_event("a", ":20230101T100000Z", ME))) == []


def test_broken_lines_are_dropped_and_bad_dates_reported(tmp_path: Path) -> None:
    text = _cal(
        _event("a", ":20230101T100000Z", ME, ANNA),
        _event("b", ":2023-13-45", ME, ANNA),
        extra="garbage line\n",
    )
    recs = _parse(tmp_path, text)
    assert len(_meetings(recs)) == 1
    assert any(isinstance(r, ImportProblem) for r in recs)
    fixed, dropped = repair_calendar(b"BEGIN:VCALENDAR\nX\nBEGIN:VEVENT\nEND:VEVENT\n")
    assert dropped == 1 and fixed.endswith(b"END:VCALENDAR\r\n")


def test_not_a_calendar(tmp_path: Path) -> None:
    p = tmp_path / "x.ics"
    p.write_text("hello")
    assert IcsImporter().sniff(p, b"hello") == 0
    with pytest.raises(FormatError):
        list(IcsImporter().parse(p))


def test_outlook_attendees_without_address_keep_the_addresses_in_their_name(
    tmp_path: Path,
) -> None:
    # Outlook writes recipients it could not resolve as "invalid:nomail", the typed addresses
    # (several, comma-separated) left in CN; a plain name there names nobody we can reach.
    recs = _parse(
        tmp_path,
        _cal(
            _event(
                "o",
                ";TZID=Russian Standard Time:20230411T080000",
                'ATTENDEE;CN="anna@yandex.ru, boris@example.com";RSVP=TRUE:invalid:nomail',
                'ATTENDEE;CN="Vera Typed";RSVP=TRUE:invalid:nomail',
                ME,
            )
        ),
    )
    (meeting,) = _meetings(recs)
    assert meeting.occurred_at == datetime(2023, 4, 11, 5, 0, tzinfo=UTC)
    assert sorted(p.identities[0].value for p in meeting.counterparts) == [
        "anna@yandex.ru",
        "boris@example.com",
    ]


def test_a_meeting_sent_again_counts_once_in_its_latest_version(tmp_path: Path) -> None:
    # Invitations saved into one file (one VCALENDAR each): the organizer re-sent the meeting
    # (same UID) with a new time; an older, lower SEQUENCE copy comes after; attendees' replies
    # and counter-proposals are not the meeting. One meeting, at its latest time.
    def one(method: str, *lines: str) -> str:
        return _cal(
            "BEGIN:VEVENT\n" + "\n".join(lines) + "\nEND:VEVENT\n", extra=f"METHOD:{method}\n"
        )

    common = ("UID:m1", "ORGANIZER:mailto:me@x.ru", ANNA)
    text = "\n".join(
        [
            one("REQUEST", *common, "SEQUENCE:2", "DTSTAMP:20230101T090000Z",
                "DTSTART:20230105T100000Z", "SUMMARY:First time"),
            one("REQUEST", *common, "SEQUENCE:3", "DTSTAMP:20230102T090000Z",
                "DTSTART:20230106T120000Z", "SUMMARY:Moved"),
            one("REQUEST", *common, "SEQUENCE:0", "DTSTAMP:20221201T090000Z",
                "DTSTART:20230101T080000Z", "SUMMARY:Obsolete"),
            one("COUNTER", *common, "SEQUENCE:3", "DTSTAMP:20230103T090000Z",
                "DTSTART:20230107T120000Z", "SUMMARY:Counter-proposal"),
            one("REPLY", "UID:m1", "ORGANIZER:mailto:me@x.ru",
                "ATTENDEE;PARTSTAT=ACCEPTED:mailto:anna@x.ru", "SEQUENCE:3",
                "DTSTAMP:20230103T100000Z"),
        ]
    )  # fmt: skip
    recs = _parse(tmp_path, text)
    assert [r for r in recs if isinstance(r, ImportProblem)] == []
    (meeting,) = _meetings(recs)
    assert meeting.subject == "Moved"
    assert meeting.occurred_at == datetime(2023, 1, 6, 12, 0, tzinfo=UTC)


def test_a_meeting_whose_latest_version_is_a_cancel_is_not_a_meeting(tmp_path: Path) -> None:
    req = _cal(_event("c1", ":20230105T100000Z", ME, ANNA, "SEQUENCE:1"), extra="METHOD:REQUEST\n")
    cancel = _cal(
        f"BEGIN:VEVENT\nUID:c1\nSEQUENCE:2\nDTSTART:20230105T100000Z\n{ME}\n{ANNA}\nEND:VEVENT\n",
        extra="METHOD:CANCEL\n",
    )
    assert _meetings(_parse(tmp_path, req + cancel)) == []
    # the cancel sent before a newer request (higher SEQUENCE) does not undo it
    newer = req.replace("SEQUENCE:1", "SEQUENCE:3")
    assert len(_meetings(_parse(tmp_path, cancel + newer))) == 1


def test_attendees_copied_for_information_are_not_at_the_meeting(tmp_path: Path) -> None:
    text = _cal(
        _event(
            "n",
            ":20230101T100000Z",
            ME,
            ANNA,
            "ATTENDEE;ROLE=NON-PARTICIPANT;RSVP=FALSE:mailto:cc@x.ru",
        )
    )
    (meeting,) = _meetings(_parse(tmp_path, text))
    assert [p.identities[0].value for p in meeting.counterparts] == ["anna@x.ru"]


def test_thunderbird_invited_attendee_is_me(tmp_path: Path) -> None:
    # Thunderbird stores a received invitation with X-MOZ-INVITED-ATTENDEE (the address it was
    # sent to); every attendee of the series is in every event, so the counts cannot tell.
    people = (
        "ORGANIZER;CN=Boss:mailto:boss@x.ru",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:anna@x.ru",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ivan@x.ru",
        "X-MOZ-INVITED-ATTENDEE:mailto:ivan@x.ru",
    )
    text = _cal(
        _event("t1", ":20230101T100000Z", *people),
        _event("t2", ":20230108T100000Z", *people),
    )
    recs = _parse(tmp_path, text, me=None)
    hints = [r for r in recs if isinstance(r, MeHint)]
    assert [h.identities[0].value for h in hints] == ["ivan@x.ru"]
    for meeting in _meetings(recs):
        assert sorted(p.identities[0].value for p in meeting.counterparts) == [
            "anna@x.ru",
            "boss@x.ru",
        ]


def test_address_folded_with_extra_indentation_is_joined_again(tmp_path: Path) -> None:
    # Lines folded with two spaces (RFC examples copied as is, some servers) leave a space
    # inside the mailto: URI after unfolding; a URI holds no spaces, so it is the fold's.
    text = _cal(
        _event(
            "f",
            ";TZID=Europe/Berlin:20140409T093000",
            ME,
            "ATTENDEE;PARTSTAT=TENTATIVE;CN=Henry Cabot:mailto:hcabot@\n  example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:jqpublic\n  @example.com",
            "ORGANIZER;CN=Jane Doe:mail\n to: jdoe@exam\n  ple.com",
        )
    )
    (meeting,) = _meetings(_parse(tmp_path, text))
    assert meeting.occurred_at == datetime(2014, 4, 9, 7, 30, tzinfo=UTC)
    assert sorted((p.identities[0].value, p.name) for p in meeting.counterparts) == [
        ("hcabot@example.com", "Henry Cabot"),
        ("jdoe@example.com", "Jane Doe"),
        ("jqpublic@example.com", None),
    ]


def test_a_time_zone_without_a_name_does_not_sink_the_file(tmp_path: Path) -> None:
    # Exchange writes a custom zone as "TZID:" (empty) and refers to it as "DTSTART;TZID=:"
    # (the parser refused the whole file: "mandatory TZID not found").
    zone = (
        "BEGIN:VTIMEZONE\nTZID:\nBEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETFROM:+0000\n"
        "TZOFFSETTO:+0000\nEND:STANDARD\nEND:VTIMEZONE\n"
    )
    text = _cal(
        _event("z1", ";TZID=:20150826T090000", "ORGANIZER;CN=Me:MAILTO:me@x.ru", ME, ANNA),
        _event("z2", ":20150827T090000Z", ME, ANNA),
        extra=zone,
    )
    recs = _parse(tmp_path, text)
    assert sorted(m.occurred_at.isoformat() for m in _meetings(recs)) == [
        "2015-08-26T09:00:00+00:00",
        "2015-08-27T09:00:00+00:00",
    ]
    assert not [r for r in recs if isinstance(r, ImportProblem)]


def test_repair_keeps_lines_folded_before_their_colon(tmp_path: Path) -> None:
    # Outlook folds long ATTENDEE lines inside the parameters; when a broken line elsewhere
    # makes the file go through the repair, such a line must be judged whole: its first part
    # (no ':' yet) was dropped and the rest glued to the line before (the ORGANIZER's address).
    text = _cal(
        _event(
            "r",
            ":20150826T090000Z",
            "ORGANIZER;CN=Me:mailto:me@x.ru",
            "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Sam Pe\n ter",
            " :mailto:sam@x.ru",
            ANNA,
        ),
        extra="this line is garbage\n",
    )
    (meeting,) = _meetings(_parse(tmp_path, text, me=None))
    assert sorted((p.identities[0].value, p.name) for p in meeting.counterparts) == [
        ("anna@x.ru", "Анна"),
        ("sam@x.ru", "Sam Peter"),
    ]


def test_attendee_address_in_the_email_parameter(tmp_path: Path) -> None:
    # RFC 7986 EMAIL: CalDAV servers (Apple's, Nextcloud) name their own users by a principal
    # URI ("urn:uuid:...", "urn:x-uid:...") and keep the address in EMAIL=.
    text = _cal(
        _event(
            "e",
            ":20230101T100000Z",
            ME,
            'ATTENDEE;CN="Roxy Kesh";EMAIL="roxy@x.ru";PARTSTAT=ACCEPTED:urn:uuid:1b2c3d4e-0000',
            "ORGANIZER;CN=Boss;EMAIL=boss@x.ru:urn:x-uid:boss",
        )
    )
    (meeting,) = _meetings(_parse(tmp_path, text))
    assert sorted((p.identities[0].value, p.name) for p in meeting.counterparts) == [
        ("boss@x.ru", "Boss"),
        ("roxy@x.ru", "Roxy Kesh"),
    ]


def test_group_attendees_are_not_people(tmp_path: Path) -> None:
    # CUTYPE=GROUP is a list (its members, when the server expands it, come with MEMBER=)
    text = _cal(
        _event(
            "g",
            ":20230101T100000Z",
            ME,
            "ATTENDEE;CN=Team;CUTYPE=GROUP;EMAIL=team@x.ru:urn:x-uid:team",
            'ATTENDEE;CN=Anna;EMAIL=anna@x.ru;MEMBER="urn:x-uid:team":urn:x-uid:anna',
        )
    )
    (meeting,) = _meetings(_parse(tmp_path, text))
    assert [p.identities[0].value for p in meeting.counterparts] == ["anna@x.ru"]


def test_own_time_zone_whose_name_ends_in_a_space(tmp_path: Path) -> None:
    # GroupWise/Outlook name zones in the user's language and keep a trailing space
    # ("TZID:Mitteleuropäische Zeit "); the DTSTART parameter loses it, so the event's own
    # VTIMEZONE was not found and 17:00 CEST was taken as 17:00 UTC.
    zone = (
        "BEGIN:VTIMEZONE\nTZID:Mitteleuropäische Zeit \nBEGIN:STANDARD\nDTSTART:20001025T020000\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
        "END:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:20000329T010000\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
        "END:DAYLIGHT\nEND:VTIMEZONE\n"
    )
    text = _cal(
        _event("cest", ";TZID=Mitteleuropäische Zeit :20250701T170000", ME, ANNA), extra=zone
    )
    (meeting,) = _meetings(_parse(tmp_path, text))
    assert (meeting.occurred_at.isoformat(), meeting.tz_status) == (
        "2025-07-01T15:00:00+00:00",
        "utc",
    )
