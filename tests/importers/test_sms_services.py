"""SMS from services (a sender name such as "Google", "Sberbank", "VK", or a short number such
as "900") are not a relationship: no contact, no interaction, but the import says how many."""

from __future__ import annotations

from pathlib import Path

from netassist.core.db import open_database
from netassist.core.ingest import ingest
from netassist.importers.records import ImportedInteraction, ImportProblem, SkippedMessages
from netassist.importers.sms_backup import SmsBackupImporter

XML = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="9">
  <sms address="Google" date="1319183400129" type="1" body="Der Google-Bestätigungscode lautet 123456." contact_name="(Unknown)" />
  <sms address="Sberbank" date="1709200000000" type="1" body="Код 1234" contact_name="(Unknown)" />
  <sms address="VK" date="1709200100000" type="1" body="VK: 5678" contact_name="VK" />
  <sms address="900" date="1709200200000" type="1" body="Баланс: 100 р." contact_name="(Unknown)" />
  <sms address="900" date="1709200300000" type="2" body="баланс" contact_name="(Unknown)" />
  <sms address="32665" date="1709200400000" type="1" body="Facebook code 1" contact_name="(Unknown)" />
  <sms address="+79161234567" date="1709200500000" type="1" body="Привет" contact_name="Иван" />
  <sms address="8 916 765-43-21" date="1709200600000" type="2" body="Пока" contact_name="(Unknown)" />
  <mms date="1709200700000" msg_box="1" address="Google" contact_name="(Unknown)">
    <parts><part ct="text/plain" text="promo" /></parts>
    <addrs><addr address="Google" type="137" /></addrs>
  </mms>
</smses>
"""


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "sms-20240301.xml"
    path.write_text(XML, encoding="utf-8")
    return path


def test_service_senders_are_left_out_and_counted(tmp_path: Path) -> None:
    recs = list(SmsBackupImporter().parse(_file(tmp_path)))
    msgs = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert [m.text for m in msgs] == ["Привет", "Пока"]
    assert not [r for r in recs if isinstance(r, ImportProblem)]
    assert [r for r in recs if isinstance(r, SkippedMessages)] == [
        SkippedMessages("sms-20240301.xml", "service_sender", 7)
    ]


def test_the_import_result_says_how_many(tmp_path: Path) -> None:
    db = open_database(tmp_path / "db.sqlite")
    path = _file(tmp_path)
    for added in (2, 0):  # the second time adds nothing and says the same
        res = ingest(db, SmsBackupImporter().parse(path), source=path.name, importer="sms-backup")
        assert res.status == "ok" and not res.problems
        assert res.interactions_added == added
        assert res.as_json()["left_out"] == {"service_sender": 7}
    conn = db.raw()
    try:
        names = sorted(n for (n,) in conn.execute("SELECT display_name FROM contact"))
    finally:
        conn.close()
    assert names == ["8 916 765-43-21", "Иван"]
