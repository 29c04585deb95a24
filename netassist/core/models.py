"""SQLModel tables: the whole store. Times are UTC unix seconds (int) unless named *_date.

Integer epoch seconds keep bulk imports and SQL aggregation fast (no string parsing per row);
``netassist.core.timeutil`` converts at the edges.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def _s(default: str = "", **kw: object) -> str:
    """A NOT NULL text column with the same default in Python and in SQL (bulk inserts)."""
    return Field(default=default, sa_column_kwargs={"server_default": default}, **kw)  # type: ignore[return-value]


def _n(default: int | float = 0, **kw: object) -> int:
    sql = str(int(default)) if isinstance(default, bool) else str(default)
    return Field(default=default, sa_column_kwargs={"server_default": sql}, **kw)  # type: ignore[return-value]


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    id: int | None = Field(default=None, primary_key=True)
    display_name: str = _s("", index=True)
    given_name: str = _s("")
    family_name: str = _s("")
    middle_name: str = _s("")  # patronymic / additional names
    prefix: str = _s("")
    suffix: str = _s("")
    nickname: str = _s("")
    organization: str = _s("")
    title: str = _s("")
    birthday: str | None = None  # "YYYY-MM-DD" or "--MM-DD"
    anniversary: str | None = None
    about: str = _s("")  # free text from address books (NOTE)
    addresses: str = _s("")  # one postal address per line
    urls: str = _s("")  # one URL per line
    photo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    photo_mime: str | None = None
    gender: str | None = None  # "m" / "f" when known, for Russian grammar in openers
    cadence_days: float | None = None  # user-set cadence overriding the learned one
    is_me: bool = _n(False)
    user_edited: str = _s("")  # comma-separated field names the user edited (imports never clobber)
    created_at: int = _n(0)
    updated_at: int = _n(0)


class Identity(SQLModel, table=True):
    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identity_kind_value"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    kind: str  # email, phone, telegram, whatsapp, vk, ...
    value: str  # normalised (core.identity.normalize_identity)
    raw: str = _s("")  # as first seen
    label: str | None = None
    pref: bool = _n(False)
    source: str = _s("")  # importer name or "user"


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # source's stable id: "telegram:chat:123"
    kind: str = _s("private")  # private / group / email / calendar / log
    channel: str = _s("")
    title: str | None = None


class ImportRun(SQLModel, table=True):
    __tablename__ = "import_run"
    id: int | None = Field(default=None, primary_key=True)
    source: str = _s("")  # file or folder path as given
    importer: str = _s("")
    started_at: int = _n(0)
    finished_at: int | None = None
    status: str = _s("running")  # running / ok / failed / cancelled
    records: int = _n(0)
    contacts_created: int = _n(0)
    contacts_updated: int = _n(0)
    contacts_merged: int = _n(0)
    interactions_added: int = _n(0)
    duplicates_skipped: int = _n(0)
    problem_count: int = _n(0)
    message: str = _s("")  # why it failed, when it did


class ImportProblemRow(SQLModel, table=True):
    __tablename__ = "import_problem"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="import_run.id", index=True, ondelete="CASCADE")
    where: str
    reason: str


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_contact_time", "contact_id", "occurred_at"),
        Index("ix_interaction_time", "occurred_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    conversation_id: int | None = Field(
        default=None, foreign_key="conversation.id", index=True, ondelete="SET NULL"
    )
    channel: str  # email, telegram, whatsapp, call, meeting, note, ...
    direction: str  # in / out / mutual
    occurred_at: int  # UTC unix seconds
    tz_status: str = _s("utc")  # utc / local / floating / date
    text: str | None = None
    subject: str | None = None
    length: int = _n(0)  # characters of text
    duration_s: int | None = None
    weight: float = _n(1.0)
    attachments: int = _n(0)
    message_id: str | None = None
    reply_to: str | None = None
    fingerprint: str = Field(unique=True)
    import_run_id: int | None = Field(
        default=None, foreign_key="import_run.id", index=True, ondelete="SET NULL"
    )


class Note(SQLModel, table=True):
    __tablename__ = "note"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    created_at: int = _n(0)
    text: str = _s("")


class Tag(SQLModel, table=True):
    __tablename__ = "tag"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")


class Reminder(SQLModel, table=True):
    __tablename__ = "reminder"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(
        default=None, foreign_key="contact.id", index=True, ondelete="CASCADE"
    )
    title: str = _s("")
    body: str = _s("")
    kind: str = _s("user")  # user / birthday / followup
    due_at: int = _n(0)  # next time it is due (UTC unix seconds)
    recurrence: str = _s("none")  # none / daily / weekly / monthly / yearly
    snoozed_until: int | None = None
    done_at: int | None = None
    dismissed_at: int | None = None
    last_fired_at: int | None = None
    created_at: int = _n(0)


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    rating: float | None = None  # 1..5: how close the user feels
    relative: int = _n(0)  # +1 "closer than shown", -1 "less close"
    created_at: int = _n(0)


class FollowupAction(SQLModel, table=True):
    """What the user did with a follow-up: snoozed / done / dismissed (feeds the ranking)."""

    __tablename__ = "followup_action"
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    kind: str = _s("")  # overdue / fading / owed_reply / birthday / reconnect / reminder
    action: str = _s("")  # snoozed / done / dismissed
    until: int | None = None
    created_at: int = _n(0)


class Setting(SQLModel, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str = _s("")  # JSON


class MergeRecord(SQLModel, table=True):
    __tablename__ = "merge_record"
    id: int | None = Field(default=None, primary_key=True)
    kept_contact_id: int = Field(index=True)
    merged_contact_id: int
    merged_name: str = _s("")
    details: str = _s("")  # JSON: what moved
    created_at: int = _n(0)


class DuplicateCandidate(SQLModel, table=True):
    __tablename__ = "duplicate_candidate"
    __table_args__ = (UniqueConstraint("contact_a", "contact_b", name="uq_dup_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_a: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    contact_b: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    confidence: float = _n(0.0)
    reason: str = _s("")
    status: str = _s("open")  # open / dismissed / merged
    created_at: int = _n(0)


class ContactSource(SQLModel, table=True):
    """Provenance: which source record a contact came from and the field values it gave.

    Re-importing a changed card updates only fields whose value still equals what this source
    gave last time (the user's own edits are never clobbered)."""

    __tablename__ = "contact_source"
    __table_args__ = (UniqueConstraint("importer", "source_key", name="uq_contact_source"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    importer: str
    source_key: str
    fields: str = _s("")  # JSON of the field values as last imported
    updated_at: int = _n(0)


class ContactScore(SQLModel, table=True):
    """Cached engine output per contact, with the time it was computed."""

    __tablename__ = "contact_score"
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    computed_at: int = _n(0)
    strength: float = _n(0.0)
    tier: str = _s("")
    trend: str = _s("")  # up / flat / down
    cadence_days: float | None = None
    due_at: int | None = None
    last_at: int | None = None
    breakdown: str = _s("")  # JSON
    state: str = _s("")  # never / active / due / overdue / dormant
    # the top follow-up for this contact when the scores were computed (None: nothing to do)
    followup_kind: str | None = None
    followup_reason: str | None = None
    followup_priority: float | None = None
    followup_params: str | None = None  # JSON; the reason is rendered from kind + params


class GlobalTopicRow(SQLModel, table=True):
    """One NMF topic over the whole history (core.interests), named by its top lemmas.

    A cache: recomputed when the history changes, dropped by "forget" (its lemmas come from
    everyone's messages)."""

    __tablename__ = "global_topic"
    idx: int = Field(primary_key=True)
    name: str = _s("")  # the top three lemmas joined with ", "
    top_terms: str = _s("")  # JSON list of lemmas, strongest first
    weight: float = _n(0.0)  # share of the whole history's topic mass, 0..1
    computed_at: int = _n(0)


class ContactTopicShare(SQLModel, table=True):
    """How much of a contact's conversations is about a global topic (shares sum to 1)."""

    __tablename__ = "contact_topic"
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    topic_idx: int = Field(foreign_key="global_topic.idx", primary_key=True, ondelete="CASCADE")
    share: float = _n(0.0)


class ContactInterest(SQLModel, table=True):
    """What the user said about a contact's topics: an interest confirmed (suggested or typed in
    by the user), or a term / global topic hidden for this contact."""

    __tablename__ = "contact_interest"
    __table_args__ = (UniqueConstraint("contact_id", "kind", "term", name="uq_contact_interest"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    kind: str = _s("term")  # term (a lemma, a two-lemma phrase or the user's words) / topic
    term: str = _s("")  # key: lemmas ("рыбалка ладога"); a topic: top 3 lemmas joined by ", "
    label: str = _s("")  # as shown ("рыбалка на Ладоге")
    status: str = _s("confirmed")  # confirmed / hidden
    source: str = _s("suggested")  # suggested / user
    created_at: int = _n(0)
