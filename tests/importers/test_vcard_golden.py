"""Golden files: every fixture ``case.vcf`` / ``case.csv`` next to ``case.<ext>.expected.json``.

Regenerate after a deliberate change with ``NETASSIST_UPDATE_GOLDEN=1 pytest tests/importers``
and review the diff.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from netassist.importers.base import Importer
from netassist.importers.vcard import VCardImporter

FIXTURES = Path(__file__).parent / "fixtures"


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest(), "len": len(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def serialise(importer: Importer, path: Path) -> list[dict[str, Any]]:
    """Records as JSON-able dicts (type name + every field; bytes as sha256)."""
    out = []
    for rec in importer.parse(path):
        d = _plain(rec)
        d = {"type": type(rec).__name__, **d}
        out.append(d)
    return out


def check_golden(importer: Importer, case: Path) -> None:
    expected_path = case.with_name(case.name + ".expected.json")
    got = serialise(importer, case)
    if os.environ.get("NETASSIST_UPDATE_GOLDEN") == "1":
        expected_path.write_text(
            json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    if not expected_path.exists():
        pytest.fail(f"{expected_path.name} missing: run with NETASSIST_UPDATE_GOLDEN=1, review it")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected


@pytest.mark.parametrize("case", sorted((FIXTURES / "vcard").glob("*.vcf")), ids=lambda p: p.name)
def test_vcard_golden(case: Path) -> None:
    check_golden(VCardImporter(), case)
