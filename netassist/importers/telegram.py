"""Telegram Desktop "Export chat history / Export Telegram data" in machine-readable JSON.

Reads both the full export (``result.json`` with personal_information, contacts.list,
chats.list[] and left_chats.list[]) and a single-chat export (top-level name/type/id/messages),
streaming (see ``jsonstream``): a 500 MB export needs a few tens of MB.

What becomes what:
  * personal_information -> MeHint (telegram user id, phone, @username, name); the owner's id sets
    the direction of every message (from_id == "user<id>" -> "out");
  * contacts.list -> ImportedContact (phone, telegram id when on Telegram); the date a contact
    was added is not kept: syncing a phone book is not talking to anyone (it is no
    ``connected_on``, which ingest stores as a LinkedIn "connected" interaction);
  * each "message" -> ImportedInteraction on channel "telegram"; text given as a string or as a
    list of strings and entity dicts is joined to plain text; media -> attachments=1; forwarded
    messages count for the person who forwarded them (the sender in this chat);
  * service "phone_call"/"group_call" -> channel "call" with duration_s (0 when missed); other
    service actions (joins, pins, titles...) are skipped, not problems;
  * private chats (personal_chat) have weight 1.0; groups (private_group, *_supergroup) 0.4 and
    a message is with its author, my own message with the author I reply to, else the last
    other author (nobody yet -> the first other author to write; nobody ever -> skipped
    silently); saved_messages, channels and bots are skipped; in a group, what the group or a
    channel itself posted (anonymous admins, a linked channel: "from_id": "channel...") is no
    person's message: left out and counted (``SkippedMessages`` "channel_post");
  * time: date_unixtime (tz_status "utc"), else the zone-less "date" taken as local wall time.
Without personal_information (single-chat export) the owner is the member of a personal chat whose
id is not the chat's id (Telegram names a personal chat after the partner's user id), or
``ImportOptions.me_identities``/``me_names``. When no author has the chat's id (an edited or
anonymised export), the author named like the chat is taken for the partner, else the author
who is not ``me_names``; failing both, a problem says so and each author counts as himself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from itertools import chain
from pathlib import Path
from typing import Any, ClassVar

from netassist.core.progress import Progress, check_cancelled
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.chatkit import interaction, local_zone, short_hash
from netassist.importers.jsonstream import JsonSyntaxError, Walker
from netassist.importers.records import (
    IdentityRef,
    ImportedContact,
    ImportOptions,
    ImportProblem,
    MeHint,
    Party,
    Record,
    SkippedMessages,
)

PRIVATE_TYPES = frozenset({"personal_chat"})
SKIPPED_TYPES = frozenset(
    {"saved_messages", "bot_chat", "public_channel", "private_channel", "channel"}
)
CALL_ACTIONS = frozenset({"phone_call", "group_call"})
# Senders that are a chat, not a user: in a group, an anonymous admin posts as the group
# ("from_id": "channel<the group's id>", "from": its title) and a linked channel's posts come
# as the channel; neither is a person (Telegram's peers are users, chats and channels).
_NOT_A_PERSON = ("channel", "chat")
_CONTACTS_SECTION = re.compile(rb'"contacts"\s*:\s*\{\s*"(?:about|list)"\s*:')
_LOOKAHEAD = 2000  # messages read ahead to find a personal chat's partner by name


def _fold(name: Any) -> str:
    return " ".join(name.casefold().split()) if isinstance(name, str) else ""


def _is_named(name: Any, names: set[str]) -> bool:
    return isinstance(name, str) and name.casefold().strip() in names


def _named_like(chat_name: Any, authors: dict[str, Any]) -> str | None:
    """The one author whose name is the chat's name (else the one whose name starts or ends
    with it as a whole word: "Jimmeny" / "Jimmeny Marvelton")."""
    want = _fold(chat_name)
    if not want:
        return None
    same = [uid for uid, name in authors.items() if _fold(name) == want]
    if len(same) == 1:
        return same[0]
    if same:
        return None
    near = []
    for uid, name in authors.items():
        have = _fold(name)
        if have and (
            have.startswith(want + " ") or want.startswith(have + " ")
            or have.endswith(" " + want) or want.endswith(" " + have)
        ):  # fmt: skip
            near.append(uid)
    return near[0] if len(near) == 1 else None


def _uid(value: Any) -> str | None:
    """from_id / actor_id / user_id as the export writes them ("user123", 123) -> "user123"."""
    if value is None or value == "" or value == 0:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return f"user{int(value)}"
    text = str(value).strip()
    return f"user{text}" if text.isdigit() else text  # an id some tools write as a string


def plain_text(text: Any) -> str:
    """Telegram's text: a string, or a list of strings and {"type", "text"} entity dicts."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        out = []
        for part in text:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, dict):
                t = part.get("text")
                if isinstance(t, str):
                    out.append(t)
        return "".join(out)
    return ""


class TelegramImporter(Importer):
    name: ClassVar[str] = "telegram"
    label: ClassVar[str] = "Telegram Desktop export (result.json)"
    patterns: ClassVar[tuple[str, ...]] = ("result.json", "*.json")
    needs_me: ClassVar[bool] = False

    def sniff(self, path: Path, head: bytes) -> int:
        h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not h.startswith(b"{"):
            return 0
        score = 0
        if b'"personal_information"' in head or b'"chats"' in head and b'"list"' in head:
            score = 70
        elif _CONTACTS_SECTION.search(head) and (
            b'"phone_number"' in head or b'"frequent_contacts"' in head
        ):
            score = 70  # "Export Telegram data" with only the contacts list ticked
        if b'"messages"' in head and (b'"date_unixtime"' in head or b'"from_id"' in head):
            score = max(score, 85)
        elif b'"messages"' in head and b'"type": "message"' in head:
            score = max(score, 75)
        if b'"type": "personal_chat"' in head or b'"text_entities"' in head:
            score = min(100, score + 10)
        if score and path.name == "result.json":
            score = min(100, score + 5)
        return score

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        opts = options or ImportOptions()
        walker = Walker(os.fspath(path))
        try:
            yield from _Export(walker, Path(path).name, opts, ensure_progress(progress)).run()
        finally:
            walker.close()


class _Export:
    def __init__(self, w: Walker, fname: str, opts: ImportOptions, prog: Progress) -> None:
        self.w = w
        self.fname = fname
        self.opts = opts
        self.prog = prog
        self.owner: str | None = None
        for ident in opts.me_identities:
            if ident.kind == "telegram" and ident.value.startswith("user"):
                self.owner = ident.value
        self.me_names = {n.casefold().strip() for n in opts.me_names if n.strip()}
        self._zone: tzinfo | None = None
        self.problems: list[ImportProblem] = []
        self.n_chats = 0
        self.found_anything = False

    @property
    def zone(self) -> tzinfo:
        if self._zone is None:
            self._zone = local_zone(self.opts.local_timezone)
        return self._zone

    def run(self) -> Iterator[Record]:
        w = self.w
        if w.size == 0:
            raise FormatError(f"{self.fname}: empty file")
        try:
            top = w.members(w.start)
            single: dict[str, Any] = {}
            for key, pos in top:
                if key == "personal_information":
                    info, top.resume = w.value(pos)
                    yield from self._owner(info)
                elif key == "contacts":
                    yield from self._contacts(pos, top)
                elif key in ("chats", "left_chats"):
                    yield from self._chat_list(pos, top)
                elif key == "messages":  # a single-chat export
                    self.found_anything = True
                    yield from self._messages(pos, single, top)
                elif key in ("name", "type", "id"):
                    single[key], top.resume = w.value(pos)
        except ValueError as e:  # JsonSyntaxError, or orjson on a small broken value
            if not self.found_anything:
                raise FormatError(f"{self.fname}: not readable JSON ({e})") from e
            yield ImportProblem(f"{self.fname}", f"the file is cut short or broken: {e}")
        if not self.found_anything:
            raise FormatError(f"{self.fname}: no Telegram chats or contacts in this JSON")
        yield from self.problems
        self.prog.set_progress(1.0, "Telegram")

    # ---- owner and contacts -------------------------------------------------------------
    def _owner(self, info: Any) -> Iterator[Record]:
        if not isinstance(info, dict):
            return
        self.found_anything = True
        idents: list[IdentityRef] = []
        uid = _uid(info.get("user_id"))
        if uid:
            self.owner = uid
            idents.append(IdentityRef("telegram", uid))
        phone = info.get("phone_number")
        if isinstance(phone, str) and phone.strip():
            idents.append(IdentityRef("phone", phone.strip()))
        user = info.get("username")
        if isinstance(user, str) and user.strip():
            idents.append(IdentityRef("telegram", "@" + user.strip().lstrip("@")))
        name = " ".join(str(info.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
        if name:
            self.me_names.add(name.casefold())
        yield MeHint(identities=tuple(idents), name=name or None, inferred=False)

    def _contacts(self, pos: int, parent: Any) -> Iterator[Record]:
        w = self.w
        obj = w.members(pos)
        for key, vpos in obj:
            if key != "list":
                continue
            items = w.elements(vpos)
            for i, start in enumerate(items):
                try:
                    c, items.resume = w.value(start)
                except (ValueError, JsonSyntaxError):
                    self.problems.append(
                        ImportProblem(f"{self.fname}: contact {i + 1}", "unreadable")
                    )
                    continue
                rec = self._contact(c, i)
                if rec is not None:
                    self.found_anything = True
                    yield rec
            obj.resume = items.end
        parent.resume = obj.end

    def _contact(self, c: Any, i: int) -> Record | None:
        where = f"{self.fname}: contact {i + 1}"
        if not isinstance(c, dict):
            return ImportProblem(where, "a contact that is not an object")
        first = str(c.get("first_name") or "").strip()
        last = str(c.get("last_name") or "").strip()
        phone = str(c.get("phone_number") or "").strip()
        uid = _uid(c.get("user_id"))
        idents: list[IdentityRef] = []
        if phone:
            idents.append(IdentityRef("phone", phone))
        if uid:
            idents.append(IdentityRef("telegram", uid))
        if not idents and not (first or last):
            return ImportProblem(where, "a contact with neither a name nor a phone number")
        key = uid or phone or short_hash(first, last)
        return ImportedContact(
            source_key=f"telegram-contact:{key}",
            where=where,
            full_name=" ".join(x for x in (first, last) if x),
            given_name=first,
            family_name=last,
            identities=tuple(idents),
        )

    # ---- chats --------------------------------------------------------------------------
    def _chat_list(self, pos: int, parent: Any) -> Iterator[Record]:
        w = self.w
        obj = w.members(pos)
        for key, vpos in obj:
            if key != "list":
                continue
            chats = w.elements(vpos)
            for start in chats:
                check_cancelled(self.prog)
                self.prog.set_progress(start / max(1, w.size), "Telegram")
                meta: dict[str, Any] = {}
                chat = w.members(start)
                for ckey, cpos in chat:
                    if ckey == "messages":
                        self.found_anything = True
                        yield from self._messages(cpos, meta, chat)
                    elif ckey in ("name", "type", "id"):
                        meta[ckey], chat.resume = w.value(cpos)
                chats.resume = chat.end
            obj.resume = chats.end
        parent.resume = obj.end

    def _messages(self, pos: int, meta: dict[str, Any], parent: Any) -> Iterator[Record]:
        self.n_chats += 1
        ctype = meta.get("type")
        batches = self.w.array_batches(pos, self._bad_item(meta))
        if ctype in SKIPPED_TYPES:
            for _ in batches:
                check_cancelled(self.prog)
        else:
            yield from _ChatState(self, meta).run(batches)
        parent.resume = batches.end

    def _bad_item(self, meta: dict[str, Any]) -> Any:
        def on_bad(offset: int, reason: str) -> None:
            self.problems.append(
                ImportProblem(f"{self.fname}: chat {meta.get('name')!r}, byte {offset}", reason)
            )

        return on_bad

    def _when(self, m: dict[str, Any]) -> tuple[datetime | None, str]:
        ts = m.get("date_unixtime")
        if ts is not None:
            try:
                return datetime.fromtimestamp(int(ts), UTC), "utc"
            except (ValueError, OverflowError, OSError, TypeError):
                pass
        d = m.get("date")
        if isinstance(d, str):
            try:
                local = datetime.fromisoformat(d)
            except ValueError:
                return None, "utc"
            if local.tzinfo is not None:
                return local.astimezone(UTC), "utc"
            return local.replace(tzinfo=self.zone).astimezone(UTC), "local"
        return None, "utc"


class _ChatState:
    """Per-chat context: who the partner is, who wrote what (for replies in groups)."""

    def __init__(self, export: _Export, meta: dict[str, Any]) -> None:
        self.x = export
        self.ctype = meta.get("type")
        self.name = meta.get("name") if isinstance(meta.get("name"), str) else None
        cid = meta.get("id")
        self.private = self.ctype in PRIVATE_TYPES
        self.key = (
            f"telegram:{cid}" if cid is not None else "telegram:" + short_hash(str(self.name))
        )
        self.partner_uid = _uid(cid) if self.private and cid is not None else None
        self.partner: tuple[Party, ...] | None = None
        if self.private:
            ids = (IdentityRef("telegram", self.partner_uid),) if self.partner_uid else ()
            self.partner = (Party(name=self.name, identities=ids),)
        self.parties: dict[tuple[Any, Any], tuple[Party, ...]] = {}
        self.authors_by_id: dict[Any, tuple[Party, ...]] = {}
        self.last_other: tuple[Party, ...] | None = None
        self.chat_no = export.n_chats

    def party(self, uid: str | None, name: Any) -> tuple[Party, ...]:
        key = (uid, name)
        p = self.parties.get(key)
        if p is None:
            ids = (IdentityRef("telegram", uid),) if uid else ()
            p = self.parties[key] = (
                Party(name=name if isinstance(name, str) and name else None, identities=ids),
            )
        return p

    def is_me(self, uid: str | None, name: Any) -> bool:
        x = self.x
        if x.owner is not None:
            return uid == x.owner
        if self.partner_uid is not None and uid is not None:
            return uid != self.partner_uid  # a personal chat's id is the partner's user id
        return isinstance(name, str) and name.casefold().strip() in x.me_names

    def settle_partner(self, batches: Any) -> Iterator[list[Any]]:
        """A personal chat's id is its partner's user id, so the owner is the other author.
        When no author has that id (an edited or anonymised export), look ahead: the author
        named like the chat is the partner. Looks at most ``_LOOKAHEAD`` messages, and only
        while the chat's id has not yet been seen among the authors."""
        held: list[list[Any]] = []
        seen: dict[str, Any] = {}
        count = 0
        it = iter(batches)
        found = False
        for batch in it:
            held.append(batch)
            for m in batch:
                if type(m) is not dict:
                    continue
                if m.get("type") == "message":
                    raw, name = m.get("from_id"), m.get("from")
                elif m.get("type") == "service" and m.get("action") in CALL_ACTIONS:
                    raw, name = m.get("actor_id"), m.get("actor")
                else:
                    continue
                uid = _uid(raw)
                if uid is None:
                    continue
                if uid == self.partner_uid:
                    found = True
                    break
                seen.setdefault(uid, name)
                count += 1
            if found or count >= _LOOKAHEAD:
                break
        if not found and seen:
            alias = _named_like(self.name, seen)
            if alias is None and self.x.me_names:
                mine = [u for u, n in seen.items() if _is_named(n, self.x.me_names)]
                rest = [u for u in seen if u not in mine]
                alias = rest[0] if len(mine) == 1 and len(rest) == 1 else None
            if alias is not None:
                self.partner_uid = alias
                self.partner = (
                    Party(name=self.name, identities=(IdentityRef("telegram", alias),)),
                )
            elif len(seen) > 1:
                # Nobody has the chat's id or name: which author is the owner cannot be told.
                self.partner_uid = None  # each author then counts as himself, as in a group
                self.x.problems.append(
                    ImportProblem(
                        f"{self.x.fname}: chat {self.chat_no}",
                        "could not tell which author is you; their messages are imported as "
                        "incoming (give your name as 'me' and import again)",
                    )
                )
        return chain(held, it)

    def run(self, batches: Any) -> Iterator[Record]:
        if self.private and self.x.owner is None and self.partner_uid is not None:
            batches = self.settle_partner(batches)
        # Hot loop (a million messages): locals, one dict lookup per author, no helper calls
        # on the common path (a message with date_unixtime and a string text).
        x = self.x
        fname, key, private = x.fname, self.key, self.private
        kind = "private" if private else "group"
        weight = 1.0 if private else 0.4
        title = self.name
        prog = x.prog
        where0 = f"{fname}: chat {self.chat_no}, message "
        key0 = key + ":"
        parties = self.parties
        authors_by_id = self.authors_by_id
        partner = self.partner
        owner = x.owner
        is_me = self.is_me
        when_of = x._when
        fromts = datetime.fromtimestamp
        utc = UTC
        make = interaction
        # my lines in a group before anyone else wrote: kept (the record's arguments) until the
        # first other author, and stored as with them; never answered, they are not kept
        held: list[tuple[Any, ...]] = []
        n = left_out = 0
        for batch in batches:
            check_cancelled(prog)
            for m in batch:
                n += 1
                if type(m) is not dict:
                    x.problems.append(
                        ImportProblem(f"{fname}: chat {self.chat_no}, item {n}", "not an object")
                    )
                    continue
                mtype = m.get("type")
                if mtype == "message":
                    raw_uid = m.get("from_id")
                    name = m.get("from")
                    channel = "telegram"
                    duration = None
                elif mtype == "service" and m.get("action") in CALL_ACTIONS:
                    raw_uid = m.get("actor_id")
                    name = m.get("actor")
                    channel = "call"
                    if m.get("discard_reason") == "missed":
                        duration = 0
                    else:
                        try:
                            duration = int(m.get("duration_seconds") or 0)
                        except (TypeError, ValueError):
                            duration = 0
                else:
                    continue  # joins, pins, title changes... are not interactions
                uid = (
                    raw_uid
                    if type(raw_uid) is str and raw_uid and not raw_uid[0].isdigit()
                    else _uid(raw_uid)
                )
                if uid is not None and uid.startswith(_NOT_A_PERSON):
                    left_out += 1  # the group or a channel posted it: no person to talk to
                    continue
                mid = m.get("id")
                smid = str(mid) if mid is not None else None
                where = where0 + (smid or str(n))
                ts = m.get("date_unixtime")
                when = None
                if type(ts) is str and ts.isdigit():
                    when, tz = fromts(int(ts), utc), "utc"
                else:
                    when, tz = when_of(m)
                if when is None:
                    x.problems.append(ImportProblem(where, "a message without a valid date"))
                    continue
                cps_author = parties.get((uid, name))
                if cps_author is None:
                    cps_author = self.party(uid, name)
                if mid is not None and not private:
                    authors_by_id[mid] = cps_author
                reply = m.get("reply_to_message_id")
                if (uid == owner) if owner is not None else is_me(uid, name):
                    direction = "out"
                    if private:
                        cps = partner
                    else:
                        cps = authors_by_id.get(reply) if reply is not None else None
                        if cps is None or cps is cps_author:
                            cps = self.last_other
                    if cps is None and private:
                        continue  # a personal chat whose partner is unknown
                else:
                    direction = "in"
                    cps = cps_author
                    self.last_other = cps_author
                text = m.get("text")
                if type(text) is not str:
                    text = plain_text(text)
                attachments = 1 if ("photo" in m or "file" in m or "media_type" in m) else 0
                if smid is not None:
                    fp = key0 + smid
                else:
                    fp = key0 + short_hash(
                        str(m.get("date_unixtime") or m.get("date")), str(uid or name), text, str(n)
                    )
                if cps is None:  # my opening lines in a group: with whoever writes first
                    held.append((fp, where, when, channel, direction, None, tz, text or None,
                                 None, key, kind, title, smid,
                                 str(reply) if reply is not None else None, duration, weight,
                                 attachments))  # fmt: skip
                    continue
                if held:
                    for h in held:
                        yield make(*h[:5], cps, *h[6:])
                    held = []
                yield make(
                    fp,
                    where,
                    when,
                    channel,
                    direction,
                    cps,
                    tz,
                    text or None,
                    None,
                    key,
                    kind,
                    title,
                    smid,
                    str(reply) if reply is not None else None,
                    duration,
                    weight,
                    attachments,
                )
        if left_out:
            yield SkippedMessages(f"{fname}: chat {self.chat_no}", "channel_post", left_out)
