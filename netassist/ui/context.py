"""What the composition root hands to the main window: plain services, no Qt objects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netassist.core.db import Database
from netassist.core.settings import Settings


@dataclass
class AppContext:
    home: Path
    db: Database
    settings: Settings
