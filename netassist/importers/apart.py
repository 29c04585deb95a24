"""Parsing a large file in a child process while this process resolves and stores its records.

An import is mostly Python: the parse of the file and the resolving of each record both hold the
GIL, so on one process they take turns. When the importer allows it (``Importer.parse_apart``),
the file is big enough to pay for a second interpreter and the machine has a second core, the
parse runs in a child process (``spawn``: safe with the threads this process already runs, the
same on every OS, and what a PyInstaller bundle supports with ``freeze_support``) and sends its
records back in pickled batches. Nothing else changes: the records are the same plain records,
in the same order, ingest stores them in its one transaction, progress and cancel work as before
(a cancelled import stops the child), and an error in the file (``FormatError``) or in the parser
is raised here as if the parse had run in this process.

The child only reads the file: it never opens the database and holds no secrets.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from netassist.core.progress import Progress, check_cancelled
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.records import IdentityRef, ImportedContact, ImportOptions, Record

#: Below this size a child's start (an interpreter and the importer's modules, ~0.3 s) costs
#: more than the parse it would take over.
MIN_BYTES = 8 << 20
#: Records per message: large enough that pickling overhead is small, small enough that the
#: first records arrive at once and memory stays flat.
BATCH = 1000
#: "0": always parse in this process (debugging, profiling); "1": in a child whatever the
#: file's size and the number of cores (tests, the bundle test); unset: when it pays.
ENV = "NETASSIST_PARSE_APART"


def parse_apart_worth_it(imp: Importer, path: Path) -> bool:
    setting = os.environ.get(ENV)
    if not imp.parse_apart or setting == "0":
        return False
    try:
        if not path.is_file():
            return False
        return setting == "1" or ((os.cpu_count() or 1) >= 2 and path.stat().st_size >= MIN_BYTES)
    except OSError:
        return False  # the importer itself says what is wrong with the file


def records_of(imp: Importer, path: Path, options: ImportOptions | None,
               progress: Progress | None) -> Iterator[Record]:  # fmt: skip
    """``imp.parse(path, options, progress)``, in a child process when that pays."""
    if parse_apart_worth_it(imp, path):
        return _parse_in_child(imp, path, options, ensure_progress(progress))
    return imp.parse(path, options, progress)


def _parse_in_child(imp: Importer, path: Path, options: ImportOptions | None,
                    progress: Progress) -> Iterator[Record]:  # fmt: skip
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(type(imp), path, options, send),
                        name=f"parse-{imp.name}", daemon=True)  # fmt: skip
    child.start()
    send.close()  # the child holds the only writing end: EOF here means it is gone
    finished = False
    try:
        while True:
            try:
                kind, payload = pickle.loads(receive.recv_bytes())
            except EOFError:
                raise FormatError(
                    f"{path.name}: the parser stopped without finishing (exit code "
                    f"{_exit_code(child)})"
                ) from None
            if kind == "records":
                check_cancelled(progress)
                yield from decode(payload)
            elif kind == "progress":
                progress.set_progress(*payload)
            elif kind == "error":
                raise payload
            else:  # "done"
                finished = True
                return
    finally:
        receive.close()
        if not finished and child.is_alive():
            child.terminate()  # cancelled, or ingest stopped early: the rest is not wanted
        child.join(timeout=10)


def _exit_code(child: Any) -> object:
    child.join(timeout=5)
    return child.exitcode


# Contacts travel as plain tuples of their fields (identities as tuples too): pickling a
# dataclass goes through __reduce_ex__ and __setstate__ per object, ten times slower to write
# and slower to read than a tuple. Anything else goes as it is.
_CONTACT_FIELDS = tuple(f.name for f in dataclasses.fields(ImportedContact))
_IDENTITIES = _CONTACT_FIELDS.index("identities")
_PROTOCOL = pickle.HIGHEST_PROTOCOL


def encode(batch: list[Record]) -> list[Any]:
    out: list[Any] = []
    for rec in batch:
        if type(rec) is ImportedContact:
            values = [getattr(rec, f) for f in _CONTACT_FIELDS]
            values[_IDENTITIES] = tuple((i.kind, i.value, i.label, i.pref) for i in rec.identities)
            out.append(tuple(values))
        else:
            out.append(rec)
    return out


def decode(items: list[Any]) -> Iterator[Record]:
    for item in items:
        if type(item) is tuple:
            values = list(item)
            values[_IDENTITIES] = tuple(IdentityRef(*i) for i in values[_IDENTITIES])
            yield ImportedContact(*values)
        else:
            yield item


class _PipeProgress:
    """The child's progress: forwarded to the parent when it moved by at least 0.5 %."""

    def __init__(self, send: Any) -> None:
        self.send = send
        self.last = -1.0

    def set_progress(self, fraction: float | None, text: str = "") -> None:
        if fraction is None or fraction - self.last >= 0.005 or fraction >= 1.0:
            self.last = fraction if fraction is not None else self.last
            self.send.send_bytes(pickle.dumps(("progress", (fraction, text))))

    def is_cancelled(self) -> bool:
        return False  # the parent stops the child instead


def _child(cls: type[Importer], path: Path, options: ImportOptions | None, send: Any) -> None:
    """The child process: parse, send batches, then "done" (or the error)."""
    try:
        batch: list[Record] = []
        for rec in cls().parse(path, options, _PipeProgress(send)):
            batch.append(rec)
            if len(batch) >= BATCH:
                send.send_bytes(pickle.dumps(("records", encode(batch)), protocol=_PROTOCOL))
                batch = []
        if batch:
            send.send_bytes(pickle.dumps(("records", encode(batch)), protocol=_PROTOCOL))
        send.send_bytes(pickle.dumps(("done", None)))
    except BrokenPipeError:
        return  # the parent stopped listening (cancelled): nothing left to do
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, raised there
        try:
            msg = pickle.dumps(("error", exc))
            pickle.loads(msg)  # an exception that does not survive the trip is re-made below
        except Exception:  # noqa: BLE001
            msg = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
            send.send_bytes(msg)
    finally:
        send.close()
