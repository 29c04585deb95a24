"""Golden files for the CSV contacts importer (serializer shared with the vCard goldens)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.importers.csv_contacts import CsvContactsImporter
from tests.importers.test_vcard_golden import FIXTURES, check_golden


@pytest.mark.parametrize("case", sorted((FIXTURES / "csv").glob("*.csv")), ids=lambda p: p.name)
def test_csv_golden(case: Path) -> None:
    check_golden(CsvContactsImporter(), case)
