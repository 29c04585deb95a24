"""Every item model passes QAbstractItemModelTester, including across reloads and sorting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from netassist.core import contacts, repository
from netassist.core.today import DueItem, stale_contacts
from netassist.importers.base import Importer
from netassist.ui.import_jobs import FileJob
from netassist.ui.models.contacts import (
    COL_LAST,
    COL_NAME,
    COL_STRENGTH,
    ID_ROLE,
    STRENGTH_ROLE,
    ContactTableModel,
)
from netassist.ui.models.lists import CONTACT_ROLE, DueListModel, SearchResultsModel
from netassist.ui.models.timeline import PAGE, TimelineModel
from netassist.ui.views.import_view import FilesModel


def test_contact_model_passes_tester_through_filter_and_sort(qtmodeltester, demo_ctx) -> None:
    model = ContactTableModel(demo_ctx.db)
    model.reload()
    qtmodeltester.check(model)
    n = model.rowCount()
    assert n == len(repository.contact_ids(demo_ctx.db)) > 30
    model.sort(COL_LAST, Qt.SortOrder.DescendingOrder)
    model.set_filter("ан")
    assert 0 < model.rowCount() < n
    model.set_filter("")
    assert model.rowCount() == n
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    names = [model.index(r, COL_NAME).data() for r in range(n)]
    assert names == sorted(names, key=str.casefold) or names[0] <= names[-1]
    assert model.index(0, 0).data(ID_ROLE) == model.contact_id(0)


def test_contact_model_sort_moves_persistent_indexes(qtmodeltester, demo_ctx) -> None:
    model = ContactTableModel(demo_ctx.db)
    model.reload()
    qtmodeltester.check(model)
    from PySide6.QtCore import QPersistentModelIndex

    cid = model.contact_id(0)
    p = QPersistentModelIndex(model.index(0, COL_NAME))
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert p.row() == model.row_of(cid) == model.rowCount() - 1


def test_contact_model_strength_role(demo_ctx) -> None:
    cid = repository.contact_ids(demo_ctx.db)[0]
    with demo_ctx.db.connect() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contact_score (contact_id, strength, tier, trend, state, breakdown)"
            " VALUES (?, 73.4, 'close', 'up', 'due', '')",
            (cid,),
        )
    model = ContactTableModel(demo_ctx.db)
    model.reload()
    row = model.row_of(cid)
    assert model.index(row, COL_STRENGTH).data(STRENGTH_ROLE) == 73.4
    assert model.index(row, COL_STRENGTH).data() == "73"
    assert "↑" in model.index(row, 2).data()


def test_timeline_model_pages_without_losing_same_second_rows(qtmodeltester, ctx) -> None:
    cid = contacts.add_contact(ctx.db, "Тест Страницы")
    # PAGE + 50 interactions, many sharing one second at the page edge
    for i in range(PAGE + 50):
        contacts.log_interaction(ctx.db, cid, "note", when=1_700_000_000 - (i // 7), text=f"n{i}")
    model = TimelineModel(ctx.db)
    model.load(cid)
    assert model.rowCount() == PAGE
    qtmodeltester.check(model)  # the tester itself fetches more
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == PAGE + 50
    assert len({model.row(i)["id"] for i in range(model.rowCount())}) == PAGE + 50
    model.load(cid, "n12")
    texts = {model.row(i)["text"] for i in range(model.rowCount())}
    assert "n12" in texts and all(t.startswith("n12") for t in texts)


def test_due_and_search_models(qtmodeltester, demo_ctx) -> None:
    due = DueListModel()
    qtmodeltester.check(due)
    items = stale_contacts(demo_ctx.db, 10)
    items.append(DueItem("reminder", None, "", 1_700_000_000, "user", "Позвонить маме"))
    due.set_items(items)
    qtmodeltester.check(due)
    assert due.rowCount() == len(items)
    assert "Позвонить маме" in due.index(len(items) - 1, 0).data()
    assert due.index(0, 0).data(CONTACT_ROLE) == items[0].contact_id

    res = SearchResultsModel()
    res.set_results(repository.search(demo_ctx.db, "привет"))
    qtmodeltester.check(res)
    assert res.rowCount() > 0


class _Named(Importer):
    name = "named"
    label = "Named format"

    def sniff(self, path, head):  # type: ignore[no-untyped-def]
        return 1

    def parse(self, path, options=None, progress=None):  # type: ignore[no-untyped-def]
        return iter(())


def test_files_model(qtmodeltester, tmp_path: Path) -> None:
    m = FilesModel()
    qtmodeltester.check(m)
    m.add([FileJob(tmp_path / "a.vcf", _Named()), FileJob(tmp_path / "b.bin", None)])
    m.add([FileJob(tmp_path / "a.vcf", _Named())])  # already queued
    qtmodeltester.check(m)
    assert m.rowCount() == 2
    assert m.index(0, 1).data() == "Named format"
    assert m.index(1, 1).data() == "unknown format"


def test_contact_model_shows_the_tier_in_the_language(demo_ctx) -> None:
    from netassist.core import i18n
    from netassist.ui.models.contacts import COL_TIER

    cid = repository.contact_ids(demo_ctx.db)[0]
    with demo_ctx.db.connect() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contact_score (contact_id, strength, tier, trend, state, breakdown)"
            " VALUES (?, 80, 'inner circle', 'flat', 'active', '')",
            (cid,),
        )
    try:
        for lang, tier in (("en", "inner circle"), ("ru", "ближний круг")):
            i18n.set_language(lang)
            model = ContactTableModel(demo_ctx.db)
            model.reload()
            assert model.index(model.row_of(cid), COL_TIER).data() == tier
            assert model.headerData(COL_TIER, Qt.Orientation.Horizontal) == (
                "Tier" if lang == "en" else "Круг"
            )
    finally:
        i18n.set_language("en")


def test_contact_model_shows_never_as_no_history_without_a_trend(demo_ctx) -> None:
    """The engine files a contact never interacted with under "dormant" with a flat trend; the
    table says what it is instead: no history, and no trend."""
    from netassist.core import i18n
    from netassist.ui.models.contacts import COL_TIER, COL_TREND

    cid = contacts.add_contact(demo_ctx.db, "Ещё Не Встречались")
    with demo_ctx.db.connect() as conn:
        conn.exec_driver_sql(
            "INSERT OR REPLACE INTO contact_score (contact_id, strength, tier, trend, state,"
            " breakdown) VALUES (?, 0, 'dormant', 'flat', 'never', '')",
            (cid,),
        )
    try:
        for lang, label in (("en", "no history"), ("ru", "без истории")):
            i18n.set_language(lang)
            model = ContactTableModel(demo_ctx.db)
            model.reload()
            row = model.row_of(cid)
            assert model.index(row, COL_TIER).data() == label
            assert model.index(row, COL_TREND).data() == ""
            assert model.index(row, COL_STRENGTH).data() == ""  # not a zero
            assert model.index(row, COL_STRENGTH).data(STRENGTH_ROLE) is None  # no bar
    finally:
        i18n.set_language("en")


def test_due_column_says_gone_quiet_for_a_dormant_tie_not_overdue() -> None:
    from netassist.core import i18n
    from netassist.ui.format import format_due

    now = 1_800_000_000
    long_ago = now - 200 * 86400
    assert format_due(long_ago, "overdue", now) == "overdue 200 days"
    assert format_due(long_ago, "dormant", now) == "gone quiet"
    try:
        i18n.set_language("ru")
        assert format_due(long_ago, "dormant", now) == "давно не общались"
    finally:
        i18n.set_language("en")
