"""Small helpers shared by the chat importers (WhatsApp, Telegram): a fast record constructor,
the local time zone, stable keys.

Why a fast constructor: a frozen slots dataclass sets every field through
``object.__setattr__`` in its generated ``__init__`` (about 1.9 µs for ImportedInteraction's
17 fields); a million-message chat spends more time there than in parsing. :func:`interaction`
builds the very same object (equal, same hash, same repr) by calling the slot descriptors
directly, about twice as fast. It is generated from ``dataclasses.fields`` so it follows any
field added to the record; a test checks it against the real constructor.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from netassist.importers.records import ImportedInteraction


def _build_fast_constructor(cls: type) -> Callable[..., Any]:
    names = [f.name for f in dataclasses.fields(cls)]
    ns: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    for n in names:
        ns[f"_s_{n}"] = getattr(cls, n).__set__
    src = (
        f"def make({', '.join(names)}):\n    o = _new(_cls)\n"
        + "".join(f"    _s_{n}(o, {n})\n" for n in names)
        + "    return o\n"
    )
    exec(compile(src, f"<fast {cls.__name__}>", "exec"), ns)
    return ns["make"]


#: interaction(fingerprint, where, occurred_at, channel, direction, counterparts, tz_status,
#:             text, subject, conversation_key, conversation_kind, conversation_title,
#:             message_id, reply_to, duration_s, weight, attachments) -> ImportedInteraction
#: All arguments positional and all required, in the dataclass field order.
interaction: Callable[..., ImportedInteraction] = _build_fast_constructor(ImportedInteraction)
INTERACTION_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ImportedInteraction))


def local_zone(name: str | None) -> tzinfo:
    """The zone for local wall-clock timestamps: ``name`` (IANA) when given, else the machine's.

    The machine's zone is taken as an IANA zone when it can be named (TZ, /etc/localtime) so
    that historical offsets and DST are right for old messages; dateutil's tzlocal otherwise.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name:
        return ZoneInfo(name)
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        try:
            return ZoneInfo(env)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            return ZoneInfo(link.split("zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    from dateutil.tz import tzlocal

    return tzlocal()


def short_hash(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=8)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()
