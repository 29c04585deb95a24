"""Logging that cannot leak: log files and crash reports carry no message text, addresses,
names or secrets.

Modules log counts and exception *types* only (never ``%s`` of user data). The one way user
data could still slip in is an exception's message inside a logged traceback (a parser error
quoting a line, an IMAP error naming the account, a SQL error quoting a value): the
:class:`SafeFormatter` therefore writes tracebacks as exception types and code locations only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import traceback
from pathlib import Path
from types import TracebackType

LOG_NAME = "netassist.log"
_OURS = "_netassist_safe_handler"


def _type_name(exc: BaseException) -> str:
    t = type(exc)
    mod = t.__module__
    return t.__qualname__ if mod in ("builtins", "__main__") else f"{mod}.{t.__qualname__}"


def describe_exception(exc: BaseException) -> str:
    """A traceback without messages: each exception of the chain as its type and the places
    (file, line, function) it passed through."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        chain.append(cur)
        cur = cur.__cause__ or (None if cur.__suppress_context__ else cur.__context__)
    parts: list[str] = []
    for e in reversed(chain):
        if parts:
            parts.append("which led to:")
        parts.append("Traceback (message withheld: it may quote personal data):")
        tb: TracebackType | None = e.__traceback__
        for fr in traceback.extract_tb(tb):
            parts.append(f'  File "{fr.filename}", line {fr.lineno}, in {fr.name}')
        parts.append(_type_name(e))
    return "\n".join(parts)


class SafeFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def,override]
        exc = ei[1]
        if exc is None:
            return ""
        return describe_exception(exc)


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def level_from_env(default: int = logging.INFO) -> int:
    """``NETASSIST_LOG_LEVEL=DEBUG`` (or INFO, WARNING...) for a more talkative log."""
    name = os.environ.get("NETASSIST_LOG_LEVEL", "").upper()
    value = logging.getLevelName(name) if name else default
    return value if isinstance(value, int) else default


def log_to_home(home: Path, level: int | None = None) -> Path:
    """Send the ``netassist`` loggers to ``<home>/logs/netassist.log`` through a SafeFormatter.
    Re-pointed (not duplicated) when called again with another home."""
    path = home / "logs" / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("netassist")
    for h in list(root.handlers):
        if getattr(h, _OURS, False):
            if isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path.resolve():
                root.setLevel(level if level is not None else level_from_env())
                return path
            root.removeHandler(h)
            h.close()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(SafeFormatter(FORMAT))
    setattr(handler, _OURS, True)
    root.addHandler(handler)
    root.setLevel(level if level is not None else level_from_env())
    return path


def safe_stderr_logging(level: int = logging.WARNING) -> None:
    """The GUI's console output: warnings and up, tracebacks without messages."""
    h = logging.StreamHandler()
    h.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[h])


def install_excepthook() -> None:
    """Crash reports without messages: an exception nobody caught (in a Qt slot, the main
    thread or another thread) goes to the log and to stderr as types and code locations only,
    not as Python's default traceback, whose last line quotes the exception's message."""
    import sys
    import threading

    log = logging.getLogger("netassist.crash")

    def report(exc: BaseException | None) -> None:
        if exc is None:
            return
        log.error("uncaught %s", _type_name(exc), exc_info=(type(exc), exc, exc.__traceback__))
        # no console in a windowed build: sys.stderr is None or closed
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(describe_exception(exc) + "\n")

    def hook(_t: type[BaseException], exc: BaseException, _tb: TracebackType | None) -> None:
        report(exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        report(args.exc_value)

    sys.excepthook = hook
    threading.excepthook = thread_hook
