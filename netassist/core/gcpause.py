"""Bulk work with Python's cyclic garbage collector paused."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run a block with the cyclic collector off; reference counting still frees everything
    that is not in a cycle, and the collector resumes (and catches up by itself) after.

    An import allocates hundreds of thousands of long-lived objects without cycles (records,
    rows, duplicate-search profiles), and every full collection walks all of them again: about
    a tenth of a 100k-card import's CPU time. Nested and concurrent uses (the window's import
    worker and another job) are counted: the collector comes back when the last one ends, and
    only if it was on before the first began."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
