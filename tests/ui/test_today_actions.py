"""Today and the contact page's "Keep in touch" box, driven offscreen on a real database file:
snooze / done / dismiss stick (also after reopening the file), cadence and reminders edited on
the contact page show up where they should."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialogButtonBox

from netassist.core import agenda
from netassist.core import reminders as rem
from netassist.core.db import Database
from netassist.core.timeutil import now_ts
from netassist.ui import reminders_bridge as rb
from netassist.ui.app import build_context
from netassist.ui.tasks import Tasks
from netassist.ui.views.today_view import TodayView, digest_text
from netassist.ui.widgets.due_actions import snooze_time
from tests.support.agenda_network import network
from tests.ui.conftest import type_text

DAY = 86400
OK = QDialogButtonBox.StandardButton.Ok
LOG_DEFAULT = "call"  # the Done dialog's first channel


class Clock:
    def __init__(self, t: int) -> None:
        self.t = t

    def __call__(self) -> int:
        return self.t


def _today(qtbot, db: Database, clock: Clock) -> TodayView:  # type: ignore[no-untyped-def]
    view = TodayView(db, Tasks(), clock=clock)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    return view


def _names(view: TodayView) -> list[str]:
    return [view.model.item(r).name or view.model.item(r).title
            for r in range(view.model.rowCount())]  # fmt: skip


def _select(view: TodayView, name: str) -> None:
    row = _names(view).index(name)
    view.view.setFocus()
    view.view.setCurrentIndex(view.model.index(row, 0))


def _done(view: TodayView) -> None:
    view.tasks.wait()


def test_snooze_from_today_hides_until_then_and_the_tray_count_drops(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(now_ts())
    ids = network(ctx.db, clock.t)
    view = _today(qtbot, ctx.db, clock)
    assert "Анна" in _names(view) and "Борис" in _names(view)
    badge = rb.due_count(ctx.db, clock.t)
    _select(view, "Анна")
    one_hour = next(a for a in view.snooze.actions() if a.data() == "1h")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        one_hour.trigger()
    assert "Анна" not in _names(view)
    with ctx.db.engine.connect() as conn:
        until = conn.exec_driver_sql(
            "SELECT max(until) FROM followup_action WHERE contact_id = ? AND action = 'snooze'",
            (ids["Анна"],),
        ).scalar()
    assert until == clock.t + 3600
    assert rb.due_count(ctx.db, clock.t) == badge - 1
    assert view._wake_timer.isActive()  # it will look again when the snooze ends
    clock.t += 3601
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    assert "Анна" in _names(view)
    assert rb.due_count(ctx.db, clock.t) == badge
    _done(view)


def test_done_with_a_logged_call_by_keyboard_resets_due(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(now_ts())
    anna = network(ctx.db, clock.t)["Анна"]
    due_before = agenda.keep_in_touch(ctx.db, anna).due_at
    view = _today(qtbot, ctx.db, clock)
    _select(view, "Анна")
    view.activateWindow()
    qtbot.keyClick(view.view, Qt.Key.Key_D)  # Done…
    dlg = view.done_dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.log_check.isChecked() and "Анна" in dlg.log_check.text()
    dlg.channel_combo.setCurrentIndex(dlg.channel_combo.findData("call"))
    type_text(dlg.text_edit, "созвонились")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.mouseClick(dlg.buttons.button(OK), Qt.MouseButton.LeftButton)
    assert "Анна" not in _names(view)
    with ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT channel, text, occurred_at FROM interaction WHERE contact_id = ?"
            " ORDER BY id DESC LIMIT 1", (anna,)).one() == ("call", "созвонились", clock.t)  # fmt: skip
    after = agenda.keep_in_touch(ctx.db, anna)
    assert due_before is not None and after.due_at is not None
    assert after.due_at > clock.t > due_before
    _done(view)


def test_dismiss_and_custom_snooze_persist_across_reopening(qtbot, ctx, home: Path) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(now_ts())
    network(ctx.db, clock.t)
    bill = rem.add_reminder(ctx.db, "Оплатить интернет", clock.t - 60)
    call = rem.add_reminder(ctx.db, "Записаться к врачу", clock.t - 30)
    view = _today(qtbot, ctx.db, clock)
    assert {"Оплатить интернет", "Записаться к врачу"} <= set(_names(view))
    _select(view, "Оплатить интернет")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.keyClick(view.view, Qt.Key.Key_Delete)  # Dismiss
    _select(view, "Борис")  # dormant: offered as "reconnect", dismissed from the context menu
    view._context_menu(view.view.visualRect(view.view.currentIndex()).center())
    menu = view.context_menu
    assert menu is not None
    labels = [a.text() for a in menu.actions()]
    assert labels[:3] == ["&Done…", "&Snooze", "D&ismiss"]
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.act_dismiss.trigger()
    menu.close()
    _select(view, "Записаться к врачу")  # snoozed to a picked time
    custom = next(a for a in view.snooze.actions() if a.data() == "custom")
    custom.trigger()
    picker = view.when_dialog
    assert picker is not None and picker.isVisible()
    later = clock.t + 3 * DAY
    picker.edit.setDateTime(QDateTime.fromSecsSinceEpoch(later))
    with qtbot.waitSignal(view.loaded, timeout=10000):
        picker.accept()
    names = _names(view)
    assert "Оплатить интернет" not in names and "Борис" not in names
    assert "Записаться к врачу" not in names
    _done(view)
    view.close()
    ctx.db.dispose()

    again = build_context(home)  # the same file, opened afresh
    try:
        view2 = _today(qtbot, again.db, clock)
        names = _names(view2)
        assert "Оплатить интернет" not in names and "Борис" not in names
        assert "Записаться к врачу" not in names
        stored = {r["id"]: r for r in rem.list_reminders(again.db, include_done=True)}
        assert stored[bill]["dismissed_at"] is not None
        assert stored[call]["snoozed_until"] == later // 60 * 60  # the picker keeps minutes
        clock.t = later + 1
        with qtbot.waitSignal(view2.loaded, timeout=10000):
            view2.reload()
        assert "Записаться к врачу" in _names(view2) and "Борис" not in _names(view2)
        _done(view2)
    finally:
        again.db.dispose()


def test_digest_line_counts_by_kind_and_keeps_dormant_apart(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(now_ts())
    network(ctx.db, clock.t)
    rem.add_reminder(ctx.db, "Купить подарок", clock.t - 60)
    view = _today(qtbot, ctx.db, clock)
    text = view.note.text()
    assert "1 reminder" in text and "1 birthday this week" in text
    assert "1 contact gone quiet (dormant), 1 worth reconnecting with" in text
    assert "follow-ups due (" in text or "follow-up due (" in text
    d = agenda.DigestCounts({"owed_reply": 2, "overdue": 1}, 5, 2, 21, 1)
    from netassist.core import i18n

    i18n.set_language("ru")
    try:
        ru = digest_text(d)
    finally:
        i18n.set_language("en")
    assert "2 ответа за вами" in ru and "5 напоминаний" in ru
    assert "2 дня рождения на этой неделе" in ru and "21 контакт давно молчит" in ru
    assert digest_text(d).startswith("3 follow-ups due (2 replies owed, 1 overdue) · 5 reminders")
    _done(view)


def test_contact_page_cadence_and_a_weekly_reminder_reaching_today(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from netassist.ui.views.contact_page import ContactPage

    clock = Clock(now_ts())
    ids = network(ctx.db, clock.t)
    anna, vera = ids["Анна"], ids["Вера"]
    page = ContactPage(ctx.db, Tasks())
    qtbot.addWidget(page)
    page.resize(1280, 900)
    page.show()
    box = page.keep_box
    box.clock = clock
    with qtbot.waitSignal(box.loaded, timeout=10000):
        page.show_contact(anna)
    learned = agenda.keep_in_touch(ctx.db, anna).learned_days
    assert learned is not None
    assert box.cadence_spin.text() == "automatic" and not box.auto_btn.isEnabled()
    assert "learned from your history" in box.status.text() and "Next due" in box.status.text()
    box.cadence_spin.setValue(30)  # stored by itself a moment later
    qtbot.waitUntil(lambda: "every 30 days" in box.status.text(), timeout=10000)
    k = agenda.keep_in_touch(ctx.db, anna)
    assert k.user_days == 30 and k.due_at == k.last_at + 30 * DAY  # rescored
    assert box.auto_btn.isEnabled()
    qtbot.mouseClick(box.auto_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.cadence_spin.text() == "automatic" and "Usually" in
                    box.status.text(), timeout=10000)  # fmt: skip
    assert agenda.keep_in_touch(ctx.db, anna).user_days is None

    # a weekly reminder for Vera, due in two days
    with qtbot.waitSignal(box.loaded, timeout=10000):
        page.show_contact(vera)
    assert box.reminders.count() == 1 and not box.done_btn.isEnabled()  # "no reminders" line
    type_text(box.title_edit, "Спросить про переезд")
    when = (clock.t + 2 * DAY) // 60 * 60
    box.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(when))
    box.recurrence.setCurrentIndex(box.recurrence.findData("weekly"))
    qtbot.mouseClick(box.add_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Спросить про переезд" in box.reminders.item(0).text(), timeout=10000)
    assert "every week" in box.reminders.item(0).text()
    page.tasks.wait()

    view = _today(qtbot, ctx.db, clock)
    assert "Спросить про переезд" not in [view.model.item(r).title
                                          for r in range(view.model.rowCount())]  # fmt: skip
    clock.t = when + 60
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.reload()
    titles = [view.model.item(r).title for r in range(view.model.rowCount())]
    row = titles.index("Спросить про переезд")
    view.view.setCurrentIndex(view.model.index(row, 0))
    view.done_selected()
    dlg = view.done_dialog
    assert dlg is not None
    dlg.log_check.setChecked(False)  # done, but nothing to log
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.mouseClick(dlg.buttons.button(OK), Qt.MouseButton.LeftButton)
    assert "Спросить про переезд" not in [view.model.item(r).title
                                          for r in range(view.model.rowCount())]  # fmt: skip
    (r,) = agenda.contact_reminders(ctx.db, vera)
    assert r["due_at"] == when + 7 * DAY and r["recurrence"] == "weekly"
    _done(view)


def test_reminder_actions_in_the_keep_in_touch_box(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from netassist.ui.widgets.keep_in_touch import KeepInTouchBox

    clock = Clock(now_ts())
    vera = network(ctx.db, clock.t)["Вера"]
    rid = agenda.add_reminder(ctx.db, "Вернуть книгу", clock.t - 60, vera)
    box = KeepInTouchBox(ctx.db, Tasks(), clock=clock)
    qtbot.addWidget(box)
    box.show()
    with qtbot.waitSignal(box.loaded, timeout=10000):
        box.load(vera, "Вера")
    box.reminders.setCurrentRow(0)
    assert box.done_btn.isEnabled()
    tomorrow = next(a for a in box.snooze.actions() if a.data() == "tomorrow")
    with qtbot.waitSignal(box.changed, timeout=10000):
        tomorrow.trigger()
    assert rem.list_reminders(ctx.db)[0]["snoozed_until"] == snooze_time("tomorrow", clock.t)
    qtbot.waitUntil(lambda: "snoozed" in box.reminders.item(0).text(), timeout=10000)
    box.reminders.setCurrentRow(0)
    qtbot.mouseClick(box.done_btn, Qt.MouseButton.LeftButton)
    dlg = box.done_dialog
    assert dlg is not None and dlg.channel() == LOG_DEFAULT
    with qtbot.waitSignal(box.changed, timeout=10000):
        qtbot.mouseClick(dlg.buttons.button(OK), Qt.MouseButton.LeftButton)
    assert rem.list_reminders(ctx.db) == []
    with ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT channel, text FROM interaction WHERE contact_id = ? ORDER BY id DESC LIMIT 1",
            (vera,)).one() == (LOG_DEFAULT, "Вернуть книгу")  # fmt: skip
    assert rem.list_reminders(ctx.db, include_done=True)[0]["id"] == rid
    box.tasks.wait()


def test_today_actions_tell_the_window_and_so_the_tray(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    rem.add_reminder(window.db, "Позвонить в банк", now_ts() - 60)
    window.today.reload()

    def titles() -> list[str]:
        return [window.today.model.item(r).title for r in range(window.today.model.rowCount())]

    qtbot.waitUntil(lambda: "Позвонить в банк" in titles(), timeout=10000)
    window.today.view.setCurrentIndex(
        window.today.model.index(titles().index("Позвонить в банк"), 0)
    )
    with qtbot.waitSignal(window.reminders_changed, timeout=10000):
        window.today.act_dismiss.trigger()
    qtbot.waitUntil(lambda: "Позвонить в банк" not in titles(), timeout=10000)
    window.tasks.wait()


def test_snooze_choices_land_where_promised() -> None:
    now = int(datetime(2026, 12, 2, 15, 30).astimezone().timestamp())  # a Wednesday
    assert snooze_time("1h", now) == now + 3600
    t = datetime.fromtimestamp(snooze_time("tomorrow", now)).astimezone()
    assert (t.day, t.hour, t.minute) == (3, 9, 0)
    w = datetime.fromtimestamp(snooze_time("next-week", now)).astimezone()
    assert (w.weekday(), w.day, w.hour) == (0, 7, 9)
