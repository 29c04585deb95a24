"""Reminders through a real tray and a real notification daemon.

Run inside an X server and a private session bus:
``xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- python tests/tray/scenario.py``

Starts our StatusNotifierWatcher (before any QSystemTrayIcon exists: Qt decides once per process
whether there is a tray) and ``dunst -config /dev/null``, then runs netassist's tray
(``app_phase.py``) in fresh processes against a real database, and prints one JSON object: per
scenario, what each app process saw and what dunst received (``dunstctl history``).

Scenarios: ``on-time`` (a reminder due in ~3 s, then three due together → one digest),
``restart`` (reminders come due while netassist is not running; snooze and done survive a
restart) and ``menu`` (the item, its tooltip, badge and menu as a panel reads them over D-Bus;
Pause → For 1 hour clicked there holds the next reminder back).
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository, for tests.tray.sni_probe
PY = sys.executable


def _wait_line(proc: subprocess.Popen[str], want: str, timeout: float) -> None:
    assert proc.stdout is not None
    ready, _w, _x = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline().strip() if ready else ""
    if line != want:
        raise RuntimeError(f"{proc.args!r} did not say {want!r} (said {line!r})")


def _has_owner(name: str) -> bool:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection("SESSION") as conn:
        return bool(conn.send_and_get_reply(message_bus.NameHasOwner(name)).body[0])


def _wait_owner(name: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while not _has_owner(name):
        if time.monotonic() > end:
            raise RuntimeError(f"nobody took {name} on the session bus")
        time.sleep(0.05)


class Desktop:
    """The watcher and dunst; reads what dunst received since the last call."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[str]] = []
        self.seen_ids: set[int] = set()
        self.items: queue.Queue[str] = queue.Queue()  # tray items as the watcher saw them

    def _read_items(self, watcher: subprocess.Popen[str]) -> None:
        assert watcher.stdout is not None
        for line in watcher.stdout:
            if line.startswith("item "):
                self.items.put(line.split(" ", 1)[1].strip())

    def next_item(self, timeout: float) -> str:
        """The bus name of the next tray item that registers (older ones are skipped)."""
        return self.items.get(timeout=timeout)

    def forget_items(self) -> None:
        while not self.items.empty():
            self.items.get_nowait()

    def __enter__(self) -> Desktop:
        watcher = subprocess.Popen([PY, str(HERE / "sni_watcher.py")], stdout=subprocess.PIPE,
                                   text=True)  # fmt: skip
        self.procs.append(watcher)
        _wait_line(watcher, "ready", 10)
        threading.Thread(target=self._read_items, args=(watcher,), daemon=True).start()
        dunst = subprocess.Popen(["dunst", "-config", "/dev/null"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        self.procs.append(dunst)
        _wait_owner("org.freedesktop.Notifications", 10)
        return self

    def __exit__(self, *exc: object) -> None:
        for p in reversed(self.procs):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()

    def received(self) -> list[dict[str, Any]]:
        """Notifications dunst got since the last call (closed first so they are in history)."""
        subprocess.run(["dunstctl", "close-all"], check=True, timeout=10)
        time.sleep(0.2)
        out = subprocess.run(["dunstctl", "history"], check=True, timeout=10,
                             capture_output=True, text=True).stdout  # fmt: skip
        items = json.loads(out)["data"][0]
        new = []
        for n in sorted(items, key=lambda n: n["id"]["data"]):
            nid = int(n["id"]["data"])
            if nid in self.seen_ids:
                continue
            self.seen_ids.add(nid)
            new.append({"id": nid, "summary": n["summary"]["data"], "body": n["body"]["data"],
                        "appname": n["appname"]["data"]})  # fmt: skip
        return new


def run_app(home: Path, spec: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ, NETASSIST_HOME=str(home), NETASSIST_ENCRYPTION="off",
               QT_QPA_PLATFORM="xcb")  # fmt: skip
    timeout = float(spec.get("run_for", 3)) + 30
    proc = subprocess.run([PY, str(HERE / "app_phase.py"), json.dumps(spec)], env=env,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"app_phase failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def sleep_until(t: float) -> None:
    time.sleep(max(0.0, t - time.time()))


def _due(app: dict[str, Any], title: str) -> int:
    return next(int(r["snoozed_until"] or r["due_at"]) for r in app["reminders"]
                if r["title"] == title)  # fmt: skip


def on_time(desk: Desktop, home: Path) -> dict[str, Any]:
    spec = {
        "add": [
            {"title": "Позвонить Ивану Петрову", "in": 3, "contact": "Иван Петров"},
            *({"title": t, "in": 6} for t in ("Купить подарок Ольге", "Отправить резюме",
                                              "Send the slides")),
        ],
        "run_for": 8.5,
    }  # fmt: skip
    app = run_app(home, spec)
    return {"app": app, "daemon": desk.received()}


def restart(desk: Desktop, home: Path) -> dict[str, Any]:
    spec1 = {
        "add": [{"title": "Поздравить Марину", "in": 2},
                {"title": "Отправить отчёт Сергею", "in": 2}],
        "run_for": 0.5,  # netassist quits before they come due; their jobs stay persisted
    }  # fmt: skip
    first = run_app(home, spec1)
    first_daemon = desk.received()
    sleep_until(_due(first, "Поздравить Марину") + 1)
    spec2 = {
        "on_shown": [{"snooze": "Поздравить Марину", "for": 4},
                     {"done": "Отправить отчёт Сергею"}],
        "run_for": 2.5,  # quits before the snooze ends
    }  # fmt: skip
    second = run_app(home, spec2)
    second_daemon = desk.received()
    sleep_until(_due(second, "Поздравить Марину") + 1)
    third = run_app(home, {"run_for": 2.5})
    return {
        "runs": [
            {"app": first, "daemon": first_daemon},
            {"app": second, "daemon": second_daemon},
            {"app": third, "daemon": desk.received()},
        ],
    }


def _badge_pixels(pixmaps: list[tuple[int, int, bytes]]) -> dict[str, int]:
    """Red and white pixels in the top-right quarter of the largest icon (ARGB32 big-endian)."""
    w, h, data = max(pixmaps, key=lambda p: p[0] * p[1])
    red = white = 0
    for y in range(h // 2):
        for x in range(w // 2, w):
            _a, r, g, b = data[4 * (y * w + x) : 4 * (y * w + x) + 4]
            red += r > 180 and g < 90 and b < 90
            white += r > 220 and g > 220 and b > 220
    return {"size": w, "red": red, "white": white}


def menu(desk: Desktop, home: Path) -> dict[str, Any]:
    """The tray item as a panel sees it: tooltip and badge with the number due, the menu over
    com.canonical.dbusmenu; clicking Pause → For 1 hour holds the next reminder back."""
    from jeepney.io.blocking import open_dbus_connection

    from tests.tray import sni_probe

    spec = {
        "add": [{"title": "Написать Анне", "in": -60, "fired": True},
                {"title": "Позвонить Ивану", "in": 6}],
        "run_for": 8,
    }  # fmt: skip
    desk.forget_items()
    env = dict(os.environ, NETASSIST_HOME=str(home), NETASSIST_ENCRYPTION="off",
               QT_QPA_PLATFORM="xcb")  # fmt: skip
    proc = subprocess.Popen([PY, str(HERE / "app_phase.py"), json.dumps(spec)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        service = desk.next_item(timeout=30)
        with open_dbus_connection("SESSION") as conn:
            end = time.monotonic() + 5
            props = sni_probe.item_properties(conn, service)
            while "due" not in props["ToolTip"][2] and time.monotonic() < end:
                time.sleep(0.1)  # the badge follows the first refresh, a moment after start
                props = sni_probe.item_properties(conn, service)
            entries = sni_probe.menu_entries(conn, service, props["Menu"])
            hour = next(e for e in entries if e["label"] == "For 1 hour")
            clicked_at = time.time()
            sni_probe.click(conn, service, props["Menu"], hour["id"])
        out, err = proc.communicate(timeout=40)
    finally:
        if proc.poll() is None:
            proc.kill()
    if proc.returncode != 0:
        raise RuntimeError(f"app_phase failed ({proc.returncode}): {err[-2000:]}")
    return {
        "item": {k: props[k] for k in ("Id", "Title", "Status", "ToolTip", "Menu")},
        "badge": _badge_pixels(props["IconPixmap"]),
        "menu": entries,
        "clicked_at": clicked_at,
        "app": json.loads(out.strip().splitlines()[-1]),
        "daemon": desk.received(),
    }


SCENARIOS = {"on-time": on_time, "restart": restart, "menu": menu}


def main(argv: list[str]) -> int:
    names = argv or list(SCENARIOS)
    t0 = time.monotonic()
    out: dict[str, Any] = {}
    with Desktop() as desk, tempfile.TemporaryDirectory() as tmp:
        for name in names:
            home = Path(tmp) / name
            home.mkdir()
            started = time.monotonic()
            out[name] = SCENARIOS[name](desk, home)
            out[name]["seconds"] = round(time.monotonic() - started, 2)
    out["seconds"] = round(time.monotonic() - t0, 2)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
