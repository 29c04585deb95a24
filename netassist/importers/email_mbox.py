"""mbox files (mboxo, mboxrd, Netscape/Mozilla "From - ", Gmail Takeout "From 123@xxx").

A "From " line starts a message only when it is at the start of the file, or preceded by an empty
line (or is a full envelope line "From addr Mon Jan  1 00:00:00 2020" or Mozilla's "From - ", or a
Content-Length points at it), AND is followed by a block
of header lines containing at least one well-known header. So the unescaped "From Russia with
love" of an mboxo body does not split a message. A Content-Length header is trusted when it
points exactly at the next separator or the end of the file. ">From " (mboxo) and ">>From "
(mboxrd) body lines are unescaped by one level.

The file is memory-mapped and scanned with a regex: a 1 GB mailbox is never loaded whole.
When the user's own address is not given, a cheap first pass reads headers only to infer it
(the most frequent sender of Sent mail, else the most frequent address), and a
``MeHint(inferred=True)`` is yielded before any interaction.

After ``parse`` is exhausted, ``skipped_bulk`` holds how many mailing-list/automatic messages
were left out (see ``email_message``), ``skipped_self`` how many were only to myself.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from netassist.core.progress import Progress, check_cancelled
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.email_headers import parse_envelope_date
from netassist.importers.email_message import (
    MeCounter,
    MeetingVersions,
    convert_message,
    me_from_options,
)
from netassist.importers.records import (
    ImportOptions,
    ImportProblem,
    Record,
)

_FROM_LINE = re.compile(rb"^From ", re.M)
# Full envelope lines: "From addr Mon Jan  1 ..." and Mozilla's "From - ..." markers.
_ENVELOPE = re.compile(
    rb"^From (?:-[ \t]*(?:\r?\n|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) )|"
    rb"\S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))"
)
_HEADERISH = re.compile(rb"^(?:[!-9;-~]+[ \t]*:|[ \t])")
_KNOWN = re.compile(
    rb"^(?:from|date|message-id|received|return-path|subject|to|x-gm-thrid|delivered-to|"
    rb"mime-version|x-mozilla-status|x-gmail-labels|sender|reply-to|content-type|envelope-to|cc)"
    rb"[ \t]*:",
    re.I,
)
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d{1,12})[ \t]*\r?$", re.M | re.I)
_HEAD_END = re.compile(rb"\n\r?\n")
_UNESCAPE = re.compile(rb"^>(>*From )", re.M)
_SENT_NAME = re.compile(r"(?:^|[\W_])(?:sent|outbox)(?:$|[\W_])|отправленн|исходящ", re.I)
BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class Span:
    start: int  # first byte after the envelope line
    end: int  # exclusive
    envelope: bytes


def _line_end(buf: mmap.mmap | bytes, pos: int) -> int:
    nl = buf.find(b"\n", pos)
    return len(buf) if nl < 0 else nl + 1


def _headers_follow(buf: mmap.mmap | bytes, pos: int) -> bool:
    """True when the lines at ``pos`` are a header block with a well-known header."""
    known = False
    for _ in range(200):
        end = _line_end(buf, pos)
        line = buf[pos:end]
        if line.strip() == b"":
            return known
        if not _HEADERISH.match(line):
            return False
        known = known or bool(_KNOWN.match(line))
        if end >= len(buf):
            return known
        pos = end
    return known


def _separator_at(buf: mmap.mmap | bytes, pos: int, first_pos: int, trusted: bool = False) -> bool:
    """Is the "From " line at ``pos`` a separator? ``trusted``: a Content-Length points here."""
    if pos != first_pos and not trusted:
        blank_before = buf[pos - 2 : pos] == b"\n\n" or buf[pos - 3 : pos] == b"\n\r\n"
        if not blank_before and not _ENVELOPE.match(buf[pos : pos + 200]):
            return False
    return _headers_follow(buf, _line_end(buf, pos))


def _content_length_end(buf: mmap.mmap | bytes, start: int, first_pos: int) -> int | None:
    """Where the message starting at ``start`` ends by its Content-Length, if that is credible."""
    m_end = _HEAD_END.search(buf, start, min(len(buf), start + 1_000_000))
    if m_end is None:
        return None
    head_end, sep = m_end.start(), m_end.end() - m_end.start()
    m = _CONTENT_LENGTH.search(buf[start:head_end])
    if not m:
        return None
    end = head_end + sep + int(m.group(1))
    if end > len(buf):
        return None
    probe = end
    while probe < min(len(buf), end + 4) and buf[probe : probe + 1] in (b"\n", b"\r"):
        probe += 1  # the empty line mbox writers put before the next separator
    if probe >= len(buf):
        return len(buf)
    if buf[probe : probe + 5] == b"From " and _separator_at(buf, probe, first_pos, trusted=True):
        return probe
    return None


def iter_spans(buf: mmap.mmap | bytes) -> Iterator[Span]:
    """Message spans of an mbox buffer (see the module doc for the separator rule)."""
    first_pos = 0
    if buf[:3] == BOM:
        first_pos = 3
    while buf[first_pos : first_pos + 1] in (b"\n", b"\r"):
        first_pos += 1
    if buf[first_pos : first_pos + 5] != b"From ":
        raise FormatError("the file does not start with an mbox 'From ' line")
    current = first_pos
    skip_until = _content_length_end(buf, _line_end(buf, first_pos), first_pos) or 0
    for m in _FROM_LINE.finditer(buf, first_pos + 1):
        pos = m.start()
        if pos < skip_until or not _separator_at(buf, pos, first_pos):
            continue
        yield _span(buf, current, pos)
        current = pos
        skip_until = _content_length_end(buf, _line_end(buf, pos), first_pos) or 0
    yield _span(buf, current, len(buf))


def _span(buf: mmap.mmap | bytes, start: int, end: int) -> Span:
    body_start = _line_end(buf, start)
    envelope = bytes(buf[start : min(body_start, start + 300)]).rstrip()
    return Span(body_start, max(body_start, end), envelope)


def message_bytes(buf: mmap.mmap | bytes, span: Span) -> bytes:
    raw = buf[span.start : span.end]
    # mbox adds one empty line before the next separator; it is not part of the message.
    if raw.endswith(b"\r\n\r\n"):
        raw = raw[:-2]
    elif raw.endswith(b"\n\n"):
        raw = raw[:-1]
    if b">From " in raw:
        raw = _UNESCAPE.sub(rb"\1", raw)
    return raw


def _head_of(buf: mmap.mmap | bytes, span: Span) -> bytes:
    limit = min(span.end, span.start + 256_000)
    m = _HEAD_END.search(buf, span.start, limit)
    return bytes(buf[span.start : m.start() if m else limit])


class MboxImporter(Importer):
    """mbox mailboxes: Gmail Takeout, Thunderbird, Apple Mail exports, mutt, ...

    After ``parse`` is exhausted: ``messages`` read, ``skipped_bulk`` (mailing lists, automatic
    mail and spam: neither interactions nor problems unless ``include_bulk_mail``) and
    ``skipped_self`` (mail only to myself, drafts).
    """

    name = "mbox"
    label = "Mailbox (mbox, Gmail Takeout)"
    patterns = ("*.mbox", "*.mbx", "*.mbox.txt", "mbox", "Inbox", "Sent")
    needs_me = False

    def __init__(self, now: datetime | None = None) -> None:
        self.skipped_bulk = 0
        self.skipped_self = 0
        self.messages = 0
        self._now = now

    def sniff(self, path: Path, head: bytes) -> int:
        if path.is_dir():  # Apple Mail exports "Inbox.mbox/" folders holding a file "mbox"
            return 90 if (path / "mbox").is_file() else 0
        start = head[3:] if head.startswith(BOM) else head
        start = start.lstrip(b"\r\n")
        if not start.startswith(b"From "):
            return 0
        if _headers_follow(start, _line_end(start, 0)):
            return 95
        return 30 if path.suffix.lower() in (".mbox", ".mbx") else 0

    def parse(
        self, path: Path, options: ImportOptions | None = None, progress: Progress | None = None
    ) -> Iterator[Record]:
        options = options or ImportOptions()
        prog = ensure_progress(progress)
        self.skipped_bulk = self.skipped_self = self.messages = 0
        if path.is_dir() and (path / "mbox").is_file():
            path = path / "mbox"
        size = path.stat().st_size
        if size == 0:
            raise FormatError(f"{path.name} is empty")
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            yield from self._parse_buffer(path, buf, size, options, prog)

    def _parse_buffer(
        self, path: Path, buf: mmap.mmap, size: int, options: ImportOptions, prog: Progress
    ) -> Iterator[Record]:
        me = me_from_options(options)
        spans: Iterator[Span] | list[Span] = iter_spans(buf)
        if not me:
            spans = list(spans)
            counter = MeCounter()
            in_sent = bool(_SENT_NAME.search(path.stem))
            for i, span in enumerate(spans):
                if i % 5000 == 0:
                    check_cancelled(prog)
                    prog.set_progress(0.1 * span.start / size, "Looking for your address")
                counter.add_head(_head_of(buf, span), in_sent)
            hint = counter.hint()
            if hint:
                me = frozenset(i.value for i in hint.identities)
                yield hint
        now = self._now or datetime.now(UTC)
        meetings = MeetingVersions()  # invitations: each meeting in its latest version
        line, counted_to = 1, 0  # line numbers for "where", counted incrementally
        for n, span in enumerate(spans, 1):
            self.messages = n
            if n % 1000 == 0:
                check_cancelled(prog)
                prog.set_progress(0.1 + 0.9 * span.start / size, f"{n} messages")
            line += buf[counted_to : span.start].count(b"\n")
            counted_to = span.start
            where = f"{path.name}:{line} (message {n})"
            try:
                raw = message_bytes(buf, span)
                fallback = parse_envelope_date(span.envelope.decode("latin-1"))
                res = convert_message(raw, where, options, me, fallback, folder=path.stem)
            except Exception as exc:  # one broken message must not sink the mailbox
                yield ImportProblem(where, f"could not read this message ({type(exc).__name__})")
                continue
            self.skipped_bulk += res.bulk
            self.skipped_self += res.to_self
            yield from res.records
            yield from meetings.add(res, where, me, now)
        yield from meetings.records()
        prog.set_progress(1.0, f"{self.messages} messages")


def count_messages(path: Path) -> int:
    """How many messages the splitter finds (for tests and benchmarks)."""
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        return sum(1 for _ in iter_spans(buf))
