"""Paged PDF layout with Qt for the reports: a QTextDocument (an HTML subset) painted page by
page onto a QPdfWriter, with our own header, footer and "page N of M".

Why Qt and not a PDF library: the app already ships Qt; QPdfWriter embeds (subsets) the fonts it
draws with, so Cyrillic comes out right with DejaVu or the system's font. Qt's rich text lacks
two things a report needs, added here from where Qt lays out each line: a heading in the last
sixth of a page starts the next one, and a table row is never cut between two pages (the table
ends and continues on the next page with its header again). The table of contents gets its page
numbers from a first layout pass. ``render_steps`` does it in short steps (see
``report_pdf.RenderJob``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextTable,
)

from netassist.core.i18n import _

Progress = Callable[[float, str], None]


def esc(s: object) -> str:
    return html.escape(str(s))


@dataclass
class Section:
    anchor: str
    title: str


class Doc:
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
        # Qt's rich text lacks, decided when the document is laid out (see render_steps)
        self.row_breaks: dict[int, set[int]] = {}

    def h1(self, title: str, new_page: bool = False) -> None:
        anchor = f"s{len(self.sections) + 1}"
        # the first section starts on the page after the table of contents; a section that
        # opens with a chart starts on a fresh page rather than leaving its title orphaned
        if new_page or not self.sections:
            self.breaks.add(anchor)
        self.sections.append(Section(anchor, title))
        # the page break is decided when the document is built (see render_steps: headings that
        # would be orphaned at the foot of a page move to the next one)
        self.parts.append(f'<h1{{brk:{anchor}}}><a name="{anchor}"></a>{esc(title)}</h1>')

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
        self.parts.append(f'<p class="{cls}">{esc(text)}</p>')

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
            cells.append(f"<th{attrs}>{mark}{esc(h)}</th>")
        th = "".join(cells)
        body = [
            "<tr>" + "".join(
                f'<td align="{"right" if i in num_cols else "left"}">{esc(v)}</td>'
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


def render(doc: Doc, title_html: str, out: Path | PdfOut, page: str, header: str,
           progress: Progress | None) -> int:  # fmt: skip
    """Lay out and paint ``doc`` at once; returns the number of pages."""
    steps = render_steps(doc, title_html, out, page, header, progress)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return int(done.value)


def render_steps(doc: Doc, title_html: str, out: Path | PdfOut, page: str, header: str,
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
            f'<tr><td class="toc">{esc(s.title)}</td><td class="toc" align="right">'
            f"{(toc_pages or {}).get(s.anchor, '')}</td></tr>"
            for s in doc.sections
        )
        toc = (f"<h1 style='page-break-before: always'>{esc(_('Contents'))}</h1>"
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
