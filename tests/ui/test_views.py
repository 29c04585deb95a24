"""The real widgets, driven offscreen: filter, open a contact, log, edit, tag, merge, forget."""

from __future__ import annotations

from PySide6.QtCore import Qt

from netassist.core import contacts, repository
from netassist.ui.models.contacts import COL_NAME, COL_TAGS
from tests.ui.conftest import type_text


def _rows(view) -> list[str]:  # type: ignore[no-untyped-def]
    m = view.model
    return [m.index(r, COL_NAME).data() for r in range(m.rowCount())]


def test_cyrillic_filter_typed_per_character(qtbot, window) -> None:
    window.show_page("contacts")
    view = window.contacts
    total = view.model.rowCount()
    cid = contacts.add_contact(window.db, "Ёлкина Жанна Юрьевна")
    view.reload()
    view.filter_edit.setFocus()
    type_text(view.filter_edit, "ёлк")
    assert view.filter_edit.text() == "ёлк"
    qtbot.waitUntil(lambda: _rows(view) == ["Ёлкина Жанна Юрьевна"], timeout=2000)
    assert view.count_label.text() == "1 contact"
    for _i in range(3):
        qtbot.keyClick(view.filter_edit, Qt.Key.Key_Backspace)
    assert view.filter_edit.text() == ""
    qtbot.waitUntil(lambda: view.model.rowCount() == total + 1, timeout=2000)
    # "е" finds "Ё" (the index folds ё to е)
    type_text(view.filter_edit, "елкина")
    qtbot.waitUntil(lambda: view.model.contact_id(0) == cid and view.model.rowCount() == 1)


def test_selecting_a_contact_opens_its_page_with_timeline(qtbot, window) -> None:
    window.show_page("contacts")
    view = window.contacts
    with window.db.engine.connect() as conn:
        busiest = conn.exec_driver_sql(
            "SELECT contact_id FROM interaction GROUP BY contact_id ORDER BY count(*) DESC LIMIT 1"
        ).scalar()
    row = view.model.row_of(busiest)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(row, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.current_page() == "contact"
    page = window.contact_page
    assert page.contact_id == busiest
    assert page.timeline.rowCount() > 0
    name = repository.contact_detail(window.db, busiest)["display_name"]
    assert page.title.text() == name
    assert page.edits["display_name"].text() == name
    # back goes to the list
    qtbot.mouseClick(page.back_btn, Qt.MouseButton.LeftButton)
    assert window.current_page() == "contacts"


def test_log_interaction_note_and_edit_show_up(qtbot, window) -> None:
    cid = contacts.add_contact(window.db, "Пётр Тестов")
    window.open_contact(cid)
    page = window.contact_page
    assert page.timeline.rowCount() == 0
    page.log_channel.setCurrentIndex(page.log_channel.findData("call"))
    type_text(page.log_text, "обсудили поход")
    qtbot.mouseClick(page.log_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.timeline.rowCount() == 1, timeout=3000)
    assert "обсудили поход" in page.timeline.index(0, 0).data()
    assert "call" in page.timeline.index(0, 0).data()

    type_text(page.note_edit, "любит рыбалку")
    qtbot.keyClick(page.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.notes.count() == 1, timeout=3000)
    assert "любит рыбалку" in page.notes.item(0).text()

    page.edits["organization"].setText("Рога и копыта")
    page.tags_edit.setText("друзья, походы")
    qtbot.mouseClick(page.save_btn, Qt.MouseButton.LeftButton)
    window.tasks.wait()
    qtbot.waitUntil(lambda: page.detail.get("organization") == "Рога и копыта", timeout=3000)
    d = repository.contact_detail(window.db, cid)
    assert d["organization"] == "Рога и копыта"
    assert d["tags"] == ["друзья", "походы"]
    assert "organization" in d["user_edited"]


def test_strength_breakdown_is_shown_when_scored(qtbot, window) -> None:
    cid = contacts.add_contact(window.db, "Оценённый Контакт")
    breakdown = (
        '[{"component": "recency", "points": 18.5, "max_points": 25,'
        ' "explanation": "last talked 3 days ago"},'
        ' {"component": "frequency", "points": 10, "max_points": 20,'
        ' "explanation": "2 messages a week"},'
        ' {"component": "reciprocity", "points": 0, "max_points": 0,'
        ' "explanation": "two-way: 55% of messages are mine"}]'
    )
    with window.db.connect() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contact_score (contact_id, strength, tier, state, breakdown)"
            " VALUES (?, 61, 'close', 'active', ?)",
            (cid, breakdown),
        )
    window.open_contact(cid)
    labels = [
        w.text()
        for w in window.contact_page.breakdown_box.findChildren(type(window.contact_page.title))
    ]
    assert any("61" in t for t in labels)
    assert "last talked 3 days ago" in labels and "frequency" in labels
    assert "18.5 / 25" in labels
    # a component weighing 0 is shown for context: a dash, not "0.0 / 0", and the reason
    assert "0.0 / 0" not in labels and "—" in labels
    assert "two-way: 55% of messages are mine. Not counted in the strength (weight 0)" in labels


def test_tag_merge_and_forget_selected(qtbot, window) -> None:
    view = window.contacts
    window.show_page("contacts")
    a = contacts.add_contact(window.db, "Аааа Первый", identities=[("email", "a1@example.org")])
    b = contacts.add_contact(window.db, "Аааа Второй", identities=[("email", "a2@example.org")])
    contacts.log_interaction(window.db, b, "call", text="звонок")
    view.reload()
    view.filter_edit.setText("аааа")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=2000)
    view.table.selectAll()
    assert sorted(view.selected_ids()) == sorted([a, b])
    assert view.merge_btn.isEnabled()

    view.ask_text = lambda *_: "семья"
    view.tag_selected()
    window.tasks.wait()
    qtbot.waitUntil(lambda: "семья" in (view.model.index(0, COL_TAGS).data() or ""), timeout=2000)

    # the tag filter offers the new tag and narrows the list to it
    view.filter_edit.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() > 2, timeout=2000)
    view.tag_combo.setCurrentIndex(view.tag_combo.findData("семья"))
    shown = {view.model.contact_id(r) for r in range(view.model.rowCount())}
    assert {a, b} <= shown and len(shown) < len(repository.contact_ids(window.db))
    assert all(
        "семья" in view.model.index(r, COL_TAGS).data() for r in range(view.model.rowCount())
    )
    view.tag_combo.setCurrentIndex(0)
    view.filter_edit.setText("аааа")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=2000)
    view.table.selectAll()
    names = {view.model.contact_id(r): view._name(view.model.contact_id(r)) for r in range(2)}
    view.choose_keep = lambda x, y: 0 if x == names[a] else 1  # keep "a"
    view.merge_selected()
    window.tasks.wait()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=2000)
    d = repository.contact_detail(window.db, a)
    assert d["interaction_count"] == 1
    assert {i["value"] for i in d["identities"]} == {"a1@example.org", "a2@example.org"}

    view.table.selectAll()
    asked = []
    from netassist.core.backup import backup_now, backups_age_out, purge_backups

    purge_backups(window.ctx.home)  # (the window's start made its daily backup)
    view.confirm = lambda title, text: asked.append(text) or False  # the person says no
    view.forget_selected()
    window.tasks.wait()
    assert repository.contact_detail(window.db, a) is not None and "Аааа Первый" in asked[0]
    assert "No backup holds them." in asked[0]
    # with a backup made before the forget, the question and the result say when it ages out
    backup_now(window.ctx.home, window.db._key, keep=3)
    until = backups_age_out(window.ctx.home, 3).until
    window.ctx.settings.set("backup_keep", 3)
    told: list[str] = []
    view.confirm = lambda title, text: asked.append(text) or True
    view.tell = lambda title, text: told.append(text)
    view.forget_selected()
    window.tasks.wait()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=2000)
    assert repository.contact_detail(window.db, a) is None
    qtbot.waitUntil(lambda: bool(told), timeout=2000)
    for said in (asked[-1], told[0]):
        assert f"gone by {until.isoformat()}" in said and "newest 3" in said, said
        assert str(window.ctx.home / "backups") in said
    assert told[0].startswith("1 contact forgotten.")


def test_global_search_opens_contact(qtbot, window) -> None:
    cid = contacts.add_contact(window.db, "Зинаида Поисковая")
    contacts.log_interaction(window.db, cid, "meeting", text="говорили про виноделие")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    type_text(window.search_edit, "виноделие")
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    sv = window.search_view
    qtbot.waitUntil(lambda: sv.model.rowCount() >= 1, timeout=3000)
    assert window.current_page() == "search"
    idx = sv.model.index(0, 0)
    assert "Зинаида Поисковая" in idx.data()
    sv.view.activated.emit(idx)
    assert window.current_page() == "contact" and window.contact_page.contact_id == cid


def _unscored(window) -> None:  # type: ignore[no-untyped-def]
    """Forget the scores the window computed at start (these tests look at the fallbacks)."""
    with window.db.connect() as conn:
        conn.exec_driver_sql("DELETE FROM contact_score")


def test_today_falls_back_to_quiet_contacts_then_shows_followups(
    qtbot, demo_ctx, monkeypatch
) -> None:
    import netassist.ui.main_window as mw

    monkeypatch.setattr(mw, "_fresh_scores_job", lambda ctx: False)  # nothing scored yet
    window = mw.MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    window.start()
    window.tasks.wait()
    today = window.today
    qtbot.waitUntil(lambda: today.model.rowCount() > 0, timeout=3000)
    assert "No strength scores yet" in today.note.text()
    ids = repository.contact_ids(window.db)[:2]
    with window.db.connect() as conn:
        for cid, state in zip(ids, ("overdue", "active"), strict=True):
            conn.exec_driver_sql(
                "INSERT INTO contact_score (contact_id, strength, state, due_at) VALUES (?, 50, ?,"
                " 1700000000)",
                (cid, state),
            )
        conn.exec_driver_sql(
            "INSERT INTO reminder (contact_id, title, due_at) VALUES (?, 'Поздравить', 1)",
            (ids[1],),
        )
    with qtbot.waitSignal(today.loaded, timeout=3000):
        today.reload()
    assert today.model.rowCount() == 2
    assert [today.model.item(i).kind for i in range(2)] == ["reminder", "followup"]
    assert "1 follow-up due" in today.note.text() and "1 reminder" in today.note.text()


def test_insights_charts_from_sql(qtbot, window) -> None:
    _unscored(window)
    window.show_page("insights")
    qtbot.waitUntil(lambda: window.insights.data is not None, timeout=3000)
    data = window.insights.data
    assert sum(sum(v) for v in data.by_channel.values()) > 0
    assert data.strength == []  # nothing scored yet: a note instead of the chart
    assert window.insights.strength.isHidden()
    assert len(window.insights.weekly.chart().series()) == 1


def test_contact_photo_is_shown(qtbot, window) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    img = QImage(40, 40, QImage.Format.Format_RGB32)
    img.fill(QColor(10, 200, 30))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    cid = contacts.add_contact(
        window.db, "С Фото", photo=bytes(data.data()), photo_mime="image/png"
    )
    window.open_contact(cid)
    shown = window.contact_page.photo.pixmap().toImage()
    assert shown.pixelColor(48, 48) == QColor(10, 200, 30)  # the photo, not the initials


def test_insights_tier_line_in_the_language() -> None:
    from netassist.core import i18n
    from netassist.ui.views.insights_view import tiers_text

    tiers = {"dormant": 15, "inner circle": 5, "close": 10}
    assert tiers_text(tiers) == "Tiers: inner circle: 5 · close: 10 · dormant: 15"
    try:
        i18n.set_language("ru")
        assert tiers_text(tiers) == "Круги: ближний круг: 5 · близкие: 10 · спящие: 15"
        assert tiers_text({}) == ""
    finally:
        i18n.set_language("en")
