"""The "who am I" question, Qt-free: a quick pre-scan of a file's authors (without importing) and
the choice of "me" across several files, shared by the CLI and the GUI import.

WhatsApp names people only, so "me" must be known to set directions: :func:`scan_me` splits the
chat with the importer's own header regex and returns every author with a message count and the
author the importer would assume. Other formats that may guess "me" (e-mail: the most frequent
sender of sent mail; Messenger: the participant of every thread; calendars) are peeked at: their
``parse`` is run only until the first inferred :class:`MeHint` (yielded before any message).

:func:`choose_me` picks one name for a batch of chats: a name that is an author in *all* of them
(the user is in every chat they exported), the most frequent such; else each file's own guess.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from netassist.core.progress import NullProgress, Progress
from netassist.importers.base import Importer
from netassist.importers.records import (
    IdentityRef,
    ImportedContact,
    ImportedInteraction,
    ImportOptions,
    MeHint,
)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[\d\s().\-\u2011]+")


def me_identity(value: str) -> IdentityRef | None:
    """``--me +7 900 123-45-67`` or ``--me anna@example.org``: an address or number, as such
    (an SMS or interaction log names people by number; mail by address); else None (a name)."""
    v = value.strip()
    if _EMAIL.fullmatch(v):
        return IdentityRef("email", v)
    if _PHONE.fullmatch(v) and sum(c.isdigit() for c in v) >= 7:
        return IdentityRef("phone", v)
    return None


# Formats that may guess "me" from the file itself (besides those with ``needs_me``)
GUESSING = ("mbox", "eml", "messenger", "instagram", "ics")


@dataclass(frozen=True)
class MeScan:
    """What a file says about "me" before it is imported."""

    path: Path
    kind: str  # "name" (chat authors) or "email" (addresses)
    authors: tuple[tuple[str, int], ...] = ()  # every author with its messages, most first
    inferred: tuple[str, ...] = ()  # what the importer would assume (names or addresses)
    known: str | None = None  # an author the settings/--me already name as me: no question
    reason: str = ""  # why ``inferred`` was guessed, for a person

    @property
    def needs_answer(self) -> bool:
        return self.known is None and (bool(self.inferred) or len(self.authors) > 1)


def fold(name: str) -> str:
    return " ".join(name.strip(" \t\r\n\u200e\u200f\u202a\u202c\ufeff").casefold().split())


def scan_me(
    path: Path, importer: Importer, options: ImportOptions, progress: Progress | None = None
) -> MeScan | None:
    """The authors and the guessed "me" of one file; None when the format has nothing to ask."""
    if importer.name == "whatsapp":
        return _scan_whatsapp(path, options, progress)
    return _peek_hint(path, importer, options, progress)


def asks_me(importer: Importer, guessing: bool = True) -> bool:
    """Does this file's importer need (or may it guess) "me"?"""
    return importer.needs_me or (guessing and importer.name in GUESSING)


def prescan(
    items: Iterable[tuple[Path, Importer]],
    options: ImportOptions,
    guessing: bool = True,
    progress: Progress | None = None,
) -> list[MeScan]:
    """The scans of the files whose "me" the user should be asked about. A file that cannot
    be read is left out: its import says why."""
    out = []
    for path, imp in items:
        if not asks_me(imp, guessing):
            continue
        try:
            scan = scan_me(path, imp, options, progress)
        except Exception:  # noqa: BLE001 - reported by the import itself
            continue
        if scan is not None and scan.needs_answer:
            out.append(scan)
    return out


def _scan_whatsapp(path: Path, options: ImportOptions, progress: Progress | None) -> MeScan:
    from netassist.importers import whatsapp as W
    from netassist.importers import whatsapp_cast as WC
    from netassist.importers import whatsapp_formats as F

    data, display, ref_year, title_hint = F.read_chat_bytes(path)
    # scan without the user's names so the importer's own guess is visible
    bare = replace(options, me_names=(), me_identities=())
    parser = W._ChatParser(data, display, ref_year, title_hint, bare, progress or NullProgress())
    first, rest = parser.prepare()
    del rest  # the messages are not needed: only the authors
    real = [a for a in parser._table.values() if not a.is_system]
    real.sort(key=lambda a: (-a.count, a.name))
    authors = tuple((a.name, a.count) for a in real)
    names = {fold(n) for n in options.me_names if n.strip()}
    phones = {WC._digits(i.value) for i in options.me_identities if i.kind in ("phone", "whatsapp")}
    phones.discard("")
    known = next(
        (
            a.name
            for a in real
            if fold(a.name) in names or (WC._is_phone(a.name) and WC._digits(a.name) in phones)
        ),
        None,
    )
    hints = [h for h in first if isinstance(h, MeHint) and h.name]
    inferred = tuple(h.name for h in hints if h.name)
    reason = ""
    if inferred:
        top = authors[0][0] if authors else None
        reason = (
            "most frequent author"
            if inferred[0] == top
            else "the chat is named after the other person"
        )
    return MeScan(path, "name", authors, inferred, known, reason)


def _peek_hint(
    path: Path, importer: Importer, options: ImportOptions, progress: Progress | None
) -> MeScan | None:
    """Run ``parse`` until its first message: the inferred MeHint, when any, comes before."""
    email_known = any(i.kind == "email" for i in options.me_identities)
    records = importer.parse(path, options, progress)
    try:
        for rec in records:
            if isinstance(rec, (ImportedInteraction, ImportedContact)):
                return None
            if isinstance(rec, MeHint) and rec.inferred:
                addrs = tuple(i.value for i in rec.identities if i.kind == "email")
                if addrs:
                    if email_known:
                        return None
                    return MeScan(path, "email", tuple((a, 0) for a in addrs), addrs, None,
                                  "most frequent sender of sent mail")  # fmt: skip
                if rec.name:
                    return MeScan(path, "name", ((rec.name, 0),), (rec.name,), None,
                                  "the one person in every conversation")  # fmt: skip
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
    return None


@dataclass(frozen=True)
class MeChoice:
    """The "me" to use for one file and how it was decided."""

    name: str
    reason: str  # for a person: "in all 3 chats", "most frequent author"


def choose_me(scans: Sequence[MeScan]) -> dict[Path, MeChoice]:
    """One name per chat file that needs one: a name among the authors of every chat (most
    messages in all of them together) when there are several chats, else each file's guess."""
    chats = [s for s in scans if s.kind == "name" and s.known is None]
    out: dict[Path, MeChoice] = {}
    common = common_author(chats) if len(chats) > 1 else None
    for s in chats:
        if common is not None:
            shown = next((n for n, _c in s.authors if fold(n) == fold(common)), common)
            out[s.path] = MeChoice(shown, f"an author in all {len(chats)} chats")
        elif s.inferred:
            out[s.path] = MeChoice(s.inferred[0], s.reason or "most frequent author")
    return out


def common_author(chats: Sequence[MeScan]) -> str | None:
    """The name that is an author in every chat (the most messages when several are)."""
    if not chats or any(not s.authors for s in chats):
        return None
    sets = [{fold(n) for n, _c in s.authors} for s in chats]
    both = set.intersection(*sets)
    if not both:
        return None
    totals: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for s in chats:
        for n, c in s.authors:
            if fold(n) in both:
                totals[fold(n)] += c
                shown.setdefault(fold(n), n)
    best = max(both, key=lambda k: (totals[k], k))
    return shown[best]


def candidates(scans: Iterable[MeScan]) -> list[tuple[str, int]]:
    """All authors of several chats with their message counts summed (for the question)."""
    totals: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for s in scans:
        if s.kind != "name":
            continue
        for n, c in s.authors:
            totals[fold(n)] += c
            shown.setdefault(fold(n), n)
    return [(shown[k], c) for k, c in totals.most_common()]


def with_me(options: ImportOptions, name: str | None = None,
            addresses: Sequence[str] = ()) -> ImportOptions:  # fmt: skip
    """``options`` with ``name`` first among me_names and ``addresses`` among me_identities."""
    opts = options
    if name and fold(name) not in {fold(n) for n in opts.me_names}:
        opts = replace(opts, me_names=(name, *opts.me_names))
    have = {(i.kind, i.value.casefold()) for i in opts.me_identities}
    given = [IdentityRef("email", a) for a in addresses]
    typed = me_identity(name) if name else None
    if typed is not None:  # a number or address typed as "my name" is an identity too
        given.append(typed)
    extra = tuple(i for i in given if (i.kind, i.value.casefold()) not in have)
    if extra:
        opts = replace(opts, me_identities=(*opts.me_identities, *extra))
    return opts


def options_per_file(
    scans: Sequence[MeScan], options: ImportOptions, name: str | None, addresses: Sequence[str]
) -> dict[Path, ImportOptions]:
    """The options for each scanned file once the user answered: ``name`` for the chats it
    wrote in (each other chat keeps its own guess), ``addresses`` for the mailboxes."""
    chats = [s for s in scans if s.kind == "name"]
    guesses = choose_me(chats)
    out: dict[Path, ImportOptions] = {}
    for s in chats:
        mine = name if name and fold(name) in {fold(n) for n, _c in s.authors} else None
        if mine is None and name and len(chats) == 1:
            mine = name  # one chat: the user's answer stands even if typed differently
        if mine is None and s.path in guesses:
            mine = guesses[s.path].name
        if mine:
            out[s.path] = with_me(options, mine)
    for s in scans:
        if s.kind == "email" and addresses:
            out[s.path] = with_me(options, addresses=addresses)
    return out
