"""Plain, frozen records that importers yield and ingest stores. Importers never touch the DB.

Every record says where it came from (``where``: "file.vcf:123" or "result.json: chat 5,
message 77") so that problems and provenance can point a person back at the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

# Identity kinds. Values are raw as found in the file; core.identity normalises them.
IdentityKind = Literal[
    "email",
    "phone",
    "telegram",
    "whatsapp",
    "vk",
    "facebook",
    "instagram",
    "signal",
    "skype",
    "twitter",
    "linkedin",
    "url",
    "name",
]
Direction = Literal["in", "out", "mutual"]
Channel = Literal[
    "email",
    "telegram",
    "whatsapp",
    "messenger",
    "instagram",
    "vk",
    "signal",
    "sms",
    "call",
    "meeting",
    "note",
    "linkedin",
    "other",
]
# How the timestamp relates to UTC: "utc" (source gave an absolute instant), "local" (source gave
# local wall time, converted with the machine's zone), "floating" (no zone, taken as UTC),
# "date" (only a date was known).
TzStatus = Literal["utc", "local", "floating", "date"]
ConversationKind = Literal["private", "group", "email", "calendar", "log"]


@dataclass(frozen=True, slots=True)
class IdentityRef:
    kind: str  # one of IdentityKind
    value: str  # raw value as found (normalised by core.identity)
    label: str | None = None  # e.g. "work", "cell"
    pref: bool = False


@dataclass(frozen=True, slots=True)
class ImportedContact:
    """One person from an address book (a vCard, a CSV row, a Telegram contact...)."""

    source_key: str  # stable key of this record inside its source (UID, or a hash of content)
    where: str  # "file.vcf:card 12 (line 340)"
    full_name: str = ""
    given_name: str = ""
    family_name: str = ""
    middle_name: str = ""  # patronymic or additional names
    prefix: str = ""
    suffix: str = ""
    nickname: str = ""
    organization: str = ""
    title: str = ""
    birthday: str | None = None  # "YYYY-MM-DD" or "--MM-DD" (year unknown)
    anniversary: str | None = None
    note: str = ""
    identities: tuple[IdentityRef, ...] = ()
    addresses: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    photo: bytes | None = None
    photo_mime: str | None = None
    # A dated event from the address book itself, e.g. LinkedIn "Connected On".
    connected_on: datetime | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """The other side of an interaction, as the source names them."""

    name: str | None = None
    identities: tuple[IdentityRef, ...] = ()
    role: Literal["from", "to", "cc", "attendee", "member"] = "from"


@dataclass(frozen=True, slots=True)
class ImportedInteraction:
    """One dated exchange seen from me.

    ``counterparts`` are the people it was with; ingest stores one interaction per counterpart
    (an e-mail to three people is three interactions, each weighted). An interaction with no
    counterpart that ingest can resolve is reported as a problem, not silently dropped.
    """

    fingerprint: str  # stable across re-imports of the same message (source id or content hash)
    where: str
    occurred_at: datetime  # timezone-aware, UTC
    channel: str  # one of Channel
    direction: Direction
    counterparts: tuple[Party, ...]
    tz_status: TzStatus = "utc"
    text: str | None = None
    subject: str | None = None
    conversation_key: str | None = None  # stable id of the chat/thread in its source
    conversation_kind: ConversationKind = "private"
    conversation_title: str | None = None
    message_id: str | None = None  # id within the conversation (for replies)
    reply_to: str | None = None  # message_id this replies to
    duration_s: int | None = None  # calls and meetings
    weight: float = 1.0  # <1 for cc, bulk, group chats
    attachments: int = 0


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something in the source that could not be imported; the rest of the file still is."""

    where: str  # file and line/record: "contacts.vcf:57"
    reason: str  # what is wrong, for a person: "BDAY '--13-40' is not a date"


@dataclass(frozen=True, slots=True)
class MeHint:
    """What an importer learned about the user's own identities (Telegram personal_information,
    the most frequent sender of a mailbox's sent items...). Ingest records them as "me"."""

    identities: tuple[IdentityRef, ...] = ()
    name: str | None = None
    inferred: bool = False  # True when guessed rather than stated by the source


@dataclass(frozen=True, slots=True)
class FormerConversationKeys:
    """The keys an earlier version of an importer gave the conversation now keyed
    ``conversation_key``, for sources whose fingerprints begin with the conversation key.

    Ingest moves the stored rows of a former key over to the new one (conversation and
    fingerprint prefix) before the conversation's messages arrive, so that a database filled by
    the earlier version still recognises every message and a re-import adds nothing. Yielded
    before any interaction of that conversation (ingest ignores it otherwise).
    """

    conversation_key: str
    former: tuple[str, ...]


# Why messages were left out on purpose (not problems): "channel_post", a message a Telegram
# channel or a group itself posted (anonymous admins, a linked channel's posts): no person wrote
# it; "service_sender", a text from a company's or service's sender name or short code ("VK",
# "900"): not a relationship.
SkipReason = Literal["channel_post", "service_sender"]


@dataclass(frozen=True, slots=True)
class SkippedMessages:
    """``count`` messages (in ``where``: a file, a chat) that the importer left out on purpose
    for ``reason`` (one of SkipReason). Not a problem: the import result counts them so that
    its numbers add up."""

    where: str
    reason: str
    count: int = 1


Record = (
    ImportedContact | ImportedInteraction | ImportProblem | MeHint | FormerConversationKeys
    | SkippedMessages
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Options an importer may use. Plain values only."""

    me_names: tuple[str, ...] = ()  # the user's own display names (WhatsApp "--me")
    me_identities: tuple[IdentityRef, ...] = ()
    default_region: str = "RU"  # for phone numbers without a country code
    include_bulk_mail: bool = False
    column_map: dict[str, str] = field(default_factory=dict)  # generic CSV: column -> field
    local_timezone: str | None = None  # IANA name for sources in local wall time; None = system
