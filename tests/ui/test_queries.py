"""Qt-free pieces the UI stands on: Today/Insights queries, import job helpers, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

from netassist.core import contacts, today
from netassist.core.db import Database
from netassist.ui.exporting import export_contacts_csv
from netassist.ui.import_jobs import detect_files, expand_paths

NOW = 1_750_000_000
DAY = 86400


def _score(db: Database, cid: int, strength: float, state: str, due: int | None) -> None:
    with db.connect() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contact_score (contact_id, strength, state, due_at) VALUES (?, ?, ?, ?)",
            (cid, strength, state, due),
        )


def test_followups_reminders_and_fallback(ctx) -> None:
    db = ctx.db
    a = contacts.add_contact(db, "Алла Первая")
    b = contacts.add_contact(db, "Борис Второй")
    c = contacts.add_contact(db, "Вера Третья")
    contacts.log_interaction(db, a, "call", when=NOW - 30 * DAY)
    contacts.log_interaction(db, b, "call", when=NOW - 3 * DAY)
    assert not today.has_scores(db)
    stale = today.stale_contacts(db)
    assert [i.contact_id for i in stale] == [a, b]  # c has no history: not "quiet", just new
    assert stale[0].when == NOW - 30 * DAY
    _score(db, a, 80, "overdue", NOW - 5 * DAY)
    _score(db, b, 35, "due", NOW)
    _score(db, c, 5, "dormant", None)
    assert today.has_scores(db)
    assert [(i.contact_id, i.state) for i in today.due_followups(db)] == [
        (a, "overdue"), (b, "due")]  # fmt: skip
    with db.connect() as conn:
        for title, due, snoozed, done in (
            ("позвонить", NOW - DAY, None, None),
            ("отложено", NOW - DAY, NOW + DAY, None),
            ("сделано", NOW - DAY, None, NOW - 10),
            ("завтра днём", NOW + DAY // 2, None, None),
            ("через неделю", NOW + 7 * DAY, None, None),
        ):
            conn.exec_driver_sql(
                "INSERT INTO reminder (contact_id, title, due_at, snoozed_until, done_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (a, title, due, snoozed, done),
            )
    assert [r.title for r in today.due_reminders(db, now=NOW)] == ["позвонить", "завтра днём"]
    hist = today.strength_histogram(db)
    assert sum(hist) == 3 and hist[8] == 1 and hist[3] == 1 and hist[0] == 1


def test_weekly_by_channel(ctx) -> None:
    db = ctx.db
    a = contacts.add_contact(db, "Дарья")
    for days, ch in ((1, "call"), (2, "call"), (9, "email"), (400, "email")):
        contacts.log_interaction(db, a, ch, when=NOW - days * DAY)
    starts, series = today.weekly_by_channel(db, weeks=4, now=NOW)
    assert len(starts) == 4 and starts == sorted(starts)
    assert sum(series["call"]) == 2 and sum(series["email"]) == 1  # 400 days ago is outside
    assert series["call"][-1] == 2
    assert list(series) == ["call", "email"]  # busiest channel first


def test_expand_and_detect(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.vcf").write_text("BEGIN:VCARD\n")
    (tmp_path / "sub" / "b.txt").write_text("x")
    (tmp_path / ".hidden" / "c.txt").write_text("x")
    (tmp_path / ".dotfile").write_text("x")
    files = expand_paths([tmp_path, tmp_path / "missing.csv"])
    assert [p.name for p in files] == ["a.vcf", "b.txt"]
    jobs = detect_files([tmp_path], lambda p: None)
    assert [j.importer for j in jobs] == [None, None]


def test_export_csv_keeps_cyrillic(ctx, tmp_path: Path) -> None:
    a = contacts.add_contact(ctx.db, "Ёжикова Мария", identities=[("email", "maria@example.ru")],
                             tags=["семья"])  # fmt: skip
    contacts.add_identity(ctx.db, a, "phone", "+7 903 111-22-33")
    out = tmp_path / "c.csv"
    assert export_contacts_csv(ctx.db, out) == 1
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["display_name"] == "Ёжикова Мария"
    assert rows[0]["emails"] == "maria@example.ru"
    assert rows[0]["phones"].replace(" ", "").startswith("+7903")
    assert rows[0]["tags"] == "семья"
