"""iCalendar (.ics) meetings: VEVENTs with other attendees become "meeting" interactions.

Rules:

* An event is an interaction with the people in its ATTENDEE and ORGANIZER lines other than me;
  events with nobody else (personal reminders, holidays) are skipped silently. Attendees that are
  rooms/resources/groups (CUTYPE), declined (PARTSTAT=DECLINED) or only copied for information
  (ROLE=NON-PARTICIPANT) are not counterparts; an event I declined, or a cancelled one
  (STATUS:CANCELLED), is skipped.
* One meeting (UID) sent several times (saved invitations: one VCALENDAR per message) counts once,
  in its latest version (SEQUENCE, then DTSTAMP); a METHOD:CANCEL as the latest version cancels
  it; attendees' REPLY/COUNTER messages are not the meeting.
* Me: ``ImportOptions.me_identities`` (e-mails); else the calendar name when it is an address
  (Google exports name the calendar after its owner); else the address Thunderbird marks as the
  invited one (X-MOZ-INVITED-ATTENDEE); else the address found in the most events
  when it is in at least half of the events with attendees (and in 2+ events); else, per event,
  the ORGANIZER (calendars are mostly exports of one's own events). An inferred address is
  yielded as ``MeHint(inferred=True)`` first.
* Events that start after "now" have not happened yet and are skipped.
* Recurring events (RRULE/RDATE, with moved/cancelled instances) are expanded with
  recurring-ical-events up to now: an endless rule over the five years before now; a finite one
  (UNTIL, COUNT or RDATE only) over the five years before its last occurrence (up to now). At
  most 5000 occurrences per series are kept (the latest).
* Times: UTC or a resolvable TZID (IANA, Windows names like "Russian Standard Time", Mozilla-style
  "/mozilla.org/.../Europe/Berlin") -> tz_status "utc"; no zone -> "floating" (taken as UTC);
  all-day -> "date" (midnight UTC).
* Fingerprint: UID + RECURRENCE-ID (or the occurrence start). Direction "mutual".
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netassist.core.progress import Progress, check_cancelled
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.email_message import me_from_options
from netassist.importers.email_text import decode_bytes
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
    Party,
    Record,
)

FIVE_YEARS = timedelta(days=5 * 366)
MAX_OCCURRENCES = 5000  # per series, after the window cap; a safety net for FREQ=MINUTELY
_ADDR = re.compile(r"^(?:mailto:)?\s*(.+@.+)$", re.I)
_DISPLAY_OFFSET = re.compile(r"^\((?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d\d))?)?\)")
_TZID_TRAILING_SPACE = re.compile(r"^(TZID[;:][^\r\n]*?)[ \t]+(?=\r?$)", re.M)
_CN_ADDR = re.compile(r"[^\s@<>,;:\"']+@[^\s@<>,;:\"']+\.[^\s@<>,;:\"']+")


def _addr(value: Any) -> str | None:
    text = str(value).strip()
    if text[:7].lower() == "mailto:":
        # a mailto: URI holds no spaces (RFC 6068); one left inside is a fold's indentation
        # (lines folded with two spaces: "mailto:hcabot@" / "  example.com")
        text = "mailto:" + re.sub(r"\s+", "", text[7:])
    m = _ADDR.match(text)
    return m.group(1).strip() if m else None


def _zone(tzid: str) -> tzinfo | None:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    tzid = tzid.strip().strip('"')
    candidates = [tzid, WINDOWS_TO_OLSON.get(tzid, "")]
    parts = tzid.strip("/").split("/")
    if len(parts) >= 2:
        candidates.append("/".join(parts[-2:]))  # "/mozilla.org/20050126_1/Europe/Berlin"
    for name in candidates:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    # Outlook's display name "(UTC+03:00) Moscow, St. Petersburg" (older: "(GMT+03:00) ..."):
    # its standard offset (right except in summer time, still better than none)
    m = _DISPLAY_OFFSET.match(tzid)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(m.group(2) or 0), minutes=int(m.group(3) or 0)))
    return None


def to_utc(prop: Any) -> tuple[datetime, str]:
    """(UTC datetime, tz_status) of a DTSTART-like property."""
    params = getattr(prop, "params", {})
    return value_to_utc(prop.dt, params.get("TZID"))


def value_to_utc(value: Any, tzid: Any = None) -> tuple[datetime, str]:
    """(UTC datetime, tz_status) of a date/datetime, resolving a TZID icalendar left naive."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(UTC), "utc"
        zone = _zone(str(tzid)) if tzid else None
        if zone is not None:
            return value.replace(tzinfo=zone).astimezone(UTC), "utc"
        return value.replace(tzinfo=UTC), "floating"
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC), "date"
    raise ValueError(f"not a date: {value!r}")


def _people(event: Any) -> tuple[list[tuple[str, str | None, str]], str | None]:
    """[(address, name, partstat)] of attendees (rooms dropped) and the organizer address."""
    out: list[tuple[str, str | None, str]] = []
    raw = event.get("ATTENDEE")
    attendees = raw if isinstance(raw, list) else ([raw] if raw is not None else [])
    for att in attendees:
        params = getattr(att, "params", {})
        addr = _addr(att) or _addr(params.get("EMAIL") or "")  # RFC 7986: urn:uuid:... + EMAIL=
        if str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE", "GROUP"):
            continue
        if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue  # copied for information only (RFC 5545 3.2.16): not at the meeting
        partstat = str(params.get("PARTSTAT", "")).upper()
        if not addr:
            # Outlook: a recipient it could not resolve is "invalid:nomail", the typed
            # address(es) left in CN ("a@x.ru, b@y.com")
            for typed in _CN_ADDR.findall(str(params.get("CN") or "")):
                out.append((typed, None, partstat))
            continue
        out.append((addr, params.get("CN") or None, partstat))
    org = event.get("ORGANIZER")
    org_addr = None
    if org is not None:
        org_addr = _addr(org) or _addr(getattr(org, "params", {}).get("EMAIL") or "")
    if org_addr:
        out.append((org_addr, getattr(org, "params", {}).get("CN") or None, "ACCEPTED"))
    return out, org_addr


def infer_me(calendars: list[Any]) -> str | None:
    for cal in calendars:
        name = str(cal.get("X-WR-CALNAME", "")).strip()
        if "@" in name and " " not in name:
            return name.lower()
    # Thunderbird keeps, on each invitation it received, the address it was sent to.
    invited: Counter[str] = Counter()
    for cal in calendars:
        for ev in cal.walk("VEVENT"):
            addr = _addr(_one(ev, "X-MOZ-INVITED-ATTENDEE") or "")
            if addr:
                invited[addr.lower()] += 1
    if invited:
        return invited.most_common(1)[0][0]
    counts: Counter[str] = Counter()
    events = 0
    for cal in calendars:
        for ev in cal.walk("VEVENT"):
            people, _ = _people(ev)
            if people:
                events += 1
                counts.update({a.lower() for a, _, _ in people})
    if not counts:
        return None
    addr, n = counts.most_common(1)[0]
    return addr if n >= 2 and n * 2 >= events else None


def _one(ev: Any, name: str) -> Any:
    """A property that should occur once (broken files repeat DTSTART): the first one."""
    value = ev.get(name)
    return value[0] if isinstance(value, list) and value else value


def _fp(uid: str, key: datetime) -> str:
    return "ics:" + hashlib.sha1(f"{uid}|{key.isoformat()}".encode()).hexdigest()


def _interaction(ev: Any, where: str, me: frozenset[str], now: datetime) -> Record | None:
    """One occurrence -> interaction, a problem, or None (not an interaction with anyone)."""
    if str(_one(ev, "STATUS") or "").upper() == "CANCELLED":
        return None
    if "DTSTART" not in ev:
        has_people = bool(_people(ev)[0])
        return ImportProblem(where, "the meeting has no start (DTSTART)") if has_people else None
    try:
        start, status = to_utc(_one(ev, "DTSTART"))
    except Exception:
        return ImportProblem(where, "the event's start (DTSTART) is not a valid date")
    if start > now:
        return None
    people, org = _people(ev)
    mine = me or (frozenset({org.lower()}) if org else frozenset())
    parties: dict[str, Party] = {}
    for addr, name, partstat in people:
        key = addr.lower()
        if key in mine:
            if partstat == "DECLINED":
                return None
            continue
        if partstat != "DECLINED" and key not in parties:
            parties[key] = Party(
                name=str(name) if name else None,
                identities=(IdentityRef("email", addr),),
                role="attendee",
            )
    if not parties:
        return None
    duration: int | None = None
    try:
        if "DTEND" in ev:
            end, _ = to_utc(_one(ev, "DTEND"))
            duration = max(0, int((end - start).total_seconds()))
        elif "DURATION" in ev:
            duration = max(0, int(_one(ev, "DURATION").dt.total_seconds()))
    except Exception:
        duration = None
    uid = str(_one(ev, "UID") or "") or f"{where}|{_one(ev, 'SUMMARY') or ''}"
    rid = _one(ev, "RECURRENCE-ID")
    try:
        key = to_utc(rid)[0] if rid is not None else start
    except Exception:
        key = start
    summary = str(_one(ev, "SUMMARY") or "").strip() or None
    description = str(_one(ev, "DESCRIPTION") or "").strip() or None
    return ImportedInteraction(
        fingerprint=_fp(uid, key),
        where=where,
        occurred_at=start,
        channel="meeting",
        direction="mutual",
        counterparts=tuple(parties.values()),
        tz_status=status,  # type: ignore[arg-type]
        text=description[:20_000] if description else None,
        subject=summary,
        conversation_key="ics:" + uid,
        conversation_kind="calendar",
        conversation_title=summary,
        duration_s=duration,
        weight=0.3 if len(parties) > 10 else 1.0,
    )


def _series(cal: Any, uid: str, comps: list[Any], now: datetime) -> list[Any]:
    """Occurrences of a recurring series inside its window (see the module doc)."""
    import icalendar
    import recurring_ical_events

    sub = icalendar.Calendar()
    for tz in cal.walk("VTIMEZONE"):
        sub.add_component(tz)
    for comp in comps:
        sub.add_component(comp)
    master = next((c for c in comps if "RECURRENCE-ID" not in c), comps[0])
    rrule = master.get("RRULE")
    rules = rrule if isinstance(rrule, list) else [rrule] if rrule is not None else []
    query = recurring_ical_events.of(sub, skip_bad_series=True)
    if any(not r.get("UNTIL") and not r.get("COUNT") for r in rules):
        # Endless: the five years up to now.
        return list(query.between(now - FIVE_YEARS, now))[-MAX_OCCURRENCES:]
    # Finite (UNTIL/COUNT/RDATE only): walk it from the start, stop at now, keep the last five
    # years before the last occurrence.
    out: list[Any] = []
    for occ in query.all():
        start, _ = to_utc(_one(occ, "DTSTART"))
        if start > now:
            break
        out.append((start, occ))
        if len(out) >= 20 * MAX_OCCURRENCES:
            break
    if not out:
        return []
    last = out[-1][0]
    return [occ for start, occ in out if start >= last - FIVE_YEARS][-MAX_OCCURRENCES:]


_CONTENT_LINE = re.compile(rb"^[A-Za-z0-9-]+(?:;[^:\r\n]*)?:")


def repair_calendar(data: bytes) -> tuple[bytes, int]:
    """Drop lines that are not content lines and time zones without a name (Exchange's "TZID:"
    for a custom zone), close unterminated VCALENDARs; returns the repaired bytes and how many
    lines were dropped. A folded line is judged whole (Outlook folds ATTENDEE lines inside
    their parameters, before the ':') and kept or dropped with its continuations."""
    logical: list[list[bytes]] = []
    for line in data.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and logical and logical[-1][0].strip():
            logical[-1].append(line)
        else:
            logical.append([line])
    kept: list[bytes] = []
    dropped = 0
    zone: list[bytes] | None = None  # the lines of the VTIMEZONE being read
    has_name = False
    for group in logical:
        unfolded = group[0].rstrip(b"\r\n") + b"".join(g[1:].rstrip(b"\r\n") for g in group[1:])
        if unfolded.strip() and not _CONTENT_LINE.match(unfolded):
            dropped += len(group)
            continue
        head = unfolded.strip().upper()
        if head == b"BEGIN:VTIMEZONE":
            zone, has_name = [], False
        if zone is None:
            kept.extend(group)
            continue
        zone.extend(group)
        has_name = has_name or bool(re.match(rb"(?i)TZID(?:;[^:]*)?:[ \t]*\S", unfolded))
        if head == b"END:VTIMEZONE":
            if has_name:
                kept.extend(zone)
            else:
                dropped += len(zone)
            zone = None
    kept.extend(zone or [])
    fixed = b"".join(kept)
    upper = fixed.upper()
    missing = upper.count(b"BEGIN:VCALENDAR") - upper.count(b"END:VCALENDAR")
    if missing > 0:
        fixed = fixed.rstrip(b"\r\n") + b"\r\n" + b"END:VCALENDAR\r\n" * missing
    return fixed, dropped


def parse_calendars(data: bytes) -> list[Any]:
    """VCALENDARs in ``data``; a file that icalendar rejects is retried once after
    :func:`repair_calendar`. Raises ValueError when nothing can be read."""
    import icalendar

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # RFC 5545 says UTF-8; old Outlook exports in cp1251/KOI8-R are decoded by a guess.
    text = decode_bytes(data)
    # "TZID:Mitteleuropäische Zeit " (GroupWise, Outlook): the TZID= parameters that refer to
    # it lose the trailing space when parsed, so the zone's own name must lose it too
    text = _TZID_TRAILING_SPACE.sub(r"\1", text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            cals = list(icalendar.Calendar.from_ical(text, multiple=True))
        except Exception:
            cals = []
        if not cals or not any(c.walk("VEVENT") for c in cals):
            fixed, _ = repair_calendar(data)
            if fixed != data:
                try:
                    fixed_text = _TZID_TRAILING_SPACE.sub(r"\1", decode_bytes(fixed))
                    cals = list(icalendar.Calendar.from_ical(fixed_text, multiple=True)) or cals
                except Exception as exc:
                    if not cals:
                        raise ValueError(str(exc)) from exc
    return cals


def _event_records(
    cal: Any, uid: str, comps: list[Any], where: str, me: frozenset[str], now: datetime
) -> list[Record]:
    out: list[Record] = []
    recurring = any("RRULE" in c or "RDATE" in c for c in comps)
    try:
        occurrences = _series(cal, uid, comps, now) if recurring else comps
    except Exception:
        out.append(ImportProblem(where, "the event's recurrence rule could not be expanded"))
        occurrences = [c for c in comps if "RECURRENCE-ID" not in c][:1]
    for occ in occurrences:
        try:
            rec = _interaction(occ, where, me, now)
        except Exception as exc:
            rec = ImportProblem(where, f"the event could not be read ({type(exc).__name__})")
        if rec is not None:
            out.append(rec)
    return out


# iTIP messages from an attendee to the organizer (RFC 5546): not the meeting itself.
_ATTENDEE_METHODS = frozenset({"REPLY", "COUNTER", "REFRESH", "DECLINECOUNTER"})


def _version_key(ev: Any, order: int) -> tuple[int, float, int]:
    """Which copy of a meeting is the latest: higher SEQUENCE, then later DTSTAMP, then later
    in the file (RFC 5546 2.1.5)."""
    try:
        seq = int(str(_one(ev, "SEQUENCE") or 0).strip())
    except ValueError:
        seq = 0
    try:
        stamp = to_utc(_one(ev, "DTSTAMP"))[0].timestamp() if "DTSTAMP" in ev else 0.0
    except Exception:
        stamp = 0.0
    return seq, stamp, order


def _latest_versions(
    calendars: list[Any],
) -> Iterator[tuple[str, Any, list[Any], tuple[int, float]]]:
    """(uid, calendar, components, version) per event UID over every VCALENDAR of the data.

    Saved invitations put one VCALENDAR per message in a file, so one meeting (UID) can come
    several times: the original request, updates with a new time, a cancellation. Only its
    latest version counts (with the RECURRENCE-ID overrides of a series); calendar is None
    when that version is a cancellation. Replies and counter-proposals are left out. version
    is (SEQUENCE, DTSTAMP) of that latest copy.
    """
    groups: dict[str, list[tuple[int, Any, str, Any]]] = {}
    order = 0
    for ci, cal in enumerate(calendars):
        method = str(cal.get("METHOD") or "").strip().upper()
        if method in _ATTENDEE_METHODS:
            continue
        for n, ev in enumerate(cal.walk("VEVENT")):
            uid = str(_one(ev, "UID") or "") or f"#{ci}.{n}"
            groups.setdefault(uid, []).append((order, cal, method, ev))
            order += 1
    for uid, items in groups.items():
        masters = [it for it in items if "RECURRENCE-ID" not in it[3]] or items[-1:]
        _, cal, method, best = max(masters, key=lambda it: _version_key(it[3], it[0]))
        version = _version_key(best, 0)[:2]
        if method == "CANCEL":
            yield uid, None, [], version
        elif len(masters) == 1 and len({id(it[1]) for it in items}) == 1:
            yield uid, cal, [it[3] for it in items], version  # the common case: one copy
        else:
            overrides = [it[3] for it in items if "RECURRENCE-ID" in it[3] and it[3] is not best]
            yield uid, cal, [best, *overrides], version


def meeting_versions(
    data: bytes, where: str, me: frozenset[str], now: datetime
) -> Iterator[tuple[str, tuple[int, float], list[Record]]]:
    """(uid, version, records) of the meetings in a mail's text/calendar part, for a mailbox
    that keeps only each meeting's latest version over all its mails (an update moves the
    meeting, a METHOD:CANCEL removes it: no records). Parts that are neither a request nor a
    cancellation give nothing."""
    upper = data.upper()
    if b"METHOD:REQUEST" not in upper and b"METHOD:CANCEL" not in upper:
        return
    try:
        calendars = parse_calendars(data)
    except Exception:
        yield "", (0, 0.0), [ImportProblem(where, "the calendar (text/calendar) could not be read")]
        return
    for uid, cal, comps, version in _latest_versions(calendars):
        records: list[Record] = []
        if cal is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                records = _event_records(cal, uid, comps, f"{where}: event {uid[:80]}", me, now)
        yield uid, version, records


def calendar_records(
    data: bytes,
    where: str,
    me: frozenset[str],
    now: datetime,
    invitations_only: bool = False,
    calendars: list[Any] | None = None,
    seen: set[str] | None = None,
) -> Iterator[Record]:
    """Meeting records of iCalendar bytes (a file, or a text/calendar part of a mail).

    ``seen``: fingerprints already yielded (a mail often carries the same invitation twice, as
    a text/calendar alternative and as an .ics attachment); they are skipped and added to.
    """
    if calendars is None:
        if invitations_only and b"METHOD:REQUEST" not in data.upper():
            return
        try:
            calendars = parse_calendars(data)
        except Exception:
            yield ImportProblem(where, "the calendar (text/calendar) could not be read")
            return
    for uid, cal, comps, _ in _latest_versions(calendars):
        if cal is None:
            continue  # its latest version cancels it
        # icalendar warns (e.g. GloballyUniqueTZIDGuessed) on cases handled here already.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            records = _event_records(cal, uid, comps, f"{where}: event {uid[:80]}", me, now)
        for rec in records:
            if seen is not None and isinstance(rec, ImportedInteraction):
                if rec.fingerprint in seen:
                    continue
                seen.add(rec.fingerprint)
            yield rec


class IcsImporter(Importer):
    """iCalendar files exported from Google Calendar, Outlook, Apple Calendar, Thunderbird..."""

    name = "ics"
    label = "Calendar (iCalendar .ics)"
    patterns = ("*.ics", "*.ical", "*.ifb", "*.icalendar")

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now
        self.events = 0

    def sniff(self, path: Path, head: bytes) -> int:
        text = head.lstrip(b"\xef\xbb\xbf\r\n \t")[:64].upper()
        if text.startswith(b"BEGIN:VCALENDAR"):
            return 95
        return (
            10
            if path.suffix.lower() in (".ics", ".ical") and b"BEGIN:VEVENT" in head.upper()
            else 0
        )

    def parse(
        self, path: Path, options: ImportOptions | None = None, progress: Progress | None = None
    ) -> Iterator[Record]:
        options = options or ImportOptions()
        prog = ensure_progress(progress)
        prog.set_progress(None, "Reading the calendar")
        data = path.read_bytes()
        try:
            calendars = parse_calendars(data)
        except Exception as exc:
            raise FormatError(f"{path.name} is not a readable iCalendar file: {exc}") from exc
        if not calendars:
            raise FormatError(f"{path.name} has no VCALENDAR")
        check_cancelled(prog)
        me = me_from_options(options)
        if not me:
            guess = infer_me(calendars)
            if guess:
                me = frozenset({guess})
                yield MeHint(identities=(IdentityRef("email", guess),), inferred=True)
        now = self._now or datetime.now(UTC)
        for n, rec in enumerate(calendar_records(data, path.name, me, now, calendars=calendars)):
            if n % 2000 == 0:
                check_cancelled(prog)
            self.events += isinstance(rec, ImportedInteraction)
            yield rec
        prog.set_progress(1.0, f"{self.events} meetings")
