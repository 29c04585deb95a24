"""The one small importer interface (after beangulp's Importer).

An importer says how likely a file is its format (``sniff``) and turns the file into plain
records (``parse``). It never touches the database: ``netassist.core.ingest`` does, in one
transaction. One bad record is yielded as an :class:`ImportProblem`; the rest go on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from netassist.core.progress import NullProgress, Progress
from netassist.importers.records import ImportOptions, Record

HEAD_BYTES = 64 * 1024


class FormatError(Exception):
    """The whole file is unreadable as this format (not one bad record: that is a problem)."""


class Importer(ABC):
    #: short id used in import runs, CLI output and ``--format``
    name: ClassVar[str]
    #: human label for the import wizard
    label: ClassVar[str]
    #: glob patterns of file names this importer usually reads (a tie-breaker for sniff)
    patterns: ClassVar[tuple[str, ...]] = ()
    #: does this importer need to know who "me" is to set directions (WhatsApp)?
    needs_me: ClassVar[bool] = False
    #: may ``parse`` run in a child process (``netassist.importers.apart``)? Only when it keeps
    #: no state that callers read after parsing and everything it yields pickles.
    parse_apart: ClassVar[bool] = False

    @abstractmethod
    def sniff(self, path: Path, head: bytes) -> int:
        """0 (not mine) to 100 (certainly mine), judged from content first, then the name.

        ``head`` is the first HEAD_BYTES of the file.
        """

    @abstractmethod
    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        """Yield records. Raise FormatError only when nothing in the file can be read."""


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def ensure_progress(progress: Progress | None) -> Progress:
    return progress if progress is not None else NullProgress()
