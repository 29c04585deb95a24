"""Check boxes in item views that stay visible on a dark palette.

Fusion draws an item view's check indicator filled with the Base colour and outlined with a
darkened Window colour: on a dark palette both are near black, so an unticked box vanishes into
the list (a ticked one still shows its mark). This delegate paints the item as usual, then, when
the palette is dark, outlines the indicator with a colour between Base and Text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem


def outline_colour(pal: QPalette) -> QColor | None:
    """The indicator's outline on a dark palette (None on a light one: the style's own is fine)."""
    base = pal.color(QPalette.ColorRole.Base)
    if base.lightness() >= 128:
        return None
    text = pal.color(QPalette.ColorRole.Text)
    mix = 0.45  # far enough from Base to see, quieter than the text
    return QColor(
        round(base.red() + (text.red() - base.red()) * mix),
        round(base.green() + (text.green() - base.green()) * mix),
        round(base.blue() + (text.blue() - base.blue()) * mix),
    )


class VisibleCheckDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        super().paint(painter, option, index)
        colour = outline_colour(option.palette)  # type: ignore[attr-defined]
        if colour is None or index.data(Qt.ItemDataRole.CheckStateRole) is None:
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget: Any = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is None:
            return
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()
