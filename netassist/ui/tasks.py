"""The one off-thread helper (after Picard's run_task and novelWriter's runnables).

``Tasks.run(fn, *args, on_done=..., on_error=..., write=False, progress=...)`` runs ``fn`` on a
pool thread and delivers the result on the GUI thread by signal. Reads share a small pool;
database writes go to a pool of exactly one thread, so two writes never fight over SQLite's
single writer lock. Workers get plain values (a Database, paths, ids), never live Qt objects.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskProgress(QObject):
    """A core ``Progress`` that forwards to the GUI by signal and cancels by a flag.

    ``set_progress`` is called on the worker thread; the signal is queued to the GUI thread.
    ``is_cancelled`` reads a threading.Event, so cancel() from the GUI is seen at once."""

    changed = Signal(object, str)  # fraction (float or None), text
    MIN_INTERVAL_S = 0.05  # at most ~20 updates a second reach the GUI's event queue

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self._last = 0.0

    def set_progress(self, fraction: float | None, text: str = "") -> None:
        now = time.monotonic()
        if fraction is not None and 0.0 < fraction < 1.0 and now - self._last < self.MIN_INTERVAL_S:
            return
        self._last = now
        self.changed.emit(fraction, text)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                 task_id: int, tasks: Tasks) -> None:  # fmt: skip
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.task_id, self.tasks = task_id, tasks
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI, never lost
            log.exception("background task %s failed", getattr(self.fn, "__name__", "?"))
            self._emit(False, exc)
        else:
            self._emit(True, result)

    def _emit(self, ok: bool, value: Any) -> None:
        try:
            self.tasks._finished.emit(self.task_id, ok, value)  # queued to the GUI thread
        except RuntimeError:  # its window was closed while this ran; nobody to tell
            log.debug("background task finished after its window closed")


class Tasks(QObject):
    """Owns the thread pools; one instance per main window (made by the composition root).

    Results come back through one queued signal of this object (no QObject per task, so
    nothing is created or deleted across threads)."""

    busy_changed = Signal(int)  # number of tasks in flight
    task_failed = Signal(str)  # a task without its own on_error failed: say so, for a person
    _finished = Signal(int, bool, object)  # task id, ok, result or exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(2)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None,
                                         Callable[[BaseException], None] | None]] = {}  # fmt: skip
        self._next_id = itertools.count(1)
        self._finished.connect(self._deliver)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        write: bool = False,
        **kwargs: Any,
    ) -> None:
        task_id = next(self._next_id)
        self._callbacks[task_id] = (on_done, on_error)
        self.busy_changed.emit(len(self._callbacks))
        pool = self.write_pool if write else self.read_pool
        pool.start(_Runnable(fn, args, kwargs, task_id, self))

    def _deliver(self, task_id: int, ok: bool, value: Any) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        self.busy_changed.emit(len(self._callbacks))
        callback = on_done if ok else (on_error or self._report)
        if callback is None:
            return
        try:
            callback(value)
        except RuntimeError as exc:
            # the widget that asked was rebuilt (language switch) or closed meanwhile
            if "already deleted" not in str(exc):
                raise
            log.debug("result of a background task dropped: %s", exc)

    def _report(self, exc: BaseException) -> None:
        log.error("background task failed: %s", type(exc).__name__)
        self.task_failed.emit(str(exc) or type(exc).__name__)

    def busy(self) -> int:
        return len(self._callbacks)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for both pools to drain (tests, shutdown)."""
        a = self.write_pool.waitForDone(msecs)
        b = self.read_pool.waitForDone(msecs)
        return a and b
