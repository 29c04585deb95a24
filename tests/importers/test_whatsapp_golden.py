"""Golden files for the WhatsApp importer: each fixture next to ``<name>.expected.json``.

Regenerate after a deliberate change with ``NETASSIST_REGEN_GOLDEN=1 pytest tests/importers``
and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from netassist.importers.records import ImportOptions
from netassist.importers.whatsapp import WhatsAppImporter

FIX = Path(__file__).parent / "fixtures" / "whatsapp"

CASES: dict[str, ImportOptions] = {
    "android_en_12h_group.txt": ImportOptions(local_timezone="Europe/Moscow"),
    "WhatsApp Chat - Анна Петрова.zip": ImportOptions(local_timezone="Europe/Moscow"),
    "Чат WhatsApp с Иван Сидоров.txt": ImportOptions(local_timezone="Europe/Moscow"),
    "WhatsApp Chat with Tom.txt": ImportOptions(local_timezone="Europe/London"),
    "ios_uk_group.txt": ImportOptions(me_names=("Олег",), local_timezone="Europe/Kyiv"),
}


def to_plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        d = {"record": type(obj).__name__}
        for f in dataclasses.fields(obj):
            d[f.name] = to_plain(getattr(obj, f.name))
        return d
    if isinstance(obj, tuple | list):
        return [to_plain(x) for x in obj]
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return obj.hex()
    return obj


def run_case(name: str, tmp_path: Path) -> list[Any]:
    src = FIX / name
    path = tmp_path / name
    shutil.copy(src, path)
    # a file without years takes them from its modification time: pin it
    os.utime(path, (1654041600, 1654041600))  # 2022-06-01
    return [to_plain(r) for r in WhatsAppImporter().parse(path, CASES[name])]


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, tmp_path: Path) -> None:
    got = run_case(name, tmp_path)
    golden = FIX / f"{name}.expected.json"
    if os.environ.get("NETASSIST_REGEN_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert got == expected
