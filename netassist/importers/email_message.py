"""One RFC 822 message (bytes) -> records. Shared by the mbox, .eml/Maildir and IMAP importers.

Rules (seen from me):

* sent by me (From is one of ``me_addresses``): direction "out", counterparts = To (role "to",
  Bcc counted as "to") + Cc (role "cc") without my own addresses;
* received: direction "in", counterparts = the sender (role "from");
* weight 1.0 for direct mail, 0.5 when I am only in Cc, 0.3 when there are more than 10
  recipients (or for bulk mail kept with ``include_bulk_mail``);
* mailing-list and machine mail (List-Id, List-Unsubscribe, ezmlm's Mailing-List and
  "Delivered-To: mailing list", X-Mailing-List, Precedence bulk/list/junk,
  Auto-Submitted, bounces and read receipts, no-reply/mailer-daemon/notifications senders, bulk
  ESP headers) and mail the receiving server flagged as spam (X-Spam-Flag / X-Spam-Status /
  X-Spam: Yes) is excluded unless ``ImportOptions.include_bulk_mail``: it yields nothing and is
  counted in :attr:`MessageResult.bulk`;
* a message only to myself, or a draft (Gmail label, Drafts folder, Outlook's X-Unsent: 1), has
  no counterpart and is counted in :attr:`MessageResult.to_self`; messages in Spam/Junk count as
  bulk.

``text`` is what the person wrote (quotes and signatures stripped); attachments are counted only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from netassist.importers.email_headers import (
    PIPERMAIL_FROM,
    Headers,
    address_list,
    first,
    header_str,
    msg_ids,
    parse_date,
    parse_headers,
    received_date,
    split_head_body,
)
from netassist.importers.email_mime import BodyInfo, walk
from netassist.importers.email_text import html_to_text, strip_quotes_and_signature
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
    Party,
    Record,
)

MAX_TEXT_CHARS = 20_000  # what a person wrote in one mail; longer is pasted material

_BULK_LOCAL = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]daemon|postmaster|"
    r"notifications?|notify|bounces?|news(?:letter)?|info-?noreply|automailer|auto-?confirm)"
    r"(?:[-_.+].*)?$",
    re.IGNORECASE,
)
# Headers only mass-mailing services set (Mailchimp, SendGrid, Amazon SES campaigns, ...).
_AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-response")
_ESP_HEADERS = (
    "x-campaign",
    "x-campaignid",
    "x-mc-user",
    "x-sg-eid",
    "x-mailgun-tag",
    "feedback-id",
)
_SPAM_VERDICT = re.compile(r"\s*yes\b", re.I)  # "YES", "Yes, score=7.1 required=5.0 ..."
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|sv|wg|отв|ответ|пер|fwd?)\s*(?:\[\d+\])?\s*:\s*)+", re.I
)


_DRAFT_FOLDER = re.compile(r"(?:^|[,/.\\])\s*\"?(?:drafts?|черновики)\"?\s*(?=$|[,/.\\])", re.I)
_SPAM_FOLDER = re.compile(
    r"(?:^|[,/.\\])\s*\"?(?:spam|junk|junk e-mail|bulk mail|спам|нежелательная почта)\"?\s*(?=$|[,/.\\])",
    re.I,
)


@dataclass(slots=True)
class MessageResult:
    records: list[Record] = field(default_factory=list)
    bulk: bool = False  # mailing list, automatic mail, or in a Spam/Junk folder
    to_self: bool = False  # only to myself, or an unsent draft
    calendars: list[bytes] = field(default_factory=list)  # text/calendar parts (invitations)


def is_bulk(h: Headers, sender: str, body: BodyInfo | None = None) -> bool:
    """Mailing lists, automatic and mass mail: not an exchange between people."""
    if "list-id" in h or "list-unsubscribe" in h:
        return True
    if "mailing-list" in h or "x-mailing-list" in h:
        return True  # ezmlm (no List-Id in its older versions), SmartList, vger
    if any(v.lstrip().lower().startswith(b"mailing list ") for v in h.get("delivered-to", [])):
        return True  # ezmlm's "Delivered-To: mailing list dev@lists.example.org"
    if PIPERMAIL_FROM.match(header_str(first(h, "from"))):
        return True  # a Mailman 2 archive's post ("From: user at example.org (Name)")
    prec = header_str(first(h, "precedence")).lower()
    if prec in ("bulk", "list", "junk"):
        return True
    auto = header_str(first(h, "auto-submitted")).lower()
    if auto and auto != "no":
        return True
    if any(name in h for name in _ESP_HEADERS) or any(name in h for name in _AUTO_HEADERS):
        return True
    if header_str(first(h, "return-path")).strip() == "<>":
        return True  # null sender: bounces and auto-replies
    if _SPAM_VERDICT.match(header_str(first(h, "x-spam-flag") or first(h, "x-spam-status"))):
        return True  # the receiving server's filter said spam (SpamAssassin, MailScanner)
    if _SPAM_VERDICT.match(header_str(first(h, "x-spam"))):
        return True  # rspamd
    local = sender.rsplit("@", 1)[0]
    if _BULK_LOCAL.match(local):
        return True
    return bool(body and body.report)


def fingerprint_for(
    message_id: str | None, date_s: str, sender: str, subject: str, body: bytes
) -> str:
    if message_id:
        return "email:" + hashlib.sha1(message_id.encode("utf-8", "replace")).hexdigest()
    h = hashlib.sha1()
    for part in (date_s, sender.lower(), subject):
        h.update(part.encode("utf-8", "replace") + b"\x00")
    h.update(hashlib.sha1(body).digest())
    return "email:h" + h.hexdigest()


def thread_key(h: Headers, own_id: str | None, in_reply: str | None) -> str | None:
    thrid = header_str(first(h, "x-gm-thrid")).strip()
    if thrid:
        return "gm-thread:" + thrid
    refs = msg_ids(first(h, "references"))
    if refs:
        return refs[0]
    return in_reply or own_id


def body_text(info: BodyInfo) -> str:
    plain = [t for t in info.plain if t.strip()]
    if plain:
        raw = "\n\n".join(plain)
    elif info.html:
        raw = "\n\n".join(html_to_text(t) for t in info.html)
    else:
        return ""
    return strip_quotes_and_signature(raw)[:MAX_TEXT_CHARS]


def _party(name: str, addr: str, role: str) -> Party:
    return Party(name=name or None, identities=(IdentityRef("email", addr),), role=role)  # type: ignore[arg-type]


def convert_message(
    raw: bytes,
    where: str,
    options: ImportOptions,
    me_addresses: frozenset[str],
    fallback_date: datetime | None = None,
    folder: str = "",
) -> MessageResult:
    """Turn one message into records, with what was skipped and why (see the module doc).

    ``folder``: the mailbox folder it was found in ("INBOX/Drafts", "Maildir/.Junk"), if any;
    with Gmail's X-Gmail-Labels it tells drafts (skipped as to_self) and spam (bulk).
    """
    res = MessageResult()
    head, body = split_head_body(raw)
    h = parse_headers(head)
    if not h:
        res.records.append(ImportProblem(where, "no mail headers found: not an e-mail message"))
        return res
    senders = address_list(h, "from") or address_list(h, "sender") or address_list(h, "return-path")
    sender_name, sender = senders[0] if senders else ("", "")
    info = BodyInfo()
    try:
        walk(h, body, info)
    except RecursionError:
        res.records.append(ImportProblem(where, "MIME structure nested too deeply; body skipped"))
    res.calendars = info.calendars
    where_kept = folder + "," + header_str(first(h, "x-gmail-labels"))
    if _DRAFT_FOLDER.search(where_kept) or header_str(first(h, "x-unsent")).strip() == "1":
        # never sent (a Drafts folder or label; Outlook's "X-Unsent: 1" compose file): not an
        # exchange with anyone, nor its invitations
        res.to_self = True
        res.calendars = []
        return res
    bulk = bool(_SPAM_FOLDER.search(where_kept)) or is_bulk(h, sender, info)
    if bulk and not options.include_bulk_mail:
        res.bulk = True
        return res

    date_s = header_str(first(h, "date"))
    occurred = parse_date(date_s) or received_date(h) or fallback_date
    if occurred is None:
        res.records.append(ImportProblem(where, "the message has no readable Date header"))
        return res
    own_ids = msg_ids(first(h, "message-id"))
    own_id = own_ids[0] if own_ids else None
    reply_ids = msg_ids(first(h, "in-reply-to"))
    in_reply = reply_ids[-1] if reply_ids else None
    subject = header_str(first(h, "subject"))

    to = address_list(h, "to")
    cc = address_list(h, "cc")
    bcc = address_list(h, "bcc")
    n_recipients = len({a.lower() for _, a in to + cc + bcc})
    if sender and sender.lower() in me_addresses:
        direction = "out"
        seen: set[str] = set()
        parties: list[Party] = []
        for role, group in (("to", to + bcc), ("cc", cc)):
            for name, addr in group:
                key = addr.lower()
                if key in me_addresses or key in seen:
                    continue
                seen.add(key)
                parties.append(_party(name, addr, role))
        weight = 1.0
        if not parties:
            res.to_self = True
            return res
    else:
        direction = "in"
        if not sender:
            res.records.append(ImportProblem(where, "the message has no readable sender (From)"))
            return res
        parties = [_party(sender_name, sender, "from")]
        in_to = any(a.lower() in me_addresses for _, a in to)
        in_cc = any(a.lower() in me_addresses for _, a in cc)
        weight = 0.5 if in_cc and not in_to else 1.0
    if n_recipients > 10 or bulk:
        weight = 0.3  # kept bulk mail (include_bulk_mail) says little about a relationship

    res.records.append(
        ImportedInteraction(
            fingerprint=fingerprint_for(own_id, date_s, sender, subject, body),
            where=where,
            occurred_at=occurred,
            channel="email",
            direction=direction,
            counterparts=tuple(parties),
            tz_status="utc",
            text=body_text(info) or None,
            subject=subject or None,
            conversation_key=thread_key(h, own_id, in_reply),
            conversation_kind="email",
            conversation_title=_SUBJECT_PREFIX.sub("", subject).strip() or None,
            message_id=own_id,
            reply_to=in_reply,
            weight=weight,
            attachments=info.attachments,
        )
    )
    return res


def message_to_records(
    raw_bytes: bytes,
    where: str,
    options: ImportOptions | None,
    me_addresses: frozenset[str] | set[str],
    folder: str = "",
    now: datetime | None = None,
) -> list[Record]:
    """Records of one raw message (for IMAP and other callers that fetch messages one by one):
    the e-mail interaction (or a problem) plus a meeting for each invitation it carries.

    Bulk mail, drafts and mail only to myself give no e-mail record; use
    :func:`convert_message` to learn why. ``folder`` (e.g. "[Gmail]/Drafts", "Junk") helps tell
    drafts and spam; ``now`` bounds recurring invitations (default: the current time).
    """
    me = frozenset(a.lower() for a in me_addresses)
    res = convert_message(raw_bytes, where, options or ImportOptions(), me, folder=folder)
    return res.records + invitation_records(res, where, me, now)


def invitation_records(
    res: MessageResult, where: str, me: frozenset[str], now: datetime | None = None
) -> list[Record]:
    """Meetings from the text/calendar METHOD:REQUEST parts of a converted message, once each
    (mails often carry the invitation twice: as an alternative and as an .ics attachment)."""
    if not res.calendars:
        return []
    from netassist.importers.ics import calendar_records  # ics imports this module

    moment = now or datetime.now(UTC)
    seen: set[str] = set()
    out: list[Record] = []
    for data in res.calendars:
        out.extend(calendar_records(data, where, me, moment, invitations_only=True, seen=seen))
    return out


class MeetingVersions:
    """Meetings from the invitations of a whole mailbox, each in its latest version.

    A meeting's update (new time) or cancellation comes as another mail with the same UID and a
    higher SEQUENCE; counting every invitation would keep the meeting at its old time too, and a
    cancelled one. ``add`` takes one converted message and returns its problems at once;
    ``records`` gives the kept meetings after the last message.
    """

    def __init__(self) -> None:
        self._best: dict[str, tuple[tuple[int, float], dict[str, Record]]] = {}

    def add(
        self, res: MessageResult, where: str, me: frozenset[str], now: datetime | None = None
    ) -> list[Record]:
        from netassist.importers.ics import meeting_versions  # ics imports this module

        moment = now or datetime.now(UTC)
        problems: list[Record] = []
        for data in res.calendars:
            for uid, version, records in meeting_versions(data, where, me, moment):
                kept = [r for r in records if isinstance(r, ImportedInteraction)]
                problems.extend(r for r in records if not isinstance(r, ImportedInteraction))
                if not uid:
                    continue
                current = self._best.get(uid)
                if current is None or version > current[0]:
                    self._best[uid] = (version, {r.fingerprint: r for r in kept})
                elif version == current[0]:
                    for r in kept:
                        current[1].setdefault(r.fingerprint, r)
        return problems

    def records(self) -> Iterator[Record]:
        for _, kept in self._best.values():
            yield from kept.values()


# ----------------------------------------------------------------------------------------------
# "Me" inference from headers only (a cheap first pass)
# ----------------------------------------------------------------------------------------------

# Gmail labels: Takeout writes them comma-separated (Sent,Important); IMAP downloaders (getmail,
# offlineimap) copy X-GM-LABELS as quoted IMAP strings ("\\Sent" "\\Important" Work)
_LABEL_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([^,"()\s][^,"()]*)')
_SENT_LABELS = frozenset({"sent", "sent mail", "sent items", "sent messages", "отправленные"})


def _has_sent_label(labels: str) -> bool:
    for quoted, bare in _LABEL_TOKEN.findall(labels):
        label = (quoted.replace("\\\\", "\\") if quoted else bare).strip().lstrip("\\")
        if label.strip().casefold() in _SENT_LABELS:
            return True
    return False


@dataclass(slots=True)
class MeCounter:
    """Counts addresses while scanning headers; :meth:`guess` picks the user's own address."""

    sent_from: dict[str, int] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    received: set[str] = field(default_factory=set)  # addresses seen as a recipient

    def add_head(self, head: bytes, in_sent_folder: bool = False) -> None:
        h = parse_headers(head)
        frm = address_list(h, "from")
        labels = header_str(first(h, "x-gmail-labels"))
        sent = in_sent_folder or bool(labels and _has_sent_label(labels))
        for name, addr in frm[:1]:
            key = addr.lower()
            if sent:
                self.sent_from[key] = self.sent_from.get(key, 0) + 1
            self.seen[key] = self.seen.get(key, 0) + 2
            if name:
                self.names.setdefault(key, name)
        for _, addr in address_list(h, "to", "delivered-to"):
            key = addr.lower()
            # Recipients weigh a little more: in an inbox-only file I am the usual recipient.
            self.seen[key] = self.seen.get(key, 0) + 3
            self.received.add(key)
        for _, addr in address_list(h, "cc"):
            key = addr.lower()
            self.seen[key] = self.seen.get(key, 0) + 2
            self.received.add(key)

    def hint(self) -> MeHint | None:
        """My addresses: every address that sent a real share (10%+, at least 2) of the Sent
        mail, else the most frequent address that received mail; None when no address was
        seen as a recipient (messages with only a sender - newsgroup posts, mail received as
        Bcc - are then read as received: their sender is the other person, not me)."""
        if self.sent_from:
            top = max(self.sent_from.values())
            floor = min(top, max(2, top // 10))
            addrs = [a for a, c in self.sent_from.items() if c >= floor]
            addrs.sort(key=lambda a: (-self.sent_from[a], a))
        elif self.received:
            ranked = ((a, c) for a, c in self.seen.items() if a in self.received)
            addrs = [max(ranked, key=lambda kv: (kv[1], kv[0]))[0]]
        else:
            return None
        return MeHint(
            identities=tuple(IdentityRef("email", a) for a in addrs),
            name=self.names.get(addrs[0]),
            inferred=True,
        )


def me_from_options(options: ImportOptions) -> frozenset[str]:
    return frozenset(i.value.strip().lower() for i in options.me_identities if i.kind == "email")
