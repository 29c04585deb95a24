"""demo, stats, settings."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from netassist.cli.context import Context
from netassist.cli.progressbar import TextProgress
from netassist.core import repository as repo
from netassist.core.demo import load_demo
from netassist.core.settings import SETTINGS


def register(sub: Any) -> None:
    d = sub.add_parser("demo", help="fill the database with a realistic demo network")
    d.add_argument("--contacts", type=int, default=150)
    d.add_argument("--years", type=float, default=2.0)
    d.add_argument("--seed", type=int, default=7)
    d.add_argument("--json", action="store_true")
    d.set_defaults(handler=demo_cmd)
    s = sub.add_parser("stats", help="counts of contacts, interactions by channel, import runs")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=stats_cmd)
    ex = sub.add_parser("export", help="export contacts (vCard, CSV) or everything (JSON)")
    ex.add_argument("out", type=Path, metavar="OUT")
    ex.add_argument("--format", dest="fmt", choices=("vcard", "csv", "json"), default="vcard")
    ex.add_argument("--vcard-version", choices=("4.0", "3.0"), default="4.0")
    ex.add_argument("--json", action="store_true", help="print the counts as JSON")
    ex.set_defaults(handler=export_cmd)
    st = sub.add_parser("settings", help="show or change settings")
    st.add_argument("name", nargs="?")
    st.add_argument("value", nargs="?")
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=settings_cmd)


def demo_cmd(ctx: Context, a: argparse.Namespace) -> int:
    if a.contacts < 1 or a.years <= 0:
        raise ValueError("--contacts must be at least 1 and --years above 0")
    res = load_demo(ctx.db, a.contacts, a.years, a.seed, progress=TextProgress("demo"))
    if res.status != "ok":
        raise ValueError(f"demo failed: {res.error}")
    try:
        from netassist.core.scoring import rescore
    except ImportError:
        pass
    else:
        rescore(ctx.db, None)
    if a.json:
        ctx.out_json(res.as_json())
    else:
        ctx.out(f"demo: {res.contacts_created} contacts created, {res.interactions_added}"
                f" interactions added ({res.duplicates_skipped} already there)")  # fmt: skip
    return 0


def export_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core.export import export_contacts, export_json

    if a.out.parent and not a.out.parent.exists():
        raise ValueError(f"{a.out.parent}: no such folder")
    if a.fmt == "json":
        counts = export_json(ctx.db, a.out)
    else:
        counts = {"contacts": export_contacts(ctx.db, a.out, a.fmt, a.vcard_version)}
    if a.json:
        ctx.out_json({"file": str(a.out), "format": a.fmt, **counts})
    else:
        summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        ctx.out(f"exported to {a.out}: {summary or 'nothing to export'}")
    return 0


def stats_cmd(ctx: Context, a: argparse.Namespace) -> int:
    st = repo.stats(ctx.db)
    if a.json:
        ctx.out_json(st)
        return 0
    ctx.out(f"contacts:      {st['contacts']}")
    ctx.out(f"identities:    {st['identities']}")
    ctx.out(f"interactions:  {st['interactions']}")
    for ch, n in st["by_channel"].items():
        ctx.out(f"  {ch:<12} {n}")
    ctx.out(f"import runs:   {st['import_runs']} {st['import_runs_by_status']}")
    ctx.out(f"duplicate candidates to review: {st['duplicate_candidates']}")
    return 0


def settings_cmd(ctx: Context, a: argparse.Namespace) -> int:
    s = ctx.settings
    if a.name and a.value is not None:
        sdef = SETTINGS.get(a.name)
        if sdef is None:
            raise ValueError(f"unknown setting {a.name!r}; known: {', '.join(sorted(SETTINGS))}")
        value: Any = a.value
        if sdef.type in (list, dict):
            try:
                value = json.loads(a.value)
            except ValueError:
                raise ValueError(f"{a.name} takes JSON, e.g. '[\"Anna\"]'") from None
        s.set(a.name, value)
        ctx.out(f"{a.name} = {json.dumps(s.get(a.name), ensure_ascii=False)}")
        return 0
    values = s.all() if not a.name else {a.name: s.get(a.name)}
    if a.json:
        ctx.out_json(values)
    else:
        for k, v in values.items():
            sys.stdout.write(f"{k} = {json.dumps(v, ensure_ascii=False)}\n")
    return 0
