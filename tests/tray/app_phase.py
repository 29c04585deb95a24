"""One run of "netassist in the tray" for the tray scenarios: a real QApplication (xcb), the real
database in ``$NETASSIST_HOME``, :class:`RemindersBridge` + :class:`TrayController` as the app
wires them. Started (and restarted) by ``scenario.py``; prints one JSON line with what it saw.

Usage: ``python tests/tray/app_phase.py SPEC_JSON`` where SPEC is
``{"add": [{"title", "in", "contact"?, "fired"?}], "run_for": s, "on_shown": [{"snooze", "for"} |
{"done"}]}`` (times in seconds from when this process is ready; start-up with a fresh database
takes seconds). ``on_shown`` runs once, after the first notification, like a person would.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication, QSystemTrayIcon  # noqa: E402

from netassist.core import reminders as rem  # noqa: E402
from netassist.core.contacts import add_contact  # noqa: E402
from netassist.core.db import Database, open_database  # noqa: E402
from netassist.core.keys import resolve_key  # noqa: E402
from netassist.core.settings import Settings, database_path, home_dir  # noqa: E402
from netassist.ui.reminders_bridge import RemindersBridge  # noqa: E402
from netassist.ui.tray import TrayCallbacks, TrayController  # noqa: E402


def _calm(db: Database) -> None:
    """No quiet hours and the daily digest far from now, so only the test's reminders fire."""
    s = Settings(db)
    s.set("quiet_start", "00:00")
    s.set("quiet_end", "00:00")
    s.set("notify_time", (datetime.now() + timedelta(hours=12)).strftime("%H:%M"))


def _by_title(db: Database, title: str) -> int:
    for r in rem.list_reminders(db, include_done=True):
        if r["title"] == title:
            return int(r["id"])
    raise LookupError(title)


def main(spec: dict[str, Any]) -> dict[str, Any]:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("netassist")
    app.setApplicationDisplayName("netassist")
    home = home_dir()
    db = open_database(database_path(home), resolve_key(home).key)
    _calm(db)
    ready = time.time()
    for r in spec.get("add", []):
        cid = add_contact(db, r["contact"]) if r.get("contact") else None
        rid = rem.add_reminder(db, r["title"], round(ready + float(r["in"])), contact_id=cid)
        if r.get("fired"):  # already shown in an earlier run: still due, not shown again
            rem.mark_fired(db, [rid], int(ready))

    seen: dict[str, Any] = {
        "platform": app.platformName(),
        "tray_available": QSystemTrayIcon.isSystemTrayAvailable(),
        "supports_messages": QSystemTrayIcon.supportsMessages(),
        "shown": [],
        "in_window": [],
        "unavailable": [],
    }
    bridge = RemindersBridge(db)

    def in_window(title: str, body: str) -> None:
        seen["in_window"].append({"title": title, "body": body})

    cb = TrayCallbacks(
        open_window=lambda: None,
        open_contact=lambda cid: None,
        log_interaction=lambda: None,
        quit_app=app.quit,
        top_followups=bridge.top_followups,
        show_in_window=in_window,
        pause=bridge.pause,
        tray_unavailable=seen["unavailable"].append,
        paused_until=bridge.paused_until,
    )
    icon = QIcon(str(REPO / "resources" / "icons" / "netassist.svg"))
    tray = TrayController(icon, cb)
    actions = list(spec.get("on_shown", []))

    def on_shown(title: str, body: str, via_tray: bool) -> None:
        seen["shown"].append({"title": title, "body": body, "via_tray": via_tray,
                              "t": time.time(), "badge": tray.due_count})  # fmt: skip
        while actions:  # what the person does after reading the notification
            a = actions.pop(0)
            if "snooze" in a:
                rem.snooze(db, _by_title(db, a["snooze"]), round(time.time() + float(a["for"])))
            elif "done" in a:
                rem.done(db, _by_title(db, a["done"]), int(time.time()))
            bridge.reminders_changed()

    tray.shown.connect(on_shown)
    seen["started"] = time.time()
    bridge.start(tray)
    QTimer.singleShot(int(float(spec.get("run_for", 3)) * 1000), app.quit)
    app.exec()
    bridge.stop()
    tray.hide()
    seen["paused_until"] = bridge.paused_until()
    seen["reminders"] = [
        {k: r[k] for k in ("id", "title", "due_at", "snoozed_until", "done_at", "last_fired_at")}
        for r in rem.list_reminders(db, include_done=True)
    ]
    db.dispose()
    return seen


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1])), ensure_ascii=False), flush=True)
