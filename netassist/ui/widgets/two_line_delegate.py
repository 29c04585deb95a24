"""List items as a heading line and a wrapped body, in palette colours (light and dark).

Models give "heading\\nbody" as DisplayRole; the heading is drawn bold (Today, search) or muted
(timeline), the body wraps to the view's width."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

PAD = 4
Index = QModelIndex | QPersistentModelIndex


class TwoLineDelegate(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView, bold_heading: bool = True) -> None:
        super().__init__(view)
        self.view = view
        self.bold_heading = bold_heading
        # items wrap to the width instead; a horizontal bar would only show the padding
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _parts(self, index: Index) -> tuple[str, str]:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        head, _sep, body = text.partition("\n")
        return head, body

    def _fonts(self, base: QFont) -> tuple[QFont, QFont]:
        head = QFont(base)
        if self.bold_heading:
            head.setBold(True)
        else:
            head.setPointSizeF(max(6.0, base.pointSizeF() * 0.9))
        return head, QFont(base)

    def _width(self) -> int:
        return max(100, self.view.viewport().width() - 2 * PAD - 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        head, body = self._parts(index)
        hf, bf = self._fonts(option.font)
        h = QFontMetrics(hf).height()
        if body:
            rect = QFontMetrics(bf).boundingRect(
                QRect(0, 0, self._width(), 10_000), Qt.TextFlag.TextWordWrap, body
            )
            h += rect.height() + 2
        return QSize(self._width(), h + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:  # background, selection and focus as the style draws them
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        head, body = self._parts(index)
        hf, bf = self._fonts(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text_col = pal.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        head_col = text_col if (self.bold_heading or selected) else pal.color(
            QPalette.ColorRole.PlaceholderText
        )  # fmt: skip
        r = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        painter.save()
        painter.setFont(hf)
        painter.setPen(head_col)
        hh = QFontMetrics(hf).height()
        painter.drawText(QRect(r.left(), r.top(), r.width(), hh),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, head)  # fmt: skip
        if body:
            painter.setFont(bf)
            painter.setPen(text_col)
            painter.drawText(QRect(r.left(), r.top() + hh + 2, r.width(), r.height() - hh - 2),
                             int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft),
                             body)  # fmt: skip
        painter.restore()
