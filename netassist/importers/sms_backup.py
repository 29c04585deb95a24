"""SMS Backup & Restore (Android) XML: ``<smses>`` (sms and mms) and ``<calls>`` backups.

* ``<sms address date type body contact_name .../>``: ``type`` 1 received (in), 2 sent (out);
  drafts, outbox, failed and queued messages (3-6) were never exchanged and are skipped.
* ``<mms date msg_box address contact_name>`` with ``<parts><part ct text/></parts>`` and
  ``<addrs><addr address type/></addrs>``: ``msg_box`` 1 inbox, 2 sent. ``address`` lists the
  other people joined by "~"; more than one makes a group message (weight 0.4). A received one
  counts with its sender (addr type 137; in a one-to-one thread always the thread's number,
  which the from address may spell differently); one I sent counts with every recipient,
  because an MMS, unlike a chat message, is addressed to them. An RCS group from Google
  Messages has its thread id ("...@rcs.google.com") as ``address``: its people come from
  ``<addrs>`` (sent: the to/cc list; received: the sender and the cc list of members).
  Non-text parts (not SMIL) are attachments.
* A text from or to a service, whose address is a sender name ("Google", "Sberbank", "VK":
  letters, not an e-mail address) or a short number (at most 6 digits, no "+": "900"), is no
  relationship: left out and counted (``SkippedMessages`` "service_sender", once per file).
* ``<call number duration date type contact_name/>``: type 2 outgoing is "out"; 1 incoming,
  3 missed, 4 voicemail, 5 rejected, 6 blocked, 7 answered elsewhere are "in"; channel "call"
  with ``duration_s``.

Signal's ``signalbackup-tools --exportxml`` writes this format too: a group MMS there lists every
member in ``address``, me included, so the from address (me) of a message I sent is left out of
its recipients; the unquoted ``count`` and doubled ``cl`` of its older versions are repaired.
Emoji that the app writes as two UTF-16 halves ("&#55357;&#56832;", not allowed in XML) are
joined into one character instead of stopping the file at the first one; HTML entity names that
converters from other apps leave in the text ("&rsquo;", "&eacute;") are read as characters, and
line breaks they leave raw inside a text (XML would read them as spaces) are kept.

``date`` is epoch milliseconds (tz_status "utc"). Phone numbers are kept raw as
``IdentityRef("phone")`` (core normalises them); ``contact_name`` "(Unknown)" means no name.
There are no record ids: fingerprints hash number, time, type and text (plus an occurrence
counter). The file is streamed with ``XMLPullParser`` and each element is cleared once read;
a file with a DOCTYPE (the only way to declare entities, as in "billion laughs") is refused.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.entities import html5
from pathlib import Path

from netassist.core.progress import Progress, check_cancelled
from netassist.importers._msg_common import (
    GROUP_WEIGHT,
    OccurrenceCounter,
    content_fingerprint,
    from_epoch_ms,
)
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    Party,
    Record,
    SkippedMessages,
)

_CHUNK = 1 << 20
_MAX_PENDING = 64 << 20  # bytes held back while waiting for a ">" (an enormous attribute)
# signalbackup-tools --exportxml (its versions before 2023) wrote `<smses count=123 ...>` with
# the value unquoted, and text parts with two `cl` attributes (the first one meant as `cid`):
# not well-formed XML, so they are repaired before parsing.
_UNQUOTED_COUNT_RE = re.compile(rb"(<smses\s+count=)(\d+)(?=[\s>/])")
_DOUBLE_CL_RE = re.compile(rb'\bcl="(&lt;[^"<>]*&gt;)"(\s+cl=")')
# SMS Backup & Restore writes a character beyond U+FFFF (every emoji) as the two UTF-16 halves,
# "&#55357;&#56832;" for 😀: references XML forbids, so a strict parser stops at the first
# emoji. The pair is joined into one reference; a lone half becomes U+FFFD. References to
# control characters (also forbidden) are dropped.
_HI, _LO = rb"(?:55[2-9]\d\d|56[0-3]\d\d)", rb"(?:56[3-9]\d\d|57[0-3]\d\d)"
_HIX, _LOX = rb"[dD][89abAB][0-9a-fA-F]{2}", rb"[dD][c-fC-F][0-9a-fA-F]{2}"
_BAD_REF_RE = re.compile(
    rb"&#(?:(" + _HI + rb")|[xX](" + _HIX + rb"));&#(?:(" + _LO + rb")|[xX](" + _LOX + rb"));"
    rb"|&#(?:(" + _HI + rb"|" + _LO + rb")|[xX]([dD][89a-fA-F][0-9a-fA-F]{2}));"
    rb"|&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|[xX]0*(?:[0-8]|1[0-9a-fA-F]|[bBcCeEfF]));"
)
# Converters from other apps' exports (gvoice-sms-takeout-xml for Google Voice) passed the text
# through an HTML formatter: "&rsquo;", "&eacute;", "&nbsp;"... are names XML does not define,
# and the first one stopped the parse. They become the characters they name (a name HTML does
# not know either stays as literal text).
_NAMED_REF_RE = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
# The app writes a line break inside a text as "&#10;"; other writers of the format (Signal's
# early plaintext export through XStream, iPhone and Google Voice converters) put it raw inside
# the attribute value, where an XML parser reads it as a space. Such a value (one without a raw
# "<" or ">") has its breaks turned into references first; breaks between attributes stay.
# Possessive runs: no backtracking over the megabytes of a base64 part.
_VALUE_WITH_BREAK_RE = re.compile(
    rb'=[ \t]*+(?:"[^"<>\r\n]*+[\r\n][^"<>]*+"|\'[^\'<>\r\n]*+[\r\n][^\'<>]*+\')'
)
_DOCTYPE_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_NO_NAMES = {"", "(unknown)", "null", "unknown"}
_SKIPPED_SMS_TYPES = {"3", "4", "5", "6"}  # draft, outbox, failed, queued
_CALL_IN_TYPES = {"1", "3", "4", "5", "6", "7"}
_HIDDEN_NUMBER_RE = re.compile(r"-\d{1,2}")
# Services text from a sender name ("Google", "Sberbank", "VK": an alphanumeric sender id) or a
# short number ("900", "32665"): not a relationship. Their messages are left out and counted.
_SHORT_NUMBER_RE = re.compile(r"\d{1,6}")
_MMS_FROM = "137"
_MMS_CC = "130"
_MMS_TO = frozenset({"151", "130", "129"})  # to, cc, bcc


def _name(raw: str | None) -> str | None:
    if raw is None or raw.strip().casefold() in _NO_NAMES:
        return None
    return raw.strip()


def _party(number: str, name: str | None) -> Party:
    return Party(name=name, identities=(IdentityRef("phone", number),) if number else ())


def _number(raw: str | None) -> str:
    """The phone number, or "" for none: Signal's plaintext export writes "null" for a user
    without one, Android's call log -1/-2/-3 for an unknown, private or payphone caller."""
    value = (raw or "").strip()
    if value.casefold() in _NO_NAMES or _HIDDEN_NUMBER_RE.fullmatch(value):
        return ""
    return value


def _who(number: str, name: str | None) -> str | None:
    """The conversation key of a message's other side: the number's digits, else the name."""
    if number:
        return _digits_key(number)
    return f"name:{' '.join(name.casefold().split())}" if name else None


def _epoch_ms(raw: str | None) -> int | None:
    try:
        value = int((raw or "").strip())
    except ValueError:
        return None
    if 0 < value < 100_000_000_000:  # some MMS carry seconds
        value *= 1000
    if not 0 < value < 253_000_000_000_000:
        return None
    return value


def _one_ref(code: int) -> bytes:
    return b"&#65533;" if 0xD800 <= code <= 0xDFFF else b"&#%d;" % code


def _fix_ref(m: re.Match[bytes]) -> bytes:
    if m.group(1) or m.group(2):
        hi = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        lo = int(m.group(3)) if m.group(3) else int(m.group(4), 16)
        if 0xD800 <= hi <= 0xDBFF and 0xDC00 <= lo <= 0xDFFF:
            return b"&#%d;" % (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
        return _one_ref(hi) + _one_ref(lo)
    if m.group(5) or m.group(6):
        return _one_ref(int(m.group(5)) if m.group(5) else int(m.group(6), 16))
    return b""  # a control character


def _fix_named(m: re.Match[bytes]) -> bytes:
    chars = html5.get(m.group(1).decode("ascii") + ";")
    if chars is None:
        return b"&amp;" + m.group(0)[1:]
    return b"".join(_one_ref(ord(ch)) for ch in chars)


def _fix_breaks(m: re.Match[bytes]) -> bytes:
    return m.group(0).replace(b"\r\n", b"&#10;").replace(b"\r", b"&#10;").replace(b"\n", b"&#10;")


def _is_service(number: str) -> bool:
    """A service's sender id: letters (not an e-mail address or the "insert-address-token"
    SMS Backup & Restore writes for me), or a short number of at most 6 digits without "+"."""
    v = number.strip()
    if not v or "@" in v or v == "insert-address-token":
        return False
    if any(ch.isalpha() for ch in v):
        return True
    return v[0] != "+" and _SHORT_NUMBER_RE.fullmatch(re.sub(r"[\s().\-]", "", v)) is not None


def _digits_key(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits or number.strip()


def _is_rcs_thread(address: str) -> bool:
    """Google Messages writes an RCS group's thread id ("...@rcs.google.com") as its address."""
    host = address.rpartition("@")[2].casefold()
    return bool(host) and "@" in address and (host == "rcs.google.com" or host.startswith("rcs."))


def _same_number(number: str, candidates: list[str]) -> str | None:
    """The candidate that is ``number`` written another way (+7 916... / 8 916... / 916...)."""
    key = _digits_key(number)
    for cand in candidates:
        other = _digits_key(cand)
        if other == key:
            return cand
        tail = min(len(key), len(other), 9)
        if tail >= 7 and key.isdigit() and other.isdigit() and key[-tail:] == other[-tail:]:
            return cand
    return None


def _unique_numbers(numbers: list[str]) -> list[str]:
    out: list[str] = []
    for n in numbers:
        if _same_number(n, out) is None:
            out.append(n)
    return out


class SmsBackupImporter(Importer):
    name = "sms-backup"
    label = "SMS Backup & Restore (Android XML: messages and calls)"
    patterns = ("sms-*.xml", "calls-*.xml", "*.xml")

    def sniff(self, path: Path, head: bytes) -> int:
        if path.is_dir():
            return 0
        if b"<smses" in head and (b"<sms " in head or b"<mms " in head or b"count=" in head):
            return 95
        if b"<calls" in head and (b"<call " in head or b"count=" in head):
            return 95
        return 0

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        prog = ensure_progress(progress)
        size = path.stat().st_size or 1
        parser = ET.XMLPullParser(events=("start", "end"))
        counters = {"sms": 0, "mms": 0, "call": 0}
        services = [0]  # messages with services (sender names, short numbers): left out
        occurrences = OccurrenceCounter()
        depth = 0
        root: ET.Element | None = None
        records = 0
        done = 0
        tail = b""
        with open(path, "rb") as fh:
            pending = b""
            head = True
            while True:
                chunk = fh.read(_CHUNK)
                if chunk:
                    done += len(chunk)
                    if _DOCTYPE_RE.search(tail + chunk):
                        raise FormatError(
                            f"{path.name}: a DOCTYPE/ENTITY declaration is not allowed in a backup"
                        )
                    tail = chunk[-16:]
                    data = pending + chunk
                    # Feed up to the last ">" so a repaired pattern is never split in two.
                    cut = data.rfind(b">") + 1
                    if cut == 0 and len(data) < _MAX_PENDING:
                        pending = data
                        continue
                    data, pending = (data[:cut], data[cut:]) if cut else (data, b"")
                elif pending:
                    data, pending = pending, b""
                else:
                    break
                if head and b"<smses" in data:  # the root tag: whole, as it holds no ">"
                    data = _UNQUOTED_COUNT_RE.sub(rb'\1"\2"', data, count=1)
                    head = False
                if b'" cl="' in data:
                    data = _DOUBLE_CL_RE.sub(rb'cid="\1"\2', data)
                if b"&#" in data:
                    data = _BAD_REF_RE.sub(_fix_ref, data)
                if b"&" in data:
                    data = _NAMED_REF_RE.sub(_fix_named, data)
                data = _VALUE_WITH_BREAK_RE.sub(_fix_breaks, data)
                try:
                    parser.feed(data)
                    events = list(parser.read_events())
                except ET.ParseError as exc:
                    if records == 0:
                        raise FormatError(f"{path.name}: not readable XML ({exc})") from exc
                    yield ImportProblem(
                        where=path.name, reason=f"the file is cut short or broken ({exc})"
                    )
                    yield from _left_out(path.name, services[0])
                    return
                for item in events:
                    event, elem = item[0], item[-1]
                    if not isinstance(elem, ET.Element):
                        continue  # only start/end events were asked for
                    if event == "start":
                        depth += 1
                        if depth == 1:
                            root = elem
                        continue
                    depth -= 1
                    if depth != 1:
                        continue
                    tag = elem.tag
                    if tag in counters:
                        counters[tag] += 1
                        where = f"{path.name}: {tag} {counters[tag]}"
                        records += 1
                        if tag == "sms":
                            yield from self._sms(elem, where, occurrences, services)
                        elif tag == "mms":
                            yield from self._mms(elem, where, occurrences, services)
                        else:
                            yield from self._call(elem, where, occurrences)
                        if records % 2000 == 0:
                            check_cancelled(prog)
                    elem.clear()
                    if root is not None:
                        root.clear()  # drop finished children so memory stays flat
                prog.set_progress(min(done / size, 1.0), "")
        try:
            parser.close()
        except ET.ParseError as exc:
            if records == 0:
                raise FormatError(f"{path.name}: not readable XML ({exc})") from exc
            yield ImportProblem(where=path.name, reason=f"the file is cut short ({exc})")
        if root is None or root.tag not in ("smses", "calls"):
            raise FormatError(f"{path.name}: not an SMS Backup & Restore file")
        yield from _left_out(path.name, services[0])

    @staticmethod
    def _sms(elem: ET.Element, where: str, occurrences: OccurrenceCounter,
             services: list[int]) -> Iterator[Record]:  # fmt: skip
        a = elem.attrib
        kind = a.get("type", "").strip()
        if kind in _SKIPPED_SMS_TYPES:
            return
        if kind not in ("1", "2"):
            yield ImportProblem(where=where, reason=f"unknown message type {kind!r}")
            return
        ms = _epoch_ms(a.get("date"))
        if ms is None:
            yield ImportProblem(where=where, reason=f"date {a.get('date')!r} is not a time")
            return
        number = _number(a.get("address"))
        if _is_service(number):
            services[0] += 1
            return
        name = _name(a.get("contact_name"))
        who = _who(number, name)
        if who is None:
            yield ImportProblem(where=where, reason="message has no phone number")
            return
        body = a.get("body")
        text = body if body and body != "null" else None
        nth = occurrences.next("sms", number or who, ms, kind, text)
        yield ImportedInteraction(
            fingerprint=content_fingerprint("sms", who, ms, kind, text or "", nth),
            where=where,
            occurred_at=from_epoch_ms(ms),
            channel="sms",
            direction="in" if kind == "1" else "out",
            counterparts=(_party(number, name),),
            tz_status="utc",
            text=text,
            conversation_key=f"sms:{who}",
            conversation_title=name,
        )

    @staticmethod
    def _mms(elem: ET.Element, where: str, occurrences: OccurrenceCounter,
             services: list[int]) -> Iterator[Record]:  # fmt: skip
        a = elem.attrib
        box = a.get("msg_box", "").strip()
        if box not in ("1", "2"):
            return  # drafts and outbox were never exchanged
        ms = _epoch_ms(a.get("date"))
        if ms is None:
            yield ImportProblem(where=where, reason=f"date {a.get('date')!r} is not a time")
            return
        listed = [n for n in map(_number, (a.get("address") or "").split("~")) if n]
        thread = next((n for n in listed if _is_rcs_thread(n)), None)
        others = [n for n in listed if not _is_rcs_thread(n)]
        senders: list[str] = []
        copied: list[str] = []  # to/cc/bcc
        texts: list[str] = []
        attachments = 0
        for child in elem.iter():
            if child.tag == "addr":
                value = (child.get("address") or "").strip()
                if not value or value.casefold() in _NO_NAMES or _is_rcs_thread(value):
                    continue
                if child.get("type") == _MMS_FROM:
                    senders.append(value)
                elif child.get("type") in _MMS_TO:
                    copied.append(value)
            elif child.tag == "part":
                ct = (child.get("ct") or "").casefold()
                if ct == "text/plain":
                    t = child.get("text")
                    if t and t != "null":
                        texts.append(t)
                elif ct and ct != "application/smil":
                    attachments += 1
        sender = senders[0] if senders else None
        if not others and thread is not None:
            # An RCS group (Google Messages) names its thread, not its people: they are in
            # <addrs>. Sent: every to/cc but me (the from). Received: the sender and the cc
            # list (the members); the to list is me.
            if box == "2":
                mine = {_digits_key(n) for n in senders}
                pool = [n for n in copied if _digits_key(n) not in mine]
            else:
                pool = ([sender] if sender else []) + [
                    n
                    for c in elem.iter("addr")
                    if c.get("type") == _MMS_CC
                    for n in [(c.get("address") or "").strip()]
                    if n
                ]
            others = _unique_numbers(pool)
        if not others and sender:
            others = [sender]
        people = [n for n in others if not _is_service(n)]
        if others and not people:
            services[0] += 1
            return
        others = people
        if not others:
            yield ImportProblem(where=where, reason="message has no phone number")
            return
        group = len(others) > 1 or thread is not None
        names = [_name(n) for n in (a.get("contact_name") or "").split(",")]
        name_of = dict(zip(others, names, strict=False)) if len(names) == len(others) else {}
        if box == "1":
            # The thread's own number (``address``) wins over the from address when they are
            # the same person written differently, and always in a one-to-one thread.
            match = _same_number(sender, others) if sender else None
            if match is not None:
                who = match
            elif len(others) == 1 and thread is None:
                who = others[0]
            else:
                who = sender or others[0]
            counterparts: tuple[Party, ...] = (_party(who, name_of.get(who)),)
        else:
            # Signal's export (signalbackup-tools) lists a group's every member, me too: the
            # from address of a message I sent is me, never one of its recipients.
            to = [n for n in others if not senders or _same_number(n, senders) is None]
            counterparts = tuple(_party(n, name_of.get(n)) for n in (to or others))
        text = "\n".join(texts) or None
        key = thread or "~".join(sorted(_digits_key(n) for n in others))
        nth = occurrences.next("mms", key, ms, box, text)
        yield ImportedInteraction(
            fingerprint=content_fingerprint("mms", key, ms, box, text or "", attachments, nth),
            where=where,
            occurred_at=from_epoch_ms(ms),
            channel="sms",
            direction="in" if box == "1" else "out",
            counterparts=counterparts,
            tz_status="utc",
            text=text,
            conversation_key=f"sms:{key}",
            conversation_kind="group" if group else "private",
            conversation_title=_name(a.get("contact_name")),
            weight=GROUP_WEIGHT if group else 1.0,
            attachments=attachments,
        )

    @staticmethod
    def _call(elem: ET.Element, where: str, occurrences: OccurrenceCounter) -> Iterator[Record]:
        a = elem.attrib
        kind = a.get("type", "").strip()
        if kind != "2" and kind not in _CALL_IN_TYPES:
            yield ImportProblem(where=where, reason=f"unknown call type {kind!r}")
            return
        ms = _epoch_ms(a.get("date"))
        if ms is None:
            yield ImportProblem(where=where, reason=f"date {a.get('date')!r} is not a time")
            return
        number = _number(a.get("number"))
        if not number:
            yield ImportProblem(where=where, reason="call has no phone number (hidden caller)")
            return
        try:
            duration = max(int((a.get("duration") or "0").strip()), 0)
        except ValueError:
            duration = 0
        nth = occurrences.next("call", number, ms, kind)
        yield ImportedInteraction(
            fingerprint=content_fingerprint("call", _digits_key(number), ms, kind, duration, nth),
            where=where,
            occurred_at=from_epoch_ms(ms),
            channel="call",
            direction="out" if kind == "2" else "in",
            counterparts=(_party(number, _name(a.get("contact_name"))),),
            tz_status="utc",
            conversation_key=f"call:{_digits_key(number)}",
            conversation_title=_name(a.get("contact_name")),
            duration_s=duration,
        )


def _left_out(where: str, services: int) -> Iterator[Record]:
    if services:
        yield SkippedMessages(where, "service_sender", services)
