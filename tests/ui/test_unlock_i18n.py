"""The unlock dialogs speak the person's language; core's English reason stays as the detail."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from netassist.core import i18n
from netassist.ui.unlock import ask_gui


def _answer_later(seen: dict[str, str]) -> None:
    def look() -> None:
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(20, look)
            return
        if isinstance(w, QMessageBox):
            seen.update(text=w.text(), info=w.informativeText(), detail=w.detailedText())
            w.button(QMessageBox.StandardButton.Cancel).click()
        elif isinstance(w, QInputDialog):
            seen.update(label=w.labelText())
            w.reject()

    QTimer.singleShot(20, look)


def test_new_database_dialog_in_russian(qapp) -> None:
    seen: dict[str, str] = {}
    try:
        i18n.set_language("ru")
        _answer_later(seen)
        assert ask_gui("new", "No keyring: org.freedesktop.secrets is not running.") is None
    finally:
        i18n.set_language("en")
    assert seen["text"].startswith("netassist по умолчанию шифрует базу данных")
    assert seen["info"].startswith("Задайте пароль")
    assert seen["detail"] == "No keyring: org.freedesktop.secrets is not running."


def test_unlock_prompt_in_russian_and_english(qapp) -> None:
    db = Path("/home/me/.local/share/netassist/netassist.db")
    seen: dict[str, str] = {}
    try:
        i18n.set_language("ru")
        _answer_later(seen)
        assert ask_gui("unlock", "English reason.", None, db) is None
        assert seen["label"].startswith(f"База данных {db} зашифрована")
    finally:
        i18n.set_language("en")
    _answer_later(seen)
    ask_gui("unlock", "The database at x is encrypted and why. Enter its passphrase.", None, db)
    assert seen["label"] == "The database at x is encrypted and why. Enter its passphrase."
