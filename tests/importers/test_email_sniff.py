"""Each mail/calendar fixture is claimed by the right importer (highest sniff wins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.importers.base import Importer, read_head
from netassist.importers.email_eml import EmlImporter
from netassist.importers.email_mbox import MboxImporter
from netassist.importers.ics import IcsImporter

FIXTURES = Path(__file__).parent / "fixtures"
OWNERS: dict[str, type[Importer]] = {"mbox": MboxImporter, "eml": EmlImporter, "ics": IcsImporter}
INPUTS = sorted(
    p for p in FIXTURES.glob("*/*") if p.parent.name in OWNERS and not p.name.endswith(".json")
)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_right_importer_wins(path: Path) -> None:
    head = read_head(path)
    scores = {cls: cls().sniff(path, head) for cls in OWNERS.values()}
    best = max(scores, key=lambda c: scores[c])
    assert best is OWNERS[path.parent.name] and scores[best] >= 70


def test_names_are_distinct() -> None:
    assert sorted(cls.name for cls in OWNERS.values()) == ["eml", "ics", "mbox"]


def test_plain_text_is_nobodys(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("Dear diary,\nFrom today on I write every day.\n")
    assert all(cls().sniff(p, read_head(p)) == 0 for cls in OWNERS.values())
