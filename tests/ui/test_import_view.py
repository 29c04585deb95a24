"""The import page: unknown formats, a real ingest through a test importer, cancel, the report,
and drag-and-drop onto the main window."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from netassist.core import repository
from netassist.core.progress import check_cancelled
from netassist.core.records import (
    IdentityRef,
    ImportedContact,
    ImportedInteraction,
    ImportProblem,
    Party,
)
from netassist.importers.base import Importer, ensure_progress
from netassist.ui.tasks import Tasks
from netassist.ui.views.import_view import ImportView


class CsvPeople(Importer):
    """A tiny "name;email;message" CSV importer, only for these tests."""

    name = "test_csv"
    label = "Test CSV"
    patterns = ("*.csv",)

    def sniff(self, path: Path, head: bytes) -> int:
        return 90 if head.startswith(b"name;email") else 0

    def parse(self, path, options=None, progress=None) -> Iterator[object]:  # type: ignore[no-untyped-def]
        progress = ensure_progress(progress)
        lines = path.read_text(encoding="utf-8").splitlines()[1:]
        for n, line in enumerate(lines, 2):
            check_cancelled(progress)
            progress.set_progress(n / (len(lines) + 2), "")
            parts = line.split(";")
            if len(parts) != 3:
                yield ImportProblem(where=f"{path.name}:{n}", reason="expected 3 columns")
                continue
            name, email, text = parts
            ident = IdentityRef("email", email)
            yield ImportedContact(source_key=email, where=f"{path.name}:{n}", full_name=name,
                                  identities=(ident,))  # fmt: skip
            if text:
                yield ImportedInteraction(
                    fingerprint=f"t:{email}:{n}", where=f"{path.name}:{n}",
                    occurred_at=datetime(2024, 5, n % 28 + 1, tzinfo=UTC),
                    channel="email", direction="in", counterparts=(Party(identities=(ident,)),),
                    text=text,
                )  # fmt: skip


def detector(path: Path) -> Importer | None:
    imp = CsvPeople()
    head = path.read_bytes()[:1024]
    return imp if imp.sniff(path, head) else None


def _write(tmp: Path) -> tuple[Path, Path]:
    good = tmp / "people.csv"
    good.write_text(
        "name;email;message\nАнна Иванова;anna@example.ru;Привет из Казани\n"
        "Bob Stone;bob@example.com;\nbroken line\n",
        encoding="utf-8",
    )
    other = tmp / "notes.xyz"
    other.write_bytes(b"\x00\x01 nothing we know")
    return good, other


def test_unknown_format_and_real_ingest_with_problems(qtbot, ctx, tmp_path: Path) -> None:
    good, other = _write(tmp_path)
    view = ImportView(ctx.db, Tasks(), detector)
    qtbot.addWidget(view)
    view.add_paths([tmp_path])  # a folder: both files are found
    qtbot.waitUntil(lambda: view.files.rowCount() == 2, timeout=3000)
    formats = {view.files.index(r, 0).data(): view.files.index(r, 1).data() for r in range(2)}
    assert formats == {"people.csv": "Test CSV", "notes.xyz": "unknown format"}
    assert "1 recognised" in view.summary.text()
    with qtbot.waitSignal(view.finished, timeout=5000) as blocker:
        qtbot.mouseClick(view.start_btn, Qt.MouseButton.LeftButton)
    outcomes = {o.path.name: o for o in blocker.args[0]}
    assert outcomes["notes.xyz"].status == "unknown"
    ok = outcomes["people.csv"]
    assert ok.status == "ok" and ok.result.contacts_created == 2
    assert ok.result.interactions_added == 1
    assert ok.problems == [("people.csv:4", "expected 3 columns")]
    report = view.report.toPlainText()
    assert "people.csv:4: expected 3 columns" in report
    assert "unknown format" in report and "contacts created" in report
    assert view.stack.currentIndex() == 2
    names = {repository.contact_rows(ctx.db, [i])[i].display_name
             for i in repository.contact_ids(ctx.db)}  # fmt: skip
    assert names == {"Анна Иванова", "Bob Stone"}


class SlowPeople(CsvPeople):
    """Waits for the test to press Cancel, then goes on so cancellation is seen mid-file."""

    name = "slow"
    label = "Slow"
    inside = threading.Event()

    def parse(self, path, options=None, progress=None):  # type: ignore[no-untyped-def]
        progress = ensure_progress(progress)
        yield ImportedContact(source_key="x", where="slow:1", full_name="Должен Исчезнуть")
        SlowPeople.inside.set()  # the first record is in ingest's hands now
        for _ in range(500):  # up to 5 s for the click to arrive
            if progress.is_cancelled():
                break
            time.sleep(0.01)
        yield from super().parse(path, options, progress)


def test_cancel_rolls_back(qtbot, ctx, tmp_path: Path) -> None:
    good, _other = _write(tmp_path)
    view = ImportView(ctx.db, Tasks(), lambda p: SlowPeople())
    qtbot.addWidget(view)
    view.add_paths([good])
    qtbot.waitUntil(lambda: view.files.rowCount() == 1, timeout=3000)
    view.start()
    assert view.stack.currentIndex() == 1  # the progress page
    qtbot.waitUntil(SlowPeople.inside.is_set, timeout=3000)
    with qtbot.waitSignal(view.finished, timeout=8000) as blocker:
        qtbot.mouseClick(view.cancel_btn, Qt.MouseButton.LeftButton)
    (outcome,) = blocker.args[0]
    assert outcome.status == "cancelled"
    assert repository.contact_ids(ctx.db) == []
    assert "cancelled, nothing kept" in view.report.toPlainText()
    with ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT status FROM import_run").scalar() == "cancelled"


def test_drop_on_main_window_queues_files(qtbot, window, tmp_path: Path) -> None:
    good, other = _write(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(other))])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                    Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    window.dropEvent(ev)
    QApplication.processEvents()
    assert window.current_page() == "import"
    qtbot.waitUntil(lambda: window.importer.files.rowCount() == 2, timeout=3000)
    # no importer registered in this branch reads these: both are "unknown" or detected
    assert {window.importer.files.index(r, 0).data() for r in range(2)} == {
        "people.csv",
        "notes.xyz",
    }


VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ольга Смирнова\r\nN:Смирнова;Ольга;;;\r\n"
    "EMAIL:olga@example.ru\r\nTEL:+7 912 000-11-22\r\nEND:VCARD\r\n"
)
EML = (
    "From: =?UTF-8?B?0J7Qu9GM0LPQsCDQodC80LjRgNC90L7QstCw?= <olga@example.ru>\n"
    "To: me@example.org\nSubject: =?UTF-8?B?0J/RgNC40LLQtdGC?=\n"
    "Date: Tue, 14 May 2024 10:15:00 +0300\nMessage-ID: <abc123@example.ru>\n"
    "Content-Type: text/plain; charset=utf-8\n\nПривет! Как дела с проектом?\n"
)


@pytest.mark.parametrize(("name", "content", "interactions"),
                         [("друзья.vcf", VCF, 0), ("письмо.eml", EML, 1)])  # fmt: skip
def test_real_files_through_registered_importers(
    qtbot, ctx, tmp_path: Path, name: str, content: str, interactions: int
) -> None:
    """With the project's importers registered (main), a dropped file goes all the way in."""
    from netassist.importers import detect

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    if detect(path) is None:
        pytest.skip(f"no importer for {path.suffix} registered in this branch")
    view = ImportView(ctx.db, Tasks())
    qtbot.addWidget(view)
    view.add_paths([path])
    qtbot.waitUntil(lambda: view.files.rowCount() == 1, timeout=3000)
    assert view.files.index(0, 1).data() != "unknown format"
    with qtbot.waitSignal(view.finished, timeout=10000) as blocker:
        view.start()
        if name.endswith(".eml"):  # the guessed own address is confirmed first
            qtbot.waitUntil(lambda: view.me_question.dialog is not None, timeout=5000)
            assert view.me_question.dialog.addresses() == ["me@example.org"]
            view.me_question.dialog.accept()
    (outcome,) = blocker.args[0]
    assert outcome.status == "ok", outcome.message
    assert outcome.result.interactions_added == interactions
    (cid,) = repository.contact_ids(ctx.db)
    d = repository.contact_detail(ctx.db, cid)
    assert d["display_name"] == "Ольга Смирнова"
    assert "olga@example.ru" in {i["value"] for i in d["identities"]}
    assert name in view.report.toPlainText()


def test_language_switch_waits_for_a_running_import(qtbot, window, tmp_path: Path) -> None:
    good, _other = _write(tmp_path)
    SlowPeople.inside.clear()
    window.importer.detect = lambda p: SlowPeople()
    window.show_page("import")
    window.importer.add_paths([good])
    qtbot.waitUntil(lambda: window.importer.files.rowCount() == 1, timeout=3000)
    window.importer.start()
    qtbot.waitUntil(SlowPeople.inside.is_set, timeout=3000)
    window.apply_settings({"language": "ru"})
    assert window.nav.item(0).text() == "Today"  # the running import's page is kept
    with qtbot.waitSignal(window.importer.finished, timeout=8000):
        window.importer.cancel()
    assert window.nav.item(0).text() == "Сегодня"  # rebuilt in Russian once it finished
    assert window.current_page() == "import" and window.importer.stack.currentIndex() == 2
    assert "отменено, ничего не сохранено" in window.importer.report.toPlainText()
    window.apply_settings({"language": "en"})


def test_address_book_parsed_in_a_child_process(qtbot, ctx, tmp_path: Path, monkeypatch) -> None:
    """From the window too (a pool thread of a Qt app spawns the parser): same outcome, and
    progress comes through."""
    from netassist.importers import apart

    monkeypatch.setenv(apart.ENV, "1")
    children = []
    real = apart._parse_in_child

    def spy(*args):  # type: ignore[no-untyped-def]
        children.append(args[1])
        return real(*args)

    monkeypatch.setattr(apart, "_parse_in_child", spy)
    path = tmp_path / "друзья.vcf"
    path.write_text(VCF, encoding="utf-8")
    view = ImportView(ctx.db, Tasks())
    qtbot.addWidget(view)
    view.add_paths([path])
    qtbot.waitUntil(lambda: view.files.rowCount() == 1, timeout=3000)
    with qtbot.waitSignal(view.finished, timeout=60000) as blocker:
        view.start()
    (outcome,) = blocker.args[0]
    assert outcome.status == "ok", outcome.message
    assert outcome.result.contacts_created == 1
    (cid,) = repository.contact_ids(ctx.db)
    assert repository.contact_detail(ctx.db, cid)["display_name"] == "Ольга Смирнова"
    assert children == [path]
