"""The settings' privacy part: encryption (status; encrypt, decrypt, change the key) and backups.

The conversion is ``netassist.core.keys.convert`` — the same code as ``netassist db
encrypt|decrypt|rekey``: a backup first, then the database is rewritten with sqlcipher_export,
then the backups. It runs on the window's database-writer thread (so no write of the app runs
meanwhile) with the scheduler paused (``AppContext.background``), and swaps the file under the
app's open Database (``Database.key_change``): every view, and the scheduler's job store, keeps
its Database/engine and goes on with the new key. Nothing has to be closed and reopened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netassist.core import backup as bk
from netassist.core import keys
from netassist.core import secrets as sec
from netassist.core.i18n import _, ngettext
from netassist.ui.context import AppContext
from netassist.ui.tasks import Tasks
from netassist.ui.unlock import ask_new_passphrase


class _Busy(QWidget):
    """An indeterminate bar and what is being done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(140)
        self.label = QLabel()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.bar)
        lay.addWidget(self.label, 1)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()


class EncryptionPanel(QWidget):
    """Status and the three actions. The questions are attributes (``choose_key``,
    ``confirm``, ``tell``) so tests can answer them without modal dialogs."""

    busy_changed = Signal(bool)
    converted = Signal()

    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks = ctx, tasks
        self.choose_key: Callable[[str], tuple[str, str] | None] = self._choose_key
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.tell: Callable[[str, str], None] = self._tell
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.keyring = QLabel()
        self.keyring.setWordWrap(True)
        self.keyring.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.encrypt_btn = QPushButton(_("Encrypt…"))
        self.decrypt_btn = QPushButton(_("Decrypt…"))
        self.rekey_btn = QPushButton(_("Change key…"))
        self.busy = _Busy()
        buttons = QHBoxLayout()
        for b in (self.encrypt_btn, self.decrypt_btn, self.rekey_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.state)
        lay.addWidget(self.keyring)
        lay.addLayout(buttons)
        lay.addWidget(self.busy)
        self.encrypt_btn.clicked.connect(self.encrypt)
        self.decrypt_btn.clicked.connect(self.decrypt)
        self.rekey_btn.clicked.connect(self.rekey)
        self._running = False
        self.refresh()

    # --- status -----------------------------------------------------------------------------

    def refresh(self) -> None:
        st = keys.status(self.ctx.db)
        self.status = st
        if not st.encrypted:
            self.state.setText(_("Not encrypted: anyone who can read the data folder can read "
                                 "your contacts and messages."))  # fmt: skip
        elif st.source == "keyring":
            self.state.setText(_("Encrypted (SQLCipher); the key is kept in the OS keyring."))
        else:
            self.state.setText(_("Encrypted (SQLCipher) with a passphrase, asked at each start."))
        self.keyring.setText(
            _("Keyring: {name}").format(name=st.keyring)
            if st.keyring
            else _("Keyring: none available on this system")
        )
        self.encrypt_btn.setEnabled(not self._running and not st.encrypted)
        self.decrypt_btn.setEnabled(not self._running and st.encrypted)
        self.rekey_btn.setEnabled(not self._running and st.encrypted)

    # --- actions ----------------------------------------------------------------------------

    def encrypt(self) -> None:
        choice = self.choose_key("encrypt")
        if choice is None:
            return
        self._run(choice[0], choice[1], _("Encrypting the database…"),
                  _("The database is encrypted."))  # fmt: skip

    def rekey(self) -> None:
        choice = self.choose_key("rekey")
        if choice is None:
            return
        self._run(choice[0], choice[1], _("Changing the key…"),
                  _("The key is changed; the old one no longer opens the database."))  # fmt: skip

    def decrypt(self) -> None:
        if not self.confirm(
            _("Decrypt"),
            _("Store the database unencrypted? Anyone who can read the data folder can then read "
              "your contacts and messages. A backup is taken first."),
        ):  # fmt: skip
            return
        self._run(None, "none", _("Decrypting the database…"), _("The database is decrypted."))

    def _run(self, new_key: str | None, store: str, doing: str, done: str) -> None:
        db = self.ctx.db
        keep = int(self.ctx.settings.get("backup_keep"))
        self._running = True
        self.refresh()
        self.busy.start(doing)
        self.busy_changed.emit(True)
        for hook in self.ctx.background:
            hook(True)

        def finished(result: keys.Converted | None, exc: BaseException | None) -> None:
            for hook in self.ctx.background:
                hook(False)
            self._running = False
            self.busy.stop()
            self.refresh()
            self.busy_changed.emit(False)
            if exc is not None:
                why = str(exc) or type(exc).__name__
                self.tell(_("Encryption"), _("Nothing was changed: {why}").format(why=why))
                return
            assert result is not None
            lines = [done, _("A backup was taken first: {name}").format(name=result.backup.name)]
            if result.backups_left:
                lines.append(ngettext(
                    "%d older backup under another key was left as it was.",
                    "%d older backups under another key were left as they were.",
                    result.backups_left) % result.backups_left)  # fmt: skip
            self.converted.emit()
            self.tell(_("Encryption"), "\n".join(lines))

        self.tasks.run(keys.convert, self.ctx.home, db._key, new_key, store, keep, open_db=db,
                       write=True, on_done=lambda r: finished(r, None),
                       on_error=lambda e: finished(None, e))  # fmt: skip

    # --- default questions ------------------------------------------------------------------

    def _choose_key(self, kind: str) -> tuple[str, str] | None:
        """(key, "keyring"|"passphrase") for encrypt/rekey; None when cancelled."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Encryption"))
        box.setText(
            _("Encrypt the database? A backup is taken first.")
            if kind == "encrypt"
            else _("Change the database's key? A backup is taken first; the backups are "
                   "rewritten under the new key.")
        )  # fmt: skip
        use_ring = None
        if sec.available():
            box.setInformativeText(_("Keep a random key in the OS keyring (nothing to remember), "
                                     "or choose a passphrase to type at each start."))  # fmt: skip
            use_ring = box.addButton(_("Key in the keyring"), QMessageBox.ButtonRole.AcceptRole)
        else:
            box.setInformativeText(_("There is no keyring on this system to keep a key in: "
                                     "choose a passphrase to type at each start."))  # fmt: skip
        use_pass = box.addButton(_("Use a passphrase…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(use_ring or use_pass)
        box.exec()
        if use_ring is not None and box.clickedButton() is use_ring:
            return keys.new_raw_key(), "keyring"
        if box.clickedButton() is use_pass:
            p = ask_new_passphrase(self)
            return (p, "passphrase") if p else None
        return None

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.warning(
            self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def _tell(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)


class BackupsPanel(QWidget):
    """Where the backups are, how many are kept, the last one, and "Back up now"."""

    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks = ctx, tasks
        self.folder = QLabel(str(bk.backups_dir(ctx.home)))
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setValue(int(ctx.settings.get("backup_keep")))
        self.keep.setMaximumWidth(140)
        self.keep.setToolTip(_("netassist makes a backup each day and keeps the newest ones"))
        self.last = QLabel()
        self.now_btn = QPushButton(_("Back up now"))
        self.busy = _Busy()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Backup folder"), self.folder)
        form.addRow(_("Backups to keep"), self.keep)
        form.addRow(_("Last backup"), self.last)
        row = QHBoxLayout()
        row.addWidget(self.now_btn)
        row.addWidget(self.busy)
        row.addStretch(1)
        form.addRow("", row)
        self.now_btn.clicked.connect(self.back_up_now)
        self.refresh()

    def refresh(self) -> None:
        bs = bk.list_backups(self.ctx.home)
        if not bs:
            self.last.setText(_("none yet"))
            return
        when = datetime.fromtimestamp(bs[-1].stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        self.last.setText(ngettext("%s (%d backup kept)", "%s (%d backups kept)", len(bs))
                          % (when, len(bs)))  # fmt: skip

    def back_up_now(self) -> None:
        self.now_btn.setEnabled(False)
        self.busy.start(_("Backing up…"))

        def finished(result: object) -> None:
            self.now_btn.setEnabled(True)
            self.busy.stop()
            self.refresh()
            if isinstance(result, BaseException):
                why = str(result) or type(result).__name__
                self.last.setText(_("The backup failed: {why}").format(why=why))

        db, home, keep = self.ctx.db, self.ctx.home, self.keep.value()

        def job() -> object:  # the key as it is when the job runs (after a queued rekey)
            return bk.backup_now(home, db._key, keep=keep)

        # on the writer thread: never at the same time as an encryption change
        self.tasks.run(job, write=True, on_done=finished, on_error=finished)
