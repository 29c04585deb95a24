"""The tray controller and the reminders bridge offscreen (no tray: the in-window fallback)."""

from __future__ import annotations

import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QIcon, QImage
from PySide6.QtWidgets import QMenu

from netassist.core import reminders as rem
from netassist.core.contacts import add_contact
from netassist.core.db import Database, open_database
from netassist.core.settings import Settings
from netassist.core.timeutil import now_ts
from netassist.ui import reminders_bridge as rb
from netassist.ui.tray import (
    TrayCallbacks,
    TrayController,
    badge_icon,
    seconds_until_tomorrow,
    tooltip_text,
)


class Recorder:
    """TrayCallbacks that remember every call and the thread it came on."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, int]] = []
        self.followups: list[tuple[int, str, str]] = []
        self.paused = 0

    def cb(self) -> TrayCallbacks:
        def rec(name: str):  # type: ignore[no-untyped-def]
            return lambda *a: self.calls.append((name, a, threading.get_ident()))

        return TrayCallbacks(
            open_window=rec("open_window"),
            open_contact=rec("open_contact"),
            log_interaction=rec("log_interaction"),
            quit_app=rec("quit_app"),
            top_followups=lambda: self.followups,
            show_in_window=rec("show_in_window"),
            pause=rec("pause"),
            tray_unavailable=rec("tray_unavailable"),
            paused_until=lambda: self.paused,
        )

    def named(self, name: str) -> list[tuple[Any, int]]:
        return [(a, t) for n, a, t in self.calls if n == name]


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    d = open_database(tmp_path / "t.db")
    Settings(d).set("quiet_start", "00:00")  # no quiet hours whenever the tests run
    Settings(d).set("quiet_end", "00:00")
    yield d
    d.dispose()


def test_no_tray_is_said_once_and_messages_go_to_the_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    r = Recorder()
    tray = TrayController(QIcon(), r.cb())
    assert not tray.available and tray.tray is None  # offscreen has no tray
    told = r.named("tray_unavailable")
    assert len(told) == 1 and "no system tray" in told[0][0][0]
    assert tray.window_closed_notice() is False  # the window must really close or minimise
    assert tray.show_message("Напоминание", "Позвонить Ивану") is False
    assert r.named("show_in_window")[-1][0] == ("Напоминание", "Позвонить Ивану")


def test_notify_from_a_worker_thread_runs_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    r = Recorder()
    tray = TrayController(QIcon(), r.cb())
    gui = threading.get_ident()
    worker = threading.Thread(target=tray.notify, args=("netassist: 1 thing", "• Позвонить", 3))
    with qtbot.waitSignal(tray.shown, timeout=3000) as sig:
        worker.start()
        worker.join()
        assert r.named("show_in_window") == []  # queued: nothing ran on the worker thread
    assert sig.args == ["netassist: 1 thing", "• Позвонить", False]
    [(args, thread)] = r.named("show_in_window")
    assert args == ("netassist: 1 thing", "• Позвонить") and thread == gui
    assert tray.due_count == 3


def _red_and_white(icon: QIcon, size: int = 64) -> tuple[int, int]:
    img = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_RGB32)
    red = white = 0
    for y in range(size // 2):  # the badge's quarter
        for x in range(size // 2, size):
            c = QColor(img.pixel(x, y))
            red += c.red() > 180 and c.green() < 90 and c.blue() < 90
            white += c.red() > 220 and c.green() > 220 and c.blue() > 220
    return red, white


def test_badge_icon_draws_the_number(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert _red_and_white(badge_icon(QIcon(), 0)) == (0, 0)
    red, white = _red_and_white(badge_icon(QIcon(), 7))
    assert red > 100 and white > 10  # a red disc with a white digit on it
    one = badge_icon(QIcon(), 1).pixmap(64, 64).toImage()
    eight = badge_icon(QIcon(), 8).pixmap(64, 64).toImage()
    assert one != eight  # the digit itself is drawn, not just a dot
    many = badge_icon(QIcon(), 250).pixmap(64, 64).toImage()
    assert many == badge_icon(QIcon(), 99).pixmap(64, 64).toImage()  # capped at 99


def test_tooltip_counts() -> None:
    assert tooltip_text(0) == "netassist"
    assert tooltip_text(1) == "netassist — 1 thing due"
    assert tooltip_text(4) == "netassist — 4 things due"


def _menu_texts(m: QMenu) -> list[str]:
    return [a.text() for a in m.actions() if not a.isSeparator()]


def _submenu(m: QMenu, name: str) -> QMenu:
    # by object name: QAction.menu() in PySide6 hands out wrappers that may delete the menu
    sub = m.findChild(QMenu, name)
    assert sub is not None, f"no submenu {name!r} in {_menu_texts(m)}"
    return sub


def test_menu_lists_followups_from_the_callback(qtbot) -> None:  # type: ignore[no-untyped-def]
    r = Recorder()
    tray = TrayController(QIcon(), r.cb())
    m = QMenu()
    tray.build_menu(m)
    assert _menu_texts(m) == ["Open netassist", "Today's follow-ups", "Log interaction…",
                              "Pause reminders", "Quit"]  # fmt: skip
    empty = _submenu(m, "followups")
    assert _menu_texts(empty) == ["Nothing due today"] and not empty.actions()[0].isEnabled()
    r.followups = [(i, f"Контакт {i}", "overdue by 3 days") for i in range(1, 10)]
    tray.build_menu(m)  # rebuilt: the old actions are gone, the new list is shown (top 7)
    assert len(m.findChildren(QMenu, "followups")) == 1
    fups = _submenu(m, "followups")
    assert _menu_texts(fups) == [f"Контакт {i} — overdue by 3 days" for i in range(1, 8)]
    fups.actions()[2].trigger()
    assert r.named("open_contact")[-1][0] == (3,)
    pause = _submenu(m, "pause")
    assert _menu_texts(pause) == ["For 1 hour", "Until tomorrow"]
    pause.actions()[0].trigger()
    assert r.named("pause")[-1][0] == (3600,)
    r.paused = now_ts() + 1800
    tray.build_menu(m)
    pause = _submenu(m, "pause")
    assert _menu_texts(pause)[0].startswith("Paused until ")
    pause.actions()[1].trigger()  # Resume reminders
    assert r.named("pause")[-1][0] == (0,)


def test_until_tomorrow_is_nine_next_morning() -> None:
    evening = datetime(2026, 5, 4, 23, 0).astimezone()
    assert seconds_until_tomorrow(evening) == 10 * 3600


def _score(db: Database, cid: int, due_at: int, state: str) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contact_score (contact_id, computed_at, strength, tier, trend, due_at,"
            " breakdown, state) VALUES (?, 0, 50, 'active', 'flat', ?, '{}', ?)",
            (cid, due_at, state),
        )


def test_followups_fall_back_to_the_score_cache(db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "netassist.core.scoring", None)  # the engine is absent
    now = now_ts()
    anna = add_contact(db, "Анна Смирнова")
    oleg = add_contact(db, "Олег")
    far = add_contact(db, "Later Person")
    old = add_contact(db, "Dormant Person")
    _score(db, anna, now - 2 * 86400 - 60, "overdue")
    _score(db, oleg, now - 60, "due")
    _score(db, far, now + 9 * 86400, "active")
    _score(db, old, now - 400 * 86400, "dormant")
    got = rb.top_followups(db, now, limit=5)
    assert got == [(anna, "Анна Смирнова", "overdue by 2 days"), (oleg, "Олег", "due today")]
    assert rb.digest_followups(db, now) == [(n, r) for _c, n, r in got]
    rem.add_reminder(db, "Позвонить", now - 5)
    assert rb.due_count(db, now) == 3  # one reminder + two follow-ups due


def test_bridge_fires_missed_reminders_into_the_window(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    rem.add_reminder(db, "Поздравить Марину", now_ts() - 120)
    r = Recorder()
    bridge = rb.RemindersBridge(db, service_id="unit-bridge")
    r.followups = []
    cb = r.cb()
    cb.top_followups = bridge.top_followups
    tray = TrayController(QIcon(), cb)
    try:
        with qtbot.waitSignal(tray.shown, timeout=5000) as sig:
            bridge.start(tray)  # the start-up check runs on an APScheduler worker thread
        title, body, via_tray = sig.args
        assert "1 missed" in title and body == "• missed: Поздравить Марину" and not via_tray
        assert r.named("show_in_window")[0][1] == threading.get_ident()
        qtbot.waitUntil(lambda: not bridge._busy, timeout=5000)
        assert tray.due_count == 1
        bridge.pause(3600)
        assert bridge.paused_until() >= now_ts() + 3590
        rem.add_reminder(db, "Ещё одно", now_ts() - 1)
        assert bridge.service.check() is None  # paused: nothing shown, nothing marked fired
        bridge.pause(0)
        assert bridge.service.check() is not None
        _startup_check_done(qtbot, bridge)
    finally:
        bridge.stop()


def test_bridge_refresh_caches_followups(qtbot, db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "netassist.core.scoring", None)
    cid = add_contact(db, "Иван Петров")
    _score(db, cid, now_ts() - 3 * 86400, "overdue")
    bridge = rb.RemindersBridge(db, service_id="unit-refresh")
    assert bridge.top_followups() == []
    with qtbot.waitSignal(bridge.followups_changed, timeout=5000):
        bridge.refresh()
        bridge.refresh()  # while one runs: coalesced into one more pass, not lost
    assert bridge.top_followups() == [(cid, "Иван Петров", "overdue by 3 days")]
    qtbot.waitUntil(lambda: not bridge._busy, timeout=5000)
    bridge.stop()


def _startup_check_done(qtbot, bridge) -> None:  # type: ignore[no-untyped-def]
    """Stop only once the scheduler's thread has removed its one-off start-up job (stopping
    while it does races APScheduler's own shutdown: a JobLookupError in its thread)."""
    sched = bridge.service.scheduler
    qtbot.waitUntil(lambda: sched.get_job("startup-check") is None, timeout=10000)


def test_bridge_started_on_the_write_pool_waits_for_a_running_write(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    """The window starts the scheduler on its one-thread write pool: a write already running
    there (an import) finishes first, then the missed reminder fires; a bridge stopped before
    its turn never starts the scheduler."""
    from netassist.ui.tasks import Tasks

    rem.add_reminder(db, "Поздравить Марину", now_ts() - 120)
    tasks = Tasks()
    release = threading.Event()
    order: list[str] = []
    tasks.run(lambda: (release.wait(10), order.append("import")), write=True)
    bridge = rb.RemindersBridge(db, service_id="unit-pool")
    r = Recorder()
    cb = r.cb()
    cb.top_followups = bridge.top_followups
    tray = TrayController(QIcon(), cb)
    try:
        bridge.start_on_write_pool(tray, tasks)
        qtbot.wait(200)
        assert bridge.service.scheduler is None  # queued behind the running write
        order.append("waited")
        with qtbot.waitSignal(tray.shown, timeout=10000) as sig:
            release.set()
        assert order == ["waited", "import"] and "1 missed" in sig.args[0]
        # the reminder's own job may have fired before start() added the start-up check
        tasks.wait()
        qtbot.waitUntil(bridge._timer.isActive, timeout=10000)  # start() returned
        _startup_check_done(qtbot, bridge)
    finally:
        bridge.stop()
        tasks.wait()

    stopped = rb.RemindersBridge(db, service_id="unit-pool-stopped")
    release.clear()
    tasks.run(lambda: release.wait(10), write=True)
    stopped.start_on_write_pool(TrayController(QIcon(), Recorder().cb()), tasks)
    stopped.stop()
    release.set()
    tasks.wait()
    assert stopped.service.scheduler is None
