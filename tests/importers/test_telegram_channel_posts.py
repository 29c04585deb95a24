"""Telegram groups: what the group or a channel itself posted (anonymous admins, a linked
channel's posts) is nobody's message: no contact, no interaction, counted as left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from netassist.core.db import open_database
from netassist.core.ingest import ingest
from netassist.importers.records import ImportedInteraction, ImportOptions, SkippedMessages
from netassist.importers.telegram import TelegramImporter

OPTS = ImportOptions(local_timezone="UTC")


def _msg(i: int, who: str, uid: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"id": i, "type": "message", "date": "2023-02-01T10:00:00",
            "date_unixtime": str(1675245600 + 60 * i), "from": who, "from_id": uid,
            "text": text, "text_entities": [], **extra}  # fmt: skip


def _export(tmp_path: Path) -> Path:
    group = {
        "name": "Работа", "type": "private_supergroup", "id": 300,
        "messages": [
            _msg(1, "Анна", "user2", "привет"),
            _msg(2, "Работа", "channel300", "анонимный админ", author="Админ"),
            _msg(3, "Я", "user1", "ответ админу", reply_to_message_id=2),
            _msg(4, "Канал", "channel999", "пост из связанного канала"),
            _msg(5, "Борис", "user3", "комментарий"),
            {"id": 6, "type": "service", "date": "2023-02-01T10:06:00",
             "date_unixtime": "1675245960", "actor": "Работа", "actor_id": "channel300",
             "action": "group_call", "duration_seconds": 60, "text": "", "text_entities": []},
        ],
    }  # fmt: skip
    doc = {
        "personal_information": {"user_id": 1, "first_name": "Я", "last_name": ""},
        "chats": {"about": "", "list": [group]},
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_posts_by_a_channel_or_the_group_are_no_persons_messages(tmp_path: Path) -> None:
    recs = list(TelegramImporter().parse(_export(tmp_path), OPTS))
    msgs = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert [m.message_id for m in msgs] == ["1", "3", "5"]
    names = {p.name for m in msgs for p in m.counterparts}
    assert names == {"Анна", "Борис"}
    # my reply to the anonymous admin goes to the last person who wrote
    assert msgs[1].direction == "out" and msgs[1].counterparts[0].name == "Анна"
    left = [r for r in recs if isinstance(r, SkippedMessages)]
    assert [(r.reason, r.count) for r in left] == [("channel_post", 3)]
    assert left[0].where == "result.json: chat 1"


def test_the_import_result_counts_them_and_makes_no_contact_of_them(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite")
    path = _export(tmp_path)
    res = ingest(db, TelegramImporter().parse(path, OPTS), source="result.json",
                 importer="telegram")  # fmt: skip
    assert res.status == "ok" and not res.problems
    assert res.interactions_added == 3
    assert res.left_out == {"channel_post": 3}
    assert res.as_json()["left_out"] == {"channel_post": 3}
    conn = db.raw()
    try:
        names = {n for (n,) in conn.execute("SELECT display_name FROM contact WHERE is_me = 0")}
    finally:
        conn.close()
    assert names == {"Анна", "Борис"}
    again = ingest(db, TelegramImporter().parse(path, OPTS), source="result.json",
                   importer="telegram")  # fmt: skip
    assert (again.interactions_added, again.left_out) == (0, {"channel_post": 3})


def test_the_cli_says_how_many_were_left_out(capsys, tmp_path: Path) -> None:
    from netassist.cli import main

    path = _export(tmp_path)
    assert main(["import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["left_out"] == {"channel_post": 3}
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "left out on purpose: 3 post(s) by a channel or group itself (not a person)" in out
