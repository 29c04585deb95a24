"""Who is who in a WhatsApp chat (see ``whatsapp``): its authors, which of them is me (the
user's names and numbers, the file's name, notices such as "You added Bob", the author who
never appears as a notice's actor), whether it is a group or a private chat, with whom my lines
go, and the chat's key (for a named group its name; older keys named for the rows stored under
them). ``CastMixin`` is a part of ``whatsapp._ChatParser``, which sets its attributes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from netassist.importers import whatsapp_formats as F
from netassist.importers.chatkit import short_hash
from netassist.importers.records import IdentityRef, ImportOptions, MeHint, Party

_LRM = b"\xe2\x80\x8e"
_LRM2 = _LRM + _LRM
_RLM = b"\xe2\x80\x8f"  # right-to-left locales (Arabic, Hebrew, Persian) mark with RLM instead
_MARK1 = (_LRM, _RLM)
_MARK2 = (_LRM2, _RLM + _RLM)


class _Author:
    __slots__ = ("name", "party", "party_tuple", "is_me", "is_system", "count")

    def __init__(self, name: str, party: Party, is_me: bool, is_system: bool) -> None:
        self.name = name
        self.party = party
        self.party_tuple = (party,)
        self.is_me = is_me
        self.is_system = is_system
        self.count = 0


class CastMixin:
    """The who-is-who methods of the chat parser; the attributes below are set by it."""

    buf: bytes
    display: str
    title_hint: str | None
    opts: ImportOptions
    _first: tuple[Any, Any] | None
    _chunks_for_cast: list[list[bytes | None]]
    _table: dict[bytes, _Author]

    def _cast(self, counts: Counter[bytes | None]) -> _Cast:
        opts = self.opts
        me_names = {_norm_name(n) for n in opts.me_names if n.strip()}
        me_phones = {
            _digits(i.value) for i in opts.me_identities if i.kind in ("phone", "whatsapp")
        }
        me_phones.discard("")
        table: dict[bytes, _Author] = {}
        real: list[_Author] = []
        for raw, cnt in counts.most_common():
            if raw is None:
                continue
            name = raw.decode("utf-8", "replace").strip(F.STRIP_CHARS)
            name = F.PUSH_NAME_MARK.sub("", name)  # iOS: "~ Anna" is Anna, not in my contacts
            is_system = not name or (
                len(name) <= F.SYSTEM_MAXLEN and bool(F.SYSTEM_RE.search(name))
            )
            party = _party(name)
            is_me = _norm_name(name) in me_names or (
                bool(me_phones) and _is_phone(name) and _digits(name) in me_phones
            )
            a = _Author(name, party, is_me, is_system)
            a.count = cnt
            table[raw] = a
            if not is_system:
                real.append(a)
        cast = _Cast(table)
        self._table = table
        if not me_names and not me_phones:
            me = self._infer_me(real)
            if me is not None:
                for a in real:  # "~ Anna" and "Anna" are one author
                    if _norm_name(a.name) == _norm_name(me.name):
                        a.is_me = True
                ident = (IdentityRef("phone", me.name),) if _is_phone(me.name) else ()
                cast.hints.append(MeHint(identities=ident, name=me.name, inferred=True))
        others = list({_norm_name(a.name): a for a in reversed(real) if not a.is_me}.values())
        others.reverse()  # one per name, most frequent first
        group = len(others) > 1 or (
            len(others) <= 1 and re.search(F.GROUP_HINT, self.buf[: 1 << 20]) is not None
        )
        cast.group = group
        if not group:
            if others:
                cast.partner = others[0].party
            elif self.title_hint:
                cast.partner = _party(self.title_hint)
        names = sorted(a.name for a in real)
        chat_name = self._ios_chat_name(table)
        group_names = self._group_names() if group else []
        group_name = group_names[-1] if group_names and not chat_name else None
        the_name = self._key_name(group, real, chat_name or group_name)
        if group and the_name != Path(self.display.split("/", 1)[0]).stem:
            # A named group is that name: not its authors, who change from one export to the
            # next (someone joins, the oldest lines fall out of a long chat's export), so a
            # later, longer export of the group adds only what is new.
            cast.key = "wa:" + short_hash("group", _norm_name(the_name))
        else:
            cast.key = "wa:" + short_hash("group" if group else "private", the_name, *names)
        # a zip imported before was keyed by its name, which names the chat as its text does
        # (iOS's chat-name line, a group's subject) or, for a private chat, as the partner;
        # a group renamed since an earlier export had the key of its earlier name
        named = [chat_name, group_name, *(() if group else names)]
        cast.former = self._former_keys(names, cast.key, named) + tuple(
            k
            for k in dict.fromkeys(
                "wa:" + short_hash("group", _norm_name(n)) for n in group_names[:-1]
            )
            if k != cast.key
        )
        if group:
            cast.title = self.title_hint or chat_name or group_name
        else:
            cast.title = cast.partner.name if cast.partner else self.title_hint
        return cast

    def _key_name(self, group: bool, real: list[_Author], content_name: str | None) -> str:
        """What, besides its kind and its authors, tells this chat from others in its key:
        the same for the .zip, the .txt in it and a renamed copy whenever the text allows.

        A group: its name as the text gives it (iOS's chat-name author, the latest "created
        group"/"changed the subject" line), else the name in the file name, else the file's
        stem. A private chat: nothing more when the file's name names one of its authors (the
        partner) or when two people speak (the two authors are the chat); else the name in the
        file name (a group read as private) or, with no such name and one voice, the stem.
        """
        stem = Path(self.display.split("/", 1)[0]).stem
        title = self.title_hint
        if group:
            return content_name or title or stem
        if title is None:
            return "" if len(real) >= 2 else stem
        hint = _norm_name(title)
        for a in real:
            n = _norm_name(a.name)
            if (
                n == hint
                or hint.startswith(n + " ")
                or (_is_phone(a.name) and _is_phone(title) and _digits(a.name) == _digits(title))
            ):  # "X", a file renamed "X (1)", a number written with other dashes
                return ""
        return title

    def _former_keys(self, names: list[str], key: str, named: list[str | None]) -> tuple[str, ...]:
        """The keys earlier versions may have given this chat (the chat's name from a file
        name, else the file's stem, and its authors): from the name of this file; for a .zip
        also from the name of the .txt inside (imported on its own once extracted); and from
        the names the text gives the chat (``named``), as the .zip it came from was named.
        Only a stored conversation with one of them is moved: the authors are in each."""
        whole = Path(self.display.split("/", 1)[0]).stem
        stems = [whole]
        if "/" in self.display:
            stems.append(Path(self.display.split("/", 1)[1].rsplit("/", 1)[-1]).stem)
        candidates = [F.chat_title(stem) or stem for stem in stems]
        candidates += [n for n in named if n]
        out: list[str] = []
        for name in candidates:
            old = "wa:" + short_hash(name, *names)
            if old != key and old not in out:
                out.append(old)
        return tuple(out)

    def _group_names(self) -> list[str]:
        """The group's names from "created group"/"changed the subject" lines, the earliest
        first, the latest (its name now) last; a rename's former name ("changed the subject
        from X to Y") comes before the new one. Only the lines holding a keyword are matched
        (a regex scan of the whole head costs more)."""
        buf, found = self.buf[: 4 << 20], []
        for kw in F.GROUP_NAME_KEYWORDS:
            at = buf.find(kw)
            while at >= 0:
                start = buf.rfind(b"\n", 0, at) + 1
                end = buf.find(b"\n", at)
                end = end if end >= 0 else len(buf)
                m = F.GROUP_NAME_RE.search(buf, start, end)
                if m:
                    was = F.GROUP_FORMER_NAME_RE.search(buf, start, end)
                    if was:
                        found.append(
                            (start, 0, (was.group(1) or was.group(2)).decode("utf-8", "replace"))
                        )
                    found.append((start, 1, (m.group(1) or m.group(2)).decode("utf-8", "replace")))
                at = buf.find(kw, at + len(kw))
        found.sort()
        return list(dict.fromkeys(name for _s, _k, name in reversed(found)))[::-1]

    def _ios_chat_name(self, table: dict[bytes, _Author]) -> str | None:
        """iOS writes the encryption notice as "[date] <chat name>: ‎Messages and calls..."."""
        first = self._first
        if (
            first is not None
            and first[0] is not None
            and F.E2E_RE.search((first[1] or b"").decode("utf-8", "replace"))
        ):
            return table[first[0]].name
        return None

    def _infer_me(self, real: list[_Author]) -> _Author | None:
        if not real:
            return None
        if len(real) == 2 and self.title_hint:
            hint = _norm_name(self.title_hint)
            for exact in (True, False):  # "X" exactly, then a file renamed "X (copy)"/"X EN"
                for i, a in enumerate(real):
                    n = _norm_name(a.name)
                    if (n == hint if exact else hint.startswith(n + " ")) or (
                        exact and _digits(a.name) == _digits(self.title_hint) != ""
                    ):
                        return real[1 - i]
        # Whoever "added you" or "you added", the file's title and iOS's chat-name author are
        # somebody else.
        not_me = {_norm_name(self.title_hint)} if self.title_hint else set()
        chat_name = self._ios_chat_name(self._table)
        if chat_name:
            not_me.add(_norm_name(chat_name))
        for m in F.ADDED_YOU_RE.finditer(self.buf[: 4 << 20]):
            not_me.add(_norm_name(m.group(1).decode("utf-8", "replace")))
        for m in F.YOU_ADDED_RE.finditer(self.buf[: 4 << 20]):  # "You added Bob": Bob is not me
            names = F.YOU_ADDED_SPLIT.split(m.group(1).decode("utf-8", "replace").rstrip("\r. "))
            not_me.update(_norm_name(F.PUSH_NAME_MARK.sub("", n)) for n in names)
        not_me.update(self._actors())
        # a phone number is one person however its dashes are written ("691-1551" in a notice,
        # "691\u20111551" with a non-breaking hyphen as an author on iOS)
        not_me_phones = {_digits(n) for n in not_me if _is_phone(n)}
        candidates = [
            a
            for a in real
            if _norm_name(a.name) not in not_me
            and not (_is_phone(a.name) and _digits(a.name) in not_me_phones)
        ]
        if len(candidates) == 1 and len(real) == 1 and not self.title_hint:
            return None  # one voice and no hint: more likely them than me; all lines "in"
        if not candidates:
            return None
        totals: Counter[str] = Counter()
        for a in candidates:
            totals[_norm_name(a.name)] += a.count
        candidates.sort(key=lambda a: totals[_norm_name(a.name)], reverse=True)
        for a in candidates:  # iOS: the group's name writes notices only; that is nobody
            if self._speaks(a):
                return a
        return None

    def _actors(self) -> set[str]:
        """Names that act in the first chunk's notices ("Bob added Carol", "Bob left"): not me."""
        out: set[str] = set()
        chunks = self._chunks_for_cast
        if not chunks:
            return out
        c = chunks[0]
        for raw, body in zip(c[3::4], c[4::4], strict=True):
            if body is None or (raw is not None and not _is_notice(body)):
                continue
            text = body.decode("utf-8", "replace").strip(F.STRIP_CHARS)
            m = F.ACTOR_RE.match(text) if len(text) <= F.SYSTEM_MAXLEN else None
            if m:
                name = _norm_name(F.PUSH_NAME_MARK.sub("", m.group(1)))
                if name not in F.SECOND_PERSON:
                    out.add(name)
        return out

    def _speaks(self, author: _Author) -> bool:
        """Has this author one line that is not an iOS notice? (Stops at the first one.)"""
        raws = {raw for raw, a in self._table.items() if a is author}
        for c in self._chunks_for_cast:
            for raw, body in zip(c[3::4], c[4::4], strict=True):
                if raw in raws and not _is_notice(body or b""):
                    return True
        return False

    # -- records --------------------------------------------------------------------------


class _Cast:
    def __init__(self, table: dict[bytes, _Author]) -> None:
        self.table = table
        self.hints: list[MeHint] = []
        self.group = False
        self.partner: Party | None = None
        self.key = ""
        self.former: tuple[str, ...] = ()
        self.title: str | None = None


def _is_notice(body: bytes) -> bool:
    """An iOS notice written with an author: it opens with LRM (RLM) and reads as a system
    line."""
    if not body.startswith(_MARK1):
        return False
    if body.startswith(_MARK2):
        return True
    text = body.decode("utf-8", "replace").strip(F.STRIP_CHARS)
    return len(text) <= F.SYSTEM_MAXLEN and bool(F.SYSTEM_RE.search(text))


def _norm_name(s: str) -> str:
    return " ".join(s.strip(F.STRIP_CHARS).casefold().split())


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _is_phone(name: str) -> bool:
    return bool(F.PHONE_RE.match(name)) and len(_digits(name)) >= 6


def _party(name: str) -> Party:
    if _is_phone(name):
        return Party(name=None, identities=(IdentityRef("phone", name),))
    return Party(name=name)
