"""Small pieces shared by the chat importers (Messenger/Instagram, VK, Signal, SMS, CSV log).

Kept here so that every chat source builds fingerprints, local times and group counterparts the
same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netassist.importers.records import ImportedInteraction, Party

GROUP_WEIGHT = 0.4


def content_fingerprint(source: str, conversation_key: str, *parts: object) -> str:
    """A stable hash of a message's content, for sources without their own message ids."""
    joined = "\x1f".join((source, conversation_key, *map(str, parts)))
    digest = hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16)
    return f"{source}:{digest.hexdigest()}"


class OccurrenceCounter:
    """Counts identical (time, author, text) keys so that true repeats get distinct fingerprints.

    The n-th repeat of the same line always gets the same number, so re-imports are stable.
    """

    def __init__(self) -> None:
        self._seen: Counter[tuple[object, ...]] = Counter()

    def next(self, *key: object) -> int:
        n = self._seen[key]
        self._seen[key] = n + 1
        return n


def resolve_zone(name: str | None, default: str | None = None) -> tzinfo | None:
    """The zone named by ``name`` (or ``default``); None means the machine's own zone."""
    for candidate in (name, default):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return None


def local_to_utc(naive: datetime, zone: tzinfo | None) -> datetime:
    """Interpret a naive wall-clock time in ``zone`` (None: the machine's zone) and give UTC."""
    if zone is None:
        return naive.astimezone(UTC)  # naive .astimezone() uses the system zone
    return naive.replace(tzinfo=zone).astimezone(UTC)


def from_epoch_ms(ms: int | float) -> datetime:
    return datetime.fromtimestamp(ms / 1000.0, UTC)


class GroupReplyTracker:
    """Who did I answer in a group chat?

    Group chats have no addressee, so a message I write in a group is counted as an answer to
    the author of the previous message that was not mine. My messages before anyone else spoke
    are ``hold``-ed and go with the first other author (``release``, called when that author's
    message comes, gives them back with that person as their counterpart); in a group nobody
    else ever wrote in they have no one to be with and are not kept.
    """

    def __init__(self) -> None:
        self._last: dict[str, Party] = {}
        self._held: dict[str, list[ImportedInteraction]] = {}

    def saw(self, conversation_key: str, author: Party) -> None:
        self._last[conversation_key] = author

    def answered(self, conversation_key: str) -> Party | None:
        return self._last.get(conversation_key)

    def hold(self, conversation_key: str, record: ImportedInteraction) -> None:
        """Keep my opening message of a group until someone else writes."""
        self._held.setdefault(conversation_key, []).append(record)

    def pass_on(
        self, conversation_key: str, record: ImportedInteraction, *, hold: bool, mine: bool
    ) -> list[ImportedInteraction]:
        """What to yield for a group's ``record``: nothing yet when it is one of my opening
        messages (``hold``); else, when it is someone else's, the held ones first, then it."""
        if hold:
            self.hold(conversation_key, record)
            return []
        if mine:
            return [record]
        return [*self.release(conversation_key), record]

    def release(self, conversation_key: str) -> list[ImportedInteraction]:
        """The held messages of this group, now with the last other author seen (``saw``)."""
        held = self._held.pop(conversation_key, None)
        author = self._last.get(conversation_key)
        if not held or author is None:
            if held:
                self._held[conversation_key] = held
            return []
        return [dataclasses.replace(r, counterparts=(author,)) for r in held]


def fold_name(name: str) -> str:
    """Compare display names case-insensitively and ignoring extra spaces."""
    return " ".join(name.split()).casefold()
