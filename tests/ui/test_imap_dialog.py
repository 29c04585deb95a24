"""The IMAP form driven like a person would, against the real Dovecot of tests/support/dovecot.py:
TLS with the self-signed CA, the password kept in the keyring only after the server accepted it,
incremental fetches, a refused login, no keyring at all; and the File menu opens it."""

from __future__ import annotations

import keyring
import pytest
from PySide6.QtCore import Qt

from netassist.core import secrets
from netassist.core.settings import State, database_path
from netassist.ui.dialogs.imap_dialog import ImapDialog
from netassist.ui.tasks import Tasks
from netassist.ui.views.import_view import ImportView
from tests.support.dovecot import PASSWORD, append, dovecot, needs_dovecot

__all__ = ["dovecot"]  # the fixture, used by name
KEY = "imap:alice@example.org@127.0.0.1"


def _fill(qtbot, dlg: ImapDialog, port: int, cafile: str, password: str) -> None:  # type: ignore[no-untyped-def]
    dlg.host.clear()
    dlg.user.clear()
    dlg.cafile.clear()
    qtbot.keyClicks(dlg.host, "127.0.0.1")
    dlg.port.setValue(port)
    qtbot.keyClicks(dlg.user, "alice@example.org")
    qtbot.keyClicks(dlg.cafile, cafile)
    dlg.password.clear()
    if password:
        qtbot.keyClicks(dlg.password, password)


def _run(qtbot, dlg: ImapDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.progress is None, timeout=20000)


@needs_dovecot
def test_imap_dialog_imports_incrementally_and_keeps_the_password_in_the_keyring(
    qtbot, ctx, dovecot
) -> None:
    append(dovecot["port"], dovecot["cafile"], 100, 3)
    view = ImportView(ctx.db, Tasks())
    qtbot.addWidget(view)
    view.open_imap()
    dlg = view.imap_dialog
    assert isinstance(dlg, ImapDialog) and dlg.isVisible()
    assert dlg.port.value() == 993 and "TLS" in dlg.tls_note.text()
    dlg.port.setValue(143)
    assert "STARTTLS" in dlg.tls_note.text() and dlg.target() is None  # no server yet
    _fill(qtbot, dlg, dovecot["port"], dovecot["cafile"], "NotThePw-123")
    _run(qtbot, dlg)
    assert "refused the login" in dlg.status.text() and "NotThePw" not in dlg.status.text()
    assert keyring.get_password("netassist", KEY) is None  # a refused password is not kept
    _fill(qtbot, dlg, dovecot["port"], dovecot["cafile"], PASSWORD)
    with qtbot.waitSignal(view.imported, timeout=20000):
        qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.progress is None, timeout=20000)
    first = dlg.result
    assert first is not None and first.status == "ok", first and first.error
    assert first.interactions_added == 3 and "interactions added" in dlg.status.text()
    assert keyring.get_password("netassist", KEY) == PASSWORD
    assert dlg.password.text() == ""
    # again with an empty password field: the keyring's is used; nothing new on the server
    _run(qtbot, dlg)
    assert dlg.result is not None and dlg.result.status == "ok"
    assert dlg.result.interactions_added == 0 and dlg.result.records == 0
    append(dovecot["port"], dovecot["cafile"], 200, 2)
    _run(qtbot, dlg)
    assert dlg.result is not None and dlg.result.interactions_added == 2
    # the password is nowhere in the database
    db = database_path(ctx.home)
    blob = db.read_bytes() + (db.with_name(db.name + "-wal").read_bytes()
                              if db.with_name(db.name + "-wal").exists() else b"")  # fmt: skip
    assert PASSWORD.encode() not in blob
    dlg.cancel()  # idle: closes
    assert not dlg.isVisible()


@needs_dovecot
def test_imap_dialog_without_a_keyring_uses_the_password_once(
    qtbot, ctx, dovecot, monkeypatch
) -> None:
    def no_keyring(*_a: object) -> None:
        raise secrets.SecretStoreUnavailable("no OS keyring is available on this system")

    monkeypatch.setattr(secrets, "available", lambda: False)
    monkeypatch.setattr(secrets, "get_secret", no_keyring)
    monkeypatch.setattr(secrets, "set_secret", no_keyring)
    dlg = ImapDialog(ctx.db, Tasks())
    qtbot.addWidget(dlg)
    dlg.show()
    assert "this import only" in dlg.keyring_note.text()
    _fill(qtbot, dlg, dovecot["port"], dovecot["cafile"], "")
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    assert "Type the password" in dlg.status.text() and dlg.progress is None
    _fill(qtbot, dlg, dovecot["port"], dovecot["cafile"], PASSWORD)
    _run(qtbot, dlg)
    assert dlg.result is not None and dlg.result.status == "ok", dlg.result.error
    assert "this import only" in dlg.keyring_note.text()


@needs_dovecot
def test_imap_dialog_cancel_keeps_nothing_and_the_next_fetch_gets_them(
    qtbot, ctx, dovecot, monkeypatch
) -> None:
    import threading

    from netassist.ui.dialogs import imap_dialog

    append(dovecot["port"], dovecot["cafile"], 300, 4)
    clicked = threading.Event()
    real = imap_dialog._run

    def after_the_click(*args):  # type: ignore[no-untyped-def]
        clicked.wait(10)  # the worker starts only once Cancel was pressed
        return real(*args)

    monkeypatch.setattr(imap_dialog, "_run", after_the_click)
    dlg = ImapDialog(ctx.db, Tasks())
    qtbot.addWidget(dlg)
    dlg.show()
    _fill(qtbot, dlg, dovecot["port"], dovecot["cafile"], PASSWORD)
    qtbot.mouseClick(dlg.import_btn, Qt.MouseButton.LeftButton)
    assert dlg.progress is not None and not dlg.import_btn.isEnabled()
    dlg.reject()  # Esc while fetching: cancels, the dialog stays
    clicked.set()
    qtbot.waitUntil(lambda: dlg.progress is None, timeout=20000)
    assert dlg.isVisible()
    assert dlg.result is not None and dlg.result.status == "cancelled"
    assert keyring.get_password("netassist", KEY) is None  # not confirmed by a finished import
    state_key = f"imap:alice@example.org@127.0.0.1:{dovecot['port']}/INBOX"
    assert State(ctx.db).get(state_key) is None  # no UID remembered: nothing was kept
    monkeypatch.setattr(imap_dialog, "_run", real)
    _fill(qtbot, dlg, dovecot["port"], dovecot["cafile"], PASSWORD)
    _run(qtbot, dlg)
    assert dlg.result is not None and dlg.result.status == "ok"
    assert dlg.result.interactions_added >= 4
    assert State(ctx.db).get(state_key) is not None


@pytest.mark.usefixtures("window")
def test_file_menu_opens_the_imap_form(window) -> None:  # type: ignore[no-untyped-def]
    window.act_import_imap.trigger()
    assert window.current_page() == "import"
    assert window.importer.imap_dialog is not None and window.importer.imap_dialog.isVisible()
    window.importer.imap_dialog.reject()
