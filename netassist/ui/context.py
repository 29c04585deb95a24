"""What the composition root hands to the main window: plain services, no Qt objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from netassist.core.db import Database
from netassist.core.settings import Settings


@dataclass
class AppContext:
    home: Path
    db: Database
    settings: Settings
    # work that touches the database outside the window's Tasks (the reminder scheduler):
    # each hook is called with True to pause it and False to resume it, around swapping the
    # database file for one under another key (netassist.ui.dialogs.security)
    background: list[Callable[[bool], None]] = field(default_factory=list)
