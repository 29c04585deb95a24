"""Import from a mail account (IMAP): server, port (993 TLS; 143 STARTTLS), user, folder, the
password or app password and an optional CA file for self-hosted servers.

The password goes to the OS keyring (``netassist.core.secrets``) once the server accepted it,
never into a file, a log or the database; without a keyring it is used for this import only and
the dialog says so. The import is the CLI's own code (``run_imap``: fetch the messages after the
last UID seen, ingest, keep the new UID), on the write pool with progress and Cancel.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netassist.core import secrets
from netassist.core.db import Database
from netassist.core.i18n import _
from netassist.core.ingest import ImportResult
from netassist.importers.email_imap import ImapTarget
from netassist.ui.import_jobs import options_from_settings
from netassist.ui.tasks import TaskProgress, Tasks


def _run(db: Database, target: ImapTarget, password: str, cafile: str | None,
         progress: TaskProgress) -> ImportResult:  # fmt: skip
    from netassist.cli.imap_import import run_imap

    return run_imap(db, target, password, options_from_settings(db), progress, cafile)


class ImapDialog(QDialog):
    imported = Signal(object)  # the ImportResult of a successful import

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.progress: TaskProgress | None = None
        self.result: ImportResult | None = None
        self.setWindowTitle(_("Import from a mail account (IMAP)"))
        self.setMinimumWidth(480)
        self.host = QLineEdit()
        self.host.setPlaceholderText("imap.example.org")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(993)
        self.tls_note = QLabel()
        self.port.valueChanged.connect(self._port_changed)
        self.user = QLineEdit()
        self.user.setPlaceholderText(_("usually your e-mail address"))
        self.folder = QLineEdit("INBOX")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("empty: use the one saved in the keyring"))
        self.cafile = QLineEdit()
        self.cafile.setPlaceholderText(_("optional, for a self-hosted server"))
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.cafile, 1)
        ca_row.addWidget(browse)
        port_row = QHBoxLayout()
        port_row.addWidget(self.port)
        port_row.addWidget(self.tls_note, 1)
        form = QFormLayout()
        form.addRow(_("Server"), self.host)
        form.addRow(_("Port"), port_row)
        form.addRow(_("User"), self.user)
        form.addRow(_("Folder"), self.folder)
        form.addRow(_("Password or app password"), self.password)
        form.addRow(_("CA certificate"), ca_row)
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.import_btn = QPushButton(_("Import"))
        self.import_btn.setDefault(True)
        self.import_btn.clicked.connect(self.start)
        self.cancel_btn = QPushButton(_("Cancel"))
        self.cancel_btn.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_btn)
        buttons.addWidget(self.cancel_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.keyring_note)
        lay.addWidget(self.bar)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        self._port_changed(self.port.value())
        if not secrets.available():
            self.keyring_note.setText(
                _("No OS keyring is available: the password is used for this import only "
                  "and asked again next time.")
            )  # fmt: skip

    def _port_changed(self, port: int) -> None:
        self.tls_note.setText(
            _("STARTTLS (encrypted after connecting)") if port == 143 else _("TLS (encrypted)")
        )

    def _choose_ca(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, _("CA certificate"), "",
                                               _("Certificates (*.pem *.crt *.cer);;All files (*)"))  # fmt: skip
        if name:
            self.cafile.setText(name)

    def target(self) -> ImapTarget | None:
        host, user = self.host.text().strip(), self.user.text().strip()
        if not host or not user:
            return None
        port = self.port.value()
        folder = self.folder.text().strip() or "INBOX"
        return ImapTarget(user, host, port, folder, "starttls" if port == 143 else "implicit")

    def _password(self, t: ImapTarget) -> str | None:
        typed = self.password.text()
        if typed:
            return typed
        try:
            return secrets.get_secret(t.keyring_name)
        except secrets.SecretStoreUnavailable:
            return None

    def start(self) -> None:
        if self.progress is not None:
            return
        t = self.target()
        if t is None:
            self.status.setText(_("Fill in the server and the user."))
            return
        pw = self._password(t)
        if not pw:
            self.status.setText(_("Type the password (or an app password) for %s.") % t.account)
            return
        self.progress = TaskProgress()
        self.progress.changed.connect(self._on_progress)
        self.bar.setValue(0)
        self.bar.show()
        self.import_btn.setEnabled(False)
        self.status.setText(_("Connecting to %s…") % t.host)
        cafile = self.cafile.text().strip() or None
        typed = bool(self.password.text())
        self.tasks.run(_run, self.db, t, pw, cafile, self.progress, write=True,
                       on_done=lambda res: self._done(res, t, pw if typed else None),
                       on_error=self._failed)  # fmt: skip

    def _on_progress(self, fraction: object, text: str) -> None:
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(float(fraction) * 1000))  # type: ignore[arg-type]
        if text and self.progress is not None and not self.progress.is_cancelled():
            self.status.setText(_("Fetching messages: %s") % text)

    def cancel(self) -> None:
        if self.progress is None:
            self.reject()
            return
        self.progress.cancel()
        self.status.setText(_("Cancelling; nothing from this fetch will be kept…"))

    def reject(self) -> None:
        if self.progress is not None:  # Esc or the window's close button while fetching
            self.cancel()
            return
        super().reject()

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.status.setText(_("The import failed: %s") % (str(exc) or type(exc).__name__))

    def _done(self, res: ImportResult, t: ImapTarget, typed_pw: str | None) -> None:
        self._finish()
        self.result = res
        if res.status != "ok":
            self.status.setText(res.error or res.status)
            return
        if typed_pw:  # the server accepted it: keep it for next time
            try:
                secrets.set_secret(t.keyring_name, typed_pw)
            except secrets.SecretStoreUnavailable:
                self.keyring_note.setText(
                    _("No OS keyring is available: the password was used for this import only.")
                )
            else:
                self.keyring_note.setText(_("The password is saved in the OS keyring."))
            self.password.clear()
        self.status.setText(
            _("Done: %d interactions added, %d contacts created, %d duplicates skipped.")
            % (res.interactions_added, res.contacts_created, res.duplicates_skipped)
        )
        self.imported.emit(res)

    def _finish(self) -> None:
        self.progress = None
        self.bar.hide()
        self.import_btn.setEnabled(True)
        self.cancel_btn.setText(_("Close"))
