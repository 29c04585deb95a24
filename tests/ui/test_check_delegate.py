"""Unticked check boxes in item views stay visible on a dark palette (Fusion draws them in the
list's own background colour)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from netassist.ui.widgets.check_delegate import VisibleCheckDelegate, outline_colour


def _dark() -> QPalette:
    p = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.WindowText, "#e6e6e6")):  # fmt: skip
        p.setColor(role, QColor(colour))
    return p


def _indicator_contrast(qtbot, delegate: QStyledItemDelegate | None) -> float:
    """The largest lightness difference from Base along the unticked indicator's border."""
    model = QStandardItemModel()
    item = QStandardItem("Ирина Лебедева")
    item.setCheckable(True)
    item.setCheckState(Qt.CheckState.Unchecked)
    model.appendRow(item)
    view = QListView()
    qtbot.addWidget(view)
    view.setPalette(_dark())
    view.setModel(model)
    if delegate is not None:
        view.setItemDelegate(delegate)
    view.resize(300, 80)
    img = view.viewport().grab().toImage()
    opt = QStyleOptionViewItem()
    opt.initFrom(view.viewport())
    opt.rect = view.visualRect(model.index(0, 0))
    opt.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    rect = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, view)
    base = QColor("#1e1e1e").lightness()
    border = [(x, rect.top()) for x in range(rect.left(), rect.right())]
    border += [(rect.left(), y) for y in range(rect.top(), rect.bottom())]
    return max(abs(img.pixelColor(x, y).lightness() - base) for x, y in border)


def test_unticked_box_visible_on_dark_palette(qtbot) -> None:
    assert _indicator_contrast(qtbot, VisibleCheckDelegate()) > 60
    # control: the style's own drawing leaves it (nearly) invisible, which is why the delegate exists
    assert _indicator_contrast(qtbot, None) < 30


def test_light_palette_left_to_the_style() -> None:
    light = QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    assert outline_colour(light) is None
    assert outline_colour(_dark()) is not None
