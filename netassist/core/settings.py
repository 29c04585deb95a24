"""Every setting declared once (name, type, default), stored in the ``setting`` table as JSON.

Where the data lives: ``NETASSIST_HOME`` (or ``--home``) when set, else the platform's user data
folder (platformdirs). The home holds ``netassist.db``, ``backups/`` and ``logs/``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from netassist.core.db import Database


def home_dir(override: str | Path | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get("NETASSIST_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("netassist", appauthor=False))


def database_path(home: Path) -> Path:
    return home / "netassist.db"


@dataclass(frozen=True)
class SettingDef:
    name: str
    type: type
    default: Any
    doc: str


SETTINGS: dict[str, SettingDef] = {
    s.name: s
    for s in (
        SettingDef("language", str, "en", "UI and report language: en or ru"),
        SettingDef("default_region", str, "RU", "phone region for numbers without +country"),
        SettingDef("me_names", list, [], "the user's own display names in chats"),
        SettingDef("me_identities", list, [], "the user's own identities as [kind, value]"),
        SettingDef("notify_time", str, "09:00", "time of the daily digest (local)"),
        SettingDef("quiet_start", str, "22:00", "quiet hours start (local)"),
        SettingDef("quiet_end", str, "08:00", "quiet hours end (local)"),
        SettingDef(
            "tier_cadence_days",
            dict,
            {"inner": 7, "close": 14, "active": 30, "acquaintance": 90, "dormant": 180},
            "default cadence per tier (days) while a contact's own history is short; the"
            " engine uses it from the next rescore",
        ),
        SettingDef("include_bulk_mail", bool, False, "import mailing lists and no-reply senders"),
        SettingDef("backup_keep", int, 7, "how many daily backups to keep"),
        SettingDef("autostart", bool, False, "start netassist in the tray on login"),
        SettingDef("demo_offered", bool, False, "the demo network was offered on first start"),
    )
}


#: The keys of ``tier_cadence_days``, in the engine's tier order (inner circle ... dormant).
TIER_KEYS: tuple[str, ...] = ("inner", "close", "active", "acquaintance", "dormant")
MAX_CADENCE_DAYS = 3650


def tier_cadence_days(value: Any) -> tuple[float, ...]:
    """The per-tier cadence prior from a stored ``tier_cadence_days`` value, in tier order; a
    missing, non-numeric or out-of-range entry falls back to its default."""
    default = SETTINGS["tier_cadence_days"].default
    value = value if isinstance(value, dict) else {}
    out = []
    for k in TIER_KEYS:
        v = value.get(k, default[k])
        ok = isinstance(v, int | float) and not isinstance(v, bool) and 1 <= v <= MAX_CADENCE_DAYS
        out.append(float(v if ok else default[k]))
    return tuple(out)


class Settings:
    """Typed access to the settings of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, name: str) -> Any:
        sdef = SETTINGS[name]
        with self.db.engine.connect() as conn:
            row = conn.execute(
                text("SELECT value FROM setting WHERE key = :k"), {"k": name}
            ).first()
        if row is None:
            return sdef.default
        try:
            return json.loads(row[0])
        except ValueError:
            return sdef.default

    def set(self, name: str, value: Any) -> None:
        sdef = SETTINGS.get(name)
        if sdef is None:
            raise KeyError(f"unknown setting {name!r}; known: {', '.join(sorted(SETTINGS))}")
        if sdef.type is bool and isinstance(value, str):
            value = value.lower() in ("1", "true", "yes", "on")
        elif sdef.type is int and isinstance(value, str):
            value = int(value)
        elif sdef.type in (list, dict) and isinstance(value, str):
            value = json.loads(value)
        if not isinstance(value, sdef.type):
            raise TypeError(f"setting {name} takes {sdef.type.__name__}, not {value!r}")
        with self.db.connect() as conn:
            conn.execute(
                text("INSERT OR REPLACE INTO setting(key, value) VALUES (:k, :v)"),
                {"k": name, "v": json.dumps(value, ensure_ascii=False)},
            )

    def all(self) -> dict[str, Any]:
        return {name: self.get(name) for name in SETTINGS}


class State:
    """Small remembered values that are not settings (e.g. the last IMAP UID seen per folder),
    kept in the same table under a ``state:`` prefix."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        with self.db.engine.connect() as conn:
            row = conn.execute(
                text("SELECT value FROM setting WHERE key = :k"), {"k": f"state:{key}"}
            ).first()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        with self.db.connect() as conn:
            conn.execute(
                text("INSERT OR REPLACE INTO setting(key, value) VALUES (:k, :v)"),
                {"k": f"state:{key}", "v": json.dumps(value, ensure_ascii=False)},
            )
