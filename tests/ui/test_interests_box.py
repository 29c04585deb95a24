"""The contact page's Interests area: real widgets offscreen over a real demo database; confirm,
hide, add and remove are clicked and read back from the database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from netassist.core import interests as it
from netassist.core.i18n import _
from tests.ui.conftest import type_text


def _busiest(db) -> int:  # type: ignore[no-untyped-def]
    with db.engine.connect() as c:
        return int(c.exec_driver_sql(
            "SELECT contact_id FROM interaction WHERE text IS NOT NULL GROUP BY contact_id"
            " ORDER BY count(*) DESC").scalar())  # fmt: skip


def _loaded(box, cid: int) -> bool:  # type: ignore[no-untyped-def]
    d = box.data
    return box.contact_id == cid and d is not None and box.add_btn.isEnabled()


def test_interests_confirm_hide_add_remove_persist(qtbot, window) -> None:
    cid = _busiest(window.db)
    window.open_contact(cid)
    page = window.contact_page
    box = page.interests
    # the first look finds the global topics stale, recomputes them on the write pool and
    # shows the contact's shares
    qtbot.waitUntil(lambda: _loaded(box, cid) and bool(box.data["shares"]), timeout=30000)
    assert not it.is_stale(window.db)
    assert abs(sum(s["share"] for s in box.data["shares"]) - 1) < 0.05
    assert box.data["confirmed"] == [] and box.data["hidden"] == []
    terms = [(s, b) for s, b in box.confirm_buttons if s["kind"] == "term"]
    topics = [(s, b) for s, b in box.confirm_buttons if s["kind"] == "topic"]
    assert len(terms) >= 2 and topics
    assert box.isVisible() and terms[0][1].isVisible() and terms[0][1].text() == _("Confirm")

    wanted = terms[0][0]
    qtbot.mouseClick(terms[0][1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(box, cid) and bool(box.data["confirmed"]), timeout=15000)
    assert [i.term for i in it.choices(window.db, cid).confirmed] == [wanted["term"]]
    assert box.data["confirmed"][0]["label"] == wanted["label"]

    unwanted_s, unwanted_btn = next(
        (s, b) for s, b in box.hide_buttons if s["kind"] == "term" and s["term"] != wanted["term"]
    )
    qtbot.mouseClick(unwanted_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(box, cid) and bool(box.data["hidden"]), timeout=15000)
    assert [i.term for i in it.choices(window.db, cid).hidden] == [unwanted_s["term"]]
    assert all(s["term"] != unwanted_s["term"] for s, _b in box.confirm_buttons)
    shown_topics = page.talk.text()
    assert unwanted_s["label"] not in shown_topics

    type_text(box.add_edit, "горные лыжи")
    qtbot.mouseClick(box.add_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(box, cid) and len(box.data["confirmed"]) == 2, timeout=15000)
    own = [i for i in it.choices(window.db, cid).confirmed if i.source == "user"]
    assert [(i.term, i.label) for i in own] == [("горный лыжа", "горные лыжи")]

    # "Show again" on the hidden word
    item, show_again = next(
        (i, b) for i, b in box.remove_buttons if i["term"] == unwanted_s["term"]
    )
    assert show_again.text() == _("Show again")
    qtbot.mouseClick(show_again, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(box, cid) and not box.data["hidden"], timeout=15000)
    assert it.choices(window.db, cid).hidden == []
    assert item["label"]

    # hide a topic: it leaves the contact's shares
    topic_s, topic_hide = next((s, b) for s, b in box.hide_buttons if s["kind"] == "topic")
    qtbot.mouseClick(topic_hide, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _loaded(box, cid) and bool(box.data["hidden"]), timeout=15000)
    assert topic_s["label"] not in [s["name"] for s in box.data["shares"]]
    assert it.choices(window.db, cid).hidden[0].kind == "topic"


def test_interests_area_in_russian(qtbot, window) -> None:
    window.apply_settings({"language": "ru"})
    window.tasks.wait()
    cid = _busiest(window.db)
    window.open_contact(cid)
    box = window.contact_page.interests
    qtbot.waitUntil(lambda: _loaded(box, cid) and bool(box.data["shares"]), timeout=30000)
    assert box.title() == "Интересы"
    assert box.confirm_buttons[0][1].text() == "Подтвердить"
    assert box.hide_buttons[0][1].text() == "Скрыть"
    assert box.add_edit.placeholderText() == "Добавить свой интерес…"
