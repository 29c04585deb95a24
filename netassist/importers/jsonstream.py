"""Streaming reader for big JSON exports (Telegram Desktop's result.json can be gigabytes).

The file is memory-mapped, never loaded whole. A small token walker reads the *skeleton*
(top-level keys, chat headers) and hands each large array to :meth:`Walker.array_batches`, which
parses it in batches of a few MB with orjson: exporters pretty-print one item per block
(``\\n<indent>{ ... \\n<indent>}``), so batch boundaries are found with ``bytes.find`` and each
batch is ONE ``orjson.loads`` call. Measured on a 493 MB, 1M-message export: about as fast as
ijson's yajl2_c backend (4.4 s vs 4.6 s CPU just to build the message dicts; both are dominated by
creating Python objects), and chosen over it because it holds the raw bytes of each batch: the
exporter bugs below can be repaired, and one broken message is skipped instead of the whole
export failing. Pages already parsed are dropped from the process with ``madvise(MADV_DONTNEED)``.

Exporter bugs are repaired on the fly (nothing is lost, nothing reported):
  * raw control characters inside strings (Telegram Desktop writes \\x00..\\x1f unescaped);
  * bare, unquoted values such as ``"document_id": video_files/sticker.webm`` (tdesktop #24961).
A batch that still fails is split into single items; an item that cannot be parsed is reported
through ``on_bad(offset, reason)`` and skipped.
"""

from __future__ import annotations

import contextlib
import mmap
import re
from collections.abc import Callable, Iterator
from typing import Any

import orjson

BATCH = 4 << 20
MAX_DEPTH = 200

# One token of the skeleton: string | punctuation | scalar | any other bare run (bug).
_TOKEN = re.compile(
    rb'[ \t\r\n]*(?:("(?:[^"\\]|\\.)*")|([{}\[\],:])|(-?\d[\d.eE+\-]*|true|false|null)'
    rb'|([^\s,:{}\[\]"][^,\n}\]]*))',
    re.S,
)
_WS = re.compile(rb"[ \t\r\n]*")
_CTRL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)  # every string, left to right: stays aligned
# "key": <bare value up to the line end>   (not a string, number, literal, object or array)
_BARE_VALUE = re.compile(
    rb'("[^"\n]{1,64}"[ \t]*+:[ \t]*+)'
    rb'(?!"|-?\d[\d.eE+\-]*[ \t]*[,\r\n}\]]|(?:true|false|null)[ \t]*[,\r\n}\]]|[\[{])'
    rb"([^\s][^\r\n]*?)([ \t]*,?[ \t]*\r?\n)"
)


class JsonSyntaxError(ValueError):
    pass


def _escape_ctrl(m: re.Match[bytes]) -> bytes:
    return (
        _CTRL.sub(lambda c: b"\\u%04x" % c.group()[0], m.group())
        .replace(b"\t", b"\\t")
        .replace(b"\n", b"\\n")
        .replace(b"\r", b"\\r")
    )


def _quote_bare(m: re.Match[bytes]) -> bytes:
    raw = m.group(2).rstrip()
    return m.group(1) + orjson.dumps(raw.decode("utf-8", "replace")) + m.group(3)


def repair(data: bytes) -> bytes:
    """Fix the two known exporter bugs in a JSON fragment (see module doc)."""
    if _CTRL.search(data) or b"\t" in data:
        data = _STRING.sub(_escape_ctrl, data)
    return _BARE_VALUE.sub(_quote_bare, data)


def loads_lenient(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return orjson.loads(repair(data))


class Walker:
    """Token-level access to a memory-mapped JSON document."""

    def __init__(self, path: str) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 - closed in close()
        try:
            self.buf: mmap.mmap | bytes = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # empty file
            self.buf = b""
        self.size = len(self.buf)
        self._released = 0
        # Where the document starts: after a UTF-8 byte order mark, which an editor may add.
        self.start = 3 if self.buf[:3] == b"\xef\xbb\xbf" else 0

    def close(self) -> None:
        if isinstance(self.buf, mmap.mmap):
            self.buf.close()
        self._fh.close()

    def release_before(self, pos: int) -> None:
        """Let the kernel drop the pages already parsed (keeps RSS flat on huge files)."""
        if not isinstance(self.buf, mmap.mmap):
            return
        upto = (pos // mmap.PAGESIZE) * mmap.PAGESIZE
        if upto - self._released >= (64 << 20):
            with contextlib.suppress(OSError, AttributeError, ValueError):
                self.buf.madvise(mmap.MADV_DONTNEED, self._released, upto - self._released)
            self._released = upto

    def find_dropping(self, needle: bytes, start: int) -> int:
        """``buf.find(needle, start)`` that lets the kernel drop the pages it has scanned: a scan
        to the end of a huge array would otherwise map the whole file into the process (the
        pages stay in the page cache; parsing them later faults them back in cheaply)."""
        if not isinstance(self.buf, mmap.mmap):
            return self.buf.find(needle, start)
        window = 32 << 20
        pos = start
        while pos < self.size:
            end = min(self.size, pos + window + len(needle))
            at = self.buf.find(needle, pos, end)
            self._drop(pos, at if at >= 0 else end - len(needle))
            if at >= 0:
                return at
            pos += window
        return -1

    def _drop(self, start: int, end: int) -> None:
        page = mmap.PAGESIZE
        lo = -(-start // page) * page  # whole pages inside [start, end) only
        hi = (end // page) * page
        if hi - lo >= (1 << 20) and isinstance(self.buf, mmap.mmap):
            with contextlib.suppress(OSError, AttributeError, ValueError):
                self.buf.madvise(mmap.MADV_DONTNEED, lo, hi - lo)

    def token(self, pos: int) -> tuple[bytes, int, int]:
        """(kind, start, end): kind is b'"' string, a punctuation byte, b"s" scalar, b"?" a bare
        run (exporter bug), b"" at the end of the data."""
        m = _TOKEN.match(self.buf, pos)
        if m is None:
            w = _WS.match(self.buf, pos)
            end = w.end() if w else pos
            if end >= self.size:
                return b"", self.size, self.size
            raise JsonSyntaxError(f"unexpected byte at offset {end}")
        if m.group(1) is not None:
            return b'"', m.start(1), m.end(1)
        if m.group(2) is not None:
            return m.group(2), m.start(2), m.end(2)
        if m.group(3) is not None:
            return b"s", m.start(3), m.end(3)
        return b"?", m.start(4), m.end(4)

    def string_at(self, start: int, end: int) -> str:
        return loads_lenient(self.buf[start:end])  # type: ignore[no-any-return]

    def skip_value(self, pos: int) -> int:
        """Position after the value starting at ``pos`` (object/array skipped token by token)."""
        kind, start, end = self.token(pos)
        if kind not in (b"{", b"["):
            if kind == b"":
                raise JsonSyntaxError("unexpected end of data")
            return end
        depth = 1
        pos = end
        while depth:
            kind, start, pos = self.token(pos)
            if kind in (b"{", b"["):
                depth += 1
                if depth > MAX_DEPTH:
                    raise JsonSyntaxError(f"nesting deeper than {MAX_DEPTH} at offset {start}")
            elif kind in (b"}", b"]"):
                depth -= 1
            elif kind == b"":
                raise JsonSyntaxError("unexpected end of data inside a value")
        return pos

    def value(self, pos: int) -> tuple[Any, int]:
        """Parse the (small) value at ``pos``; returns (value, position after it)."""
        kind, start, _ = self.token(pos)
        end = self.skip_value(pos)
        return loads_lenient(bytes(self.buf[start:end]).strip()), end

    def members(self, pos: int) -> Members:
        return Members(self, pos)

    def elements(self, pos: int) -> Elements:
        return Elements(self, pos)

    def array_batches(self, pos: int, on_bad: Callable[[int, str], None]) -> Batches:
        return Batches(self, pos, on_bad)

    def _batches(
        self, pos: int, on_bad: Callable[[int, str], None], out: Batches
    ) -> Iterator[list[Any]]:
        buf = self.buf
        kind, _, after_bracket = self.token(pos)
        if kind != b"[":
            raise JsonSyntaxError(f"expected an array at offset {pos}")
        kind, first, _ = self.token(after_bracket)
        if kind == b"]":
            out.end = self.token(after_bracket)[2]
            return
        line_start = buf.rfind(b"\n", after_bracket, first) + 1
        indent = bytes(buf[line_start:first]) if line_start > 0 else b""
        if kind != b"{" or line_start == 0 or indent.strip(b" \t"):
            yield from self._iter_items_slow(pos, on_bad, out)
            return
        # The last element is the first "\n<indent>}" NOT followed by a comma; found with
        # bytes.find (a fast C search), then checked to be followed by "]".
        last = b"\n" + indent + b"}"
        close = re.compile(rb"[ \t\r\n]*\]")
        at = first
        while True:
            at = self.find_dropping(last, at)
            if at < 0:
                yield from self._iter_items_slow(pos, on_bad, out)
                return
            after = at + len(last)
            if buf[after : after + 1] == b",":
                at = self.find_dropping(b"\n" + indent + b"}\n", after)  # skip to a block end
                at = at if at >= 0 else after
                continue
            m = close.match(buf, after)
            if m is not None:
                break
            at = after
        last_end = after  # just after the last element's "}"
        sep = b"\n" + indent + b"},"
        start = first
        while start < last_end:
            cut = buf.find(sep, start + BATCH, last_end) if start + BATCH < last_end else -1
            end = last_end if cut < 0 else cut + len(sep) - 1
            chunk = buf[start:end]
            try:
                items = orjson.loads(b"[" + chunk + b"]")
            except orjson.JSONDecodeError:
                items = self._parse_hard(chunk, start, sep, on_bad)
            yield items
            start = end + 1 if cut >= 0 else last_end
            self.release_before(start)
        out.end = m.end()  # after the array's "]"

    def _parse_hard(
        self, chunk: bytes, offset: int, sep: bytes, on_bad: Callable[[int, str], None]
    ) -> list[Any]:
        try:
            return orjson.loads(b"[" + repair(chunk) + b"]")  # type: ignore[no-any-return]
        except orjson.JSONDecodeError:
            pass
        out: list[Any] = []
        pos = 0
        while pos < len(chunk):
            cut = chunk.find(sep, pos)
            end = len(chunk) if cut < 0 else cut + len(sep) - 1
            piece = chunk[pos:end]
            try:
                out.append(loads_lenient(piece))
            except orjson.JSONDecodeError as e:
                on_bad(offset + pos, f"unreadable JSON ({str(e).split(':')[0]})")
            pos = end + 1
        return out

    def _iter_items_slow(
        self, pos: int, on_bad: Callable[[int, str], None], out: Batches
    ) -> Iterator[list[Any]]:
        """Arrays not laid out one element per block (minified files): token-walk each one."""
        batch: list[Any] = []
        elements = self.elements(pos)
        for start in elements:
            end = self.skip_value(start)
            elements.resume = end
            try:
                batch.append(loads_lenient(bytes(self.buf[start:end])))
            except orjson.JSONDecodeError as e:
                on_bad(start, f"unreadable JSON ({str(e).split(':')[0]})")
            if len(batch) >= 2000:
                yield batch
                batch = []
        if batch:
            yield batch
        out.end = elements.end


class Members:
    """Iterate (key, value position) over the object at ``pos``. Set :attr:`resume` to the
    position after a value you read yourself; otherwise it is skipped. :attr:`end` is the
    position after the object once the iteration is over."""

    def __init__(self, walker: Walker, pos: int) -> None:
        self.w = walker
        self.pos = pos
        self.resume: int | None = None
        self.end = pos

    def __iter__(self) -> Iterator[tuple[str, int]]:
        w = self.w
        kind, start, pos = w.token(self.pos)
        if kind != b"{":
            raise JsonSyntaxError(f"expected an object at offset {start}")
        while True:
            kind, start, end = w.token(pos)
            if kind == b"}":
                self.end = end
                return
            if kind == b",":
                pos = end
                continue
            if kind != b'"':
                raise JsonSyntaxError(f"expected a key at offset {start}")
            key = w.string_at(start, end)
            kind, _, pos = w.token(end)
            if kind != b":":
                raise JsonSyntaxError(f"expected ':' at offset {end}")
            self.resume = None
            yield key, pos
            pos = self.resume if self.resume is not None else w.skip_value(pos)


class Elements:
    """Iterate the start position of each element of the array at ``pos`` (see Members)."""

    def __init__(self, walker: Walker, pos: int) -> None:
        self.w = walker
        self.pos = pos
        self.resume: int | None = None
        self.end = pos

    def __iter__(self) -> Iterator[int]:
        w = self.w
        kind, start, pos = w.token(self.pos)
        if kind != b"[":
            raise JsonSyntaxError(f"expected an array at offset {start}")
        while True:
            kind, start, end = w.token(pos)
            if kind == b"]":
                self.end = end
                return
            if kind == b",":
                pos = end
                continue
            if kind == b"":
                raise JsonSyntaxError("unexpected end of data inside an array")
            self.resume = None
            yield start
            pos = self.resume if self.resume is not None else w.skip_value(start)


class Batches:
    """Iterate lists of parsed elements of a big array; :attr:`end` as for Members."""

    def __init__(self, walker: Walker, pos: int, on_bad: Callable[[int, str], None]) -> None:
        self.w = walker
        self.pos = pos
        self.on_bad = on_bad
        self.end = pos

    def __iter__(self) -> Iterator[list[Any]]:
        return self.w._batches(self.pos, self.on_bad, self)
