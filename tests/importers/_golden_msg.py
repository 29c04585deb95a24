"""Golden-file helpers for the chat importers' tests (records -> JSON, compare to expected).

Set NETASSIST_UPDATE_GOLDEN=1 to rewrite the expected files (then review the diff by hand).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from netassist.importers.records import (
    ImportedContact,
    ImportedInteraction,
    ImportProblem,
    MeHint,
    Record,
    SkippedMessages,
)

_KIND = {
    ImportedInteraction: "interaction",
    ImportProblem: "problem",
    MeHint: "me",
    ImportedContact: "contact",
    SkippedMessages: "left_out",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def records_to_json(records: Iterable[Record]) -> list[dict[str, Any]]:
    out = []
    for r in records:
        d = _plain(r)
        d["record"] = _KIND[type(r)]
        out.append(d)
    return out


def check_golden(records: Iterable[Record], expected: Path) -> list[dict[str, Any]]:
    got = records_to_json(records)
    if os.environ.get("NETASSIST_UPDATE_GOLDEN"):
        expected.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(expected.read_text(encoding="utf-8"))
    assert got == want, f"records differ from {expected.name}"
    return got


def interactions(records: Iterable[Record]) -> list[ImportedInteraction]:
    return [r for r in records if isinstance(r, ImportedInteraction)]
