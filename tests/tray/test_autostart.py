"""XDG autostart entry: written where XDG_CONFIG_HOME says, readable per the Desktop Entry Spec
(quoting, field codes), and removed again without touching anything else."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netassist.desktop import autostart

pytestmark = pytest.mark.skipif(
    sys.platform.startswith("win") or sys.platform == "darwin", reason="XDG autostart is Linux"
)
_STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def parse_exec(value: str) -> list[str]:
    """An Exec value back to arguments, as the spec says a launcher reads it: string escapes
    first, then double-quoted arguments with \\" \\` \\$ \\\\ escapes, then %% → %."""
    s = re.sub(r"\\(.)", lambda m: _STRING_ESCAPES.get(m[1], "\\" + m[1]), value)
    args: list[str] = []
    cur, quoted, started, i = "", False, False, 0
    while i < len(s):
        c = s[i]
        if quoted and c == "\\" and i + 1 < len(s) and s[i + 1] in '"`$\\':
            cur, i = cur + s[i + 1], i + 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if cur or started:
                args.append(cur)
            cur, started = "", False
        else:
            cur += c
        i += 1
    assert not quoted, f"unbalanced quotes in {value!r}"
    if cur or started:
        args.append(cur)
    assert all(not re.search(r"(?<!%)%[a-zA-Z]", a) for a in args), "stray field code"
    return [a.replace("%%", "%") for a in args]


def _entry(path: Path) -> dict[str, str]:
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    cp.read_string(path.read_text(encoding="utf-8"))
    return dict(cp["Desktop Entry"])


def test_enable_writes_under_xdg_config_home_and_disable_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    other = tmp_path / "cfg" / "autostart" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nType=Application\nName=other\nExec=other\n")
    assert not autostart.is_enabled()
    path = autostart.enable()
    assert path == tmp_path / "cfg" / "autostart" / "netassist.desktop"
    assert autostart.is_enabled()
    entry = _entry(Path(path))
    assert entry["Type"] == "Application" and entry["Name"] == "netassist"
    assert parse_exec(entry["Exec"]) == autostart.command()
    assert autostart.command()[-1] == "--minimized"  # starts in the tray, not in your face
    if shutil.which("desktop-file-validate"):
        res = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr
    autostart.enable()  # idempotent: still one entry
    assert sorted(p.name for p in other.parent.iterdir()) == ["netassist.desktop", "other.desktop"]
    autostart.disable()
    assert not autostart.is_enabled() and other.exists()
    autostart.disable()  # already gone: no error


def test_without_xdg_config_home_it_is_dot_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.enable() == tmp_path / ".config" / "autostart" / "netassist.desktop"
    autostart.disable()
    assert not (tmp_path / ".config" / "autostart" / "netassist.desktop").exists()


@pytest.mark.parametrize(
    "exe",
    [
        "/usr/bin/python3",
        "/home/анна/My Apps/netassist/python",
        '/opt/it\'s $HOME/`x`/back\\slash/"q"/50%/#1 (a;b)|c&d',
    ],
)
def test_exec_survives_awkward_paths(
    exe: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "executable", exe)
    path = Path(autostart.enable())
    exec_value = _entry(path)["Exec"]
    assert parse_exec(exec_value) == [exe, "-m", "netassist", "--minimized"]
    assert "'" not in exec_value.replace("it's", "")  # no shell single-quoting
