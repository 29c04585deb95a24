"""Start netassist in the tray on login (opt-in): XDG autostart on Linux, the Run registry key on
Windows, a LaunchAgent on macOS. Each writes one small entry and removes exactly that entry."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_ID = "netassist"


def command() -> list[str]:
    """How to start netassist minimised (the frozen bundle, or this Python)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--minimized"]
    return [sys.executable, "-m", "netassist", "--minimized"]


# characters that force quoting in a desktop entry's Exec value (Desktop Entry Spec, "Exec")
_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def desktop_exec(args: list[str]) -> str:
    """``args`` as a desktop entry Exec value. Not shlex.join: the spec knows only double quotes
    (single quotes would become part of the path), ``%`` starts a field code, and the string
    escape (``\\`` for a backslash) is applied on top of the quoting."""
    out = []
    for arg in args:
        arg = arg.replace("%", "%%")
        if arg and not _RESERVED.intersection(arg):
            out.append(arg)
            continue
        out.append('"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"')
    return " ".join(out).replace("\\", "\\\\").replace("\n", "\\n")


def _xdg_path() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "autostart" / f"{APP_ID}.desktop"


def _mac_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / "org.netassist.app.plist"


def enable() -> Path | str:
    cmd = command()
    if sys.platform.startswith("win"):
        import winreg  # type: ignore[import-not-found]

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER,  # type: ignore[attr-defined]
                            r"Software\Microsoft\Windows\CurrentVersion\Run", 0,
                            winreg.KEY_SET_VALUE) as k:  # type: ignore[attr-defined]  # fmt: skip
            winreg.SetValueEx(k, APP_ID, 0, winreg.REG_SZ,  # type: ignore[attr-defined]
                              " ".join(f'"{c}"' for c in cmd))  # fmt: skip
        return r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run\netassist"
    if sys.platform == "darwin":
        p = _mac_path()
        args = "".join(f"<string>{c}</string>" for c in cmd)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST'
            ' 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">'
            f"<dict><key>Label</key><string>org.netassist.app</string><key>ProgramArguments"
            f"</key><array>{args}</array><key>RunAtLoad</key><true/></dict></plist>\n"
        )
        return p
    p = _xdg_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(
        "[Desktop Entry]\nType=Application\nName=netassist\n"
        "Comment=Personal networking assistant (reminders in the tray)\n"
        f"Exec={desktop_exec(cmd)}\nIcon=netassist\nTerminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )
    return p


def disable() -> None:
    if sys.platform.startswith("win"):
        import winreg  # type: ignore[import-not-found]

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER,  # type: ignore[attr-defined]
                                r"Software\Microsoft\Windows\CurrentVersion\Run", 0,
                                winreg.KEY_SET_VALUE) as k:  # type: ignore[attr-defined]  # fmt: skip
                winreg.DeleteValue(k, APP_ID)  # type: ignore[attr-defined]
        except FileNotFoundError:
            pass
        return
    (_mac_path() if sys.platform == "darwin" else _xdg_path()).unlink(missing_ok=True)


def is_enabled() -> bool:
    if sys.platform.startswith("win"):
        import winreg  # type: ignore[import-not-found]

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER,  # type: ignore[attr-defined]
                                r"Software\Microsoft\Windows\CurrentVersion\Run") as k:  # fmt: skip
                winreg.QueryValueEx(k, APP_ID)  # type: ignore[attr-defined]
                return True
        except FileNotFoundError:
            return False
    return (_mac_path() if sys.platform == "darwin" else _xdg_path()).exists()
