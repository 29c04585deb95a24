"""Composition root, first-start demo, responsiveness while importing, settings, retranslation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from netassist.core import i18n, repository
from netassist.core.db import Database, open_database
from netassist.core.demo import load_demo
from netassist.core.settings import Settings, database_path
from netassist.ui.tasks import TaskProgress, Tasks

REPO = Path(__file__).resolve().parents[2]


SCRIPT = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from netassist.ui import app as app_mod

app = QApplication(sys.argv[:1])  # main() reuses it; timers need it to exist first
seen = {}

def poll():
    wins = [w for w in QApplication.topLevelWidgets() if hasattr(w, "demo_label") and w.isVisible()]
    if wins and "shown" not in seen:
        seen["shown"] = time.perf_counter() - t0
    if wins and wins[0].demo_progress is None and wins[0].demo_label.text():
        print("LABEL", wins[0].demo_label.text())
        print("ROWS", wins[0].contacts.model.rowCount())
        print("SHOWN", seen["shown"])
        print("HEAVY", [m for m in ("sklearn", "pymorphy3") if m in sys.modules])
        wins[0].close()
        QApplication.instance().quit()
    else:
        QTimer.singleShot(10, poll)

QTimer.singleShot(0, poll)
QTimer.singleShot(20000, lambda: QApplication.instance().exit(3))
sys.exit(app_mod.main())
"""


def test_main_first_start_loads_demo_off_the_gui_thread(home) -> None:
    """app.main() in a fresh process on an empty home: a window opens at once, the demo
    arrives in the background, demo_offered is set and the status bar says it is demo data."""
    env = dict(os.environ, NETASSIST_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(REPO))  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=60, cwd=REPO)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    assert out["LABEL"].startswith("Demo data")
    assert out["ROWS"] == "150"
    assert out["HEAVY"] == "[]"  # no scikit-learn / pymorphy3 on the way to the window
    from netassist.core.db import open_database
    from netassist.core.keys import is_encrypted, resolve_key

    assert is_encrypted(database_path(home))  # encrypted by default, key in the keyring
    db = open_database(database_path(home), resolve_key(home).key)
    assert Settings(db).get("demo_offered") is True
    assert len(repository.contact_ids(db)) == 150
    db.dispose()


def test_no_demo_when_already_offered(qtbot, ctx) -> None:
    from netassist.ui.main_window import MainWindow, first_start_needs_demo

    assert first_start_needs_demo(ctx)
    ctx.settings.set("demo_offered", True)
    assert not first_start_needs_demo(ctx)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.start()
    win.tasks.wait()
    assert win.demo_progress is None and win.contacts.model.rowCount() == 0
    assert win.demo_label.text() == ""


def test_demo_interrupted_by_quitting_is_offered_again(qtbot, ctx) -> None:
    """Closing the window while the first start's demo loads cancels it (nothing kept); the next
    start offers it again instead of opening on an empty database for good."""
    from netassist.ui.main_window import _load_demo_job, first_start_needs_demo
    from netassist.ui.tasks import TaskProgress

    progress = TaskProgress()
    progress.cancel()  # what quitting does to the running task
    assert _load_demo_job(ctx, progress) == 0
    assert ctx.settings.get("demo_offered") is not True
    assert first_start_needs_demo(ctx) and repository.contact_ids(ctx.db) == []
    assert _load_demo_job(ctx, TaskProgress()) > 0  # the next start: loaded, and offered
    assert ctx.settings.get("demo_offered") is True and not first_start_needs_demo(ctx)


def _measure_gaps(qtbot, db: Database) -> tuple[object, list[float], list[str]]:  # type: ignore[no-untyped-def]
    """Import a demo on the write pool while a 10 ms timer ticks on the GUI thread; return
    the result, the gaps between ticks, and where the GUI thread was during any stall."""
    tasks = Tasks()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    done: list[object] = []
    # A watchdog thread records where the GUI thread was during a stall, so a failure says
    # what blocked it rather than only that something did.
    main_id = threading.get_ident()
    stop = threading.Event()
    stalls: list[str] = []

    def watchdog() -> None:
        while not stop.wait(0.02):
            if time.perf_counter() - last[0] > 0.08 and len(stalls) < 3:
                frame = sys._current_frames().get(main_id)
                stalls.append("".join(traceback.format_stack(frame)) if frame else "?")
                stop.wait(0.2)

    threading.Thread(target=watchdog, daemon=True).start()
    timer.start()
    last[0] = time.perf_counter()
    tasks.run(load_demo, db, contacts=400, years=2.0, progress=TaskProgress(), write=True,
              on_done=done.append, on_error=done.append)  # fmt: skip
    qtbot.waitUntil(lambda: bool(done), timeout=30000)
    timer.stop()
    stop.set()
    return done[0], gaps, stalls


def test_event_loop_never_stalls_while_demo_imports(qtbot, tmp_path: Path) -> None:
    """The GUI thread keeps ticking every 10 ms while an import runs in the worker.

    Code that blocks the GUI thread stalls every run; a loaded machine's scheduler (a CI box
    with more busy processes than cores) can delay one run. So the measurement is repeated up
    to three times on fresh databases and fails only if every run stalled > 100 ms with the
    GUI thread caught inside netassist's own code (a watchdog samples its stack in a stall)."""
    attempts: list[str] = []
    for n in range(3):
        db = open_database(tmp_path / f"stall{n}.db")
        try:
            result, gaps, stalls = _measure_gaps(qtbot, db)
        finally:
            db.dispose()
        assert result.interactions_added > 1000  # type: ignore[attr-defined]
        assert len(gaps) >= 15  # the import took a while and the timer kept firing through it
        worst = max(gaps)
        if worst < 0.100:
            return
        ours = [st for st in stalls if _in_app_code(st)]
        if stalls and not ours:
            return  # every stall caught the GUI thread idle in the event loop: the OS, not us
        attempts.append(f"stalled {worst * 1000:.0f} ms; GUI thread was at:\n" + "\n".join(stalls))
    pytest.fail("event loop stalled in every run:\n" + "\n===\n".join(attempts))


def _in_app_code(stack: str) -> bool:
    """Whether a sampled GUI-thread stack is inside netassist's own code (not tests, not the
    test's waiting loop): a stall there is a real block, one elsewhere is the machine's load."""
    return any("/netassist/" in line and "/tests/" not in line
               for line in stack.splitlines() if line.lstrip().startswith("File "))  # fmt: skip


def test_settings_dialog_values_and_runtime_language_switch(qtbot, window) -> None:
    from netassist.ui.dialogs.settings_dialog import SettingsDialog

    dlg = SettingsDialog(window.ctx.settings, str(window.ctx.home), window)
    qtbot.addWidget(dlg)
    dlg.language.setCurrentIndex(dlg.language.findData("ru"))
    dlg.region.setText("de")
    dlg.me_names.setText("Я, Ваня Петров")
    vals = dlg.values()
    assert vals["default_region"] == "DE" and vals["me_names"] == ["Я", "Ваня Петров"]
    window.show_page("contacts")
    window.contacts.filter_edit.setText("ан")
    window.apply_settings(vals)
    window.tasks.wait()
    assert i18n.current_language() == "ru"
    assert window.ctx.settings.get("default_region") == "DE"
    assert window.ctx.settings.get("language") == "ru"
    # the views were rebuilt in Russian, keeping page and filter
    assert window.current_page() == "contacts"
    assert window.contacts.filter_edit.text() == "ан"
    assert window.nav.item(0).text() == "Сегодня"
    assert window.contacts.model.headerData(0, Qt.Orientation.Horizontal) == "Имя"
    assert window.menuBar().actions()[0].text() == "&Файл"
    window.apply_settings({"language": "en"})
    window.tasks.wait()
    assert window.nav.item(0).text() == "Today"


def test_window_geometry_is_remembered(qtbot, demo_ctx) -> None:
    from netassist.ui.main_window import MainWindow

    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    win.show()
    win.resize(700, 500)  # inside the offscreen screen (restoreGeometry clamps to it)
    size = (win.width(), win.height())
    assert size != (1280, 800)
    win.close()
    assert (demo_ctx.home / "ui.ini").exists()
    again = MainWindow(demo_ctx)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == size


def test_first_paint_probe_prints_times_and_quits(home) -> None:
    """NETASSIST_FIRST_PAINT=quit (the start-up benchmark): main() in a fresh process prints
    when the window first paints and when it first paints with the Today page's data, in that
    order, then quits cleanly; without the variable nothing is printed (see the demo test)."""
    db = open_database(database_path(home))  # unencrypted: no keyring needed in the child
    load_demo(db, contacts=30, years=0.5)
    Settings(db).set("demo_offered", True)
    db.dispose()
    env = dict(os.environ, NETASSIST_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(REPO), NETASSIST_FIRST_PAINT="quit")  # fmt: skip
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", "import sys; from netassist.ui.app import main;"
                           " sys.exit(main())"], env=env, capture_output=True, text=True,
                          timeout=60, cwd=REPO)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [ln.split() for ln in proc.stdout.splitlines() if ln.startswith("netassist-first")]
    assert [ln[1] for ln in lines] == ["window", "data"]
    window_t, data_t = (float(ln[2]) for ln in lines)
    assert started < window_t <= data_t < time.time()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_quit_cleanly(home, sig: int) -> None:
    """Ctrl+C in the terminal that ran `make run`, or a SIGTERM, quits the app (exit code 0, the
    database closed) instead of being ignored by Qt's event loop or killing it mid-write."""
    db = open_database(database_path(home))
    load_demo(db, contacts=20, years=0.5)
    Settings(db).set("demo_offered", True)
    db.dispose()
    env = dict(os.environ, NETASSIST_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(REPO), NETASSIST_FIRST_PAINT="1")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from netassist.ui.app import main;"
                             " sys.exit(main())"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)  # fmt: skip
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the window is up once it has painted with its data
            if line.startswith("netassist-first-paint data"):
                break
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0, proc.stderr.read()[-2000:] if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
