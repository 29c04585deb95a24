"""Reports: a network review for a period, or the dossiers of chosen contacts, previewed and
saved as PDF.

The data is gathered on a pool thread (netassist.ui.tasks); the PDF is then drawn on the GUI
thread in short steps driven by a 0 ms timer (see report_pdf.RenderJob for why the drawing cannot
move to a worker), into memory. The preview shows those bytes (QtPdf), and Save writes them, so
a cancelled report leaves no file behind.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from netassist.core import i18n
from netassist.core.db import Database
from netassist.core.i18n import _, ngettext
from netassist.ui.models.report_pick import FILTER_ROLE, ContactPickModel
from netassist.ui.report_jobs import Cancelled, ReportOptions, contact_choices, gather_reports
from netassist.ui.tasks import TaskProgress, Tasks
from netassist.ui.widgets.check_delegate import VisibleCheckDelegate

PERIODS = (30, 90, 180, 365)
CUSTOM = 0  # the period combo's data for "custom dates"
#: Gathering is this share of the progress bar, drawing the rest.
GATHER_SHARE = 0.4


def _safe_name(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "-", text).strip("-.") or "report"


class ReportsView(QWidget):
    """Choose a report, preview it, save it."""

    saved = Signal(str)  # the path written

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        # Hook the tests replace; by default a standard save dialog.
        self.ask_save_path = self._ask_save_path
        self.progress: TaskProgress | None = None
        self.job: Any = None  # the RenderJob being drawn
        self.pdf: bytes | None = None  # the last finished PDF
        self.pdf_options: ReportOptions | None = None
        self.pages = 0
        self._save_to: Path | None = None  # save here when the running report is finished
        self._running: ReportOptions | None = None
        self._buffer: QBuffer | None = None
        self._contacts_loaded = False
        self._step_timer = QTimer(self, singleShot=True, interval=0)
        self._step_timer.timeout.connect(self._step)
        self.pdf_doc: Any = None  # QPdfDocument, made with the first preview (QtPdf is big)
        self.pdf_view: Any = None
        self._preview_buffer: QBuffer | None = None

        # -- what
        self.kind_network = QRadioButton(_("Network review"))
        self.kind_dossiers = QRadioButton(_("Dossiers of chosen contacts"))
        self.kind_network.setChecked(True)
        self._kinds = QButtonGroup(self)
        self._kinds.addButton(self.kind_network)
        self._kinds.addButton(self.kind_dossiers)
        self.kind_network.toggled.connect(self._kind_changed)
        kind_box = QGroupBox(_("Report"))
        kl = QVBoxLayout(kind_box)
        kl.addWidget(self.kind_network)
        kl.addWidget(self.kind_dossiers)

        # -- period (the network review)
        self.period = QComboBox()
        for d in PERIODS:
            self.period.addItem(ngettext("Last %d day", "Last %d days", d) % d, d)
        self.period.addItem(_("Custom dates"), CUSTOM)
        self.period.setCurrentIndex(PERIODS.index(90))
        self.period.currentIndexChanged.connect(self._period_changed)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-89))
        self.date_to = QDateEdit(today)
        for de in (self.date_from, self.date_to):
            de.setCalendarPopup(True)
            de.setDisplayFormat("yyyy-MM-dd")
            de.setMaximumDate(today)
        self.date_from.dateChanged.connect(lambda d: self.date_to.setMinimumDate(d))
        dates = QHBoxLayout()
        dates.addWidget(QLabel(_("from")))
        dates.addWidget(self.date_from, 1)
        dates.addWidget(QLabel(_("to")))
        dates.addWidget(self.date_to, 1)
        self.dates_row = QWidget()
        self.dates_row.setLayout(dates)
        dates.setContentsMargins(0, 0, 0, 0)
        self.period_box = QGroupBox(_("Period"))
        pl = QVBoxLayout(self.period_box)
        pl.addWidget(self.period)
        pl.addWidget(self.dates_row)

        # -- contacts (the dossiers)
        self.contact_model = ContactPickModel(self)
        self.contact_model.chosen_changed.connect(self._update_chosen)
        self.contact_proxy = QSortFilterProxyModel(self)
        self.contact_proxy.setSourceModel(self.contact_model)
        self.contact_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.contact_proxy.setFilterRole(FILTER_ROLE)
        self.contact_filter = QLineEdit()
        self.contact_filter.setPlaceholderText(_("Find a contact…"))
        self.contact_filter.setClearButtonEnabled(True)
        # filtering 10 000 names takes ~70 ms: once typing pauses, like the Contacts filter
        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(
            lambda: self.contact_proxy.setFilterFixedString(self.contact_filter.text())
        )
        self.contact_filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.contact_list = QListView()
        self.contact_list.setModel(self.contact_proxy)
        self.contact_list.setItemDelegate(VisibleCheckDelegate(self.contact_list))
        self.contact_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.contact_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Space and a click on the box tick (the delegate); a double-click on the name or Enter
        # too. Not `activated`: where one click activates (KDE), a click on the box would tick
        # and untick at once
        self.contact_list.doubleClicked.connect(self._toggle_index)
        self._enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.contact_list)
        self._enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._enter.activated.connect(
            lambda: (
                self.contact_list.currentIndex().isValid()
                and self._toggle_index(self.contact_list.currentIndex())
            )
        )
        self.chosen_label = QLabel()
        self.clear_btn = QPushButton(_("Clear"))
        self.clear_btn.clicked.connect(self.clear_contacts)
        chosen = QHBoxLayout()
        chosen.addWidget(self.chosen_label, 1)
        chosen.addWidget(self.clear_btn)
        self.contacts_box = QGroupBox(_("Contacts"))
        cl = QVBoxLayout(self.contacts_box)
        cl.addWidget(self.contact_filter)
        cl.addWidget(self.contact_list, 1)
        cl.addLayout(chosen)

        # -- how
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self._lang_chosen = False  # until the person picks one, reports follow the UI language
        self.language.activated.connect(lambda _i: setattr(self, "_lang_chosen", True))
        self.page_size = QComboBox()
        self.page_size.addItem("A4", "a4")
        self.page_size.addItem(_("Letter (US)"), "letter")
        form = QFormLayout()
        form.addRow(_("Language"), self.language)
        form.addRow(_("Page size"), self.page_size)

        # -- actions and progress
        self.preview_btn = QPushButton(_("Preview"))
        self.preview_btn.setDefault(True)
        self.preview_btn.clicked.connect(self.generate)
        self.save_btn = QPushButton(_("Save PDF…"))
        self.save_btn.clicked.connect(self.save)
        self.cancel_btn = QPushButton(_("Cancel"))
        self.cancel_btn.clicked.connect(self.cancel)
        self.cancel_btn.hide()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_btn)
        buttons.addWidget(self.save_btn)
        buttons.addWidget(self.cancel_btn)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 6, 0)
        ll.addWidget(kind_box)
        ll.addWidget(self.period_box)
        ll.addWidget(self.contacts_box, 1)
        ll.addLayout(form)
        ll.addLayout(buttons)
        ll.addWidget(self.bar)
        ll.addWidget(self.status)

        # -- the preview
        self.preview_stack = QStackedWidget()
        self.placeholder = QLabel(_("Choose a report and press Preview."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.preview_stack.addWidget(self.placeholder)
        self.pages_label = QLabel()
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        rl.addWidget(self.pages_label)
        rl.addWidget(self.preview_stack, 1)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 900])
        left.setMinimumWidth(320)
        lay = QVBoxLayout(self)
        lay.addWidget(split)

        for w in (self.period, self.date_from, self.date_to, self.language, self.page_size):
            sig = w.currentIndexChanged if isinstance(w, QComboBox) else w.dateChanged
            sig.connect(self._options_changed)
        self._kind_changed()
        self._period_changed()
        self._update_chosen()

    # --- options ----------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._contacts_loaded:
            self.load_contacts()

    def load_contacts(self, then: Any = None) -> None:
        """Fill the picker off the GUI thread; ``then`` runs once it is filled."""
        self._contacts_loaded = True

        def filled(rows: list[tuple[int, str, str]]) -> None:
            self._fill_contacts(rows)
            if then is not None:
                then()

        self.tasks.run(contact_choices, self.db, on_done=filled)

    def _fill_contacts(self, rows: list[tuple[int, str, str]]) -> None:
        self.contact_model.set_rows(rows)

    def reload(self) -> None:
        """The contacts changed (an import, a merge): refill the picker if it was filled."""
        if self._contacts_loaded:
            self.load_contacts()

    def _toggle_index(self, index: Any) -> None:
        src = self.contact_proxy.mapToSource(index)
        on = src.data(Qt.ItemDataRole.CheckStateRole) != Qt.CheckState.Checked
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.contact_model.setData(src, state, Qt.ItemDataRole.CheckStateRole)

    def chosen_ids(self) -> list[int]:
        return self.contact_model.chosen_in_order()

    def set_contacts(self, ids: list[int]) -> None:
        """Check exactly these contacts (others are unchecked)."""
        self.contact_model.set_chosen(set(ids))

    def choose_dossiers(self, ids: list[int]) -> None:
        """Come from a contact page or a selection in Contacts: dossiers of these people."""
        self.kind_dossiers.setChecked(True)
        self.contact_filter.clear()
        if self.contact_model.rowCount() and self._contacts_loaded:
            self.set_contacts(ids)
        else:
            self.load_contacts(then=lambda: self.set_contacts(ids))

    def clear_contacts(self) -> None:
        self.set_contacts([])

    def _update_chosen(self, *_a: object) -> None:
        n = len(self.chosen_ids())
        self.chosen_label.setText(
            ngettext("%d contact chosen", "%d contacts chosen", n) % n if n else ""
        )
        self.clear_btn.setEnabled(n > 0)
        self._options_changed()

    def _kind_changed(self, *_a: object) -> None:
        network = self.kind_network.isChecked()
        self.period_box.setEnabled(network)
        self.contacts_box.setEnabled(not network)
        self._options_changed()

    def _period_changed(self, *_a: object) -> None:
        self.dates_row.setVisible(self.period.currentData() == CUSTOM)

    def _options_changed(self, *_a: object) -> None:
        if self.pdf_options is not None and not self._same_report(self.pdf_options, self.options()):
            self.pages_label.setText(
                self._pages_text() + " · " + _("the options changed: press Preview again")
            )

    def options(self) -> ReportOptions:
        days = int(self.period.currentData() or 0)
        if days == CUSTOM:
            start: date = self.date_from.date().toPython()  # type: ignore[assignment]
            stop: date = self.date_to.date().toPython()  # type: ignore[assignment]
            days = max(1, (stop - start).days + 1)
            end = int(datetime.combine(stop, time(23, 59, 59)).astimezone(UTC).timestamp())
        else:
            end = int(datetime.now(UTC).timestamp())
            end -= end % 60  # the same minute is the same report
        dossiers = self.kind_dossiers.isChecked()
        return ReportOptions(
            kind="dossiers" if dossiers else "network",
            days=days,
            end=end,
            contact_ids=tuple(self.chosen_ids()) if dossiers else (),
            lang=str(self.language.currentData()),
            page=str(self.page_size.currentData()),
        )

    def state(self) -> dict[str, Any]:
        """What the person chose and the last PDF, kept over a rebuild (language switch)."""
        self.cancel()
        return {
            "dossiers": self.kind_dossiers.isChecked(),
            "period": self.period.currentIndex(),
            "dates": (self.date_from.date(), self.date_to.date()),
            "lang": self.language.currentIndex() if self._lang_chosen else None,
            "page": self.page_size.currentIndex(),
            "ids": self.chosen_ids(),
            "pdf": (self.pdf, self.pdf_options, self.pages),
        }

    def restore(self, st: dict[str, Any]) -> None:
        (self.kind_dossiers if st["dossiers"] else self.kind_network).setChecked(True)
        self.period.setCurrentIndex(st["period"])
        self.date_from.setDate(st["dates"][0])
        self.date_to.setDate(st["dates"][1])
        if st["lang"] is not None:
            self.language.setCurrentIndex(st["lang"])
            self._lang_chosen = True
        self.page_size.setCurrentIndex(st["page"])
        if st["ids"]:
            self.load_contacts(then=lambda: self.set_contacts(st["ids"]))
        self.pdf, self.pdf_options, self.pages = st["pdf"]
        if self.pdf is not None:
            self._show_preview()

    # --- generating -------------------------------------------------------------------------

    def busy(self) -> bool:
        return self._running is not None

    def generate(self) -> bool:
        """Gather and draw the chosen report; False when there is nothing to do."""
        if self.busy():
            return False
        opts = self.options()
        if opts.kind == "dossiers" and not opts.contact_ids:
            self.status.setText(_("Choose at least one contact."))
            return False
        self._running = opts
        self.progress = TaskProgress()
        self.progress.changed.connect(self._gather_progress)
        self._set_busy(True)
        self.bar.setRange(0, 0)
        self.status.setText(_("Gathering the data…"))
        run = self.progress  # a cancelled run's late result must not pass for a newer one
        self.tasks.run(gather_reports, self.db, opts, run,
                       on_done=lambda reps: run is self.progress and self._gathered(reps),
                       on_error=lambda exc: run is self.progress and self._failed(exc))  # fmt: skip
        return True

    def _gather_progress(self, fraction: object, _text: str) -> None:
        if fraction is None:
            self.bar.setRange(0, 0)
            return
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(float(fraction) * GATHER_SHARE * 1000))  # type: ignore[arg-type]

    def _gathered(self, reports: list[Any]) -> None:
        from netassist.ui.report_pdf import RenderJob

        if self.progress is None or self.progress.is_cancelled() or self._running is None:
            self._finish_cancelled()
            return
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(GATHER_SHARE * 1000))
        self.status.setText(_("Drawing the PDF…"))
        self._buffer = QBuffer()
        self._buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.job = RenderJob(reports, self._buffer, self._running.page, self._render_progress)
        self._step_timer.start()

    def _render_progress(self, fraction: float, _text: str) -> None:
        self.bar.setValue(int((GATHER_SHARE + (1 - GATHER_SHARE) * fraction) * 1000))

    def _step(self) -> None:
        """One short chunk of drawing, then back to the event loop."""
        if self.job is None:
            return
        if self.progress is not None and self.progress.is_cancelled():
            self.job.cancel()
            self._finish_cancelled()
            return
        try:
            more = self.job.step()
        except Exception as exc:  # noqa: BLE001 - shown to the person, the view stays usable
            self.job.cancel()
            self._failed(exc)
            return
        if more:
            self._step_timer.start()
            return
        assert self._buffer is not None and self._running is not None
        self._buffer.close()
        self.pdf = bytes(self._buffer.data().data())
        self.pdf_options, self.pages = self._running, self.job.pages
        self._buffer, self.job = None, None
        self._running, self.progress = None, None
        self._set_busy(False)
        self.status.setText("")
        self._show_preview()
        if self._save_to is not None:
            target, self._save_to = self._save_to, None
            self.write_pdf(target)

    def cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()
        self._save_to = None
        if self.job is not None:  # drawing: stop now rather than at the next step
            self._step_timer.stop()
            self.job.cancel()
        if self._running is not None:
            # gathering: the worker stops at its next check (a network review only when its
            # queries return); its late result is dropped (see generate), the page is free now
            self._finish_cancelled()

    def _finish_cancelled(self) -> None:
        self.job, self._buffer = None, None
        self._running, self.progress, self._save_to = None, None, None
        self._set_busy(False)
        self.status.setText(_("Cancelled."))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self._finish_cancelled()
            return
        self.job, self._buffer = None, None
        self._running, self.progress, self._save_to = None, None, None
        self._set_busy(False)
        self.status.setText(
            _("The report could not be made: %s") % (str(exc) or type(exc).__name__)
        )

    def _set_busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.cancel_btn.setVisible(busy)
        for w in (self.preview_btn, self.save_btn):
            w.setEnabled(not busy)

    # --- preview and saving ---------------------------------------------------------------

    def _pages_text(self) -> str:
        return ngettext("%d page", "%d pages", self.pages) % self.pages

    def _show_preview(self) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        if self.pdf_view is None:
            self.pdf_doc = QPdfDocument(self)
            self.pdf_view = QPdfView()
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.setPageSpacing(12)
            self.pdf_view.setDocument(self.pdf_doc)
            self.preview_stack.addWidget(self.pdf_view)
        self.pdf_doc.close()
        buf = QBuffer(self)
        buf.setData(QByteArray(self.pdf or b""))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf_doc.load(buf)
        if self._preview_buffer is not None:
            self._preview_buffer.deleteLater()
        self._preview_buffer = buf  # the document reads from it while it is shown
        self.preview_stack.setCurrentWidget(self.pdf_view)
        self.pages_label.setText(self._pages_text())

    def preview_pages(self) -> int:
        """Pages the preview shows (0 without one)."""
        return int(self.pdf_doc.pageCount()) if self.pdf_doc is not None else 0

    def default_file_name(self, opts: ReportOptions) -> str:
        day = datetime.fromtimestamp(opts.end).strftime("%Y-%m-%d")
        if opts.kind == "network":
            return f"netassist-{_safe_name(_('Network review').lower())}-{day}.pdf"
        names = [self.contact_model.name(cid) for cid in opts.contact_ids]
        who = names[0] if len(names) == 1 else _("Dossiers")
        return f"{_safe_name(who)}-{day}.pdf"

    def _ask_save_path(self, suggested: str) -> str | None:
        folder = Path.home() / "Documents"
        if not folder.is_dir():
            folder = Path.home()
        name, _f = QFileDialog.getSaveFileName(self, _("Save the report"),
                                               str(folder / suggested), "PDF (*.pdf)")  # fmt: skip
        return name or None

    def save(self) -> None:
        """Save the previewed PDF; when the options changed since (or there is none yet),
        make the report first and save it once it is drawn."""
        if self.busy():
            return
        opts = self.options()
        if opts.kind == "dossiers" and not opts.contact_ids:
            self.status.setText(_("Choose at least one contact."))
            return
        name = self.ask_save_path(self.default_file_name(opts))
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        if (
            self.pdf is not None
            and self.pdf_options is not None
            and (self._same_report(self.pdf_options, opts))
        ):
            self.write_pdf(target)
        else:
            self._save_to = target
            if not self.generate():
                self._save_to = None

    @staticmethod
    def _same_report(a: ReportOptions, b: ReportOptions) -> bool:
        """A rolling period made a little earlier is still the report the person saw."""
        if (a.kind, a.contact_ids, a.lang, a.page) != (b.kind, b.contact_ids, b.lang, b.page):
            return False
        if a.kind == "dossiers":
            return True
        return a.days == b.days and abs(a.end - b.end) < 3600

    def write_pdf(self, target: Path) -> bool:
        """Write the finished PDF atomically (a half-written file is never left behind)."""
        tmp = target.with_name(f".{target.name}.part")
        try:
            tmp.write_bytes(self.pdf or b"")
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.status.setText(_("Could not save the PDF: %s") % exc.strerror)
            return False
        self.status.setText(_("Saved to %s") % target)
        self.saved.emit(str(target))
        return True
