"""Draws a contact's strength (0–100) as a bar in the palette's highlight colour."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from netassist.ui.models.contacts import STRENGTH_ROLE


class StrengthDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        value = index.data(STRENGTH_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style is not None:  # selection background etc., without the number
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        rect: QRect = option.rect.adjusted(4, 5, -34, -5)
        pal = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pal.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(rect, 3, 3)
        filled = QRect(rect)
        filled.setWidth(int(rect.width() * max(0.0, min(100.0, float(value))) / 100))
        bar_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
        painter.setBrush(pal.color(bar_role))
        painter.drawRoundedRect(filled, 3, 3)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(pal.color(text_role))
        num = QRect(rect.right() + 4, option.rect.top(), 30, option.rect.height())
        painter.drawText(num, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                         f"{float(value):.0f}")  # fmt: skip
        painter.restore()
