"""The PyInstaller bundle, built once per session and used as a user would (slow: ~2 minutes).

Everything runs from a temp folder with a clean environment (no PYTHONPATH, no venv), so the
bundle must carry its own resources: fonts, translations, migrations, pymorphy3 dictionaries,
tzdata and phonenumbers metadata.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.packaging_modules import load

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "dist" / "netassist"
# Issue #12's target, not met: numpy's and scipy's OpenBLAS builds (50 MB), scipy (39 MB) and
# numpy (13 MB) come with scikit-learn; build.spec's header has the whole breakdown.
TARGET_MB = 250
# Reached 293 MB (file sizes, Linux x86-64, PySide6 6.10, scipy 1.17, sklearn 1.9); the margin
# lets dependency updates through but not a new heavy dependency or a lost filter.
MAX_BUNDLE_MB = 305
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("NETASSIST_SKIP_BUNDLE") == "1", reason="NETASSIST_SKIP_BUNDLE=1"
    ),  # fmt: skip
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="the bundle test runs on Linux"
    ),
]

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Пётр Ильич Смирнов\r\nN:Смирнов;Пётр;Ильич;;\r\n"
    "TEL;TYPE=CELL:8 (912) 345-67-89\r\nEMAIL:petr@example.ru\r\nEND:VCARD\r\n"
)
# fontconfig with no font folders: the PDF can only get DejaVu from the bundle itself
NO_SYSTEM_FONTS = '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n'


@pytest.fixture(scope="session")
def build_output() -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    started = time.monotonic()
    proc = subprocess.run(["make", "dist"], cwd=REPO, capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    print(f"make dist: {time.monotonic() - started:.0f} s")
    assert (DIST / "netassist").exists() and (DIST / "netassist-cli").exists()
    return proc.stdout


def _env(home: Path, **extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(NETASSIST_HOME=str(home), QT_QPA_PLATFORM="offscreen", NETASSIST_ENCRYPTION="off")
    env.update(extra)
    return env


def _cli(tmp: Path, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(DIST / "netassist-cli"), *args], cwd=tmp, env=_env(home, **env),
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert proc.returncode == 0, f"netassist-cli {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _bundle_mb() -> float:
    files = [f for f in DIST.rglob("*") if f.is_file() and not f.is_symlink()]
    return sum(f.stat().st_size for f in files) / 1e6


def test_bundle_size_is_printed_and_bounded(build_output: str) -> None:
    assert re.search(r"^\d+(\.\d+)?M\s+dist/netassist$", build_output, re.M), build_output[-500:]
    mb = _bundle_mb()
    print(f"bundle size: {mb:.0f} MB")
    assert mb <= MAX_BUNDLE_MB, f"bundle grew to {mb:.1f} MB (limit {MAX_BUNDLE_MB} MB)"
    dangling = [str(f) for f in DIST.rglob("*") if f.is_symlink() and not f.exists()]
    assert not dangling
    # the strip step left every library loadable (it must not touch the patchelf-edited ones)
    aligned = load("strip_libs").load_segments_aligned
    libraries = [f for f in DIST.rglob("*.so*") if f.is_file() and not f.is_symlink()]
    assert not [str(f) for f in libraries if not aligned(f)]


@pytest.mark.xfail(strict=True, reason="issue #12's 250 MB: not reached with scikit-learn")
def test_bundle_meets_the_size_target(build_output: str) -> None:
    # strict: once this passes, make TARGET_MB the bound above and drop the xfail
    mb = _bundle_mb()
    assert mb <= TARGET_MB, f"the bundle is {mb:.1f} MB (target {TARGET_MB} MB)"


# Qt's ICU calls (collation, case mapping, time-zone names, converters by name) with the
# bundle's trimmed ICU data preloaded into this Python's PySide6, against its full data
ICU_PROBE = r"""
import functools, json, sys
from PySide6.QtCore import QCollator, QCoreApplication, QLocale, QStringDecoder, QTimeZone
app = QCoreApplication([])
out = {"data": [l.split()[-1] for l in open("/proc/self/maps") if "libicudata" in l][:1]}
names = ["Ёлкин", "елкин", "Яков", "Анна", "Щукин", "Шубин", "ёж", "ель", "Zoe", "alice",
         "Émile", "Öztürk", "10 items", "9 items"]
for loc in ("ru_RU", "en_US", "en_GB", "ru_UA"):
    collator = QCollator(QLocale(loc))
    out["sort " + loc] = sorted(names, key=functools.cmp_to_key(collator.compare))
    collator.setNumericMode(True)
    out["numeric " + loc] = sorted(names, key=functools.cmp_to_key(collator.compare))
    out["upper " + loc] = QLocale(loc).toUpper("ёлка straße ǆ")
    out["lower " + loc] = QLocale(loc).toLower("ЁЛКА İSTANBUL ΣΟΦΟΣ")
    for zone in ("Europe/Moscow", "Asia/Yekaterinburg", "America/New_York", "UTC"):
        tz = QTimeZone(zone.encode())
        for kind in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName,
                     QTimeZone.NameType.OffsetName):
            out[f"{zone} {loc} {kind.name}"] = tz.displayName(
                QTimeZone.TimeType.StandardTime, kind, QLocale(loc))
for name in ("windows-1251", "koi8-r", "IBM866", "ISO-8859-5", "windows-1252"):
    out[name] = QStringDecoder(name).isValid()
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def test_bundled_icu_data_serves_english_and_russian(build_output: str) -> None:
    bundled = DIST / "_internal" / "PySide6" / "Qt" / "lib"
    icudata = sorted(bundled.glob("libicudata.so.*"))
    assert icudata and icudata[0].stat().st_size < 8_000_000, "ICU's data is not trimmed"

    def probe(**env: str) -> dict[str, object]:
        proc = subprocess.run([sys.executable, "-c", ICU_PROBE], capture_output=True, text=True,
                              timeout=120, env={**os.environ, **env})  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    full = probe()
    trimmed = probe(LD_PRELOAD=str(icudata[0]))
    assert trimmed.pop("data") == [str(icudata[0])]
    assert full.pop("data") != [str(icudata[0])]
    assert trimmed == full
    assert full["Europe/Moscow ru_RU LongName"] != full["Europe/Moscow en_US LongName"]


def test_bundle_carries_its_data(build_output: str) -> None:
    internal = DIST / "_internal"
    expected = [
        "resources/locale/ru/LC_MESSAGES/netassist.mo",
        "netassist/core/migrations",
        "netassist/core/data/stopwords_ru.txt",
        "pymorphy3_dicts_ru/data/words.dawg",
        "tzdata/zoneinfo/Europe/Moscow",
        "phonenumbers/data",  # region metadata is loaded by module name at run time
    ]
    if Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        expected.append("resources/fonts/DejaVuSans.ttf")
    missing = [p for p in expected if not (internal / p).exists()]
    if "phonenumbers/data" in missing:  # inside the PYZ archive, not a folder
        missing.remove("phonenumbers/data")
    assert not missing
    assert (DIST / "netassist.desktop").exists()
    for unused in ("libqgtk3.so", "libQt6Quick.so.6", "libQt6PdfQuick.so.6"):
        assert not list(internal.rglob(unused)), unused
    # the Reports page's preview (QtPdf links QtNetwork)
    for used in ("libQt6Pdf.so.6", "libQt6PdfWidgets.so.6", "libQt6Network.so.6"):
        assert list(internal.rglob(used)), used


def test_cli_features_from_the_bundle(build_output: str, tmp_path: Path) -> None:
    from netassist import __version__

    home = tmp_path / "home"
    assert __version__ in _cli(tmp_path, home, "--version").stdout
    _cli(tmp_path, home, "demo", "--contacts", "40", "--years", "1")

    # Russian lemmas (pymorphy3) and stop words: same topics as the development build
    topics = json.loads(_cli(tmp_path, home, "topics", "1", "--json").stdout)
    assert topics["topics"], topics
    dev = subprocess.run([sys.executable, "-m", "netassist", "topics", "1", "--json"], cwd=REPO,
                         env=dict(_env(home), PATH=os.environ["PATH"]), capture_output=True,
                         text=True, timeout=300)  # fmt: skip
    assert dev.returncode == 0, dev.stderr
    assert [t["term"] for t in topics["topics"]] == [
        t["term"] for t in json.loads(dev.stdout)["topics"]
    ]

    # feedback model fit (sklearn Ridge on scipy.optimize and both OpenBLAS builds)
    for contact, rating in ((1, 5), (2, 4), (3, 3), (4, 2), (5, 1)):
        _cli(tmp_path, home, "rate", str(contact), str(rating))
    _cli(tmp_path, home, "rescore")
    assert _cli(tmp_path, home, "suggest").stdout.strip()

    fonts = tmp_path / "fonts.conf"
    fonts.write_text(NO_SYSTEM_FONTS)
    pdf = tmp_path / "r.pdf"
    _cli(tmp_path, home, "report", "--pdf", str(pdf), "--lang", "ru", FONTCONFIG_FILE=str(fonts))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/DejaVuSans" in data

    vcf = tmp_path / "contacts.vcf"
    vcf.write_text(VCARD, encoding="utf-8")
    fresh = tmp_path / "fresh"
    run = json.loads(_cli(tmp_path, fresh, "import", "--json", str(vcf)).stdout.splitlines()[0])
    assert run["status"] == "ok" and run["contacts_created"] == 1, run
    assert "Пётр Ильич Смирнов" in _cli(tmp_path, fresh, "contacts", "show", "1").stdout
    out = tmp_path / "export.json"
    _cli(tmp_path, fresh, "export", "--format", "json", str(out))
    # phonenumbers metadata: a Russian trunk-prefixed number normalised to E.164
    assert '"value":"+79123456789"' in out.read_text(encoding="utf-8").replace(": ", ":")

    # a big file's parse runs in a child process: in the bundle that is the program started
    # again (multiprocessing.freeze_support in the entry); forced here for a small file
    apart = tmp_path / "apart"
    run = json.loads(_cli(tmp_path, apart, "import", "--json", str(vcf),
                          NETASSIST_PARSE_APART="1").stdout.splitlines()[0])  # fmt: skip
    assert run["status"] == "ok" and run["contacts_created"] == 1, run
    assert "Пётр Ильич Смирнов" in _cli(tmp_path, apart, "contacts", "show", "1").stdout


def test_gui_starts_offscreen(build_output: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    log = tmp_path / "gui.log"
    with log.open("w") as out:
        gui = subprocess.Popen([str(DIST / "netassist")], cwd=tmp_path, env=_env(home),
                               stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        # the first start creates the database (and its demo network) before the window shows
        while time.monotonic() < deadline and not (home / "netassist.db").exists():
            assert gui.poll() is None, log.read_text()
            time.sleep(0.5)
        time.sleep(4)  # Qt plugins (platform, image formats, icons) load while the window opens
        assert gui.poll() is None, f"the GUI exited with {gui.returncode}:\n{log.read_text()}"
        assert (home / "netassist.db").exists()
    finally:
        gui.kill()
        gui.wait(timeout=30)
    stats = _cli(tmp_path, home, "stats").stdout
    assert re.search(r"contacts:\s+[1-9]", stats), stats
