"""Translations with gettext, Qt-free so the CLI and reports share them with the GUI.

``_`` and ``ngettext`` look up the active catalog at call time, so switching the language at
runtime only needs the callers to rebuild their texts. Russian needs three plural forms
("1 контакт", "2 контакта", "5 контактов"); the catalog's Plural-Forms header carries the rule.

The catalogs live in ``resources/locale/<lang>/LC_MESSAGES/netassist.po``; the compiled ``.mo``
next to it is what is loaded. :func:`compile_po` is a small stdlib ``msgfmt`` so a checkout
without GNU gettext can rebuild it (``python -m netassist.core.i18n``).
"""

from __future__ import annotations

import ast
import gettext
import struct
import sys
from pathlib import Path

DOMAIN = "netassist"
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}


def locale_dir() -> Path:
    """Where the catalogs are: next to the package in a checkout, or bundled (PyInstaller)."""
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        return Path(bundled) / "resources" / "locale"
    return Path(__file__).resolve().parents[2] / "resources" / "locale"


class _State:
    """The active catalog. One per process, like gettext's own install(), but switchable."""

    translations: gettext.NullTranslations = gettext.NullTranslations()
    language: str = "en"


def set_language(lang: str) -> str:
    """Activate ``lang`` ("en" or "ru"); unknown languages or a missing catalog fall back to
    English. Returns the language now active."""
    lang = (lang or "en").split("_")[0].lower()
    if lang == "en" or lang not in LANGUAGES:
        _State.translations, _State.language = gettext.NullTranslations(), "en"
        return "en"
    _BY_LANG.pop(lang, None)  # a recompiled catalog is read again by translations_for too
    mo = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = mo.with_suffix(".po")
    try:
        if po.exists() and (not mo.exists() or po.stat().st_mtime > mo.stat().st_mtime + 1):
            compile_po(po, mo)  # a catalog edited in a checkout is picked up without a build step
    except (OSError, ValueError, SyntaxError):
        pass  # read-only install or a broken edit: the shipped .mo still works
    try:
        with open(mo, "rb") as fh:
            _State.translations = gettext.GNUTranslations(fh)
        _State.language = lang
    except OSError:
        _State.translations, _State.language = gettext.NullTranslations(), "en"
    return _State.language


def current_language() -> str:
    return _State.language


_BY_LANG: dict[str, gettext.NullTranslations] = {}


def translations_for(lang: str | None = None) -> gettext.NullTranslations:
    """The catalog of ``lang`` without switching the process's language (None: the active one).

    For texts made off the GUI thread or for another language than the window's (the digest,
    a report in Russian from an English session); switching globally there would race."""
    if lang is None:
        return _State.translations
    lang = (lang or "en").split("_")[0].lower()
    if lang == _State.language:
        return _State.translations
    if lang == "en" or lang not in LANGUAGES:
        return gettext.NullTranslations()
    cached = _BY_LANG.get(lang)
    if cached is None:
        try:
            with open(locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as fh:
                cached = gettext.GNUTranslations(fh)
        except OSError:
            cached = gettext.NullTranslations()
        _BY_LANG[lang] = cached
    return cached


def _(message: str) -> str:
    return _State.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _State.translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated where shown)."""
    return message


# --- a small msgfmt -------------------------------------------------------------------------


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr (plural entries keyed "singular\\0plural", forms joined by NUL).

    Fuzzy and untranslated entries are left out so they fall back to English."""
    entries: dict[str, str] = {}
    cur: dict[str, str] = {}
    key: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal cur, fuzzy
        if "msgid" in cur:
            mid = cur["msgid"]
            if "msgid_plural" in cur:
                forms = [cur[k] for k in sorted(k for k in cur if k.startswith("msgstr["))]
                if all(forms) and not fuzzy:
                    entries[mid + "\0" + cur["msgid_plural"]] = "\0".join(forms)
            elif cur.get("msgstr") and (not fuzzy or mid == ""):
                entries[mid] = cur["msgstr"]
        cur, fuzzy = {}, False

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if key is not None:
                cur[key] += ast.literal_eval(line)
            continue
        word, _sp, rest = line.partition(" ")
        if word == "msgid" and "msgid" in cur:
            flush()  # an entry without comments in between: not fuzzy
        key = word
        cur[key] = ast.literal_eval(rest)
    flush()
    return entries


def compile_po(po: Path, mo: Path) -> None:
    """Write the GNU .mo file for ``po`` (the format gettext.GNUTranslations reads)."""
    entries = parse_po(po.read_text(encoding="utf-8"))
    keys = sorted(entries)
    ids = b""
    strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for k in keys:
        kb, vb = k.encode("utf-8"), entries[k].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    n = len(keys)
    keystart = 7 * 4 + 16 * n
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    body = struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets)
    mo.write_bytes(header + body + ids + strs)


def compile_all() -> list[Path]:
    out = []
    for po in sorted(locale_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        compile_po(po, mo)
        out.append(mo)
    return out


if __name__ == "__main__":  # pragma: no cover - developer tool
    for path in compile_all():
        print(path)
