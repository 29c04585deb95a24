"""Ground truth from the independent synthetic generator (../shared/tools/gen_corpus.py):
every generated card must come back with exactly the fields the generator recorded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netassist.importers.records import ImportedContact
from netassist.importers.vcard import VCardImporter
from tests.conftest import SHARED

GEN = SHARED / "tools" / "gen_corpus.py"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GEN.exists():
        pytest.skip(f"generator not found at {GEN}")
    out = tmp_path_factory.mktemp("gen")
    subprocess.run(
        [sys.executable, str(GEN), "--out", str(out), "--seed", "3", "--vcf", "3000",
         "--vcf-qp-share", "0.2"],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


def test_generated_cards_match_ground_truth(generated: Path) -> None:
    truth = [json.loads(line) for line in (generated / "truth" / "contacts.jsonl").open()]
    recs = list(VCardImporter().parse(generated / "contacts.vcf"))
    contacts = [r for r in recs if isinstance(r, ImportedContact)]
    assert len(contacts) == len(recs) == len(truth) == 3000
    for t, c in zip(truth, contacts, strict=True):
        assert c.full_name == t["fn"]
        assert (c.family_name, c.given_name, c.middle_name) == (
            t["family"], t["given"], t["additional"])  # fmt: skip
        assert [i.value for i in c.identities if i.kind == "phone"] == t["tel"]
        assert [i.value for i in c.identities if i.kind == "email"] == t["email"]
        assert c.organization == (t["org"][0] if t["org"] else "")
        assert c.title == (t["title"] or "")
        assert c.birthday == t["bday"]
        # QP notes carry CRLF (=0D=0A); the importer normalises line breaks to "\n".
        assert c.note == (t["note"] or "").replace("\r\n", "\n")
