"""The bridge between the reminder scheduler (core, worker threads) and the tray (GUI thread).

:class:`RemindersBridge` owns the :class:`~netassist.core.scheduler.ReminderService`. Its jobs
run on APScheduler worker threads and only compute: the digest and the number due are handed to
:meth:`TrayController.notify`, which emits a signal so the notification is shown on the GUI
thread (or in the window where there is no tray). Today's follow-ups for the tray menu are
computed off the GUI thread too and cached, so opening the menu never waits for the engine.

Follow-ups come from the engine (``netassist.core.scoring.followups``) when it is installed;
until then from the ``contact_score`` cache, ordered by due date.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from netassist.core.db import Database
from netassist.core.engine.texts import followup_reason
from netassist.core.i18n import _, ngettext
from netassist.core.reminders import Digest
from netassist.core.scheduler import ReminderService
from netassist.core.timeutil import now_ts
from netassist.ui.tray import TrayController

log = logging.getLogger(__name__)
DAY = 86400
REFRESH_MS = 15 * 60 * 1000  # follow-ups move slowly; data changes call refresh() directly

FollowupRow = tuple[int, str, str]  # (contact id, name, reason)
#: (contact id, name, kind, params, English reason): what the worker computes; the reason is
#: rendered from kind + params when the menu is built, so a language switch needs no recompute
RawFollowup = tuple[int, str, str, dict[str, Any], str]


def _end_of_today(now: int) -> int:
    local = datetime.fromtimestamp(now).astimezone()
    end = datetime.combine(local.date() + timedelta(days=1), time(0), local.tzinfo)
    return int(end.timestamp())


def due_count(db: Database, now: int) -> int:
    """The number on the badge: open reminders due now plus follow-ups the engine marked due."""
    with db.engine.connect() as conn:
        reminders = conn.exec_driver_sql(
            "SELECT count(*) FROM reminder WHERE done_at IS NULL AND dismissed_at IS NULL"
            " AND coalesce(snoozed_until, due_at) <= ?",
            (now,),
        ).scalar_one()
        # not those whose "overdue" follow-up was snoozed, dismissed or done in the meantime
        followups = conn.exec_driver_sql(
            "SELECT count(*) FROM contact_score s JOIN contact c ON c.id = s.contact_id"
            " WHERE c.is_me = 0 AND s.state IN ('due', 'overdue') AND NOT EXISTS ("
            "  SELECT 1 FROM followup_action a WHERE a.contact_id = s.contact_id"
            "  AND a.kind = 'overdue' AND ((a.action = 'snooze' AND a.until > ?)"
            "   OR (a.action = 'dismiss' AND a.until >= coalesce(s.last_at, 0))"
            "   OR (a.action = 'done' AND a.until + s.cadence_days * 86400 > ?)))",
            (now, now),
        ).scalar_one()
    return int(reminders) + int(followups)


def _reason(due_at: int, now: int) -> str:
    days = (now - due_at) // DAY
    return _cached_reason(days)


def _cached_reason(days: int) -> str:
    if days >= 1:
        return ngettext("overdue by {n} day", "overdue by {n} days", days).format(n=days)
    return _("due today")


def render_followup(row: RawFollowup) -> FollowupRow:
    """(contact id, name, reason in the active language)."""
    cid, name, kind, params, reason = row
    if kind == "cached":
        return cid, name, _cached_reason(int(params.get("days_overdue", 0)))
    return cid, name, followup_reason(kind, params) if params else reason


def cached_followups(db: Database, now: int, limit: int) -> list[FollowupRow]:
    """Fallback without the engine: contacts due by the end of today in ``contact_score``,
    most overdue first (dormant contacts are not nagged about)."""
    return [render_followup(r) for r in _cached_raw(db, now, limit)]


def _cached_raw(db: Database, now: int, limit: int) -> list[RawFollowup]:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT s.contact_id, c.display_name, s.due_at FROM contact_score s"
            " JOIN contact c ON c.id = s.contact_id"
            " WHERE c.is_me = 0 AND s.due_at IS NOT NULL AND s.due_at < ?"
            " AND s.state NOT IN ('dormant', 'never')"
            " ORDER BY s.due_at, c.display_name LIMIT ?",
            (_end_of_today(now), limit),
        ).all()
    return [(int(cid), str(name), "cached", {"days_overdue": (now - int(due)) // DAY}, "")
            for cid, name, due in rows]  # fmt: skip


def top_followups(db: Database, now: int, limit: int = 5) -> list[FollowupRow]:
    """(contact id, name, reason) of today's top follow-ups, from the engine when present."""
    return [render_followup(r) for r in _top_raw(db, now, limit)]


def _top_raw(db: Database, now: int, limit: int) -> list[RawFollowup]:
    try:
        from netassist.core.scoring import followups, names
    except ImportError:
        return _cached_raw(db, now, limit)
    top: dict[int, Any] = {}  # a contact can have several follow-ups (owed reply, due, ...)
    for x in followups(db, now, None):
        top.setdefault(int(x.contact_id), x)  # highest priority first
        if len(top) == limit:
            break
    nm = names(db, list(top))
    return [(cid, nm.get(cid, "?"), str(x.kind), dict(x.params), str(x.reason))
            for cid, x in top.items()]  # fmt: skip


def digest_followups(db: Database, now: int) -> list[tuple[str, str]]:
    """(name, reason) lines for the daily digest."""
    try:
        from netassist.core.scoring import digest_followups as engine_digest
    except ImportError:
        return [(name, reason) for _cid, name, reason in cached_followups(db, now, 6)]
    return engine_digest(db, now)


class RemindersBridge(QObject):
    """Owns the ReminderService; feeds the tray. Create it on the GUI thread.

    Wiring (composition root)::

        bridge = RemindersBridge(ctx.db)
        tray = TrayController(icon, TrayCallbacks(..., top_followups=bridge.top_followups,
                              pause=bridge.pause, paused_until=bridge.paused_until), parent=win)
        bridge.start(tray)      # fires missed reminders once, then on time
        ...
        bridge.stop()           # on quit
    """

    followups_changed = Signal()
    _computed = Signal(object, int)  # follow-ups, due count: from a worker thread

    def __init__(
        self,
        db: Database,
        clock: Callable[[], int] = now_ts,
        service_id: str = "main",
        followup_limit: int = 5,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.clock = clock
        self.followup_limit = followup_limit
        self.service = ReminderService(
            db, self._on_digest, followups=digest_followups, clock=clock, service_id=service_id
        )
        self.tray: TrayController | None = None
        self._followups: list[RawFollowup] = []
        self._worker: threading.Thread | None = None
        self._busy = False  # GUI-thread flag: a refresh is running
        self._again = False
        self._computed.connect(self._on_computed, Qt.ConnectionType.QueuedConnection)
        self._life = threading.Lock()  # start on a worker vs stop on the GUI thread
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    # -- life cycle -----------------------------------------------------------------------------
    def start(self, tray: TrayController) -> None:
        """Start the scheduler: reminders missed while netassist was not running fire once now."""
        self.tray = tray
        self.service.start()
        self._started()

    def start_on_write_pool(self, tray: TrayController, tasks: Any) -> None:
        """Like :meth:`start`, with the scheduler's start (opening its job store, syncing one
        job per reminder: ~1 s on a large database) run on the window's one-thread write pool:
        the GUI thread is not held, and the job store never races an import for the database
        (a write racing another writer's transaction fails at once in WAL mode)."""
        self.tray = tray

        def start_service() -> None:
            with self._life:
                if not self._stopped:
                    self.service.start()

        tasks.run(start_service, write=True, on_done=lambda _r: self._started())

    def _started(self) -> None:
        if not self._stopped:
            self._timer.start()
            self.refresh()

    def stop(self) -> None:
        with self._life:
            self._stopped = True
        self._timer.stop()
        self.service.stop()
        worker = self._worker
        if worker is not None:
            worker.join(timeout=10)

    # -- for the tray and the window --------------------------------------------------------
    def top_followups(self) -> list[FollowupRow]:
        """The cached list in the active language (cheap; called when the tray menu is built)."""
        return [render_followup(r) for r in self._followups]

    def pause(self, seconds: int) -> None:
        """Hold notifications for ``seconds`` (0 resumes); what came due meanwhile fires after."""
        self.service.pause(max(0, int(seconds)))
        if self.tray is not None:
            self.tray.refresh_menu()

    def paused_until(self) -> int:
        return int(self.service.paused_until)

    def reminders_changed(self) -> None:
        """Call after a reminder was added, snoozed, done or dismissed in the window."""
        self.service.sync_jobs()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Recompute follow-ups and the badge off the GUI thread."""
        if self._busy:  # one more pass once the running one is done
            self._again = True
            return
        self._busy = True
        self._worker = threading.Thread(target=self._compute, name="tray-refresh", daemon=True)
        self._worker.start()

    # -- worker threads -------------------------------------------------------------------------
    def _compute(self) -> None:
        now = self.clock()
        try:
            fups = _top_raw(self.db, now, self.followup_limit)
            count = due_count(self.db, now)
        except Exception:  # the engine failing must not take reminders down with it
            log.exception("could not compute today's follow-ups")
            try:
                fups, count = _cached_raw(self.db, now, self.followup_limit), -1
            except Exception:
                log.exception("could not read the follow-up cache")
                fups, count = None, -1
        self._computed.emit(fups, count)  # always, so the GUI thread clears its busy flag

    def _on_digest(self, d: Digest) -> None:
        """ReminderService.notify: runs on an APScheduler worker thread."""
        try:
            count = due_count(self.db, self.clock())
        except Exception:
            log.exception("could not count what is due")
            count = -1
        if self.tray is not None:
            self.tray.notify(d.title, d.body, count)
        else:  # started without a tray controller: nothing may be lost, so say it in the log
            log.warning("a reminder notification had no tray to go to (%d item(s))", d.count)

    # -- GUI thread ------------------------------------------------------------------------------
    @Slot(object, int)
    def _on_computed(self, fups: list[RawFollowup] | None, count: int) -> None:
        self._busy = False
        if fups is not None:
            self._followups = fups
        if self.tray is not None:
            if count >= 0:
                self.tray.set_due_count(count)
            self.tray.refresh_menu()
        self.followups_changed.emit()
        if self._again:
            self._again = False
            self.refresh()
