"""The report's charts: QtCharts drawn at 3x into images (sharp on high-DPI screens and in
print), placed in the PDF as document resources (see ``pdf_layout``)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from netassist.core.i18n import _
from netassist.core.reports import NetworkReport
from netassist.ui.format import channel_label

CHANNEL_COLOURS = ["#2d7d9a", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b", "#9c6644",
                   "#6d597a", "#b56576", "#457b9d", "#8d99ae", "#588157", "#bc6c25"]  # fmt: skip


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
