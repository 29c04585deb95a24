"""WhatsApp: one chat has one key, whether it comes as the .zip, the .txt inside it or a
renamed copy, and rows stored under the keys of earlier versions are still recognised."""

from __future__ import annotations

import zipfile
from pathlib import Path

from netassist.core.db import Database, open_database
from netassist.core.ingest import ingest
from netassist.importers.chatkit import short_hash
from netassist.importers.records import (
    FormerConversationKeys,
    ImportedInteraction,
    ImportOptions,
)
from netassist.importers.whatsapp import WhatsAppImporter

OPTS = ImportOptions(local_timezone="UTC")
LRM = "\u200e"
IOS_GROUP = (
    f"[6/17/19, 5:51:19 PM] Jerps \u201821: {LRM}Messages and calls are end-to-end encrypted."
    " No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
    f"[6/17/19, 5:51:19 PM] {LRM}Ann created this group\n"
    "[6/17/19, 5:52:00 PM] Ann: hi all\n"
    "[6/17/19, 5:53:00 PM] Ben: hey\n"
    "[6/17/19, 5:54:00 PM] Cid: yo\n"
    "[6/17/19, 5:55:00 PM] Ann: hey\n"
)
ANDROID_PRIVATE = (
    "12/03/2024, 10:00 - Bob: hi\n"
    "12/03/2024, 10:01 - Me: hello\n"
    "12/03/2024, 10:02 - Bob: how are you\n"
)


def _zip(path: Path, member: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(member, text)
        z.writestr("00000008-PHOTO.jpg", b"\xff\xd8")
    return path


def _msgs(path: Path) -> list[ImportedInteraction]:
    return [r for r in WhatsAppImporter().parse(path, OPTS) if isinstance(r, ImportedInteraction)]


def _same_chat(paths: list[Path]) -> None:
    runs = [_msgs(p) for p in paths]
    assert len(runs[0]) > 2
    keys = {r.conversation_key for run in runs for r in run}
    assert len(keys) == 1, [p.name for p in paths]
    assert len({tuple(r.fingerprint for r in run) for run in runs}) == 1


def test_ios_zip_its_chat_txt_and_a_renamed_copy_are_one_chat(tmp_path: Path) -> None:
    """iOS names the zip after the chat and puts _chat.txt inside; the text names the chat in
    its first line. The zip's name may differ from it (here a character is missing, as in a
    zip renamed by hand): the key comes from the text."""
    z = _zip(tmp_path / "WhatsApp Chat - Jerps 21.zip", "_chat.txt", IOS_GROUP)
    (tmp_path / "_chat.txt").write_text(IOS_GROUP, encoding="utf-8")
    (tmp_path / "jerps backup.txt").write_text(IOS_GROUP, encoding="utf-8")
    _same_chat([z, tmp_path / "_chat.txt", tmp_path / "jerps backup.txt"])


def test_android_private_zip_txt_and_renamed_copies_are_one_chat(tmp_path: Path) -> None:
    z = _zip(tmp_path / "WhatsApp Chat with Bob.zip", "WhatsApp Chat with Bob.txt", ANDROID_PRIVATE)
    (tmp_path / "WhatsApp Chat with Bob.txt").write_text(ANDROID_PRIVATE, encoding="utf-8")
    (tmp_path / "WhatsApp Chat with Bob (1).txt").write_text(ANDROID_PRIVATE, encoding="utf-8")
    (tmp_path / "bob.txt").write_text(ANDROID_PRIVATE, encoding="utf-8")
    paths = [z, *(tmp_path / n for n in ("WhatsApp Chat with Bob.txt", "bob.txt"))]
    _same_chat([*paths, tmp_path / "WhatsApp Chat with Bob (1).txt"])


def test_two_groups_with_the_same_people_stay_two_chats(tmp_path: Path) -> None:
    other = IOS_GROUP.replace("Jerps \u201821:", "Book club:")
    (tmp_path / "a.txt").write_text(IOS_GROUP, encoding="utf-8")
    (tmp_path / "b.txt").write_text(other, encoding="utf-8")
    assert (
        _msgs(tmp_path / "a.txt")[0].conversation_key
        != _msgs(tmp_path / "b.txt")[0].conversation_key
    )


def _legacy_key(stem: str, *authors: str) -> str:
    """The key versions up to this change gave a chat: the name in the file name (else the
    file's stem) and the sorted authors."""
    return "wa:" + short_hash(stem, *sorted(authors))


def test_former_keys_are_announced_before_the_messages(tmp_path: Path) -> None:
    z = _zip(tmp_path / "WhatsApp Chat - Jerps 21.zip", "_chat.txt", IOS_GROUP)
    recs = list(WhatsAppImporter().parse(z, OPTS))
    at = next(i for i, r in enumerate(recs) if isinstance(r, FormerConversationKeys))
    assert at < next(i for i, r in enumerate(recs) if isinstance(r, ImportedInteraction))
    authors = ("Jerps \u201821", "Ann", "Ben", "Cid")
    assert set(recs[at].former) == {
        _legacy_key("Jerps 21", *authors),  # this zip's name
        _legacy_key("_chat", *authors),  # the .txt inside, extracted
        _legacy_key("Jerps \u201821", *authors),  # the chat's name in the text
    }


def _store_as_before(db: Database, path: Path, legacy: str) -> int:
    """Store the file's messages the way an earlier version did: under ``legacy``."""
    recs = []
    for r in WhatsAppImporter().parse(path, OPTS):
        if isinstance(r, ImportedInteraction):
            key = r.conversation_key or ""
            r = ImportedInteraction(
                **{f: getattr(r, f) for f in r.__dataclass_fields__}
                | {"conversation_key": legacy, "fingerprint": legacy + r.fingerprint[len(key) :]}
            )
            recs.append(r)
        elif not isinstance(r, FormerConversationKeys):
            recs.append(r)
    res = ingest(db, recs, source=path.name, importer="whatsapp")
    return res.interactions_added


def _import(db: Database, path: Path) -> int:
    res = ingest(db, WhatsAppImporter().parse(path, OPTS), source=path.name, importer="whatsapp")
    assert res.status == "ok", res.error
    return res.interactions_added


def _count(db: Database, sql: str) -> int:
    conn = db.raw()
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_rows_stored_under_a_former_key_are_recognised(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite")
    z = _zip(tmp_path / "WhatsApp Chat - Jerps 21.zip", "_chat.txt", IOS_GROUP)
    (tmp_path / "_chat.txt").write_text(IOS_GROUP, encoding="utf-8")
    authors = ("Jerps \u201821", "Ann", "Ben", "Cid")
    stored = _store_as_before(db, z, _legacy_key("Jerps 21", *authors))
    assert stored > 2
    assert _import(db, z) == 0  # the zip again: nothing new
    assert _import(db, tmp_path / "_chat.txt") == 0  # its text: nothing new either
    assert _count(db, "SELECT count(*) FROM interaction") == stored
    assert _count(db, "SELECT count(*) FROM conversation") == 1


def test_a_chat_imported_from_both_files_before_loses_no_row(tmp_path: Path) -> None:
    """Both former keys stored (the zip once, its _chat.txt once: every message twice): the
    rows of one move to the new key, the other's duplicates stay as they are."""
    db = open_database(tmp_path / "db.sqlite")
    z = _zip(tmp_path / "WhatsApp Chat - Jerps 21.zip", "_chat.txt", IOS_GROUP)
    authors = ("Jerps \u201821", "Ann", "Ben", "Cid")
    n = _store_as_before(db, z, _legacy_key("Jerps 21", *authors))
    assert _store_as_before(db, z, _legacy_key("_chat", *authors)) == n
    assert _import(db, z) == 0
    assert _count(db, "SELECT count(*) FROM interaction") == 2 * n


def test_a_zip_stored_before_is_recognised_from_its_extracted_text(tmp_path: Path) -> None:
    """The zip imported by an earlier version, then (first thing now) the .txt from it, or a
    renamed copy of an Android private chat: the text names the chat as the zip was named."""
    db = open_database(tmp_path / "db.sqlite")
    ios = _zip(tmp_path / "WhatsApp Chat - Jerps \u201821.zip", "_chat.txt", IOS_GROUP)
    stored = _store_as_before(
        db, ios, _legacy_key("Jerps \u201821", "Jerps \u201821", "Ann", "Ben", "Cid")
    )
    (tmp_path / "_chat.txt").write_text(IOS_GROUP, encoding="utf-8")
    assert _import(db, tmp_path / "_chat.txt") == 0
    android = _zip(
        tmp_path / "WhatsApp Chat with Bob.zip", "WhatsApp Chat with Bob.txt", ANDROID_PRIVATE
    )
    stored += _store_as_before(db, android, _legacy_key("Bob", "Bob", "Me"))
    (tmp_path / "bob.txt").write_text(ANDROID_PRIVATE, encoding="utf-8")
    assert _import(db, tmp_path / "bob.txt") == 0
    assert _count(db, "SELECT count(*) FROM interaction") == stored


def _added(db: Database, path: Path) -> int:
    recs = WhatsAppImporter().parse(path, OPTS)
    return ingest(db, recs, source=path.name, importer="whatsapp").interactions_added


ANDROID_GROUP = (
    '01.03.2024, 09:59 - Ann created group "Work"\n'
    "01.03.2024, 10:00 - Ann: morning\n"
    "01.03.2024, 10:01 - Ben: hi\n"
    "01.03.2024, 10:02 - Cid: hey\n"
)
LATER = (
    "02.03.2024, 10:00 - Dee: I am new here\n"  # someone who never wrote before
    "02.03.2024, 10:01 - Ann: welcome\n"
)


def test_a_later_longer_export_adds_only_what_is_new(tmp_path: Path) -> None:
    """People export a chat again months later: the longer file repeats every earlier line,
    a new member has written since, and the earlier file's last line ended the file. Only the
    new lines are added (the key of a named group is its name, not its authors; the last line
    of a file hashes as it does in the middle of a longer one)."""
    db = open_database(tmp_path / "db.sqlite")
    first = tmp_path / "WhatsApp Chat with Work.txt"
    first.write_text(ANDROID_GROUP, encoding="utf-8")
    later = tmp_path / "later" / "WhatsApp Chat with Work.txt"
    later.parent.mkdir()
    later.write_text(ANDROID_GROUP + LATER, encoding="utf-8")
    assert _added(db, first) == 3
    assert _added(db, later) == 2
    private = tmp_path / "WhatsApp Chat with Bob.txt"
    private.write_text(ANDROID_PRIVATE, encoding="utf-8")
    longer = tmp_path / "later" / "WhatsApp Chat with Bob.txt"
    longer.write_text(ANDROID_PRIVATE + "12/03/2024, 10:03 - Me: fine\n", encoding="utf-8")
    assert _added(db, private) == 3
    assert _added(db, longer) == 1


def test_a_group_renamed_between_two_exports_stays_one_chat(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite")
    first = tmp_path / "WhatsApp Chat with Work.txt"
    first.write_text(ANDROID_GROUP, encoding="utf-8")
    renamed = tmp_path / "WhatsApp Chat with Team.txt"
    renamed.write_text(
        ANDROID_GROUP
        + '02.03.2024, 09:00 - Ben changed the subject from "Work" to "Team"\n'
        + LATER,
        encoding="utf-8",
    )
    assert _added(db, first) == 3
    assert _added(db, renamed) == 2
    msgs = _msgs(renamed)
    assert len({r.conversation_key for r in msgs}) == 1
