"""The import page asks "Who are you in these chats?" before importing WhatsApp files (authors
from a pre-scan off the GUI thread), remembers the answer, and does not ask again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from netassist.core.settings import Settings
from netassist.ui.tasks import Tasks
from netassist.ui.views.import_view import ImportView


def _chat(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    body = [f"12/03/2024, 10:{i:02d} - {line}" for i, line in enumerate(lines)]
    p.write_text("\n".join(body) + "\n", encoding="utf-8")
    return p


def _directions(ctx, who: str) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT i.direction FROM interaction i JOIN contact c ON c.id = i.contact_id"
            " WHERE c.display_name = ? ORDER BY i.occurred_at", (who,)
        ).all()  # fmt: skip
    return [r[0] for r in rows]


def _view(qtbot, ctx, paths: list[Path]) -> ImportView:  # type: ignore[no-untyped-def]
    view = ImportView(ctx.db, Tasks())
    qtbot.addWidget(view)
    view.add_paths(paths)
    qtbot.waitUntil(lambda: view.files.rowCount() == len(paths), timeout=3000)
    return view


def test_asks_who_i_am_remembers_and_does_not_ask_again(qtbot, ctx, tmp_path: Path) -> None:
    private = _chat(tmp_path, "WhatsApp Chat with Борис.txt",
                    ["Анна: Привет!", "Борис: Hi", "Анна: как дела?"])  # fmt: skip
    group = _chat(tmp_path, "Работа.txt",
                  ["Карл: hello all", "Анна: hi", "Карл: meeting?", "Дина: yes", "Карл: ok"])  # fmt: skip
    view = _view(qtbot, ctx, [private, group])
    view.start()
    assert view.progress is None  # nothing imported before the answer
    qtbot.waitUntil(lambda: view.me_question.dialog is not None, timeout=5000)
    dlg = view.me_question.dialog
    assert dlg is not None and dlg.isVisible()
    items = [dlg.authors.item(i).text() for i in range(dlg.authors.count())]
    assert items[:2] == ["Анна — 3 messages", "Карл — 3 messages"]
    # the name that is in both chats is proposed, though Карл leads the group
    assert dlg.authors.currentItem().text() == "Анна — 3 messages" and dlg.name() == "Анна"
    with qtbot.waitSignal(view.finished, timeout=10000) as blocker:
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)  # fmt: skip
    assert all(o.status == "ok" for o in blocker.args[0])
    assert Settings(ctx.db).get("me_names") == ["Анна"]
    assert _directions(ctx, "Борис") == ["out", "in", "out"]
    assert _directions(ctx, "Анна") == []  # I am not a contact of mine
    # the next chat with Анна in it: no question, straight to the import
    third = _chat(tmp_path, "Ещё.txt", ["Олег: ау", "Анна: тут"])
    view2 = _view(qtbot, ctx, [third])
    with qtbot.waitSignal(view2.finished, timeout=10000):
        view2.start()
    assert view2.me_question.dialog is None
    assert _directions(ctx, "Олег") == ["in", "out"]


def test_typed_name_and_cancel(qtbot, ctx, tmp_path: Path) -> None:
    group = _chat(tmp_path, "Работа.txt",
                  ["Карл: hello all", "Анна: hi", "Карл: meeting?", "Дина: yes", "Карл: ok"])  # fmt: skip
    view = _view(qtbot, ctx, [group])
    view.start()
    qtbot.waitUntil(lambda: view.me_question.dialog is not None, timeout=5000)
    view.me_question.dialog.reject()  # type: ignore[union-attr]
    assert view.progress is None and view.start_btn.isEnabled()
    assert Settings(ctx.db).get("me_names") == []
    with ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM interaction").scalar() == 0
    view.start()
    qtbot.waitUntil(lambda: view.me_question.dialog is not None, timeout=5000)
    dlg = view.me_question.dialog
    assert dlg is not None and dlg.name() == "Карл"  # alone, the group's guess: most messages
    dlg.authors.setCurrentRow(2)  # Дина
    assert dlg.name() == "Дина"
    with qtbot.waitSignal(view.finished, timeout=10000):
        dlg.accept()
    assert Settings(ctx.db).get("me_names") == ["Дина"]
    assert _directions(ctx, "Карл") == ["in", "in", "out", "in"]


def test_a_phone_number_typed_as_my_name_is_also_my_identity(qtbot, ctx, tmp_path: Path) -> None:
    """WhatsApp shows a sender not in the phone's address book by number; typed as "me", the
    number is kept as a name (for chats) and as my phone (for SMS and call logs)."""
    chat = _chat(tmp_path, "WhatsApp Chat with Борис.txt",
                 ["+7 900 123-45-67: Привет!", "Борис: Hi", "+7 900 123-45-67: как дела?"])  # fmt: skip
    view = _view(qtbot, ctx, [chat])
    view.start()
    qtbot.waitUntil(lambda: view.me_question.dialog is not None, timeout=5000)
    dlg = view.me_question.dialog
    assert dlg is not None
    dlg.authors.setCurrentRow(-1)
    dlg.name_edit.setText("+7 900 123-45-67")
    with qtbot.waitSignal(view.finished, timeout=10000):
        dlg.accept()
    s = Settings(ctx.db)
    assert s.get("me_names") == ["+7 900 123-45-67"]
    assert ["phone", "+7 900 123-45-67"] in s.get("me_identities")
    assert _directions(ctx, "Борис") == ["out", "in", "out"]
