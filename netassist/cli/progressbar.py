"""A text progress bar on stderr for long CLI jobs (only when stderr is a terminal)."""

from __future__ import annotations

import sys
import time


class TextProgress:
    def __init__(self, label: str, stream: object = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = 0.0
        self._shown = False

    def set_progress(self, fraction: float | None, text: str = "") -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and fraction not in (0.0, 1.0):
            return
        self._last = now
        if fraction is None:
            line = f"{self.label}: {text}"
        else:
            n = int(max(0.0, min(1.0, fraction)) * 30)
            line = f"{self.label} [{'#' * n}{'.' * (30 - n)}] {fraction * 100:3.0f}% {text}"
        self.stream.write("\r" + line[:100].ljust(100))  # type: ignore[attr-defined]
        self.stream.flush()  # type: ignore[attr-defined]
        self._shown = True

    def done(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * 100 + "\r")  # type: ignore[attr-defined]
            self._shown = False

    def is_cancelled(self) -> bool:
        return False
