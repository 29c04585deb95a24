"""Instagram exports of 2018-2020: one ``messages.json`` at the export root, an array of
``{participants: ["username"], conversation: [{sender, created_at (ISO 8601 with zone), text,
media_share_url, story_share, heart, likes...}]}``, newest first, proper UTF-8. Read into the
same :class:`~netassist.importers._meta_json.Part` records as the later exports, streamed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netassist.importers._meta_json import (
    _OPENING,
    MAX_DEPTH,
    Msg,
    Part,
    _keep,
    _participant_names,
    _TooDeep,
    _with_depth,
)

_LEGACY_ATTACHMENTS = (
    "media", "media_url", "media_share_url", "story_share", "link", "profile_share_username",
    "voice_media", "animated_media_images",
)  # fmt: skip


def looks_like_legacy_instagram(head: bytes) -> bool:
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return (
        body.startswith(b"[")
        and b'"conversation"' in head
        and b'"participants"' in head
        and b'"created_at"' in head
    )


def legacy_instagram_file(path: Path) -> Path | None:
    """The legacy ``messages.json`` the user's path means (the file, or the export root holding
    it), or None."""
    path = path.absolute()
    candidates = [path] if path.is_file() else [path / "messages.json"]
    for candidate in candidates:
        try:
            with open(candidate, "rb") as fh:
                head = fh.read(64 * 1024)
        except OSError:
            continue
        if looks_like_legacy_instagram(head):
            return candidate
    return None


def _legacy_msg(d: Any, conv: int, index: int) -> Msg | str:
    from datetime import datetime

    if not isinstance(d, dict):
        return "message is not a JSON object"
    raw = d.get("created_at")
    if not isinstance(raw, str):
        return "message has no created_at time"
    try:
        when = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return f"created_at {raw[:40]!r} is not a time"
    if when.tzinfo is None:
        return f"created_at {raw[:40]!r} has no time zone"
    sender = d.get("sender")
    text = d.get("text") or d.get("heart")  # a sent heart has no text
    attachments = sum(1 for key in _LEGACY_ATTACHMENTS if d.get(key))
    return Msg(
        ts_ms=round(when.timestamp() * 1000),
        sender=sender.strip() or None if isinstance(sender, str) else None,
        text=text if isinstance(text, str) and text else None,
        attachments=attachments,
        kind="",
        call_duration=None,
        unsent=False,
        part=conv,
        index=index,
    )


def read_legacy_instagram(path: Path, on_message: Any = None) -> list[Part]:
    """One Part per conversation of a legacy ``messages.json``; a conversation without
    participants is keyed by its senders.

    Streamed like :func:`stream_part`: ijson's ``basic_parse`` with our own depth count, each
    message built alone, so a big file is never one Python object and a hostile deeply nested
    one is refused."""
    import ijson
    from ijson.common import ObjectBuilder

    parts: list[Part] = []
    part: Part | None = None
    key: str | None = None  # the conversation's key being read (depth 2)
    builder: ObjectBuilder | None = None
    index = 0

    def finish(conv: Part) -> None:
        names = conv.participants or sorted({m.sender for m in conv.messages if m.sender})
        conv.thread_path = "legacy/" + "+".join(sorted(n.casefold() for n in names))
        if not conv.readable:
            conv.problems.append(
                (f"{path.name}: conversation {conv.number}", "no list of messages")
            )

    try:
        with open(path, "rb") as fh:
            if fh.read(3) != b"\xef\xbb\xbf":
                fh.seek(0)
            for event, value, before, depth in _with_depth(ijson.basic_parse(fh, use_float=True)):
                if before == 1:  # an element of the top array: a conversation
                    if event == "end_array":
                        continue
                    n = len(parts) + 1
                    part = Part(path=path, number=n, where_prefix=f"conversation {n}, ")
                    parts.append(part)
                    if event != "start_map":
                        part.problems.append((f"{path.name}: conversation {n}", "not an object"))
                        part = None
                    continue
                if part is None:
                    continue
                if before == 2:  # directly inside a conversation object
                    if event == "end_map":
                        finish(part)
                        part = None
                    elif event == "map_key":
                        key = value
                        builder = ObjectBuilder() if value == "participants" else None
                        if value == "conversation":
                            index = 0
                    elif key == "participants" and builder is not None:
                        builder.event(event, value)
                        if event not in _OPENING:
                            builder = None
                    elif key == "conversation" and event == "start_array":
                        part.readable = True
                    continue
                if key == "participants" and builder is not None:
                    builder.event(event, value)
                    if depth == 2:
                        part.participants = _participant_names(builder.value)
                        builder = None
                    continue
                if key != "conversation" or not part.readable:
                    continue
                if before == 3:  # an element of the conversation array: a message
                    if event == "start_map":
                        builder = ObjectBuilder()
                        builder.event(event, value)
                    elif event != "end_array":
                        where = f"{path.name}: conversation {part.number}, message {index + 1}"
                        part.problems.append((where, "message is not a JSON object"))
                        index += 1
                    continue
                if builder is None:
                    continue
                builder.event(event, value)
                if depth == 3:  # the message object closed
                    got = _legacy_msg(builder.value, part.number, index)
                    where = f"{path.name}: conversation {part.number}, message {index + 1}"
                    _keep(part, got, where, on_message)
                    index += 1
                    builder = None
    except _TooDeep:
        _legacy_problem(parts, path, f"JSON nested deeper than {MAX_DEPTH} levels; stopped")
    except Exception as exc:  # ijson raises several error types for broken input
        _legacy_problem(parts, path, f"the file is cut short or broken ({exc})")
    if part is not None:  # cut short inside a conversation: keep what was read
        finish(part)
    return parts


def _legacy_problem(parts: list[Part], path: Path, reason: str) -> None:
    if not parts:
        parts.append(Part(path=path, number=1))
    parts[-1].problems.append((path.name, reason))
