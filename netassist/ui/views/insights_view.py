"""Insights: interactions per week by channel, strength distribution and tiers, fading ties, the
best-time heat map and segments. Every bar, tier, cell and segment is clickable: the contacts
behind it are listed in the panel on the right, and a row opens the contact's page.

Everything is computed off the GUI thread (``netassist.core.insights`` caches the expensive
parts); colours follow the palette, so light and dark desktops both read right."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QModelIndex, Qt, Signal
from PySide6.QtGui import QCursor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from netassist.core import insights, today
from netassist.core.db import Database
from netassist.core.engine.texts import SHOWN_TIER_LABELS, tier_label
from netassist.core.i18n import _, ngettext
from netassist.core.insights import ContactBrief, NetworkInsights
from netassist.core.timeutil import local_dt
from netassist.ui.format import channel_label
from netassist.ui.models.briefs import CONTACT_ROLE, ContactBriefModel
from netassist.ui.tasks import Tasks
from netassist.ui.widgets.heatmap import HeatMapWidget
from netassist.ui.widgets.two_line_delegate import TwoLineDelegate

FADING_SHOWN = 8  # bars in the fading-ties chart (the report lists more)
NAME_CHARS = 28  # category labels longer than this are shortened (the tooltip has the rest)


@dataclass
class InsightsData:
    week_starts: list[int]
    by_channel: dict[str, list[int]]
    strength: list[int]
    tiers: dict[str, int] = field(default_factory=dict)  # tier key → contacts
    network: NetworkInsights | None = None  # fading ties, heat map, segments


def load_insights(db: Database) -> InsightsData:
    """The quick part: SQL over the interactions and the score cache."""
    starts, series = today.weekly_by_channel(db)
    return InsightsData(starts, series, today.strength_histogram(db), insights.tier_counts(db))


def load_network(db: Database) -> NetworkInsights:
    """The engine's part (fading ties, heat map, segments): seconds on a large history the
    first time, then cached in core until the data changes."""
    return insights.network_insights(db)


def tiers_text(tiers: dict[str, int]) -> str:
    """ "Tiers: inner circle 5 · close 12 · ..." in the active language, innermost first."""
    parts = [f"{tier_label(t)}: {tiers[t]}" for t in SHOWN_TIER_LABELS if tiers.get(t)]
    return _("Tiers: {list}").format(list=" · ".join(parts)) if parts else ""


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def _tip(on: bool, text: str) -> None:
    """Hovering a bar tells its whole label (category labels may be shortened)."""
    if on:
        QToolTip.showText(QCursor.pos(), text)
    else:
        QToolTip.hideText()


def _new_chart(pal: QPalette) -> QChart:
    """A chart whose series colours suit the palette (the theme is set before series are added:
    setting it later would repaint them)."""
    chart = QChart()
    dark = pal.color(QPalette.ColorRole.Base).lightness() < 128
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    return chart


def _style_chart(chart: QChart, pal: QPalette) -> None:
    """Chart colours from the palette roles, so dark mode looks right."""
    chart.setBackgroundBrush(pal.brush(QPalette.ColorRole.Base))
    chart.setTitleBrush(pal.brush(QPalette.ColorRole.Text))
    chart.legend().setLabelColor(pal.color(QPalette.ColorRole.Text))
    for axis in chart.axes():
        axis.setLabelsColor(pal.color(QPalette.ColorRole.Text))
        axis.setGridLineColor(pal.color(QPalette.ColorRole.Mid))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))


def _value_axis(top: float) -> QValueAxis:
    ax = QValueAxis()
    ax.setRange(0, max(1.0, top))
    ax.applyNiceNumbers()
    ax.setLabelFormat("%d")
    return ax


def _chart_view(min_height: int) -> QChartView:
    v = QChartView()
    v.setRenderHint(QPainter.RenderHint.Antialiasing)
    v.setMinimumHeight(min_height)
    return v


class InsightsView(QWidget):
    contact_activated = Signal(int)
    contacts_shown = Signal()  # the panel has the contacts behind the element clicked
    network_loaded = Signal()  # fading ties, heat map and segments are shown

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.loaded_once = False
        self.data: InsightsData | None = None
        self.weekly = _chart_view(250)
        self.strength = _chart_view(215)
        self.tiers = _chart_view(215)
        self.fading = _chart_view(330)
        self.segments = _chart_view(240)
        self.heatmap = HeatMapWidget()
        self.heatmap.cell_clicked.connect(self.show_heat_cell)
        self.strength_note = QLabel()
        self.strength_note.setWordWrap(True)
        self.fading_note = QLabel()
        self.fading_note.setWordWrap(True)
        self.heat_title = QLabel()
        self.heat_title.setWordWrap(True)
        self.heat_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        bold = self.heat_title.font()
        bold.setBold(True)
        self.heat_title.setFont(bold)

        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 4, 0)
        grid.addWidget(self.weekly, 0, 0, 1, 2)
        grid.addWidget(self.strength_note, 1, 0, 1, 2)
        grid.addWidget(self.strength, 2, 0)
        grid.addWidget(self.tiers, 2, 1)
        grid.addWidget(self.heat_title, 3, 0, 1, 2)
        grid.addWidget(self.heatmap, 4, 0, 1, 2)
        grid.addWidget(self.fading_note, 5, 0, 1, 2)
        # full width: names and segment labels need the room that half a row cannot give
        grid.addWidget(self.fading, 6, 0, 1, 2)
        grid.addWidget(self.segments, 7, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(charts)

        self.behind_title = QLabel(_("Click a bar, a tier, a cell or a segment to see the "
                                     "contacts behind it."))  # fmt: skip
        self.behind_title.setWordWrap(True)
        self.behind_model = ContactBriefModel(self)
        self.behind = QListView()
        self.behind.setModel(self.behind_model)
        self.behind.setItemDelegate(TwoLineDelegate(self.behind, bold_heading=True))
        self.behind.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.behind.activated.connect(self._open)
        self.behind.doubleClicked.connect(self._open)
        hint = QLabel(_("Double-click a name to open the contact."))
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        panel = QWidget()
        pl = QVBoxLayout(panel)
        pl.setContentsMargins(4, 0, 0, 0)
        pl.addWidget(self.behind_title)
        pl.addWidget(self.behind, 1)
        pl.addWidget(hint)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.scroll_area)
        split.addWidget(panel)
        split.setStretchFactor(0, 1)
        split.setSizes([780, 300])
        panel.setMinimumWidth(220)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self._request = 0  # only the newest click's contacts reach the panel

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.tasks.run(load_insights, self.db, on_done=self._show)

    def _show(self, data: InsightsData) -> None:
        self.loaded_once = True
        previous = self.data.network if self.data else None
        data.network = previous  # the last engine charts stay until the new ones are in
        self.data = data
        pal = self.palette()
        self._set_chart(self.weekly, self._weekly_chart(data, pal))
        if data.strength:
            self.strength_note.setText(tiers_text(data.tiers))
            self._set_chart(self.strength, self._strength_chart(data, pal))
            self._set_chart(self.tiers, self._tiers_chart(data, pal))
            self.strength.show()
            self.tiers.show()
        else:
            self.strength_note.setText(
                _("The strength distribution appears once the engine has scored your contacts.")
            )
            self.strength.hide()
            self.tiers.hide()
        if previous is None:
            self.heat_title.setText(_("Working out best times, fading ties and segments…"))
            for w in (self.heatmap, self.fading, self.fading_note, self.segments):
                w.hide()
        self.tasks.run(load_network, self.db, on_done=self._show_network)

    def _show_network(self, net: NetworkInsights) -> None:
        if self.data is None:
            return
        self.data.network = net
        pal = self.palette()
        hm = net.heatmap
        if len(hm.contact):
            self.heat_title.setText(_("When your network is active (your local time)"))
        else:
            self.heat_title.setText(_("The activity map appears once people have written to you."))
        self.heatmap.set_data(hm.weight.tolist(), [insights.weekday_label(d) for d in range(7)])
        self.heatmap.tooltip_for = self._heat_tooltip
        self.heatmap.setVisible(bool(len(hm.contact)))
        fading = net.fading[:FADING_SHOWN]
        if fading:
            self._set_chart(self.fading, self._fading_chart(fading, pal))
        self.fading_note.setText("" if fading else _("No strong tie is fading."))
        self.fading_note.setVisible(not fading)
        self.fading.setVisible(bool(fading))
        if net.segments:
            self._set_chart(self.segments, self._segments_chart(net, pal))
        self.segments.setVisible(bool(net.segments))
        self.network_loaded.emit()

    @staticmethod
    def _set_chart(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        old.deleteLater()

    def _weekly_chart(self, data: InsightsData, pal: QPalette) -> QChart:
        chart = _new_chart(pal)
        chart.setTitle(_("Interactions per week, by channel (last 26 weeks)"))
        series = QStackedBarSeries()
        for channel, counts in data.by_channel.items():
            s = QBarSet(channel_label(channel))
            s.setProperty("channel", channel)
            s.append([float(c) for c in counts])
            series.append(s)
        series.clicked.connect(lambda i, bs: self.show_week_channel(i, str(bs.property("channel"))))
        chart.addSeries(series)
        cats = [local_dt(t).strftime("%d.%m") for t in data.week_starts]
        ax = QBarCategoryAxis()
        # unique categories (Qt needs them); a date under every other week keeps them legible
        ax.append([c if i % 2 == 0 else "\u200b" * (i + 1) for i, c in enumerate(cats)])
        ax.setTruncateLabels(False)
        ax.setLabelsAngle(-90)
        chart.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(ax)
        top = max((sum(col) for col in zip(*data.by_channel.values(), strict=True)), default=0)
        ay = _value_axis(top)
        chart.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ay)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        _style_chart(chart, pal)
        return chart

    def _bars(self, title: str, labels: list[str], values: list[float], pal: QPalette,
              horizontal: bool = False) -> tuple[QChart, QBarSet]:  # fmt: skip
        chart = _new_chart(pal)
        chart.setTitle(title)
        s = QBarSet(title)
        s.setColor(pal.color(QPalette.ColorRole.Highlight))
        s.append(values)
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(s)
        chart.addSeries(series)
        cat = QBarCategoryAxis()
        cat.append(labels)
        val = _value_axis(max(values, default=0))
        chart.addAxis(
            cat, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        )
        chart.addAxis(
            val, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        )
        series.attachAxis(cat)
        series.attachAxis(val)
        chart.legend().hide()
        _style_chart(chart, pal)
        return chart, s

    def _strength_chart(self, data: InsightsData, pal: QPalette) -> QChart:
        step = 100 // len(data.strength)
        # the lower bound of each band: "0–10" under every bar would not fit at 1280 px
        labels = [str(i * step) for i in range(len(data.strength))]
        chart, s = self._bars(_("Contacts by strength"), labels,
                              [float(c) for c in data.strength], pal)  # fmt: skip
        chart.axes(Qt.Orientation.Horizontal)[0].setTitleText(_("strength (band from)"))
        s.clicked.connect(self.show_strength_bin)
        return chart

    def _tier_keys(self) -> list[str]:
        """Tiers with contacts, innermost at the top of the horizontal chart."""
        tiers = self.data.tiers if self.data else {}
        return [t for t in reversed(list(SHOWN_TIER_LABELS)) if tiers.get(t)]

    def _tiers_chart(self, data: InsightsData, pal: QPalette) -> QChart:
        keys = self._tier_keys()
        chart, s = self._bars(_("Contacts by tier"), [tier_label(t) for t in keys],
                              [float(data.tiers[t]) for t in keys], pal, horizontal=True)  # fmt: skip
        s.clicked.connect(lambda i: self.show_tier(keys[i]))
        return chart

    def _fading_chart(self, fading: list[insights.FadingTie], pal: QPalette) -> QChart:
        shown = list(reversed(fading))  # the steepest fall at the top
        chart = _new_chart(pal)
        chart.setTitle(_("Fading ties: interactions per 30 days"))
        before = QBarSet(_("before (60 days, halved)"))
        before.append([x.prev60 / 2 for x in shown])
        now = QBarSet(_("last 30 days"))
        now.append([x.recent30 for x in shown])
        before.setColor(pal.color(QPalette.ColorRole.Mid))
        now.setColor(pal.color(QPalette.ColorRole.Highlight))
        series = QHorizontalBarSeries()
        series.append(before)
        series.append(now)
        series.clicked.connect(lambda i, _bs: self.show_fading(shown[i].contact_id))
        series.hovered.connect(lambda on, i, _bs: _tip(on, self._fading_text(shown[i])))
        chart.addSeries(series)
        cat = QBarCategoryAxis()
        cat.append([_short(x.name) + "\u200b" * k for k, x in enumerate(shown)])
        val = _value_axis(max((max(x.prev60 / 2, x.recent30) for x in shown), default=0))
        chart.addAxis(cat, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(val, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(cat)
        series.attachAxis(val)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        _style_chart(chart, pal)
        return chart

    def _segments_chart(self, net: NetworkInsights, pal: QPalette) -> QChart:
        segs = list(reversed(net.segments))  # the largest at the top
        labels = [self._segment_name(s) + "\u200b" * k for k, s in enumerate(segs)]
        chart, s = self._bars(_("Segments: contacts with a similar pattern"), labels,
                              [float(x.size) for x in segs], pal, horizontal=True)  # fmt: skip
        s.clicked.connect(lambda i: self.show_segment(segs[i].id))
        s.hovered.connect(lambda on, i: _tip(on, self._segment_name(segs[i])))
        return chart

    @staticmethod
    def _fading_text(tie: insights.FadingTie) -> str:
        return _("{name}: {recent} interactions in the last 30 days, {before} in the 60 days "
                 "before").format(name=tie.name, recent=f"{tie.recent30:g}",
                                  before=f"{tie.prev60:g}")  # fmt: skip

    def _segment_name(self, seg: insights.SegmentInfo) -> str:
        """The segment's label; segments whose traits read the same get a number."""
        net = self.data.network if self.data else None
        same = [s.id for s in (net.segments if net else []) if s.traits == seg.traits]
        label = _short(insights.segment_label(seg.traits))
        return label if len(same) < 2 else f"{label} ({same.index(seg.id) + 1})"

    def _heat_tooltip(self, weekday: int, hour: int) -> str:
        net = self.data.network if self.data else None
        n = int(net.heatmap.people[weekday, hour]) if net else 0
        people = ngettext("{n} person active", "{n} people active", n).format(n=n)
        return f"{insights.weekday_label(weekday)} {insights.hour_span(hour)} · {people}"

    # --- the contacts behind a chart element (public slots: the charts' signals call them) ---

    def show_week_channel(self, index: int, channel: str) -> None:
        if not self.data or not (0 <= index < len(self.data.week_starts)):
            return
        start = self.data.week_starts[index]
        title = _("Week from {date}, {channel}").format(
            date=local_dt(start).strftime("%d.%m.%Y"), channel=channel_label(channel)
        )
        self._show_behind(title, lambda: insights.contacts_in_week(self.db, start, channel))

    def show_strength_bin(self, index: int) -> None:
        if not self.data or not (0 <= index < len(self.data.strength)):
            return
        bins = len(self.data.strength)
        step = 100 // bins
        title = _("Strength {lo}–{hi}").format(lo=index * step, hi=(index + 1) * step)
        self._show_behind(title, lambda: insights.contacts_in_strength_bin(self.db, index, bins))

    def show_tier(self, tier: str) -> None:
        self._show_behind(tier_label(tier), lambda: insights.contacts_in_tier(self.db, tier))

    def show_fading(self, cid: int) -> None:
        net = self.data.network if self.data else None
        tie = next((x for x in net.fading if x.contact_id == cid), None) if net else None
        if tie is None:
            return
        self._show_behind(self._fading_text(tie), lambda: [cid])

    def show_heat_cell(self, weekday: int, hour: int) -> None:
        net = self.data.network if self.data else None
        if net is None:
            return
        self.heatmap.selected = (weekday, hour)
        self.heatmap.update()
        ids = net.heatmap.cell_contacts(weekday, hour)
        self._show_behind(self._heat_tooltip(weekday, hour), lambda: ids)

    def show_segment(self, segment_id: int) -> None:
        net = self.data.network if self.data else None
        seg = next((s for s in net.segments if s.id == segment_id), None) if net else None
        if seg is None:
            return
        ids = list(seg.contact_ids)
        self._show_behind(self._segment_name(seg), lambda: ids)

    def _show_behind(self, title: str, ids_fn: object) -> None:
        self._request += 1
        req = self._request
        db = self.db

        def job() -> list[ContactBrief]:
            return insights.contact_briefs(db, ids_fn())  # type: ignore[operator]

        def done(rows: list[ContactBrief]) -> None:
            if req != self._request:
                return
            n = ngettext("{n} contact", "{n} contacts", len(rows)).format(n=len(rows))
            self.behind_title.setText(f"{title}\n{n}")
            self.behind_model.set_rows(rows)
            self.contacts_shown.emit()

        self.tasks.run(job, on_done=done)

    def _open(self, index: QModelIndex) -> None:
        cid = index.data(CONTACT_ROLE)
        if cid is not None:
            self.contact_activated.emit(int(cid))
