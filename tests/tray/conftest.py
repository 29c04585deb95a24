"""Tray tests with real parts: Xvfb, a private D-Bus session, our StatusNotifierWatcher and
Debian's dunst. The scenario runs once per session in a subprocess (``scenario.py``) because Qt
decides whether a tray exists once per process, before any test could set the bus up."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
TOOLS = ("xvfb-run", "xauth", "dbus-run-session", "dunst", "dunstctl")
SCENARIO_TIMEOUT_S = 120


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@pytest.fixture(scope="session")
def tray_run() -> dict[str, Any]:
    """What each netassist process and the notification daemon saw (see scenario.py)."""
    missing = missing_tools()
    if missing:
        pytest.skip(
            f"needs {', '.join(missing)} (Debian: apt-get install xvfb xauth dbus dbus-x11 dunst)"
        )
    pytest.importorskip("jeepney", reason="the test's StatusNotifierWatcher needs jeepney")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--",
           sys.executable, str(HERE / "scenario.py")]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SCENARIO_TIMEOUT_S)
    assert proc.returncode == 0, f"scenario failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))
