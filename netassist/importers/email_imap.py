"""IMAP: read a folder of a mail account, incrementally, over TLS.

``imap://user@host[:port]/[folder]`` — implicit TLS (IMAPS) by default; STARTTLS when the port is
143; plaintext only with ``?tls=off`` and only to a loopback address. The password (or an app
password) comes from the OS keyring (``imap:user@host``), never from a file, a log or the database;
without a keyring backend the caller asks each time. Incremental: the folder's UIDVALIDITY and
the last UID seen are kept, and only newer messages are fetched next time. Each fetched message
goes through the same code as a .eml file (``email_message.message_to_records``).
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from netassist.core.progress import NullProgress, Progress, check_cancelled
from netassist.core.records import IdentityRef, ImportOptions, ImportProblem, Record

BATCH = 100


class ImapError(Exception):
    """The account cannot be read: one clear line for the person (never the password)."""


@dataclass(frozen=True)
class ImapTarget:
    user: str
    host: str
    port: int
    folder: str
    tls: str  # "implicit" | "starttls" | "off"

    @property
    def account(self) -> str:
        return f"{self.user}@{self.host}"

    @property
    def keyring_name(self) -> str:
        return f"imap:{self.user}@{self.host}"

    @property
    def state_key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


def parse_url(url: str) -> ImapTarget:
    u = urlsplit(url)
    if u.scheme not in ("imap", "imaps"):
        raise ImapError(f"{url}: not an imap:// address")
    if not u.hostname or not u.username:
        raise ImapError(f"{url}: use imap://user@host[:port]/[folder]")
    if u.password:
        raise ImapError("do not put the password in the address; netassist keeps it in the keyring")
    q = parse_qs(u.query)
    port = u.port or 993
    tls = "implicit" if port != 143 else "starttls"
    if q.get("tls", [""])[0].lower() == "off":
        try:
            loopback = ipaddress.ip_address(socket.gethostbyname(u.hostname)).is_loopback
        except OSError:
            loopback = False
        if not loopback:
            raise ImapError("tls=off is only allowed to this machine (127.0.0.1)")
        tls = "off"
    folder = unquote(u.path.lstrip("/")) or "INBOX"
    return ImapTarget(unquote(u.username), u.hostname, port, folder, tls)


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect(t: ImapTarget, password: str, cafile: str | None = None) -> imaplib.IMAP4:
    ctx = ssl.create_default_context(cafile=cafile)
    try:
        if t.tls == "implicit":
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(t.host, t.port, ssl_context=ctx, timeout=30)
        else:
            conn = imaplib.IMAP4(t.host, t.port, timeout=30)
            if t.tls == "starttls":
                conn.starttls(ssl_context=ctx)
    except ssl.SSLError as exc:
        raise ImapError(f"{t.host}:{t.port}: TLS failed ({exc.reason or exc})") from exc
    except OSError as exc:
        raise ImapError(f"{t.host}:{t.port}: cannot connect ({exc.strerror or exc})") from exc
    try:
        conn.login(t.user, password)
    except imaplib.IMAP4.error as exc:
        conn.logout()
        raise ImapError(f"{t.account}: the server refused the login (wrong password?)") from exc
    return conn


@dataclass
class FetchResult:
    uidvalidity: int
    last_uid: int
    fetched: int = 0


def fetch(
    t: ImapTarget,
    password: str,
    state: tuple[int, int] | None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
    cafile: str | None = None,
) -> tuple[Iterator[Record], FetchResult]:
    """Records of the messages newer than ``state`` (uidvalidity, last uid) and the new state.

    The returned iterator holds the connection open until it is exhausted."""
    from netassist.importers.email_message import message_to_records

    opts = options or ImportOptions()
    progress = progress or NullProgress()
    conn = connect(t, password, cafile)
    typ, _ = conn.select(_quote(t.folder), readonly=True)
    if typ != "OK":
        conn.logout()
        raise ImapError(f"{t.account}: no folder {t.folder!r}")
    uv_raw = conn.untagged_responses.get("UIDVALIDITY", [b"0"])[0]
    uidvalidity = int(uv_raw)
    start = 1
    if state and state[0] == uidvalidity:
        start = state[1] + 1
    typ, data = conn.uid("SEARCH", None, f"UID {start}:*")
    uids = [int(x) for x in (data[0] or b"").split()] if typ == "OK" else []
    uids = [u for u in uids if u >= start]  # "n:*" always matches the last message
    result = FetchResult(uidvalidity, max(uids) if uids else (state[1] if state else 0))
    me = frozenset(r.value.casefold() for r in opts.me_identities if r.kind == "email")

    def records() -> Iterator[Record]:
        try:
            for i in range(0, len(uids), BATCH):
                check_cancelled(progress)
                chunk = uids[i : i + BATCH]
                typ, data = conn.uid("FETCH", ",".join(map(str, chunk)), "(UID BODY.PEEK[])")
                if typ != "OK":
                    yield ImportProblem(f"{t.account}/{t.folder}", "the server refused FETCH")
                    continue
                for item in data:
                    if not isinstance(item, tuple):
                        continue
                    m = re.search(rb"UID (\d+)", item[0])
                    uid = int(m.group(1)) if m else 0
                    where = f"{t.account}/{t.folder} UID {uid}"
                    try:
                        yield from message_to_records(item[1], where, opts, me)
                    except Exception as exc:  # one broken message never sinks the rest
                        yield ImportProblem(where, f"unreadable message ({type(exc).__name__})")
                    result.fetched += 1
                progress.set_progress(min(1.0, (i + len(chunk)) / max(len(uids), 1)),
                                      f"{i + len(chunk)}/{len(uids)}")  # fmt: skip
        finally:
            with contextlib.suppress(Exception):
                conn.logout()

    return records(), result


def me_identity(t: ImapTarget) -> IdentityRef | None:
    """The account's own address, when the user name is one."""
    return IdentityRef("email", t.user) if "@" in t.user else None
