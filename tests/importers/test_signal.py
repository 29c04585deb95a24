"""Signal (signal-export) importer: chat.md and data.json, groups, calls, quotes, reactions."""

from __future__ import annotations

from pathlib import Path

import pytest

from netassist.importers.base import FormatError, read_head
from netassist.importers.records import ImportOptions, ImportProblem
from netassist.importers.signal import SignalImporter
from tests.importers._golden_msg import check_golden, interactions

EXPORT = Path(__file__).parent / "fixtures/signal/export"
MSK = ImportOptions(local_timezone="Europe/Moscow")


def test_markdown_chat_golden() -> None:
    path = EXPORT / "ИванПетров/chat.md"
    records = list(SignalImporter().parse(path, MSK))
    check_golden(records, path.with_name("chat.md.expected.json"))
    msgs = interactions(records)
    assert [m.direction for m in msgs] == ["in", "out", "in", "out", "in"]
    assert msgs[1].text == "Отлично, спасибо!\nА ты?"  # quote and reactions left out
    assert msgs[2].attachments == 1 and msgs[2].text is None
    assert msgs[3].channel == "call" and msgs[3].duration_s == 125
    assert msgs[4].text is None  # deleted
    assert all(m.counterparts[0].name == "ИванПетров" for m in msgs)
    assert msgs[0].occurred_at.isoformat() == "2024-03-01T07:00:05+00:00"
    assert [p.where for p in records if isinstance(p, ImportProblem)] == ["ИванПетров/chat.md:12"]


def test_json_lines_group_golden() -> None:
    folder = EXPORT / "Друзья"
    records = list(SignalImporter().parse(folder, MSK))  # the folder prefers data.json
    check_golden(records, folder / "data.json.expected.json")
    msgs = interactions(records)
    assert [m.text for m in msgs] == [
        "Всем привет",  # my opening line: with the first who answers
        "Привет!",
        "Когда встречаемся?",
        "В субботу",
        "Договорились",
    ]
    assert [m.counterparts[0].name for m in msgs] == [
        "ОльгаК",
        "ОльгаК",
        "ОльгаК",
        "ИванПетров",
        "ИванПетров",
    ]
    assert all(m.conversation_kind == "group" and m.weight == 0.4 for m in msgs)
    assert msgs[2].attachments == 1
    assert any(isinstance(r, ImportProblem) and "not JSON" in r.reason for r in records)


def test_export_folder_and_sniff(tmp_path: Path) -> None:
    msgs = interactions(SignalImporter().parse(EXPORT, MSK))
    assert {m.conversation_key for m in msgs} == {"signal:ИванПетров", "signal:Друзья"}
    md = EXPORT / "ИванПетров/chat.md"
    assert SignalImporter().sniff(md, read_head(md)) >= 90
    js = EXPORT / "Друзья/data.json"
    assert SignalImporter().sniff(js, read_head(js)) >= 90
    assert SignalImporter().sniff(EXPORT, b"") >= 90
    junk = tmp_path / "chat.md"
    junk.write_text("просто текст\nбез сообщений\n")
    assert SignalImporter().sniff(junk, read_head(junk)) == 0
    with pytest.raises(FormatError):
        list(SignalImporter().parse(junk))


def test_me_names_and_old_format(tmp_path: Path) -> None:
    path = tmp_path / "Ольга" / "chat.md"
    path.parent.mkdir()
    path.write_text("[2019-05-29, 15:04] Маша: Привет\n[2019-05-29, 15:10] Ольга: Привет!\n")
    records = list(SignalImporter().parse(path, ImportOptions(me_names=("Маша",))))
    msgs = interactions(records)
    assert [m.direction for m in msgs] == ["out", "in"]
    assert msgs[0].counterparts[0].name == "Ольга"
    records = list(SignalImporter().parse(path))
    assert any(isinstance(r, ImportProblem) and "which author is you" in r.reason for r in records)


def test_hostile_markdown(tmp_path: Path) -> None:
    path = tmp_path / "Боб" / "chat.md"
    path.parent.mkdir()
    path.write_bytes(
        b"[2024-01-01 10:00:00] Me: \xff\xfe broken bytes\n"
        + b"y" * 2_000_000
        + b"\n[2024-01-01 10:01:00] \xd0\x91\xd0\xbe\xd0\xb1: ok\n"
    )
    msgs = interactions(SignalImporter().parse(path))
    assert [m.direction for m in msgs] == ["out", "in"]
    assert msgs[0].text is not None and "\ufffd" in msgs[0].text
    assert msgs[1].counterparts[0].name == "Боб"


def test_no_sender_is_nobody_and_media_names_keep_their_parentheses(tmp_path: Path) -> None:
    """signal-export names an author it cannot resolve "No-Sender": an update notice without
    text is no message and no person; with text in a 1:1 chat it is the chat's partner."""
    chat = tmp_path / "Аня" / "chat.md"
    chat.parent.mkdir()
    chat.write_text(
        "[2023-11-02 17:50:00] Аня: привет  \n"
        "[2023-11-02 17:51:00] Me: привет!  \n"
        "[2023-11-02 17:52:00] No-Sender:  \n"
        "[2023-11-02 17:53:00] No-Sender: это я, с нового номера  \n"
        "[2023-11-02 17:54:54] Аня: Смотри  \n"
        "(- Me: 🔥 -)![Image_from_iOS_(1).jpg](./media/Image_from_iOS_(1).jpg)\n",
        encoding="utf-8",
    )
    records = list(SignalImporter().parse(chat.parent, MSK))
    assert not [r for r in records if isinstance(r, ImportProblem)]
    msgs = interactions(records)
    assert [(m.direction, m.text) for m in msgs] == [
        ("in", "привет"),
        ("out", "привет!"),
        ("in", "это я, с нового номера"),
        ("in", "Смотри"),
    ]
    assert all(m.conversation_kind == "private" and m.weight == 1.0 for m in msgs)
    assert {p.name for m in msgs for p in m.counterparts} == {"Аня"}
    assert msgs[-1].attachments == 1

    group = tmp_path / "Дача" / "chat.md"
    group.parent.mkdir()
    group.write_text(
        "[2023-11-03 10:00:00] Аня: едем?\n"
        "[2023-11-03 10:01:00] Олег: да\n"
        "[2023-11-03 10:02:00] No-Sender:\n"
        "[2023-11-03 10:03:00] No-Sender: кто-то без имени\n"
        "[2023-11-03 10:04:00] Me: беру мангал\n",
        encoding="utf-8",
    )
    records = list(SignalImporter().parse(group.parent, MSK))
    msgs = interactions(records)
    assert [m.counterparts[0].name for m in msgs] == ["Аня", "Олег", "Олег"]
    assert all(m.conversation_kind == "group" for m in msgs)
    problems = [r for r in records if isinstance(r, ImportProblem)]
    assert [p.where for p in problems] == ["Дача/chat.md:4"]
