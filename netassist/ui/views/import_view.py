"""Import: drop or choose files and folders, see the detected format per file, import with a
progress bar and Cancel, then a result page with the counts and every problem."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from netassist.core.db import Database
from netassist.core.i18n import _, ngettext
from netassist.core.records import ImportOptions
from netassist.importers.base import Importer
from netassist.ui.import_jobs import (
    Detector,
    FileJob,
    FileOutcome,
    detect_files,
    options_from_settings,
    run_imports,
)
from netassist.ui.tasks import TaskProgress, Tasks
from netassist.ui.views.import_me import MeQuestion

Index = QModelIndex | QPersistentModelIndex


def default_detector() -> Detector:
    def detect(path: Path) -> Importer | None:
        from netassist.importers import detect as detect_format  # every format: load on use

        return detect_format(path)

    return detect


class FilesModel(QAbstractTableModel):
    """Files queued for import with their detected format (or "unknown format")."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.jobs: list[FileJob] = []
        self.headers = [_("File"), _("Format"), _("Folder")]

    def add(self, jobs: Iterable[FileJob]) -> None:
        known = {j.path for j in self.jobs}
        new = [j for j in jobs if j.path not in known]
        if new:
            self.beginInsertRows(QModelIndex(), len(self.jobs), len(self.jobs) + len(new) - 1)
            self.jobs.extend(new)
            self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.jobs = []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if 0 <= section < 3 else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.jobs)):
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        j = self.jobs[index.row()]
        if index.column() == 0:
            return j.path.name
        if index.column() == 1:
            if j.importer is None:
                return j.error or _("unknown format")
            return j.importer.label
        return str(j.path.parent)


class DropArea(QFrame):
    dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Sunken)
        self.setMinimumHeight(110)
        self.label = QLabel(
            _("Drop files or folders here: address books (.vcf, .csv), mailboxes (.mbox, .eml), "
              "chat exports (Telegram, WhatsApp, VK), calendars (.ics).")
        )  # fmt: skip
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(self.label)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.dropped.emit(paths)
            event.acceptProposedAction()


class ImportView(QWidget):
    imported = Signal()
    finished = Signal(list)  # list[FileOutcome]

    def __init__(self, db: Database, tasks: Tasks, detector: Detector | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.detect = detector or default_detector()
        self.progress: TaskProgress | None = None
        self.outcomes: list[FileOutcome] = []
        self.files = FilesModel(self)
        self.me_question = MeQuestion(db, tasks, self)

        self.drop = DropArea()
        self.drop.dropped.connect(self.add_paths)
        self.choose_files_btn = QPushButton(_("Choose files…"))
        self.choose_folder_btn = QPushButton(_("Choose folder…"))
        self.clear_btn = QPushButton(_("Clear"))
        self.imap_btn = QPushButton(_("Mail account (IMAP)…"))
        self.imap_btn.clicked.connect(self.open_imap)
        self.imap_dialog: Any = None
        self.start_btn = QPushButton(_("Import"))
        self.start_btn.setDefault(True)
        self.choose_files_btn.clicked.connect(self._choose_files)
        self.choose_folder_btn.clicked.connect(self._choose_folder)
        self.clear_btn.clicked.connect(self.files.clear)
        self.start_btn.clicked.connect(self.start)
        self.table = QTableView()
        self.table.setModel(self.files)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 220)
        self.table.setColumnWidth(2, 300)
        self.summary = QLabel()
        self.files.rowsInserted.connect(self._update_summary)
        self.files.modelReset.connect(self._update_summary)

        choose = QWidget()
        cl = QVBoxLayout(choose)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.drop)
        row = QHBoxLayout()
        for b in (self.choose_files_btn, self.choose_folder_btn, self.imap_btn, self.clear_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.summary)
        row.addWidget(self.start_btn)
        cl.addLayout(row)
        cl.addWidget(self.table, 1)

        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.cancel_btn = QPushButton(_("Cancel"))
        self.cancel_btn.clicked.connect(self.cancel)
        running = QWidget()
        rl = QVBoxLayout(running)
        rl.addStretch(1)
        heading = QLabel(_("Importing…"))
        hf = heading.font()
        hf.setBold(True)
        heading.setFont(hf)
        rl.addWidget(heading)
        rl.addWidget(self.bar)
        rl.addWidget(self.status)
        rl.addWidget(self.cancel_btn, 0, Qt.AlignmentFlag.AlignRight)
        rl.addStretch(2)

        self.report = QTextBrowser()
        self.again_btn = QPushButton(_("Import more"))
        self.again_btn.clicked.connect(self._restart)
        result = QWidget()
        res_l = QVBoxLayout(result)
        res_l.setContentsMargins(0, 0, 0, 0)
        res_l.addWidget(self.report, 1)
        res_l.addWidget(self.again_btn, 0, Qt.AlignmentFlag.AlignRight)

        self.stack = QStackedWidget()
        for w in (choose, running, result):
            self.stack.addWidget(w)
        lay = QVBoxLayout(self)
        lay.addWidget(self.stack)
        self._update_summary()

    # --- choosing ---------------------------------------------------------------------------

    def add_paths(self, paths: list[Path]) -> None:
        """Queue files/folders; formats are detected off the GUI thread (folders can be big)."""
        self.stack.setCurrentIndex(0)
        self.summary.setText(_("Detecting formats…"))
        self.tasks.run(detect_files, [Path(p) for p in paths], self.detect,
                       on_done=self.files.add)  # fmt: skip

    def _choose_files(self) -> None:
        names, _f = QFileDialog.getOpenFileNames(self, _("Choose files to import"))
        if names:
            self.add_paths([Path(n) for n in names])

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, _("Choose a folder to import"))
        if name:
            self.add_paths([Path(name)])

    def open_imap(self) -> None:
        """The IMAP form (non-modal: the import runs inside it with its own progress)."""
        from netassist.ui.dialogs.imap_dialog import ImapDialog

        if self.imap_dialog is None:
            self.imap_dialog = ImapDialog(self.db, self.tasks, self)
            self.imap_dialog.imported.connect(lambda _res: self.imported.emit())
            self.imap_dialog.finished.connect(self._imap_closed)
        self.imap_dialog.open()

    def _imap_closed(self, *_a: object) -> None:
        if self.imap_dialog is not None and self.imap_dialog.progress is None:
            self.imap_dialog.deleteLater()
            self.imap_dialog = None

    def _update_summary(self, *_a: object) -> None:
        n = len(self.files.jobs)
        known = sum(1 for j in self.files.jobs if j.importer is not None)
        text = (
            ngettext("%d file", "%d files", n) % n + " · " + _("%d recognised") % known
            if n else _("No files yet.")
        )  # fmt: skip
        if any(j.importer is not None and j.importer.needs_me for j in self.files.jobs):
            from netassist.core.settings import Settings

            if not Settings(self.db).get("me_names"):
                # WhatsApp-style exports name people only; without "me" every message looks
                # like it came from them
                text += " · " + _("you will be asked who you are in these chats")
        self.summary.setText(text)
        self.start_btn.setEnabled(n > 0 and self.progress is None)

    # --- running ----------------------------------------------------------------------------

    def start(self) -> None:
        if not self.files.jobs or self.progress is not None:
            return
        jobs = list(self.files.jobs)
        options = options_from_settings(self.db)
        if self.me_question.needed(jobs):
            self.start_btn.setEnabled(False)
            self.summary.setText(_("Looking for who you are in these files…"))
            self.me_question.ask(jobs, options, lambda per_file: self._run(jobs, options, per_file),
                                 self._update_summary)  # fmt: skip
            return
        self._run(jobs, options, {})

    def _run(self, jobs: list[FileJob], options: ImportOptions,
             per_file: dict[Path, ImportOptions]) -> None:  # fmt: skip
        self.progress = TaskProgress()
        self.progress.changed.connect(self._on_progress)
        self.bar.setValue(0)
        self.status.setText("")
        self.cancel_btn.setEnabled(True)
        self.stack.setCurrentIndex(1)
        self.tasks.run(run_imports, self.db, jobs, options, self.progress, per_file, write=True,
                       on_done=self._done, on_error=self._failed)  # fmt: skip

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()
            self.cancel_btn.setEnabled(False)
            self.status.setText(_("Cancelling; nothing from the current file will be kept…"))

    def _on_progress(self, fraction: object, text: str) -> None:
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(float(fraction) * 1000))  # type: ignore[arg-type]
        if text and self.cancel_btn.isEnabled():
            self.status.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._done([FileOutcome(Path(""), "", "failed", message=f"{type(exc).__name__}: {exc}")])

    def _done(self, outcomes: list[FileOutcome]) -> None:
        self.progress = None
        self.files.clear()
        self.show_outcomes(outcomes)
        if any(o.status == "ok" for o in outcomes):
            self.imported.emit()
        self.finished.emit(outcomes)

    def show_outcomes(self, outcomes: list[FileOutcome]) -> None:
        """The result page (also used after the window was rebuilt in another language)."""
        self.outcomes = outcomes
        self.report.setHtml(render_report(outcomes))
        self.stack.setCurrentIndex(2)

    def _restart(self) -> None:
        self.stack.setCurrentIndex(0)
        self._update_summary()


def left_out_label(reason: str) -> str:
    """The result page's row for messages an importer left out on purpose (SkipReason)."""
    labels = {
        "channel_post": _("posts by a channel or group itself (not a person)"),
        "service_sender": _("messages with services (sender names, short numbers)"),
    }
    return labels.get(reason, reason)


def render_report(outcomes: list[FileOutcome]) -> str:
    """The result page: one block per file with its counts and every problem."""
    e = html.escape
    status_text = {
        "ok": _("imported"), "failed": _("failed"), "cancelled": _("cancelled, nothing kept"),
        "unknown": _("unknown format"), "skipped": _("not imported"),
    }  # fmt: skip
    ok = sum(1 for o in outcomes if o.status == "ok")
    title, fmt = _("Import finished"), _("Format")
    parts = [f"<h2>{e(title)}</h2>",
             "<p>" + e(_("%d of %d files imported.") % (ok, len(outcomes))) + "</p>"]  # fmt: skip
    for o in outcomes:
        parts.append(f"<h3>{e(o.path.name or '?')} — {e(status_text.get(o.status, o.status))}</h3>")
        if o.importer:
            parts.append(f"<p>{e(fmt)}: {e(o.importer)}</p>")
        if o.message:
            parts.append(f"<p>{e(o.message)}</p>")
        r = o.result
        if r is not None and o.status == "ok":
            rows = [
                (_("records read"), r.records), (_("contacts created"), r.contacts_created),
                (_("contacts updated"), r.contacts_updated),
                (_("contacts merged"), r.contacts_merged),
                (_("interactions added"), r.interactions_added),
                (_("duplicates skipped"), r.duplicates_skipped),
                *((left_out_label(k), v) for k, v in sorted(r.left_out.items()) if v),
            ]  # fmt: skip
            parts.append("<table>" + "".join(
                f"<tr><td>{e(k)}</td><td align='right'>&nbsp;&nbsp;{v}</td></tr>" for k, v in rows
            ) + "</table>")  # fmt: skip
        if o.problems:
            n = len(o.problems)
            parts.append("<p><b>" + e(ngettext("%d problem", "%d problems", n) % n) + "</b></p>")
            parts.append("<ul>" + "".join(
                f"<li>{e(w)}: {e(why)}</li>" for w, why in o.problems
            ) + "</ul>")  # fmt: skip
    return "".join(parts)
