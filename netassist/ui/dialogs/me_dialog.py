""" "Who are you in these chats?": asked before importing files whose format needs to know the
user's own name (WhatsApp) or would guess it (mailboxes: the user's own addresses)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netassist.core.i18n import _, ngettext
from netassist.core.settings import Settings
from netassist.importers.me_scan import MeScan, candidates, choose_me, fold, me_identity


class MeDialog(QDialog):
    """Lists the chats' authors with their message counts, the guess selected; a name can be
    typed instead. Mailboxes get a line with the guessed addresses to confirm or correct."""

    def __init__(self, scans: Sequence[MeScan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Who are you?"))
        self.setMinimumWidth(440)
        lay = QVBoxLayout(self)
        chats = [s for s in scans if s.kind == "name"]
        mails = [s for s in scans if s.kind == "email"]
        self.authors = QListWidget()
        self.name_edit = QLineEdit()
        self.mail_edit = QLineEdit()
        if chats:
            intro = QLabel(
                _("Who are you in these chats? Your messages are then counted as yours.")
            )
            intro.setWordWrap(True)
            lay.addWidget(intro)
            guess = choose_me(chats).get(chats[0].path)
            for name, n in candidates(chats):
                count = " — " + ngettext("%d message", "%d messages", n) % n if n else ""
                item = QListWidgetItem(name + count)
                item.setData(Qt.ItemDataRole.UserRole, name)
                self.authors.addItem(item)
                if guess is not None and name == guess.name:
                    self.authors.setCurrentItem(item)
                    self.name_edit.setText(name)
            self.authors.currentItemChanged.connect(self._picked)
            self.name_edit.setPlaceholderText(
                _("or type the name (or phone number) you use in these chats")
            )
            lay.addWidget(self.authors, 1)
            lay.addWidget(self.name_edit)
        if mails:
            label = QLabel(
                _("Your own e-mail address(es), comma-separated (guessed from the sent mail):")
            )
            label.setWordWrap(True)
            lay.addWidget(label)
            guessed: list[str] = []
            for s in mails:
                guessed += [a for a in s.inferred if a not in guessed]
            self.mail_edit.setText(", ".join(guessed))
            lay.addWidget(self.mail_edit)
        note = QLabel(_("Remembered in Settings ▸ My names, so the next import does not ask."))
        note.setWordWrap(True)
        lay.addWidget(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def _picked(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.name_edit.setText(str(item.data(Qt.ItemDataRole.UserRole)))

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def addresses(self) -> list[str]:
        raw = self.mail_edit.text().replace(";", ",").split(",")
        return [a.strip() for a in raw if "@" in a]


def remember_me(settings: Settings, name: str, addresses: Sequence[str]) -> None:
    """Keep the answer in the settings so later imports do not ask again."""
    if name:
        names = list(settings.get("me_names") or [])
        if fold(name) not in {fold(n) for n in names}:
            settings.set("me_names", [*names, name])
    given = [("email", a) for a in addresses]
    typed = me_identity(name) if name else None
    if typed is not None:  # a phone number or address typed as the name: an identity too
        given.append((typed.kind, typed.value))
    if given:
        ids = list(settings.get("me_identities") or [])
        have = {(str(k), str(v).casefold()) for k, v in ids}
        new = [[k, v] for k, v in given if (k, v.casefold()) not in have]
        if new:
            settings.set("me_identities", ids + new)
