"""Reading Meta's (Facebook Messenger / Instagram) "Download your information" message JSON.

One conversation is a folder ``<thread>/`` with ``message_1.json``, ``message_2.json``...
(message_1 holds the newest messages; each file lists messages newest-first); exports of 2018
wrote a single ``message.json``, and the end-to-end-encrypted Messenger export names each chat's
file after the chat (``Anna Smirnova_7.json``). Two JSON shapes exist:

* the classic export: ``participants: [{"name"}]``, ``messages: [{sender_name, timestamp_ms,
  content, photos, videos, audio_files, files, gifs, sticker, share, call_duration, type,
  is_unsent, reactions}]``, ``title``, ``thread_type``, ``thread_path``. Since 2024 messages
  have no ``type`` and groups no ``thread_type``; a call is then known by its ``call_duration``. Text is UTF-8 written as
  ``\\u00XX`` escapes per byte (mojibake), repaired here;
* the end-to-end-encrypted Messenger export: ``participants: ["name"]``, ``threadName``,
  ``messages: [{senderName, timestamp, text, media, isUnsent, type}]`` in proper UTF-8.

Instagram exports of 2018-2020 are different again: see ``_meta_legacy``.

Files are streamed with ijson (a conversation of a million messages is never one Python object);
each message is reduced to a small tuple at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netassist.importers.walk import files_below

PART_RE = re.compile(r"message(?:_(\d+))?\.json", re.IGNORECASE)  # "message.json": 2018
_ATTACHMENT_LISTS = ("photos", "videos", "audio_files", "files", "gifs", "media")
_ATTACHMENT_SINGLES = ("sticker", "share")
# Membership changes are not exchanges between people.
SYSTEM_TYPES = frozenset({"subscribe", "unsubscribe"})


# A run of U+0080..U+00FF characters: one or more UTF-8 sequences when they are mojibake.
_LATIN1_RUN = re.compile("[\u0080-\u00ff]+")


def fix_mojibake(s: str) -> str:
    """Undo Meta's per-byte escaping: UTF-8 bytes written as U+0000..U+00FF characters.

    A string that is already proper Unicode (a character above U+00FF, or bytes that are not
    valid UTF-8) keeps it; a string that another tool repaired only in part (proper letters
    next to still-escaped emoji) has each escaped run that decodes to a character of three or
    more UTF-8 bytes repaired on its own.
    """
    if s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _LATIN1_RUN.sub(_fix_run, s)


def _fix_run(m: re.Match[str]) -> str:
    run = m.group()
    try:
        fixed = run.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return run
    # Only a run that yields a 3- or 4-byte character (emoji, most scripts, typographic quotes)
    # is surely mojibake: two proper Latin-1 characters can form a 2-byte sequence by chance
    # ("Fuß«" -> U+07EB).
    return fixed if any(ord(c) >= 0x800 for c in fixed) else run


@dataclass(slots=True)
class Msg:
    ts_ms: int
    sender: str | None
    text: str | None
    attachments: int
    kind: str  # lower-cased "type" ("generic", "call", "share"...) or ""
    call_duration: int | None
    unsent: bool
    part: int
    index: int  # 0-based position in its file's messages array


@dataclass(slots=True)
class Part:
    path: Path
    number: int
    participants: list[str] = field(default_factory=list)
    title: str | None = None
    thread_type: str | None = None
    thread_path: str | None = None
    messages: list[Msg] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    readable: bool = False
    where_prefix: str = ""  # "conversation 3, " in a legacy Instagram messages.json


def conversation_parts(folder: Path) -> list[Path]:
    """message_N.json files of one conversation folder, in N order."""
    found: list[tuple[int, Path]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for p in entries:
        m = PART_RE.fullmatch(p.name)
        if m and p.is_file():
            found.append((part_number(p), p))
    return [p for _, p in sorted(found)]


def part_number(p: Path) -> int:
    """N of message_N.json; 1 for the single ``message.json`` of old exports and other names."""
    m = PART_RE.fullmatch(p.name)
    return int(m.group(1)) if m and m.group(1) else 1


#: How far below a folder its message_N.json may be for the folder to be a Meta export as a
#: whole: root / your_facebook_activity / messages / inbox / <thread> / message_1.json. A folder
#: holding an export deeper down is walked file by file, so its other files are imported too.
EXPORT_DEPTH = 5


def find_conversations(path: Path, max_depth: int | None = None) -> list[list[Path]]:
    """The conversations a user's path means: a part file (all its siblings), a conversation
    folder, or any folder above conversation folders (inbox/, messages/, the export root); with
    ``max_depth`` only part files that many folders below count (see ``EXPORT_DEPTH``)."""
    path = path.absolute()  # the folder name keys the conversation: "message_1.json" alone has none
    if path.is_file():
        if PART_RE.fullmatch(path.name):
            return [conversation_parts(path.parent) or [path]]
        return [[path]]
    if not path.is_dir():
        return []
    own = conversation_parts(path)
    if own:
        return [own]
    parts = (
        path.rglob("message*.json")
        if max_depth is None
        else files_below(path, "message*.json", max_depth)
    )
    folders = sorted({p.parent for p in parts if PART_RE.fullmatch(p.name)})
    found = [parts for parts in (conversation_parts(f) for f in folders) if parts]
    if found:
        return found
    # The end-to-end-encrypted export: one file per chat, named after it, a level or two down.
    found: list[list[Path]] = []
    for looked, p in enumerate(files_below(path, "*.json", E2EE_MAX_DEPTH), 1):
        if looked > E2EE_MAX_FILES:
            return found
        if p.is_file() and _reads_like_chat(p):
            found.append([p])
    return found


E2EE_MAX_DEPTH = 3  # folders below the one given
E2EE_MAX_FILES = 20_000  # JSON files opened at most, so a folder of unrelated JSON stays cheap


def _reads_like_chat(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return False
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return body.startswith(b"{") and b'"messages"' in head and b'"participants"' in head


def _as_int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v == v and abs(v) < 1e18:
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def _count_attachments(d: dict[str, Any]) -> int:
    n = 0
    for key in _ATTACHMENT_LISTS:
        v = d.get(key)
        if isinstance(v, list):
            n += len(v)
    for key in _ATTACHMENT_SINGLES:
        if isinstance(d.get(key), dict):
            n += 1
    return n


def to_msg(d: Any, part: int, index: int) -> Msg | str:
    """A compact message, or the reason (for a person) why this record cannot be used."""
    if not isinstance(d, dict):
        return "message is not a JSON object"
    ts = _as_int(d.get("timestamp_ms"))
    if ts is None:
        ts = _as_int(d.get("timestamp"))
        # Exports before 2018 wrote "timestamp" in seconds; the E2EE export in milliseconds.
        if ts is not None and abs(ts) < 100_000_000_000:
            ts *= 1000
    if ts is None:
        return "message has no timestamp"
    if not -62_000_000_000_000 < ts < 253_000_000_000_000:
        return f"timestamp {ts} is out of range"
    raw_sender = d.get("sender_name", d.get("senderName"))
    sender = fix_mojibake(raw_sender).strip() if isinstance(raw_sender, str) else None
    raw_text = d.get("content", d.get("text"))
    text = fix_mojibake(raw_text) if isinstance(raw_text, str) and raw_text else None
    kind = d.get("type")
    kind = kind.casefold() if isinstance(kind, str) else ""
    call_duration = _as_int(d.get("call_duration"))
    if not kind and call_duration is not None:
        # Exports since 2024 dropped "type"; a call still carries its call_duration
        # ("The video call ended.", "You missed a video call with ...": 0 seconds).
        kind = "call"
    unsent = bool(d.get("is_unsent") or d.get("isUnsent"))
    return Msg(
        ts_ms=ts,
        sender=sender or None,
        text=None if unsent else text,
        attachments=_count_attachments(d),
        kind=kind,
        call_duration=call_duration,
        unsent=unsent,
        part=part,
        index=index,
    )


def _participant_names(value: Any) -> list[str]:
    names: list[str] = []
    if isinstance(value, list):
        for item in value:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and name.strip():
                names.append(fix_mojibake(name).strip())
    return names


MAX_DEPTH = 64  # Meta's JSON is a few levels deep; deeper input is hostile


class _TooDeep(Exception):
    pass


def _keep(part: Part, got: Any, where: str, on_message: Any) -> None:
    """A message read from a stream (or, as a string, why it could not be)."""
    if isinstance(got, str):
        part.problems.append((where, got))
    else:
        part.messages.append(got)
        if on_message is not None:
            on_message()


_OPENING = ("start_map", "start_array")
_CLOSING = ("end_map", "end_array")


def _with_depth(events: Any, depth: int = 0) -> Iterator[tuple[str, Any, int, int]]:
    """ijson ``basic_parse`` events with the nesting depth before and after each; nesting
    deeper than ``MAX_DEPTH`` raises ``_TooDeep``."""
    for event, value in events:
        before = depth
        if event in _OPENING:
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep()
        elif event in _CLOSING:
            depth -= 1
        yield event, value, before, depth


WHOLE_FILE_LIMIT = 32 * 1024 * 1024  # Meta splits at ~10,000 messages: real parts are small


def read_part(path: Path, number: int, on_message: Any = None) -> Part:
    """Read one message_N.json: small files at once with orjson (fast, and it refuses nesting
    deeper than 1024), big ones streamed."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        part = Part(path=path, number=number)
        part.problems.append((path.name, f"cannot read the file ({exc})"))
        return part
    if size > WHOLE_FILE_LIMIT:
        return stream_part(path, number, on_message)
    import orjson

    part = Part(path=path, number=number)
    try:
        data = orjson.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError:
        return stream_part(path, number, on_message)  # keeps what precedes the damage
    if not isinstance(data, dict):
        part.problems.append((path.name, "not a JSON object with messages"))
        return part
    part.readable = True
    for key, value in data.items():
        if key != "messages":
            _take_header(part, key, value)
    messages = data.get("messages")
    if not isinstance(messages, list):
        part.problems.append((path.name, "no list of messages"))
        return part
    for index, raw in enumerate(messages):
        got = to_msg(raw, number, index)
        if isinstance(got, str):
            part.problems.append((f"{path.name}: message {index + 1}", got))
        else:
            part.messages.append(got)
            if on_message is not None:
                on_message()
    return part


def stream_part(path: Path, number: int, on_message: Any = None) -> Part:
    """Stream one message_N.json. Malformed JSON ends the part with a problem; what was read
    before stays.

    Uses ijson's ``basic_parse`` (no prefix strings, which grow with nesting) and tracks the
    depth itself, so a hostile deeply nested file is refused instead of eating memory.
    """
    import ijson  # lazy: only chat imports need it
    from ijson.common import ObjectBuilder

    part = Part(path=path, number=number)
    top_key: str | None = None
    builder: ObjectBuilder | None = None
    index = 0
    try:
        with open(path, "rb") as fh:
            head = fh.read(3)
            if head != b"\xef\xbb\xbf":  # a UTF-8 BOM (seen in the wild) is skipped
                fh.seek(0)
            events = ijson.basic_parse(fh, use_float=True)
            first = next(events, None)
            if first is None or first[0] != "start_map":
                part.problems.append((path.name, "not a JSON object with messages"))
                return part
            part.readable = True
            for event, value, before, depth in _with_depth(events, 1):
                if before == 1:  # directly inside the root object
                    if event == "map_key":
                        top_key = value
                        builder = None if value == "messages" else ObjectBuilder()
                        continue
                    if builder is not None:  # a header value starts (or is a scalar)
                        builder.event(event, value)
                        if event not in _OPENING:
                            _take_header(part, top_key, builder.value)
                            builder = None
                    continue
                if top_key != "messages":
                    if builder is not None:
                        builder.event(event, value)
                        if depth == 1:
                            _take_header(part, top_key, builder.value)
                            builder = None
                    continue
                if before == 2:  # an element of the messages array
                    if event == "start_map":
                        fresh = ObjectBuilder()
                        fresh.event(event, value)
                        builder = fresh
                    elif event != "end_array":
                        part.problems.append(
                            (f"{path.name}: message {index + 1}", "message is not a JSON object")
                        )
                        index += 1
                    continue
                if builder is None:
                    continue  # inside a non-object element, skipped
                builder.event(event, value)
                if depth == 2:  # the message object closed
                    got = to_msg(builder.value, number, index)
                    _keep(part, got, f"{path.name}: message {index + 1}", on_message)
                    index += 1
                    builder = None
    except _TooDeep:
        part.problems.append((path.name, f"JSON nested deeper than {MAX_DEPTH} levels; stopped"))
    except Exception as exc:  # ijson raises several error types for broken input
        if part.readable or part.messages:
            part.problems.append((path.name, f"the file is cut short or broken ({exc})"))
        else:
            part.problems.append((path.name, f"not readable as JSON ({exc})"))
    return part


def _take_header(part: Part, key: str | None, value: Any) -> None:
    if key == "participants":
        part.participants = _participant_names(value)
    elif key in ("title", "threadName") and isinstance(value, str):
        part.title = fix_mojibake(value).strip() or None
    elif key == "thread_type" and isinstance(value, str):
        part.thread_type = value
    elif key == "thread_path" and isinstance(value, str):
        part.thread_path = value


_PARTICIPANTS_RE = re.compile(rb'"participants"\s*:\s*\[(.{0,20000}?)\]', re.DOTALL)
_NAME_RE = re.compile(rb'"name"\s*:\s*("(?:[^"\\]|\\.)*")')
_STR_RE = re.compile(rb'"(?:[^"\\]|\\.)*"')


def sibling_participants(conversation_folder: Path, limit: int = 300) -> Iterator[frozenset[str]]:
    """Participant sets of the other conversations next to this one (cheap: file heads only).

    Used to find "me": the one person who is in every conversation of an export.
    """
    parent = conversation_folder.parent
    try:
        siblings = sorted(p for p in parent.iterdir() if p.is_dir() and p != conversation_folder)
    except OSError:
        return
    for folder in siblings[:limit]:
        first = folder / "message_1.json"
        if not first.is_file():
            first = folder / "message.json"
        if not first.is_file():
            continue
        try:
            with open(first, "rb") as fh:
                head = fh.read(32 * 1024)
        except OSError:
            continue
        m = _PARTICIPANTS_RE.search(head)
        if not m:
            continue
        inner = m.group(1)
        raw = _NAME_RE.findall(inner) or _STR_RE.findall(inner)
        names: set[str] = set()
        for token in raw:
            try:
                name = json.loads(token)
            except ValueError:
                continue
            if isinstance(name, str) and name.strip():
                names.add(fix_mojibake(name).strip())
        if names:
            yield frozenset(names)


_PROFILE_FILES = (
    "personal_information/profile_information/profile_information.json",  # Facebook
    "profile_information/profile_information.json",  # Facebook before 2022
    "personal_information/personal_information/personal_information.json",  # Instagram
    "account_information/personal_information.json",  # Instagram before 2022
    "profile.json",  # Instagram 2018-2020, next to the legacy messages.json
)


def profile_names(conversation_folder: Path, levels: int = 6) -> list[str]:
    """The account owner's names from the export's own profile file, looked for above the
    conversation folder (Facebook ``profile_v2.name.full_name``; Instagram ``Name`` and
    ``Username``). Empty when the export was unpacked without it."""
    import orjson

    folder = conversation_folder
    for _ in range(levels):
        folder = folder.parent
        for rel in _PROFILE_FILES:
            candidate = folder / rel
            try:
                if not candidate.is_file() or candidate.stat().st_size > 4 * 1024 * 1024:
                    continue
                data = orjson.loads(candidate.read_bytes())
            except (OSError, orjson.JSONDecodeError):
                continue
            names = _names_in_profile(data)
            if names:
                return names
        if folder.parent == folder:
            break
    return []


def _names_in_profile(data: Any) -> list[str]:
    names: list[str] = []
    if not isinstance(data, dict):
        return names
    for key in ("profile_v2", "profile"):
        prof = data.get(key)
        name = prof.get("name") if isinstance(prof, dict) else None
        full = name.get("full_name") if isinstance(name, dict) else None
        if isinstance(full, str) and full.strip():
            names.append(fix_mojibake(full).strip())
    for key in ("username", "name"):  # Instagram 2018-2020 profile.json
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            names.append(value.strip())
    users = data.get("profile_user")
    if isinstance(users, list):
        for user in users:
            smd = user.get("string_map_data") if isinstance(user, dict) else None
            if not isinstance(smd, dict):
                continue
            for field in ("Name", "Username", "Имя", "Имя пользователя"):
                entry = smd.get(field)
                value = entry.get("value") if isinstance(entry, dict) else None
                if isinstance(value, str) and value.strip():
                    names.append(fix_mojibake(value).strip())
    return names
