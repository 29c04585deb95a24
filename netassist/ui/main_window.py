"""The main window: navigation, global search, menus, drag-and-drop, and all cross-view wiring.

Changing the language rebuilds menus and pages (every text is produced by ``_`` when a widget
is built), keeping the current page, contact and filter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from netassist import __version__
from netassist.core import i18n
from netassist.core.i18n import _, ngettext
from netassist.ui.context import AppContext
from netassist.ui.dialogs.settings_dialog import SettingsDialog
from netassist.ui.exporting import export_contacts_csv
from netassist.ui.import_jobs import Detector
from netassist.ui.qt_i18n import QtTranslations
from netassist.ui.tasks import TaskProgress, Tasks
from netassist.ui.views.contact_page import ContactPage
from netassist.ui.views.contacts_view import ContactsView
from netassist.ui.views.import_view import ImportView
from netassist.ui.views.insights_view import InsightsView
from netassist.ui.views.reports_view import ReportsView
from netassist.ui.views.search_view import SearchView
from netassist.ui.views.today_view import TodayView

NAV = ("today", "contacts", "insights", "reports", "import")
DEMO_CONTACTS = 150


def first_start_needs_demo(ctx: AppContext) -> bool:
    if ctx.settings.get("demo_offered"):
        return False
    with ctx.db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM contact WHERE is_me = 0 LIMIT 1").first() is None


def _load_demo_job(ctx: AppContext, progress: TaskProgress) -> int:
    from netassist.core.demo import load_demo  # only on a first start; keeps start-up lean

    res = load_demo(ctx.db, contacts=DEMO_CONTACTS, progress=progress)
    if res.status == "cancelled":  # the window was closed while it loaded: offer it next time
        return 0
    # offered once: loaded (or failed, reported): a person who deletes the demo keeps it deleted
    ctx.settings.set("demo_offered", True)
    if res.status != "ok":
        raise RuntimeError(res.error or res.status)  # shown in the status bar
    from netassist.core.scoring import rescore

    rescore(ctx.db, None)
    return res.contacts_created


def _fresh_scores_job(ctx: AppContext) -> bool:
    """Scores decay with time: recompute them when the cache is old (off the GUI thread)."""
    from netassist.core.scoring import ensure_fresh

    return ensure_fresh(ctx.db)


def _backup_job(ctx: AppContext) -> str:
    from netassist.core.backup import backup_now

    return str(backup_now(ctx.home, ctx.db._key, keep=int(ctx.settings.get("backup_keep"))))


def is_demo_data(ctx: AppContext) -> bool:
    with ctx.db.engine.connect() as conn:
        return (
            conn.exec_driver_sql(
                "SELECT 1 FROM import_run WHERE importer = 'demo' AND status = 'ok' LIMIT 1"
            ).first()
            is not None
        )


class MainWindow(QMainWindow):
    language_changed = Signal(str)
    settings_changed = Signal()  # stored: the reminder schedule follows the new times
    reminders_changed = Signal()  # follow-ups or reminders may have changed: the tray recounts

    def __init__(self, ctx: AppContext, tasks: Tasks | None = None,
                 detector: Detector | None = None) -> None:  # fmt: skip
        super().__init__()
        self.ctx, self.db = ctx, ctx.db
        self.tasks = tasks or Tasks(self)
        self._loading_demo = False  # set by start(): a first start loads the demo instead
        self.tasks.task_failed.connect(self._task_failed)
        self.detector = detector
        self.demo_progress: TaskProgress | None = None
        self.tray: Any = None  # the TrayController, set by the composition root
        self.quitting = False
        self._pending_retranslate = False
        self.setAcceptDrops(True)
        self.ui_state = QSettings(str(ctx.home / "ui.ini"), QSettings.Format.IniFormat)
        self.demo_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setRange(0, 1000)
        self.busy_bar.hide()
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.statusBar().addPermanentWidget(self.demo_label)
        self.toolbar: QToolBar | None = None
        self.qt_translations = QtTranslations()
        self.qt_translations.apply(i18n.current_language())
        self._build()
        self.resize(QSize(1280, 800))
        geo = self.ui_state.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)  # type: ignore[arg-type]
        state = self.ui_state.value("window/state")
        if state is not None:
            self.restoreState(state)  # type: ignore[arg-type]

    # --- building (and rebuilding on a language change) ------------------------------------

    def _build(self) -> None:
        self.setWindowTitle("netassist")
        self._build_pages()
        self._build_menus()
        self._build_toolbar()
        self._update_demo_label()

    def _build_pages(self) -> None:
        db, tasks = self.db, self.tasks
        self.today = TodayView(db, tasks)
        self.contacts = ContactsView(db, tasks)
        self.insights = InsightsView(db, tasks)
        self.reports = ReportsView(db, tasks)
        self.importer = ImportView(db, tasks, self.detector)
        self.contact_page = ContactPage(db, tasks)
        self.search_view = SearchView(db, tasks)
        self.pages: dict[str, QWidget] = {
            "today": self.today, "contacts": self.contacts, "insights": self.insights,
            "reports": self.reports, "import": self.importer, "contact": self.contact_page, "search": self.search_view,
        }  # fmt: skip
        self.stack = QStackedWidget()
        for w in self.pages.values():
            self.stack.addWidget(w)
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        for key, label in zip(NAV, (_("Today"), _("Contacts"), _("Insights"), _("Reports"),
                                    _("Import")), strict=True):  # fmt: skip
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(150, 36))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)  # deletes the previous one on a rebuild

        for view in (self.today, self.contacts, self.search_view, self.insights):
            view.contact_activated.connect(self.open_contact)
        self.contact_page.back_requested.connect(self._back)
        self.contacts.dossier_requested.connect(self.show_dossiers)
        self.contact_page.dossier_requested.connect(self.show_dossiers)
        self.reports.saved.connect(
            lambda path: self.statusBar().showMessage(_("Saved to %s") % path, 8000)
        )
        self.contacts.data_changed.connect(self.refresh_all)
        self.contacts.duplicates_requested.connect(self.show_duplicates)
        self.contact_page.data_changed.connect(self.refresh_all)
        self.today.data_changed.connect(self._today_acted)
        self.importer.imported.connect(self.refresh_all)
        self.importer.imported.connect(self._update_demo_label)
        self.importer.finished.connect(self._import_finished)
        self._previous = "contacts"
        self.contacts.reload()

    def _build_menus(self) -> None:
        mb = self.menuBar()
        mb.clear()
        m_file = mb.addMenu(_("&File"))
        self.act_import = self._action(m_file, _("&Import…"), self.show_import, "Ctrl+I")
        self.act_import_imap = self._action(m_file, _("Import from a &mail account (IMAP)…"),
                                            self.show_import_imap)  # fmt: skip
        self._action(m_file, _("&Export contacts…"), self.export_contacts, "Ctrl+E")
        m_file.addSeparator()
        self._action(
            m_file, _("&Settings…"), self.show_settings, QKeySequence.StandardKey.Preferences
        )
        m_file.addSeparator()
        quit_act = self._action(m_file, _("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        quit_act.setMenuRole(QAction.MenuRole.QuitRole)

        m_edit = mb.addMenu(_("&Edit"))
        self._action(m_edit, _("&Find…"), self.focus_search, QKeySequence.StandardKey.Find)
        self._action(m_edit, _("Filter &contacts"), self.focus_filter, "Ctrl+L")
        self._action(m_edit, _("Possible &duplicates…"), self.show_duplicates)

        m_view = mb.addMenu(_("&View"))
        for i, (key, label) in enumerate(zip(NAV, (_("&Today"), _("&Contacts"), _("&Insights"),
                                                   _("Re&ports"), _("I&mport")), strict=True)):  # fmt: skip
            self._action(m_view, label, lambda _c=False, k=key: self.show_page(k), f"Ctrl+{i + 1}")
        m_view.addSeparator()
        self._action(m_view, _("&Refresh"), self.refresh_all, QKeySequence.StandardKey.Refresh)

        m_help = mb.addMenu(_("&Help"))
        about = self._action(m_help, _("&About netassist"), self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _action(self, menu: object, text: str, slot: object, shortcut: object = None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))  # type: ignore[arg-type]
        act.triggered.connect(slot)  # type: ignore[arg-type]
        menu.addAction(act)  # type: ignore[attr-defined]
        return act

    def _build_toolbar(self) -> None:
        if self.toolbar is not None:
            self.removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
        tb = QToolBar(_("Search"))
        tb.setObjectName("search-toolbar")
        tb.setMovable(False)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_("Search contacts and messages (Ctrl+K)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(480)
        self.search_edit.returnPressed.connect(self.run_search)
        self._search_timer = QTimer(self, singleShot=True, interval=300)
        self._search_timer.timeout.connect(self._search_typed)
        self.search_edit.textEdited.connect(lambda _t: self._search_timer.start())
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy())  # fmt: skip
        tb.addWidget(spacer)
        tb.addWidget(self.search_edit)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb
        if not hasattr(self, "_ctrl_k"):
            self._ctrl_k = QShortcut(QKeySequence("Ctrl+K"), self)
            self._ctrl_k.activated.connect(self.focus_search)

    def retranslate(self) -> None:
        """Rebuild every text in the current language, keeping page, contact and filter."""
        page = self.current_page()
        cid = self.contact_page.contact_id
        filt = self.contacts.filter_edit.text()
        query = self.search_view.query
        reports = self.reports.state()
        self._build()
        self.reports.restore(reports)
        self.contacts.filter_edit.setText(filt)
        self.contacts.model.set_filter(filt)
        if page == "contact" and cid is not None:
            self.open_contact(cid)
        elif page == "search" and query:
            self.search_edit.setText(query)
            self.run_search()
        else:
            self.show_page(page)
        self.today.reload()

    # --- navigation -------------------------------------------------------------------------

    def current_page(self) -> str:
        w = self.stack.currentWidget()
        return next((k for k, v in self.pages.items() if v is w), "today")

    def show_page(self, key: str) -> None:
        if self.current_page() in NAV:
            self._previous = self.current_page()
        self.stack.setCurrentWidget(self.pages[key])
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(NAV.index(key) if key in NAV else -1)
        self.nav.blockSignals(False)
        if key == "insights" and not self.insights.loaded_once:
            self.insights.reload()

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(NAV):
            self.show_page(NAV[row])

    def _back(self) -> None:
        self.show_page(self._previous if self._previous in NAV else "contacts")

    def open_contact(self, cid: int) -> None:
        if self.contact_page.show_contact(cid):
            self.show_page("contact")

    def show_dossiers(self, ids: list[int]) -> None:
        """Reports, set to the dossiers of these contacts (from Contacts or a contact page)."""
        self.show_page("reports")
        self.reports.choose_dossiers(ids)

    def show_import(self) -> None:
        self.show_page("import")

    def show_import_imap(self) -> None:
        self.show_page("import")
        self.importer.open_imap()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def focus_filter(self) -> None:
        self.show_page("contacts")
        self.contacts.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _search_typed(self) -> None:
        if len(self.search_edit.text().strip()) >= 2:
            self.run_search()

    def run_search(self) -> None:
        q = self.search_edit.text().strip()
        if q:
            self.search_view.search(q)
            self.show_page("search")

    # --- start-up, data changes ------------------------------------------------------------

    def start(self, background: bool = True) -> None:
        """Called once the window is shown: fill the async views; on a first start with an
        empty database, load the demo network in the background. The rest of the start-up
        work (``start_background``) runs now, or, with ``background=False``, when the caller
        calls it: the app does after the first paint, so that the scores' freshness check
        (numpy's import, on a pool thread that shares the interpreter) does not slow it."""
        self.show_page("today")
        self.today.reload()
        self._loading_demo = first_start_needs_demo(self.ctx)
        if self._loading_demo:
            self.load_demo()
        self._backup_timer = QTimer(self)
        self._backup_timer.timeout.connect(self.backup_if_due)
        self._backup_timer.start(6 * 3600 * 1000)
        if background:
            self.start_background()

    def start_background(self) -> None:
        """Scores decayed since the last run are recomputed (off the GUI thread; not while
        the demo loads, which scores what it loads), and the daily backup is made when due."""
        if not self._loading_demo:
            self.tasks.run(_fresh_scores_job, self.ctx, write=True,
                           on_done=lambda changed: changed and self.refresh_all())  # fmt: skip
        self.backup_if_due()

    def backup_if_due(self) -> None:
        """The daily rotating backup (online; encrypted like the database)."""
        from netassist.core.backup import backup_due

        if self.db.path.exists() and backup_due(self.ctx.home):
            self.tasks.run(_backup_job, self.ctx, on_done=lambda _p: None)

    # --- the tray's entry points -----------------------------------------------------------

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def log_interaction_from_tray(self) -> None:
        """Pick someone, then use the contact page's quick entry."""
        self.bring_to_front()
        self.show_page("contacts")
        self.focus_filter()

    def show_reminder(self, title: str, body: str) -> None:
        """Reminders shown in the window when the desktop has no tray: nothing is lost."""
        self.bring_to_front()
        self.show_page("today")
        self.today.reload()
        QMessageBox.information(self, title, body)

    def show_notice(self, message: str) -> None:
        self.statusBar().showMessage(message, 20000)

    def load_demo(self) -> None:
        self.demo_progress = TaskProgress()
        self.demo_progress.changed.connect(self._busy_progress)
        self.busy_bar.setRange(0, 0)  # busy until (if ever) a fraction arrives
        self.busy_bar.show()
        self.statusBar().showMessage(_("Loading a demo network so you can look around…"))
        self.tasks.run(_load_demo_job, self.ctx, self.demo_progress, write=True,
                       on_done=self._demo_loaded, on_error=self._demo_failed)  # fmt: skip

    def _busy_progress(self, fraction: object, _text: str) -> None:
        self.busy_bar.setRange(0, 1000)
        self.busy_bar.setValue(int(float(fraction or 0) * 1000))  # type: ignore[arg-type]

    def _demo_loaded(self, n: int) -> None:
        self.demo_progress = None
        self.busy_bar.hide()
        self.statusBar().showMessage(
            ngettext("Demo network loaded: %d contact", "Demo network loaded: %d contacts", n) % n,
            8000,
        )
        self._update_demo_label()
        self.refresh_all()

    def _demo_failed(self, exc: BaseException) -> None:
        self.demo_progress = None
        self.busy_bar.hide()
        self.statusBar().showMessage(_("The demo network could not be loaded: %s") % exc)

    def _update_demo_label(self) -> None:
        self.demo_label.setText(
            _("Demo data: import your own from File ▸ Import") if is_demo_data(self.ctx) else ""
        )

    def _task_failed(self, message: str) -> None:
        self.statusBar().showMessage(_("Could not finish: %s") % message, 15000)

    def refresh_all(self) -> None:
        self.contacts.reload()
        self.reports.reload()
        self.today.reload()
        if self.insights.loaded_once:
            self.insights.reload()
        if self.current_page() == "contact":
            self.contact_page.refresh()
        self.reminders_changed.emit()

    def _today_acted(self) -> None:
        """Today reloads itself after an action; the rest follows (a logged interaction)."""
        self.contacts.reload()
        if self.insights.loaded_once:
            self.insights.reload()
        self.reminders_changed.emit()

    def _import_finished(self, outcomes: list[object]) -> None:
        if self._pending_retranslate:
            self._pending_retranslate = False
            self.retranslate()
            self.importer.show_outcomes(outcomes)  # type: ignore[arg-type]

    # --- dialogs ----------------------------------------------------------------------------

    def show_duplicates(self) -> None:
        from netassist.ui.dialogs.duplicates_dialog import DuplicatesDialog

        dlg = DuplicatesDialog(self.ctx.db, self.tasks, self)
        dlg.data_changed.connect(self.refresh_all)
        dlg.exec()

    def show_settings(self) -> None:
        dlg = SettingsDialog(self.ctx.settings, str(self.ctx.home), self, ctx=self.ctx,
                             tasks=self.tasks)  # fmt: skip
        if dlg.exec():
            self.apply_settings(dlg.values())

    def apply_settings(self, values: dict[str, object]) -> None:
        lang_changed = values.get("language") != i18n.current_language()

        def store(settings: object, vals: dict[str, object]) -> None:
            for k, v in vals.items():
                settings.set(k, v)  # type: ignore[attr-defined]

        if "autostart" in values and bool(values["autostart"]) != bool(
            self.ctx.settings.get("autostart")
        ):
            from netassist.desktop import autostart

            autostart.enable() if values["autostart"] else autostart.disable()
        cadences = values.get("tier_cadence_days")
        rescore = cadences is not None and cadences != self.ctx.settings.get("tier_cadence_days")
        self.tasks.run(store, self.ctx.settings, dict(values), write=True,
                       on_done=lambda _r: self.settings_changed.emit())  # fmt: skip
        if rescore:  # the default cadences changed: due dates and follow-ups follow at once
            from netassist.core.scoring import rescore as rescore_all

            self.tasks.run(rescore_all, self.db, None, write=True,
                           on_done=lambda _n: self.refresh_all())  # fmt: skip
        if lang_changed:
            i18n.set_language(str(values["language"]))
            self.qt_translations.apply(i18n.current_language())
            if self.importer.progress is not None:
                self._pending_retranslate = True  # rebuilding would drop the running import's page
            else:
                self.retranslate()
            if self.tray is not None:
                self.tray.refresh_menu()  # follow-up reasons are rendered when the menu is built
                self.tray.set_due_count(self.tray.due_count)  # the tooltip, in the new language
            self.language_changed.emit(i18n.current_language())

    def show_about(self) -> None:
        blurb = _(
            "A personal networking assistant that keeps your contacts and the history of "
            "your conversations on your own computer."
        )
        folder = _("Data folder: %s") % self.ctx.home
        QMessageBox.about(
            self,
            _("About netassist"),
            f"<h3>netassist {__version__}</h3><p>{blurb}</p><p>{folder}</p>",
        )

    def export_contacts(self) -> None:
        name, _f = QFileDialog.getSaveFileName(
            self, _("Export contacts"), str(Path.home() / "contacts.csv"), "CSV (*.csv)"
        )
        if name:
            self.tasks.run(
                export_contacts_csv, self.db, Path(name),
                on_done=lambda n: self.statusBar().showMessage(
                    ngettext("Exported %d contact", "Exported %d contacts", n) % n, 8000),
            )  # fmt: skip

    # --- drag and drop, closing -------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.show_page("import")
            self.importer.add_paths(paths)
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        tray = getattr(self, "tray", None)
        if (
            tray is not None
            and not getattr(self, "quitting", False)
            and tray.window_closed_notice()
        ):
            self.ui_state.setValue("window/geometry", self.saveGeometry())
            self.hide()  # closing the window keeps netassist in the tray
            event.ignore()
            return
        self.ui_state.setValue("window/geometry", self.saveGeometry())
        self.ui_state.setValue("window/state", self.saveState())
        self.ui_state.sync()
        if self.importer.progress is not None:
            self.importer.progress.cancel()
        if self.demo_progress is not None:
            self.demo_progress.cancel()
        self.reports.cancel()
        self.tasks.wait(30000)
        super().closeEvent(event)
