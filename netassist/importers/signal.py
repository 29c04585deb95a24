"""Signal Desktop chats as written by signal-export (``sigexport``).

signal-export writes one folder per chat, named after the contact or group, holding
``chat.md`` (``[2019-05-29 15:04:11] Me: text`` lines; older versions
``[2019-05-29, 15:04] Me: text``; continuation lines belong to the message above) and
``data.json`` (one JSON object per line: ``date`` ISO local time, ``sender``, ``body``,
``quote``, ``sticker``, ``reactions``, ``attachments``, ``deleted``). Quotes ("> ..."), the
reactions line "(- Name: emoji -)" and sticker marks "(( emoji ))" are not the message's own
words and are left out; attachment links ``[name](./media/...)`` are counted.

"No-Sender" is signal-export's author of what it could not attribute: without text (group,
timer and safety-number notices) it is skipped; with text it is the partner of a 1:1 chat, and a
problem in a group. Media names may hold parentheses ("Image_(1).jpg").

A path to a chat file imports it; a chat folder imports its data.json (else chat.md); a folder of
chat folders imports each. "Me" (as signal-export names the user) and ``ImportOptions.me_names``
mark my messages. A chat with more than one other author is a group (weight 0.4; my messages
there answer the previous other author). Call lines ("Incoming voice call (accepted, 1m 5s)")
become channel "call". The export has local wall-clock times: they are read in
``ImportOptions.local_timezone`` (else the machine's zone), tz_status "local". There are no
message ids; fingerprints hash chat name, time, sender, text and an occurrence counter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from netassist.core.progress import Progress, check_cancelled
from netassist.importers._msg_common import (
    GROUP_WEIGHT,
    GroupReplyTracker,
    OccurrenceCounter,
    content_fingerprint,
    fold_name,
    local_to_utc,
    resolve_zone,
)
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.records import (
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    Party,
    Record,
)

_LINE_RE = re.compile(
    r"^\[(?P<date>\d{4}-\d{2}-\d{2}),? (?P<time>\d{1,2}:\d{2}(?::\d{2})?)\] (?P<sender>[^:\n]{1,200}): ?"
)
_HEAD_RE = re.compile(
    rb"^\s*\[\d{4}-\d{2}-\d{2},? \d{1,2}:\d{2}(?::\d{2})?\] [^:\n]{1,200}:", re.MULTILINE
)
_ATTACH_RE = re.compile(  # media names often hold "(1)": one level of parentheses is allowed
    r"!?\[[^\]\n]*\]\((?:\./|\.\./)?(?:media|exported_stickers)/(?:[^()\n]|\([^()\n]*\))*\)"
)
_REACTIONS_RE = re.compile(r"\n?\(- .* -\)\s*$")
_STICKER_RE = re.compile(r"\n?\(\( .* \)\)\s*$")
_CALL_RE = re.compile(
    r"^(?P<dir>Incoming|Outgoing|Missed) (?:(?:voice|video|audio) )?call\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_DURATION_RE = re.compile(r"(?:(\d+)m\s*)?(\d+)s\b")
_DELETED = "(This message was deleted)"
ME_NAMES = ("me",)
# signal-export's author of a message it could not attribute: group and safety-number updates,
# timer changes (no text), or a 1:1 chat whose contact is gone from Signal's database.
NO_SENDER = "no-sender"
_NOTE_TO_SELF = "note to self"


@dataclass(slots=True)
class SigMsg:
    when: datetime  # naive local wall time
    sender: str
    body: str
    line: int
    attachments: int = 0


def _clean_body(body: str) -> tuple[str | None, int]:
    """Own words of a message and its attachment count."""
    attachments = len(_ATTACH_RE.findall(body))
    text = _ATTACH_RE.sub("", body)
    text = _REACTIONS_RE.sub("", text.rstrip())
    text = _STICKER_RE.sub("", text.rstrip())
    kept = [ln.rstrip() for ln in text.split("\n") if not ln.lstrip().startswith(">")]
    joined = "\n".join(kept).strip()
    if joined == _DELETED:
        return None, attachments
    return joined or None, attachments


def _parse_when(date_s: str, time_s: str) -> datetime | None:
    fmt = "%Y-%m-%d %H:%M:%S" if time_s.count(":") == 2 else "%Y-%m-%d %H:%M"
    try:
        return datetime.strptime(f"{date_s} {time_s}", fmt)
    except ValueError:
        return None


def read_markdown(path: Path, problems: list[tuple[int, str]]) -> Iterator[SigMsg]:
    current: SigMsg | None = None
    with open(path, encoding="utf-8-sig", errors="replace", newline=None) as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            m = _LINE_RE.match(line)
            if m:
                when = _parse_when(m.group("date"), m.group("time"))
                if when is None:
                    problems.append(
                        (lineno, f"'{m.group('date')} {m.group('time')}' is not a date")
                    )
                    continue
                if current is not None:
                    yield current
                current = SigMsg(when, m.group("sender").strip(), line[m.end() :], lineno)
            elif current is not None:
                if len(current.body) < 1_000_000:  # a giant message is cut, not held whole
                    current.body += "\n" + line
            elif line.strip():
                problems.append((lineno, "text before the first message"))
    if current is not None:
        yield current


def read_json_lines(path: Path, problems: list[tuple[int, str]]) -> Iterator[SigMsg]:
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError:
                problems.append((lineno, "line is not JSON"))
                continue
            if not isinstance(d, dict):
                problems.append((lineno, "line is not a JSON object"))
                continue
            try:
                when = datetime.fromisoformat(str(d.get("date")))
            except ValueError:
                problems.append((lineno, f"'{d.get('date')}' is not a date"))
                continue
            sender = d.get("sender")
            if not isinstance(sender, str) or not sender.strip():
                problems.append((lineno, "message has no sender"))
                continue
            body = d.get("body") if isinstance(d.get("body"), str) else ""
            if d.get("deleted"):
                body = _DELETED
            atts = d.get("attachments")
            msg = SigMsg(when.replace(tzinfo=None), sender.strip(), body or "", lineno)
            msg.attachments = len(atts) if isinstance(atts, list) else 0
            yield msg


def _chat_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    for name in ("data.json", "chat.md"):
        if (path / name).is_file():
            return [path / name]
    found: list[Path] = []
    for sub in sorted(p for p in path.iterdir() if p.is_dir()):
        for name in ("data.json", "chat.md"):
            if (sub / name).is_file():
                found.append(sub / name)
                break
    return found


def _is_json_lines(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \r\n").split(b"\n", 1)[0]
    return first.startswith(b"{") and b'"sender"' in first and b'"date"' in first


class SignalImporter(Importer):
    name = "signal"
    label = "Signal (signal-export chat.md / data.json)"
    patterns = ("chat.md", "data.json", "*.md", "*.txt")

    def sniff(self, path: Path, head: bytes) -> int:
        if path.is_dir():
            files = _chat_files(path)
            if not files:
                return 0
            path = files[0]
            try:
                head = path.open("rb").read(64 * 1024)
            except OSError:
                return 0
        if _is_json_lines(head) and b'"body"' in head:
            return 90 if path.name == "data.json" else 70
        if _HEAD_RE.search(head[:4096]):
            return 90 if path.name == "chat.md" else 70
        return 0

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        opts = options or ImportOptions()
        prog = ensure_progress(progress)
        zone = resolve_zone(opts.local_timezone)
        me = {fold_name(n) for n in (*ME_NAMES, *opts.me_names) if n.strip()}
        files = _chat_files(path)
        if not files:
            raise FormatError(f"{path.name}: no signal-export chat found")
        tracker = GroupReplyTracker()
        parsed = 0
        for n, file in enumerate(files):
            prog.set_progress(n / len(files), file.parent.name)
            title = file.parent.name if file.name in ("chat.md", "data.json") else file.stem
            if fold_name(title) == _NOTE_TO_SELF:
                continue  # messages to myself are no exchange with anybody
            with open(file, "rb") as fh:
                as_json = _is_json_lines(fh.read(4096))
            reader = read_json_lines if as_json else read_markdown
            problems: list[tuple[int, str]] = []
            senders = {fold_name(m.sender): m.sender for m in reader(file, [])}
            senders.pop(NO_SENDER, None)
            others = {k: v for k, v in senders.items() if k not in me}
            parsed += len(senders)
            # Two authors and neither is me: a private chat exported under other names.
            group = len(others) > 2 or (len(others) == 2 and len(others) < len(senders))
            if len(others) == 2 and not group:
                yield ImportProblem(
                    where=f"{file.parent.name}/{file.name}",
                    reason=(
                        "could not tell which author is you; every message is imported as "
                        "incoming (set your name as 'me' and import again)"
                    ),
                )
            other = next(iter(others.values())) if len(others) == 1 else title
            key = f"signal:{title}"
            occurrences = OccurrenceCounter()
            for i, msg in enumerate(reader(file, problems)):
                if i % 2000 == 0:
                    check_cancelled(prog)
                where = f"{file.parent.name}/{file.name}:{msg.line}"
                text, links = _clean_body(msg.body)
                attachments = msg.attachments or links
                mine = fold_name(msg.sender) in me
                hold = False
                if fold_name(msg.sender) == NO_SENDER:
                    if text is None and not attachments:
                        continue  # an update notice (group, timer, safety number), no message
                    if group:
                        problems.append((msg.line, "a group message whose author is unknown"))
                        continue
                    counterparts = (Party(name=other),)  # the chat's only other person
                elif mine:
                    if group:
                        answered = tracker.answered(key)
                        hold = answered is None  # nobody to answer yet: the first who writes
                        counterparts: tuple[Party, ...] = (answered,) if answered else ()
                    else:
                        counterparts = (Party(name=other),)
                else:
                    author = Party(name=msg.sender)
                    counterparts = (author,)
                    if group:
                        tracker.saw(key, author)
                channel, duration = "signal", None
                call = _CALL_RE.match(text or "")
                if call:
                    channel = "call"
                    d = _DURATION_RE.search(call.group("rest"))
                    duration = (int(d.group(1) or 0) * 60 + int(d.group(2))) if d else 0
                nth = occurrences.next(msg.when, msg.sender, text)
                rec = ImportedInteraction(
                    fingerprint=content_fingerprint(
                        "signal", title, msg.when.isoformat(), msg.sender, text or "", nth
                    ),
                    where=where,
                    occurred_at=local_to_utc(msg.when, zone),
                    channel=channel,
                    direction="out" if mine else "in",
                    counterparts=counterparts,
                    tz_status="local",
                    text=text,
                    conversation_key=key,
                    conversation_kind="group" if group else "private",
                    conversation_title=title,
                    duration_s=duration,
                    weight=GROUP_WEIGHT if group else 1.0,
                    attachments=attachments,
                )
                if group:
                    yield from tracker.pass_on(key, rec, hold=hold, mine=mine)
                else:
                    yield rec
            for lineno, reason in problems:
                yield ImportProblem(where=f"{file.parent.name}/{file.name}:{lineno}", reason=reason)
        if not parsed:
            raise FormatError(f"{path.name}: no Signal messages could be read")
        prog.set_progress(1.0, "")
