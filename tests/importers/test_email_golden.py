"""Golden-file tests for the mail and calendar importers on our own small fixtures.

Each input under fixtures/{mbox,eml,ics} has ``<name>.expected.json`` next to it: every record
the importer yields (in order) plus its skip counters. Regenerate after an intended change with
``NETASSIST_UPDATE_GOLDEN=1 pytest tests/importers/test_email_golden.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netassist.importers.base import Importer
from netassist.importers.email_eml import EmlImporter
from netassist.importers.email_mbox import MboxImporter
from netassist.importers.ics import IcsImporter

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 1, 1, tzinfo=UTC)  # recurring events expand up to here
UPDATE = os.environ.get("NETASSIST_UPDATE_GOLDEN") == "1"

CASES: list[tuple[str, type[Importer]]] = [
    *((f"mbox/{p.name}", MboxImporter) for p in sorted((FIXTURES / "mbox").glob("*.mbox"))),
    *((f"eml/{p.name}", EmlImporter) for p in sorted((FIXTURES / "eml").glob("*.eml"))),
    *((f"ics/{p.name}", IcsImporter) for p in sorted((FIXTURES / "ics").glob("*.ics"))),
]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(importer: Importer, path: Path) -> dict[str, Any]:
    records = []
    for rec in importer.parse(path):
        row = {"type": type(rec).__name__}
        row.update(_plain(dataclasses.asdict(rec)))
        records.append(row)
    counters = {
        k: getattr(importer, k) for k in ("skipped_bulk", "skipped_self") if hasattr(importer, k)
    }
    return {"records": records, **counters}


@pytest.mark.parametrize(("case", "cls"), CASES, ids=[c for c, _ in CASES])
def test_golden(case: str, cls: type[Importer]) -> None:
    path = FIXTURES / case
    got = snapshot(cls(now=NOW), path)  # type: ignore[call-arg]
    expected_path = path.with_name(path.name + ".expected.json")
    if UPDATE or not expected_path.exists():
        expected_path.write_text(
            json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {expected_path.name}; review and commit it")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected


def test_every_fixture_has_a_case() -> None:
    inputs = {
        f"{p.parent.name}/{p.name}"
        for fmt in ("mbox", "eml", "ics")
        for p in (FIXTURES / fmt).rglob("*")
        if p.is_file() and not p.name.endswith(".expected.json")
    }
    assert inputs == {c for c, _ in CASES}
