"""Facebook Messenger and Instagram direct messages from Meta's "Download your information".

Give the importer a ``message_N.json`` (all parts of its conversation are read, in order, once),
a conversation folder, or any folder above them (``inbox/``, ``messages/``, the export root);
2018 exports' ``message.json`` and the end-to-end-encrypted export's one-file-per-chat folder
are found the same way. Instagram's 2018-2020 ``messages.json`` (every conversation in one
array, usernames, ISO times) is read as well, from the file or the export root.
Reading and mojibake repair live in :mod:`netassist.importers._meta_json`.

Who is "me" (the message files never say so), first rule that applies:

1. ``ImportOptions.me_names``: a participant or sender with one of these names;
   else the owner's name in the export's own profile file above the conversation folders
   (``personal_information/profile_information/profile_information.json`` for Facebook,
   ``personal_information/personal_information/personal_information.json`` for Instagram),
   when that name takes part in the conversations - a stated (not inferred) MeHint;
2. the one name that is a participant of every conversation seen (the imported ones plus the
   other conversation folders next to them, at least two in all) - yielded as an inferred MeHint;
3. in a two-person conversation: Meta titles a private thread with the *other* person's name
   (and names its folder after them; the end-to-end-encrypted export names the chat and its
   file "<name>_<n>"), so me is the participant who is not the title/folder/file
   name - an inferred MeHint;
4. otherwise nobody: a problem says so and every message is imported as incoming.

"Facebook User" (Meta's name for every deleted or deactivated account, see
``core.names.PLACEHOLDER_NAMES``) is a different unknown person in each thread: the party carries
a name identity of its thread, so ingest keeps one contact per thread and never merges them.

Group threads (``thread_type`` RegularGroup or more than two participants) weigh 0.4; a message
I wrote in a group is counted as an answer to the author of the previous message not mine.
Calls (``type: Call``) become channel "call" with ``call_duration``; join/leave notices are
skipped. Times are epoch milliseconds, so ``tz_status`` is "utc". There are no message ids in
the export: fingerprints hash the thread folder name, time, sender, text and an occurrence
counter, so re-importing from any part, the folder, or a later export gives the same ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from netassist.core.names import is_placeholder_name
from netassist.core.progress import Progress, check_cancelled
from netassist.importers import _meta_json as mj
from netassist.importers import _meta_legacy as ml
from netassist.importers._msg_common import (
    GROUP_WEIGHT,
    GroupReplyTracker,
    OccurrenceCounter,
    content_fingerprint,
    fold_name,
    from_epoch_ms,
)
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
    Party,
    Record,
)

_IG_PATH_HINTS = ("instagram", "your_instagram_activity")
_FB_PATH_HINTS = (
    "facebook",
    "messenger",
    "your_facebook_activity",
    "your_activity_across_facebook",
)
# Media paths inside the messages name the export they come from: the surest content sign.
_IG_EXPORT_HINTS = (b"your_instagram_activity/",)
_FB_EXPORT_HINTS = (b"your_facebook_activity/", b"your_activity_across_facebook/")
# Weaker signs (a Messenger chat can share an instagram.com link). "joinable_mode" is not one:
# Messenger group threads carry it too.
# Instagram writes a like as its own message, "Liked a message" / "name liked a message";
# Messenger writes "Reacted ... to your message".
_IG_CONTENT_HINTS = (
    b"instagram.com", b"ig.me/", b"cdninstagram", b'"Liked a message"', b' liked a message"',
)  # fmt: skip
_FB_CONTENT_HINTS = (
    b'"call_duration"',
    b'"is_unsent"',
    b"facebook.com",
    b"messenger.com",
    b"fbcdn",
    b'"sender_id_INTERNAL"',
    b'"threadName"',
    b'"senderName"',
)


def meta_flavour(path: Path, head: bytes) -> str | None:
    """ "instagram", "messenger" or None (cannot tell), from the folder names, then the content."""
    parts = [p.casefold() for p in path.parts]
    if any(h in part for part in parts for h in _IG_PATH_HINTS):
        return "instagram"
    if any(h in part for part in parts for h in _FB_PATH_HINTS):
        return "messenger"
    for ig_hints, fb_hints in (
        (_IG_EXPORT_HINTS, _FB_EXPORT_HINTS),
        (_IG_CONTENT_HINTS, _FB_CONTENT_HINTS),
    ):
        if any(h in head for h in ig_hints):
            return "instagram"
        if any(h in head for h in fb_hints):
            return "messenger"
    return None


def _looks_like_meta_json(head: bytes) -> bool:
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body.startswith(b"{") or b'"messages"' not in head:
        return False
    classic = b'"sender_name"' in head and b'"timestamp_ms"' in head
    e2ee = b'"senderName"' in head and b'"timestamp"' in head
    return classic or e2ee or b'"participants"' in head


class _MetaImporter(Importer):
    channel: ClassVar[str]
    flavour: ClassVar[str]
    patterns = ("message_*.json", "*.json")

    def sniff(self, path: Path, head: bytes) -> int:
        if ml.legacy_instagram_file(path) is not None:
            return 95 if self.flavour == "instagram" else 40
        if path.is_dir():
            convs = mj.find_conversations(path, mj.EXPORT_DEPTH)
            if not convs:
                return 0
            try:
                head = convs[0][0].open("rb").read(64 * 1024)
            except OSError:
                return 0
            probe = convs[0][0]
        else:
            probe = path
        if not _looks_like_meta_json(head):
            return 0
        score = 75 if mj.PART_RE.fullmatch(probe.name) else 65
        found = meta_flavour(probe, head)
        if found == self.flavour:
            return score + 20
        if found is not None:
            return score - 40
        # Undecided: Messenger is the more common export, so it wins the tie.
        return score if self.flavour == "messenger" else score - 5

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        opts = options or ImportOptions()
        prog = ensure_progress(progress)
        loaded: list[_Conversation] = []
        counter = [0]

        def tick() -> None:
            counter[0] += 1
            if counter[0] % 2000 == 0:
                check_cancelled(prog)

        legacy = ml.legacy_instagram_file(path)
        convs = [] if legacy is not None else mj.find_conversations(path)
        if legacy is not None:
            for part in ml.read_legacy_instagram(legacy, tick):
                for where, reason in part.problems:
                    yield ImportProblem(where=_where(part.path, where), reason=reason)
                if part.readable:
                    loaded.append(_Conversation([part]))
        elif not convs:
            raise FormatError(f"{path.name}: no message_N.json conversation found")
        total = sum(_size(p) for parts in convs for p in parts) or 1
        done = 0
        for parts in convs:
            read = [mj.read_part(p, mj.part_number(p), tick) for p in parts]
            for part in read:
                for where, reason in part.problems:
                    yield ImportProblem(where=_where(part.path, where), reason=reason)
                done += _size(part.path)
            prog.set_progress(min(done / total, 1.0), f"{parts[0].parent.name}")
            readable = [p for p in read if p.readable]
            if readable:
                loaded.append(_Conversation(readable))
        if not loaded:
            raise FormatError(f"{path.name}: nothing here reads as {self.label} JSON")

        me_folds, hints = _decide_me(loaded, opts)
        yield from hints
        tracker = GroupReplyTracker()
        for conv in loaded:
            me = me_folds if me_folds is not None else conv.me_by_title()
            if me is None:
                first = conv.parts[0].path
                yield ImportProblem(
                    where=f"{first.parent.name}/{first.name}",
                    reason=(
                        "could not tell which participant is you; every message is imported "
                        "as incoming (set your name as 'me' and import again)"
                    ),
                )
            elif me_folds is None:
                yield MeHint(name=conv.name_of(me), inferred=True)
            yield from self._records(conv, me or frozenset(), tracker, prog)
        prog.set_progress(1.0, "")

    def _records(
        self,
        conv: _Conversation,
        me: frozenset[str],
        tracker: GroupReplyTracker,
        prog: Progress,
    ) -> Iterator[Record]:
        key = f"{self.name}:{conv.key}"
        group = conv.is_group(me)
        other = None if group else conv.other(me)
        occurrences = OccurrenceCounter()
        prefixes = {p.number: _where(p.path, f"{p.where_prefix}message ") for p in conv.parts}
        parties: dict[str, Party] = {}

        def party(name: str) -> Party:
            """The person a name stands for in this thread. Meta shows every deleted or
            deactivated account as "Facebook User": one such name is somebody else in every
            thread, so it is tied to this thread (ingest's name identity, never shown) and two
            threads never make it one contact."""
            p = parties.get(name)
            if p is None:
                if is_placeholder_name(name):
                    folded = fold_name(name)
                    ident = IdentityRef("name", f"{self.name}-thread:{conv.key}:{folded}")
                    p = Party(name=name, identities=(ident,))
                else:
                    p = Party(name=name)
                parties[name] = p
            return p

        for n, msg in enumerate(conv.messages()):
            if n % 2000 == 0:
                check_cancelled(prog)
            where = f"{prefixes[msg.part]}{msg.index + 1}"
            if msg.kind in mj.SYSTEM_TYPES:
                continue
            if msg.sender is None:
                yield ImportProblem(where=where, reason="message has no sender name")
                continue
            mine = fold_name(msg.sender) in me
            hold = False
            if mine:
                if group:
                    answered = tracker.answered(key)
                    hold = answered is None  # nobody to answer yet: with the first who writes
                    counterparts: tuple[Party, ...] = (answered,) if answered else ()
                elif other is not None:
                    counterparts = (party(other),)
                else:
                    yield ImportProblem(
                        where=where, reason="my message in a chat whose other person is unknown"
                    )
                    continue
            else:
                author = party(msg.sender)
                counterparts = (author,)
                if group:
                    tracker.saw(key, author)
            nth = occurrences.next(msg.ts_ms, msg.sender, msg.text, msg.attachments)
            is_call = msg.kind == "call"
            rec = ImportedInteraction(
                fingerprint=content_fingerprint(
                    self.name, conv.key, msg.ts_ms, msg.sender, msg.text or "", msg.attachments, nth
                ),
                where=where,
                occurred_at=from_epoch_ms(msg.ts_ms),
                channel="call" if is_call else self.channel,
                direction="out" if mine else "in",
                counterparts=counterparts,
                tz_status="utc",
                text=msg.text,
                conversation_key=key,
                conversation_kind="group" if group else "private",
                conversation_title=conv.title,
                duration_s=msg.call_duration if is_call else None,
                weight=GROUP_WEIGHT if group else 1.0,
                attachments=msg.attachments,
            )
            if group:
                yield from tracker.pass_on(key, rec, hold=hold, mine=mine)
            else:
                yield rec


class MessengerImporter(_MetaImporter):
    name = "messenger"
    label = "Facebook Messenger (Download your information, JSON)"
    channel = "messenger"
    flavour = "messenger"


class InstagramImporter(_MetaImporter):
    name = "instagram"
    label = "Instagram direct messages (Download your information, JSON)"
    channel = "instagram"
    flavour = "instagram"


class _Conversation:
    def __init__(self, parts: list[mj.Part]) -> None:
        self.parts = sorted(parts, key=lambda p: p.number)
        first = self.parts[0]
        self.participants = next((p.participants for p in self.parts if p.participants), [])
        self.title = next((p.title for p in self.parts if p.title), None)
        self.thread_type = next((p.thread_type for p in self.parts if p.thread_type), None)
        folder = first.path.parent.name if mj.PART_RE.fullmatch(first.path.name) else None
        thread = next((p.thread_path for p in self.parts if p.thread_path), None)
        # The thread folder name ("alice_1234567890") outlives moves between inbox/archived.
        if thread:
            self.key = thread.rstrip("/").rsplit("/", 1)[-1]
        elif folder:
            self.key = folder
        else:
            self.key = first.path.stem
        self.folder = folder
        # A one-file-per-chat file (the end-to-end-encrypted export) is named after the chat.
        self.file_label = None if folder else first.path.stem
        self.senders = Counter(m.sender for p in self.parts for m in p.messages if m.sender)

    def messages(self) -> list[mj.Msg]:
        """Oldest first, overlapping parts counted once."""
        per_part: dict[int, Counter[tuple[object, ...]]] = {}
        for p in self.parts:
            per_part[p.number] = Counter(_msg_key(m) for m in p.messages)
        allowed: Counter[tuple[object, ...]] = Counter()
        for counts in per_part.values():
            for k, n in counts.items():
                allowed[k] = max(allowed[k], n)
        out: list[mj.Msg] = []
        # Later parts hold older messages and each file is newest-first: this walks oldest first.
        for p in sorted(self.parts, key=lambda p: -p.number):
            for m in reversed(p.messages):
                k = _msg_key(m)
                if allowed[k] > 0:
                    allowed[k] -= 1
                    out.append(m)
        out.sort(key=lambda m: m.ts_ms)  # stable: keeps the walk order for equal times
        return out

    def names(self) -> list[str]:
        return self.participants or list(self.senders)

    def name_of(self, folds: frozenset[str]) -> str | None:
        for n in self.names():
            if fold_name(n) in folds:
                return n
        return None

    def is_group(self, me: frozenset[str]) -> bool:
        if self.thread_type and "group" in self.thread_type.casefold():
            return True
        if self.participants:
            return len({fold_name(n) for n in self.participants}) > 2
        # Without a participant list: more than two distinct authors make a group.
        return len({fold_name(n) for n in self.senders}) > 2

    def other(self, me: frozenset[str]) -> str | None:
        for pool in (self.participants, list(self.senders)):
            rest = {fold_name(n): n for n in pool if fold_name(n) not in me}
            if len(rest) == 1:
                return next(iter(rest.values()))
        if self.title and fold_name(self.title) not in me:
            return self.title
        return None

    def me_by_title(self) -> frozenset[str] | None:
        """Rule 3: in a two-person thread the title (or folder) names the other person."""
        names = {fold_name(n): n for n in self.names()}
        if len(names) != 2:
            return None
        for label in (self.title, self.file_label):
            # The end-to-end-encrypted export numbers its chats: "Anna Smirnova_7".
            for other in (label, _CHAT_NUMBER.sub("", label or "")):
                if other and fold_name(other) in names:
                    return frozenset(k for k in names if k != fold_name(other))
        if self.folder:
            slug = _slug(self.folder.rsplit("_", 1)[0])
            matches = [k for k, n in names.items() if slug and _slug(n) == slug]
            if len(matches) == 1:
                return frozenset(k for k in names if k != matches[0])
        return None


_CHAT_NUMBER = re.compile(r"_\d+$")


def _decide_me(
    convs: list[_Conversation], opts: ImportOptions
) -> tuple[frozenset[str] | None, list[MeHint]]:
    """Rules 1 and 2 of the module docstring (rule 3 is per conversation)."""
    if opts.me_names:
        return frozenset(fold_name(n) for n in opts.me_names if n.strip()), []
    known = {fold_name(n) for c in convs for n in c.names()}
    for conv in convs:
        first = conv.parts[0]
        # A legacy Instagram messages.json lies at the export root, next to profile.json.
        start = first.path if first.where_prefix else first.path.parent
        own = [n for n in mj.profile_names(start) if fold_name(n) in known]
        if own:
            return frozenset(fold_name(n) for n in own), [MeHint(name=own[0])]
    # "Facebook User" in every thread is not one person (nor me): not counted as common
    sets: list[frozenset[str]] = [
        frozenset(fold_name(n) for n in c.names() if not is_placeholder_name(n)) for c in convs
    ]
    sets = [s for s in sets if s]
    shown: dict[str, str] = {fold_name(n): n for c in convs for n in c.names()}
    if len(convs) == 1 and convs[0].folder is not None:
        for names in mj.sibling_participants(convs[0].parts[0].path.parent):
            folded = frozenset(fold_name(n) for n in names if not is_placeholder_name(n))
            sets.append(folded)
            for n in names:
                shown.setdefault(fold_name(n), n)
    if len(sets) >= 2:
        common = frozenset.intersection(*sets)
        if len(common) == 1:
            (me,) = common
            return common, [MeHint(name=shown.get(me, me), inferred=True)]
    return None, []


def _msg_key(m: mj.Msg) -> tuple[object, ...]:
    return (m.ts_ms, m.sender, m.text, m.attachments, m.kind)


def _slug(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def _where(path: Path, detail: str) -> str:
    detail = detail.split(": ", 1)[-1] if detail.startswith(path.name) else detail
    if detail == path.name:
        return f"{path.parent.name}/{path.name}"
    return f"{path.parent.name}/{path.name}: {detail}"
