"""A big file parsed in a child process (netassist.importers.apart): the same records, the
same errors, progress and cancel, and the same database as a parse in this process."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from netassist.core.db import open_database
from netassist.core.ingest import ingest
from netassist.core.progress import Cancelled
from netassist.importers.apart import ENV, parse_apart_worth_it, records_of
from netassist.importers.base import FormatError
from netassist.importers.records import ImportOptions
from netassist.importers.vcard import VCardImporter
from netassist.importers.whatsapp import WhatsAppImporter

FIXTURES = Path(__file__).parent / "fixtures" / "vcard"


def _book(path: Path, cards: int = 3000) -> Path:
    """Cyrillic and English cards, some bad, a QP 2.1 card, a photo, repeated phones."""
    out = []
    for i in range(cards):
        if i % 500 == 7:
            out.append("BEGIN:VCARD\r\nVERSION:3.0\r\nBDAY:--13-40\r\nEND:VCARD\r\n")  # no name
            continue
        out.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:Иванова{i % 37};Мария;Петровна;;\r\nFN:Мария Иванова{i % 37}\r\n"
            f"TEL;TYPE=CELL:8 (916) {i % 900:03d}-{i % 97:02d}-{i % 89:02d}\r\n"
            f"EMAIL:maria.{i}@example.ru\r\nORG:Контора {i % 11}\r\nCATEGORIES:work,друзья\r\n"
            f"NOTE:line one\\nстрока два {i}\r\nEND:VCARD\r\n"
        )
    body = "".join(out)
    for name in ("cp1251_qp_21.vcf", "photo_b64.vcf", "agent_nested.vcf"):
        body += (FIXTURES / name).read_bytes().decode("utf-8", "replace")
    path.write_text(body, encoding="utf-8", newline="")
    return path


class _Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.seen: list[float | None] = []
        self.cancel_after = cancel_after
        self.asked = 0

    def set_progress(self, fraction: float | None, text: str = "") -> None:
        self.seen.append(fraction)

    def is_cancelled(self) -> bool:
        self.asked += 1
        return self.cancel_after is not None and self.asked > self.cancel_after


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "1")


def test_same_records_as_in_process(apart, tmp_path: Path) -> None:
    path = _book(tmp_path / "book.vcf")
    imp = VCardImporter()
    assert parse_apart_worth_it(imp, path)
    here = list(imp.parse(path, ImportOptions(), None))
    progress = _Recorder()
    there = list(records_of(imp, path, ImportOptions(), progress))
    assert there == here  # every record, problem and nested agent, in the same order
    assert len(here) > 3000
    assert progress.seen and progress.seen[-1] == pytest.approx(1.0)


def test_only_importers_that_allow_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _book(tmp_path / "book.vcf", 10)
    monkeypatch.setenv(ENV, "1")
    assert not parse_apart_worth_it(WhatsAppImporter(), path)  # keeps state for "who is me"
    monkeypatch.setenv(ENV, "0")
    assert not parse_apart_worth_it(VCardImporter(), path)
    monkeypatch.delenv(ENV)
    assert not parse_apart_worth_it(VCardImporter(), path)  # small: not worth a process


def test_format_error_raised_here(apart, tmp_path: Path) -> None:
    path = tmp_path / "not-a-card.vcf"
    path.write_text("hello\r\nthis is no address book\r\n" * 100, encoding="utf-8")
    with pytest.raises(FormatError, match="no BEGIN:VCARD found"):
        list(records_of(VCardImporter(), path, None, None))


def test_cancel_stops_the_child_and_keeps_nothing(apart, tmp_path: Path) -> None:
    path = _book(tmp_path / "book.vcf")
    records = records_of(VCardImporter(), path, None, _Recorder(cancel_after=0))
    with pytest.raises(Cancelled):
        list(records)
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("parse-")]

    db = open_database(tmp_path / "c.db")
    try:
        progress = _Recorder(cancel_after=0)
        res = ingest(db, records_of(VCardImporter(), path, None, progress), source=str(path),
                     importer="vcard", progress=progress)  # fmt: skip
        assert res.status == "cancelled"
        with db.engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM contact").scalar() == 0
    finally:
        db.dispose()


def test_same_database_either_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _book(tmp_path / "book.vcf", 1500)
    dumps = []
    for setting in ("0", "1"):
        monkeypatch.setenv(ENV, setting)
        db = open_database(tmp_path / f"db{setting}.db")
        try:
            res = ingest(db, records_of(VCardImporter(), path, None, None), source="book.vcf",
                         importer="vcard")  # fmt: skip
            assert res.status == "ok", res.error
            with db.engine.connect() as c:
                dumps.append([
                    c.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1, 2").all()
                    for t in ("contact", "identity", "contact_source", "contact_tag")
                ])  # fmt: skip
        finally:
            db.dispose()

    # created_at/updated_at differ by the second the import ran in: compare without them
    def strip(rows: list) -> list:  # type: ignore[type-arg]
        return [tuple(v for v in r if not (isinstance(v, int) and v > 1_600_000_000)) for r in rows]

    assert [strip(t) for t in dumps[0]] == [strip(t) for t in dumps[1]]


def test_cli_import_with_a_child_parser(tmp_path: Path) -> None:
    """As a person runs it (``python -m netassist``, so the child starts from a real entry
    point): counts as in process, a second run adds nothing."""
    path = _book(tmp_path / "book.vcf", 2000)
    outs = []
    for setting in ("0", "1", "1"):
        env = {"NETASSIST_HOME": str(tmp_path / f"home{setting}"), "NETASSIST_ENCRYPTION": "off",
               ENV: setting, "PATH": "/usr/bin:/bin"}  # fmt: skip
        r = subprocess.run([sys.executable, "-m", "netassist", "import", str(path), "--json"],
                           capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
        assert r.returncode == 0, r.stderr
        outs.append(json.loads(r.stdout.strip().splitlines()[-1]))
    plain, apart_run, again = outs
    for key in ("records", "contacts_created", "contacts_merged", "problems"):
        assert apart_run[key] == plain[key], key
    assert plain["contacts_created"] > 0
    assert again["contacts_created"] == 0 and again["contacts_updated"] == 0
