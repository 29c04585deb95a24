"""Which key opens the database, asked the GUI way.

A new database is encrypted with a random key kept in the OS keyring. Without a keyring (headless
Linux, no Secret Service), the person is told why and chooses: a passphrase, or an explicitly
unencrypted database. An existing encrypted database whose key is not in the keyring asks for its
passphrase. The logic is ``netassist.core.keys.resolve_key``; this module only asks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from netassist.core.i18n import _
from netassist.core.keys import KeyChoice, resolve_key


def ask_gui(kind: str, message: str, parent: QWidget | None = None) -> str | None:
    """ "" = keep the database unencrypted; None = cancel; else the passphrase."""
    if kind == "new":
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Encryption"))
        box.setText(_("netassist encrypts your database by default, but there is no keyring "
                      "on this system to keep the key in."))  # fmt: skip
        box.setInformativeText(message)
        use_pass = box.addButton(_("Use a passphrase…"), QMessageBox.ButtonRole.AcceptRole)
        plain = box.addButton(
            _("Continue without encryption"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(use_pass)
        box.exec()
        if box.clickedButton() is plain:
            return ""
        if box.clickedButton() is not use_pass:
            return None
        while True:
            first, ok = QInputDialog.getText(parent, _("Passphrase"),
                                             _("Choose a passphrase (at least 8 characters):"),
                                             QLineEdit.EchoMode.Password)  # fmt: skip
            if not ok:
                return None
            again, ok = QInputDialog.getText(parent, _("Passphrase"), _("Type it again:"),
                                             QLineEdit.EchoMode.Password)  # fmt: skip
            if not ok:
                return None
            if first == again and len(first) >= 8:
                return first
            QMessageBox.warning(parent, _("Passphrase"),
                                _("The passphrases differ or are shorter than 8 characters."))  # fmt: skip
    text, ok = QInputDialog.getText(parent, _("Unlock"), message, QLineEdit.EchoMode.Password)
    return text if ok and text else None


def resolve_key_gui(home: Path, parent: QWidget | None = None) -> KeyChoice:
    return resolve_key(home, lambda kind, msg: ask_gui(kind, msg, parent))
