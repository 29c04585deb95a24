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
from netassist.core.ingest import ImportResult, ingest
from netassist.core.records import ImportOptions
from netassist.core.settings import State
from netassist.importers.email_imap import ImapError, fetch, me_identity, parse_url


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
    me = me_identity(target)
    if me is not None and me not in opts.me_identities:
        opts = dataclasses.replace(opts, me_identities=(*opts.me_identities, me))
    pw = password_for(target.keyring_name, target.account)
    state_store = State(ctx.db)
    state = state_store.get(f"imap:{target.state_key}")
    bar = TextProgress(f"imap {target.folder}") if not a.json else None
    shown = f"imap://{target.account}/{target.folder}"
    try:
        records, result = fetch(target, pw, tuple(state) if state else None, opts, bar, a.cafile)
        res = ingest(ctx.db, records, source=shown, importer="imap", progress=bar,
                     default_region=opts.default_region, dry_run=a.dry_run)  # fmt: skip
    except ImapError as exc:
        res = ImportResult(file=shown, importer="imap", status="failed", error=str(exc))
        return res
    finally:
        if bar:
            bar.done()
    if res.status == "ok" and not a.dry_run:
        state_store.set(f"imap:{target.state_key}", [result.uidvalidity, result.last_uid])
    return res
