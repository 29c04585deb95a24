"""Single messages (.eml, RFC 822 text files), folders of them and Maildir (cur/new).

Given a folder, it is walked recursively: files ending in .eml, and every file inside a Maildir
``cur`` or ``new`` directory (``tmp`` holds half-delivered mail and is skipped); other files are
read when their first bytes look like mail headers. Folders whose name says "Sent" (also
Maildir++ ".Sent", "Sent Items", "Отправленные" in IMAP modified UTF-7) hold my own mail, which
helps infer my address. Invitations (text/calendar parts) also yield meeting interactions,
each meeting in its latest version over all the mails (``email_message.MeetingVersions``: an
update moves it, a cancellation removes it), after the last message.

After ``parse`` is exhausted, ``skipped_bulk`` holds how many mailing-list/automatic messages
were left out (see ``email_message``), ``skipped_self`` how many were only to myself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from netassist.core.progress import Progress, check_cancelled
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.email_headers import parse_headers, split_head_body
from netassist.importers.email_message import (
    MeCounter,
    MeetingVersions,
    convert_message,
    me_from_options,
)
from netassist.importers.records import ImportOptions, ImportProblem, Record

MAX_MESSAGE_BYTES = 200_000_000
_MAIL_HEADER = re.compile(
    rb"^(?:from|date|message-id|received|return-path|subject|to|mime-version|delivered-to|"
    rb"x-mozilla-status|x-gm-thrid|content-type|reply-to|sender)[ \t]*:",
    re.I | re.M,
)
_SENT_DIR = re.compile(
    r"^\.?(?:sent|sent items|sent mail|sent messages|outbox|отправленные|исходящие)$", re.I
)
_EMLX_LENGTH = re.compile(rb"^\s*(\d{1,12})[ \t]*\r?\n")  # Apple Mail .emlx byte count
# Maildir/IMAP bookkeeping kept beside the mail (Dovecot, Courier, Maildir++)
_BOOKKEEPING = re.compile(
    r"^(?:maildirfolder|subscriptions|dovecot[-.].*|courierimap.*|\.?uidvalidity.*)$", re.I
)


def _imap_utf7(name: str) -> str:
    """Decode IMAP modified UTF-7 folder names ("&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-")."""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) == "":
            return "&"
        try:
            return ("+" + m.group(1).replace(",", "/") + "-").encode("ascii").decode("utf-7")
        except (UnicodeError, ValueError):
            return m.group(0)

    return re.sub(r"&([A-Za-z0-9+,]*)-", sub, name)


def in_sent_folder(path: Path) -> bool:
    for part in path.parts[:-1]:
        for piece in _imap_utf7(part).split("."):
            if _SENT_DIR.match(piece.strip()) or _SENT_DIR.match(_imap_utf7(part).strip()):
                return True
    return False


def looks_like_message(head: bytes, minimum: int = 2) -> bool:
    """At least ``minimum`` well-known headers before the first empty line."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    m = _EMLX_LENGTH.match(head)
    if m:
        head = head[m.end() :]
    if head.startswith(b"From "):  # a single message saved with its mbox envelope line
        head = head.split(b"\n", 1)[1] if b"\n" in head else b""
    block, _ = split_head_body(head[:65536])
    return len(_MAIL_HEADER.findall(block)) >= minimum and bool(parse_headers(block))


def is_mail_tree(root: Path, max_files: int = 200_000, max_sniffed: int = 200) -> bool:
    """Is every file below ``root`` mail? (in a Maildir ``cur``/``new``, an .eml/.emlx, or
    a file whose first bytes are mail headers; hidden files and Maildir/IMAP bookkeeping
    files do not count). Such a folder is one mail store (a tree of Maildirs as mbsync,
    offlineimap or mutt keep them, a folder of saved messages) and is read as one mailbox,
    so "me" is found over all of it; a folder holding anything else is walked file by file."""
    seen = sniffed = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != "tmp"]
        base = Path(dirpath)
        maildir = base.name in ("cur", "new")
        for name in filenames:
            if name.startswith(".") or _BOOKKEEPING.match(name):
                continue
            seen += 1
            p = base / name
            if seen > max_files:
                return False
            if maildir or p.suffix.lower() in (".eml", ".emlx"):
                continue
            sniffed += 1
            if sniffed > max_sniffed:
                return False
            try:
                with open(p, "rb") as fh:
                    if not looks_like_message(fh.read(8192)):
                        return False
            except OSError:
                return False
    return seen > 0


def message_files(root: Path) -> list[Path]:
    """Mail files under ``root`` (a file gives itself), in a stable order."""
    if root.is_file():
        return [root]
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "tmp")
        base = Path(dirpath)
        maildir = base.name in ("cur", "new")
        for name in sorted(filenames):
            if name.startswith(".") or _BOOKKEEPING.match(name):
                continue
            p = base / name
            if maildir or p.suffix.lower() in (".eml", ".emlx"):
                out.append(p)
            elif not p.suffix or p.suffix.lower() in (".txt", ".msg822", ".mail"):
                try:
                    with open(p, "rb") as fh:
                        if looks_like_message(fh.read(8192)):
                            out.append(p)
                except OSError:
                    continue
    return out


def _read(path: Path) -> bytes:
    with open(path, "rb") as fh:
        raw = fh.read(MAX_MESSAGE_BYTES)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith(b"From ") and b"\n" in raw:
        raw = raw.split(b"\n", 1)[1]  # mbox envelope line of a single saved message
    m = _EMLX_LENGTH.match(raw)
    if m and path.suffix.lower() == ".emlx":
        # Apple Mail .emlx: a byte count line, the message, then an XML plist.
        raw = raw[m.end() : m.end() + int(m.group(1))]
    return raw


class EmlImporter(Importer):
    """.eml files, folders of them and Maildir folders.

    After ``parse`` is exhausted: ``messages`` read, ``skipped_bulk`` (mailing lists, automatic
    mail and spam: neither interactions nor problems unless ``include_bulk_mail``) and
    ``skipped_self`` (mail only to myself, drafts).
    """

    name = "eml"
    label = "E-mail messages (.eml, Maildir)"
    patterns = ("*.eml", "*.emlx")

    def __init__(self, now: datetime | None = None) -> None:
        self.skipped_bulk = 0
        self.skipped_self = 0
        self.messages = 0
        self._now = now

    def sniff(self, path: Path, head: bytes) -> int:
        if path.is_dir():
            # a Maildir is one mailbox; a folder with other files than mail is walked file by
            # file (so other files in it are not taken for mail)
            if (path / "cur").is_dir() and (path / "new").is_dir():
                return 80
            if is_mail_tree(path):  # Maildirs below, saved messages: nothing else in it
                return 80
            return 60 if next(path.rglob("*.eml"), None) or next(path.rglob("cur"), None) else 0
        if head.lstrip(b"\xef\xbb\xbf\r\n").startswith(b"From ") and path.suffix.lower() != ".eml":
            return 0  # an mbox: MboxImporter's
        if looks_like_message(head):
            return 90 if path.suffix.lower() == ".eml" else 70
        return 0

    def parse(
        self, path: Path, options: ImportOptions | None = None, progress: Progress | None = None
    ) -> Iterator[Record]:
        options = options or ImportOptions()
        prog = ensure_progress(progress)
        self.skipped_bulk = self.skipped_self = self.messages = 0
        files = message_files(path)
        if not files:
            raise FormatError(f"no e-mail messages found in {path.name}")
        if path.is_file():
            with open(path, "rb") as fh:
                # A lone MIME entity (only Content-Type) is still read, and reported if unusable.
                if not looks_like_message(fh.read(65536), minimum=1):
                    raise FormatError(f"{path.name} is not an e-mail message (no mail headers)")
        base = path if path.is_dir() else path.parent
        me = me_from_options(options)
        if not me:
            counter = MeCounter()
            for i, f in enumerate(files):
                if i % 2000 == 0:
                    check_cancelled(prog)
                    prog.set_progress(0.1 * i / len(files), "Looking for your address")
                try:
                    with open(f, "rb") as fh:
                        counter.add_head(split_head_body(fh.read(262_144))[0], in_sent_folder(f))
                except OSError:
                    continue
            hint = counter.hint()
            if hint:
                me = frozenset(i.value for i in hint.identities)
                yield hint
        now = self._now or datetime.now(UTC)
        meetings = MeetingVersions()  # invitations: each meeting in its latest version
        for i, f in enumerate(files):
            if i % 500 == 0:
                check_cancelled(prog)
                prog.set_progress(0.1 + 0.9 * i / len(files), f"{i} messages")
            where = str(f.relative_to(base)) if f != path else f.name
            self.messages += 1
            try:
                folder = "/".join(_imap_utf7(part) for part in f.relative_to(base).parts[:-1])
                res = convert_message(_read(f), where, options, me, folder=folder)
            except Exception as exc:  # one broken message must not sink the folder
                yield ImportProblem(where, f"could not read this message ({type(exc).__name__})")
                continue
            self.skipped_bulk += res.bulk
            self.skipped_self += res.to_self
            yield from res.records
            yield from meetings.add(res, where, me, now)
        yield from meetings.records()
        prog.set_progress(1.0, f"{self.messages} messages")
