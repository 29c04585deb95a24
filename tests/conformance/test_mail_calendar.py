"""Conformance of the mail and calendar importers over the shared corpus (../shared/corpus).

Every file of email_eml/, mbox/ and icalendar/: no crash; every message is imported, reported as
a problem, or counted as bulk/to-self; names and subjects carry no mojibake; Cyrillic survives in
the Russian samples. Files are read in place; without the corpus these tests skip.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netassist.importers.base import FormatError, read_head
from netassist.importers.email_eml import EmlImporter, looks_like_message
from netassist.importers.email_mbox import MboxImporter
from netassist.importers.email_text import html_to_text, strip_quotes_and_signature
from netassist.importers.ics import IcsImporter
from netassist.importers.records import ImportedInteraction, ImportProblem, MeHint, Record
from tests.conftest import CORPUS, corpus_files

NOW = datetime(2026, 1, 1, tzinfo=UTC)
EML = corpus_files("email_eml")
MBOX = corpus_files("mbox")
ICS = corpus_files("icalendar")
MOJIBAKE = re.compile("[ÐÑ][\u0080-\u00bf]|Ã[\u0080-\u00bf]|[РС][\u0080-\u00bf\u2018-\u203a]")

# Message counts a correct mbox splitter finds (MimeKit's own tests say the same).
MBOX_MESSAGES = {
    "content-length.mbox.txt": 29,
    "issue1189.mbox.txt": 4,
    "simple.mbox.txt": 3,
    "unmunged.mbox.txt": 2,
    "import.mbox": 3,
}
# Russian samples (MANIFEST.md) and Cyrillic the import must keep.
CYRILLIC = {
    "bad_message.eml": ("Насосы", "Скидки до 36 процентов на насосы!"),
    "8bitmime.eml": ("Превел",),
    "mailformed-headers.eml": ("Юникод запрещен",),
}


def _rel(p: Path) -> str:
    return str(p.relative_to(CORPUS))


def _strings(records: list[Record]) -> list[str]:
    out: list[str] = []
    for r in records:
        if isinstance(r, ImportedInteraction):
            out += [r.subject or "", r.conversation_title or ""]
            out += [p.name or "" for p in r.counterparts]
            out += [i.value for p in r.counterparts for i in p.identities]
        elif isinstance(r, MeHint):
            out += [r.name or ""] + [i.value for i in r.identities]
    return out


def _assert_clean(records: list[Record]) -> None:
    for s in _strings(records):
        assert "\ufffd" not in s, s
        assert not MOJIBAKE.search(s), s
        assert "=?" not in s, s


def _all_text(records: list[Record]) -> str:
    texts = [r.text or "" for r in records if isinstance(r, ImportedInteraction)]
    return "\n".join(_strings(records) + texts)


@pytest.mark.parametrize("path", EML, ids=_rel)
def test_eml(path: Path) -> None:
    imp = EmlImporter(now=NOW)
    if not looks_like_message(read_head(path), minimum=1):
        # Not a message (talon's HTML/plain reply fixtures, COPYING): refused as a whole, and the
        # text helpers still read it without crashing.
        with pytest.raises(FormatError):
            list(imp.parse(path))
        text = path.read_bytes().decode("utf-8", "replace")
        strip_quotes_and_signature(html_to_text(text) if "<" in text else text)
        return
    records = list(imp.parse(path))
    mails = [r for r in records if isinstance(r, ImportedInteraction) and r.channel == "email"]
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert len(mails) + len(problems) + imp.skipped_bulk + imp.skipped_self >= 1
    assert len(mails) + imp.skipped_bulk + imp.skipped_self <= 1
    _assert_clean(records)
    for expected in CYRILLIC.get(path.name, ()):
        assert expected in _all_text(records)


@pytest.mark.parametrize("path", MBOX, ids=_rel)
def test_mbox(path: Path) -> None:
    imp = MboxImporter(now=NOW)
    records = list(imp.parse(path))
    mails = sum(isinstance(r, ImportedInteraction) and r.channel == "email" for r in records)
    problems = sum(isinstance(r, ImportProblem) for r in records)
    assert mails + problems + imp.skipped_bulk + imp.skipped_self == imp.messages
    if path.name in MBOX_MESSAGES:
        assert imp.messages == MBOX_MESSAGES[path.name]
    _assert_clean(records)


@pytest.mark.parametrize("path", ICS, ids=_rel)
def test_ics(path: Path) -> None:
    imp = IcsImporter(now=NOW)
    try:
        records = list(imp.parse(path))
    except FormatError:
        assert b"BEGIN:VEVENT" not in path.read_bytes().upper()
        return
    for r in records:
        assert isinstance(r, ImportedInteraction | ImportProblem | MeHint)
        if isinstance(r, ImportedInteraction):
            assert r.channel == "meeting" and r.counterparts and r.occurred_at <= NOW
    _assert_clean(records)


def test_corpus_present_or_skipped(corpus: Path) -> None:
    assert EML and MBOX and ICS, "corpus has no mail/calendar samples"


def test_invitation_in_mail_becomes_a_meeting(corpus: Path) -> None:
    path = corpus / "email_eml/rspamd__rspamd/test/functional/messages/alt-html-calendar.eml"
    if not path.is_file():
        pytest.skip("alt-html-calendar.eml not in this corpus")
    meetings = [
        r
        for r in EmlImporter(now=NOW).parse(path)
        if isinstance(r, ImportedInteraction) and r.channel == "meeting"
    ]
    assert len(meetings) == 1 and meetings[0].subject == "Team Meeting"


TALON = "email_eml/mailgun__talon/tests/fixtures"


@pytest.mark.parametrize(
    "name",
    ["gmail.html", "hotmail.html", "ms_outlook_2003.html", "thunderbird.html", "windows_mail.html"],
)
def test_talon_html_replies_are_stripped_to_the_reply(corpus: Path, name: str) -> None:
    path = corpus / TALON / "html_replies" / name
    if not path.is_file():
        pytest.skip(f"{name} not in this corpus")
    text = strip_quotes_and_signature(
        html_to_text(path.read_text(encoding="utf-8", errors="replace"))
    )
    assert text == "Hi. I am fine.\n\nThanks,\n\nAlex"


@pytest.mark.parametrize("name", ["iphone", "sparrow"])
def test_talon_expected_reply_text(corpus: Path, name: str) -> None:
    path = corpus / TALON / "standard_replies" / f"{name}.eml"
    expected = corpus / TALON / "standard_replies" / f"{name}_reply_text"
    if not (path.is_file() and expected.is_file()):
        pytest.skip(f"{name} sample not in this corpus")
    (mail,) = [r for r in EmlImporter(now=NOW).parse(path) if isinstance(r, ImportedInteraction)]
    assert mail.text == strip_quotes_and_signature(expected.read_text(encoding="utf-8"))
    assert mail.text == "Hello"
