"""The import page's "who am I" step: pre-scan the queued files' authors off the GUI thread,
ask with :class:`MeDialog` when a format needs "me" (or would guess it), remember the answer in
the settings, and hand back the options per file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from netassist.core.db import Database
from netassist.core.records import ImportOptions
from netassist.core.settings import Settings
from netassist.importers.me_scan import MeScan, asks_me, options_per_file, prescan
from netassist.ui.dialogs.me_dialog import MeDialog, remember_me
from netassist.ui.import_jobs import FileJob
from netassist.ui.tasks import Tasks

Ready = Callable[[dict[Path, ImportOptions]], None]


class MeQuestion(QObject):
    def __init__(self, db: Database, tasks: Tasks, parent: QWidget) -> None:
        super().__init__(parent)
        self.db, self.tasks, self.parent_widget = db, tasks, parent
        self.dialog: MeDialog | None = None

    def needed(self, jobs: list[FileJob]) -> bool:
        return any(j.importer is not None and asks_me(j.importer) for j in jobs)

    def ask(self, jobs: list[FileJob], options: ImportOptions, on_ready: Ready,
            on_cancel: Callable[[], None]) -> None:  # fmt: skip
        """Scan (on a pool thread), then ask when a file needs an answer; ``on_ready`` gets the
        options per file (empty when nothing had to be asked), ``on_cancel`` when declined."""
        items = [(j.path, j.importer) for j in jobs if j.importer is not None]
        self.tasks.run(prescan, items, options,
                       on_done=lambda scans: self._scanned(scans, options, on_ready, on_cancel),
                       on_error=lambda _exc: on_ready({}))  # fmt: skip

    def _scanned(self, scans: list[MeScan], options: ImportOptions, on_ready: Ready,
                 on_cancel: Callable[[], None]) -> None:  # fmt: skip
        if not scans:
            on_ready({})
            return
        dlg = self.dialog = MeDialog(scans, self.parent_widget)

        def accepted() -> None:
            name, addrs = dlg.name(), dlg.addresses()
            remember_me(Settings(self.db), name, addrs)
            self.dialog = None
            on_ready(options_per_file(scans, options, name, addrs))

        def rejected() -> None:
            self.dialog = None
            on_cancel()

        dlg.accepted.connect(accepted)
        dlg.rejected.connect(rejected)
        dlg.open()
