"""A small network for acting on follow-ups: one overdue, one dormant, one active, a birthday."""

from __future__ import annotations

from datetime import date, timedelta

from netassist.core.contacts import add_contact, edit_contact, log_interaction
from netassist.core.db import Database
from netassist.core.scoring import rescore

DAY = 86400


def network(db: Database, now: int) -> dict[str, int]:
    """Anna: weekly for months, silent 12 days (overdue). Boris: every 5 days, silent for 100
    (dormant, worth reconnecting). Vera: talked yesterday (active). Gleb: birthday in 3 days."""
    ids = {}
    for name, step, count, silent in (("Анна", 7, 14, 12), ("Борис", 5, 15, 100),
                                      ("Вера", 10, 8, 1)):  # fmt: skip
        cid = add_contact(db, name)
        ids[name] = cid
        for k in range(count):
            log_interaction(db, cid, "telegram", now - (silent + k * step) * DAY, "", "mutual")
    gleb = add_contact(db, "Глеб")
    ids["Глеб"] = gleb
    bday = date.today() + timedelta(days=3)
    edit_contact(db, gleb, birthday=f"1990-{bday.month:02d}-{bday.day:02d}")
    rescore(db, None, now)
    return ids
