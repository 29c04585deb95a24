"""report --pdf OUT [--period 90d] [--contact C] [--lang ru|en] — PDF reports from the CLI."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from netassist.cli.context import Context
from netassist.cli.progressbar import TextProgress
from netassist.core import repository as repo
from netassist.core.reports import contact_dossier, network_report


def register(sub: Any) -> None:
    r = sub.add_parser("report", help="a network review or a contact dossier as PDF")
    r.add_argument("--pdf", type=Path, required=True, metavar="OUT.pdf")
    r.add_argument("--period", default="90d", help="e.g. 30d, 12w, 6m, 1y (default 90d)")
    r.add_argument("--contact", help="a dossier of this contact instead of the network review")
    r.add_argument("--lang", choices=("en", "ru"), help="default: the language setting")
    r.add_argument("--page", choices=("a4", "letter"), default="a4")
    r.add_argument("--json", action="store_true", help="print the result as JSON")
    r.set_defaults(handler=report_cmd)


def period_days(text: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.lower())
    if not m or int(m.group(1)) == 0:
        raise ValueError(f"cannot read the period {text!r}: use e.g. 30d, 12w, 6m or 1y")
    return int(m.group(1)) * {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}[m.group(2)]


def _qt_app() -> Any:
    """Qt is needed to lay out and draw the PDF; without a display it runs offscreen."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["netassist"])


def report_cmd(ctx: Context, a: argparse.Namespace) -> int:
    days = period_days(a.period)
    lang = a.lang or ctx.settings.get("language")
    if a.pdf.parent and not a.pdf.parent.exists():
        raise ValueError(f"{a.pdf.parent}: no such folder")
    app = _qt_app()  # noqa: F841  (kept alive while rendering)
    from netassist.ui.report_pdf import render_dossier, render_network_report

    bar = TextProgress("report")
    try:
        if a.contact:
            cid = repo.find_contact(ctx.db, a.contact)
            pages = render_dossier(contact_dossier(ctx.db, cid, lang=lang), a.pdf, a.page,
                                   lambda f, t: bar.set_progress(f, t))  # fmt: skip
        else:
            rep = network_report(ctx.db, days, lang=lang)
            pages = render_network_report(rep, a.pdf, a.page, lambda f, t: bar.set_progress(f, t))
    finally:
        bar.done()
    if a.json:
        ctx.out_json({"pdf": str(a.pdf), "pages": pages, "lang": lang})
    else:
        ctx.out(f"wrote {a.pdf} ({pages} pages)")
    return 0
