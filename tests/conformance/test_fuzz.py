"""Hostile input: every importer fed mutated real files and grammar-shaped junk must only ever
yield records and ImportProblems (or raise FormatError for a wholly unreadable file)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netassist.core.records import ImportOptions
from netassist.importers import IMPORTERS, FormatError, detect
from netassist.importers.base import read_head
from tests.conftest import CORPUS

MAX_SEED_BYTES = 400_000


def _seeds() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = [p for p in sorted(CORPUS.rglob("*")) if p.is_file() and p.suffix.lower() not in
             (".md", ".py", ".png", ".jpg", ".gif", ".pdf") and p.stat().st_size <= MAX_SEED_BYTES]  # fmt: skip
    return files


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(6)
        pos = rng.randrange(len(b) + 1) if b else 0
        if op == 0 and b:  # flip bits
            b[min(pos, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:  # truncate
            del b[pos:]
        elif op == 2:  # insert junk / control / invalid UTF-8
            b[pos:pos] = rng.choice(
                [
                    b"\x00",
                    b"\xff\xfe",
                    b"\xc3",
                    b"\r",
                    b"\n\n",
                    b"{",
                    b"}",
                    b'"',
                    b"<",
                    b"BEGIN:VCARD\r\n",
                    b"From x\n",
                    b"=?utf-8?B?",
                ]
            )
        elif op == 3 and b:  # duplicate a slice
            end = min(len(b), pos + rng.randint(1, 200))
            b[pos:pos] = b[pos:end]
        elif op == 4 and b:  # delete a slice
            del b[pos : pos + rng.randint(1, 50)]
        else:  # a very long line
            b[pos:pos] = b"x" * rng.randint(1000, 200_000)
    return bytes(b)


def _run_all(path: Path) -> None:
    head = read_head(path)
    for cls in IMPORTERS:
        imp = cls()
        if imp.sniff(path, head) <= 0:
            continue
        try:
            for _rec in imp.parse(path, ImportOptions(me_names=("Me",))):
                pass
        except FormatError:
            pass


SEEDS = _seeds()


@pytest.mark.skipif(not SEEDS, reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_mutated_corpus_files_never_crash(seed: Path, tmp_path: Path) -> None:
    data = seed.read_bytes()
    rng = random.Random(str(seed.relative_to(CORPUS)))
    target = tmp_path / seed.name
    for _ in range(3):
        target.write_bytes(mutate(data, rng))
        detect(target)
        _run_all(target)


GRAMMAR = st.lists(
    st.sampled_from([
        b"BEGIN:VCARD\r\n", b"VERSION:2.1\r\n", b"N;CHARSET=WINDOWS-1251;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED\r\n",
        b"FN:\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\r\n", b"BDAY:--13-40\r\n", b"TEL;CELL:8 (916)\r\n",
        b"END:VCARD\r\n", b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n", b"Subject: =?koi8-r?B?\n",
        b"\n", b'{"messages": [', b'{"date_unixtime": "x", "text": [{"type": 1}]}', b"]}",
        b"12/31/20, 11:59 PM - A: hi\n", b"[31.12.20, 23:59:59] \xe2\x80\xaf: \n",
        b"BEGIN:VEVENT\r\nDTSTART;TZID=Nowhere:2024\r\n", b"RRULE:FREQ=DAILY;COUNT=999999\r\n",
        b"\xff\xfe", b"\x00" * 10, b"<html><body><div class=msg>", b"First Name,Last Name\r\n",
    ]),
    max_size=40,
).map(b"".join)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=GRAMMAR,
    name=st.sampled_from(
        [
            "x.vcf",
            "x.csv",
            "x.mbox",
            "x.eml",
            "x.ics",
            "result.json",
            "chat.txt",
            "messages0.html",
            "x.xml",
        ]
    ),
)
def test_grammar_shaped_junk_never_crashes(data: bytes, name: str, tmp_path: Path) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    detect(p)
    _run_all(p)
