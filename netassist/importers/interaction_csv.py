"""A generic interaction log as CSV: ``timestamp, from, to[, channel][, text][, direction]``.

Header names are matched in English or Russian ("timestamp/time/date/дата/время",
"from/sender/от", "to/recipient/кому", "channel/канал", "text/message/текст",
"direction/направление", "duration/длительность", "subject/тема", "id");
``ImportOptions.column_map`` maps other header names to these fields. The delimiter (, ; tab |) and encoding (UTF-8, UTF-8 with BOM,
else Windows-1251) are detected.

Timestamps: ISO 8601 with a zone or "Z" (tz_status "utc"), ISO 8601 without a zone or
"dd.mm.yyyy hh:mm[:ss]" (local wall time: ``ImportOptions.local_timezone``, else the machine's
zone; tz_status "local"), a bare date (tz_status "date"), epoch seconds or milliseconds ("utc"),
a mail header date "Tue, 6 Sep 2016 10:11:12 +0800" (as mail-export tools copy it).
A ``direction`` of "inbound"/"outbound" (also "outbound-api"... as SMS gateways log it) counts.

``from``/``to`` hold identities, several separated by ";" (or by "," in a copied mail address
list): an e-mail (also "Name <e-mail>"), a
phone number (+ and digits), a Telegram @handle, else a name. "me"/"я", or a value matching
``ImportOptions.me_identities`` / ``me_names``, is my side. Direction: the ``direction`` column
when present; else "out" when I am the sender, "in" when I am a recipient, and when neither side
is me (a log of what others did, e.g. a meeting two colleagues had) the row is "mutual" with
everybody on both sides as counterparts. Bad rows become problems with their line numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from itertools import chain
from pathlib import Path
from typing import Any

from netassist.core.progress import Progress, check_cancelled
from netassist.importers._msg_common import (
    OccurrenceCounter,
    content_fingerprint,
    fold_name,
    local_to_utc,
    resolve_zone,
)
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.records import (
    Direction,
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    Party,
    Record,
    TzStatus,
)

_FIELDS: dict[str, tuple[str, ...]] = {
    "timestamp": (
        "timestamp",
        "time",
        "date",
        "datetime",
        "when",
        "дата",
        "время",
        "когда",
        "sentdate",
        "sent date",
        "date sent",
        "date_sent",
    ),
    "from": ("from", "sender", "author", "от", "от кого", "отправитель", "автор"),
    "to": ("to", "recipient", "recipients", "кому", "получатель", "получатели"),
    "channel": ("channel", "medium", "канал"),
    "text": ("text", "message", "body", "content", "текст", "сообщение"),
    "direction": ("direction", "направление"),
    "duration": ("duration", "duration_s", "длительность"),
    "subject": ("subject", "тема"),
    "id": ("id", "message_id", "uid"),
}
_HEADER_TO_FIELD = {name: f for f, names in _FIELDS.items() for name in names}
_ME_WORDS = {"me", "я", "myself", "self"}
_CHANNELS = {
    "email": "email", "e-mail": "email", "mail": "email", "почта": "email",
    "telegram": "telegram", "tg": "telegram", "телеграм": "telegram",
    "whatsapp": "whatsapp", "wa": "whatsapp", "ватсап": "whatsapp", "вотсап": "whatsapp",
    "messenger": "messenger", "facebook": "messenger", "fb": "messenger",
    "инстаграм": "instagram", "сигнал": "signal",
    "instagram": "instagram", "vk": "vk", "вк": "vk", "вконтакте": "vk",
    "signal": "signal", "sms": "sms", "смс": "sms",
    "call": "call", "phone": "call", "звонок": "call", "телефон": "call",
    "meeting": "meeting", "встреча": "meeting", "note": "note", "заметка": "note",
    "linkedin": "linkedin", "other": "other",
}  # fmt: skip
_DIRECTIONS = {
    "in": "in", "incoming": "in", "received": "in", "вх": "in", "входящее": "in",
    "входящий": "in", "out": "out", "outgoing": "out", "sent": "out", "исх": "out",
    "исходящее": "out", "исходящий": "out", "mutual": "mutual", "both": "mutual",
    "взаимно": "mutual", "inbound": "in", "outbound": "out",
}  # fmt: skip
# SMS/voice gateways qualify the way out: "outbound-api", "outbound-reply", "outbound-call".
_DIRECTION_PREFIXES = (("outbound-", "out"), ("inbound-", "in"))
_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_NAMED_EMAIL_RE = re.compile(r"^\s*\"?([^\"<]*?)\"?\s*<([^<>@\s]+@[^<>\s]+)>\s*$")
_PHONE_RE = re.compile(r"^\+?[\d\s\-().]{7,24}$")
_HANDLE_RE = re.compile(r"^@[A-Za-z0-9_]{3,64}$")
_DMY_RE = re.compile(
    r"^(\d{1,2})([./])(\d{1,2})[./](\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([AaPp])\.?\s?[Mm]\.?)?)?$"
)
_EPOCH_RE = re.compile(r"^\d{9,13}(?:\.\d+)?$")
# A mail header date (RFC 5322) as mail-export tools copy it: "Tue, 6 Sep 2016 10:11:12 +0800";
# some writers drop the weekday's comma.
_MAIL_DATE_RE = re.compile(
    r"^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+\S+){0,2}$"
)


def _normalise_header(h: str) -> str:
    return " ".join(h.strip().strip('"').lstrip("\ufeff").split()).casefold()


def map_header(header: list[str], column_map: dict[str, str]) -> dict[str, int]:
    """field -> column index. ``column_map`` (header name -> field) wins over the built-ins."""
    custom = {_normalise_header(k): v for k, v in column_map.items()}
    out: dict[str, int] = {}
    for i, raw in enumerate(header):
        h = _normalise_header(raw)
        field = custom.get(h) or _HEADER_TO_FIELD.get(h)
        if field and field not in out:
            out[field] = i
    return out


def _decode_head(raw: bytes) -> tuple[str, str]:
    """(encoding, text) of the file head."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", raw[3:].decode("utf-8", errors="replace")
    cut = raw[: raw.rfind(b"\n") + 1] or raw
    try:
        return "utf-8", cut.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1251", cut.decode("cp1251", errors="replace")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return csv.excel
    try:
        sniffed = csv.Sniffer().sniff(sample[:16384], delimiters=best)
    except csv.Error:
        sniffed = None
    if sniffed is not None:
        # Spreadsheets and RFC 4180 double a quote inside a quoted cell; the Sniffer believes it
        # only when it sees one in a cell without the delimiter ('"""Petrov, Ivan"" <a@b.c>"'
        # broke into two cells).
        sniffed.doublequote = True
        return sniffed

    class _D(csv.excel):
        delimiter = best

    return _D


def headerless_columns(rows: list[list[str]]) -> dict[str, int] | None:
    """Columns of a log written without a header in the documented order, ``timestamp, from,
    to[, channel][, text][, direction]``, when its first rows read that way (a time, then two
    non-empty cells: the first row and most of the others); with four columns the fourth is
    the channel when it names channels (in every row), else the text. None when the rows do
    not read so."""
    rows = [r for r in rows if any(c.strip() for c in r)]

    def reads(r: list[str]) -> bool:
        return (
            len(r) >= 3 and parse_when(r[0], None) is not None and bool(r[1].strip())
            and bool(r[2].strip())
        )  # fmt: skip

    # the first row, and most of the others (a bad row is the import's to report)
    good = [r for r in rows if reads(r)]
    if not rows or not reads(rows[0]) or len(good) * 2 <= len(rows):
        return None
    rows = good
    cols = {"timestamp": 0, "from": 1, "to": 2}
    width = max(len(r) for r in rows)
    if width >= 5:
        cols.update(channel=3, text=4)
        if width >= 6:
            cols["direction"] = 5
    elif width == 4:
        named = all(
            not r[3].strip() or r[3].strip().casefold() in _CHANNELS for r in rows if len(r) > 3
        )
        cols["channel" if named else "text"] = 3
    return cols


def slash_month_first(values: Iterable[str]) -> bool:
    """Do this file's slash dates put the month first ("12/25/2023 3:45 PM", as US software
    writes them)? Decided from the whole column: a first number above 12 means day first, a
    second above 12 month first; with neither, a 12-hour clock means the US order. Dotted
    dates ("25.12.2023") are always day first."""
    day_first = month_1st = ampm = False
    for v in values:
        m = _DMY_RE.match(v.strip())
        if m is None or m.group(2) != "/":
            continue
        a, b = int(m.group(1)), int(m.group(3))
        day_first |= a > 12
        month_1st |= b > 12
        ampm |= m.group(8) is not None
        if day_first and month_1st:
            break
    if day_first != month_1st:
        return month_1st
    return ampm and not day_first


def parse_when(
    value: str, zone: tzinfo | None, month_first: bool = False
) -> tuple[datetime, TzStatus] | None:
    """(UTC datetime, tz_status) or None; ``month_first`` for slash dates in the US order."""
    v = value.strip()
    if not v:
        return None
    if _EPOCH_RE.match(v):
        num = float(v)
        if num > 100_000_000_000:
            num /= 1000.0
        try:
            return datetime.fromtimestamp(num, UTC), "utc"
        except (OverflowError, OSError, ValueError):
            return None
    m = _DMY_RE.match(v)
    if m:
        d, sep, mo, y, hh, mi, ss, ampm = m.groups()
        if month_first and sep == "/":
            d, mo = mo, d
        h = int(hh or 0)
        if ampm is not None:
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if ampm in "Pp" else 0)
        try:
            naive = datetime(int(y), int(mo), int(d), h, int(mi or 0), int(ss or 0))
        except ValueError:
            return None
        if hh is None:
            return naive.replace(tzinfo=UTC), "date"
        return local_to_utc(naive, zone), "local"
    if _MAIL_DATE_RE.match(v):
        return _mail_date(v, zone)
    try:
        parsed = datetime.fromisoformat(v.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC), "utc"
    if len(v) <= 10:
        return parsed.replace(tzinfo=UTC), "date"
    return local_to_utc(parsed, zone), "local"


def _mail_date(v: str, zone: tzinfo | None) -> tuple[datetime, TzStatus] | None:
    head, _, rest = v.partition(" ")
    if head[:3].isalpha() and not head.endswith(","):
        v = f"{head},{' ' + rest if rest else ''}"  # "Mon 03 Jan ..." -> "Mon, 03 Jan ..."
    try:
        parsed = parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # "-0000" or no zone: the writer's wall time
        return local_to_utc(parsed, zone), "local"
    return parsed.astimezone(UTC), "utc"


def _direction(value: str) -> str | None:
    v = value.strip().casefold()
    if v in _DIRECTIONS:
        return _DIRECTIONS[v]
    return next((d for prefix, d in _DIRECTION_PREFIXES if v.startswith(prefix)), None)


def split_parties(value: str) -> list[str]:
    """The parties of a from/to cell: ";"-separated, or a mail header's comma-separated address
    list (split on commas only when every piece is an address: "Petrov, Ivan" stays one name)."""
    out: list[str] = []
    for piece in value.split(";"):
        parts = piece.split(",")
        if len(parts) > 1 and all(_is_address(x) for x in parts):
            out.extend(parts)
        else:
            out.append(piece)
    return out


def _is_address(value: str) -> bool:
    v = value.strip().strip('"').strip()
    return bool(_EMAIL_RE.match(v) or _NAMED_EMAIL_RE.match(v))


def parse_party(value: str) -> Party | None:
    v = value.strip().strip('"').strip()
    if not v:
        return None
    named = _NAMED_EMAIL_RE.match(v)
    if named:
        return Party(
            name=named.group(1).strip() or None, identities=(IdentityRef("email", named.group(2)),)
        )
    if _EMAIL_RE.match(v):
        return Party(identities=(IdentityRef("email", v),))
    if _HANDLE_RE.match(v):
        return Party(identities=(IdentityRef("telegram", v),))
    if _PHONE_RE.match(v) and sum(c.isdigit() for c in v) >= 7:
        return Party(identities=(IdentityRef("phone", v),))
    return Party(name=v)


def _ident_key(kind: str, value: str) -> tuple[str, str]:
    if kind == "phone":
        return kind, re.sub(r"\D", "", value)[-10:]
    if kind == "telegram":
        return kind, value.lstrip("@").casefold()
    return kind, value.strip().casefold()


class InteractionCsvImporter(Importer):
    name = "interaction-csv"
    label = "Interaction log (CSV: timestamp, from, to, channel, text)"
    patterns = ("*.csv", "*.tsv", "*.txt")

    def sniff(self, path: Path, head: bytes) -> int:
        if path.is_dir() or not head:
            return 0
        _, text = _decode_head(head)
        sample = text[:16384]
        try:
            header = next(csv.reader([sample.split("\n", 1)[0]], _dialect(sample)))
        except (csv.Error, StopIteration):
            return 0
        fields = map_header(header, {})
        if {"timestamp", "from", "to"} <= fields.keys():
            return 85
        if (
            path.suffix.casefold() in (".csv", ".tsv")
            and not fields
            and headerless_columns([header]) is not None
        ):
            return 60  # no header, but the documented order: a time, a sender, a recipient
        return 0

    @staticmethod
    def _month_first(path: Path, encoding: str, dialect: Any, col: int, header: bool) -> bool:
        """The date order of the file's slash dates, from the whole time column (a first pass
        over the file, only when its first dates are slash dates)."""
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            reader = csv.reader(fh, dialect)
            if header:
                next(reader, None)
            try:
                first = [r[col] for r, _ in zip(reader, range(50), strict=False) if len(r) > col]
            except csv.Error:
                return False
            if not any("/" in v for v in first):
                return False
            try:
                return slash_month_first(chain(first, (r[col] for r in reader if len(r) > col)))
            except csv.Error:  # a broken row (reported by the import): decide from the start
                return slash_month_first(first)

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        opts = options or ImportOptions()
        prog = ensure_progress(progress)
        zone = resolve_zone(opts.local_timezone)
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
        encoding, sample = _decode_head(head)
        dialect = _dialect(sample)
        me_names = {fold_name(n) for n in (*_ME_WORDS, *opts.me_names) if n.strip()}
        me_ids = {_ident_key(r.kind, r.value) for r in opts.me_identities}

        def is_me(p: Party) -> bool:
            if p.name is not None and fold_name(p.name) in me_names:
                return True
            return any(_ident_key(r.kind, r.value) in me_ids for r in p.identities)

        occurrences = OccurrenceCounter()
        csv.field_size_limit(16 * 1024 * 1024)
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            reader = csv.reader(fh, dialect)
            header = next(reader, None)
            cols = map_header(header or [], opts.column_map)
            # (line, row) read ahead: a file without a header starts with data
            first_rows: list[tuple[int, list[str]]] = []
            if not cols and header:
                # No header: the documented order (timestamp, from, to[, channel][, text]),
                # when the first rows read that way; they are data then.
                first_rows = [(reader.line_num, header)]
                try:
                    for row in reader:
                        first_rows.append((reader.line_num, row))
                        if len(first_rows) >= 20:
                            break
                except csv.Error:
                    pass  # the import reads on from there and reports it
                cols = headerless_columns([r for _, r in first_rows]) or {}
            missing = {"timestamp", "from", "to"} - cols.keys()
            if missing:
                raise FormatError(
                    f"{path.name}: no {', '.join(sorted(missing))} column in the header"
                )
            need = max(cols["timestamp"], cols["from"], cols["to"])
            us_dates = self._month_first(
                path, encoding, dialect, cols["timestamp"], header=not first_rows
            )
            first_rows.reverse()
            n = 0
            while True:
                if first_rows:
                    line_no, row = first_rows.pop()
                else:
                    try:
                        row = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as exc:  # NUL bytes, a runaway quoted field...
                        yield ImportProblem(where=f"{path.name}:{reader.line_num}", reason=str(exc))
                        continue
                    line_no = reader.line_num
                n += 1
                where = f"{path.name}:{line_no}"
                if n % 2000 == 0:
                    check_cancelled(prog)
                    prog.set_progress(None, f"{n} rows")
                if not any(c.strip() for c in row):
                    continue
                if len(row) <= need:
                    yield ImportProblem(where=where, reason=f"row has {len(row)} fields, too few")
                    continue

                def cell(field: str, row: list[str] = row) -> str:
                    i = cols.get(field)
                    return row[i].strip() if i is not None and i < len(row) else ""

                when = parse_when(cell("timestamp"), zone, us_dates)
                if when is None:
                    yield ImportProblem(
                        where=where, reason=f"'{cell('timestamp')[:40]}' is not a time"
                    )
                    continue
                senders = [p for p in map(parse_party, split_parties(cell("from"))) if p]
                receivers = [p for p in map(parse_party, split_parties(cell("to"))) if p]
                if not senders and not receivers:
                    yield ImportProblem(where=where, reason="row names nobody in from/to")
                    continue
                yield self._record(senders, receivers, is_me, cell, when, where, occurrences)
        prog.set_progress(1.0, "")

    @staticmethod
    def _record(
        senders: list[Party],
        receivers: list[Party],
        me: Callable[[Party], bool],
        get: Callable[[str], str],
        when: tuple[datetime, TzStatus],
        where: str,
        occurrences: OccurrenceCounter,
    ) -> Record:
        from_me = any(me(p) for p in senders)
        to_me = any(me(p) for p in receivers)
        others_from = [p for p in senders if not me(p)]
        others_to = [p for p in receivers if not me(p)]
        stated = _direction(get("direction"))
        if stated == "out" or (stated is None and from_me):
            direction: Direction = "out"
            counterparts = others_to or others_from
        elif stated == "in" or (stated is None and to_me):
            direction = "in"
            counterparts = others_from or others_to
        else:
            direction = "mutual"
            counterparts = others_from + [p for p in others_to if p not in others_from]
        if not counterparts:
            return ImportProblem(where=where, reason="nobody but me in this row")
        raw_channel = get("channel").casefold()
        channel = _CHANNELS.get(raw_channel, "other") if raw_channel else "other"
        # A quoted cell written on Windows keeps its CRLF line breaks: one kind of newline.
        text = get("text").replace("\r\n", "\n").replace("\r", "\n") or None
        duration_raw = get("duration")
        duration = int(float(duration_raw)) if re.fullmatch(r"\d+(\.\d+)?", duration_raw) else None
        parties = sorted(
            f"{r.kind}:{r.value}" if r else ""
            for p in counterparts
            for r in (p.identities or (IdentityRef("name", p.name or ""),))
        )
        key = "csv:" + "|".join(parties)
        row_id = get("id")
        stamp = when[0].isoformat()
        if row_id:
            fingerprint = f"interaction-csv:{row_id}"
        else:
            nth = occurrences.next(stamp, key, direction, channel, text)
            fingerprint = content_fingerprint(
                "interaction-csv", key, stamp, direction, channel, text or "", nth
            )
        return ImportedInteraction(
            fingerprint=fingerprint,
            where=where,
            occurred_at=when[0],
            channel=channel,
            direction=direction,
            counterparts=tuple(counterparts),
            tz_status=when[1],
            text=text,
            conversation_key=key,
            conversation_kind="log",
            subject=get("subject") or None,
            duration_s=duration,
        )
