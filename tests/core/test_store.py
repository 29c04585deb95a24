"""The store: migrations equal the models, pragmas, FTS, services, forget, merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from netassist.core import contacts as svc
from netassist.core import repository as repo
from netassist.core.db import open_database, raw_connect
from netassist.core.migrate import current_revision, file_head, head_revision


def test_migrated_schema_equals_models(db) -> None:
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # FTS shadow tables are created by the migration on purpose and are not models
    diff = [d for d in diff if not (d[0] == "remove_table" and "_fts" in d[1].name)]
    assert diff == []


def test_pragmas_and_fts5(db) -> None:
    conn = db.raw()
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    finally:
        conn.close()


def test_reopen_does_not_remigrate(tmp_path: Path) -> None:
    a = open_database(tmp_path / "x.db")
    cid = svc.add_contact(a, "Пётр Первый")
    a.dispose()
    b = open_database(tmp_path / "x.db")
    assert repo.contact_detail(b, cid)["display_name"] == "Пётр Первый"


def test_search_cyrillic_prefix_any_case(db) -> None:
    svc.add_contact(db, "Алёна Сергеевна Воробьёва")
    svc.add_contact(db, "Aleksei Vorobyov")
    res = repo.search(db, "ВОРОБЬЕ")  # other case, е for ё, prefix
    assert [c["display_name"] for c in res["contacts"]] == ["Алёна Сергеевна Воробьёва"]
    assert [c["display_name"] for c in repo.search(db, "vorob")["contacts"]] == ["Aleksei Vorobyov"]


def test_log_interaction_and_timeline_search(db) -> None:
    cid = svc.add_contact(db, "Иван", identities=[("phone", "8 (916) 123-45-67")])
    svc.log_interaction(db, cid, "meeting", 1_700_000_000, "Обсуждали поездку на рыбалку")
    svc.log_interaction(db, cid, "call", 1_700_100_000, "", duration_s=300)
    tl = repo.timeline(db, cid)
    assert [t["channel"] for t in tl] == ["call", "meeting"]
    assert [t["channel"] for t in repo.timeline(db, cid, search="рыбал")] == ["meeting"]
    with pytest.raises(ValueError, match="unknown channel"):
        svc.log_interaction(db, cid, "pigeon")


def test_identity_conflict_and_phone_normalised(db) -> None:
    a = svc.add_contact(db, "A", identities=[("phone", "8 (916) 123-45-67")])
    d = repo.contact_detail(db, a)
    assert d["identities"][0]["value"] == "+79161234567"
    with pytest.raises(ValueError, match="already belongs"):
        svc.add_contact(db, "B", identities=[("phone", "+7 916 123 45 67")])
    assert repo.find_contact(db, "+79161234567") == a


def test_edit_marks_user_fields(db) -> None:
    cid = svc.add_contact(db, "Anna")
    svc.edit_contact(db, cid, organization="Acme", display_name="Anna K")
    d = repo.contact_detail(db, cid)
    assert d["organization"] == "Acme" and set(d["user_edited"].split(",")) == {
        "organization",
        "display_name",
    }
    assert repo.search(db, "anna k")["contacts"][0]["id"] == cid


def test_merge_moves_everything(db) -> None:
    a = svc.add_contact(db, "Саша Иванов", identities=[("email", "sasha@example.ru")])
    b = svc.add_contact(
        db, "Aleksandr Ivanov", identities=[("phone", "+79160000000")], tags=["work"],
        organization="Acme",
    )  # fmt: skip
    svc.log_interaction(db, b, "call", 1_700_000_000)
    svc.add_note(db, b, "met at the conference")
    svc.merge_contacts(db, a, b)
    d = repo.contact_detail(db, a)
    assert {i["value"] for i in d["identities"]} == {"sasha@example.ru", "+79160000000"}
    assert d["tags"] == ["work"] and d["organization"] == "Acme"
    assert d["interaction_count"] == 1 and len(d["notes"]) == 1
    assert repo.contact_detail(db, b) is None
    with db.engine.connect() as conn:
        rec = conn.exec_driver_sql("SELECT merged_name FROM merge_record").all()
    assert rec == [("Aleksandr Ivanov",)]


def test_forget_leaves_no_row_mentioning_the_contact(db, tmp_path: Path) -> None:
    keep = svc.add_contact(db, "Other Person")
    cid = svc.add_contact(
        db, "Зинаида Уникальная", identities=[("email", "zina.unique@example.ru")]
    )
    svc.log_interaction(db, cid, "meeting", 1_700_000_000, "секретнаяфраза встреча")
    svc.add_note(db, cid, "заметка про Зинаиду")
    svc.log_interaction(db, keep, "call", 1_700_000_000, "other text")
    svc.forget_contact(db, cid)
    db.dispose()
    # read every table of the file, FTS shadow tables included
    conn = raw_connect(tmp_path / "t.db")
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for t in tables:
        for row in conn.execute(f'SELECT * FROM "{t}"'):
            blob = " ".join(
                v.decode("utf-8", "ignore") if isinstance(v, bytes) else str(v) for v in row
            )
            for needle in ("Зинаид", "зинаид", "zina.unique", "секретнаяфраза"):
                assert needle not in blob, (t, row)
    conn.close()
    raw = (tmp_path / "t.db").read_bytes() + (
        (tmp_path / "t.db-wal").read_bytes() if (tmp_path / "t.db-wal").exists() else b""
    )
    assert "секретнаяфраза".encode() not in raw


def test_head_from_file_names_is_alembics_head() -> None:
    """Start-up skips importing alembic when the database is at file_head(): it must be the
    real head (a new migration not named NNNN_*.py with revision NNNN would break this)."""
    assert file_head() == head_revision()
