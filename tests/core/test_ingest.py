"""Ingest: identity resolution, fingerprint dedupe, provenance, one transaction, problems."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from netassist.core import contacts as svc
from netassist.core import repository as repo
from netassist.core.db import open_database
from netassist.core.demo import demo_records, load_demo
from netassist.core.ingest import ingest
from netassist.core.records import (
    IdentityRef,
    ImportedInteraction,
    ImportProblem,
    MeHint,
    Party,
)
from tests.support.records import card

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def msg(fp: str, who: Party, direction: str = "in", text: str = "hi", minute: int = 0):
    return ImportedInteraction(
        fingerprint=fp, where=f"chat:{fp}", occurred_at=T0.replace(minute=minute),
        channel="telegram", direction=direction, counterparts=(who,), text=text,
        conversation_key="tg:1",
    )  # fmt: skip


def test_same_identity_same_contact_silently(db) -> None:
    recs = [
        card("1", "Иван Петров", IdentityRef("phone", "8 (916) 123-45-67")),
        card("2", "Ваня", IdentityRef("phone", "+7 916 123 45 67"), IdentityRef("email", "V@x.ru")),
    ]
    r = ingest(db, recs, source="f.vcf", importer="vcard")
    assert r.contacts_created == 1 and r.contacts_merged == 1
    assert repo.stats(db)["contacts"] == 1


def test_cards_of_different_people_sharing_a_phone_are_not_merged(db) -> None:
    """An office line or a family's landline on several cards: plainly different names are
    different people (each keeps the rest of its card); the number stays with the first. The
    same name (or a diminutive, or a transliteration) is still merged, and a chat contact is
    still linked to the card by the number whatever it is called."""
    office = IdentityRef("phone", "+7 (495) 414-20-59")
    recs = [
        card("1", "Алёна Макарова", office, IdentityRef("phone", "+7 969 512-58-59")),
        card("2", "Мария Морозова", office, IdentityRef("email", "maria@bk.ru")),
        card("3", "Павел Морозов", IdentityRef("email", "maria@bk.ru")),  # her husband
        card("4", "Саша Петров", IdentityRef("phone", "+7 916 000-00-01")),
        card("5", "Alexander Petrov", IdentityRef("phone", "8 916 000 00 01")),
    ]
    r = ingest(db, recs, source="f.vcf", importer="vcard")
    assert (r.contacts_created, r.contacts_merged) == (4, 1)
    with db.engine.connect() as c:
        owner = dict(c.exec_driver_sql(
            "SELECT i.value, ct.display_name FROM identity i JOIN contact ct ON ct.id = i.contact_id"
        ).all())  # fmt: skip
    assert owner["+74954142059"] == "Алёна Макарова"
    assert owner["maria@bk.ru"] == "Мария Морозова"
    assert owner["+79160000001"] == "Саша Петров"
    again = ingest(db, recs, source="f.vcf", importer="vcard")
    assert (again.contacts_created, again.contacts_updated, again.contacts_merged) == (0, 0, 0)
    # a chat contact named "Мама" with the mobile: the card links to it
    chat = ImportedInteraction(
        fingerprint="m1", where="x", occurred_at=T0, channel="whatsapp", direction="in",
        counterparts=(Party("Мама", (IdentityRef("phone", "+7 900 111-22-33"),)),), text="hi",
    )  # fmt: skip
    ingest(db, [chat], source="chat.txt", importer="whatsapp")
    mum = ingest(db, [card("9", "Ольга Иванова", IdentityRef("phone", "8 900 111 22 33"))],
                 source="g.vcf", importer="vcard")  # fmt: skip
    assert (mum.contacts_created, mum.contacts_merged) == (0, 1)


def test_reimport_adds_nothing_and_counts_duplicates(db) -> None:
    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    recs = [msg("a", ivan), msg("b", ivan, "out", "привет", 1), msg("c", ivan, minute=2)]
    r1 = ingest(db, recs, source="r.json", importer="telegram")
    r2 = ingest(db, recs, source="r.json", importer="telegram")
    assert (r1.interactions_added, r1.duplicates_skipped) == (3, 0)
    assert (r2.interactions_added, r2.duplicates_skipped, r2.contacts_created) == (0, 3, 0)
    assert repo.stats(db)["interactions"] == 3


def test_changed_card_updates_without_clobbering_user_edits(db) -> None:
    ingest(db, [card("u1", "Anna Smith", IdentityRef("email", "a@x.com"), organization="Acme",
                     title="Engineer")], source="a.vcf", importer="vcard")  # fmt: skip
    cid = repo.find_contact(db, "a@x.com")
    svc.edit_contact(db, cid, title="CTO")  # the user's own edit
    r = ingest(db, [card("u1", "Anna Smith", IdentityRef("email", "a@x.com"), organization="Globex",
                         title="Manager")], source="a.vcf", importer="vcard")  # fmt: skip
    d = repo.contact_detail(db, cid)
    assert d["organization"] == "Globex"  # source changed what it gave before
    assert d["title"] == "CTO"  # user edit kept
    assert r.contacts_updated == 1 and r.contacts_created == 0


def test_problems_are_reported_and_rest_imports(db) -> None:
    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    recs = [msg("a", ivan), ImportProblem("r.json:17", "date is not a date"), msg("b", ivan)]
    r = ingest(db, recs, source="r.json", importer="telegram")
    assert r.interactions_added == 2
    assert r.problems == [("r.json:17", "date is not a date")]
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql('SELECT "where", reason FROM import_problem').all()
        run = conn.exec_driver_sql("SELECT status, problem_count FROM import_run").one()
    assert rows == [("r.json:17", "date is not a date")] and tuple(run) == ("ok", 1)


def test_failure_rolls_back_everything(db) -> None:
    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))

    def gen():
        yield msg("a", ivan)
        yield card("k", "Someone", IdentityRef("email", "s@x.com"))
        raise OSError("disk went away")

    r = ingest(db, gen(), source="r.json", importer="telegram")
    assert r.status == "failed" and "disk went away" in (r.error or "")
    assert repo.stats(db)["interactions"] == 0 and repo.stats(db)["contacts"] == 0
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT status FROM import_run").scalar() == "failed"


def test_cancel_rolls_back(db) -> None:
    class Cancelling:
        def set_progress(self, fraction, text=""):
            pass

        def is_cancelled(self):
            return True

    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    recs = [msg(str(i), ivan, minute=i % 60) for i in range(6000)]
    r = ingest(db, recs, source="r.json", importer="telegram", progress=Cancelling())
    assert r.status == "cancelled" and repo.stats(db)["interactions"] == 0


def test_me_hint_and_name_only_parties(db) -> None:
    me = MeHint(identities=(IdentityRef("telegram", "user1"),), name="Я Сам")
    masha = Party("Маша")
    recs = [
        me,
        msg("1", masha),
        msg("2", Party("Я Сам"), "out"),  # a message to myself is not an interaction
        msg("3", masha, minute=5),
    ]
    r = ingest(db, recs, source="chat.txt", importer="whatsapp")
    assert r.interactions_added == 2 and r.contacts_created == 1 and r.skipped == 1
    # the same name from the same channel maps to the same contact on re-import
    r2 = ingest(db, [msg("4", Party("маша"), minute=9)], source="chat.txt", importer="whatsapp")
    assert r2.contacts_created == 0 and r2.interactions_added == 1


def test_dry_run_keeps_nothing(db) -> None:
    r = ingest(db, [card("1", "X", IdentityRef("email", "x@y.z"))], source="a", importer="vcard",
               dry_run=True)  # fmt: skip
    assert r.contacts_created == 1 and repo.stats(db)["contacts"] == 0


def test_demo_is_deterministic_and_bulk(db, tmp_path: Path) -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    a = [(type(r).__name__, getattr(r, "fingerprint", None) or r.source_key, getattr(r, "text", None))
         for r in demo_records(40, 1, seed=3, now=now)]  # fmt: skip
    b = [(type(r).__name__, getattr(r, "fingerprint", None) or r.source_key, getattr(r, "text", None))
         for r in demo_records(40, 1, seed=3, now=now)]  # fmt: skip
    assert a == b
    texts = " ".join(t for _, _, t in a if t)
    assert any("\u0400" <= ch <= "\u04ff" for ch in texts)  # Russian text present
    r = load_demo(db, 60, 1, seed=3)
    st = repo.stats(db)
    assert r.status == "ok" and st["contacts"] == 60 and st["interactions"] > 1000
    assert len(st["by_channel"]) >= 4


def test_bulk_insert_speed_is_not_per_object(db) -> None:
    """Not a timing test of a target: a guard that ingest stays on the bulk path (a per-object
    ORM path would take minutes for this many rows)."""
    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    recs = (
        ImportedInteraction(
            fingerprint=f"m{i}",
            where="x",
            occurred_at=datetime.fromtimestamp(1.6e9 + i * 60, UTC),
            channel="telegram",
            direction="in",
            counterparts=(ivan,),
            text=f"сообщение {i}",
        )  # fmt: skip
        for i in range(50_000)
    )
    r = ingest(db, recs, source="big", importer="telegram")
    assert r.interactions_added == 50_000


def test_demo_has_nothing_in_the_future() -> None:
    now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    times = [
        r.occurred_at for r in demo_records(60, 1, seed=5, now=now) if hasattr(r, "occurred_at")
    ]
    assert times and max(times) <= now


def test_search_snippet_marks_matches(db) -> None:
    cid = svc.add_contact(db, "Пётр")
    svc.log_interaction(db, cid, "note", 1_700_000_000, "Обсудили, как Ёжик ходил на РЫБАЛКУ вчера")
    (hit,) = repo.search(db, "рыбалку")["interactions"]
    assert "[РЫБАЛКУ]" in hit["snippet"]
    (hit,) = repo.search(db, "ежик")["interactions"]
    assert "[Ёжик]" in hit["snippet"]


def test_fuzzy_duplicates_go_to_review_not_merged(db) -> None:
    from netassist.core import dedupe

    recs = [
        card("1", "Александр Сергеевич Иванов", IdentityRef("phone", "+79160000001"),
             given_name="Александр", family_name="Иванов", middle_name="Сергеевич"),
        card("2", "Aleksandr Ivanov", IdentityRef("email", "a.ivanov@example.com"),
             given_name="Aleksandr", family_name="Ivanov"),
        card("3", "Саша Иванов", IdentityRef("email", "sasha@example.ru")),
        card("4", "Екатерина Смирнова", IdentityRef("email", "kate@example.ru")),
    ]  # fmt: skip
    r = ingest(db, recs, source="book.vcf", importer="vcard")
    assert r.contacts_created == 4  # nothing merged silently
    n = dedupe.refresh_candidates(db)
    cands = dedupe.list_candidates(db)
    pairs = {frozenset((c["name_a"], c["name_b"])) for c in cands}
    assert n >= 2 and frozenset(("Александр Сергеевич Иванов", "Aleksandr Ivanov")) in pairs
    assert all("Смирнова" not in c["name_a"] + c["name_b"] for c in cands)
    assert all(c["reason"] for c in cands)
    first = cands[0]
    dedupe.dismiss(db, first["contact_a"], first["contact_b"])
    dedupe.refresh_candidates(db)
    assert frozenset((first["contact_a"], first["contact_b"])) not in {
        frozenset((c["contact_a"], c["contact_b"])) for c in dedupe.list_candidates(db)
    }


def test_an_error_while_storing_rows_rolls_back_everything(db) -> None:
    """Rows are stored on a writer thread: an error there (here a trigger refusing one row in
    the second batch) still fails the import and keeps nothing from it."""
    conn = db.raw()
    conn.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON interaction WHEN NEW.text = 'boom'"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    conn.close()
    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    recs = (
        ImportedInteraction(
            fingerprint=f"m{i}",
            where="x",
            occurred_at=datetime.fromtimestamp(1.6e9 + i, UTC),
            channel="telegram",
            direction="in",
            counterparts=(ivan,),
            text="boom" if i == 30_000 else f"сообщение {i}",
        )  # fmt: skip
        for i in range(45_000)
    )
    r = ingest(db, recs, source="big", importer="telegram")
    assert r.status == "failed" and "refused" in (r.error or "")
    assert r.interactions_added == 0
    st = repo.stats(db)
    assert st["interactions"] == 0 and st["contacts"] == 0
    with db.engine.connect() as c:
        assert c.exec_driver_sql("SELECT status FROM import_run").scalar() == "failed"
        assert c.exec_driver_sql("SELECT count(*) FROM interaction_fts").scalar() == 0


def test_rows_keep_their_types(db) -> None:
    """Batches reach SQLite as JSON (json_each): integers stay integers, weights reals, absent
    values NULL, and the FTS rows follow."""
    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    call = ImportedInteraction(
        fingerprint="call", where="x", occurred_at=T0, channel="call", direction="out",
        counterparts=(ivan,), duration_s=125, weight=0.4, attachments=1, message_id="7",
    )  # fmt: skip
    r = ingest(db, [msg("a", ivan, text="ёлка"), call], source="r.json", importer="telegram")
    assert r.interactions_added == 2
    conn = db.raw()
    try:
        rows = conn.execute(
            "SELECT typeof(contact_id), typeof(conversation_id), typeof(occurred_at),"
            " typeof(duration_s), typeof(weight), typeof(attachments), typeof(message_id),"
            " text, duration_s, weight, occurred_at FROM interaction ORDER BY id"
        ).fetchall()
        assert rows[0] == ("integer", "integer", "integer", "null", "real", "integer", "null",
                           "ёлка", None, 1.0, int(T0.timestamp()))  # fmt: skip
        assert rows[1][:7] == ("integer", "null", "integer", "integer", "real", "integer", "text")
        assert rows[1][8:10] == (125, 0.4)
        n = conn.execute("SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH 'елка'")
        assert n.fetchone()[0] == 1  # ё folded in the index
    finally:
        conn.close()


def test_constant_columns_bound_as_parameters_store_the_same_rows(
    tmp_path: Path, monkeypatch
) -> None:
    """A column holding one value across a batch goes to SQLite as a parameter, the others as
    JSON. One row per batch (every column constant) and one batch for all rows (some constant,
    some not, a mix of types in one column) must store identical values and types."""
    import netassist.core.ingest as ingest_mod

    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    olga = Party("Ольга", (IdentityRef("telegram", "user43"),))
    recs = [
        msg("a", ivan, text="ёлка"),
        msg("b", olga, direction="out", text="Ёж", minute=1),
        ImportedInteraction(
            fingerprint="c", where="x", occurred_at=T0, channel="call", direction="out",
            counterparts=(ivan,), duration_s=125, weight=0.4, attachments=1, message_id="7",
        ),
        ImportedInteraction(
            fingerprint="d", where="x", occurred_at=T0, channel="telegram", direction="in",
            counterparts=(ivan,), text=None, weight=1.0, subject="тема", reply_to="7",
        ),
    ]  # fmt: skip
    cols = (
        "contact_id, conversation_id, channel, direction, occurred_at, tz_status, text, subject,"
        " length, duration_s, weight, attachments, message_id, reply_to, fingerprint"
    )

    def stored(batch: int, name: str) -> list[tuple]:
        monkeypatch.setattr(ingest_mod, "BATCH", batch)
        d = open_database(tmp_path / name)
        try:
            r = ingest(d, recs, source="x.json", importer="telegram")
            assert r.interactions_added == 4
            conn = d.raw()
            try:
                typed = ", ".join(f"typeof({c.strip()}), {c.strip()}" for c in cols.split(","))
                rows = conn.execute(f"SELECT {typed} FROM interaction ORDER BY id").fetchall()
                hits = conn.execute(
                    "SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH 'еж OR тема'"
                ).fetchone()[0]
            finally:
                conn.close()
        finally:
            d.dispose()
        return rows + [("fts", hits)]

    one_by_one = stored(1, "one.db")
    together = stored(20_000, "all.db")
    assert together == one_by_one
    assert one_by_one[-1] == ("fts", 2)


TRICKY_TEXTS = (
    'quote " and \\ backslash',
    "tab\tnew\nline\r",
    "emoji 😀 and 𝔘",
    "nul-free \x01\x1f control",
    "",
    "Ёлка и ёж",
    "\u2028 line sep",
    "a" * 5000,
    '{"looks": ["like", "json"]}',
)


def test_binary_json_and_text_json_batches_store_the_same_rows(tmp_path: Path, monkeypatch) -> None:
    """Batches are unpacked with jsonb_each where SQLite has it (parsed once) and json_each
    elsewhere; both must store exactly what the records hold: odd text, big and negative
    numbers, reals, NULLs."""
    import netassist.core.ingest_writers as iw

    ivan = Party("Иван", (IdentityRef("telegram", "user42"),))
    recs = [
        ImportedInteraction(
            fingerprint=f"t{i}", where="x", occurred_at=T0.replace(minute=i), channel="telegram",
            direction="in" if i % 2 else "out", counterparts=(ivan,), text=text,
            duration_s=(None, 0, 2**40, 7)[i % 4], weight=(1.0, 0.4, 0.3)[i % 3],
            message_id=(None, "-12", "0x1f")[i % 3], conversation_key=f"tg:{i % 2}",
        )
        for i, text in enumerate(TRICKY_TEXTS)
    ]  # fmt: skip
    cols = "text, length, duration_s, weight, message_id, direction, occurred_at"
    typed = ", ".join(f"typeof({c.strip()}), {c.strip()}" for c in cols.split(","))

    def stored(source: str | None, name: str) -> list[tuple]:
        if source is not None:
            monkeypatch.setattr(iw, "rows_source", lambda conn: source)
        d = open_database(tmp_path / name)
        try:
            assert ingest(d, recs, source="x.json", importer="telegram").interactions_added == 9
            conn = d.raw()
            try:
                return conn.execute(f"SELECT {typed} FROM interaction ORDER BY id").fetchall()
            finally:
                conn.close()
        finally:
            d.dispose()

    native = stored(None, "native.db")
    binary = stored("jsonb_each(jsonb(CAST(? AS TEXT)))", "jsonb.db")
    text = stored("json_each(CAST(? AS TEXT))", "json.db")
    assert native == binary == text
    assert [r[1] for r in native] == list(TRICKY_TEXTS)
    assert [r[5] for r in native][:4] == [None, 0, 2**40, 7]


def test_a_card_repeated_later_in_the_file_updates_the_contact_made_from_it(db) -> None:
    """Contacts made by an import are written in batches and kept in memory; the same card
    again after a batch was written (thousands of cards later) still updates that contact, its
    name search, photo and tags, as when every card was written at once."""
    filler = [card(f"f{i}", f"Человек {i}", IdentityRef("phone", f"+7916{i:07d}"))
              for i in range(6000)]  # fmt: skip
    recs = [card("u1", "Анна Старая", IdentityRef("email", "anna@example.ru")), *filler,
            card("u1", "Анна Новая", IdentityRef("email", "anna@example.ru"), photo=b"\x89PNG",
                 photo_mime="image/png", tags=("семья",), organization="Ромашка")]  # fmt: skip
    r = ingest(db, recs, source="f.vcf", importer="vcard")
    assert r.contacts_created == 6001 and not r.problems
    (hit,) = repo.search(db, "новая")["contacts"]
    assert repo.search(db, "старая")["contacts"] == []
    conn = db.raw()
    try:
        row = conn.execute(
            "SELECT display_name, organization, photo, photo_mime FROM contact WHERE id = ?",
            (hit["id"],),
        ).fetchone()
        tags = conn.execute(
            "SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
            " WHERE ct.contact_id = ?", (hit["id"],)).fetchall()  # fmt: skip
    finally:
        conn.close()
    assert row == ("Анна Новая", "Ромашка", b"\x89PNG", "image/png")
    assert tags == [("семья",)]
    again = ingest(db, recs[1:-1], source="f.vcf", importer="vcard")  # a re-import adds nothing
    assert again.contacts_created == again.contacts_updated == 0


@pytest.mark.parametrize("table", ["contact", "identity", "contact_source"])
def test_an_error_while_storing_contact_rows_rolls_back_everything(db, table: str) -> None:
    """Address-book rows are stored on a writer thread too: an error there (a trigger refusing
    one row of a later batch) fails the import, keeps nothing, and is reported once."""
    conn = db.raw()
    column = {"contact": "display_name", "identity": "raw", "contact_source": "source_key"}[table]
    value = {"contact": "Плохой Человек", "identity": "bad@example.ru", "contact_source": "k7777"}
    conn.execute(
        f"CREATE TRIGGER refuse BEFORE INSERT ON {table} WHEN NEW.{column} = '{value[table]}'"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    conn.close()
    recs = [card(f"k{i}", "Плохой Человек" if i == 7777 else f"Человек {i}",
                 IdentityRef("email", "bad@example.ru" if i == 7777 else f"p{i}@example.ru"))
            for i in range(12_000)]  # fmt: skip
    r = ingest(db, recs, source="big.vcf", importer="vcard")
    assert r.status == "failed" and "refused" in (r.error or "")
    assert r.contacts_created == 0
    with db.engine.connect() as c:
        for t in ("contact", "identity", "contact_source", "contact_fts"):
            assert c.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() == 0, t
        assert c.exec_driver_sql("SELECT status FROM import_run").scalar() == "failed"
    ok = ingest(db, recs[:100], source="small.vcf", importer="vcard")  # the next import works
    assert ok.status == "ok" and ok.contacts_created == 100
