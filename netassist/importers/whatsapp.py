"""WhatsApp "Export chat" files: the .txt (Android and iOS, any locale) or the .zip it is shared as.

How it reads (fast: see bench/bench_messengers.py for the numbers on 1M messages):
  * the text is read once as bytes (from the zip: only the chat member, size-capped, media
    untouched) and cut with ONE compiled header regex (``re.split``), in chunks of a few MB;
    the regex is specialised to the file's own header shape when the head is uniform, and the
    generic one is used when that would miss a header;
  * dates and times are parsed once per distinct string (a chat has a few thousand days and at
    most 86 400 distinct times), the UTC instant is the local midnight's plus seconds, so there
    is no per-message datetime parsing;
  * authors become Party objects once per distinct name.

Day/month order comes from the whole file (rule in ``whatsapp_formats.resolve_date_order``).
Timestamps are local wall time: converted with ``ImportOptions.local_timezone`` or the machine's
zone, tz_status "local". Files without a year ("[31.12, 23:59]") get years counted back from the
file's modification year: a month going back by more than one (December -> January) starts a
new year.

Who is me: ``ImportOptions.me_names`` (or a phone in ``me_identities``). Without them: when the
chat has exactly two authors and the file is named "WhatsApp Chat with X" (or a localised form
such as "Чат WhatsApp с X"), me is the author who is not X; otherwise me is the most frequent
author (authors who "added you", the named actors of notices such as "Bob added Carol" or
"Bob left" (WhatsApp writes mine as "You ..."), the file's title and iOS's chat-name author
excluded),
announced as ``MeHint(inferred=True)`` so the user can correct it. A chat with a single author
and no name in the file name gets no "me": its lines are all "in".

With whom: a private chat's lines are with the partner; in a group, a line of theirs is with its
author and a line of mine with the last other author, my opening lines (before anyone else wrote)
with the first other author to write (lines of mine in a group nobody else ever wrote in are not
kept: there is no one to be with).

Which chat: the conversation key (the prefix of every fingerprint) is, for a named group, its
name as the text gives it (else as the file name does); for a private chat its kind and its two
authors. So the .zip, the .txt inside it and a renamed copy agree (``whatsapp_cast.CastMixin._key_name``),
and so does a later, longer export of the same chat (a group's authors change between exports:
someone joins, a long chat's oldest lines fall out); a group renamed between two exports is
recognised from the rename line. Earlier versions keyed a chat by its file's name and authors;
those keys (and a renamed group's former name) are announced first (``FormerConversationKeys``)
and ingest moves rows stored under them, so a database filled before recognises every message.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import ClassVar
from typing import cast as typed

from netassist.core.progress import Progress, check_cancelled
from netassist.importers import whatsapp_dates as D
from netassist.importers import whatsapp_formats as F
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.chatkit import interaction, local_zone
from netassist.importers.records import (
    FormerConversationKeys,
    ImportOptions,
    ImportProblem,
    Party,
    Record,
)
from netassist.importers.whatsapp_cast import (
    _MARK1,
    _MARK2,
    CastMixin,
    _Cast,
)

CHUNK = 8 << 20


class WhatsAppImporter(Importer):
    name: ClassVar[str] = "whatsapp"
    label: ClassVar[str] = "WhatsApp chat export (.txt or .zip)"
    patterns: ClassVar[tuple[str, ...]] = (
        "WhatsApp Chat*.txt",
        "WhatsApp Chat*.zip",
        "_chat.txt",
        "Чат WhatsApp*.txt",
        "Чат WhatsApp*.zip",
    )
    needs_me: ClassVar[bool] = True

    # ---- sniff ----------------------------------------------------------------------------
    def sniff(self, path: Path, head: bytes) -> int:
        name_bonus = 10 if ("whatsapp" in path.name.lower() or path.name == "_chat.txt") else 0
        if head[:4] == b"PK\x03\x04":
            try:
                with zipfile.ZipFile(path) as zf:
                    member = F.chat_member(zf)
                    if member is None:
                        return 0
                    with zf.open(member) as fh:
                        head = fh.read(16384)
            except (zipfile.BadZipFile, OSError, RuntimeError):
                return 0
        lines = head.split(b"\n", 60)[:60]
        if not lines:
            return 0
        sample = b"\n" + b"\n".join(lines)
        hits = len(F.HEADER_DATE_FIRST.findall(sample)) + len(F.HEADER_TIME_FIRST.findall(sample))
        if hits == 0:
            return 0
        ratio = hits / max(1, len([x for x in lines if x.strip()]))
        score = 45 + int(40 * min(1.0, ratio * 1.5)) if hits >= 2 else 30
        return min(100, score + name_bonus)

    # ---- parse ----------------------------------------------------------------------------
    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        opts = options or ImportOptions()
        prog = ensure_progress(progress)
        data, display, ref_year, title_hint = F.read_chat_bytes(path)
        parser = _ChatParser(data, display, ref_year, title_hint, opts, prog)
        del data  # the parser holds its own copy (and drops it once the text is split)
        first, rest = parser.prepare()
        del parser
        yield from first
        yield from rest  # one generator level only: a million records pass through here


class _ChatParser(CastMixin):
    def __init__(
        self,
        data: bytes,
        display: str,
        ref_year: int,
        title_hint: str | None,
        opts: ImportOptions,
        prog: Progress,
    ) -> None:
        self.buf = b"\n" + data
        self.display = display
        self.ref_year = ref_year
        self.title_hint = title_hint
        self.opts = opts
        self.prog = prog
        self.rx = F.pick_header_regex(data[:65536])
        # position of date / time / author inside each group of four split pieces
        if self.rx is F.HEADER_TIME_FIRST:
            self.i_date, self.i_time = 1, 0
        else:
            self.i_date, self.i_time = 0, 1
        self.zone: tzinfo = local_zone(opts.local_timezone)

    # -- splitting ------------------------------------------------------------------------
    def _chunks(self) -> Iterator[list[bytes | None]]:
        buf, rx, pos, n = self.buf, self.rx, 0, len(self.buf)
        while pos < n:
            end = pos + CHUNK
            m = rx.search(buf, end) if end < n else None
            cut = m.start() if m else n
            yield rx.split(buf[pos:cut] if (pos or cut < n) else buf)
            pos = cut

    def _split(self) -> list[list[bytes | None]]:
        """Split with the file's own dialect (fast) when it is clean, else the generic regex.
        Clean means no header hides in a multi-line body or before the first header."""
        generic = self.rx
        fast = F.specialise(self.buf[1:65537]) if generic is F.HEADER_DATE_FIRST else None
        if fast is not None:
            self.rx = fast
            chunks = list(self._chunks())
            self.rx = generic
            search = generic.search
            # One C-level join and scan per chunk: the generic header regex starts with "\n",
            # so in the joined bodies it can only fire on a continuation line.
            bodies = (typed("list[bytes]", c[4::4]) for c in chunks)  # bodies are never None
            if not search(chunks[0][0] or b"") and not any(search(b"\x00".join(b)) for b in bodies):
                return chunks
            del chunks, bodies  # not twice the pieces in memory while splitting again
        return list(self._chunks())

    # -- the run --------------------------------------------------------------------------
    def prepare(self) -> tuple[list[Record], Iterator[Record]]:
        """(records to yield first, the generator of the messages)."""
        first: list[Record] = []
        chunks = self._split()
        # The file's last line ends with the file's final newline, which the same message in a
        # longer export (a later export of this chat) does not have: without it the two agree
        # (the fingerprint hashes the body), so the longer export adds only what is new.
        last = chunks[-1]
        if len(last) > 4 and last[-1] is not None and last[-1].endswith(b"\n"):
            last[-1] = last[-1][:-1]
        n_msgs = sum((len(c) - 1) // 4 for c in chunks)
        if n_msgs == 0:
            raise FormatError(f"{self.display}: no WhatsApp message lines found")
        pre = chunks[0][0] or b""
        if pre.strip(b" \t\r\n\xef\xbb\xbf"):
            first.append(
                ImportProblem(f"{self.display}:1", "text before the first message was ignored")
            )
        authors: Counter[bytes | None] = Counter()
        dates: dict[bytes, None] = {}
        for c in chunks:
            authors.update(c[3::4])
            dates.update(dict.fromkeys(c[1 + self.i_date :: 4]))  # type: ignore[arg-type]
        authors.pop(None, None)
        order = D.resolve_date_order(dates, self._hints())
        no_year = any(len(D.date_numbers(d)) < 3 for d in list(dates)[:50])
        self._first = (chunks[0][3], chunks[0][4]) if len(chunks[0]) > 4 else None
        self._chunks_for_cast = chunks
        cast = self._cast(authors)
        del self._chunks_for_cast
        first.extend(cast.hints)
        if cast.former:  # before the messages: rows stored under a former key move first
            first.append(FormerConversationKeys(cast.key, cast.former))
        self.buf = b""  # everything left to do works on the split pieces: free the text
        return first, self._emit(chunks, order, no_year, cast, n_msgs)

    def _hints(self) -> tuple[str, ...]:
        head = self.buf[:65536]
        if re.search(rb"[\xd0\xd1][\x80-\xbf]", head):  # Cyrillic: ru/uk/be locales are day-first
            return ("dmy",)
        return ()

    def _emit(
        self,
        chunks: list[list[bytes | None]],
        order: str,
        no_year: bool,
        cast: _Cast,
        n_msgs: int,
    ) -> Iterator[Record]:
        # The hot loop: locals only, one dict lookup per author/date/time, no per-message
        # datetime parsing. Kept long on purpose (function calls cost more than the work).
        display, prog = self.display, self.prog
        # author bytes -> (0 other / 1 me / 2 system, counterpart tuple)
        state = {
            raw: (2 if a.is_system else 1 if a.is_me else 0, a.party_tuple, zlib.crc32(raw))
            for raw, a in cast.table.items()
        }
        kind = "group" if cast.group else "private"
        is_group = cast.group
        weight = 0.4 if cast.group else 1.0
        ckey, title = cast.key, cast.title
        partner_cp = (cast.partner,) if cast.partner is not None else None
        td = D.timedeltas()
        day_cache: dict[object, tuple[int, datetime, bool] | None] = {}
        time_cache: dict[bytes, int | None] = {}
        media_exact, media_re, system_re, e2e_re = F.MEDIA_EXACT, F.MEDIA_RE, F.SYSTEM_RE, F.E2E_RE
        edited_re, tail = F.EDITED_RE.search, F.EDITED_TAIL
        first_body = self._first[1] if self._first is not None else None
        strip = F.STRIP_CHARS
        crc32 = zlib.crc32
        make = interaction
        last_other: tuple[Party, ...] | None = None
        # my lines in a group before anyone else wrote: kept until the first other author
        # (they count with that person), as (fingerprint, where, when, text, attachments)
        held: list[tuple[str, str, datetime, str | None, int]] = []
        seen: dict[int, int] = {}
        last_epoch = when_epoch = -1
        when = datetime.min
        line = 1
        done = 0
        year = self.ref_year
        prev_month = 0
        if no_year:
            year = self.ref_year - D.count_rollovers(chunks, self.i_date, order)
        i_date, i_time = self.i_date, self.i_time
        where_prefix = display + ":"
        for i_chunk in range(len(chunks)):
            chunk = chunks[i_chunk]
            chunks[i_chunk] = []  # pieces already emitted are freed as we go (flat memory)
            check_cancelled(prog)
            prog.set_progress(done / n_msgs, "WhatsApp")
            if done == 0:
                line += (chunk[0] or b"").count(b"\n")
            for date_b, time_b, author_b, body in zip(
                chunk[1 + i_date :: 4],
                chunk[1 + i_time :: 4],
                chunk[3::4],
                chunk[4::4],
                strict=True,
            ):
                line_here = line
                line += body.count(b"\n") + 1  # type: ignore[union-attr]
                if author_b is None:
                    continue  # an Android system line: "X added Y", the encryption notice...
                who, cps, a_crc = state[author_b]
                if who == 2:
                    continue
                # -- when
                if no_year:
                    month = D.month_of(date_b, order)  # type: ignore[arg-type]
                    if month + 1 < prev_month:
                        year += 1
                    prev_month = month
                    key: object = (date_b, year)
                else:
                    key = date_b
                day = day_cache.get(key)
                if day is None and key not in day_cache:  # invalid days are cached as None
                    day = day_cache[key] = self._day(date_b, order, year)  # type: ignore[arg-type]
                secs = time_cache.get(time_b, -1)  # type: ignore[arg-type]
                if secs == -1:
                    secs = time_cache[time_b] = D.parse_time(time_b)  # type: ignore[index,arg-type]
                if day is None or secs is None:
                    yield ImportProblem(
                        f"{display}:{line_here}",
                        f"'{(date_b or b'').decode('utf-8', 'replace')}, "
                        f"{(time_b or b'').decode('utf-8', 'replace')}' is not a valid date and time",
                    )
                    continue
                if day[2]:
                    epoch = day[0] + secs
                    if epoch != when_epoch:  # lines of the same minute share one datetime
                        when = day[1] + td[secs]
                        when_epoch = epoch
                else:
                    when, epoch = self._exact(day[1], secs)
                    when_epoch = epoch
                # -- what
                bad_utf8 = False
                try:
                    text: str | None = body.decode("utf-8")  # type: ignore[union-attr]
                except UnicodeDecodeError:
                    text = body.decode("utf-8", "replace")  # type: ignore[union-attr]
                    bad_utf8 = True
                if "\r" in text:  # type: ignore[operator]
                    text = text.replace("\r\n", "\n").replace("\r", "\n")  # type: ignore[union-attr]
                text = text.strip(strip)  # type: ignore[union-attr]
                attachments = 0
                if (
                    (len(text) < F.MEDIA_EXACT_MAXLEN and text in media_exact)  # type: ignore[arg-type]
                    or (
                        text[-1:] in ")>" or "\u200e" in text or "\u200f" in text  # type: ignore[index,operator]
                    )
                    and media_re.search(text)
                ):  # type: ignore[arg-type]
                    attachments = 1
                    text = None
                elif (
                    text[:1] == "<"  # type: ignore[index]
                    and "\n" in text  # type: ignore[operator]
                    and text.partition("\n")[0].strip(strip) in media_exact  # type: ignore[union-attr]
                ):
                    attachments = 1  # Android: "<Media omitted>", then the caption's lines
                    text = text.partition("\n")[2].strip(strip) or None  # type: ignore[union-attr]
                elif body.startswith(_MARK1) and (  # type: ignore[union-attr]
                    body.startswith(_MARK2)  # type: ignore[union-attr]
                    or (len(text) <= F.SYSTEM_MAXLEN and system_re.search(text))  # type: ignore[arg-type]
                ):  # system notices are short; the notice regex is costly on huge lines
                    continue  # iOS system line: "Chat: ‎X added Y"; "‎‎" opens notices
                elif (
                    b"WhatsApp" in body or b"This business" in body or body is first_body
                ) and e2e_re.search(text):  # type: ignore[operator,arg-type]
                    continue  # an encryption or business notice with the chat name as author
                    # (the file's first line: the 2024 wording does not say "WhatsApp")
                if text is not None and text[-1:] == ">":  # "... <This message was edited>"
                    n = len(text)
                    m = edited_re(text, n - tail if n > tail else 0)
                    if m is not None:
                        text = text[: m.start()].rstrip(strip) or None
                # -- with whom
                hold = False
                if who == 1:
                    direction = "out"
                    if is_group:
                        if last_other is None:
                            hold = True  # my opening lines: with whoever answers first
                        cps = last_other
                    elif partner_cp is None:
                        continue
                    else:
                        cps = partner_cp
                else:
                    direction = "in"
                    last_other = cps
                # -- identity: time + crc of author and text + occurrence of identical lines
                crc = crc32(body, a_crc)  # type: ignore[arg-type]
                if epoch != last_epoch:  # first line of this second: nothing to count yet
                    seen = {crc: 1}
                    last_epoch = epoch
                    occ = 0
                else:
                    occ = seen.get(crc, 0)
                    seen[crc] = occ + 1
                fp = f"{ckey}:{epoch}:{crc:x}:{occ}" if occ else f"{ckey}:{epoch}:{crc:x}"
                if bad_utf8:
                    yield ImportProblem(
                        f"{display}:{line_here}", "invalid UTF-8 bytes in the text were replaced"
                    )
                if hold:
                    held.append((fp, where_prefix + str(line_here), when, text, attachments))
                    continue
                if held:  # the first answer: my opening lines were with this author
                    for h_fp, h_where, h_when, h_text, h_att in held:
                        yield make(h_fp, h_where, h_when, "whatsapp", "out", cps, "local",
                                   h_text, None, ckey, kind, title, None, None, None, weight,
                                   h_att)  # fmt: skip
                    held = []
                yield make(
                    fp,
                    where_prefix + str(line_here),
                    when,
                    "whatsapp",
                    direction,
                    cps,
                    "local",
                    text,
                    None,
                    ckey,
                    kind,
                    title,
                    None,
                    None,
                    None,
                    weight,
                    attachments,
                )
            done += (len(chunk) - 1) // 4
        # lines of mine in a group nobody else ever wrote in have no one to be with: not kept
        prog.set_progress(1.0, "WhatsApp")

    def _day(self, date_b: bytes, order: str, year: int) -> tuple[int, datetime, bool] | None:
        ymd = D.ymd(date_b, order, year)
        if ymd is None:
            return None
        y, m, d = ymd
        try:
            local0 = datetime(y, m, d, tzinfo=self.zone)
            local1 = local0 + timedelta(days=1)
        except (ValueError, OverflowError):
            return None
        base_utc = local0.astimezone(UTC)
        exact = local0.utcoffset() == local1.replace(tzinfo=self.zone).utcoffset()
        if not exact:  # a DST change that day: keep the local midnight for exact conversion
            return (0, local0.replace(tzinfo=None), False)
        return (int(base_utc.timestamp()), base_utc, True)

    def _exact(self, local_midnight: datetime, secs: int) -> tuple[datetime, int]:
        when = (local_midnight + timedelta(seconds=secs)).replace(tzinfo=self.zone).astimezone(UTC)
        return when, int(when.timestamp())
