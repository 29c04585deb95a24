"""Strip the bundle's shared libraries of symbol tables and debug info (used by build.spec on Linux).

Not PyInstaller's strip=True: stripping the libraries that auditwheel edited with patchelf
(numpy.libs, scipy.libs) moves their extra load segments off their page alignment, and the
loader then refuses them ("ELF load command address/offset not page-aligned"). So every library
is stripped into a copy, and the copy replaces it only when its load segments are still aligned.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

_PT_LOAD = 1


def load_segments_aligned(path: Path) -> bool:
    """Whether every PT_LOAD segment of a 64-bit little-endian ELF file satisfies the loader's
    rule: its address and file offset agree modulo its (page-multiple) alignment."""
    with path.open("rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return True  # not a 64-bit little-endian ELF file: nothing to check here
        phoff = struct.unpack_from("<Q", head, 0x20)[0]
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    for i in range(phnum):
        p_type, _, offset, vaddr, _, _, _, align = struct.unpack_from("<IIQQQQQQ", table,
                                                                      i * phentsize)  # fmt: skip
        if p_type != _PT_LOAD or align <= 1:
            continue
        if align % 4096 or (vaddr - offset) % align:
            return False
    return True


def _has_symbols(path: Path) -> bool:
    sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True,
                              text=True).stdout  # fmt: skip
    return ".symtab" in sections or ".debug_info" in sections


def strip_tree(root: Path) -> tuple[int, list[Path]]:
    """Strip every shared library under root in place. Returns (bytes saved, libraries left
    unstripped because stripping them would break them)."""
    if not (shutil.which("strip") and shutil.which("readelf")):
        print("warning: binutils not found; the bundle keeps its symbols", file=sys.stderr)
        return 0, []
    saved, kept = 0, []
    for f in sorted(root.rglob("*")):
        if f.is_symlink() or not f.is_file() or ".so" not in f.name or not _has_symbols(f):
            continue
        tmp = f.with_name(f.name + ".stripped")
        subprocess.run(["strip", "--strip-unneeded", "-o", str(tmp), str(f)], check=True)
        if load_segments_aligned(tmp):
            saved += f.stat().st_size - tmp.stat().st_size
            os.chmod(tmp, f.stat().st_mode)
            tmp.replace(f)
        else:
            tmp.unlink()
            kept.append(f)
    return saved, kept
