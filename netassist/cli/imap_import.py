"""``netassist import imap://...``: password from the keyring (asked and stored on first use;
asked every time when there is no keyring), incremental state kept per folder."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys

from netassist.cli.context import CliError, Context
from netassist.cli.progressbar import TextProgress
from netassist.core import secrets
from netassist.core.db import Database
from netassist.core.ingest import ImportResult, ingest
from netassist.core.progress import Progress
from netassist.core.records import ImportOptions
from netassist.core.settings import State
from netassist.importers.email_imap import ImapError, ImapTarget, fetch, me_identity, parse_url


def password_for(name: str, account: str) -> str:
    try:
        pw = secrets.get_secret(name)
    except secrets.SecretStoreUnavailable as exc:
        if not sys.stdin.isatty():
            raise CliError(
                f"{exc}; run from a terminal to type the password for {account}"
            ) from exc
        print(f"netassist: {exc}; the password is asked each time.", file=sys.stderr)
        return getpass.getpass(f"Password for {account}: ")
    if pw:
        return pw
    if not sys.stdin.isatty():
        raise CliError(f"no password for {account} in the keyring; run once from a terminal")
    pw = getpass.getpass(f"Password (or app password) for {account}: ")
    try:
        secrets.set_secret(name, pw)
    except secrets.SecretStoreUnavailable as exc:
        # never a file instead: the password is used for this run and asked again next time
        print(f"netassist: {exc}; the password was not saved and is asked each time.",
              file=sys.stderr)  # fmt: skip
        return pw
    print("netassist: saved in the OS keyring", file=sys.stderr)
    return pw


def import_imap(ctx: Context, url: str, opts: ImportOptions, a: argparse.Namespace) -> ImportResult:
    try:
        target = parse_url(url)
    except ImapError as exc:
        raise CliError(str(exc)) from exc
    pw = password_for(target.keyring_name, target.account)
    bar = TextProgress(f"imap {target.folder}") if not a.json else None
    try:
        return run_imap(ctx.db, target, pw, opts, bar, a.cafile, a.dry_run)
    finally:
        if bar:
            bar.done()


def run_imap(db: Database, target: ImapTarget, password: str, opts: ImportOptions,
             progress: Progress | None = None, cafile: str | None = None,
             dry_run: bool = False) -> ImportResult:  # fmt: skip
    """Fetch the messages after the last UID seen, ingest them in one transaction and keep the
    new UID. Shared by ``netassist import imap://`` and the GUI's IMAP dialog (a worker thread:
    plain values only). Never sees a password in its result or the log."""
    me = me_identity(target)
    if me is not None and me not in opts.me_identities:
        opts = dataclasses.replace(opts, me_identities=(*opts.me_identities, me))
    state_store = State(db)
    state = state_store.get(f"imap:{target.state_key}")
    shown = f"imap://{target.account}/{target.folder}"
    try:
        records, result = fetch(target, password, tuple(state) if state else None, opts,
                                progress, cafile)  # fmt: skip
        res = ingest(db, records, source=shown, importer="imap", progress=progress,
                     default_region=opts.default_region, dry_run=dry_run)  # fmt: skip
    except ImapError as exc:
        return ImportResult(file=shown, importer="imap", status="failed", error=str(exc))
    if res.status == "ok" and not dry_run:
        state_store.set(f"imap:{target.state_key}", [result.uidvalidity, result.last_uid])
        if res.touched:
            from netassist.core.scoring import after_import

            after_import(db, res.touched)
    return res
