"""Expand what the user gave (files, folders, .zip archives) into files to import.

Archives are unpacked into a private temporary folder with hard caps: no absolute paths or
``..`` (path traversal), no symlinks or device entries, at most MAX_FILES members, MAX_TOTAL
bytes unpacked and a compression ratio of at most MAX_RATIO per member (zip bombs).
An archive that an importer reads directly (a WhatsApp export .zip) is not unpacked.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_FILES = 200_000
MAX_TOTAL = 8 * 1024**3
MAX_MEMBER = 4 * 1024**3
MAX_RATIO = 200
SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


class UnsafeArchive(Exception):
    pass


@dataclass(frozen=True)
class Found:
    path: Path  # where to read it now (may be inside a temporary folder)
    shown: str  # how to name it to the person (archive.zip/inner/file.json)
    explicit: bool  # the user named this file directly


def _check_member(info: zipfile.ZipInfo, root: Path) -> Path | None:
    name = info.filename
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        raise UnsafeArchive(f"member {name!r} points outside the archive")
    ftype = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver recorded no type
    if ftype and ftype not in (stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchive(f"member {name!r} is a link or a device, not a file")
    if info.is_dir():
        return None
    if info.file_size > MAX_MEMBER:
        raise UnsafeArchive(f"member {name!r} would unpack to {info.file_size} bytes")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise UnsafeArchive(f"member {name!r} is compressed {info.file_size // info.compress_size}:1"
                            " (a zip bomb?)")  # fmt: skip
    target = (root / pure).resolve()
    if not target.is_relative_to(root.resolve()):
        raise UnsafeArchive(f"member {name!r} points outside the archive")
    return target


def files_below(path: Path, pattern: str, max_depth: int) -> Iterator[Path]:
    """Paths matching ``pattern`` in ``path`` and at most ``max_depth`` folders below it, level
    by level (each level sorted): a bounded look for an export's structure, not a deep walk."""
    for depth in range(max_depth + 1):
        yield from sorted(path.glob("/".join(["*"] * depth + [pattern])))


def safe_extract(archive: Path, dest: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_FILES:
            raise UnsafeArchive(f"{len(infos)} members is more than {MAX_FILES}")
        total = 0
        for info in infos:
            target = _check_member(info, dest)
            if target is None:
                continue
            total += info.file_size
            if total > MAX_TOTAL:
                raise UnsafeArchive(f"unpacks to more than {MAX_TOTAL // 1024**3} GiB")
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with zf.open(info) as src, open(target, "wb") as out:
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    if written > info.file_size:  # a lying header
                        raise UnsafeArchive(f"member {info.filename!r} is larger than it says")
                    out.write(chunk)


@contextmanager
def expand(paths: list[Path], reads_zip: object = None) -> Iterator[list[Found]]:
    """Yield the files to import; temporary folders are removed afterwards.

    ``reads_zip(path) -> bool`` says whether an importer reads that .zip (or folder) directly.
    """
    temps: list[Path] = []
    found: list[Found] = []
    try:
        for p in paths:
            _expand_one(p, p.name if p.is_file() else str(p), True, found, temps, reads_zip)
        yield found
    finally:
        for t in temps:
            shutil.rmtree(t, ignore_errors=True)


def _expand_one(p: Path, shown: str, explicit: bool, found: list[Found], temps: list[Path],
                reads_zip: object) -> None:  # fmt: skip
    if p.is_symlink() and not explicit:
        return
    if p.is_dir():
        if callable(reads_zip) and reads_zip(p):  # a folder that is one export (Maildir...)
            found.append(Found(p, shown, explicit))
            return
        for child in sorted(p.rglob("*")):
            if child.is_file() and not child.is_symlink() and child.name not in SKIP_NAMES:
                rel = child.relative_to(p)
                _expand_one(child, f"{shown}/{rel}", False, found, temps, reads_zip)
        return
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or folder")
    if p.suffix.lower() == ".zip" and zipfile.is_zipfile(p):
        if callable(reads_zip) and reads_zip(p):
            found.append(Found(p, shown, explicit))
            return
        tmp = Path(tempfile.mkdtemp(prefix="netassist-zip-"))
        temps.append(tmp)
        safe_extract(p, tmp)
        for child in sorted(tmp.rglob("*")):
            if child.is_file() and child.name not in SKIP_NAMES:
                _expand_one(child, f"{shown}/{child.relative_to(tmp)}", False, found, temps,
                            reads_zip)  # fmt: skip
        return
    found.append(Found(p, shown, explicit))
