"""EmlImporter on single files, folders and Maildir; the reusable message_to_records API."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netassist.importers.base import FormatError
from netassist.importers.email_eml import EmlImporter, in_sent_folder, message_files
from netassist.importers.email_message import message_to_records
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
)

FIXTURES = Path(__file__).parent / "fixtures" / "eml"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _mail(frm: str, to: str, n: int, extra: str = "") -> bytes:
    return (
        f"From: {frm}\nTo: {to}\nDate: Mon, 2 Jan 2023 10:00:{n:02d} +0000\n"
        f"Subject: s{n}\nMessage-ID: <m{n}@example.com>\n{extra}\nText {n}\n"
    ).encode()


def _maildir(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
        (root / ".&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-" / sub).mkdir(parents=True)  # "Отправленные"
    (root / "cur" / "1.M1:2,S").write_bytes(_mail("Anna <anna@x.ru>", "Me <me@x.ru>", 1))
    (root / "new" / "2.M2").write_bytes(_mail("Bob <bob@x.ru>", "me@x.ru, anna@x.ru", 2))
    (root / "tmp" / "3.M3").write_bytes(_mail("Half <half@x.ru>", "me@x.ru", 3))
    sent = root / ".&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-" / "cur"
    (sent / "4.M4:2,S").write_bytes(_mail("Me <me@x.ru>", "Anna <anna@x.ru>", 4))
    (sent / "5.M5:2,S").write_bytes(_mail("Me <me@x.ru>", "Bob <bob@x.ru>", 5))
    (root / "dovecot-uidlist").write_text("3 V1 N6\n")
    return root


def test_maildir_walk_skips_tmp_and_infers_me_from_sent(tmp_path: Path) -> None:
    root = _maildir(tmp_path / "Maildir")
    assert len(message_files(root)) == 4
    imp = EmlImporter(now=NOW)
    recs = list(imp.parse(root))
    assert isinstance(recs[0], MeHint) and recs[0].identities[0].value == "me@x.ru"
    mails = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert sorted((r.direction, r.counterparts[0].identities[0].value) for r in mails) == [
        ("in", "anna@x.ru"),
        ("in", "bob@x.ru"),
        ("out", "anna@x.ru"),
        ("out", "bob@x.ru"),
    ]
    assert EmlImporter().sniff(root, b"") > 0


def test_sent_folder_names() -> None:
    assert in_sent_folder(Path("Maildir/.Sent/cur/1"))
    assert in_sent_folder(Path("Mail/Sent Items/a.eml"))
    assert in_sent_folder(Path("Maildir/.&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-/cur/1"))
    assert not in_sent_folder(Path("Maildir/cur/1"))


def test_folder_of_eml_files_and_invitation(tmp_path: Path) -> None:
    for name in ("invitation.eml", "mailing_list.eml", "outlook_reply.eml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a mail at all")
    imp = EmlImporter(now=NOW)
    recs = list(imp.parse(tmp_path))
    assert imp.skipped_bulk == 1 and imp.messages == 3
    channels = sorted(r.channel for r in recs if isinstance(r, ImportedInteraction))
    assert channels == ["email", "email", "meeting"]


def test_single_file_that_is_not_mail() -> None:
    p = Path(__file__).parent / "fixtures" / "ics" / "windows_tz_weekly.ics"
    assert EmlImporter().sniff(p, p.read_bytes()[:4096]) == 0
    with pytest.raises(FormatError):
        list(EmlImporter().parse(p))


def test_message_to_records_for_imap() -> None:
    raw = (FIXTURES / "ru_cp1251_mailru.eml").read_bytes()
    recs = message_to_records(raw, "INBOX:42", None, {"Oleg.Ivanov@gmail.com"})
    assert len(recs) == 1 and isinstance(recs[0], ImportedInteraction)
    assert recs[0].where == "INBOX:42" and recs[0].direction == "in"
    assert recs[0].counterparts[0].name == "Иван Петров"
    assert (
        message_to_records((FIXTURES / "mailing_list.eml").read_bytes(), "INBOX:43", None, set())
        == []
    )
    kept = message_to_records(
        (FIXTURES / "mailing_list.eml").read_bytes(),
        "INBOX:43",
        ImportOptions(include_bulk_mail=True),
        set(),
    )
    assert len(kept) == 1
    bad = message_to_records(b"\x00\x01 garbage", "INBOX:44", None, set())
    assert len(bad) == 1 and isinstance(bad[0], ImportProblem)


def test_fingerprint_stable_and_id_less_messages_differ() -> None:
    a = _mail("a@x.ru", "me@x.ru", 1).replace(b"Message-ID: <m1@example.com>\n", b"")
    b = a.replace(b"Text 1", b"Text 2")
    fa = message_to_records(a, "w", None, {"me@x.ru"})[0]
    fb = message_to_records(b, "w", None, {"me@x.ru"})[0]
    assert isinstance(fa, ImportedInteraction) and isinstance(fb, ImportedInteraction)
    assert fa.fingerprint != fb.fingerprint
    assert fa.fingerprint == message_to_records(a, "other", None, {"me@x.ru"})[0].fingerprint  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("extra", "frm"),
    [
        ("List-Id: <x.lists.example.com>\n", "a@x.ru"),
        ("Precedence: junk\n", "a@x.ru"),
        ("Auto-Submitted: auto-replied\n", "a@x.ru"),
        ("", "no-reply@service.com"),
        ("", "MAILER-DAEMON@mx.example.com"),
        ("", "notifications@github.com"),
        ("Feedback-ID: 1:campaign:esp\n", "shop@x.ru"),
        # ezmlm lists (php.net, older Apache lists) write no List-Id, only these two
        ("Mailing-List: contact dev-help@lists.x.org; run by ezmlm\n", "a@x.ru"),
        ("Delivered-To: mailing list dev@lists.x.org\n", "a@x.ru"),
        ("X-Mailing-List: dev@vger.x.org\n", "a@x.ru"),  # SmartList / vger
    ],
)
def test_bulk_rules(extra: str, frm: str) -> None:
    assert message_to_records(_mail(frm, "me@x.ru", 1, extra), "w", None, {"me@x.ru"}) == []


def test_weights() -> None:
    cc_only = _mail("a@x.ru", "b@x.ru", 1, "Cc: me@x.ru\n")
    rec = message_to_records(cc_only, "w", None, {"me@x.ru"})[0]
    assert isinstance(rec, ImportedInteraction) and rec.weight == 0.5
    many = _mail("a@x.ru", ", ".join(f"p{i}@x.ru" for i in range(11)) + ", me@x.ru", 2)
    rec = message_to_records(many, "w", None, {"me@x.ru"})[0]
    assert isinstance(rec, ImportedInteraction) and rec.weight == 0.3


def test_invitation_sent_twice_in_one_mail_is_one_meeting(tmp_path: Path) -> None:
    raw = (FIXTURES / "invitation.eml").read_bytes()
    # Make the attached copy a text/calendar part too (as Outlook and rspamd's sample do).
    p = tmp_path / "twice.eml"
    p.write_bytes(
        raw.replace(
            b"Content-Type: application/ics;", b"Content-Type: text/calendar; method=REQUEST;"
        )
    )
    meetings = [
        r
        for r in EmlImporter(now=NOW).parse(p)
        if isinstance(r, ImportedInteraction) and r.channel == "meeting"
    ]
    assert len(meetings) == 1


def test_kept_bulk_mail_weighs_little() -> None:
    raw = (FIXTURES / "mailing_list.eml").read_bytes()
    (rec,) = message_to_records(
        raw, "w", ImportOptions(include_bulk_mail=True), {"oleg.ivanov@gmail.com"}
    )
    assert isinstance(rec, ImportedInteraction) and rec.weight == 0.3


def test_apple_mail_emlx(tmp_path: Path) -> None:
    msg = _mail("Anna <anna@x.ru>", "me@x.ru", 1)
    p = tmp_path / "123.emlx"
    p.write_bytes(
        str(len(msg)).encode() + b"\n" + msg + b'<?xml version="1.0"?><plist><dict/></plist>\n'
    )
    assert EmlImporter().sniff(p, p.read_bytes()) >= 70
    recs = [r for r in EmlImporter().parse(p) if isinstance(r, ImportedInteraction)]
    assert len(recs) == 1 and recs[0].text == "Text 1"


def test_message_to_records_includes_invitations_once() -> None:
    raw = (FIXTURES / "invitation.eml").read_bytes()
    recs = message_to_records(raw, "INBOX:7", None, {"oleg.ivanov@gmail.com"}, now=NOW)
    assert sorted(r.channel for r in recs if isinstance(r, ImportedInteraction)) == [
        "email",
        "meeting",
    ]
    drafts = message_to_records(
        raw, "D:1", None, {"oleg.ivanov@gmail.com"}, folder="[Gmail]/Drafts", now=NOW
    )
    assert drafts == []  # an unsent draft, and its invitation, are nobody's meeting


def test_message_with_only_a_sender_is_received_from_that_sender(tmp_path: Path) -> None:
    # A newsgroup post (or mail received as Bcc) names nobody but its sender: with no other
    # evidence the sender is the other person, not me, and the message is kept.
    p = tmp_path / "post.eml"
    p.write_bytes(
        b"Newsgroups: comp.mail.misc\nFrom: Pavel <pavel@example.ru>\n"
        b"Subject: =?koi8-r?B?8NLJ18XU?=\nDate: Sun, 27 May 2001 21:23:35 +0100\n"
        b"Message-ID: <p1@example.ru>\nContent-Type: text/plain; charset=koi8-r\n"
        b"Content-Transfer-Encoding: base64\n\n98/Q0s/TCg==\n"
    )
    imp = EmlImporter(now=NOW)
    recs = list(imp.parse(p))
    assert not any(isinstance(r, MeHint) for r in recs)
    (mail,) = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert mail.direction == "in"
    assert mail.counterparts[0].identities[0].value == "pavel@example.ru"
    assert mail.subject == "Привет"
    assert mail.text == "Вопрос"
    assert imp.skipped_self == 0


def test_gmail_imap_sent_label_as_quoted_imap_string_tells_my_address(tmp_path: Path) -> None:
    # getmail / offlineimap copy Gmail's X-GM-LABELS verbatim: X-GMAIL-LABELS: "\\Sent"
    folder = tmp_path / "mail"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"{n}.eml").write_bytes(
            _mail(
                "Me <me@x.ru>",
                "Anna <anna@x.ru>",
                n,
                'X-GMAIL-LABELS: "\\\\Important" "\\\\Sent"\n',
            )
        )
    recs = list(EmlImporter(now=NOW).parse(folder))
    assert isinstance(recs[0], MeHint) and recs[0].identities[0].value == "me@x.ru"
    mails = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert [(m.direction, m.counterparts[0].identities[0].value) for m in mails] == [
        ("out", "anna@x.ru"),
        ("out", "anna@x.ru"),
    ]


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        ("X-Spam-Flag: YES", False),
        ("X-Spam-Status: Yes, score=7.1 required=5.0", False),
        ("X-Spam: Yes", False),
        ("X-Spam-Status: No, score=-1.9 required=5.0", True),
        ("X-Spam-Flag: NO", True),
    ],
)
def test_mail_the_server_flagged_as_spam_is_bulk(header: str, kept: bool) -> None:
    raw = _mail("Seller <offers@shop.example>", "me@x.ru", 1, header + "\n")
    recs = message_to_records(raw, "m.eml", None, {"me@x.ru"})
    assert any(isinstance(r, ImportedInteraction) for r in recs) is kept
    assert (
        len(message_to_records(raw, "m.eml", ImportOptions(include_bulk_mail=True), {"me@x.ru"}))
        == 1
    )


def test_a_tree_of_maildirs_is_one_mailbox(tmp_path: Path) -> None:
    # mbsync/isync, offlineimap, mutt: one Maildir per folder, the root itself is none. Read as
    # one mailbox, "me" is found over all of it (read one message at a time, each message's
    # recipient was taken for me: here dan@y.ru).
    root = tmp_path / "Mail"
    for folder in ("INBOX", "Sent", "Archive/2023"):
        for sub in ("cur", "new", "tmp"):
            (root / folder / sub).mkdir(parents=True)
    (root / ".mbsyncstate").write_text("FarUidValidity 1\n")
    (root / "INBOX" / "dovecot-uidlist").write_text("3 V1 N6\n")
    (root / "INBOX" / "cur" / "1:2,S").write_bytes(
        _mail("Bob <bob@x.ru>", "Me <me@x.ru>, Anna <anna@x.ru>", 1)
    )
    (root / "Archive/2023" / "cur" / "2:2,S").write_bytes(
        _mail("Carol <carol@y.ru>", "Dan <dan@y.ru>", 2, "Cc: me@x.ru\n")
    )
    (root / "Sent" / "cur" / "3:2,S").write_bytes(_mail("Me <me@x.ru>", "Bob <bob@x.ru>", 3))
    assert EmlImporter().sniff(root, b"") >= 80
    recs = list(EmlImporter(now=NOW).parse(root))
    assert isinstance(recs[0], MeHint) and recs[0].identities[0].value == "me@x.ru"
    mails = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert sorted((r.direction, r.counterparts[0].identities[0].value) for r in mails) == [
        ("in", "bob@x.ru"),
        ("in", "carol@y.ru"),
        ("out", "bob@x.ru"),
    ]
    # a folder of saved messages and nothing else is one mailbox too ...
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "a.eml").write_bytes(_mail("Bob <bob@x.ru>", "me@x.ru", 4))
    (saved / "b").write_bytes(_mail("me@x.ru", "Bob <bob@x.ru>", 5))
    assert EmlImporter().sniff(saved, b"") >= 80
    # ... but with other files beside the mail it is walked file by file (nothing passed over)
    (saved / "people.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Bob\nEND:VCARD\n")
    assert EmlImporter().sniff(saved, b"") < 80
    assert EmlImporter().sniff(tmp_path / "Mail" / "INBOX" / "new", b"") < 80  # empty


def test_outlook_unsent_message_is_a_draft(tmp_path: Path) -> None:
    # Outlook (and the many tools that write .eml for it) mark a message that was never sent
    # with "X-Unsent: 1": it opens in the compose window. Not an exchange with anyone.
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "draft.eml").write_bytes(
        _mail("Me <me@x.ru>", "Boss <boss@x.ru>", 1, "X-Unsent: 1\nCc: anna@x.ru\n")
    )
    (folder / "sent.eml").write_bytes(_mail("Me <me@x.ru>", "Boss <boss@x.ru>", 2))
    (folder / "in.eml").write_bytes(_mail("Boss <boss@x.ru>", "Me <me@x.ru>", 3))
    imp = EmlImporter(now=NOW)
    recs = list(imp.parse(folder, ImportOptions(me_identities=(IdentityRef("email", "me@x.ru"),))))
    mails = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert sorted((m.direction, m.subject) for m in mails) == [("in", "s3"), ("out", "s2")]
    assert imp.skipped_self == 1
