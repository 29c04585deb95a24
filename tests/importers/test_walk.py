"""Folder and .zip expansion refuses path traversal, links and zip bombs."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from netassist.importers.walk import UnsafeArchive, expand


def _zip(path: Path, members: dict[str, bytes], link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def test_folder_and_zip_are_walked(tmp_path: Path) -> None:
    d = tmp_path / "export"
    (d / "sub").mkdir(parents=True)
    (d / "a.vcf").write_text("BEGIN:VCARD\nEND:VCARD\n")
    (d / "sub" / "b.csv").write_text("x")
    (d / ".DS_Store").write_text("junk")
    z = _zip(tmp_path / "c.zip", {"inner/c.ics": b"BEGIN:VCALENDAR"})
    with expand([d, z]) as found:
        shown = [f.shown for f in found]
        assert all(f.path.exists() for f in found)
    assert shown == [f"{d}/a.vcf", f"{d}/sub/b.csv", "c.zip/inner/c.ics"]
    assert not any(f.explicit for f in found)


@pytest.mark.parametrize("name", ["../evil.txt", "/abs/evil.txt", "a/../../evil.txt"])
def test_traversal_refused(tmp_path: Path, name: str) -> None:
    z = _zip(tmp_path / "t.zip", {name: b"x"})
    with pytest.raises(UnsafeArchive, match="outside"), expand([z]):
        pass
    assert not (tmp_path / "evil.txt").exists()


def test_symlink_refused(tmp_path: Path) -> None:
    z = _zip(tmp_path / "l.zip", {"ok.txt": b"x"}, link="passwd")
    with pytest.raises(UnsafeArchive, match="link"), expand([z]):
        pass


def test_zip_bomb_refused(tmp_path: Path) -> None:
    z = _zip(tmp_path / "bomb.zip", {"zeros.txt": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(UnsafeArchive, match="bomb"), expand([z]):
        pass


def test_zip_read_directly_when_an_importer_claims_it(tmp_path: Path) -> None:
    z = _zip(tmp_path / "WhatsApp Chat.zip", {"_chat.txt": b"x"})
    with expand([z], reads_zip=lambda p: True) as found:
        assert [f.path for f in found] == [z] and found[0].explicit
