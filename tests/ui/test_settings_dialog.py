"""The settings dialog on a real window and real SQLCipher files: encrypt, change the key and
decrypt the running app's database from the Privacy tab; "me" identities and cadences."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from netassist.core import backup as bk
from netassist.core import keys
from netassist.core import repository as repo
from netassist.core import secrets as sec
from netassist.core.db import DatabaseError, raw_connect
from netassist.core.scheduler import ReminderService
from netassist.core.settings import database_path
from netassist.ui.dialogs.settings_dialog import SettingsDialog
from netassist.ui.unlock import ask_new_passphrase

PASSPHRASE = "correct horse battery"


def _header(path: Path) -> bytes:
    return path.read_bytes()[:16]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def dialog(qtbot, window):  # type: ignore[no-untyped-def]
    dlg = SettingsDialog(window.ctx.settings, str(window.ctx.home), window, ctx=window.ctx,
                         tasks=window.tasks)  # fmt: skip
    qtbot.addWidget(dlg)
    told: list[str] = []
    dlg.encryption.tell = lambda title, text: told.append(text)
    dlg.told = told
    return dlg


@pytest.fixture
def scheduler(window):  # type: ignore[no-untyped-def]
    """The tray's reminder scheduler, its job store in the same database file, paused by the
    hook the composition root registers."""
    from netassist.ui.app import _pause_scheduler

    svc = ReminderService(window.db, notify=lambda d: None, service_id="settings-test")
    svc.start()
    calls: list[bool] = []
    window.ctx.background.append(calls.append)
    window.ctx.background.append(lambda p: _pause_scheduler(SimpleNamespace(service=svc), p))
    yield svc, calls
    svc.stop()


def _run(qtbot, dlg, button) -> None:  # type: ignore[no-untyped-def]
    before = len(dlg.told)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dlg.told) > before, timeout=30000)
    assert not dlg.encryption._running and dlg.buttons.isEnabled()


def test_encrypt_rekey_decrypt_the_open_database(qtbot, window, dialog, scheduler) -> None:
    svc, calls = scheduler
    ctx, enc = window.ctx, dialog.encryption
    path = database_path(ctx.home)
    n = len(repo.contact_ids(window.db))
    assert n > 10 and _header(path) == keys.SQLITE_HEADER and not window.db.encrypted
    assert not enc.status.encrypted and enc.encrypt_btn.isEnabled()
    assert not enc.decrypt_btn.isEnabled() and not enc.rekey_btn.isEnabled()
    assert "keyring backend FileKeyring" in enc.keyring.text()
    old_backups = bk.list_backups(ctx.home)
    assert old_backups  # the window's daily backup, unencrypted like the database

    # encrypt, key in the keyring
    enc.choose_key = lambda kind: (keys.new_raw_key(), "keyring")
    _run(qtbot, dialog, enc.encrypt_btn)
    assert "The database is encrypted." in dialog.told[-1], dialog.told
    assert _header(path) != keys.SQLITE_HEADER and window.db.encrypted
    key = sec.get_secret(keys.keyring_name(path))
    assert key and window.db._key == key
    with pytest.raises(DatabaseError):
        raw_connect(path, None).close()
    # the app goes on reading and writing through the same Database (new connections)
    assert len(repo.contact_ids(window.db)) == n
    ctx.settings.set("quiet_start", "23:00")
    assert ctx.settings.get("quiet_start") == "23:00"
    # the scheduler was paused meanwhile and its job store (same engine) works afterwards
    assert calls == [True, False]
    assert svc.scheduler.state == 1  # running, not paused
    svc.sync_jobs()
    assert any(j.id == "daily-digest" for j in svc.scheduler.get_jobs())
    # the next start finds the key in the keyring
    assert keys.resolve_key(ctx.home).source == "keyring"
    # a backup was taken first, and no backup is left readable without the key
    backups = bk.list_backups(ctx.home)
    assert any("before-encrypt" in b.name for b in backups) and len(backups) == len(old_backups) + 1
    for b in backups:
        assert _header(b) != keys.SQLITE_HEADER, b.name
        bk.verify(b, key)
    assert "in the OS keyring" in enc.state.text()
    assert not enc.encrypt_btn.isEnabled() and enc.rekey_btn.isEnabled()
    assert dialog.backups.last.text().endswith(f"({len(backups)} backups kept)")

    # change the key to a passphrase: the old key no longer opens the file, the new one does
    enc.choose_key = lambda kind: (PASSPHRASE, "passphrase")
    _run(qtbot, dialog, enc.rekey_btn)
    assert "the old one no longer opens" in dialog.told[-1], dialog.told
    with pytest.raises(DatabaseError):
        raw_connect(path, key).close()
    raw_connect(path, PASSPHRASE).close()
    assert sec.get_secret(keys.keyring_name(path)) is None  # nothing stale left in the keyring
    assert window.db._key == PASSPHRASE and len(repo.contact_ids(window.db)) == n
    assert "with a passphrase" in enc.state.text()
    for b in bk.list_backups(ctx.home):
        bk.verify(b, PASSPHRASE)

    # decrypt (after saying yes)
    enc.confirm = lambda title, text: "backup is taken first" in text
    _run(qtbot, dialog, enc.decrypt_btn)
    assert _header(path) == keys.SQLITE_HEADER and not window.db.encrypted
    raw_connect(path, None).close()
    assert len(repo.contact_ids(window.db)) == n
    for b in bk.list_backups(ctx.home):
        assert _header(b) == keys.SQLITE_HEADER
    assert calls == [True, False] * 3
    assert "Not encrypted" in enc.state.text() and enc.encrypt_btn.isEnabled()


def test_cancelling_changes_nothing(qtbot, window, dialog) -> None:
    path = database_path(window.ctx.home)
    window.tasks.wait()
    before, backups = _digest(path), bk.list_backups(window.ctx.home)
    calls: list[bool] = []
    window.ctx.background.append(calls.append)
    enc = dialog.encryption
    enc.choose_key = lambda kind: None
    qtbot.mouseClick(enc.encrypt_btn, Qt.MouseButton.LeftButton)
    window.tasks.wait()
    QApplication.processEvents()
    assert _digest(path) == before and bk.list_backups(window.ctx.home) == backups
    assert calls == [] and dialog.told == [] and not window.db.encrypted
    assert sec.get_secret(keys.keyring_name(path)) is None
    # the same for decrypt, answered "no", on an encrypted database
    enc.choose_key = lambda kind: (PASSPHRASE, "passphrase")
    _run(qtbot, dialog, enc.encrypt_btn)
    before, backups = _digest(path), bk.list_backups(window.ctx.home)
    enc.confirm = lambda title, text: False
    enc.choose_key = lambda kind: None
    for btn in (enc.decrypt_btn, enc.rekey_btn):
        qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)
    window.tasks.wait()
    QApplication.processEvents()
    assert _digest(path) == before and bk.list_backups(window.ctx.home) == backups
    assert window.db._key == PASSPHRASE


def test_a_failing_keyring_leaves_the_database_as_it_was(
    qtbot, window, dialog, monkeypatch
) -> None:
    path = database_path(window.ctx.home)
    window.tasks.wait()
    n = len(repo.contact_ids(window.db))

    def refuse(name: str, value: str) -> None:
        raise sec.SecretStoreUnavailable("the OS keyring refused to store a secret (Locked)")

    monkeypatch.setattr(sec, "set_secret", refuse)
    dialog.encryption.choose_key = lambda kind: (keys.new_raw_key(), "keyring")
    _run(qtbot, dialog, dialog.encryption.encrypt_btn)
    assert dialog.told[-1].startswith("Nothing was changed: the OS keyring refused")
    # (the export checkpointed the WAL into the file, so its bytes may differ: not its content)
    assert _header(path) == keys.SQLITE_HEADER and not window.db.encrypted
    assert not path.with_name(path.name + ".rekey").exists()
    assert len(repo.contact_ids(window.db)) == n
    assert sec.get_secret(keys.keyring_name(path)) is None
    assert dialog.encryption.encrypt_btn.isEnabled()


def _answer_modals(answers: list) -> QTimer:  # type: ignore[type-arg]
    """Answer the modal dialogs that open, in order: a string types into an input dialog and
    accepts it; None cancels; a callable gets the QMessageBox and clicks what it wants."""
    timer = QTimer()

    def tick() -> None:
        w = QApplication.activeModalWidget()
        if w is None or not answers:
            return
        ans = answers.pop(0)
        if isinstance(w, QInputDialog):
            if ans is None:
                w.reject()
            else:
                w.setTextValue(ans)
                w.accept()
        elif isinstance(w, QMessageBox):
            ans(w)

    timer.timeout.connect(tick)
    timer.start(50)
    return timer


def test_passphrase_is_typed_twice(qtbot, window) -> None:
    timer = _answer_modals(["short", "short", lambda box: box.accept(), PASSPHRASE, PASSPHRASE])
    assert ask_new_passphrase(window) == PASSPHRASE
    timer.stop()
    timer = _answer_modals([PASSPHRASE, "something else", lambda box: box.accept(), None])
    assert ask_new_passphrase(window) is None
    timer.stop()


def test_without_a_keyring_the_person_is_told_and_chooses_a_passphrase(
    qtbot, window, monkeypatch
) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    dlg = SettingsDialog(window.ctx.settings, str(window.ctx.home), window, ctx=window.ctx,
                         tasks=window.tasks)  # fmt: skip
    qtbot.addWidget(dlg)
    assert dlg.encryption.keyring.text() == "Keyring: none available on this system"
    seen: list[str] = []

    def only_passphrase(box: QMessageBox) -> None:
        seen.append(box.informativeText())
        labels = [b.text() for b in box.buttons()]
        assert "Key in the keyring" not in labels
        next(b for b in box.buttons() if b.text() == "Use a passphrase…").click()

    timer = _answer_modals([only_passphrase, PASSPHRASE, PASSPHRASE])
    assert dlg.encryption.choose_key("encrypt") == (PASSPHRASE, "passphrase")
    timer.stop()
    assert "no keyring on this system" in seen[0]
    # and cancelling that question gives no key
    timer = _answer_modals([lambda box: box.reject()])
    assert dlg.encryption.choose_key("encrypt") is None
    timer.stop()


def test_back_up_now(qtbot, window, dialog) -> None:
    panel = dialog.backups
    window.tasks.wait()
    n = len(bk.list_backups(window.ctx.home))
    panel.keep.setValue(n + 5)
    qtbot.mouseClick(panel.now_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(bk.list_backups(window.ctx.home)) == n + 1, timeout=10000)
    qtbot.waitUntil(lambda: panel.now_btn.isEnabled(), timeout=5000)
    assert panel.folder.text() == str(window.ctx.home / "backups")
    assert f"({n + 1} backup" in panel.last.text()
    assert dialog.values()["backup_keep"] == n + 5


def test_me_identities_and_cadences(qtbot, window) -> None:
    window.ctx.settings.set("me_identities", [["email", "me@example.org"]])
    dialog = SettingsDialog(window.ctx.settings, str(window.ctx.home), window)
    qtbot.addWidget(dialog)
    ids = dialog.me_ids
    assert ids.identities() == [["email", "me@example.org"]]
    ids.kind.setCurrentIndex(ids.kind.findData("phone"))
    ids.value.setText("+7 916 555-12-34")
    assert ids.add_current()
    ids.kind.setCurrentIndex(ids.kind.findData("email"))
    ids.value.setText("not an address")
    assert not ids.add_current() and ids.problem.isVisibleTo(ids)
    assert "not a usable e-mail" in ids.problem.text()
    ids.value.setText("ME@example.org")  # the same address again: not twice
    assert ids.add_current()
    assert ids.identities() == [["email", "me@example.org"], ["phone", "+7 916 555-12-34"]]
    ids.list.setCurrentRow(0)
    qtbot.mouseClick(ids.remove_btn, Qt.MouseButton.LeftButton)
    assert ids.identities() == [["phone", "+7 916 555-12-34"]]

    assert dialog.cadences.values() == {
        "inner": 7, "close": 14, "active": 30, "acquaintance": 90, "dormant": 180,
    }  # fmt: skip
    # a contact with one conversation: their cadence is their tier's default
    from netassist.core import contacts as svc
    from netassist.core.engine.strength import TIER_NAMES
    from netassist.core.scoring import rescore
    from netassist.core.settings import TIER_KEYS

    cid = svc.add_contact(window.db, "Один Разговор")
    svc.log_interaction(window.db, cid, "call", when=window_now() - 3 * 86400)
    rescore(window.db, None)

    def score() -> tuple[str, float]:
        with window.db.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT tier, cadence_days FROM contact_score WHERE contact_id = ?", (cid,)
            ).one()
        return row[0], row[1]

    tier, days = score()
    key = TIER_KEYS[TIER_NAMES.index(tier)]
    assert days == dialog.cadences.spins[key].value()
    dialog.cadences.spins[key].setValue(days + 11)
    vals = dialog.values()
    assert "backup_keep" not in vals  # no Privacy tab without the app's context
    window.apply_settings(vals)
    window.tasks.wait()
    assert window.ctx.settings.get("me_identities") == [["phone", "+7 916 555-12-34"]]
    assert window.ctx.settings.get("tier_cadence_days")[key] == days + 11
    assert score() == (tier, days + 11)  # rescored at once, not at the next periodic rescore


def window_now() -> int:
    from netassist.core.timeutil import now_ts

    return now_ts()
