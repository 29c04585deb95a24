"""import PATH... — detect the format per file, ingest each file in one transaction."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from netassist.cli import me_question
from netassist.cli.context import CliError, Context
from netassist.cli.me_question import MeTap
from netassist.cli.progressbar import TextProgress
from netassist.core.ingest import ImportResult
from netassist.core.records import IdentityRef, ImportOptions
from netassist.importers import IMPORTERS, FormatError, Importer, detect, importer_by_name
from netassist.importers.me_scan import me_identity
from netassist.importers.run import import_file
from netassist.importers.walk import Found, UnsafeArchive, expand


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import address books, chats, mail and calendars")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, folders, .zip, or imap://user@host[:port]/[folder]")  # fmt: skip
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument("--dry-run", action="store_true", help="read and resolve, keep nothing")
    p.add_argument("--me", action="append", default=[], metavar="NAME",
                   help="you, as you appear in chats and logs: your name, or your phone number"
                        " or e-mail address (repeat for several)")  # fmt: skip
    p.add_argument("--format", dest="fmt", help="skip detection and use this importer")
    p.add_argument("--cafile", help="IMAP: trust this CA certificate file (self-hosted servers)")
    p.add_argument("--include-bulk", action="store_true",
                   help="also import mailing lists and no-reply senders")  # fmt: skip
    p.set_defaults(handler=import_cmd)
    register_duplicates(sub)


def _options(ctx: Context, a: argparse.Namespace) -> ImportOptions:
    s = ctx.settings
    given = [m for m in a.me if m.strip()]
    ids = [me_identity(m) for m in given]
    # --me replaces the saved names; a number stays a name too (WhatsApp shows people not in
    # the address book by their number), an address does not
    if given:
        me_names = tuple(
            m for m, i in zip(given, ids, strict=True) if i is None or i.kind == "phone"
        )
    else:
        me_names = tuple(s.get("me_names"))
    me_ids = (*(i for i in ids if i), *(IdentityRef(k, v) for k, v in s.get("me_identities")))
    return ImportOptions(
        me_names=me_names, me_identities=me_ids, default_region=s.get("default_region"),
        include_bulk_mail=a.include_bulk or bool(s.get("include_bulk_mail")),
    )  # fmt: skip


def _reads_zip(path: Path) -> bool:
    """Does an importer read this .zip or folder as a whole? Folders only when an importer is
    certain (a Maildir, an Apple .mbox, a VK or signal-export folder), so a mixed folder is
    walked and nothing in it is passed over."""
    if path.is_dir():
        return any(cls().sniff(path, b"") >= 80 for cls in IMPORTERS)
    return detect(path) is not None


def import_one(ctx: Context, path: Path, shown: str, imp: Importer, opts: ImportOptions,
               dry_run: bool, quiet: bool, tap: MeTap | None = None) -> ImportResult:  # fmt: skip
    bar = TextProgress(f"{imp.name} {Path(shown).name}") if not quiet else None
    try:
        res = import_file(ctx.db, imp, path, opts, bar, source=shown, dry_run=dry_run)
    finally:
        if bar:
            bar.done()
    if tap is not None:
        tap.see(res.me_hints)
    return res


#: What the text output calls the messages an importer left out on purpose (SkipReason).
LEFT_OUT = {
    "channel_post": "post(s) by a channel or group itself (not a person)",
    "service_sender": "message(s) with services (sender names, short numbers)",
}


def _print_result(ctx: Context, res: ImportResult) -> None:
    ctx.out(f"{res.file}: {res.importer}, {res.records} record(s) read")
    if res.status != "ok":
        ctx.out(f"  {res.status}: {res.error}")
        return
    ctx.out(f"  contacts: {res.contacts_created} created, {res.contacts_updated} updated,"
            f" {res.contacts_merged} merged by identity")  # fmt: skip
    ctx.out(f"  interactions: {res.interactions_added} added,"
            f" {res.duplicates_skipped} duplicate(s) skipped")  # fmt: skip
    left_out = {k: v for k, v in sorted(res.left_out.items()) if v}
    if left_out:
        ctx.out("  left out on purpose: " + ", ".join(
            f"{v} {LEFT_OUT.get(k, k)}" for k, v in left_out.items()))  # fmt: skip
    if res.problems:
        ctx.out(f"  problems: {len(res.problems)} (all kept in import run {res.run_id})")
        for where, reason in res.problems[:5]:
            ctx.out(f"    {where}: {reason}")
    if res.dry_run:
        ctx.out("  dry run: nothing was kept")


def import_cmd(ctx: Context, a: argparse.Namespace) -> int:
    opts = _options(ctx, a)
    forced = importer_by_name(a.fmt) if a.fmt else None
    imported = failed = 0
    paths = []
    for raw in a.paths:
        if raw.startswith(("imap://", "imaps://")):
            from netassist.cli.imap_import import import_imap

            res = import_imap(ctx, raw, opts, a)
            imported += res.status == "ok"
            failed += res.status != "ok"
            if a.json:
                ctx.out_json(res.as_json() | ({"error": res.error} if res.error else {}))
            else:
                _print_result(ctx, res)
        else:
            paths.append(Path(raw))
    if not paths:
        return 2 if failed and not imported else 0
    try:
        with expand(paths, reads_zip=_reads_zip) as files:
            skipped_unknown = 0
            jobs: list[tuple[Found, Importer]] = []
            for f in files:
                try:
                    imp = forced or detect(f.path)
                except OSError as exc:
                    imp, err = None, f"cannot read: {exc.strerror or exc}"
                else:
                    err = "unknown format (no importer recognises this file)"
                if imp is None:
                    if not f.explicit:
                        skipped_unknown += 1
                        continue
                    failed += 1
                    _report_error(ctx, a, f.shown, err)
                    continue
                jobs.append((f, imp))
            plan = me_question.decide(ctx, a, [(f.path, f.shown, i) for f, i in jobs], opts)
            for f, imp in jobs:
                decided = plan.get(f.path)
                tap = me_question.MeTap(imp.name) if decided is None and not a.me else None
                try:
                    res = import_one(ctx, f.path, f.shown, imp,
                                     decided.options if decided else opts, a.dry_run, a.json, tap)  # fmt: skip
                except (FormatError, UnicodeError, OSError) as exc:
                    failed += 1
                    _report_error(ctx, a, f.shown, f"{imp.name}: {exc}")
                    continue
                if res.status == "ok":
                    imported += 1
                else:
                    failed += 1
                said = decided or (tap.decision() if tap else None)
                if a.json:
                    extra = {"me": said.report} if said and said.report else {}
                    ctx.out_json(
                        res.as_json() | ({"error": res.error} if res.error else {}) | extra
                    )
                else:
                    _print_result(ctx, res)
                    if said and said.note and res.status == "ok":
                        ctx.out(f"  me: {said.note}")
            if skipped_unknown and not a.json:
                ctx.out(f"({skipped_unknown} file(s) of no known format were passed over)")
    except UnsafeArchive as exc:
        raise CliError(f"refusing the archive: {exc}") from exc
    if failed and not imported:
        return 2
    return 0


def _report_error(ctx: Context, a: argparse.Namespace, shown: str, err: str) -> None:
    if a.json:
        ctx.out_json({"file": shown, "error": err})
    else:
        print(f"netassist: {shown}: {err}", file=sys.stderr)


def register_duplicates(sub: Any) -> None:
    d = sub.add_parser("duplicates", help="review duplicate candidates (merge or dismiss)")
    d.add_argument("action", nargs="?", choices=("list", "refresh", "dismiss"), default="list")
    d.add_argument("pair", nargs="*", help="with dismiss: the two contacts")
    d.add_argument("--json", action="store_true")
    d.set_defaults(handler=duplicates_cmd)


def duplicates_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core import dedupe
    from netassist.core.repository import find_contact

    if a.action == "dismiss":
        if len(a.pair) != 2:
            raise ValueError("dismiss takes two contacts: netassist duplicates dismiss A B")
        x, y = (find_contact(ctx.db, p) for p in a.pair)
        dedupe.dismiss(ctx.db, x, y)
        ctx.out("dismissed: they will not be proposed again")
        return 0
    cands = dedupe.review_list(ctx.db, refresh=a.action == "refresh")
    if a.json:
        ctx.out_json(cands)
        return 0
    for c in cands:
        ctx.out(f"{c['confidence']:.2f}  {c['contact_a']:>6} {c['name_a']}  ~  {c['contact_b']:>6}"
                f" {c['name_b']}\n      {c['reason']}")  # fmt: skip
    ctx.out(f"{len(cands)} candidate(s); merge with `netassist merge A B`, or"
            " `netassist duplicates dismiss A B`")  # fmt: skip
    return 0
