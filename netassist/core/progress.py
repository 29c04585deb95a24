"""Progress reporting and cancellation for long jobs (imports, scoring, reports).

Long jobs take a ``progress`` argument; the GUI passes an object that forwards to a progress
bar, the CLI one that draws a text bar, tests and scripts :class:`NullProgress`.
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """Raised inside a job when its progress object reports cancellation."""


class Progress(Protocol):
    def set_progress(self, fraction: float | None, text: str = "") -> None:
        """fraction in [0, 1], or None when the total is unknown."""

    def is_cancelled(self) -> bool: ...


class NullProgress:
    """Progress that shows nothing and is never cancelled."""

    def set_progress(self, fraction: float | None, text: str = "") -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


def check_cancelled(progress: Progress) -> None:
    if progress.is_cancelled():
        raise Cancelled()
