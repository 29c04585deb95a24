"""mbox splitting (mboxo/mboxrd, Takeout, Content-Length, CRLF) and the MboxImporter contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.core.progress import Cancelled
from netassist.importers.base import FormatError
from netassist.importers.email_mbox import MboxImporter, count_messages, iter_spans, message_bytes
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
)

FIXTURES = Path(__file__).parent / "fixtures" / "mbox"


def _msg(sender: str, to: str, n: int, body: str = "Hello", extra: str = "") -> str:
    return (
        f"From {sender} Mon Jan  2 10:00:{n:02d} 2023\n"
        f"From: {sender}\nTo: {to}\nDate: Mon, 2 Jan 2023 10:00:{n:02d} +0000\n"
        f"Subject: s{n}\nMessage-ID: <m{n}@example.com>\n{extra}\n{body}\n"
    )


def _bodies(data: bytes) -> list[bytes]:
    return [message_bytes(data, s).split(b"\n\n", 1)[1] for s in iter_spans(data)]


def test_unescaped_from_line_in_body_does_not_split() -> None:
    body = "This is my favourite James Bond movie:\n\nFrom Russia with love\nYear: 1963\n\nbye"
    data = (_msg("a@x.org", "b@x.org", 1, body) + "\n" + _msg("b@x.org", "a@x.org", 2)).encode()
    bodies = _bodies(data)
    assert len(bodies) == 2
    assert b"From Russia with love\nYear: 1963" in bodies[0]


def test_separator_without_blank_line_needs_full_envelope() -> None:
    # roundcube writes messages back to back; a real envelope line still splits.
    data = (
        _msg("a@x.org", "b@x.org", 1).rstrip("\n") + "\n" + _msg("c@x.org", "b@x.org", 2)
    ).encode()
    assert len(list(iter_spans(data))) == 2


def test_mboxrd_unescaping_one_level() -> None:
    body = ">From the start\n>>From deeper\n> quoted From here"
    data = _msg("a@x.org", "b@x.org", 1, body).encode()
    assert _bodies(data)[0].rstrip(b"\n") == b"From the start\n>From deeper\n> quoted From here"


def test_crlf_bom_and_gmail_takeout_envelopes() -> None:
    data = b"\xef\xbb\xbf" + (FIXTURES / "gmail_takeout.mbox").read_bytes()
    assert len(list(iter_spans(data))) == 6


def test_content_length_beats_a_separator_lookalike() -> None:
    assert count_messages(FIXTURES / "content_length.mbox") == 2


def test_lying_content_length_is_ignored(tmp_path: Path) -> None:
    data = (
        _msg("a@x.org", "b@x.org", 1, extra="Content-Length: 3\n")
        + "\n"
        + _msg("b@x.org", "a@x.org", 2)
    )
    p = tmp_path / "x.mbox"
    p.write_text(data)
    assert count_messages(p) == 2


def test_not_an_mbox() -> None:
    with pytest.raises(FormatError):
        list(iter_spans(b"Subject: hi\n\nbody"))
    assert MboxImporter().sniff(Path("x.txt"), b"Hello world") == 0
    assert (
        MboxImporter().sniff(Path("x"), (FIXTURES / "gmail_takeout.mbox").read_bytes()[:4096]) >= 90
    )


def test_me_from_options_skips_inference_and_counts(tmp_path: Path) -> None:
    p = tmp_path / "x.mbox"
    p.write_text(
        _msg("me@x.org", "you@x.org", 1)
        + "\n"
        + _msg("you@x.org", "me@x.org", 2)
        + "\n"
        + _msg("me@x.org", "me@x.org", 3)
        + "\n"
        + _msg("news@x.org", "me@x.org", 4, extra="Precedence: bulk\n")
    )
    imp = MboxImporter()
    opts = ImportOptions(me_identities=(IdentityRef("email", "ME@x.org"),))
    recs = list(imp.parse(p, opts))
    assert not any(isinstance(r, MeHint) for r in recs)
    assert [r.direction for r in recs if isinstance(r, ImportedInteraction)] == ["out", "in"]
    assert (imp.skipped_self, imp.skipped_bulk, imp.messages) == (1, 1, 4)
    kept = list(
        MboxImporter().parse(
            p, ImportOptions(me_identities=opts.me_identities, include_bulk_mail=True)
        )
    )
    assert sum(isinstance(r, ImportedInteraction) for r in kept) == 3


def test_hostile_input_yields_problems_not_crashes(tmp_path: Path) -> None:
    nested = (
        "Content-Type: multipart/mixed; boundary=b\n\n"
        + "--b\nContent-Type: multipart/mixed; boundary=b\n\n" * 3000
    )
    p = tmp_path / "x.mbox"
    p.write_bytes(
        (
            _msg("a@x.org", "b@x.org", 1, extra="Date: garbage\n").replace(
                "Date: Mon", "X-Old: Mon"
            )
            + "\n"
        ).encode()
        + _msg("a@x.org", "b@x.org", 2, body="\x00\xff" * 10).encode()
        + b"\n"
        + (
            "From a@x.org Mon Jan  2 10:00:03 2023\nFrom: a@x.org\nTo: b@x.org\nDate: Mon, 2 Jan 2023 10:00:03 +0000\n"
            + nested
        ).encode()
        + b"\n"
        + b"From a@x.org Mon Jan  2 10:00:04 2023\nFrom: a@x.org\nSubject: "
        + b"x" * 2_000_000
        + b"\n\nbody\n"
    )
    recs = list(MboxImporter().parse(p))
    assert sum(isinstance(r, ImportProblem | ImportedInteraction) for r in recs) == 4


class _CancelAfterStart:
    def set_progress(self, fraction: float | None, text: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return True


def test_cancellation(tmp_path: Path) -> None:
    p = tmp_path / "x.mbox"
    p.write_text(_msg("a@x.org", "b@x.org", 1))
    with pytest.raises(Cancelled):
        list(MboxImporter().parse(p, progress=_CancelAfterStart()))


def test_drafts_spam_and_aliases_from_gmail_labels(tmp_path: Path) -> None:
    p = tmp_path / "All mail Including Spam and Trash.mbox"
    p.write_text(
        _msg("me@x.org", "you@x.org", 1, extra="X-Gmail-Labels: Sent\n")
        + "\n"
        + _msg("me@x.org", "you@x.org", 2, extra="X-Gmail-Labels: Sent,Opened\n")
        + "\n"
        + _msg("me@work.org", "boss@work.org", 3, extra="X-Gmail-Labels: Sent\n")
        + "\n"
        + _msg("me@work.org", "boss@work.org", 4, extra="X-Gmail-Labels: Sent\n")
        + "\n"
        + _msg("me@x.org", "you@x.org", 5, extra="X-Gmail-Labels: Draft\n")
        + "\n"
        + _msg("win@lottery.biz", "me@x.org", 6, extra="X-Gmail-Labels: Spam,Unread\n")
        + "\n"
        + _msg("you@x.org", "me@x.org", 7, extra="X-Gmail-Labels: Inbox\n")
    )
    imp = MboxImporter()
    recs = list(imp.parse(p))
    assert isinstance(recs[0], MeHint)
    assert sorted(i.value for i in recs[0].identities) == ["me@work.org", "me@x.org"]
    mails = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert [r.direction for r in mails] == ["out", "out", "out", "out", "in"]
    assert (imp.skipped_self, imp.skipped_bulk) == (1, 1)


def test_apple_mail_mbox_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Inbox.mbox"
    folder.mkdir()
    (folder / "mbox").write_text(_msg("a@x.org", "b@x.org", 1))
    (folder / "Info.plist").write_text("<plist/>")
    assert MboxImporter().sniff(folder, b"") == 90
    recs = list(
        MboxImporter().parse(
            folder, ImportOptions(me_identities=(IdentityRef("email", "b@x.org"),))
        )
    )
    assert len(recs) == 1 and isinstance(recs[0], ImportedInteraction)


def _invite(n: int, method: str, uid: str, seq: int, start: str) -> str:
    cal = (
        f"BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:{method}\nBEGIN:VEVENT\nUID:{uid}\n"
        f"SEQUENCE:{seq}\nDTSTAMP:2023010{n}T080000Z\nDTSTART:{start}\n"
        "ORGANIZER:mailto:anna@x.ru\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@x.ru\n"
        "SUMMARY:Planning\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    extra = f'MIME-Version: 1.0\nContent-Type: text/calendar; charset="UTF-8"; method={method}\n'
    return _msg("anna@x.ru", "me@x.ru", n, cal, extra)


def test_a_rescheduled_or_cancelled_invitation_is_its_latest_version(tmp_path: Path) -> None:
    # Each update of a meeting comes as a new mail with the same UID and a higher SEQUENCE:
    # the meeting is where its latest version puts it, and a cancelled one is no meeting.
    mails = [
        _invite(1, "REQUEST", "a@cal", 0, "20230110T100000Z"),
        _invite(2, "REQUEST", "a@cal", 1, "20230111T120000Z"),  # moved
        _invite(3, "REQUEST", "b@cal", 0, "20230112T100000Z"),
        _invite(4, "CANCEL", "b@cal", 1, "20230112T100000Z"),
    ]
    p = tmp_path / "inbox.mbox"
    p.write_text("\n".join(mails), encoding="utf-8")
    opts = ImportOptions(me_identities=(IdentityRef("email", "me@x.ru"),))
    recs = list(MboxImporter().parse(p, opts))
    meetings = [r for r in recs if isinstance(r, ImportedInteraction) and r.channel == "meeting"]
    assert [(m.conversation_key, m.occurred_at.isoformat()) for m in meetings] == [
        ("ics:a@cal", "2023-01-11T12:00:00+00:00")
    ]
    assert [r for r in recs if isinstance(r, ImportProblem)] == []


def test_pipermail_archive_is_list_mail_with_readable_senders(tmp_path: Path) -> None:
    # Mailman 2's public archives (monthly .txt files) hide addresses as "user at domain" in the
    # envelope and in From, and drop To and List-Id: it is a mailing list's mail.
    def post(n: int, sender: str, name: str, date: str) -> str:
        return (
            f"From {sender}  {date}\n"
            f"From: {sender} ({name})\nDate: Tue, 10 Jul 2012 13:29:{n:02d} +0200\n"
            f"Subject: [Fedora-packaging] RPM macros\nMessage-ID: <p{n}@example.org>\n\n"
            f"Text {n}\n\n"
        )

    p = tmp_path / "2012-July.txt"
    p.write_text(
        post(
            1,
            "vondruch at redhat.com",
            "=?ISO-8859-2?Q?V=EDt_Ondruch?=",
            "Tue Jul 10 11:29:44 2012",
        )
        + post(
            2,
            "bjorn at xn--rombobjrn-67a.se",
            "=?ISO-8859-1?Q?Bj=F6rn?= Persson",
            "Thu Jul 12 23:49:23 2012",
        )  # fmt: skip
        + post(3, "dan at danny.cz", "Dan =?ISO-8859-1?Q?Hor=E1k?=", "Tue Jul 24 20:24:38 2012"),
        encoding="ascii",
    )
    imp = MboxImporter()
    recs = list(imp.parse(p))
    assert imp.skipped_bulk == 3
    assert not [r for r in recs if isinstance(r, ImportProblem | ImportedInteraction)]
    kept = list(MboxImporter().parse(p, ImportOptions(include_bulk_mail=True)))
    mails = [r for r in kept if isinstance(r, ImportedInteraction)]
    assert [
        (m.direction, m.counterparts[0].name, m.counterparts[0].identities[0].value) for m in mails
    ] == [  # fmt: skip
        ("in", "Vít Ondruch", "vondruch@redhat.com"),
        ("in", "Björn Persson", "bjorn@xn--rombobjrn-67a.se"),
        ("in", "Dan Horák", "dan@danny.cz"),
    ]
