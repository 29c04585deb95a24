"""One file through an importer into the database, as the CLI and the window both do it: the
parse (in a child process when that pays, see ``apart``), ingest in one transaction, then the
contacts it touched rescored and their duplicate candidates refreshed; the cyclic garbage
collector paused throughout (see ``netassist.core.gcpause``)."""

from __future__ import annotations

from pathlib import Path

from netassist.core.db import Database
from netassist.core.gcpause import gc_paused
from netassist.core.ingest import ImportResult, ingest
from netassist.core.progress import Progress
from netassist.importers.apart import records_of
from netassist.importers.base import Importer
from netassist.importers.records import ImportOptions


def import_file(db: Database, imp: Importer, path: Path, options: ImportOptions,
                progress: Progress | None, *, source: str, dry_run: bool = False) -> ImportResult:  # fmt: skip
    with gc_paused():  # about a tenth of a big import's CPU otherwise
        res = ingest(db, records_of(imp, path, options, progress), source=source,
                     importer=imp.name, progress=progress,
                     default_region=options.default_region, dry_run=dry_run)  # fmt: skip
        if res.status == "ok" and not dry_run and res.touched:
            from netassist.core.scoring import after_import

            after_import(db, res.touched)
    return res
