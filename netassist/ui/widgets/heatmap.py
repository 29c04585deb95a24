"""A weekday × hour heat map (7 × 24 cells) that reports the cell clicked.

Custom-painted rather than QtCharts: QtCharts has no heat-map series (a scatter of squares or a
stack of 24 bar sets only imitates one, with hit areas that do not match the cells and a legend
to hide), while 168 rectangles painted here are exact to click, tell their cell on hover and take
their colours from the palette: empty cells are the Base colour, the busiest the Highlight colour,
the others in between, so light and dark desktops both read right."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)  # fmt: skip


class HeatMapWidget(QWidget):
    cell_clicked = Signal(int, int)  # weekday (0 = Monday), hour

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[list[float]] = [[0.0] * 24 for _ in range(7)]
        self.row_labels: list[str] = [""] * 7
        self.tooltip_for: Callable[[int, int], str] = lambda _w, _h: ""
        self.selected: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(560, 196)

    def set_data(self, values: Sequence[Sequence[float]], row_labels: Sequence[str]) -> None:
        self.values = [list(map(float, row)) for row in values]
        self.row_labels = list(row_labels)
        self.selected = None
        self.update()

    # geometry ------------------------------------------------------------------------------

    def _grid_rect(self) -> QRectF:
        fm = self.fontMetrics()
        left = max((fm.horizontalAdvance(s) for s in self.row_labels), default=0) + 10
        return QRectF(left, 4, self.width() - left - 6, self.height() - fm.height() - 12)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        g = self._grid_rect()
        if not g.contains(pos.toPointF()) or g.width() <= 0 or g.height() <= 0:
            return None
        hour = int((pos.x() - g.left()) / (g.width() / 24))
        day = int((pos.y() - g.top()) / (g.height() / 7))
        return (day, hour) if 0 <= day < 7 and 0 <= hour < 24 else None

    def cell_rect(self, weekday: int, hour: int) -> QRectF:
        g = self._grid_rect()
        w, h = g.width() / 24, g.height() / 7
        return QRectF(g.left() + hour * w, g.top() + weekday * h, w, h)

    # painting and input ----------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        pal = self.palette()
        base, hi = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Highlight)
        text, grid = pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Window)
        top = max((max(r) for r in self.values), default=0.0) or 1.0
        p = QPainter(self)
        p.fillRect(self.rect(), base)
        for d in range(7):
            for h in range(24):
                r = self.cell_rect(d, h)
                v = self.values[d][h] / top if d < len(self.values) else 0.0
                # a square root keeps quiet-but-not-empty cells visible next to the peak
                p.fillRect(r.adjusted(0.5, 0.5, -0.5, -0.5), _mix(base, hi, min(1.0, v) ** 0.5))
                p.setPen(grid)
                p.drawRect(r)
        if self.selected is not None:
            p.setPen(text)
            p.drawRect(self.cell_rect(*self.selected).adjusted(1, 1, -1, -1))
        p.setPen(text)
        fm = self.fontMetrics()
        g = self._grid_rect()
        for d, label in enumerate(self.row_labels):
            r = self.cell_rect(d, 0)
            p.drawText(QRectF(0, r.top(), g.left() - 6, r.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
        for h in range(0, 24, 3):
            r = self.cell_rect(0, h)
            p.drawText(QRectF(r.left(), g.bottom() + 2, r.width() * 3, fm.height() + 4),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, f"{h:02d}")  # fmt: skip
        p.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.selected = cell
            self.update()
            self.cell_clicked.emit(*cell)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            cell = self.cell_at(e.pos())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(e.globalPos(), self.tooltip_for(*cell), self)
            return True
        return super().event(e)
