"""APScheduler 3.x behind the tray: jobs persisted in the app's own (encrypted) database.

Jobs only compute. Each job calls :meth:`ReminderService.check` which works out what is due and
hands ONE :class:`~netassist.core.reminders.Digest` to ``notify`` — a callback that the GUI turns
into a signal on the GUI thread (APScheduler runs jobs on worker threads even under QtScheduler)
and that ``netassist remind run`` sends straight to the desktop.

Persisted jobs: one date job per open reminder (``reminder-<id>``; its only argument is the id,
so no personal text sits in the job store) and a daily digest cron job. A reminder that came due
while netassist was not running misfires; with ``coalesce`` and no grace limit it runs once at
start-up, where :meth:`check` marks it *missed*. Jobs are looked up through a per-process
registry of live services because APScheduler needs a textual reference to a function.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from netassist.core import reminders as rem
from netassist.core.db import Database
from netassist.core.settings import Settings
from netassist.core.timeutil import now_ts

log = logging.getLogger(__name__)
_LIVE: dict[str, ReminderService] = {}
_LIVE_LOCK = threading.Lock()

Followups = Callable[[Database, int], list[tuple[str, str]]]


def _job(service_id: str, what: str) -> None:
    """The textual job target (netassist.core.scheduler:_job)."""
    with _LIVE_LOCK:
        svc = _LIVE.get(service_id)
    if svc is not None:
        svc.check(digest=(what == "digest"))


def _scheduler_class(base: type) -> type:
    """APScheduler 3's scheduler, minus two shutdown races.

    - Its thread checks "paused?" *before* taking the job stores' lock for a processing pass,
      so a pass can be waiting for that lock while ``ReminderService.stop`` pauses and shuts
      down under it; the pass then submitted a due job to the executor already shut down
      ("Error submitting job", RuntimeError, logged at quit). Here the pass checks the state
      again once it holds the lock, and does nothing unless the scheduler is still running.
    - When it is stopped while its thread processes due jobs, that thread's removal of a
      finished one-off job raises JobLookupError (a stopped scheduler only looks among pending
      jobs). The job then simply stays in the store, and its one check runs at the next start
      (checks are idempotent)."""
    from apscheduler.jobstores.base import JobLookupError
    from apscheduler.schedulers.base import STATE_RUNNING, STATE_STOPPED

    class Scheduler(base):  # type: ignore[misc, valid-type]
        def _process_jobs(self) -> float | None:
            with self._jobstores_lock:  # re-entrant: the base pass takes it again
                if self.state != STATE_RUNNING:
                    return None  # paused or stopped meanwhile: the loop waits or ends
                return super()._process_jobs()  # type: ignore[no-any-return]

        def remove_job(self, job_id: str, jobstore: str | None = None) -> None:
            try:
                super().remove_job(job_id, jobstore)
            except JobLookupError:
                if self.state != STATE_STOPPED:
                    raise

    return Scheduler


class ReminderService:
    def __init__(
        self,
        db: Database,
        notify: Callable[[rem.Digest], None],
        followups: Followups | None = None,
        clock: Callable[[], int] = now_ts,
        service_id: str = "main",
    ) -> None:
        self.db = db
        self.notify = notify
        self.followups = followups
        self.clock = clock
        self.service_id = service_id
        self.started_at = clock()
        self.paused_until = 0
        self._lock = threading.Lock()
        self.scheduler: Any = None

    # -- pure-ish logic (unit-tested with an injected clock) --------------------------------
    def check(self, digest: bool = False) -> rem.Digest | None:
        """Fire everything due now as one notification (or nothing, in quiet hours/paused)."""
        with self._lock:
            now = self.clock()
            if now < self.paused_until:
                return None
            settings = Settings(self.db)
            local = datetime.fromtimestamp(now).astimezone()
            quiet = (settings.get("quiet_start"), settings.get("quiet_end"))
            if rem.in_quiet_hours(local, *quiet):
                self._later(rem.quiet_hours_end(local, *quiet), "check")
                return None
            due = rem.due_reminders(self.db, now, self.started_at)
            fups = self.followups(self.db, now) if (digest and self.followups) else []
            d = rem.compose_digest(due, fups, lang=settings.get("language"))
            if d is None:
                return None
            rem.mark_fired(self.db, d.reminder_ids, now)
        log.info("notifying: %d item(s)", d.count)  # counts only, never names or text
        self.notify(d)
        return d

    def pause(self, seconds: int) -> None:
        self.paused_until = self.clock() + seconds
        self._later(datetime.fromtimestamp(self.paused_until).astimezone(), "check")

    # -- APScheduler wiring -----------------------------------------------------------------
    def start(self) -> None:
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        with _LIVE_LOCK:
            _LIVE[self.service_id] = self
        self.scheduler = _scheduler_class(BackgroundScheduler)(
            jobstores={"default": SQLAlchemyJobStore(engine=self.db.engine)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self.scheduler.start()
        self.sync_jobs()
        # anything missed while we were not running: once, now
        self.scheduler.add_job(_job, args=[self.service_id, "check"], id="startup-check",
                               replace_existing=True)  # fmt: skip

    def sync_jobs(self) -> None:
        """One persisted date job per open reminder; the daily digest at the chosen time."""
        if self.scheduler is None:
            return
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.date import DateTrigger

        rem.sync_birthdays(self.db, datetime.fromtimestamp(self.clock()).date())
        wanted = {}
        for r in rem.list_reminders(self.db):
            when = r["snoozed_until"] or r["due_at"]
            wanted[f"reminder-{r['id']}"] = when
        existing = {j.id: j for j in self.scheduler.get_jobs()}
        for jid, job in existing.items():
            if jid.startswith("reminder-") and jid not in wanted:
                job.remove()
        for jid, when in wanted.items():
            run = datetime.fromtimestamp(when).astimezone()
            job = existing.get(jid)
            if (
                job is not None
                and job.next_run_time is not None
                and abs(job.next_run_time.timestamp() - when) < 1
            ):
                continue
            self.scheduler.add_job(_job, DateTrigger(run), args=[self.service_id, "check"],
                                   id=jid, replace_existing=True)  # fmt: skip
        hh, mm = Settings(self.db).get("notify_time").split(":")
        self.scheduler.add_job(_job, CronTrigger(hour=int(hh), minute=int(mm)),
                               args=[self.service_id, "digest"], id="daily-digest",
                               replace_existing=True)  # fmt: skip

    def _later(self, when: datetime, what: str) -> None:
        if self.scheduler is None:
            return
        from apscheduler.triggers.date import DateTrigger

        self.scheduler.add_job(_job, DateTrigger(when + timedelta(seconds=1)),
                               args=[self.service_id, what], id=f"later-{what}",
                               replace_existing=True)  # fmt: skip

    def stop(self) -> None:
        if self.scheduler is not None:
            sched = self.scheduler
            # APScheduler 3 race: a shutdown while its thread is processing due jobs makes that
            # thread's removal of a finished one-off job fail (JobLookupError, as the scheduler
            # is already "stopped"). Its processing pass holds the job stores' lock: pausing
            # under that lock waits for the pass to end, and a paused scheduler starts none.
            with sched._jobstores_lock:
                sched.pause()  # a pass waiting for the lock then sees "paused" and does nothing
            sched.shutdown(wait=False)  # not under the lock: it joins the scheduler's thread
            self.scheduler = None
        with _LIVE_LOCK:
            if _LIVE.get(self.service_id) is self:
                del _LIVE[self.service_id]
