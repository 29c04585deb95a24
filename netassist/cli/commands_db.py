"""db status|encrypt|decrypt|rekey, backup, restore."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from netassist.cli.context import CliError, Context
from netassist.core import backup as bk
from netassist.core import keys
from netassist.core import secrets as sec
from netassist.core.settings import database_path


def register(sub: Any) -> None:
    d = sub.add_parser("db", help="encryption status, encrypt, decrypt or change the key")
    dsub = d.add_subparsers(dest="action", metavar="ACTION", required=True)
    st = dsub.add_parser("status", help="where the database is and whether it is encrypted")
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=db_status)
    for name, helptext in (("encrypt", "encrypt an unencrypted database"),
                           ("rekey", "change the key of an encrypted database")):  # fmt: skip
        p = dsub.add_parser(name, help=helptext)
        p.add_argument("--passphrase", action="store_true",
                       help="use a passphrase you type (or NETASSIST_NEW_PASSPHRASE) instead of"
                       " a random key kept in the OS keyring")  # fmt: skip
        p.set_defaults(handler=db_encrypt if name == "encrypt" else db_rekey)
    de = dsub.add_parser("decrypt", help="store the database unencrypted")
    de.add_argument("--yes", action="store_true")
    de.set_defaults(handler=db_decrypt)
    b = sub.add_parser("backup", help="make a backup now (online, encrypted like the database)")
    b.add_argument("--list", action="store_true", help="list backups instead")
    b.add_argument("--json", action="store_true")
    b.set_defaults(handler=backup_cmd)
    r = sub.add_parser("restore", help="replace the database with a backup (checked first)")
    r.add_argument("backup", type=Path)
    r.add_argument("--yes", action="store_true")
    r.set_defaults(handler=restore_cmd)


def _current_key(ctx: Context) -> str | None:
    return ctx.db and ctx.db._key  # opening resolves (and checks) the key


def db_status(ctx: Context, a: argparse.Namespace) -> int:
    path = database_path(ctx.home)
    enc = keys.is_encrypted(path)
    backend = sec.backend_name()
    source = "none"
    if enc:  # without opening the database (that could ask for the passphrase)
        try:
            source = "keyring" if sec.get_secret(keys.keyring_name(path)) else "passphrase"
        except sec.SecretStoreUnavailable:
            source = "passphrase"
    backups = bk.list_backups(ctx.home)
    info = {
        "home": str(ctx.home), "database": str(path), "exists": path.exists(),
        "encrypted": enc, "key": source, "keyring_available": backend is not None,
        "keyring_backend": backend, "backups": [str(p) for p in backups],
        "backup_folder": str(bk.backups_dir(ctx.home)),
    }  # fmt: skip
    if a.json:
        ctx.out_json(info)
    else:
        key = {"keyring": ", key in the OS keyring", "passphrase": ", with a passphrase"}
        ctx.out(f"database:  {path}{'' if path.exists() else ' (not created yet)'}")
        ctx.out(f"encrypted: {'yes (SQLCipher 4)' + key[source] if enc else 'no'}")
        ctx.out(f"keyring:   {backend or 'not available'}")
        last = f", the last {backups[-1].name}" if backups else ""
        ctx.out(f"backups:   {len(backups)} in {bk.backups_dir(ctx.home)}{last}")
    return 0


def _change(ctx: Context, old: str | None, new: str | None, store: str) -> None:
    """A backup first, then the database, then the backups (``keys.convert``)."""
    keep = int(ctx.settings.get("backup_keep"))
    ctx.close()
    try:
        done = keys.convert(ctx.home, old, new, store, keep)
    except sec.SecretStoreUnavailable as exc:
        raise CliError(f"{exc}; nothing was changed. Use --passphrase to encrypt with a"
                       " passphrase you type instead") from exc  # fmt: skip
    ctx.out(f"backup taken first: {done.backup}")
    if done.backups_rewritten:
        ctx.out(f"{done.backups_rewritten} backup(s) rewritten under the new key")
    if done.backups_left:
        ctx.out(f"{done.backups_left} older backup(s) under another key were left as they are")


def _new_key(a: argparse.Namespace) -> tuple[str, str]:
    if not a.passphrase:
        if not sec.available():
            raise CliError("no OS keyring is available to keep a random key: use --passphrase")
        return keys.new_raw_key(), "keyring"
    p = os.environ.get("NETASSIST_NEW_PASSPHRASE")
    if not p:
        if not sys.stdin.isatty():
            raise CliError("set NETASSIST_NEW_PASSPHRASE or run from a terminal to type it")
        p = getpass.getpass("New passphrase: ")
        if getpass.getpass("Again: ") != p:
            raise CliError("the two passphrases differ")
    if len(p) < 8:
        raise CliError("a passphrase needs at least 8 characters")
    return p, "passphrase"


def db_encrypt(ctx: Context, a: argparse.Namespace) -> int:
    if keys.is_encrypted(database_path(ctx.home)):
        raise CliError("the database is already encrypted (use db rekey to change the key)")
    old = _current_key(ctx)
    new, store = _new_key(a)
    _change(ctx, old, new, store)
    ctx.out(
        f"database encrypted ({'key in the OS keyring' if store == 'keyring' else 'passphrase'})"
    )
    return 0


def db_rekey(ctx: Context, a: argparse.Namespace) -> int:
    if not keys.is_encrypted(database_path(ctx.home)):
        raise CliError("the database is not encrypted (use db encrypt)")
    old = _current_key(ctx)
    new, store = _new_key(a)
    _change(ctx, old, new, store)
    ctx.out("key changed")
    return 0


def db_decrypt(ctx: Context, a: argparse.Namespace) -> int:
    if not keys.is_encrypted(database_path(ctx.home)):
        raise CliError("the database is not encrypted")
    if not a.yes:
        raise CliError("decrypt stores your data readable by anyone with the file: add --yes")
    old = _current_key(ctx)
    _change(ctx, old, None, "none")
    ctx.out("database decrypted")
    return 0


def backup_cmd(ctx: Context, a: argparse.Namespace) -> int:
    if a.list:
        items = [str(p) for p in bk.list_backups(ctx.home)]
        if a.json:
            ctx.out_json(items)
        else:
            for p in items:
                ctx.out(p)
        return 0
    key = _current_key(ctx)
    out = bk.backup_now(ctx.home, key, keep=int(ctx.settings.get("backup_keep")))
    if a.json:
        ctx.out_json({"backup": str(out)})
    else:
        ctx.out(f"backup written: {out}")
    return 0


def restore_cmd(ctx: Context, a: argparse.Namespace) -> int:
    if not a.backup.exists():
        raise CliError(f"{a.backup}: no such file")
    key = _current_key(ctx)
    bk.verify(a.backup, key)
    if not a.yes:
        raise CliError(f"{a.backup.name} is sound; add --yes to replace the current database")
    ctx.close()
    safety = bk.restore(ctx.home, a.backup, key)
    ctx.out(f"restored {a.backup.name}" + (f" (the replaced database is kept as {safety.name})"
                                           if safety else ""))  # fmt: skip
    return 0
