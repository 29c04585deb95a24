"""Render core report data (``netassist.core.reports``) to PDF: what the network review and
the dossier say (this module), laid out in pages by ``pdf_layout`` with the charts of
``report_charts``; ``RenderJob`` draws in short steps on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QIODevice
from PySide6.QtGui import QFont, QFontDatabase

from netassist.core.engine.texts import (
    SHOWN_TIER_LABELS,
    breakdown_line,
    component_label,
    followup_reason,
    tier_label,
)
from netassist.core.i18n import N_, _, current_language, ngettext, set_language
from netassist.core.reports import ContactLine, Dossier, NetworkReport
from netassist.ui.format import channel_label, format_trend, identity_label
from netassist.ui.pdf_layout import Doc, PdfOut, Progress, esc, render, render_steps
from netassist.ui.report_charts import bars_chart, weekly_chart


def report_font_family() -> str:
    """DejaVu Sans (bundled in resources/fonts by the build, else the system's), which has
    Cyrillic; Qt embeds the glyphs it uses into the PDF."""
    here = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    for f in sorted(here.glob("*.ttf")) if here.is_dir() else []:
        QFontDatabase.addApplicationFont(str(f))
    families = QFontDatabase.families()
    for fam in ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial"):
        if fam in families:
            return fam
    return QFont().defaultFamily()


def _date(ts: int | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d") if ts else "—"


def _num(x: object) -> str:
    """A count from the engine (weighted, so maybe fractional) as the report shows it."""
    return f"{x:g}" if isinstance(x, int | float) else "—"


def _trend(t: str) -> str:
    return {"up": "↑", "down": "↓", "flat": "→"}.get(t, "")


#: Contact fields in the dossier, in this order.
DOSSIER_FIELDS: dict[str, str] = {
    "given_name": N_("Given name"), "middle_name": N_("Middle name"),
    "family_name": N_("Family name"), "nickname": N_("Nickname"),
    "organization": N_("Organisation"), "title": N_("Job title"), "birthday": N_("Birthday"),
    "anniversary": N_("Anniversary"),
}  # fmt: skip
LOOP_KINDS: dict[str, str] = {"question": N_("question"), "promise": N_("promise"),
                              "plan": N_("plan")}  # fmt: skip


def _why(c: ContactLine) -> str:
    """A follow-up's reason in the report's language (see netassist.core.engine.texts)."""
    if c.kind == "due":
        return _("due")
    if c.kind and c.params:
        return followup_reason(c.kind, c.params)
    return c.reason


def _title_page(title: str, subtitle: str, lines: list[str]) -> str:
    rows = "".join(f"<p>{esc(x)}</p>" for x in lines)
    return (
        "<p>&nbsp;</p><p>&nbsp;</p><p>&nbsp;</p>"
        f'<p class="big">{esc(title)}</p><h2>{esc(subtitle)}</h2>{rows}'
        f'<p class="muted">{esc(_("Made by netassist on your own machine."))}</p>'
    )


def _with_language(lang: str, fn: Callable[[], int]) -> int:
    before = current_language()
    set_language(lang)
    try:
        return fn()
    finally:
        set_language(before)


def render_network_report(rep: NetworkReport, out: Path, page: str = "a4",
                          progress: Progress | None = None) -> int:  # fmt: skip
    """Write the network review; returns the number of pages."""
    return _with_language(rep.lang, lambda: _draw(_network(rep), out, page, progress))


Composed = tuple[Doc, str, str]  # the document, its title page (HTML), the pages' header


def _draw(c: Composed, out: Path | PdfOut, page: str, progress: Progress | None) -> int:
    doc, title_html, header = c
    return render(doc, title_html, out, page, header, progress)


def _network(rep: NetworkReport) -> Composed:
    fam = report_font_family()
    d = Doc(fam)
    s = rep.summary
    # the window is end - period_days * 86400 .. end, both included: a period of whole days
    # ending at 23:59:59 (custom dates in the Reports page) starts one second before midnight
    period = f"{_date(rep.start + 1)} — {_date(rep.end)}"
    n_contacts = ngettext("{n} contact", "{n} contacts", s["contacts"]).format(n=s["contacts"])
    n_inter = ngettext("{n} interaction", "{n} interactions", s["interactions"]).format(
        n=s["interactions"]
    )
    title = _title_page(_("Network review"), period, [n_contacts, n_inter,
                        _("Generated on {date}").format(date=_date(rep.end))])  # fmt: skip
    d.h1(_("Summary"))
    d.table([_("Measure"), _("Value")], [
        [_("Contacts"), s["contacts"]],
        [_("Interactions in the period"), s["interactions"]],
        [_("People you were in touch with"), s["active_contacts"]],
        [_("New ties"), s["new_ties"]],
        [_("Dormant ties"), s["dormant_ties"]],
    ], widths=[70, 30], num_cols={1})  # fmt: skip
    if rep.by_channel:
        d.table([_("Channel"), _("Interactions")],
                [[channel_label(k), v] for k, v in rep.by_channel.items()],
                widths=[70, 30], num_cols={1})  # fmt: skip
        d.image("weekly.png", weekly_chart(rep, fam))
    d.h1(_("Strength and tiers"), new_page=True)
    if any(rep.strength_histogram):
        labels = [f"{i * 10}–{i * 10 + 9}" for i in range(10)]
        d.image("hist.png", bars_chart(_("Contacts by strength"), labels,
                                       [float(x) for x in rep.strength_histogram], fam))  # fmt: skip
        dunbar = {"inner circle": 5, "close": 15, "active": 50, "acquaintance": 150}
        d.table([_("Tier"), _("Contacts"), _("Dunbar's layer")],
                [[tier_label(t), rep.tiers.get(t, 0), dunbar.get(t, "—")]
                 for t in SHOWN_TIER_LABELS],
                widths=[50, 25, 25], num_cols={1, 2})  # fmt: skip
    else:
        d.p(_("Strength has not been computed yet."), "muted")
    d.h1(_("Top relationships"))
    d.table([_("Name"), _("Strength"), _("Tier"), _("Trend"), _("Last contact"), _("In period")],
            [[c.name, f"{c.strength:.0f}" if c.strength is not None else "—", tier_label(c.tier),
              _trend(c.trend), _date(c.last_at), c.interactions] for c in rep.top],
            widths=[29, 13, 17, 13, 15, 13], num_cols={1, 5})  # fmt: skip
    d.h1(_("Fading ties"))
    if rep.fading:
        d.p(_("Strength is falling: fewer interactions in the last 30 days than the 60 days "
              "before would suggest (weighted counts)."), "muted")  # fmt: skip
        d.table([_("Name"), _("Strength"), _("Last 30 days"), _("60 days before"),
                 _("Last contact")],
                [[c.name, f"{c.strength:.0f}" if c.strength is not None else "—",
                  _num(c.params.get("recent30")), _num(c.params.get("prev60")), _date(c.last_at)]
                 for c in rep.fading],
                widths=[40, 12, 16, 16, 16], num_cols={1, 2, 3})  # fmt: skip
    else:
        d.p(_("No strong tie is fading."), "muted")
    d.h1(_("Follow-up plan"))
    if rep.followups:
        d.table([_("Name"), _("Why"), _("Last contact")],
                [[c.name, _why(c), _date(c.last_at)] for c in rep.followups],
                widths=[30, 54, 16])  # fmt: skip
    else:
        d.p(_("Nobody is due."), "muted")
    if rep.topics:
        d.h1(_("Topics of the period"))
        d.p(_("Themes in the period's messages, named by their most telling words, with their "
              "share of what was written."), "muted")  # fmt: skip
        d.table([_("Topic"), _("Share")], [[t, f"{w:.0%}"] for t, w in rep.topics],
                widths=[70, 30], num_cols={1})  # fmt: skip
    if rep.best_times:
        d.h1(_("Best times to reach"))
        d.table([_("Name"), _("When")], [list(x) for x in rep.best_times], widths=[38, 62])
    if rep.segments:
        d.h1(_("Segments"))
        d.table([_("Segment"), _("Contacts")], [list(x) for x in rep.segments], widths=[75, 25],
                num_cols={1})  # fmt: skip
    return d, title, f"netassist — {_('Network review')} · {period}"


def render_dossier(dos: Dossier, out: Path, page: str = "a4",
                   progress: Progress | None = None) -> int:  # fmt: skip
    return _with_language(dos.lang, lambda: _draw(_dossier(dos), out, page, progress))


def _points(b: dict[str, Any]) -> str:
    """16/20; a dash for a component that weighs 0 (shown for context; ``_component_why`` says so)."""
    if not b.get("max_points"):
        return "—"
    return f"{b.get('points', 0):.0f}/{b.get('max_points', 0):.0f}"


def _component_why(b: dict[str, Any]) -> str:
    line = breakdown_line(b)
    return line if b.get("max_points") else f"{line}. {_('Not counted in the strength (weight 0)')}"


def _dossier(dos: Dossier) -> Composed:
    fam = report_font_family()
    d = Doc(fam)
    c = dos.contact
    name = c["display_name"]
    sub = ", ".join(x for x in (c.get("title"), c.get("organization")) if x)
    title = _title_page(name, sub or _("Contact dossier"), [])
    d.h1(_("Details"))
    rows = [[_(label), c[k]] for k, label in DOSSIER_FIELDS.items() if c.get(k)]
    rows += [[identity_label(kind), value] for kind, value in dos.identities]
    if dos.tags:
        rows.append([_("Tags"), ", ".join(dos.tags)])
    d.table([_("Field"), _("Value")], rows, widths=[30, 70])
    d.h1(_("Strength"))
    if dos.score:
        sc = dos.score
        d.p(_("Strength {s} of 100 · {tier} · trend {trend}").format(
            s=f"{sc['strength']:.0f}", tier=tier_label(sc["tier"]),
            trend=format_trend(sc["trend"])))  # fmt: skip
        if dos.breakdown:
            d.table([_("Component"), _("Points"), _("Why")],
                    [[component_label(str(b.get("component", ""))),
                      _points(b), _component_why(b)] for b in dos.breakdown],
                    widths=[22, 13, 65], num_cols={1})  # fmt: skip
    else:
        d.p(_("Strength has not been computed yet."), "muted")
    d.h1(_("History"), new_page=True)
    if any(n for _m, n in dos.monthly):
        d.image("monthly.png", bars_chart(_("Interactions per month"), [m[2:] for m, _n in dos.monthly],
                                          [float(n) for _m, n in dos.monthly], fam))  # fmt: skip
    d.table([_("Channel"), _("Interactions")],
            [[channel_label(k), v] for k, v in dos.by_channel.items()],
            widths=[70, 30], num_cols={1})  # fmt: skip
    if dos.topics:
        d.h1(_("Topics"))
        d.p(", ".join(t for t, _w in dos.topics))
    if dos.open_loops:
        d.h1(_("Open loops"))
        d.table([_("Kind"), _("Message")],
                [[_(LOOP_KINDS[k]) if k in LOOP_KINDS else k, x] for k, x in dos.open_loops],
                widths=[20, 80])  # fmt: skip
    if dos.openers:
        d.h1(_("Suggested openers"))
        for o in dos.openers:
            d.p(f"• {o}")
    if dos.notes:
        d.h1(_("Notes"))
        for ts, text in dos.notes:
            d.p(f"{_date(ts)}: {text}")
    if dos.recent:
        d.h1(_("Recent interactions"))
        arrows = {"in": "←", "out": "→"}
        d.table([_("Date"), _("Channel"), "", _("Text")],
                [[_date(r["occurred_at"]), channel_label(r["channel"]), arrows.get(r["direction"], "↔"),
                  (r["text"] or "")[:140]] for r in dos.recent],
                widths=[16, 14, 4, 66])  # fmt: skip
    return d, title, f"netassist — {name}"


class RenderJob:
    """One PDF (a network review, or the dossiers of several contacts in one file) drawn in
    short steps on the GUI thread.

    Why not a worker thread: QChart is a QGraphicsWidget (its scene uses the application's style
    and fonts, GUI-thread only), and running this module's QTextDocument + QPdfWriter rendering
    on a plain Python thread crashed when tried (Qt 6.10: "QObject: Cannot create children for
    a parent that is in a different thread", then a segmentation fault). The report's language
    is also switched process-wide while it is drawn (netassist.core.i18n has one active
    catalog), which must not overlap with the GUI building its own texts. So the data is
    gathered off the GUI thread (netassist.ui.tasks) and the drawing is cut into steps: building
    one document (charts included), one layout pass, or one page, each some tens of
    milliseconds (measured: ~50, ~50 and ~35 ms on the demo network). The caller runs step()
    from a timer so the event loop turns between steps; the report's language is active only
    inside a step."""

    def __init__(self, reports: Sequence[NetworkReport | Dossier], out: Path | QIODevice,
                 page: str = "a4", progress: Progress | None = None) -> None:  # fmt: skip
        self.reports = list(reports)
        self._out = PdfOut(out, page)
        self._progress = progress
        self._lang = self.reports[0].lang if self.reports else current_language()
        self._gen = self._steps()
        self.done = False

    @property
    def pages(self) -> int:
        return self._out.pages

    def _steps(self) -> Iterator[None]:
        n = len(self.reports)
        for k, rep in enumerate(self.reports):
            self._lang = rep.lang
            yield  # the next step runs in this report's language

            def sub(f: float, text: str, k: int = k) -> None:
                if self._progress:
                    self._progress((k + f) / n, text)

            doc, title_html, header = (
                _network(rep) if isinstance(rep, NetworkReport) else _dossier(rep)
            )
            yield
            yield from render_steps(doc, title_html, self._out, "a4", header, sub)
        self._out.close()

    def step(self) -> bool:
        """Do one step; returns True while steps remain."""
        if self.done:
            return False
        before = current_language()
        if self._lang != before:
            set_language(self._lang)
        try:
            next(self._gen)
        except StopIteration:
            self.done = True
        finally:
            if current_language() != before:
                set_language(before)
        return not self.done

    def run(self) -> int:
        """All steps at once (the CLI, tests); returns the number of pages."""
        while self.step():
            pass
        return self.pages

    def cancel(self) -> None:
        self._gen.close()
        self._out.close()
        self.done = True
