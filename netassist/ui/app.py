"""The composition root: settings → home → database → services → QApplication → MainWindow.

Nothing else in netassist creates a database connection for the GUI or a QApplication. No work
at import time; heavy modules (scikit-learn, pymorphy3) are not imported on the way to the
first window.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netassist.core.db import DatabaseError, open_database
from netassist.core.i18n import set_language
from netassist.core.settings import Settings, database_path, home_dir
from netassist.ui.context import AppContext

log = logging.getLogger(__name__)


def resources_dir() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        return Path(bundled) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def build_context(home: Path | None = None, key: str | None = None) -> AppContext:
    """Home folder, database and settings: everything the window needs that is not Qt.

    ``key`` opens an encrypted database (``netassist.ui.unlock`` asks for it; tests pass it or
    use an unencrypted home)."""
    home = home or home_dir()
    home.mkdir(parents=True, exist_ok=True)
    db = open_database(database_path(home), key)
    settings = Settings(db)
    set_language(settings.get("language"))
    return AppContext(home=home, db=db, settings=settings)


def main(minimized: bool = False) -> int:
    from netassist.core.logsafe import install_excepthook, log_to_home, safe_stderr_logging

    safe_stderr_logging()  # tracebacks without messages: they may quote personal data
    install_excepthook()  # and so are crash reports (an exception escaping a Qt slot)
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    from netassist.core.keys import KeyUnavailable
    from netassist.ui.unlock import resolve_key_gui

    home = home_dir()
    log_to_home(home)
    try:
        choice = resolve_key_gui(home)  # keyring; else the person chooses (never silently)
        ctx = build_context(home, choice.key)
    except (DatabaseError, KeyUnavailable) as exc:
        if str(exc) != "cancelled":
            QMessageBox.critical(None, "netassist", str(exc))
        print(f"netassist: {exc}", file=sys.stderr)
        return 2

    from netassist.ui.main_window import MainWindow

    app.setApplicationName("netassist")
    app.setOrganizationName("netassist")
    app.setApplicationDisplayName("netassist")
    icon = resources_dir() / "icons" / "netassist.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    window = MainWindow(ctx)
    bridge = _start_tray(app, window, ctx)
    restore_signals = _quit_on_signals(app, window)
    if os.environ.get("NETASSIST_FIRST_PAINT"):  # `make bench`: cold start to first paint
        report_first_paint(app, window, quit_after=os.environ["NETASSIST_FIRST_PAINT"] == "quit")
    if minimized and window.tray is not None and window.tray.available:
        pass  # --minimized: only the tray icon until the person opens the window
    elif minimized:
        window.showMinimized()
    else:
        window.show()
    window.start(background=False)
    reminders = functools.partial(bridge.start_on_write_pool, window.tray, window.tasks)

    def start_rest() -> None:  # the scores' freshness check, the backup, the scheduler
        window.start_background()
        reminders()

    if window.isVisible():
        after_first_paint(app, window, start_rest)  # the window first, then the rest
    else:
        start_rest()
    try:
        return int(app.exec())
    finally:
        restore_signals()
        bridge.stop()
        ctx.db.dispose()


def _quit_on_signals(app: Any, window: Any) -> Callable[[], None]:
    """Ctrl+C in the terminal (SIGINT) and SIGTERM quit like the tray's Quit, so the scheduler
    stops and the database is closed. Qt's event loop never hands control to Python on its own,
    so a timer wakes the interpreter to run the handler. Returns what puts the previous
    handlers back."""
    import signal

    from PySide6.QtCore import QTimer

    def quit_now(_signum: int, _frame: object) -> None:
        window.quitting = True  # quit, not hide to the tray
        window.close()
        app.quit()

    previous = {sig: signal.signal(sig, quit_now) for sig in (signal.SIGINT, signal.SIGTERM)}
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)

    def restore() -> None:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _paints(window: Any, obj: Any, event: Any) -> bool:
    """Whether ``event`` paints ``window`` or a widget inside it."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QWidget

    return bool(event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and obj.window() is window)  # fmt: skip


def after_first_paint(app: Any, window: Any, fn: Callable[[], None]) -> Any:
    """Run ``fn`` from the event loop right after ``window`` first paints (work that need not
    delay the first look at the window)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Once(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if _paints(window, obj, event):
                app.removeEventFilter(self)
                QTimer.singleShot(0, fn)
            return False

    once = Once(app)
    app.installEventFilter(once)
    return once


def report_first_paint(app: Any, window: Any, quit_after: bool = False) -> Any:
    """For the start-up benchmark (NETASSIST_FIRST_PAINT=1, or =quit to quit right after):
    print ``netassist-first-paint window <epoch>`` when the main window first paints and
    ``netassist-first-paint data <epoch>`` when it first paints after the Today page has its
    data. Only times are printed."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        def __init__(self) -> None:
            super().__init__(app)
            self.seen: set[str] = set()
            self.data_ready = False
            window.today.loaded.connect(self._loaded)

        def _loaded(self) -> None:
            self.data_ready = True

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if _paints(window, obj, event):
                for what in ("window", "data") if self.data_ready else ("window",):
                    if what not in self.seen:
                        self.seen.add(what)
                        print(f"netassist-first-paint {what} {time.time():.6f}", flush=True)
                if "data" in self.seen:
                    app.removeEventFilter(self)
                    if quit_after:
                        QTimer.singleShot(0, self._quit)
            return False

        def _quit(self) -> None:
            window.quitting = True  # quit like the tray's Quit, not hide to the tray
            window.close()
            app.quit()

    probe = Probe()
    app.installEventFilter(probe)
    return probe


def _start_tray(app: object, window: object, ctx: AppContext) -> object:
    """Tray icon + reminders: APScheduler jobs compute on worker threads; the tray shows the
    result on the GUI thread. Without a tray the window shows reminders itself."""
    from PySide6.QtWidgets import QApplication

    from netassist.ui.reminders_bridge import RemindersBridge
    from netassist.ui.tray import TrayCallbacks, TrayController

    assert isinstance(app, QApplication)
    w: Any = window

    def quit_app() -> None:
        w.quitting = True
        app.quit()

    bridge = RemindersBridge(ctx.db, parent=app)
    tray = TrayController(
        app.windowIcon(),
        TrayCallbacks(
            open_window=w.bring_to_front, open_contact=lambda cid: (w.bring_to_front(),
                                                                   w.open_contact(cid)),
            log_interaction=w.log_interaction_from_tray, quit_app=quit_app,
            top_followups=bridge.top_followups, show_in_window=w.show_reminder,
            pause=bridge.pause, tray_unavailable=w.show_notice,
            paused_until=bridge.paused_until,
        ),
        parent=app,
    )  # fmt: skip
    w.tray = tray
    app.setQuitOnLastWindowClosed(not tray.available)
    # Starting the bridge is the caller's: main() starts it once the window has painted.
    w.settings_changed.connect(bridge.service.sync_jobs)  # digest time moved
    w.reminders_changed.connect(bridge.reminders_changed)  # done / snoozed / dismissed / added
    ctx.background.append(lambda pause: _pause_scheduler(bridge, pause))
    return bridge


def _pause_scheduler(bridge: Any, pause: bool) -> None:
    """Encrypting, decrypting or rekeying from the settings swaps the database file under the
    open Database (core.db.Database.key_change): the same Database and engine objects go on with
    the new key, so the scheduler's job store, which holds that engine, needs no re-pointing. It
    is only paused meanwhile, so that no job writes into the file being replaced. (Closing
    everything and reopening would mean rebuilding every view that holds the Database.)"""
    sched = getattr(bridge.service, "scheduler", None)
    if sched is None:
        return
    if pause:
        sched.pause()
    else:
        sched.resume()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
