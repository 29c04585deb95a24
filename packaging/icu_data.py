"""Qt's ICU data library, trimmed to what netassist can reach (used by build.spec on Linux).

PySide6's libQt6Core links ICU and ships its whole data library (libicudata.so.73, ~32 MB): one
ICU "common data" package (format CmnD: a sorted table of contents, then the items) behind the
symbol ``icudt<N>_dat``. Qt Core calls ICU only for collation (``ucol_*``), time-zone display names
(``ucal_*``), locale case mapping (``u_strToUpper``/``u_strToLower``) and converters by name
(``ucnv_*``); check with ``nm -D --undefined-only libQt6Core.so.6``. The product ships English and
Russian, so the trimmed package keeps:

- every non-locale item (normalisation, properties, the UCA table, supplemental data, time-zone
  rules and names, break rules, converter aliases...),
- in every tree (main, coll, zone, lang, region, curr, unit, rbnf, brkitr): root, en*, ru*,
  and the trees' pool.res/res_index.res, so other system locales fall back to root (the same
  rule as Qt's own translations, of which only _en/_ru are bundled),
- the single-byte converters (windows-125x, KOI8, CP866, ISO-8859-x...; a few kB each).

It drops the locale data of other languages, the transliterator rules (``utrans_*``: not called
by Qt), the break-iterator dictionaries for CJK/Thai/Lao/Khmer/Burmese word breaking (``ubrk_*``:
not called by Qt) and the multi-byte (CJK, EBCDIC DBCS) converters.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

LANGUAGES = ("en", "ru")
# a locale ID: language (2-3 letters), then script/region/variant parts; non-locale items
# (metaZones, likelySubtags, pool, res_index...) never look like this
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
_DROPPED_TREES = ("translit",)


def read_package(blob: bytes) -> tuple[bytes, str, list[tuple[str, bytes]]]:
    """Split an ICU common data package into (header, prefix, [(name, item bytes)])."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    count = struct.unpack_from("<I", blob, header_size)[0]
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in toc[1:]] + [len(blob) - header_size]
    items = []
    for (name_at, data_at), end in zip(toc, ends, strict=True):
        start = header_size + name_at
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        items.append((name, blob[header_size + data_at : header_size + end]))
    prefix = items[0][0].split("/", 1)[0] + "/" if items else ""
    return blob[:header_size], prefix, [(n.removeprefix(prefix), d) for n, d in items]


def write_package(header: bytes, prefix: str, items: list[tuple[str, bytes]]) -> bytes:
    """The inverse of read_package (items stay in their sorted order: ICU bisects the names)."""
    names = b"".join((prefix + name).encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    data_at = toc_size + len(names)
    pad = -data_at % 16  # items are 16-byte aligned
    data_at += pad
    toc = [struct.pack("<I", len(items))]
    name_at = toc_size
    body = []
    for name, data in items:
        toc.append(struct.pack("<II", name_at, data_at))
        name_at += len(prefix + name) + 1
        data += b"\xaa" * (-len(data) % 16)
        body.append(data)
        data_at += len(data)
    return header + b"".join(toc) + names + b"\xaa" * pad + b"".join(body)


def _max_bytes_per_char(item: bytes) -> int:
    # a .cnv item: its data header, then UConverterStaticData (structSize, name[60], codepage,
    # platform, conversionType, minBytesPerChar, maxBytesPerChar...)
    header_size = struct.unpack_from("<H", item, 0)[0]
    return item[header_size + 4 + 60 + 4 + 3]


def keep(name: str, item: bytes, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """Whether the trimmed package keeps this item (name without the package prefix)."""
    tree, _, leaf = name.rpartition("/")
    if tree in _DROPPED_TREES or leaf.endswith(".dict"):
        return False
    if leaf.endswith(".cnv"):
        return _max_bytes_per_char(item) == 1
    if _LOCALE.match(leaf) and leaf != "res_index.res":  # res_index: a tree's locale list
        return leaf.split("_")[0].removesuffix(".res") in languages
    return True  # root.res, pool.res, res_index.res and the non-locale data


def trim(blob: bytes) -> bytes:
    header, prefix, items = read_package(blob)
    return write_package(header, prefix, [(n, d) for n, d in items if keep(n, d)])


def _symbol(library: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the icudt<N>_dat symbol."""
    nm = subprocess.run(["nm", "-D", "-S", "--defined-only", str(library)], capture_output=True,
                        text=True, check=True).stdout  # fmt: skip
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            address, size = int(parts[0], 16), int(parts[1], 16)
            break
    else:
        raise ValueError(f"no icudt*_dat symbol in {library}")
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return parts[3], address - section_address + section_offset, size
    raise ValueError(f"no .rodata in {library}")


def build_library(library: Path, out_dir: Path) -> Path:
    """Write a trimmed copy of ICU's data library (same soname) into out_dir and return it.

    Needs binutils (nm, readelf, as, ld), like the bundle's strip step."""
    symbol, offset, size = _symbol(library)
    with library.open("rb") as f:
        f.seek(offset)
        blob = f.read(size)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / library.name
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / "icudata.dat"
        dat.write_bytes(trim(blob))
        (Path(tmp) / "icudata.s").write_text(
            '\t.section .rodata\n\t.balign 16\n'
            f"\t.globl {symbol}\n\t.type {symbol}, %object\n{symbol}:\n"
            f'\t.incbin "{dat}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",%progbits\n'
        )  # fmt: skip
        subprocess.run(["as", "-o", str(Path(tmp) / "icudata.o"), str(Path(tmp) / "icudata.s")],
                       check=True)  # fmt: skip
        subprocess.run(["ld", "-shared", "-soname", library.name, "-z", "noexecstack",
                        "-o", str(out), str(Path(tmp) / "icudata.o")], check=True)  # fmt: skip
    return out


def have_tools() -> bool:
    return all(shutil.which(t) for t in ("nm", "readelf", "as", "ld"))
