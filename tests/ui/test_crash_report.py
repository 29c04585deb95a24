"""Crash reports carry no message text: an exception escaping a Qt slot or a thread goes through
``logsafe.install_excepthook`` (installed by ``app.main``) to the log file and stderr as types
and code locations only. Without the hook, Python's default report would quote the message (the
control run shows the test can tell)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NAME = "Зинаида Крашева"
EMAIL = "zina.crash@example.ru"
SECRET = "Hunter2-Crash-Secret"

SCRIPT = f"""
import sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from netassist.core.logsafe import install_excepthook, log_to_home

if sys.argv[2] == "hook":
    log_to_home(Path(sys.argv[1]))
    install_excepthook()
app = QApplication([])

def slot():
    try:
        raise KeyError({EMAIL!r})
    except KeyError as e:
        raise RuntimeError({NAME!r} + " " + {SECRET!r}) from e

def in_thread():
    raise ValueError({EMAIL!r} + " " + {SECRET!r})

QTimer.singleShot(0, slot)
t = threading.Thread(target=in_thread)
t.start(); t.join()
QTimer.singleShot(300, app.quit)
app.exec()
print("still running", flush=True)
"""


def _run(home: Path, mode: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-c", SCRIPT, str(home), mode], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


@pytest.mark.skipif(sys.platform == "win32", reason="offscreen subprocess")
def test_uncaught_exceptions_are_reported_without_their_messages(tmp_path: Path) -> None:
    control = _run(tmp_path / "control", "default")
    assert SECRET in control.stderr  # Python's own report quotes the message

    res = _run(tmp_path / "home", "hook")
    assert "still running" in res.stdout, res.stderr
    log = (tmp_path / "home" / "logs" / "netassist.log").read_text("utf-8")
    for text in (res.stderr, log):
        assert "RuntimeError" in text and "KeyError" in text and "ValueError" in text, text
        assert "message withheld" in text and "in slot" in text
        folded = text.casefold()
        for needle in (NAME, EMAIL, SECRET, "зинаида", "zina.crash", "hunter2"):
            assert needle.casefold() not in folded, needle
    assert "uncaught RuntimeError" in log and "uncaught ValueError" in log
