"""Settings, on three tabs: General (language, which switches at once; phone region; digest time;
quiet hours; autostart; where the data lives), People ("me": names and identities; the default
cadence per tier) and Privacy (encryption and backups, when the dialog is given the app's
context and task runner).

OK stores the values (``values()``); the encryption actions and "Back up now" act at once, with
their own confirmation (see ``settings_security``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from netassist.core.i18n import LANGUAGES, _
from netassist.core.settings import Settings
from netassist.ui.context import AppContext
from netassist.ui.dialogs.settings_people import CadenceEditor, MeIdentitiesEditor
from netassist.ui.tasks import Tasks


def _time(text: str, fallback: str) -> QTime:
    t = QTime.fromString(text or fallback, "HH:mm")
    return t if t.isValid() else QTime.fromString(fallback, "HH:mm")


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setEnabled(False)  # the palette's secondary text colour, light or dark
    return label


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        data_folder: str,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
        tasks: Tasks | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(560)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general(settings, data_folder), _("General"))
        self.tabs.addTab(self._people(settings), _("People"))
        self.encryption = self.backups = None
        if ctx is not None and tasks is not None:
            self.tabs.addTab(self._privacy(ctx, tasks), _("Privacy"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(self.buttons)

    # --- tabs -------------------------------------------------------------------------------

    def _general(self, settings: Settings, data_folder: str) -> QWidget:
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
        self.autostart = QCheckBox(_("Start netassist in the tray when I log in"))
        self.autostart.setChecked(bool(settings.get("autostart")))
        folder = QLabel(data_folder)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setWordWrap(True)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(_("Language"), self.language)
        form.addRow(_("Default phone region"), self.region)
        form.addRow(_("Daily digest at"), self.notify)
        form.addRow(_("Quiet hours from"), self.quiet_start)
        form.addRow(_("Quiet hours until"), self.quiet_end)
        form.addRow("", self.autostart)
        form.addRow(_("Data folder"), folder)
        return page

    def _people(self, settings: Settings) -> QWidget:
        self.me_names = QLineEdit(", ".join(settings.get("me_names") or []))
        self.me_names.setPlaceholderText(_("how you appear in chats, comma-separated"))
        self.me_ids = MeIdentitiesEditor(
            list(settings.get("me_identities") or []), str(settings.get("default_region"))
        )
        self.cadences = CadenceEditor(settings.get("tier_cadence_days"))
        me = QGroupBox(_("Me"))
        me_form = QFormLayout(me)
        me_form.addRow(_("My names"), self.me_names)
        me_form.addRow(_("My addresses"), self.me_ids)
        cad = QGroupBox(_("Default cadence per tier"))
        cad_lay = QVBoxLayout(cad)
        cad_lay.addWidget(_note(_("How often to be in touch while a contact's own history is too "
                                  "short to tell. Used from the next rescore.")))  # fmt: skip
        cad_lay.addWidget(self.cadences)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(me)
        lay.addWidget(cad)
        lay.addStretch(1)
        return page

    def _privacy(self, ctx: AppContext, tasks: Tasks) -> QWidget:
        from netassist.ui.dialogs.settings_security import BackupsPanel, EncryptionPanel

        self.encryption = EncryptionPanel(ctx, tasks)
        self.backups = BackupsPanel(ctx, tasks)
        # no closing the dialog while the database file is being rewritten
        self.encryption.busy_changed.connect(self._set_busy)
        self.encryption.converted.connect(self.backups.refresh)
        self.encryption.busy_changed.connect(lambda b: self.backups.now_btn.setEnabled(not b))
        enc = QGroupBox(_("Encryption"))
        QVBoxLayout(enc).addWidget(self.encryption)
        bks = QGroupBox(_("Backups"))
        QVBoxLayout(bks).addWidget(self.backups)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(enc)
        lay.addWidget(bks)
        lay.addStretch(1)
        return page

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)

    def reject(self) -> None:
        if not getattr(self, "_busy", False):  # Esc while the file is rewritten: stay open
            super().reject()

    # --- values -----------------------------------------------------------------------------

    def values(self) -> dict[str, object]:
        region = self.region.text().strip().upper()
        vals: dict[str, object] = {
            "language": self.language.currentData(),
            "default_region": region if len(region) == 2 and region.isalpha() else "RU",
            "notify_time": self.notify.time().toString("HH:mm"),
            "quiet_start": self.quiet_start.time().toString("HH:mm"),
            "quiet_end": self.quiet_end.time().toString("HH:mm"),
            "me_names": [n.strip() for n in self.me_names.text().split(",") if n.strip()],
            "me_identities": self.me_ids.identities(),
            "tier_cadence_days": self.cadences.values(),
            "autostart": self.autostart.isChecked(),
        }
        if self.backups is not None:
            vals["backup_keep"] = self.backups.keep.value()
        return vals

    def save(self) -> bool:
        """Store the values; True when the language changed (the window retranslates)."""
        vals = self.values()
        changed = vals["language"] != self.settings.get("language")
        for k, v in vals.items():
            self.settings.set(k, v)
        return changed
