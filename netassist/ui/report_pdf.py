"""Render core report data (``netassist.core.reports``) to PDF with Qt.

Why Qt and not a PDF library: the app already ships Qt; QPdfWriter embeds (subsets) the fonts it
draws with, so Cyrillic comes out right with DejaVu or the system's font, and QtCharts draws the
charts the Insights view shows. Layout: a QTextDocument (HTML subset: tables break across pages
and repeat their header row) painted page by page onto a QPdfWriter, with our own header, footer
and "page N of M"; the table of contents gets its page numbers from a first layout pass.
Charts are rendered at 3x into images (high-DPI) and placed as document resources.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextTable,
)
from PySide6.QtWidgets import QGraphicsScene

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

CHANNEL_COLOURS = ["#2d7d9a", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b", "#9c6644",
                   "#6d597a", "#b56576", "#457b9d", "#8d99ae", "#588157", "#bc6c25"]  # fmt: skip
Progress = Callable[[float, str], None]


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


def _e(s: object) -> str:
    return html.escape(str(s))


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


# -- charts -----------------------------------------------------------------------------------


def _chart_image(chart: QChart, w: int = 900, h: int = 420, scale: int = 3) -> QImage:
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.resize(w, h)
    scene = QGraphicsScene()
    scene.addItem(chart)
    img = QImage(w * scale, h * scale, QImage.Format.Format_ARGB32)
    img.setDevicePixelRatio(scale)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(p, QRectF(0, 0, w, h), QRectF(0, 0, w, h))
    p.end()
    scene.removeItem(chart)
    return img


def _base_chart(title: str, family: str) -> QChart:
    c = QChart()
    c.setTitle(title)
    c.setTitleFont(QFont(family, 11, QFont.Weight.Bold))
    c.legend().setFont(QFont(family, 8))
    c.setBackgroundBrush(QColor("white"))
    return c


def weekly_chart(rep: NetworkReport, family: str) -> QImage:
    chans = list(rep.by_channel)[:8]
    series = QStackedBarSeries()
    for i, ch in enumerate(chans):
        s = QBarSet(channel_label(ch))
        s.setColor(QColor(CHANNEL_COLOURS[i % len(CHANNEL_COLOURS)]))
        for _wk, counts in rep.weekly:
            s.append(counts.get(ch, 0))
        series.append(s)
    c = _base_chart(_("Interactions per week by channel"), family)
    c.addSeries(series)
    ax = QBarCategoryAxis()
    ax.append([datetime.fromtimestamp(w).strftime("%d.%m") for w, _c in rep.weekly])
    ax.setLabelsFont(QFont(family, 7))
    ay = QValueAxis()
    ay.setLabelFormat("%d")
    ay.setLabelsFont(QFont(family, 7))
    c.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
    c.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(ax)
    series.attachAxis(ay)
    c.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return _chart_image(c)


def bars_chart(title: str, labels: list[str], values: list[float], family: str,
               horizontal: bool = False, colour: str = "#2d7d9a") -> QImage:  # fmt: skip
    s = QBarSet(title)
    s.setColor(QColor(colour))
    for v in values:
        s.append(float(v))
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(s)
    c = _base_chart(title, family)
    c.addSeries(series)
    cat = QBarCategoryAxis()
    cat.append(labels)
    cat.setLabelsFont(QFont(family, 7))
    val = QValueAxis()
    val.setLabelFormat("%d")
    val.setLabelsFont(QFont(family, 7))
    c.addAxis(cat, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    c.addAxis(val, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cat)
    series.attachAxis(val)
    c.legend().hide()
    return _chart_image(c)


# -- document ---------------------------------------------------------------------------------


@dataclass
class Section:
    anchor: str
    title: str


class _Doc:
    """Collects HTML, images and section anchors for one report."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.parts: list[str] = []
        self.images: dict[str, QImage] = {}
        self.sections: list[Section] = []
        self.breaks: set[str] = set()  # sections starting on a fresh page
        # tables as (header cells, body rows) HTML; a part of the html names them "{tbl:N}"
        self.tables: list[tuple[str, list[str]]] = []
        # body rows that start a fresh page (with the header again): keep-row-together, which
        # Qt's rich text lacks, decided when the document is laid out (see _render_steps)
        self.row_breaks: dict[int, set[int]] = {}

    def h1(self, title: str, new_page: bool = False) -> None:
        anchor = f"s{len(self.sections) + 1}"
        # the first section starts on the page after the table of contents; a section that
        # opens with a chart starts on a fresh page rather than leaving its title orphaned
        if new_page or not self.sections:
            self.breaks.add(anchor)
        self.sections.append(Section(anchor, title))
        # the page break is decided when the document is built (see _render: headings that
        # would be orphaned at the foot of a page move to the next one)
        self.parts.append(f'<h1{{brk:{anchor}}}><a name="{anchor}"></a>{_e(title)}</h1>')

    def html(self) -> str:
        brk = ' style="page-break-before: always"'
        out = "".join(self.parts)
        for s in self.sections:
            out = out.replace(f"{{brk:{s.anchor}}}", brk if s.anchor in self.breaks else "", 1)
        for n in range(len(self.tables)):
            out = out.replace(f"{{tbl:{n}}}", self._table_html(n), 1)
        return out

    def _table_html(self, n: int) -> str:
        """Table ``n`` in parts, one per page break chosen for it; each part repeats the header
        and names itself in an anchor "tN.R" (R = its first body row) for the layout pass."""
        th, rows = self.tables[n]
        starts = [0, *sorted(r for r in self.row_breaks.get(n, ()) if 0 < r < len(rows))]
        out = []
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(rows)
            style = ' style="page-break-before: always"' if k else ""
            out.append(
                f'<table width="100%" cellspacing="0" cellpadding="3" border="0.5"{style}>'
                f"<thead><tr>{th.replace('{anchor}', f't{n}.{start}', 1)}</tr></thead>"
                f"<tbody>{''.join(rows[start:end])}</tbody></table>"
            )
        # a heading right after a table sat on its border (Qt drops the margin after a table)
        return "".join(out) + '<p style="font-size: 5pt">&#160;</p>'

    def p(self, text: str, cls: str = "") -> None:
        self.parts.append(f'<p class="{cls}">{_e(text)}</p>')

    def image(self, name: str, img: QImage, width: int = 620) -> None:
        self.images[name] = img
        self.parts.append(f'<p><img src="{name}" width="{width}"></p>')

    def table(self, header: list[str], rows: list[list[object]], widths: list[int] | None = None,
              num_cols: set[int] | None = None) -> None:  # fmt: skip
        num_cols = num_cols or set()
        w = widths or []
        cells = []
        for i, h in enumerate(header):
            mark = '<a name="{anchor}"></a>' if i == 0 else ""  # filled in per table part
            align = "right" if i in num_cols else "left"
            attrs = f' width="{w[i]}%" align="{align}"' if i < len(w) else ""
            cells.append(f"<th{attrs}>{mark}{_e(h)}</th>")
        th = "".join(cells)
        body = [
            "<tr>" + "".join(
                f'<td align="{"right" if i in num_cols else "left"}">{_e(v)}</td>'
                for i, v in enumerate(r)
            ) + "</tr>"
            for r in rows
        ]  # fmt: skip
        self.parts.append(f"{{tbl:{len(self.tables)}}}")
        self.tables.append((th, body))

    def css(self) -> str:
        return (
            f"body {{ font-family: '{self.family}'; font-size: 10pt; color: #222; }}"
            "h1 { font-size: 16pt; color: #1d5b73; margin-top: 12pt; }"
            "h2 { font-size: 12pt; color: #1d5b73; }"
            "th { background-color: #e6eff3; font-weight: bold; }"
            "p.muted { color: #666; } p.big { font-size: 22pt; font-weight: bold; }"
            "td.toc { padding: 2pt; }"
        )


class PdfOut:
    """Where reports are painted: a file or a QIODevice (a QBuffer for the preview). Several
    reports can go into one (the dossiers of several contacts, one after the other); each keeps
    its own title page, contents and "page N of M". ``close()`` finishes the file."""

    def __init__(self, out: Path | QIODevice, page: str = "a4", title: str = "") -> None:
        self.writer = QPdfWriter(str(out) if isinstance(out, (str, Path)) else out)
        self.writer.setTitle(title)
        self.writer.setCreator("netassist")
        size = QPageSize(
            QPageSize.PageSizeId.Letter if page == "letter" else QPageSize.PageSizeId.A4
        )
        self.writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait,
                                              QMarginsF(18, 20, 18, 20), QPageLayout.Unit.Millimeter))  # fmt: skip
        self.writer.setResolution(300)
        self.painter: QPainter | None = None
        self.pages = 0

    def new_page(self) -> QPainter:
        if self.painter is None:
            self.painter = QPainter(self.writer)
        else:
            self.writer.newPage()
        self.pages += 1
        return self.painter

    def close(self) -> None:
        if self.painter is not None:
            self.painter.end()
            self.painter = None


#: While set (see RenderJob), _render hands back its steps instead of running them.
_deferred: list[Iterator[None]] | None = None


def _render(doc: _Doc, title_html: str, out: Path | PdfOut, page: str, header: str,
            progress: Progress | None) -> int:  # fmt: skip
    steps = _render_steps(doc, title_html, out, page, header, progress)
    if _deferred is not None:
        _deferred.append(steps)
        return 0
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return int(done.value)


def _render_steps(doc: _Doc, title_html: str, out: Path | PdfOut, page: str, header: str,
                  progress: Progress | None) -> Generator[None, None, int]:  # fmt: skip
    """Lay out and paint, yielding after each layout pass and each page (each step takes some
    tens of milliseconds; see RenderJob)."""
    target = out if isinstance(out, PdfOut) else PdfOut(out, page, header)
    if target.pages == 0:
        target.writer.setTitle(header)
    writer = target.writer
    body_rect = writer.pageLayout().paintRectPixels(writer.resolution())
    dpi_scale = writer.resolution() / 72.0
    head_h = int(14 * dpi_scale)

    def build(toc_pages: dict[str, int] | None) -> QTextDocument:
        td = QTextDocument()
        td.documentLayout().setPaintDevice(writer)
        td.setDefaultFont(QFont(doc.family, 10))
        td.setDefaultStyleSheet(doc.css())
        for name, img in doc.images.items():
            td.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), img)
        toc_rows = "".join(
            f'<tr><td class="toc">{_e(s.title)}</td><td class="toc" align="right">'
            f"{(toc_pages or {}).get(s.anchor, '')}</td></tr>"
            for s in doc.sections
        )
        toc = (f"<h1 style='page-break-before: always'>{_e(_('Contents'))}</h1>"
               f"<table width='100%'>{toc_rows}</table>")  # fmt: skip
        td.setHtml(f"<html><body>{title_html}{toc}{doc.html()}</body></html>")
        td.setPageSize(QSizeF(body_rect.width(), body_rect.height() - 2 * head_h))
        return td

    def anchor_tops(td: QTextDocument) -> dict[str, float]:
        """Where each anchor's first line is drawn (document y); the block's own top may
        still be on the previous page when its line was pushed past a page break."""
        tops: dict[str, float] = {}
        layout = td.documentLayout()
        for block in _blocks(td, 0, td.characterCount()):
            for frag in _block_fragments(block):
                for name in frag.charFormat().anchorNames():
                    if name not in tops:
                        lines = _line_tops(layout, block)
                        tops[name] = lines[0] if lines else layout.blockBoundingRect(block).top()
        return tops

    td = build(None)
    page_h = td.pageSize().height()
    for _pass in range(len(doc.sections) + sum(len(r) for _h, r in doc.tables)):
        # a heading in the last sixth of a page would stand alone there: start it on the next;
        # a table row whose lines fall on two pages starts the next page instead.
        # One at a time, in document order: each moves everything after it.
        tops = anchor_tops(td)
        orphans = [(y, a) for a, y in tops.items()
                   if a[0] == "s" and a not in doc.breaks and y % page_h > page_h * 5 / 6]  # fmt: skip
        split = _split_row(td, page_h)
        if orphans and (split is None or min(orphans)[0] < split[0]):
            doc.breaks.add(min(orphans)[1])
        elif split is not None:
            doc.row_breaks.setdefault(split[1], set()).add(split[2])
        else:
            break
        yield
        td = build(None)
    pages = {a: int(y // page_h) + 1 for a, y in anchor_tops(td).items()}
    yield
    td = build(pages)  # the TOC has the same length both times, so pages hold
    total = td.pageCount()
    hf_font = QFont(doc.family, 8)
    for i in range(total):
        yield
        painter = target.new_page()
        if progress:
            progress((i + 1) / total, _("page {n}").format(n=i + 1))
        painter.save()
        painter.translate(0, head_h)
        clip = QRectF(0, i * td.pageSize().height(), td.pageSize().width(), td.pageSize().height())
        painter.translate(0, -clip.top())
        td.drawContents(painter, clip)
        painter.restore()
        if i > 0:  # no header or footer on the title page
            painter.setFont(hf_font)
            painter.setPen(QColor("#555"))
            painter.drawText(QRectF(0, 0, body_rect.width(), head_h * 0.8),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, header)  # fmt: skip
            painter.drawLine(QPointF(0, head_h * 0.85), QPointF(body_rect.width(), head_h * 0.85))
            painter.drawText(
                QRectF(0, body_rect.height() - head_h * 0.8, body_rect.width(), head_h * 0.8),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _("page {n} of {total}").format(n=i + 1, total=total),
            )
    if target is not out:
        target.close()
    return total


def _split_row(td: QTextDocument, page_h: float) -> tuple[float, int, int] | None:
    """The first table row (y, table, body row) whose lines Qt laid out on two pages.

    Qt's rich text moves a row to the next page only when none of it fits; a row of two-line
    cells is otherwise cut between its lines. The row is found from where its lines are drawn;
    the caller ends the table part before it, and the next part starts a fresh page with the
    header again. A part's first row is never split off (it already starts where it can).
    """
    layout = td.documentLayout()
    for frame in td.rootFrame().childFrames():
        if not isinstance(frame, QTextTable):
            continue
        head = frame.cellAt(0, 0)
        names = [n for f in _fragments(td, head.firstPosition(), head.lastPosition())
                 for n in f.charFormat().anchorNames() if n.startswith("t")]  # fmt: skip
        if not names:
            continue  # not one of _Doc's tables (the contents, the title page)
        n, start = (int(x) for x in names[0][1:].split("."))
        header = frame.format().headerRowCount()
        for r in range(header + 1, frame.rows()):
            pages: set[int] = set()
            top = None
            for c in range(frame.columns()):
                cell = frame.cellAt(r, c)
                for block in _blocks(td, cell.firstPosition(), cell.lastPosition()):
                    for y in _line_tops(layout, block):
                        pages.add(int(y // page_h))
                        top = y if top is None else min(top, y)
            if len(pages) > 1 and top is not None:
                return top, n, start + r - header
    return None


def _blocks(td: QTextDocument, first: int, last: int) -> Iterator[Any]:
    """The text blocks holding the positions first..last."""
    block = td.findBlock(first)
    while block.isValid() and block.position() <= last:
        yield block
        block = block.next()


def _block_fragments(block: Any) -> Iterator[Any]:
    it = block.begin()
    while not it.atEnd():
        yield it.fragment()
        it += 1


def _fragments(td: QTextDocument, first: int, last: int) -> Iterator[Any]:
    for block in _blocks(td, first, last):
        yield from _block_fragments(block)


def _line_tops(layout: Any, block: Any) -> list[float]:
    """Where each line of ``block`` is drawn (document y)."""
    top = layout.blockBoundingRect(block).top()
    bl = block.layout()
    return [top + bl.lineAt(i).y() for i in range(bl.lineCount() if bl is not None else 0)]


def _title_page(title: str, subtitle: str, lines: list[str]) -> str:
    rows = "".join(f"<p>{_e(x)}</p>" for x in lines)
    return (
        "<p>&nbsp;</p><p>&nbsp;</p><p>&nbsp;</p>"
        f'<p class="big">{_e(title)}</p><h2>{_e(subtitle)}</h2>{rows}'
        f'<p class="muted">{_e(_("Made by netassist on your own machine."))}</p>'
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
    return _with_language(rep.lang, lambda: _network(rep, out, page, progress))


def _network(rep: NetworkReport, out: Path, page: str, progress: Progress | None) -> int:
    fam = report_font_family()
    d = _Doc(fam)
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
    header = f"netassist — {_('Network review')} · {period}"
    return _render(d, title, out, page, header, progress)


def render_dossier(dos: Dossier, out: Path, page: str = "a4",
                   progress: Progress | None = None) -> int:  # fmt: skip
    return _with_language(dos.lang, lambda: _dossier(dos, out, page, progress))


def _points(b: dict[str, Any]) -> str:
    """16/20; a dash for a component that weighs 0 (shown for context; ``_component_why`` says so)."""
    if not b.get("max_points"):
        return "—"
    return f"{b.get('points', 0):.0f}/{b.get('max_points', 0):.0f}"


def _component_why(b: dict[str, Any]) -> str:
    line = breakdown_line(b)
    return line if b.get("max_points") else f"{line}. {_('Not counted in the strength (weight 0)')}"


def _dossier(dos: Dossier, out: Path, page: str, progress: Progress | None) -> int:
    fam = report_font_family()
    d = _Doc(fam)
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
    header = f"netassist — {name}"
    return _render(d, title, out, page, header, progress)


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
        global _deferred
        n = len(self.reports)
        for k, rep in enumerate(self.reports):
            self._lang = rep.lang
            yield  # the next step runs in this report's language

            def sub(f: float, text: str, k: int = k) -> None:
                if self._progress:
                    self._progress((k + f) / n, text)

            _deferred = []
            try:
                if isinstance(rep, NetworkReport):
                    _network(rep, self._out, "a4", sub)  # type: ignore[arg-type]
                else:
                    _dossier(rep, self._out, "a4", sub)  # type: ignore[arg-type]
                steps = _deferred[0]
            finally:
                _deferred = None
            yield
            yield from steps
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
