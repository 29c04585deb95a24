"""The contact page's "Keep in touch" box: the learned cadence and the next due date, the
user's own cadence (or "automatic"), and the contact's reminders (add one-off or recurring;
done / snooze / dismiss). Loads and writes run off the GUI thread; ``changed`` says something
was stored (the page refreshes, the window tells the tray)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netassist.core import agenda
from netassist.core.db import Database
from netassist.core.i18n import _, ngettext
from netassist.core.reminders import RECURRENCES
from netassist.core.timeutil import now_ts
from netassist.ui.format import format_due, format_when
from netassist.ui.tasks import Tasks
from netassist.ui.widgets.due_actions import DoneDialog, WhenDialog, snooze_menu, snooze_time

MAX_CADENCE_DAYS = 3650


def recurrence_label(rec: str) -> str:
    return {
        "none": _("once"), "daily": _("every day"), "weekly": _("every week"),
        "monthly": _("every month"), "yearly": _("every year"),
    }.get(rec, rec)  # fmt: skip


def every_days(days: float) -> str:
    n = max(1, round(days))
    return ngettext("every {n} day", "every {n} days", n).format(n=n)


def cadence_text(k: agenda.KeepInTouch, now: int) -> str:
    """What the box says about the cadence and when the person is next due."""
    if k.learned_days is None and k.user_days is None:
        return _("No interactions yet, so there is no cadence to learn.")
    if k.user_days:
        line = _("You keep in touch %s.") % every_days(k.user_days)
        if k.learned_days is not None:
            line += " " + _("Learned from your history: %s.") % every_days(k.learned_days)
    else:
        line = _("Usually %s (learned from your history).") % every_days(k.learned_days or 0)
    if k.state == "dormant":
        line += "\n" + _(
            "Gone quiet (dormant): silent for over three times the cadence, so no longer "
            "listed as overdue; reconnecting is suggested instead."
        )
    elif k.due_at is not None:
        line += "\n" + _("Next due: %s (%s)") % (
            format_when(k.due_at),
            format_due(k.due_at, k.state, now),
        )
    return line


def _load(db: Database, cid: int, now: int) -> tuple[agenda.KeepInTouch, list[dict[str, Any]]]:
    return agenda.keep_in_touch(db, cid, now), agenda.contact_reminders(db, cid)


def _tomorrow_9(now: int) -> int:
    local = datetime.fromtimestamp(now).astimezone()
    return int(
        datetime.combine(local.date() + timedelta(days=1), time(9), local.tzinfo).timestamp()
    )


class KeepInTouchBox(QGroupBox):
    changed = Signal()
    loaded = Signal()

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None,
                 clock: Callable[[], int] = now_ts) -> None:  # fmt: skip
        super().__init__(_("Keep in touch"), parent)
        self.db, self.tasks, self.clock = db, tasks, clock
        self.contact_id: int | None = None
        self.name = ""
        self.info: agenda.KeepInTouch | None = None
        self.done_dialog: DoneDialog | None = None
        self.when_dialog: WhenDialog | None = None

        self.status = QLabel(_("Loading…"))
        self.status.setWordWrap(True)
        self.cadence_spin = QSpinBox()
        self.cadence_spin.setRange(0, MAX_CADENCE_DAYS)
        self.cadence_spin.setSpecialValueText(_("automatic"))
        self.cadence_spin.setToolTip(_("0 or “automatic”: use the cadence learned from history"))
        fm = self.cadence_spin.fontMetrics()
        self.cadence_spin.setMinimumWidth(fm.horizontalAdvance(_("automatic")) + 40)
        # stored a moment after the last change (or at once on Enter / leaving the field)
        self._apply_timer = QTimer(self, singleShot=True, interval=800)
        self._apply_timer.timeout.connect(self.apply_cadence)
        self.cadence_spin.valueChanged.connect(lambda _v: self._apply_timer.start())
        self.cadence_spin.editingFinished.connect(self._apply_now)
        self.auto_btn = QPushButton(_("Automatic"))
        self.auto_btn.setToolTip(_("Go back to the cadence learned from your history"))
        self.auto_btn.clicked.connect(self.automatic)
        crow = QHBoxLayout()
        crow.addWidget(QLabel(_("Keep in touch every")))
        crow.addWidget(self.cadence_spin)
        crow.addWidget(QLabel(_("days")))
        crow.addWidget(self.auto_btn)
        crow.addStretch(1)

        self.reminders = QListWidget()
        self.reminders.setMaximumHeight(80)
        self.reminders.setWordWrap(True)
        self.reminders.currentRowChanged.connect(lambda _r: self._sync())
        self.done_btn = QPushButton(_("Done…"))
        self.done_btn.clicked.connect(self.done_selected)
        self.snooze_btn = QToolButton()
        self.snooze_btn.setText(_("Snooze"))
        self.snooze_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze = snooze_menu(self, self.snooze_selected)
        self.snooze_btn.setMenu(self.snooze)
        self.dismiss_btn = QPushButton(_("Dismiss"))
        self.dismiss_btn.clicked.connect(self.dismiss_selected)
        rrow = QHBoxLayout()
        rrow.addStretch(1)
        for w in (self.done_btn, self.snooze_btn, self.dismiss_btn):
            rrow.addWidget(w)

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(_("Remind me to…"))
        self.title_edit.returnPressed.connect(self.add)
        self.when_edit = QDateTimeEdit()
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.recurrence = QComboBox()
        for rec in RECURRENCES:
            self.recurrence.addItem(recurrence_label(rec), rec)
        self.add_btn = QPushButton(_("Add reminder"))
        self.add_btn.clicked.connect(self.add)
        arow = QHBoxLayout()  # the title on a line of its own: the page's column is narrow
        arow.addWidget(self.when_edit)
        arow.addWidget(self.recurrence)
        arow.addStretch(1)
        arow.addWidget(self.add_btn)

        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addLayout(crow)
        lay.addWidget(QLabel(_("Reminders")))
        lay.addWidget(self.reminders)
        lay.addLayout(rrow)
        lay.addWidget(self.title_edit)
        lay.addLayout(arow)
        self._sync()

    # --- loading ----------------------------------------------------------------------------

    def load(self, cid: int, name: str = "") -> None:
        if cid != self.contact_id:
            self._apply_now()  # a cadence still being typed belongs to the previous contact
            self.title_edit.clear()
            self.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(_tomorrow_9(self.clock())))
            self.recurrence.setCurrentIndex(0)
        self.contact_id, self.name = cid, name
        self.tasks.run(_load, self.db, cid, self.clock(),
                       on_done=lambda res, c=cid: self._show(c, res))  # fmt: skip

    def _show(self, cid: int, res: tuple[agenda.KeepInTouch, list[dict[str, Any]]]) -> None:
        if cid != self.contact_id:
            return  # another contact is shown by now
        info, reminders = res
        self.info = info
        self.status.setText(cadence_text(info, self.clock()))
        self.cadence_spin.blockSignals(True)  # showing what is stored is no change to store
        self.cadence_spin.setValue(round(info.user_days or 0))
        self.cadence_spin.blockSignals(False)
        self.auto_btn.setEnabled(bool(info.user_days))
        row = self.reminders.currentRow()
        self.reminders.clear()
        for r in reminders:
            text = f"{format_when(r['when'])} — {r['title']}"
            if r["recurrence"] != "none":
                text += f" ({recurrence_label(r['recurrence'])})"
            if r["snoozed_until"]:
                text += " · " + _("snoozed")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, int(r["id"]))
            self.reminders.addItem(item)
        if not reminders:
            empty = QListWidgetItem(_("No reminders for this person."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.reminders.addItem(empty)
        elif row >= 0:
            self.reminders.setCurrentRow(min(row, len(reminders) - 1))
        self._sync()
        self.loaded.emit()

    def selected_reminder(self) -> int | None:
        item = self.reminders.currentItem()
        rid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(rid) if rid is not None else None

    def _sync(self) -> None:
        on = self.selected_reminder() is not None
        for w in (self.done_btn, self.snooze_btn, self.dismiss_btn):
            w.setEnabled(on)

    # --- writes -----------------------------------------------------------------------------

    def _run(self, fn: Callable[..., object], *args: object) -> None:
        self.tasks.run(fn, self.db, *args, write=True, on_done=self._stored)

    def _stored(self, _result: object = None) -> None:
        if self.contact_id is not None:
            self.load(self.contact_id, self.name)
        self.changed.emit()

    def _apply_now(self) -> None:
        if self._apply_timer.isActive():
            self._apply_timer.stop()
            self.apply_cadence()

    def apply_cadence(self) -> None:
        self._apply_timer.stop()
        if self.contact_id is not None:
            self._run(agenda.set_cadence, self.contact_id, self.cadence_spin.value() or None)

    def automatic(self) -> None:
        self.cadence_spin.setValue(0)
        self.apply_cadence()

    def add(self) -> None:
        if self.contact_id is None:
            return
        title = self.title_edit.text().strip() or _("Get in touch with %s") % self.name
        when = int(self.when_edit.dateTime().toSecsSinceEpoch()) // 60 * 60  # as shown
        self.title_edit.clear()
        self._run(agenda.add_reminder, title, when, self.contact_id,
                  str(self.recurrence.currentData()))  # fmt: skip

    def done_selected(self) -> None:
        rid = self.selected_reminder()
        item = self.reminders.currentItem()
        if rid is None or item is None:
            return
        dlg = DoneDialog(item.text(), self.name or None, self)
        dlg.accepted.connect(lambda: self._run(agenda.done_reminder, rid, self.clock(),
                                               dlg.channel(), dlg.text()))  # fmt: skip
        self.done_dialog = dlg
        dlg.open()

    def snooze_selected(self, choice: str) -> None:
        rid = self.selected_reminder()
        if rid is None:
            return
        if choice == "custom":
            dlg = WhenDialog(_("Snooze until"), snooze_time("tomorrow", self.clock()), self)
            dlg.accepted.connect(lambda: self._run(agenda.snooze_reminder, rid, dlg.when()))
            self.when_dialog = dlg
            dlg.open()
            return
        self._run(agenda.snooze_reminder, rid, snooze_time(choice, self.clock()))

    def dismiss_selected(self) -> None:
        rid = self.selected_reminder()
        if rid is not None:
            self._run(agenda.dismiss_reminder, rid, self.clock())
