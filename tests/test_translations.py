"""Every string netassist marks for translation has a Russian translation in the shipped catalog,
with the same placeholders, and the catalog is the one ru_translations.py writes."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from netassist.core import i18n

ROOT = Path(__file__).resolve().parents[1]
#: Strings that read the same in Russian (names, codes, symbols).
SAME_IN_RUSSIAN = {"SMS", "“%s”: "}
PLACEHOLDER = re.compile(r"%[ds]|\{[a-z_]*\}")


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "ru_translations", ROOT / "resources" / "locale" / "ru_translations.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _catalog() -> dict[str, str]:
    po = i18n.locale_dir() / "ru" / "LC_MESSAGES" / "netassist.po"
    return i18n.parse_po(po.read_text(encoding="utf-8"))


def test_extraction_sees_calls_in_f_strings_and_translator_objects(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "x = f\"<h1>{_e(_('Contents'))}</h1>\"\n"
        't.gettext("last talk {ago}")\nN_("close")\nngettext("%d file", "%d files", n)\n'
        "_(name)  # not a literal: skipped\n",
        encoding="utf-8",
    )
    assert _tool().extract(tmp_path) == [
        ("Contents", None), ("last talk {ago}", None), ("close", None), ("%d file", "%d files")
    ]  # fmt: skip


def test_every_marked_string_has_a_russian_translation() -> None:
    ids = _tool().extract(ROOT / "netassist")
    assert len(ids) > 250
    cat = _catalog()
    missing, same, broken = [], [], []
    for mid, plural in ids:
        key = mid if plural is None else f"{mid}\0{plural}"
        ru = cat.get(key)
        if ru is None:
            missing.append(mid)
            continue
        forms = ru.split("\0")
        if plural is None and ru == mid and mid not in SAME_IN_RUSSIAN:
            same.append(mid)
        if plural is not None and len(forms) != 3:
            broken.append(mid)
        want = sorted(PLACEHOLDER.findall(mid))
        for form in forms:
            if sorted(PLACEHOLDER.findall(form)) != want:
                broken.append(f"{mid!r} → {form!r}")
    assert not missing, f"no Russian for: {missing}"
    assert not same, f"left in English: {same}"
    assert not broken, f"plural forms or placeholders differ: {broken}"


def test_russian_text_has_no_english_words_left() -> None:
    allowed = {
        "netassist",
        "keyring",
        "ctrl",
        "vcf",
        "csv",
        "mbox",
        "eml",
        "ics",
        "sms",
        "pem",
        "crt",
        "cer",
        "imap",
        "starttls",
        "tls",
    }
    for mid, ru in _catalog().items():
        if not mid:
            continue
        words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", ru))}
        words -= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", mid) if w[0].isupper()}
        assert words <= allowed, (mid, ru)
