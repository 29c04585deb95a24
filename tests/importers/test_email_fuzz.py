"""Hostile input never crashes the mail parsers: random bytes, random header soup, random HTML."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netassist.importers.base import FormatError
from netassist.importers.email_headers import addresses, header_str
from netassist.importers.email_mbox import MboxImporter
from netassist.importers.email_message import message_to_records
from netassist.importers.email_text import html_to_text, strip_quotes_and_signature
from netassist.importers.records import ImportedInteraction, ImportProblem

FIELDS = st.sampled_from(
    [
        b"From",
        b"To",
        b"Cc",
        b"Date",
        b"Subject",
        b"Message-ID",
        b"Content-Type",
        b"Content-Transfer-Encoding",
        b"List-Id",
    ]
)
VALUES = st.one_of(
    st.binary(max_size=80),
    st.sampled_from(
        [
            b"=?UTF-8?B?0J/RgNC40LLQtdGC?=",
            b"=?koi8-r?Q?=F0=D2=C9?=",
            b"=?bogus?X?abc?=",
            b"multipart/mixed; boundary=b",
            b'multipart/alternative; boundary="b"',
            b"text/plain; charset=koi8-r",
            b"base64",
            b"quoted-printable",
            b"Mon, 2 Jan 2023 10:00:00 +0300",
            b'a@b.c, "x, y" <d@e.f>',
        ]
    ),
)
HEADER = st.tuples(FIELDS, VALUES).map(lambda fv: fv[0] + b": " + fv[1].replace(b"\n", b" "))
BODY = st.lists(
    st.one_of(
        st.binary(max_size=40),
        st.sampled_from([b"--b", b"--b--", b"", b"Content-Type: text/html", b">From x"]),
    ),
    max_size=15,
)
MESSAGE = st.tuples(st.lists(HEADER, max_size=10), BODY).map(
    lambda hb: b"\n".join(hb[0]) + b"\n\n" + b"\n".join(hb[1])
)


@settings(max_examples=200, deadline=None)
@given(MESSAGE)
def test_message_to_records_never_crashes(raw: bytes) -> None:
    for rec in message_to_records(raw, "fuzz", None, {"me@x.ru"}):
        assert isinstance(rec, ImportedInteraction | ImportProblem)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_header_decoding_never_crashes(raw: bytes) -> None:
    assert isinstance(header_str(raw), str)
    assert isinstance(addresses([raw]), list)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_text_helpers_never_crash(text: str) -> None:
    assert isinstance(html_to_text(text), str)
    assert isinstance(strip_quotes_and_signature(text), str)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(MESSAGE, min_size=1, max_size=5))
def test_mbox_never_crashes(tmp_path: Path, messages: list[bytes]) -> None:
    p = tmp_path / "fuzz.mbox"
    p.write_bytes(b"".join(b"From x@y Mon Jan  2 10:00:00 2023\n" + m + b"\n\n" for m in messages))
    imp = MboxImporter()
    try:
        records = list(imp.parse(p))
    except FormatError:
        return
    assert imp.messages >= 1
    assert all(r is not None for r in records)
