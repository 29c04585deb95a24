"""Settings: language (switches at once), phone region, digest time, quiet hours, "me" names,
and where the data lives."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from netassist.core.i18n import LANGUAGES, _
from netassist.core.settings import Settings


def _time(text: str, fallback: str) -> QTime:
    t = QTime.fromString(text or fallback, "HH:mm")
    return t if t.isValid() else QTime.fromString(fallback, "HH:mm")


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, data_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(520)
        self.language = QComboBox()
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.get("language"))))
        self.region = QLineEdit(settings.get("default_region"))
        self.region.setMaxLength(2)
        self.region.setToolTip(_("Two-letter country code for phone numbers without +country"))
        self.notify = QTimeEdit(_time(settings.get("notify_time"), "09:00"))
        self.notify.setDisplayFormat("HH:mm")
        self.quiet_start = QTimeEdit(_time(settings.get("quiet_start"), "22:00"))
        self.quiet_start.setDisplayFormat("HH:mm")
        self.quiet_end = QTimeEdit(_time(settings.get("quiet_end"), "08:00"))
        self.quiet_end.setDisplayFormat("HH:mm")
        self.me_names = QLineEdit(", ".join(settings.get("me_names") or []))
        self.me_names.setPlaceholderText(_("how you appear in chats, comma-separated"))
        folder = QLabel(data_folder)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("Language"), self.language)
        form.addRow(_("Default phone region"), self.region)
        form.addRow(_("Daily digest at"), self.notify)
        form.addRow(_("Quiet hours from"), self.quiet_start)
        form.addRow(_("Quiet hours until"), self.quiet_end)
        self.autostart = QCheckBox(_("Start netassist in the tray when I log in"))
        self.autostart.setChecked(bool(settings.get("autostart")))
        form.addRow("", self.autostart)
        form.addRow(_("My names"), self.me_names)
        form.addRow(_("Data folder"), folder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def values(self) -> dict[str, object]:
        region = self.region.text().strip().upper()
        return {
            "language": self.language.currentData(),
            "default_region": region if len(region) == 2 and region.isalpha() else "RU",
            "notify_time": self.notify.time().toString("HH:mm"),
            "quiet_start": self.quiet_start.time().toString("HH:mm"),
            "quiet_end": self.quiet_end.time().toString("HH:mm"),
            "me_names": [n.strip() for n in self.me_names.text().split(",") if n.strip()],
            "autostart": self.autostart.isChecked(),
        }

    def save(self) -> bool:
        """Store the values; True when the language changed (the window retranslates)."""
        vals = self.values()
        changed = vals["language"] != self.settings.get("language")
        for k, v in vals.items():
            self.settings.set(k, v)
        return changed
