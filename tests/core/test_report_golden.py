"""Golden check on the network report's data (not its pixels) for the demo network at a fixed
``now``: summary, top relationships, fading ties with their numbers, follow-ups, topics of the
period, best times and segments, in English and (the translated sections) Russian.

Regenerate after a deliberate change with ``NETASSIST_REGEN_GOLDEN=1 pytest tests/core``.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netassist.core.db import open_database
from netassist.core.demo import demo_records
from netassist.core.ingest import ingest
from netassist.core.reports import NetworkReport, network_report
from netassist.core.scoring import rescore

NOW_DT = datetime(2026, 11, 1, 12, tzinfo=UTC)
NOW = int(NOW_DT.timestamp())
GOLDEN = Path(__file__).with_name("golden") / "network_report_demo.expected.json"


def _data(rep: NetworkReport) -> dict[str, Any]:
    return {
        "period": [rep.start, rep.end],
        "summary": rep.summary,
        "by_channel": rep.by_channel,
        "tiers": rep.tiers,
        "strength_histogram": rep.strength_histogram,
        "top": [
            [c.name, round(c.strength or 0, 1), c.tier, c.trend, c.interactions]
            for c in rep.top[:10]
        ],  # fmt: skip
        "fading": [
            [
                c.name,
                round(c.strength or 0, 1),
                c.params["recent30"],
                c.params["prev60"],
                c.params["days_since"],
                c.interactions,
            ]
            for c in rep.fading
        ],  # fmt: skip
        "followups": [[c.name, c.kind] for c in rep.followups],
        "topics": [[t, round(w, 2)] for t, w in rep.topics],
        "best_times": [list(x) for x in rep.best_times],
        "segments": [list(x) for x in rep.segments],
    }


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):
    db = open_database(tmp_path_factory.mktemp("golden") / "g.db")
    ingest(db, demo_records(40, 1, seed=11, now=NOW_DT), source="demo", importer="demo")
    rescore(db, None, now=NOW)
    yield db
    db.dispose()


def test_network_report_data_matches_the_golden_file(demo_db, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC")  # best times are in the user's zone: pin it
    en = _data(network_report(demo_db, 90, now=NOW, lang="en"))
    ru = _data(network_report(demo_db, 90, now=NOW, lang="ru"))
    got = {"en": en, "ru": {k: ru[k] for k in ("best_times", "segments")}}
    got = json.loads(json.dumps(got, ensure_ascii=False))  # tuples → lists, keys → strings
    if os.environ.get("NETASSIST_REGEN_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for key in expected["en"]:
        assert got["en"][key] == expected["en"][key], key
    assert got["ru"] == expected["ru"]
    # every section the issue asks for is filled on the demo network
    for key in ("top", "fading", "followups", "topics", "best_times", "segments"):
        assert got["en"][key], key
    # the other sections agree with each other: fading ties fell, the engine says so
    for _name, _st, recent30, prev60, _days, _n in got["en"]["fading"]:
        assert recent30 < prev60 / 2
    assert sum(size for _l, size in got["en"]["segments"]) <= got["en"]["summary"]["contacts"]
