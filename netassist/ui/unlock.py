"""Which key opens the database, asked the GUI way.

A new database is encrypted with a random key kept in the OS keyring. Without a keyring (headless
Linux, no Secret Service), the person is told why and chooses: a passphrase, or an explicitly
unencrypted database. An existing encrypted database whose key is not in the keyring asks for its
passphrase. The logic is ``netassist.core.keys.resolve_key``; this module only asks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from netassist.core.i18n import _, current_language, set_language
from netassist.core.keys import KeyChoice, resolve_key
from netassist.core.settings import database_path


def ask_gui(kind: str, message: str, parent: QWidget | None = None,
            db_path: Path | None = None) -> str | None:  # fmt: skip
    """ "" = keep the database unencrypted; None = cancel; else the passphrase.

    ``message`` is core's English explanation (it carries the keyring's own error); the
    dialogs say the same in the person's language and keep it as the technical detail."""
    if kind == "new":
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Encryption"))
        box.setText(_("netassist encrypts your database by default, but there is no keyring "
                      "on this system to keep the key in."))  # fmt: skip
        box.setInformativeText(
            _("Choose a passphrase to encrypt your database, or continue without encryption.")
        )
        box.setDetailedText(message)
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
        return ask_new_passphrase(parent)
    label = (
        _("The database {path} is encrypted and its key is not in the keyring. Enter its "
          "passphrase:").format(path=db_path)
        if db_path is not None and current_language() != "en"
        else message
    )  # fmt: skip
    text, ok = QInputDialog.getText(parent, _("Unlock"), label, QLineEdit.EchoMode.Password)
    return text if ok and text else None


MIN_PASSPHRASE = 8


def ask_new_passphrase(parent: QWidget | None) -> str | None:
    """A new passphrase, typed twice; None when the person cancels (first start without a
    keyring, and Settings ▸ Privacy)."""
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
        if first == again and len(first) >= MIN_PASSPHRASE:
            return first
        QMessageBox.warning(parent, _("Passphrase"),
                            _("The passphrases differ or are shorter than 8 characters."))  # fmt: skip


def resolve_key_gui(home: Path, parent: QWidget | None = None) -> KeyChoice:
    # The language setting is inside the database being unlocked: until it is open, these
    # dialogs speak the system's language (app.build_context then applies the setting).
    if current_language() == "en":
        from PySide6.QtCore import QLocale

        set_language(QLocale.system().name())
    db = database_path(home)
    return resolve_key(home, lambda kind, msg: ask_gui(kind, msg, parent, db))
