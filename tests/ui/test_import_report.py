"""The import result page counts the messages an importer left out on purpose, in both
languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netassist.core import i18n
from netassist.core.ingest import ImportResult
from netassist.ui.import_jobs import FileOutcome
from netassist.ui.views.import_view import render_report


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def _page(**left_out: int) -> str:
    res = ImportResult(file="x", importer="telegram", interactions_added=3, left_out=left_out)
    return render_report([FileOutcome(Path("result.json"), "telegram", "ok", res)])


def test_left_out_messages_have_a_row_each() -> None:
    page = _page(channel_post=2, service_sender=5)
    assert (
        "posts by a channel or group itself (not a person)</td><td align='right'>&nbsp;&nbsp;2"
        in page
    )
    assert (
        "messages with services (sender names, short numbers)</td><td align='right'>&nbsp;&nbsp;5"
        in page
    )
    empty = _page()  # no row when nothing was left out
    assert "not a person" not in empty and "services" not in empty
    i18n.set_language("ru")
    page = _page(channel_post=2, service_sender=5)
    assert "сообщения от имени канала или группы (не человека)" in page
    assert "сообщения сервисов (имена отправителей, короткие номера)" in page
