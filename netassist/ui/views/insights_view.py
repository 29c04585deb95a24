"""Insights: interactions per week by channel (stacked bars) and, once the engine has scored
contacts, how strength is distributed. Queried off the GUI thread; colours follow the palette."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from netassist.core import today
from netassist.core.db import Database
from netassist.core.engine.texts import TIER_LABELS, tier_label
from netassist.core.i18n import _
from netassist.core.timeutil import local_dt
from netassist.ui.format import channel_label
from netassist.ui.tasks import Tasks


@dataclass
class InsightsData:
    week_starts: list[int]
    by_channel: dict[str, list[int]]
    strength: list[int]
    tiers: dict[str, int] = field(default_factory=dict)  # tier key → contacts


def load_insights(db: Database) -> InsightsData:
    starts, series = today.weekly_by_channel(db)
    with db.engine.connect() as conn:
        tiers = dict(conn.exec_driver_sql(
            "SELECT s.tier, count(*) FROM contact_score s JOIN contact c ON c.id = s.contact_id"
            " WHERE c.is_me = 0 AND s.tier != '' GROUP BY 1").all())  # fmt: skip
    return InsightsData(starts, series, today.strength_histogram(db), tiers)


def tiers_text(tiers: dict[str, int]) -> str:
    """ "Tiers: inner circle 5 · close 12 · ..." in the active language, innermost first."""
    parts = [f"{tier_label(t)}: {tiers[t]}" for t in TIER_LABELS if tiers.get(t)]
    return _("Tiers: {list}").format(list=" · ".join(parts)) if parts else ""


def _style_chart(chart: QChart, pal: QPalette) -> None:
    """Chart colours from the palette roles, so dark mode looks right."""
    chart.setBackgroundBrush(pal.brush(QPalette.ColorRole.Base))
    chart.setTitleBrush(pal.brush(QPalette.ColorRole.Text))
    chart.legend().setLabelColor(pal.color(QPalette.ColorRole.Text))
    for axis in chart.axes():
        axis.setLabelsColor(pal.color(QPalette.ColorRole.Text))
        axis.setGridLineColor(pal.color(QPalette.ColorRole.Mid))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)


class InsightsView(QWidget):
    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.loaded_once = False
        self.weekly = QChartView()
        self.weekly.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.strength = QChartView()
        self.strength.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.strength_note = QLabel()
        self.strength_note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.weekly, 3)
        lay.addWidget(self.strength_note)
        lay.addWidget(self.strength, 2)
        self.data: InsightsData | None = None

    def reload(self) -> None:
        self.tasks.run(load_insights, self.db, on_done=self._show)

    def _show(self, data: InsightsData) -> None:
        self.loaded_once = True
        self.data = data
        pal = self.palette()
        chart = QChart()
        chart.setTitle(_("Interactions per week, by channel (last 26 weeks)"))
        series = QStackedBarSeries()
        for channel, counts in data.by_channel.items():
            s = QBarSet(channel_label(channel))
            s.append([float(c) for c in counts])
            series.append(s)
        chart.addSeries(series)
        cats = [local_dt(t).strftime("%d.%m") for t in data.week_starts]
        ax = QBarCategoryAxis()
        # unique categories (Qt needs them); a date under every other week keeps them legible
        ax.append([c if i % 2 == 0 else "\u200b" * (i + 1) for i, c in enumerate(cats)])
        ax.setTruncateLabels(False)
        chart.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(ax)
        ay = QValueAxis()
        top = max((sum(col) for col in zip(*data.by_channel.values(), strict=True)), default=0)
        ax.setLabelsAngle(-90)
        ay.setRange(0, max(1, top))
        ay.applyNiceNumbers()
        ay.setLabelFormat("%d")
        chart.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ay)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        _style_chart(chart, pal)
        old = self.weekly.chart()
        self.weekly.setChart(chart)
        old.deleteLater()

        sc = QChart()
        if data.strength:
            self.strength_note.setText(tiers_text(data.tiers))
            sc.setTitle(_("Contacts by strength"))
            bars = QBarSeries()
            s = QBarSet(_("contacts"))
            s.append([float(c) for c in data.strength])
            bars.append(s)
            sc.addSeries(bars)
            step = 100 // len(data.strength)
            axs = QBarCategoryAxis()
            axs.append([f"{i * step}–{(i + 1) * step}" for i in range(len(data.strength))])
            sc.addAxis(axs, Qt.AlignmentFlag.AlignBottom)
            bars.attachAxis(axs)
            ays = QValueAxis()
            ays.setRange(0, max(1, max(data.strength)))
            ays.applyNiceNumbers()
            ays.setLabelFormat("%d")
            sc.addAxis(ays, Qt.AlignmentFlag.AlignLeft)
            bars.attachAxis(ays)
            sc.legend().hide()
            self.strength.show()
        else:
            self.strength_note.setText(
                _("The strength distribution appears once the engine has scored your contacts.")
            )
            self.strength.hide()
        _style_chart(sc, pal)
        old = self.strength.chart()
        self.strength.setChart(sc)
        old.deleteLater()
