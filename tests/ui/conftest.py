"""UI test fixtures: a home with a small demo network, the context and a main window."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from netassist.core import i18n  # noqa: E402
from netassist.core.demo import load_demo  # noqa: E402
from netassist.ui.app import build_context  # noqa: E402
from netassist.ui.context import AppContext  # noqa: E402


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Cyrillic included, one QKeyEvent per character (qtbot.keyClicks aborts
    on non-ASCII characters)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def ctx(home: Path) -> Iterator[AppContext]:
    c = build_context(home)
    yield c
    c.db.dispose()
    i18n.set_language("en")


@pytest.fixture
def demo_ctx(ctx: AppContext) -> AppContext:
    load_demo(ctx.db, contacts=40, years=0.5)
    ctx.settings.set("demo_offered", True)
    return ctx


@pytest.fixture
def window(qtbot, demo_ctx: AppContext):  # type: ignore[no-untyped-def]
    from netassist.ui.main_window import MainWindow

    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    win.show()
    win.start()
    win.tasks.wait()
    yield win
    win.tasks.wait()
    QApplication.processEvents()  # deliver the last results while the window still exists
