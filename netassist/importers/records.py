"""The record types importers yield (defined in core so ingest can use them; re-exported here)."""

from netassist.core.records import (
    Channel,
    ConversationKind,
    Direction,
    FormerConversationKeys,
    IdentityKind,
    IdentityRef,
    ImportedContact,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
    Party,
    Record,
    SkippedMessages,
    SkipReason,
    TzStatus,
)

__all__ = [
    "Channel", "ConversationKind", "Direction", "FormerConversationKeys", "IdentityKind",
    "IdentityRef", "ImportedContact", "ImportedInteraction", "ImportOptions", "ImportProblem",
    "MeHint", "Party", "Record", "SkippedMessages", "SkipReason", "TzStatus",
]  # fmt: skip
