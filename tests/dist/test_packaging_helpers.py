"""The helpers build.spec uses on Linux: ICU data trimming and the strip step's ELF check.

Fast (no bundle build): they read PySide6's own ICU data library. The bundle test checks the
result as the app uses it.
"""

from __future__ import annotations

import shutil
import struct
import sys
from pathlib import Path

import pytest

from tests.support.packaging_modules import load

icu_data = load("icu_data")
strip_libs = load("strip_libs")


def _icu_library() -> Path:
    if not sys.platform.startswith("linux"):
        pytest.skip("PySide6 ships ICU as a library on Linux only")
    if not icu_data.have_tools():
        pytest.skip("binutils (nm, readelf, as, ld) not installed")
    import PySide6

    found = sorted((Path(str(PySide6.__file__)).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 has no libicudata")
    return found[0]


@pytest.fixture(scope="module")
def package() -> bytes:
    library = _icu_library()
    _, offset, size = icu_data._symbol(library)
    with library.open("rb") as f:
        f.seek(offset)
        return f.read(size)


def test_icu_package_round_trips(package: bytes) -> None:
    header, prefix, items = icu_data.read_package(package)
    assert prefix.startswith("icudt") and len(items) > 1000
    assert icu_data.write_package(header, prefix, items) == package


def test_icu_trim_keeps_english_russian_and_the_shared_data(package: bytes) -> None:
    _, _, items = icu_data.read_package(package)
    kept = {name for name, data in items if icu_data.keep(name, data)}
    every = {name for name, _ in items}
    for name in ("root.res", "en.res", "en_GB.res", "en_001.res", "ru.res", "ru_RU.res",
                 "coll/root.res", "coll/ru.res", "coll/en.res", "coll/ucadata.icu",
                 "zone/ru.res", "zone/en.res", "zone/root.res", "zone/pool.res", "pool.res",
                 "coll/res_index.res", "zoneinfo64.res", "metaZones.res", "timezoneTypes.res",
                 "supplementalData.res", "likelySubtags.res", "cnvalias.icu", "nfkc.nrm",
                 "brkitr/word.brk", "region/ru.res", "lang/en.res"):  # fmt: skip
        if name in every:
            assert name in kept, name
    for name in ("de.res", "ja.res", "zh_Hant_TW.res", "coll/zh.res", "coll/de_.res",
                 "zone/fr.res", "translit/root.res", "brkitr/cjdict.dict"):  # fmt: skip
        if name in every:
            assert name not in kept, name
    converters = {name for name in every if name.endswith(".cnv")}
    single_byte = {name for name in converters if name in kept}
    assert any(name.startswith("ibm-1251_") for name in single_byte)  # windows-1251
    assert any(name.startswith("ibm-878_") for name in single_byte)  # KOI8-R
    assert "gb18030.cnv" in converters and "gb18030.cnv" not in kept


def test_trimmed_icu_library_is_a_valid_package(tmp_path: Path) -> None:
    library = icu_data.build_library(_icu_library(), tmp_path)
    assert library.stat().st_size < 8_000_000
    assert strip_libs.load_segments_aligned(library)
    _, offset, size = icu_data._symbol(library)
    with library.open("rb") as f:
        f.seek(offset)
        _, _, items = icu_data.read_package(f.read(size))
    assert "coll/ru.res" in {name for name, _ in items}


def _elf(tmp_path: Path, loads: list[tuple[int, int, int]]) -> Path:
    """A 64-bit little-endian ELF header with the given (offset, vaddr, align) PT_LOADs."""
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", header, 0x20, 64)  # e_phoff
    struct.pack_into("<HH", header, 0x36, 56, len(loads))  # e_phentsize, e_phnum
    table = b"".join(struct.pack("<IIQQQQQQ", 1, 4, o, v, v, 16, 16, a) for o, v, a in loads)
    path = tmp_path / "lib.so"
    path.write_bytes(bytes(header) + table)
    return path


def test_load_segment_check(tmp_path: Path) -> None:
    assert strip_libs.load_segments_aligned(_elf(tmp_path, [(0, 0, 0x1000),
                                                            (0x2D00, 0x3D00, 0x1000)]))  # fmt: skip
    # what strip made of scipy's patchelf-edited OpenBLAS: offset and address 3708 bytes apart
    assert not strip_libs.load_segments_aligned(_elf(tmp_path, [(0, 0, 0x1000),
                                                                (0x15BD184, 0x1604000, 0x1000)]))  # fmt: skip
    text = tmp_path / "not-elf.so"
    text.write_text("INPUT(-lfoo)")
    assert strip_libs.load_segments_aligned(text)


@pytest.mark.skipif(shutil.which("strip") is None, reason="binutils not installed")
def test_strip_tree_strips_and_keeps_a_working_library(tmp_path: Path) -> None:
    library = icu_data.build_library(_icu_library(), tmp_path / "lib")  # ld leaves a .symtab
    before = library.stat().st_size
    saved, unstripped = strip_libs.strip_tree(tmp_path)
    assert saved > 0 and not unstripped
    assert library.stat().st_size == before - saved
    assert strip_libs.load_segments_aligned(library)
    assert not list(tmp_path.rglob("*.stripped"))
