"""Conformance over the shared corpus of real Telegram and WhatsApp exports (read in place).

Counts are checked against an independent, deliberately simple reading of each file (plain
``json.load`` for Telegram; a line-by-line header match for WhatsApp), multi-line bodies and
Cyrillic must come through intact. whatstk's table of supported header formats is turned into
sample chats, one per format, which must parse with the right dates.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from netassist.importers.records import ImportedInteraction, ImportOptions, ImportProblem
from netassist.importers.telegram import TelegramImporter
from netassist.importers.whatsapp import WhatsAppImporter
from tests.conftest import corpus_files

TG_FILES = corpus_files("telegram", ".json")
WA_CHATS = corpus_files("whatsapp", ".txt", ".zip")
WA_TABLES = [p for p in corpus_files("whatsapp", ".json") if "header_format" in p.name]
NOBODY = ImportOptions(me_names=("\x00nobody",), local_timezone="UTC")
MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff\u061c"))


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _clean_text(texts: list[str | None]) -> None:
    for t in texts:
        if t:
            assert "\ufffd" not in t, "replacement character in text"
            assert "Ð" not in t and "Ñ\u0080" not in t, "mojibake in text"


# ---- Telegram ------------------------------------------------------------------------------
def _tg_expected(doc: dict) -> int:
    """Messages and calls in chats that are not skipped, from plain json.load (no streaming)."""
    chats = doc["chats"]["list"] if "chats" in doc else [doc]
    owner = doc.get("personal_information", {}).get("user_id")
    n = 0
    for chat in chats:
        if chat.get("type") in ("saved_messages", "bot_chat", "public_channel", "private_channel"):
            continue
        group = chat.get("type") != "personal_chat"
        seen_other = False
        for m in chat.get("messages", []):
            call = m.get("type") == "service" and m.get("action") in ("phone_call", "group_call")
            if m.get("type") != "message" and not call:
                continue
            who = m.get("from_id") or m.get("actor_id")
            if isinstance(who, str) and who.startswith(("channel", "chat")):
                continue  # the group or a channel posted it: no person (counted as left out)
            mine = owner is not None and who == f"user{owner}"
            if group and mine and not seen_other:
                continue
            seen_other = seen_other or not mine
            n += 1
    return n


@pytest.mark.parametrize("path", TG_FILES, ids=_ids(TG_FILES))
def test_telegram_corpus(corpus: Path, path: Path) -> None:
    recs = list(TelegramImporter().parse(path, ImportOptions(local_timezone="UTC")))
    got = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert not [r for r in recs if isinstance(r, ImportProblem)]
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert len(got) == _tg_expected(doc)
    _clean_text([r.text for r in got])
    assert all(r.occurred_at.tzinfo is not None for r in got)
    assert len({r.fingerprint for r in got}) == len(got)


# ---- WhatsApp ------------------------------------------------------------------------------
_SIMPLE_HEADER = re.compile(
    r"^\[?(?:\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?(?: BE)?\.?[,،]?\s+\d{1,2}[:.]\d\d(?:[:.]\d\d)?"
    r"(?:\s*[APap]\.?\s*[Mm]\.?)?|\d{1,2}[:.]\d\d(?:[:.]\d\d)?,\s+\d{1,4}/\d{1,2}/\d{1,4})"
    r"\.?(?:\]\s?|\s[-–]\s)(.*)$"
)


def _wa_text(path: Path) -> str:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            name = next(n for n in z.namelist() if n.endswith(".txt"))
            raw = z.read(name)
    else:
        raw = path.read_bytes()
    return raw.decode("utf-8").replace("\u00a0", " ").replace("\u202f", " ")


def _wa_simple(path: Path) -> list[tuple[str, str]]:
    """(author, body) of every authored message that is not an encryption notice."""
    out: list[tuple[str, list[str]]] = []
    system = False
    for line in _wa_text(path).replace("\r\n", "\n").split("\n"):
        m = _SIMPLE_HEADER.match(line.translate(MARKS))
        if m:
            rest = line.split("] ", 1)[-1] if line.translate(MARKS).startswith("[") else m.group(1)
            system = ":" not in rest
            if not system:
                author, body = rest.split(":", 1)
                # iOS opens its notices (security code changed...) with two LRMs (RLMs in
                # right-to-left locales)
                system = body.lstrip(" ").startswith(("\u200e\u200e", "\u200f\u200f"))
            if not system:
                out.append((author.translate(MARKS).strip(), [body.translate(MARKS).lstrip()]))
        elif out and not system:
            out[-1][1].append(line.translate(MARKS))
    keep = []
    for author, lines in out:
        body = "\n".join(lines).strip()
        notice = ("WhatsApp" in body or "واتساب" in body) and re.search(
            r"encrypt|verschlüssel|шифрован|шифрув|chiffr|cifrad|crittograf|versleut|zabezpe|"
            r"encripta|terenkripsi|暗号化|mã hóa|เข้ารหัส|एंड-टू-एंड|مشفرة",
            body,
        )
        if not notice:
            keep.append((author, body))
    return keep


@pytest.mark.parametrize("path", WA_CHATS, ids=_ids(WA_CHATS))
def test_whatsapp_corpus(corpus: Path, path: Path) -> None:
    imp = WhatsAppImporter()
    assert imp.sniff(path, path.read_bytes()[:65536]) >= 50
    recs = list(imp.parse(path, NOBODY))
    got = [r for r in recs if isinstance(r, ImportedInteraction)]
    assert not [r for r in recs if isinstance(r, ImportProblem)]
    expected = _wa_simple(path)
    assert len(got) == len(expected)
    _clean_text([r.text for r in got])
    # multi-line bodies arrive whole
    texts = {(r.text or "").translate(MARKS).replace("\u00a0", " ").strip() for r in got}
    for _author, body in expected:
        if "\n" in body:
            head, _, rest = body.partition("\n")
            # Android "<Media omitted>" and the caption under it: the caption is the text
            assert body in texts or (re.fullmatch(r"<[^<>]{1,40}>", head) and rest.strip() in texts)
    assert all(r.direction == "in" and r.tz_status == "local" for r in got)
    assert len({r.fingerprint for r in got}) == len(got)


def _render(fmt: str, when: datetime, name: str) -> str:
    year_first = fmt.startswith("%y") or fmt.startswith("[%y")
    out = fmt.replace("%name", name)
    out = out.replace("%y", str(when.year) if year_first else f"{when.year % 100:02d}")
    out = out.replace("%m", f"{when.month:02d}").replace("%d", f"{when.day:02d}")
    out = out.replace("%H", f"{when.hour:02d}").replace("%M", f"{when.minute:02d}")
    out = out.replace("%S", f"{when.second:02d}")
    out = out.replace("%I", f"{(when.hour % 12) or 12:02d}")
    return out.replace("%p", "AM" if when.hour < 12 else "PM")


@pytest.mark.parametrize("path", WA_TABLES, ids=_ids(WA_TABLES))
def test_whatstk_header_formats(corpus: Path, path: Path, tmp_path: Path) -> None:
    """Every header format whatstk auto-detects parses, with day/month resolved right."""
    formats = sorted({x["format"] for x in json.loads(path.read_text(encoding="utf-8"))})
    assert formats
    moments = [datetime(2021, 1, 13, 9, 5, 7), datetime(2021, 2, 14, 21, 30, 59)]
    for i, fmt in enumerate(formats):
        lines = [
            _render(fmt, moments[0], "Анна") + " привет",
            _render(fmt, moments[1], "Bob") + " hi\nsecond line",
        ]
        chat = tmp_path / f"chat{i}.txt"
        chat.write_text("\n".join(lines) + "\n", encoding="utf-8")
        got = [
            r for r in WhatsAppImporter().parse(chat, NOBODY) if isinstance(r, ImportedInteraction)
        ]
        assert [r.text for r in got] == ["привет", "hi\nsecond line"], fmt
        want_s = [m.second if "%S" in fmt else 0 for m in moments]
        assert [r.occurred_at.replace(tzinfo=None) for r in got] == [
            m.replace(second=s) for m, s in zip(moments, want_s, strict=True)
        ], fmt
