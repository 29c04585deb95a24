"""Messenger/Instagram: "Facebook User" is how Meta shows every deleted or deactivated account.
In two threads it is two people: each thread's one stays its own contact, never merged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from netassist.core.db import open_database
from netassist.core.ingest import ingest
from netassist.importers.messenger import InstagramImporter, MessengerImporter
from netassist.importers.records import ImportedInteraction, MeHint

T0 = 1_700_000_000_000


def _thread(inbox: Path, folder: str, title: str, people: list[str],
            msgs: list[tuple[str, str]], group: bool = False) -> None:  # fmt: skip
    d = inbox / folder
    d.mkdir(parents=True)
    doc: dict[str, Any] = {
        "participants": [{"name": n} for n in people],
        "messages": [
            {
                "sender_name": who,
                "timestamp_ms": T0 + 60_000 * i,
                "content": text,
                "type": "Generic",
            }
            for i, (who, text) in reversed(list(enumerate(msgs)))
        ],
        "title": title,
        "is_still_participant": True,
        "thread_type": "RegularGroup" if group else "Regular",
        "thread_path": f"inbox/{folder}",
    }
    (d / "message_1.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _export(tmp_path: Path, deleted: str = "Facebook User") -> Path:
    inbox = tmp_path / "messages" / "inbox"
    _thread(inbox, "facebookuser_111", deleted, [deleted, "Мария"],
            [(deleted, "привет"), ("Мария", "привет!")])  # fmt: skip
    _thread(inbox, "facebookuser_222", deleted, [deleted, "Мария"],
            [("Мария", "как дела?"), (deleted, "хорошо")])  # fmt: skip
    _thread(inbox, "club_333", "Клуб", [deleted, "Мария", "Олег"],
            [(deleted, "всем привет"), ("Олег", "привет"), ("Мария", "ура")], group=True)  # fmt: skip
    _thread(inbox, "oleg_444", "Олег", ["Олег", "Мария"], [("Олег", "ну что?"), ("Мария", "да")])
    return tmp_path / "messages"


def test_each_thread_has_its_own_deleted_account(tmp_path: Path) -> None:
    recs = list(MessengerImporter().parse(_export(tmp_path)))
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Мария"]  # still found
    deleted = {
        r.conversation_key: r.counterparts[0]
        for r in recs
        if isinstance(r, ImportedInteraction) and r.counterparts[0].name == "Facebook User"
    }
    assert len(deleted) == 3
    assert len({p.identities for p in deleted.values()}) == 3


def _contacts(tmp_path: Path, importer: Any, root: Path) -> tuple[list[str], list[int]]:
    db = open_database(tmp_path / "db.sqlite")
    added = []
    for _ in range(2):
        res = ingest(db, importer.parse(root), source=root.name, importer=importer.name)
        assert res.status == "ok" and not res.problems
        added.append(res.interactions_added)
    conn = db.raw()
    try:
        names = sorted(
            n for (n,) in conn.execute("SELECT display_name FROM contact WHERE is_me = 0")
        )
    finally:
        conn.close()
    return names, added


def test_they_never_merge_into_one_contact(tmp_path: Path) -> None:
    names, added = _contacts(tmp_path, MessengerImporter(), _export(tmp_path))
    assert names == ["Facebook User"] * 3 + ["Олег"]
    assert added[1] == 0  # and a re-import finds the same three


def test_instagram_and_russian_exports_too(tmp_path: Path) -> None:
    for deleted, imp in (("Instagram User", InstagramImporter()),
                         ("Пользователь Facebook", MessengerImporter())):  # fmt: skip
        root = tmp_path / deleted
        names, added = _contacts(root, imp, _export(root, deleted))
        assert names == sorted([deleted] * 3 + ["Олег"]), deleted
        assert added[1] == 0


def test_the_review_list_does_not_propose_merging_them(tmp_path: Path) -> None:
    from netassist.core.duplicates import PersonKeys, find_candidates

    people = [PersonKeys(id=i, display_name=n) for i, n in enumerate(
        ["Facebook User", "Facebook User", "пользователь  facebook", "Пользователь Facebook",
         "Instagram User", "Instagram User", "Олег Петров", "Олег Петров"])]  # fmt: skip
    assert [(c.a_id, c.b_id) for c in find_candidates(people)] == [(6, 7)]
