"""A small MIME walker that decodes only what an importer needs from a message body.

It finds the text parts (text/plain preferred, text/html as a fallback), counts attachments
without decoding them and collects text/calendar invitations. Boundaries are found with a regex
over the body bytes, so a message with a 20 MB attachment costs one scan, not a base64 decode.
Depth and part counts are capped so hostile nesting cannot exhaust the stack or memory.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

from netassist.importers.email_headers import (
    Headers,
    ctype_params,
    first,
    header_str,
    parse_headers,
    split_head_body,
)
from netassist.importers.email_text import decode_bytes, unflow

MAX_DEPTH = 24
MAX_PARTS = 500
_BINARY_TYPES = ("image/", "audio/", "video/", "application/", "message/", "model/")
MAX_TEXT_BYTES = 2_000_000  # a "text" part larger than this is a dump, not something written


@dataclass(slots=True)
class BodyInfo:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: int = 0
    calendars: list[bytes] = field(default_factory=list)
    report: bool = False  # multipart/report: a bounce or read receipt
    parts: int = 0


def decode_transfer(data: bytes, cte: str) -> bytes:
    cte = cte.strip().lower()
    if cte == "base64":
        cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
        cleaned = cleaned[: len(cleaned) // 4 * 4] if len(cleaned) % 4 == 1 else cleaned
        cleaned += b"=" * (-len(cleaned) % 4)
        try:
            return binascii.a2b_base64(cleaned)
        except binascii.Error:
            return b""
    if cte in ("quoted-printable", "quoted_printable", "qp"):
        return binascii.a2b_qp(data.replace(b"\r\n", b"\n"))
    return data


def _split_multipart(body: bytes, boundary: bytes) -> list[bytes]:
    """Parts between "--boundary" lines; the preamble and epilogue are dropped.

    Plain ``find`` rather than a regex per boundary: compiling one per message costs more than
    the whole scan.
    """
    marker = b"--" + boundary
    parts: list[bytes] = []
    start: int | None = None
    pos = 0
    n = len(body)
    while True:
        i = body.find(marker, pos)
        if i < 0:
            break
        pos = i + len(marker)
        if i > 0 and body[i - 1 : i] != b"\n":
            continue  # not at the start of a line
        closing = body[pos : pos + 2] == b"--"
        after = pos + 2 if closing else pos
        eol = body.find(b"\n", after)
        eol = n if eol < 0 else eol
        if body[after:eol].strip():
            continue  # "--boundaryXYZ": a longer boundary of a nested part
        if start is not None:
            end = i - 1 if i > 0 else i
            if end > start and body[end - 1 : end] == b"\r":
                end -= 1
            parts.append(body[start : max(start, end)])
            if len(parts) >= MAX_PARTS:
                return parts
        if closing:
            return parts
        start = min(n, eol + 1)
    if start is not None and start < n:
        parts.append(body[start:])  # missing closing delimiter: the part runs to the end
    return parts


def _guess_boundary(body: bytes) -> bytes | None:
    m = re.search(rb"^--([^\s]{1,200})\s*$", body[:65536], re.M)
    return m.group(1) if m else None


def walk(
    h: Headers, body: bytes, info: BodyInfo, depth: int = 0, default: str = "text/plain"
) -> None:
    """Collect text, attachments and calendars of one MIME entity (headers already parsed)."""
    info.parts += 1
    if depth > MAX_DEPTH or info.parts > MAX_PARTS:
        return
    ctype_raw = first(h, "content-type")
    ctype, params = ctype_params(header_str(ctype_raw)) if ctype_raw else (default, {})
    if "/" not in ctype:
        ctype = default
    disp_raw = first(h, "content-disposition")
    disp, dparams = ctype_params(header_str(disp_raw)) if disp_raw else ("", {})
    named = any(k.startswith(("filename", "name")) for k in (*dparams, *params))

    if ctype.startswith("multipart/"):
        if ctype == "multipart/report":
            info.report = True
        boundary_s = params.get("boundary")
        boundary = boundary_s.encode("latin-1", "replace") if boundary_s else _guess_boundary(body)
        parts = _split_multipart(body, boundary) if boundary else []
        if not parts:
            # Declared multipart without usable parts: read the body as plain text.
            _add_text(info, body, "text/plain", params, first(h, "content-transfer-encoding"))
            return
        child_default = "message/rfc822" if ctype == "multipart/digest" else "text/plain"
        if ctype == "multipart/alternative":
            _walk_alternative(parts, info, depth, child_default)
        elif ctype == "multipart/signed":
            # The first part is the content, the second the signature (not an attachment).
            ph, pb = split_head_body(parts[0])
            walk(parse_headers(ph), pb, info, depth + 1, child_default)
        elif ctype == "multipart/encrypted":
            return
        else:
            for part in parts:
                ph, pb = split_head_body(part)
                walk(parse_headers(ph), pb, info, depth + 1, child_default)
        return

    if ctype == "text/calendar":
        data = decode_transfer(body, header_str(first(h, "content-transfer-encoding")))
        info.calendars.append(data)
        if disp == "attachment" or named:
            info.attachments += 1
        return
    if disp == "attachment" or (named and ctype not in ("text/plain", "text/html")):
        info.attachments += 1
        return
    if ctype in ("text/plain", "text/html") and not (named and disp != "inline"):
        _add_text(info, body, ctype, params, first(h, "content-transfer-encoding"))
        return
    # Inline images (cid:) of HTML mail are not attachments a person sent on purpose.
    inline_image = ctype.startswith("image/") and disp != "attachment" and first(h, "content-id")
    if ctype.startswith(_BINARY_TYPES) and not inline_image:
        info.attachments += 1


def _walk_alternative(parts: list[bytes], info: BodyInfo, depth: int, default: str) -> None:
    """Walk each alternative into its own BodyInfo; keep the first with real plain text, else the
    first with HTML (senders put whitespace-only text/plain next to the real HTML)."""
    subs: list[BodyInfo] = []
    for part in parts:
        ph, pb = split_head_body(part)
        sub = BodyInfo(parts=info.parts)
        walk(parse_headers(ph), pb, sub, depth + 1, default)
        info.parts = sub.parts
        info.calendars.extend(sub.calendars)
        info.report = info.report or sub.report
        subs.append(sub)
    best = next((s for s in subs if any(t.strip() for t in s.plain)), None)
    best = best or next((s for s in subs if any(t.strip() for t in s.html)), None)
    best = best or (subs[0] if subs else None)
    if best is not None:
        info.plain.extend(best.plain)
        info.html.extend(best.html)
        info.attachments += best.attachments


def _add_text(
    info: BodyInfo, body: bytes, ctype: str, params: dict[str, str], cte_raw: bytes | None
) -> None:
    data = decode_transfer(body[:MAX_TEXT_BYTES], header_str(cte_raw))
    text = decode_bytes(data, params.get("charset")).replace("\r\n", "\n").replace("\r", "\n")
    if ctype == "text/html":
        info.html.append(text)
        return
    if params.get("format", "").lower() == "flowed":
        text = unflow(text, params.get("delsp", "").lower() == "yes")
    info.plain.append(text)
