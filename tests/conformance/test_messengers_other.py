"""Conformance of the Messenger, Instagram, Signal and VK importers over the shared corpus.

Every corpus file is imported in place (never copied). Expected counts and times are taken from
the files themselves by independent means (json for Meta, line patterns for Signal, data-id
attributes for VK), and every name and text must be free of mojibake.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netassist.importers.messenger import InstagramImporter, MessengerImporter
from netassist.importers.records import ImportedInteraction, ImportProblem, MeHint, Record
from netassist.importers.signal import SignalImporter
from netassist.importers.vk import VKImporter
from tests.conftest import corpus_files

# UTF-8 read as Latin-1 ("Ð", "Ã"...), UTF-8 read as cp1251 ("РџСЂ"), replacement characters.
_MOJIBAKE = re.compile(
    r"[ÐÑÃâ][\x80-\xbf]|Ð|Ñ\x80|\ufffd|[РС][\u0402-\u040f\u0452-\u045f\u00a0-\u00bf]"
)
_SYSTEM_TYPES = {"subscribe", "unsubscribe"}


def _skip_if_empty(files: list[Path], what: str) -> list[Path] | list[object]:
    if files:
        return files
    return [pytest.param(None, marks=pytest.mark.skip(reason=f"no {what} files in the corpus"))]


def _strings(records: list[Record]) -> list[str]:
    out: list[str] = []
    for r in records:
        if isinstance(r, ImportedInteraction):
            out += [p.name for p in r.counterparts if p.name]
            out += [s for s in (r.text, r.conversation_title) if s]
        elif isinstance(r, MeHint) and r.name:
            out.append(r.name)
    return out


def _assert_clean(records: list[Record]) -> None:
    for s in _strings(records):
        assert not _MOJIBAKE.search(s), f"mojibake in {s!r}"


def _latin1_fix(s: str) -> str:
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _check_meta(path: Path, importer: MessengerImporter | InstagramImporter) -> None:
    raw = json.loads(path.read_text(encoding="utf-8-sig"))
    messages = [
        m for m in raw["messages"] if str(m.get("type", "")).casefold() not in _SYSTEM_TYPES
    ]
    records = list(importer.parse(path))
    got = [r for r in records if isinstance(r, ImportedInteraction)]
    me = {r.name for r in records if isinstance(r, MeHint) and r.name}
    group = raw.get("thread_type") == "RegularGroup" or len(raw.get("participants", [])) > 2
    # My messages before anybody else spoke in a group go with the first who answers; only in
    # a group where nobody else ever wrote do they have no one to be with.
    chronological = sorted(messages, key=lambda m: m["timestamp_ms"])
    alone = group and me and all(_latin1_fix(m["sender_name"]) in me for m in chronological)
    lead = len(chronological) if alone else 0
    assert len(got) == len(messages) - lead
    want_times = Counter(m["timestamp_ms"] for m in chronological[lead:])
    got_times = Counter(round(g.occurred_at.timestamp() * 1000) for g in got)
    assert got_times == want_times
    names = {_latin1_fix(m["sender_name"]) for m in messages}
    names |= {_latin1_fix(p["name"]) for p in raw.get("participants", [])}
    assert {p.name for g in got for p in g.counterparts} <= names
    assert all(g.occurred_at.tzinfo is not None and g.tz_status == "utc" for g in got)
    assert len({g.fingerprint for g in got}) == len(got)
    _assert_clean(records)


@pytest.mark.parametrize(
    "path", _skip_if_empty(corpus_files("facebook_messenger", ".json"), "Messenger")
)
def test_facebook_messenger_corpus(path: Path, corpus: Path) -> None:
    _check_meta(path, MessengerImporter())


@pytest.mark.parametrize("path", _skip_if_empty(corpus_files("instagram", ".json"), "Instagram"))
def test_instagram_corpus(path: Path, corpus: Path) -> None:
    _check_meta(path, InstagramImporter())
    records = list(InstagramImporter().parse(path))
    if "\\u00e2\\u009d\\u00a4" in path.read_text(encoding="utf-8"):
        assert any("❤" in s for s in _strings(records))  # the Meta mojibake was repaired


_SIGNAL_LINE = re.compile(r"^\[(\d{4}-\d{2}-\d{2}),? (\d{1,2}:\d{2}(?::\d{2})?)\] ", re.MULTILINE)


@pytest.mark.parametrize("path", _skip_if_empty(corpus_files("signal"), "Signal"))
def test_signal_corpus(path: Path, corpus: Path) -> None:
    text = path.read_text(encoding="utf-8")
    stamps = _SIGNAL_LINE.findall(text)
    zone = ZoneInfo("Europe/Berlin")
    from netassist.importers.records import ImportOptions

    records = list(SignalImporter().parse(path, ImportOptions(local_timezone="Europe/Berlin")))
    got = [r for r in records if isinstance(r, ImportedInteraction)]
    assert len(got) == len(stamps)
    for g, (d, t) in zip(got, stamps, strict=True):
        fmt = "%Y-%m-%d %H:%M:%S" if t.count(":") == 2 else "%Y-%m-%d %H:%M"
        assert g.occurred_at.astimezone(zone).replace(tzinfo=None) == datetime.strptime(
            f"{d} {t}", fmt
        )
        assert g.tz_status == "local"
    _assert_clean(records)


def _vk_folders() -> list[Path]:
    return sorted({p.parent for p in corpus_files("vk", ".html")})


@pytest.mark.parametrize("folder", _skip_if_empty(_vk_folders(), "VK"))
def test_vk_corpus(folder: Path, corpus: Path) -> None:
    ids: set[str] = set()
    for page in folder.glob("messages*.html"):
        ids |= set(re.findall(r'class="message" data-id="(\d+)"', page.read_text("cp1251")))
    records = list(VKImporter().parse(folder))
    got = [r for r in records if isinstance(r, ImportedInteraction)]
    assert not [r for r in records if isinstance(r, ImportProblem)]
    assert {g.message_id for g in got} == ids and len(got) == len(ids)
    assert all(g.tz_status == "local" for g in got)
    # the texts are Russian: Cyrillic survives the cp1251 page and its character references
    assert all(g.text and re.search("[а-яё]", g.text, re.IGNORECASE) for g in got)
    _assert_clean(records)
    owner = [r for r in records if isinstance(r, MeHint)]
    assert owner and owner[0].identities[0].kind == "vk"


def test_vk_corpus_wall_time_matches_the_source_repo(corpus: Path) -> None:
    # vk-archive-messages-parser's own test: message 6002 of peer 202 is "1 сен 2020 в 16:28:26".
    folder = (
        corpus / "vk/AlekseyLobanov__vk-archive-messages-parser/backend/tests/fixtures/messages/202"
    )
    if not folder.is_dir():
        pytest.skip("VK corpus folder 202 not present")
    got = {
        r.message_id: r for r in VKImporter().parse(folder) if isinstance(r, ImportedInteraction)
    }
    wall = got["6002"].occurred_at.astimezone(ZoneInfo("Europe/Moscow")).replace(tzinfo=None)
    assert wall == datetime(2020, 9, 1, 16, 28, 26)


_MINE = {
    "facebook_messenger": "messenger",
    "instagram": "instagram",
    "signal": "signal",
    "vk": "vk",
}


@pytest.mark.parametrize("path", _skip_if_empty(corpus_files(""), "corpus"))
def test_sniff_claims_only_its_own_formats(path: Path, corpus: Path) -> None:
    from netassist.importers.base import read_head
    from netassist.importers.interaction_csv import InteractionCsvImporter
    from netassist.importers.sms_backup import SmsBackupImporter

    rel = path.relative_to(corpus)
    if len(rel.parts) < 2:
        pytest.skip("manifest, not a corpus file")
    own = _MINE.get(rel.parts[0])
    head = read_head(path)
    importers = (
        MessengerImporter(),
        InstagramImporter(),
        SignalImporter(),
        VKImporter(),
        SmsBackupImporter(),
        InteractionCsvImporter(),
    )
    scores = {imp.name: imp.sniff(path, head) for imp in importers}
    if own is None:
        assert not any(scores.values()), f"{rel} claimed by {scores}"
    else:
        assert max(scores, key=lambda k: scores[k]) == own
