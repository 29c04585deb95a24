"""Rotating backups with SQLite's online backup API, encrypted like the database.

``backup_now`` copies the live database (readers and writers may go on) into
``<home>/backups/netassist-YYYYmmdd-HHMMSS.db`` under the same key, checks the copy's integrity
and keeps the newest ``keep``. ``restore`` checks a backup's integrity before it replaces the
database (the replaced database is itself kept as a backup first).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from netassist.core.db import DatabaseError, raw_connect
from netassist.core.i18n import _, ngettext
from netassist.core.settings import database_path

PREFIX = "netassist-"


def backups_dir(home: Path) -> Path:
    return home / "backups"


def list_backups(home: Path) -> list[Path]:
    d = backups_dir(home)
    return sorted(d.glob(f"{PREFIX}*.db")) if d.is_dir() else []


def _copy(src_path: Path, src_key: str | None, dst_path: Path, dst_key: str | None) -> None:
    src = raw_connect(src_path, src_key)
    tmp = dst_path.with_name(dst_path.name + ".part")
    if tmp.exists():
        tmp.unlink()
    try:
        dst = raw_connect(tmp, dst_key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseError(f"the copy in {tmp} failed its integrity check")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, dst_path)


def backup_now(home: Path, key: str | None, keep: int = 7, tag: str = "") -> Path:
    d = backups_dir(home)
    d.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = d / f"{PREFIX}{stamp}{('-' + tag) if tag else ''}.db"
    n = 1
    while out.exists():
        n += 1
        out = d / f"{PREFIX}{stamp}-{n}{('-' + tag) if tag else ''}.db"
    _copy(database_path(home), key, out, key)
    rotate(home, keep)
    return out


def rotate(home: Path, keep: int) -> list[Path]:
    olds = list_backups(home)[: -keep or None] if keep > 0 else []
    for p in olds:
        p.unlink(missing_ok=True)
    return olds


def backup_due(home: Path, every_s: int = 86400) -> bool:
    bs = list_backups(home)
    return not bs or time.time() - bs[-1].stat().st_mtime >= every_s


@dataclass
class AgeOut:
    """What "forget" tells the person about backups made before it."""

    count: int  # backups that still hold the forgotten data
    until: date | None  # the day the newest of them rotates out (None: there are none)
    folder: Path
    oldest: date | None = None  # the day the oldest of them was made
    keep: int = 7

    def sentence(self) -> str:
        """For the CLI (English, names the CLI's option)."""
        if not self.count or self.until is None:
            return "no backup holds them"
        return (
            f"{self.count} backup(s) made before now (the oldest on {self.oldest}) still hold"
            f" them until they rotate out (the newest {self.keep} are kept), by"
            f" {self.until.isoformat()} if netassist makes its daily backup each day; delete"
            f" the files in {self.folder} (or run 'netassist forget --purge-backups') to erase"
            " them sooner"
        )

    def describe(self) -> str:
        """The same for the GUI, in the person's language."""
        if not self.count or self.until is None:
            return _("No backup holds them.")
        one = ngettext(
            "%d backup made before now (on {oldest}) still holds them. Backups rotate out (the "
            "newest {keep} are kept), so it is gone by {until} if netassist runs each day. To "
            "erase it sooner, delete the files in {folder}.",
            "%d backups made before now (the oldest on {oldest}) still hold them. Backups rotate "
            "out (the newest {keep} are kept), so they are gone by {until} if netassist runs "
            "each day. To erase them sooner, delete the files in {folder}.",
            self.count,
        )
        template = one % self.count  # before format(): a folder may hold a "%"
        return template.format(oldest=self.oldest, keep=self.keep, until=self.until,
                               folder=self.folder)  # fmt: skip


def backups_age_out(home: Path, keep: int, every_s: int = 86400) -> AgeOut:
    """When every existing backup will have rotated out. Rotation keeps the newest ``keep``
    files and a backup is made at most once per ``every_s``, so the newest existing backup is
    gone after ``keep`` more backups: ``keep`` days after it was made, at the earliest (later when
    netassist does not run every day)."""
    bs = list_backups(home)
    if not bs:
        return AgeOut(0, None, backups_dir(home), None, keep)
    times = [p.stat().st_mtime for p in bs]
    until = datetime.fromtimestamp(max(times) + max(keep, 1) * every_s).date()
    oldest = datetime.fromtimestamp(min(times)).date()
    return AgeOut(len(bs), until, backups_dir(home), oldest, keep)


def purge_backups(home: Path) -> int:
    """Delete every backup now (after a forget, when the person wants them gone at once)."""
    bs = list_backups(home)
    for p in bs:
        p.unlink(missing_ok=True)
    return len(bs)


def verify(path: Path, key: str | None) -> None:
    try:
        conn = raw_connect(path, key)
    except DatabaseError as exc:
        raise DatabaseError(f"{path.name} cannot be opened with this key: {exc}") from exc
    try:
        res = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    if res != "ok":
        raise DatabaseError(f"{path.name} is damaged: {res}")
    if not {"contact", "interaction", "alembic_version"} <= tables:
        raise DatabaseError(f"{path.name} is not a netassist database")


def restore(home: Path, backup: Path, key: str | None) -> Path | None:
    """Replace the database with ``backup`` after checking it; returns the safety copy made of
    the database that was replaced (None if there was none)."""
    verify(backup, key)
    db = database_path(home)
    safety = None
    if db.exists():
        safety = backup_now(home, key, keep=10_000, tag="before-restore")
    tmp = db.with_name(db.name + ".restore")
    _copy(backup, key, tmp, key)
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            side.unlink()
    os.replace(tmp, db)
    return safety
