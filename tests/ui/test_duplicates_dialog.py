"""The duplicates review: pairs side by side with reasons (in the person's language), merge keeps
the chosen name, "not the same person" is remembered across a reopen of the database file."""

from __future__ import annotations

from netassist.core import contacts, dedupe, i18n
from netassist.core.db import open_database
from netassist.core.duplicates import localize_reasons
from netassist.ui.app import build_context
from netassist.ui.dialogs.duplicates_dialog import DuplicatesDialog, field_rows
from netassist.ui.tasks import Tasks


def _pair(db):  # type: ignore[no-untyped-def]
    a = contacts.add_contact(db, "Александр Петров", given_name="Александр",
                             family_name="Петров", organization="Контур",
                             identities=[("email", "a.petrov@example.org")])  # fmt: skip
    b = contacts.add_contact(db, "Саша Петров", given_name="Саша", family_name="Петров",
                             organization="Контур", identities=[("phone", "+79120000001")])  # fmt: skip
    contacts.log_interaction(db, b, "call", when=1_700_000_000)
    other = contacts.add_contact(db, "Мария Сидорова", given_name="Мария", family_name="Сидорова")
    return a, b, other


def _dialog(qtbot, db, tasks):  # type: ignore[no-untyped-def]
    dlg = DuplicatesDialog(db, tasks)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.loaded, timeout=20000):
        pass
    tasks.wait()
    qtbot.waitUntil(lambda: dlg.keep_left.isEnabled(), timeout=10000)
    return dlg


def test_pair_side_by_side_with_reasons_then_merge_keeps_the_chosen_name(qtbot, ctx) -> None:
    a, b, other = _pair(ctx.db)
    tasks = Tasks()
    dlg = _dialog(qtbot, ctx.db, tasks)
    assert dlg.pairs.count() == 1
    pair = dlg.current_pair()
    assert {pair["contact_a"], pair["contact_b"]} == {a, b}
    assert "diminutive" in dlg.reasons.text()
    cells = {dlg.table.item(r, 0).text(): (dlg.table.item(r, 1).text(), dlg.table.item(r, 2).text())
             for r in range(dlg.table.rowCount())}  # fmt: skip
    assert cells["Organization"] == ("Контур", "Контур")
    assert "a.petrov@example.org" in cells["E-mail"]
    assert cells["Interactions"] in (("0", "1"), ("1", "0"))
    # differing values are bold, equal ones plain
    row = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())].index("Organization")
    assert not dlg.table.item(row, 1).font().bold()
    keep_side = 0 if pair["contact_a"] == a else 1
    with qtbot.waitSignal(dlg.data_changed, timeout=20000):
        (dlg.keep_left if keep_side == 0 else dlg.keep_right).click()
    tasks.wait()
    qtbot.waitUntil(lambda: dlg.pairs.count() == 0, timeout=10000)
    with ctx.db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT display_name FROM contact")}
        kinds = {r[0] for r in conn.exec_driver_sql(
            "SELECT kind FROM identity WHERE contact_id = ?", (a,))}  # fmt: skip
    assert "Александр Петров" in names and "Саша Петров" not in names
    assert kinds >= {"email", "phone"}
    assert "No possible duplicates" in dlg.intro.text()


def test_not_the_same_is_remembered_after_reopening(qtbot, home, tmp_path) -> None:
    ctx = build_context(home)
    try:
        _pair(ctx.db)
        tasks = Tasks()
        dlg = _dialog(qtbot, ctx.db, tasks)
        assert dlg.pairs.count() == 1
        dlg.not_same.click()
        tasks.wait()
        qtbot.waitUntil(lambda: dlg.pairs.count() == 0, timeout=10000)
        path, key = ctx.db.path, ctx.db._key
    finally:
        ctx.db.dispose()
    db = open_database(path, key)
    try:
        assert dedupe.refresh_candidates(db) == 0
        assert dedupe.list_candidates(db, status="dismissed")
    finally:
        db.dispose()


def test_reasons_and_labels_in_russian(qtbot, ctx) -> None:
    a, b, _o = _pair(ctx.db)
    i18n.set_language("ru")
    dedupe.refresh_candidates(ctx.db)
    stored = dedupe.list_candidates(ctx.db)[0]["reason"]
    shown = localize_reasons(stored)
    assert any("уменьшительн" in r for r in shown), shown
    assert all(r.isascii() is False for r in shown)  # every reason translated
    rows = field_rows(dedupe.pair_details(ctx.db, a, b))
    assert rows[0][0] == "Полное имя"


def test_localize_keeps_unknown_text_and_prefers_the_longer_template() -> None:
    stored = ("same name spelled differently: Ivan Petrov / Иван Петров; same phone +7 912; "
              "something new")  # fmt: skip
    assert localize_reasons(stored) == [
        "same name spelled differently: Ivan Petrov / Иван Петров",
        "same phone +7 912",
        "something new",
    ]
