"""Fixtures shared by the core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.core.db import open_database


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, empty netassist database in a real file (unencrypted)."""
    d = open_database(tmp_path / "t.db")
    yield d
    d.dispose()
