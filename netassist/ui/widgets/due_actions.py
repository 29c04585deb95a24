"""Pieces shared by the Today view and the contact page's "Keep in touch" box for acting on a
follow-up or a reminder: the "Done…" dialog (log an interaction or not), the snooze menu and the
"snooze until…" date-time picker. Dialogs open window-modal with ``open()``, never ``exec()``,
so the caller continues from their ``accepted`` signal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from netassist.core.i18n import _
from netassist.core.reminders import snooze_until
from netassist.ui.format import channel_label

LOG_CHANNELS = ("call", "meeting", "telegram", "whatsapp", "email", "sms", "note", "other")
SNOOZE_CHOICES = ("1h", "tomorrow", "next-week", "custom")


def snooze_labels() -> dict[str, str]:
    return {
        "1h": _("&1 hour"), "tomorrow": _("&Tomorrow"), "next-week": _("&Next week"),
        "custom": _("&Custom…"),
    }  # fmt: skip


def snooze_time(choice: str, now: int) -> int:
    """When a snooze of ``choice`` ("1h", "tomorrow", "next-week") ends, from ``now``."""
    return int(snooze_until(choice, datetime.fromtimestamp(now).astimezone()).timestamp())


def snooze_menu(parent: QWidget, on_choice: Callable[[str], None]) -> QMenu:
    """1 hour / Tomorrow / Next week / Custom…; ``on_choice`` gets the key of the one picked."""
    menu = QMenu(_("&Snooze"), parent)
    for key, label in snooze_labels().items():
        act = QAction(label, menu)
        act.setData(key)
        act.triggered.connect(lambda _c=False, k=key: on_choice(k))
        menu.addAction(act)
    return menu


class DoneDialog(QDialog):
    """Mark something done; optionally log an interaction with the person (which resets when
    they are due)."""

    def __init__(self, what: str, name: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Done"))
        self.setObjectName("done-dialog")
        lay = QVBoxLayout(self)
        label = QLabel(_("Mark as done: %s") % what)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.log_check = QCheckBox(
            (_("Log an interaction with %s") % name) if name else _("Log an interaction")
        )
        self.log_check.setChecked(bool(name))
        self.log_check.setEnabled(bool(name))
        self.channel_combo = QComboBox()
        for ch in LOG_CHANNELS:
            self.channel_combo.addItem(channel_label(ch), ch)
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(_("What was it about? (optional)"))
        form = QFormLayout()
        form.addRow(_("Channel"), self.channel_combo)
        form.addRow(_("Note"), self.text_edit)
        lay.addWidget(self.log_check)
        lay.addLayout(form)
        hint = QLabel(_("A logged interaction resets when this person is due."))
        hint.setWordWrap(True)
        hint.setEnabled(False)  # drawn in the palette's muted colour
        lay.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Done"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.log_check.toggled.connect(self._sync)
        self._sync(self.log_check.isChecked())

    def _sync(self, on: bool) -> None:
        self.channel_combo.setEnabled(on)
        self.text_edit.setEnabled(on)

    def channel(self) -> str | None:
        """The channel to log with, or None when nothing is to be logged."""
        if not (self.log_check.isEnabled() and self.log_check.isChecked()):
            return None
        return str(self.channel_combo.currentData())

    def text(self) -> str:
        return self.text_edit.text().strip()


class WhenDialog(QDialog):
    """Pick a date and time (snooze until…)."""

    def __init__(self, title: str, start: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("when-dialog")
        self.edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(start)))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.edit.setMinimumDateTime(QDateTime.currentDateTime().addSecs(-60))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Snooze"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Until")))
        lay.addWidget(self.edit)
        lay.addWidget(buttons)

    def when(self) -> int:
        return int(self.edit.dateTime().toSecsSinceEpoch()) // 60 * 60  # whole minutes, as shown
