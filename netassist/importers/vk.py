"""VK (VKontakte) data archive: the message pages ``messages/<peer_id>/messagesNNN.html``.

Each page (Windows-1251 by its meta charset) holds ``div.message[data-id]`` blocks: a
``div.message__header`` with the author ("Вы"/"You"/"Ви" - me, without a link - or
``<a href="https://vk.com/id123">Name</a>``; a link-less other name such as "Частное сообщество"
is a deleted page, not me), a comma and a date such as "9 авг 2017 в 11:31:26" or, in an
English archive, "at 7:15:40 pm on 3 Nov 2014" ("сегодня/вчера в 11:31" counted from the page
file's date; an edit mark "(ред.)"/"(корр.)" may follow), then the body with text and
``div.kludges`` holding ``div.attachment`` blocks (counted, not read) or, for a chat event
("пригласил", "вышел из чата", "created chat"...), ``im_srv_lnk`` links: such events are skipped. ``meta name="jd"`` carries
base64 JSON with the archive owner's ``user_id`` (yielded as a MeHint). The last
``div.ui_crumb`` is the conversation title.

A path to one page, a peer folder, or the ``messages`` folder imports every peer folder as one
conversation (all its pages, sorted by time and message id, each message once). Peer ids from
2000000000 up are group chats (weight 0.4; my messages there answer the previous other author);
negative ids are communities.

Time zone: the archive prints wall-clock time without a zone. VK renders it in the zone of the
account's settings, which for most archives is Moscow time, so times are read in
``ImportOptions.local_timezone`` when given, else Europe/Moscow, with tz_status "local".

Pages are parsed with the standard library's ``html.parser``: nothing is fetched or executed.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from html.parser import HTMLParser
from pathlib import Path

from netassist.core.progress import Progress, check_cancelled
from netassist.importers._msg_common import (
    GROUP_WEIGHT,
    GroupReplyTracker,
    OccurrenceCounter,
    content_fingerprint,
    local_to_utc,
    resolve_zone,
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
from netassist.importers.rudates import parse_ru_datetime
from netassist.importers.walk import files_below

DEFAULT_ZONE = "Europe/Moscow"
GROUP_PEER_BASE = 2_000_000_000
_PAGE_RE = re.compile(r"messages(\d+)\.html?", re.IGNORECASE)
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_EDIT_MARK_RE = re.compile(r"\(\s*(?:ред|корр|изм|змін|ред\.|edited)\.?\s*\)", re.IGNORECASE)
_BR = "\ue000"  # a <br> in message text (a private-use character) until the text is built
_VK_HREF_RE = re.compile(r"^(?:https?:)?//(?:m\.)?vk\.com/([A-Za-z0-9_.]+)/?$")


@dataclass(slots=True)
class VkMessage:
    data_id: int | None
    line: int
    header: str = ""  # header text outside the author link and edit mark
    author_name: str | None = None
    author_href: str | None = None
    text_parts: list[str] = field(default_factory=list)
    attachments: int = 0
    service: bool = False  # a chat event ("X пригласил Y", "created chat") rendered in kludges

    @property
    def plain_author(self) -> str | None:
        """The author written as plain text, without a link ("Вы", "You", a deleted community)."""
        if self.author_href is not None:
            return None
        label = " ".join(self.header.split(",", 1)[0].split())
        return label or None

    @property
    def text(self) -> str | None:
        # Line breaks the writer typed are <br> (kept, blank lines too); the page's own
        # newlines and <div> edges only separate blocks (empty ones dropped).
        lines: list[str] = []
        for block in "".join(self.text_parts).splitlines():
            if block.strip(_BR + " \t"):
                lines.extend(" ".join(ln.split()) for ln in block.split(_BR))
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        return "\n".join(lines) or None


class VkPageParser(HTMLParser):
    """Collects messages, crumbs and the jd meta from one archive page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.messages: list[VkMessage] = []
        self.crumbs: list[str] = []
        self.jd: str | None = None
        self._depth = 0  # open <div>s
        self._msg: VkMessage | None = None
        self._msg_depth = 0
        self._header_depth = 0  # depth of the open header div, 0 when outside
        self._kludges_depth = 0
        self._crumb_depth = 0
        self._crumb: list[str] = []
        self._in_link = False
        self._in_edit = 0  # nesting of the edit-mark span

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        classes = set(a.get("class", "").split())
        if tag == "meta" and a.get("name") == "jd":
            self.jd = a.get("content")
            return
        if tag == "br" and self._msg is not None and not self._header_depth:
            self._msg.text_parts.append(_BR)
            return
        if tag == "span" and self._header_depth and "message-edited" in classes:
            self._in_edit += 1
            return
        if tag == "span" and self._in_edit:
            self._in_edit += 1
            return
        if (
            tag in ("a", "b")
            and self._kludges_depth
            and self._msg is not None
            and "im_srv_lnk" in classes
        ):
            self._msg.service = True
        if tag == "a" and self._header_depth and self._msg is not None:
            self._in_link = True
            self._msg.author_href = a.get("href", "")
            self._msg.author_name = ""
            return
        if tag != "div":
            return
        self._depth += 1
        if "message" in classes:
            self._finish_message()
            self._msg = VkMessage(data_id=_int_or_none(a.get("data-id")), line=self.getpos()[0])
            self._msg_depth = self._depth
        elif "message__header" in classes and self._msg is not None:
            self._header_depth = self._depth
        elif "kludges" in classes and self._msg is not None and not self._kludges_depth:
            self._kludges_depth = self._depth
        elif "attachment" in classes and self._msg is not None:
            self._msg.attachments += 1
        elif "ui_crumb" in classes:
            self._crumb_depth = self._depth
            self._crumb = []
        if self._msg is not None and not self._header_depth and not self._kludges_depth:
            self._msg.text_parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False
            return
        if tag == "span" and self._in_edit:
            self._in_edit -= 1
            return
        if tag != "div" or self._depth == 0:
            return
        if self._depth == self._header_depth:
            self._header_depth = 0
            self._in_link = False
        if self._depth == self._kludges_depth:
            self._kludges_depth = 0
        if self._depth == self._crumb_depth:
            self._crumb_depth = 0
            crumb = " ".join("".join(self._crumb).split())
            if crumb:
                self.crumbs.append(crumb)
        if self._msg is not None and self._depth == self._msg_depth:
            self._finish_message()
        elif self._msg is not None and not self._header_depth and not self._kludges_depth:
            self._msg.text_parts.append("\n")
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._crumb_depth:
            self._crumb.append(data)
        msg = self._msg
        if msg is None or self._in_edit:
            return
        if self._header_depth:
            if self._in_link:
                msg.author_name = (msg.author_name or "") + data
            else:
                msg.header += data
        elif not self._kludges_depth:
            msg.text_parts.append(data)

    def close(self) -> None:
        super().close()
        self._finish_message()

    def _finish_message(self) -> None:
        if self._msg is not None:
            self.messages.append(self._msg)
        self._msg = None
        self._msg_depth = self._header_depth = self._kludges_depth = 0
        self._in_link = False
        self._in_edit = 0


def _int_or_none(s: str | None) -> int | None:
    try:
        return int(s) if s is not None else None
    except ValueError:
        return None


def decode_page(raw: bytes) -> str:
    """Bytes to text by the page's own meta charset (VK writes windows-1251)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    m = _CHARSET_RE.search(raw[:4096])
    encoding = m.group(1).decode("ascii").lower() if m else "windows-1251"
    try:
        return raw.decode(encoding, errors="replace")
    except LookupError:
        return raw.decode("windows-1251", errors="replace")


def owner_id_from_jd(jd: str | None) -> int | None:
    """The archive owner's user id from the base64 JSON in ``<meta name="jd">``."""
    if not jd:
        return None
    try:
        payload = base64.urlsafe_b64decode(jd.strip() + "=" * (-len(jd.strip()) % 4))
        uid = json.loads(payload.decode("utf-8")).get("user_id")
    except (binascii.Error, ValueError, UnicodeDecodeError, AttributeError):
        return None
    return uid if isinstance(uid, int) and not isinstance(uid, bool) and uid > 0 else None


def page_files(folder: Path) -> list[Path]:
    found: list[tuple[int, Path]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for p in entries:
        m = _PAGE_RE.fullmatch(p.name)
        if m and p.is_file():
            found.append((int(m.group(1)), p))
    return [p for _, p in sorted(found)]


#: How far below a folder its pages may be for the folder to be a VK archive as a whole: the
#: archive's root / messages / <peer> / messages0.html. A folder holding an archive deeper down
#: (Downloads, a folder of several exports) is walked file by file instead, so the other files
#: in it are imported too, not passed over.
ARCHIVE_DEPTH = 3


def find_peer_folders(path: Path, max_depth: int | None = None) -> list[list[Path]]:
    """The conversations (page lists) a path means; with ``max_depth`` only pages that many
    folders below a folder count (see ``ARCHIVE_DEPTH``)."""
    path = path.absolute()  # the peer id is the folder's name: "messages0.html" alone has none
    if path.is_file():
        if _PAGE_RE.fullmatch(path.name):
            return [page_files(path.parent) or [path]]
        return [[path]]
    if not path.is_dir():
        return []
    own = page_files(path)
    if own:
        return [own]
    pages = (
        path.rglob("messages*.htm*")
        if max_depth is None
        else files_below(path, "messages*.htm*", max_depth)
    )
    folders = sorted({p.parent for p in pages if _PAGE_RE.fullmatch(p.name)})
    return [pages for pages in (page_files(f) for f in folders) if pages]


def _href_slug(href: str | None) -> str | None:
    if not href:
        return None
    m = _VK_HREF_RE.match(href.strip())
    if not m:
        return None
    # A community is linked as club123, public123 or event123: one id, one contact.
    return re.sub(r"^(?:public|event)(\d+)$", r"club\1", m.group(1))


class VKImporter(Importer):
    name = "vk"
    label = "VK (VKontakte) archive messages (HTML)"
    patterns = ("messages*.html",)

    def sniff(self, path: Path, head: bytes) -> int:
        if path.is_dir():
            convs = find_peer_folders(path, ARCHIVE_DEPTH)
            if not convs:
                return 0
            try:
                head = convs[0][0].open("rb").read(64 * 1024)
            except OSError:
                return 0
            path = convs[0][0]
        score = 0
        if b'class="message__header' in head or b"class='message__header" in head:
            score = 85  # the markup, not the word (a README about VK archives is no page)
        elif b'class="message"' in head and b"vk.com" in head:
            score = 60
        if score and _PAGE_RE.fullmatch(path.name):
            score += 10
        return score

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        opts = options or ImportOptions()
        prog = ensure_progress(progress)
        zone = resolve_zone(opts.local_timezone, DEFAULT_ZONE)
        convs = find_peer_folders(path)
        if not convs:
            raise FormatError(f"{path.name}: no VK archive message pages found")
        tracker = GroupReplyTracker()
        owners: set[int] = set()
        any_page = False
        for n, pages in enumerate(convs):
            check_cancelled(prog)
            prog.set_progress(n / len(convs), pages[0].parent.name)
            collected: list[tuple[Path, VkMessage]] = []
            title: str | None = None
            for page in pages:
                try:
                    raw = page.read_bytes()
                except OSError as exc:
                    yield ImportProblem(where=_rel(page), reason=f"cannot read the page ({exc})")
                    continue
                parser = VkPageParser()
                parser.feed(decode_page(raw))
                parser.close()
                if parser.messages or parser.crumbs:
                    any_page = True
                title = parser.crumbs[-1] if parser.crumbs else title
                uid = owner_id_from_jd(parser.jd)
                if uid is not None and uid not in owners:
                    owners.add(uid)
                    yield MeHint(identities=(IdentityRef("vk", f"id{uid}"),))
                collected.extend((page, m) for m in parser.messages)
            yield from self._conversation(pages[0].parent, title, collected, zone, tracker)
        if not any_page:
            raise FormatError(f"{path.name}: no VK archive messages in these pages")
        prog.set_progress(1.0, "")

    def _conversation(
        self,
        folder: Path,
        title: str | None,
        collected: list[tuple[Path, VkMessage]],
        zone: tzinfo | None,
        tracker: GroupReplyTracker,
    ) -> Iterator[Record]:
        peer = _int_or_none(folder.name)
        key = f"vk:{peer if peer is not None else folder.name}"
        dated: list[tuple[datetime, int, int, Path, VkMessage]] = []
        seen_ids: set[int] = set()
        page_days: dict[Path, date | None] = {}
        for order, (page, msg) in enumerate(collected):
            if msg.data_id is not None:
                if msg.data_id in seen_ids:
                    continue
                seen_ids.add(msg.data_id)
            header = _EDIT_MARK_RE.sub(" ", msg.header)
            if page not in page_days:
                page_days[page] = _page_day(page)
            when = parse_ru_datetime(header, today=page_days[page])
            if when is None:
                yield ImportProblem(
                    where=f"{_rel(page)}:{msg.line}",
                    reason=f"no date in the message header {' '.join(header.split())[:60]!r}",
                )
                continue
            if msg.service and not msg.attachments:
                continue  # joined, left, renamed, pinned...: not an exchange between people
            dated.append((when, msg.data_id or 0, order, page, msg))
        dated.sort(key=lambda t: (t[0], t[1], t[2]))
        me_labels = _my_labels([m for *_, m in dated])
        authors = {
            _href_slug(m.author_href) or m.author_name or m.plain_author
            for *_, m in dated
            if not _is_mine(m, me_labels)
        }
        group = (peer is not None and peer >= GROUP_PEER_BASE) or len(authors) > 1
        peer_party = self._peer_party(peer, title, dated, me_labels)
        occurrences = OccurrenceCounter()
        for when, _, _, page, msg in dated:
            mine = _is_mine(msg, me_labels)
            hold = False
            if mine:
                if group:
                    answered = tracker.answered(key)
                    hold = answered is None  # nobody to answer yet: with the first who writes
                    counterparts: tuple[Party, ...] = (answered,) if answered else ()
                elif peer_party is not None:
                    counterparts = (peer_party,)
                else:
                    yield ImportProblem(
                        where=f"{_rel(page)}:{msg.line}",
                        reason="my message in a conversation whose other person is unknown",
                    )
                    continue
            else:
                author = _author_party(msg)
                counterparts = (author,)
                if group:
                    tracker.saw(key, author)
            text = msg.text
            if msg.data_id is not None:
                fingerprint = f"vk:{peer if peer is not None else folder.name}:{msg.data_id}"
            else:
                nth = occurrences.next(when, msg.author_href, text)
                fingerprint = content_fingerprint(
                    "vk", key, when.isoformat(), msg.author_href or "me", text or "", nth
                )
            rec = ImportedInteraction(
                fingerprint=fingerprint,
                where=f"{_rel(page)}:{msg.line}",
                occurred_at=local_to_utc(when, zone),
                channel="vk",
                direction="out" if mine else "in",
                counterparts=counterparts,
                tz_status="local",
                text=text,
                conversation_key=key,
                conversation_kind="group" if group else "private",
                conversation_title=title,
                message_id=str(msg.data_id) if msg.data_id is not None else None,
                weight=GROUP_WEIGHT if group else 1.0,
                attachments=msg.attachments,
            )
            if group:
                yield from tracker.pass_on(key, rec, hold=hold, mine=mine)
            else:
                yield rec

    @staticmethod
    def _peer_party(
        peer: int | None,
        title: str | None,
        dated: list[tuple[datetime, int, int, Path, VkMessage]],
        me_labels: frozenset[str],
    ) -> Party | None:
        """The other person of a private chat: from their messages, else the folder's peer id."""
        for *_, msg in dated:
            if not _is_mine(msg, me_labels):
                return _author_party(msg)
        if peer is None:
            return Party(name=title) if title else None
        ref = f"id{peer}" if peer > 0 else f"club{-peer}"
        return Party(name=title, identities=(IdentityRef("vk", ref),))


def _page_day(page: Path) -> date | None:
    """The day the archive wrote this page: "сегодня"/"вчера" count from it, not from now."""
    try:
        return date.fromtimestamp(page.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


# How the archive names its owner, by interface language (Russian and Belarusian, English,
# Ukrainian). The owner never gets a link; a link-less author that is not one of these is
# somebody else whose page is gone: "Частное сообщество", "Private community", a mail address.
SELF_LABELS = frozenset({"вы", "you", "ви"})


def _my_labels(messages: list[VkMessage]) -> frozenset[str]:
    """The link-less author label(s) that mean me in this conversation: the known words, else
    (an archive in another language) the most frequent link-less label."""
    counts: dict[str, int] = {}
    for m in messages:
        label = m.plain_author
        if label is not None:
            key = label.casefold()
            counts[key] = counts.get(key, 0) + 1
    known = frozenset(k for k in counts if k in SELF_LABELS)
    if known or not counts:
        return known
    return frozenset({max(counts, key=lambda k: counts[k])})


def _is_mine(msg: VkMessage, me_labels: frozenset[str]) -> bool:
    if msg.author_href is not None:
        return False
    label = msg.plain_author
    return label is None or label.casefold() in me_labels


def _author_party(msg: VkMessage) -> Party:
    name = " ".join((msg.author_name or msg.plain_author or "").split()) or None
    slug = _href_slug(msg.author_href)
    identities = (IdentityRef("vk", slug),) if slug else ()
    return Party(name=name, identities=identities)


def _rel(page: Path) -> str:
    return f"{page.parent.name}/{page.name}"
