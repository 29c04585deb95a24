"""What the Reports page asks for and the pool-thread jobs that gather it: the contact list to
choose from and the report data (plain dataclasses from core.reports that report_pdf lays out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netassist.core.db import Database
from netassist.ui.tasks import TaskProgress


class Cancelled(Exception):
    pass


@dataclass(frozen=True)
class ReportOptions:
    kind: str  # "network" or "dossiers"
    days: int
    end: int  # the period's end (unix seconds)
    contact_ids: tuple[int, ...]
    lang: str
    page: str  # "a4" or "letter"


def contact_choices(db: Database) -> list[tuple[int, str, str]]:
    """(id, name, organisation) of every contact but "me", by name (a pool-thread job)."""
    with db.engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT id, display_name, coalesce(organization, '') FROM contact WHERE is_me = 0"
            " ORDER BY display_name COLLATE NOCASE, id"
        ).all()
    return [(int(a), str(b or ""), str(o)) for a, b, o in rows]


def gather_reports(db: Database, opts: ReportOptions, progress: TaskProgress) -> list[Any]:
    """The report data (a pool-thread job): plain dataclasses the renderer lays out."""
    from netassist.core.reports import contact_dossier, network_report

    if opts.kind == "network":
        progress.set_progress(None, "")
        rep = network_report(db, opts.days, now=opts.end, lang=opts.lang)
        if progress.is_cancelled():
            raise Cancelled
        return [rep]
    out = []
    n = len(opts.contact_ids)
    for i, cid in enumerate(opts.contact_ids):
        if progress.is_cancelled():
            raise Cancelled
        progress.set_progress(i / n, "")
        out.append(contact_dossier(db, cid, lang=opts.lang))
    if progress.is_cancelled():
        raise Cancelled
    return out
