"""Telegram Desktop JSON importer: golden files, directions, calls, groups, streaming, repairs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from netassist.importers import jsonstream
from netassist.importers.base import FormatError
from netassist.importers.records import (
    ImportedContact,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
)
from netassist.importers.telegram import TelegramImporter, plain_text
from tests.importers.test_whatsapp_golden import to_plain

FIX = Path(__file__).parent / "fixtures" / "telegram"
OPTS = ImportOptions(local_timezone="Europe/Moscow")


def parse(path: Path, opts: ImportOptions = OPTS) -> list[Any]:
    return list(TelegramImporter().parse(path, opts))


@pytest.mark.parametrize("name", ["result.json", "broken_export.json"])
def test_golden(name: str) -> None:
    got = [to_plain(r) for r in parse(FIX / name)]
    golden = FIX / f"{name}.expected.json"
    if os.environ.get("NETASSIST_REGEN_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_full_export_semantics() -> None:
    recs = parse(FIX / "result.json")
    me = [r for r in recs if isinstance(r, MeHint)]
    assert me[0].name == "Алексей Смирнов" and not me[0].inferred
    assert ("telegram", "user111") in [(i.kind, i.value) for i in me[0].identities]
    contacts = [r for r in recs if isinstance(r, ImportedContact)]
    assert [c.full_name for c in contacts] == ["Мария Иванова", "Pizza"]
    assert [i.kind for i in contacts[1].identities] == ["phone"]  # user_id 0: not on Telegram
    msgs = {r.message_id: r for r in recs if isinstance(r, ImportedInteraction)}
    assert "1" not in msgs and "11" not in msgs and "16" not in msgs  # join, invite, pin
    assert "20" not in msgs  # saved messages
    assert msgs["3"].direction == "out" and msgs["3"].reply_to == "2"
    assert msgs["3"].text == "Смотри https://example.ru/x — важно"  # entity list joined
    assert msgs["4"].counterparts[0].name == "Мария Иванова"  # forward: the sender, not Медуза
    assert (msgs["5"].channel, msgs["5"].duration_s, msgs["5"].direction) == ("call", 125, "out")
    assert (msgs["6"].channel, msgs["6"].duration_s) == ("call", 0)  # missed
    assert msgs["7"].tz_status == "local" and msgs["7"].attachments == 1
    assert msgs["7"].occurred_at.isoformat() == "2021-03-03T05:00:00+00:00"  # 08:00 Moscow
    # my line before anybody else in the group goes with the first other author to write
    assert msgs["10"].direction == "out" and msgs["10"].counterparts[0].name == "Пётр"
    assert msgs["12"].weight == 0.4 and msgs["12"].conversation_kind == "group"
    assert msgs["14"].counterparts[0].name == "Пётр"  # I reply to Пётр
    assert msgs["15"].counterparts[0].name == "Ольга"  # else the last other author
    assert msgs["17"].channel == "call" and msgs["17"].duration_s == 600
    assert not [r for r in recs if isinstance(r, ImportProblem)]


def test_exporter_bugs_are_repaired_without_loss() -> None:
    recs = parse(FIX / "broken_export.json")
    assert not [r for r in recs if isinstance(r, ImportProblem)]
    texts = [r.text for r in recs if isinstance(r, ImportedInteraction)]
    assert texts == ["form\x0cfeed and a\x01bell", "😮 ок", "всё ок"]
    # no personal_information: the personal chat's id names the partner, so Alice is me
    dirs = [r.direction for r in recs if isinstance(r, ImportedInteraction)]
    assert dirs == ["in", "out", "in"]


def test_repair_unit() -> None:
    raw = b'{"a": "x\x01y\tz", "document_id": video_files/s (2).webm\n, "n": 5}'
    assert orjson.loads(jsonstream.repair(raw)) == {
        "a": "x\x01y\tz",
        "document_id": "video_files/s (2).webm",
        "n": 5,
    }


def test_plain_text() -> None:
    assert plain_text("abc") == "abc"
    assert plain_text(["a", {"type": "bold", "text": "b"}, {"type": "x"}, 5]) == "ab"
    assert plain_text(None) == ""


def _make_export(path: Path, n: int, minified: bool = False) -> None:
    msgs = [
        {
            "id": i,
            "type": "message",
            "date_unixtime": str(1600000000 + i),
            "from": "Bob" if i % 2 else "Me",
            "from_id": "user2" if i % 2 else "user1",
            "text": f"сообщение {i}",
        }
        for i in range(n)
    ]
    doc = {
        "personal_information": {"user_id": 1, "first_name": "Me"},
        "chats": {"list": [{"name": "Bob", "type": "personal_chat", "id": 2, "messages": msgs}]},
    }
    path.write_bytes(
        orjson.dumps(doc) if minified else orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    )


@pytest.mark.parametrize("minified", [False, True])
def test_streams_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minified: bool
) -> None:
    monkeypatch.setattr(jsonstream, "BATCH", 2000)  # force many batches
    path = tmp_path / "result.json"
    _make_export(path, 3000, minified)
    recs = [r for r in parse(path) if isinstance(r, ImportedInteraction)]
    assert len(recs) == 3000
    assert [r.message_id for r in recs] == [str(i) for i in range(3000)]
    assert recs[1].direction == "in" and recs[2].direction == "out"
    assert len({r.fingerprint for r in recs}) == 3000


def test_bad_message_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(
        '{\n "name": "Bob",\n "type": "personal_chat",\n "id": 2,\n "messages": [\n'
        '  {\n   "id": 1,\n   "type": "message",\n   "date_unixtime": "1600000000",\n'
        '   "from_id": "user2",\n   "text": "ok"\n  },\n'
        '  {\n   "id": 2,\n   "type": "message",\n   "date_unixtime": [[[,\n  },\n'
        '  {\n   "id": 3,\n   "type": "message",\n   "text": "no date"\n  }\n ]\n}\n',
        encoding="utf-8",
    )
    recs = parse(path)
    assert [r.message_id for r in recs if isinstance(r, ImportedInteraction)] == ["1"]
    assert len([r for r in recs if isinstance(r, ImportProblem)]) == 2


@pytest.mark.parametrize("content", [b"", b"not json at all", b"[1, 2, 3]", b'{"a": 1}'])
def test_unreadable_files_raise_format_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(FormatError):
        parse(path)


def test_deep_nesting_is_refused_politely(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'{"about": ' + b"[" * 5000 + b"]" * 5000 + b', "messages": []}')
    with pytest.raises(FormatError):
        parse(path)


def test_sniff() -> None:
    imp = TelegramImporter()
    head = (FIX / "result.json").read_bytes()[:65536]
    assert imp.sniff(FIX / "result.json", head) >= 90
    assert imp.sniff(Path("x.json"), b'{"name": "x", "list": []}') == 0
    assert imp.sniff(Path("x.txt"), b"12/31/20, 11:59 PM - A: b") == 0


def test_hostile_personal_information_is_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b'{"personal_information": ' + b"[" * 150 + b"]" * 150 + b"}")
    with pytest.raises(FormatError):
        parse(path)
    path.write_bytes(
        b'{"personal_information": {"user_id": 1, "first_name": "A"},\n'
        b' "chats": {"list": [{"name": "B", "type": "personal_chat", "id": 2, "messages": '
        b'[{"id": 1, "type": "message", "date_unixtime": "1600000000", "from_id": "user2", '
        b'"text": "hi"}]}, {"name": ' + b"[" * 2000
    )
    recs = parse(path)
    assert [r.text for r in recs if isinstance(r, ImportedInteraction)] == ["hi"]
    assert [r for r in recs if isinstance(r, ImportProblem)]


def _single_chat(tmp_path: Path, chat_id: int, messages: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "result.json"
    path.write_text(
        json.dumps(
            {
                "name": "Вика",
                "type": "personal_chat",
                "id": chat_id,
                "messages": [
                    {
                        "id": i + 1,
                        "type": "message",
                        "date": f"2023-08-23T13:1{i}:00",
                        "date_unixtime": str(1692785400 + 60 * i),
                        "from": name,
                        "from_id": uid,
                        "text": text,
                    }
                    for i, (name, uid, text) in enumerate(messages)
                ],
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return path


def test_personal_chat_whose_id_is_nobodys_finds_the_partner_by_name(tmp_path: Path) -> None:
    """Anonymised exports change the user ids but not the chat's id: the author named like
    the chat is then the partner, and the other author is me."""
    chat = [
        ("Вика Смирнова", "user111", "привет"),
        ("Я Сам", "user222", "привет!"),
        ("Вика Смирнова", "user111", "как дела?"),
    ]
    msgs = [
        r for r in parse(_single_chat(tmp_path, 999, chat)) if isinstance(r, ImportedInteraction)
    ]
    assert [m.direction for m in msgs] == ["in", "out", "in"]
    assert {m.counterparts[0].identities[0].value for m in msgs} == {"user111"}
    # the ordinary case is untouched: the chat's id is the partner's user id
    chat_ok = [(n, "user999" if u == "user111" else u, t) for n, u, t in chat]
    msgs = [
        r for r in parse(_single_chat(tmp_path, 999, chat_ok)) if isinstance(r, ImportedInteraction)
    ]
    assert [m.direction for m in msgs] == ["in", "out", "in"]
    # me writing first, under a name that also starts like the chat's, does not confuse it
    mine_first = [("Вика", "user222", "ау"), ("Вика Смирнова", "user999", "тут")]
    msgs = [
        r
        for r in parse(_single_chat(tmp_path, 999, mine_first))
        if isinstance(r, ImportedInteraction)
    ]
    assert [m.direction for m in msgs] == ["out", "in"]


def test_personal_chat_nobody_can_be_told_apart(tmp_path: Path) -> None:
    """Neither the chat's id nor its name points at an author: the file says so (one problem)
    and each author counts as himself; my name given as 'me' settles it."""
    chat = [("Alice", "user111", "Hello!"), ("Bob", "user222", "Hi!"), ("Alice", "user111", "ok")]
    path = _single_chat(tmp_path, 999, chat)
    records = parse(path)
    msgs = [r for r in records if isinstance(r, ImportedInteraction)]
    assert [m.direction for m in msgs] == ["in", "in", "in"]
    assert [m.counterparts[0].name for m in msgs] == ["Alice", "Bob", "Alice"]
    assert len([r for r in records if isinstance(r, ImportProblem)]) == 1
    opts = ImportOptions(local_timezone="Europe/Moscow", me_names=("Bob",))
    records = parse(path, opts)
    msgs = [r for r in records if isinstance(r, ImportedInteraction)]
    assert [m.direction for m in msgs] == ["in", "out", "in"]
    assert {i.value for m in msgs for p in m.counterparts for i in p.identities} == {"user111"}
    assert not [r for r in records if isinstance(r, ImportProblem)]


def test_ids_written_as_strings_of_digits(tmp_path: Path) -> None:
    """Some tools write the chat id and from_id as "123" strings: still user 123."""
    path = tmp_path / "result.json"
    path.write_text(
        json.dumps(
            {
                "name": "Лена",
                "type": "personal_chat",
                "id": "555",
                "messages": [
                    {
                        "id": 1,
                        "type": "message",
                        "date_unixtime": "1700000000",
                        "from": "Лена",
                        "from_id": "555",
                        "text": "привет",
                    },
                    {
                        "id": 2,
                        "type": "message",
                        "date_unixtime": "1700000060",
                        "from": "Я",
                        "from_id": "user777",
                        "text": "привет!",
                    },
                ],
            },  # fmt: skip
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    records = parse(path)
    msgs = [r for r in records if isinstance(r, ImportedInteraction)]
    assert [m.direction for m in msgs] == ["in", "out"]
    assert {i.value for m in msgs for p in m.counterparts for i in p.identities} == {"user555"}
    assert not [r for r in records if isinstance(r, ImportProblem)]


def test_contacts_only_export_is_recognised(tmp_path: Path) -> None:
    """A data export with only "Contacts list" ticked: no personal_information, no
    chats, just the contacts (and the frequent-contacts rating). It was 'unknown format'."""
    from netassist.importers.registry import detect

    path = tmp_path / "result.json"
    path.write_text(
        json.dumps(
            {
                "about": "Here is the data you requested. " + "x" * 300,
                "contacts": {
                    "about": "If you allow access, your contacts are continuously synced.",
                    "list": [
                        {
                            "first_name": "Анна",
                            "last_name": "Смирнова",
                            "phone_number": "+7 916 123 4567",
                            "date": "2023-03-15T14:30:00",
                            "date_unixtime": "1678891800",
                        },
                        {
                            "first_name": "Tom",
                            "last_name": "",
                            "phone_number": "4915112345678",
                            "date": "2023-03-16T10:45:00",
                            "date_unixtime": "1678964700",
                        },
                    ],
                },
                "frequent_contacts": {
                    "about": "This rating shows which people you are likelier to message.",
                    "list": [
                        {
                            "id": 49754331,
                            "category": "people",
                            "type": "user",
                            "name": "Bert",
                            "rating": 1.99,
                        }
                    ],
                },
            },  # fmt: skip
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    imp = detect(path)
    assert imp is not None and imp.name == "telegram"
    records = parse(path)
    contacts = [r for r in records if isinstance(r, ImportedContact)]
    assert [c.full_name for c in contacts] == ["Анна Смирнова", "Tom"]
    # The date a phone contact was synced to Telegram is not an interaction: connected_on
    # (LinkedIn's "Connected On") made each one a "linkedin" "connected" row in the database.
    assert [c.connected_on for c in contacts] == [None, None]
    assert not [r for r in records if isinstance(r, ImportProblem)]
    # a contacts list that is not Telegram's stays unrecognised
    other = tmp_path / "other.json"
    other.write_text('{"contacts": [{"name": "A", "phone": "1"}]}', encoding="utf-8")
    assert TelegramImporter().sniff(other, other.read_bytes()) == 0


def test_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    """A result.json saved again by an editor that writes a UTF-8 byte order mark (Windows
    Notepad): the sniffer took it, the parser refused it ('expected an object at offset 0')."""
    doc = {
        "name": "Лена",
        "type": "personal_chat",
        "id": 555,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date_unixtime": "1700000000",
                "from": "Лена",
                "from_id": "user555",
                "text": "привет",
            }
        ],
    }
    path = tmp_path / "result.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert TelegramImporter().sniff(path, path.read_bytes()) > 0
    msgs = [r for r in parse(path) if isinstance(r, ImportedInteraction)]
    assert [(m.direction, m.text) for m in msgs] == [("in", "привет")]
