"""remind list|add|done|snooze|dismiss|run — reminders without the main window."""

from __future__ import annotations

import argparse
import contextlib
from datetime import datetime
from typing import Any

from netassist.cli.context import Context
from netassist.core import reminders as rem
from netassist.core import repository as repo
from netassist.core.timeutil import fmt_local, now_ts, parse_when


def register(sub: Any) -> None:
    r = sub.add_parser("remind", help="reminders: list, add, done, snooze, dismiss, run")
    rs = r.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = rs.add_parser("list", help="open reminders")
    ls.add_argument("--all", action="store_true", help="include done and dismissed")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=remind_list)
    add = rs.add_parser("add", help="add a reminder")
    add.add_argument("title")
    add.add_argument("--at", required=True, help="YYYY-MM-DD[ HH:MM], +2h, +3d")
    add.add_argument("--contact")
    add.add_argument("--every", choices=rem.RECURRENCES, default="none")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=remind_add)
    dn = rs.add_parser("done", help="mark done (a recurring one moves to its next time)")
    dn.add_argument("id", type=int)
    dn.add_argument("--log", action="store_true", help="also log an interaction with the contact")
    dn.set_defaults(handler=remind_done)
    sn = rs.add_parser("snooze", help="snooze: 1h, tomorrow, next-week or a time")
    sn.add_argument("id", type=int)
    sn.add_argument("until", nargs="?", default="1h")
    sn.set_defaults(handler=remind_snooze)
    ds = rs.add_parser("dismiss", help="dismiss a reminder")
    ds.add_argument("id", type=int)
    ds.set_defaults(handler=remind_dismiss)
    rn = rs.add_parser("run", help="fire due reminders as one desktop notification (for cron)")
    rn.add_argument("--print", dest="print_only", action="store_true",
                    help="print instead of notifying")  # fmt: skip
    rn.add_argument("--digest", action="store_true",
                    help="include the follow-up digest (run once a day with this)")  # fmt: skip
    rn.add_argument("--json", action="store_true")
    rn.set_defaults(handler=remind_run)


def remind_list(ctx: Context, a: argparse.Namespace) -> int:
    items = rem.list_reminders(ctx.db, include_done=a.all)
    if a.json:
        ctx.out_json(items)
        return 0
    for r in items:
        when = fmt_local(r["snoozed_until"] or r["due_at"])
        extra = (
            f" (every {r['recurrence'].removesuffix('ly')})" if r["recurrence"] != "none" else ""
        )
        who = f" — {r['contact_name']}" if r["contact_name"] else ""
        ctx.out(f"{r['id']:>5}  {when}  {r['title']}{who}{extra}")
    if not items:
        ctx.out("no open reminders")
    return 0


def remind_add(ctx: Context, a: argparse.Namespace) -> int:
    cid = repo.find_contact(ctx.db, a.contact) if a.contact else None
    rid = rem.add_reminder(ctx.db, a.title, parse_when(a.at), cid, a.every)
    if a.json:
        ctx.out_json({"id": rid})
    else:
        ctx.out(f"reminder {rid} set for {fmt_local(parse_when(a.at))}")
    return 0


def remind_done(ctx: Context, a: argparse.Namespace) -> int:
    nxt = rem.done(ctx.db, a.id, now_ts(), log=a.log)
    ctx.out(f"done; next time {fmt_local(nxt)}" if nxt else "done")
    return 0


def remind_snooze(ctx: Context, a: argparse.Namespace) -> int:
    until = rem.snooze_until(a.until, datetime.now().astimezone())
    rem.snooze(ctx.db, a.id, int(until.timestamp()))
    ctx.out(f"snoozed until {fmt_local(int(until.timestamp()))}")
    return 0


def remind_dismiss(ctx: Context, a: argparse.Namespace) -> int:
    rem.dismiss(ctx.db, a.id, now_ts())
    ctx.out("dismissed")
    return 0


def remind_run(ctx: Context, a: argparse.Namespace) -> int:
    """Due reminders (and, once a day, the follow-up digest) as ONE notification."""
    from netassist.core.scheduler import ReminderService

    sent: list[rem.Digest] = []
    followups = None
    with contextlib.suppress(ImportError):
        from netassist.core.scoring import digest_followups as followups
    svc = ReminderService(ctx.db, sent.append, followups)
    svc.started_at = svc.clock() - 900  # from cron: due over 15 minutes ago counts as missed
    d = svc.check(digest=a.digest)
    if d is None:
        if a.json:
            ctx.out_json({"notified": False, "count": 0})
        else:
            ctx.out("nothing due")
        return 0
    delivered = False
    if not a.print_only:
        from netassist.desktop.notify import NoNotificationService, send

        try:
            send(d.title, d.body)
            delivered = True
        except NoNotificationService as exc:
            ctx.out(f"(no desktop notification: {exc}; printing instead)")
    if a.json:
        ctx.out_json({"notified": delivered, "count": d.count, "title": d.title, "body": d.body})
    elif not delivered:
        ctx.out(d.title)
        ctx.out(d.body)
    else:
        ctx.out(f"notified: {d.title}")
    return 0
