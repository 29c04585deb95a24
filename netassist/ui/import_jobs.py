"""The import wizard's work, Qt-free: expand dropped folders, detect formats, ingest files one
by one with progress and cancel. Runs on the write pool; gets only plain values."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from netassist.core.db import Database
from netassist.core.i18n import _
from netassist.core.ingest import ImportResult
from netassist.core.progress import Progress
from netassist.core.records import IdentityRef, ImportOptions
from netassist.core.settings import Settings
from netassist.importers.base import FormatError, Importer
from netassist.importers.run import import_file

MAX_FILES = 5000  # a dropped home folder should not queue a million files
Detector = Callable[[Path], Importer | None]


@dataclass
class FileJob:
    path: Path
    importer: Importer | None
    error: str = ""  # why it cannot be read at all (unreadable file)


@dataclass
class FileOutcome:
    path: Path
    importer: str
    status: str  # ok / failed / cancelled / unknown / skipped
    result: ImportResult | None = None
    message: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files inside given folders (recursively, hidden ones skipped)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        out.append(Path(root) / f)
                if len(out) >= MAX_FILES:
                    return out[:MAX_FILES]
        elif p.is_file():
            out.append(p)
    return out


def detect_files(paths: Iterable[Path], detect: Detector) -> list[FileJob]:
    jobs = []
    for p in expand_paths(paths):
        try:
            jobs.append(FileJob(p, detect(p)))
        except OSError as exc:
            jobs.append(FileJob(p, None, exc.strerror or str(exc)))
    return jobs


def options_from_settings(db: Database) -> ImportOptions:
    s = Settings(db)
    me_ids = tuple(
        IdentityRef(str(k), str(v)) for k, v in (s.get("me_identities") or []) if k and v
    )
    return ImportOptions(
        me_names=tuple(s.get("me_names") or ()),
        me_identities=me_ids,
        default_region=s.get("default_region") or "RU",
        include_bulk_mail=bool(s.get("include_bulk_mail")),
    )


class _FileProgress:
    """Maps one file's progress into the whole batch's (file i of n)."""

    def __init__(self, outer: Progress, i: int, n: int, name: str) -> None:
        self.outer, self.i, self.n, self.name = outer, i, n, name

    def set_progress(self, fraction: float | None, text: str = "") -> None:
        overall = (self.i + (fraction or 0.0)) / self.n
        label = f"{self.name} ({self.i + 1}/{self.n})" + (f": {text}" if text else "")
        self.outer.set_progress(overall, label)

    def is_cancelled(self) -> bool:
        return self.outer.is_cancelled()


def run_imports(
    db: Database,
    jobs: list[FileJob],
    options: ImportOptions,
    progress: Progress,
    per_file: dict[Path, ImportOptions] | None = None,
) -> list[FileOutcome]:
    """Import ``jobs`` in order; ``per_file`` overrides the options of some files (the "me"
    the user chose for each chat)."""
    out: list[FileOutcome] = []
    n = max(1, len(jobs))
    for i, job in enumerate(jobs):
        if progress.is_cancelled():
            out.append(
                FileOutcome(
                    job.path, "", "skipped", message=_("Cancelled before this file was read.")
                )
            )
            continue
        if job.importer is None:
            out.append(FileOutcome(job.path, "", "unknown",
                                   message=job.error or _("No importer recognises this file.")))  # fmt: skip
            continue
        imp = job.importer
        opts = (per_file or {}).get(job.path, options)
        fp = _FileProgress(progress, i, n, job.path.name)
        fp.set_progress(0.0)
        try:
            res = import_file(db, imp, job.path, opts, fp, source=str(job.path))
        except (FormatError, OSError) as exc:
            out.append(FileOutcome(job.path, imp.name, "failed", message=str(exc)))
            continue
        if res.status != "ok" and res.error and "FormatError" in res.error:
            res.error = res.error.split(": ", 1)[-1]
        out.append(FileOutcome(job.path, imp.name, res.status, res, res.error or "",
                               list(res.problems)))  # fmt: skip
    progress.set_progress(1.0, "")
    return out
