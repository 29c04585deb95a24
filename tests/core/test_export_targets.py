"""Exports write whole or not at all, and do not replace what is not theirs to replace: a
symlink's target is written (the link stays), a pipe or device is written in place."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from netassist.core import contacts
from netassist.core.export import export_contacts, export_json


def test_json_and_vcard_exports_write_through_a_symlink(db, tmp_path: Path) -> None:
    contacts.add_contact(db, "Вера Линк", identities=[("email", "vera@example.org")])
    synced = tmp_path / "synced"
    synced.mkdir()
    for name, run in (("all.json", export_json), ("book.vcf", export_contacts)):
        real = synced / name
        real.write_text("old")
        link = tmp_path / name
        link.symlink_to(real)
        run(db, link)
        assert link.is_symlink() and link.resolve() == real  # the link is still a link
        assert "Вера Линк" in real.read_text(encoding="utf-8")
        assert not list(synced.glob("*.part")) and not list(tmp_path.glob("*.part"))
    assert json.loads((synced / "all.json").read_text(encoding="utf-8"))["format"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_export_into_a_pipe_writes_to_the_pipe(db, tmp_path: Path) -> None:
    contacts.add_contact(db, "Пётр Труба", identities=[("phone", "+79001234567")])
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done = threading.Event()

    def export() -> None:
        export_contacts(db, fifo, "csv")
        done.set()

    writer = threading.Thread(target=export, daemon=True)
    writer.start()
    writer.join(20)
    if not done.is_set():  # renaming a file over the pipe leaves the reader waiting forever
        with open(fifo, "wb"):  # unblock the reader before failing
            pass
    reader.join(20)
    assert done.is_set() and fifo.is_fifo()  # the pipe is still a pipe
    assert got and "Пётр Труба" in got[0].decode("utf-8")
