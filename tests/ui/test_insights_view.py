"""The Insights page on the demo network, real widgets offscreen: every chart is there, and
clicking a bar, a tier, a heat-map cell, a fading tie or a segment lists the right contacts."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QBarSet
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from netassist.core import i18n, insights
from netassist.core.insights import ContactBrief
from netassist.ui.models.briefs import CONTACT_ROLE, ContactBriefModel


@pytest.fixture
def view(qtbot, window):  # type: ignore[no-untyped-def]
    window.resize(1280, 800)
    window.show_page("insights")
    qtbot.waitUntil(lambda: window.insights.data is not None
                    and window.insights.data.network is not None, timeout=30000)  # fmt: skip
    return window.insights


def _behind(qtbot, view, click) -> list[int]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.contacts_shown, timeout=10000):
        click()
    return view.behind_model.contact_ids()


def _bar_set(chart_view) -> QBarSet:  # type: ignore[no-untyped-def]
    return chart_view.chart().series()[0].barSets()[0]


def test_all_charts_show_on_the_demo_network(view) -> None:
    data = view.data
    net = data.network
    assert net is not None and data.strength  # the window scored the demo network
    for w in (view.weekly, view.strength, view.tiers, view.heatmap, view.segments):
        assert w.isVisibleTo(view), w
    assert len(view.weekly.chart().series()) == 1
    assert len(net.segments) >= 2 and _bar_set(view.segments).count() == len(net.segments)
    tiers = _bar_set(view.tiers)
    assert sum(tiers.at(i) for i in range(tiers.count())) == sum(data.tiers.values())
    assert view.heatmap.values == net.heatmap.weight.tolist()
    assert view.heatmap.row_labels[0] == "Mon"
    if net.fading:  # the demo's fading ties depend on the day it is generated
        assert view.fading.isVisibleTo(view)
        assert len(view.fading.chart().series()[0].barSets()) == 2
    else:
        assert view.fading_note.text() == "No strong tie is fading."


def test_clicking_chart_elements_lists_the_contacts_behind_them(qtbot, view) -> None:
    db, data, net = view.db, view.data, view.data.network
    # a week × channel bar of the stacked chart
    series = view.weekly.chart().series()[0]
    week = max(
        range(len(data.week_starts)), key=lambda i: sum(c[i] for c in data.by_channel.values())
    )
    bar = series.barSets()[0]
    channel = next(iter(data.by_channel))
    got = _behind(qtbot, view, lambda: series.clicked.emit(week, bar))
    assert got == insights.contacts_in_week(db, data.week_starts[week], channel) and got
    # a strength band
    band = max(range(len(data.strength)), key=data.strength.__getitem__)
    got = _behind(qtbot, view, lambda: _bar_set(view.strength).clicked.emit(band))
    assert len(got) == data.strength[band]
    assert got == insights.contacts_in_strength_bin(db, band)
    # a tier (the innermost is the top bar of the horizontal chart, i.e. the last)
    tiers = _bar_set(view.tiers)
    got = _behind(qtbot, view, lambda: tiers.clicked.emit(tiers.count() - 1))
    assert (
        got == insights.contacts_in_tier(db, "inner circle")
        and len(got) == data.tiers["inner circle"]
    )
    # a segment (the largest is the top bar)
    segs = _bar_set(view.segments)
    got = _behind(qtbot, view, lambda: segs.clicked.emit(segs.count() - 1))
    assert got == net.segments[0].contact_ids
    # a heat-map cell, clicked with the mouse
    wd, hr = net.heatmap.peaks(1)[0]
    centre = view.heatmap.cell_rect(wd, hr).center().toPoint()
    got = _behind(qtbot, view, lambda: qtbot.mouseClick(view.heatmap, Qt.MouseButton.LeftButton,
                                                         pos=centre))  # fmt: skip
    assert got == net.heatmap.cell_contacts(wd, hr) and got
    assert view.heatmap.selected == (wd, hr)
    assert "people active" in view.behind_title.text()


def test_fading_bar_shows_the_tie_and_its_numbers(qtbot, view) -> None:
    net = view.data.network
    if not net.fading:
        pytest.skip("no fading tie in today's demo network")
    series = view.fading.chart().series()[0]
    shown = net.fading[: series.barSets()[0].count()]
    top = shown[0]  # the steepest fall is the top bar, i.e. the last category
    got = _behind(qtbot, view, lambda: series.clicked.emit(len(shown) - 1, series.barSets()[1]))
    assert got == [top.contact_id]
    assert top.name in view.behind_title.text() and f"{top.prev60:g}" in view.behind_title.text()


def test_a_row_opens_the_contact_page(qtbot, window, view) -> None:
    tiers = _bar_set(view.tiers)
    ids = _behind(qtbot, view, lambda: tiers.clicked.emit(tiers.count() - 1))
    index = view.behind_model.index(1, 0)
    view.behind.doubleClicked.emit(index)
    assert window.current_page() == "contact" and window.contact_page.contact_id == ids[1]


def test_insights_in_russian(qtbot, window) -> None:
    window.apply_settings({"language": "ru"})
    window.show_page("insights")
    view = window.insights
    qtbot.waitUntil(lambda: view.data is not None and view.data.network is not None,
                    timeout=30000)  # fmt: skip
    assert view.heatmap.row_labels == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    assert view.heat_title.text() == "Когда ваша сеть на связи (ваше местное время)"
    assert view.tiers.chart().title() == "Контакты по кругам"
    labels = view.segments.chart().axes(Qt.Orientation.Vertical)[0].categories()
    assert all(lbl.replace("\u200b", "").split()[0] in ("частые", "нечастые", "редкие")
               for lbl in labels)  # fmt: skip
    seg = view.data.network.segments[0]
    got = _behind(qtbot, view, lambda: view.show_segment(seg.id))
    assert got == seg.contact_ids
    n = len(got)
    assert i18n.ngettext("{n} contact", "{n} contacts", n).format(n=n) in view.behind_title.text()


def test_brief_model_passes_the_model_tester(qapp) -> None:
    model = ContactBriefModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows([ContactBrief(3, "Анна", 71.4, "close"), ContactBrief(5, "Bob", None, "")])
    assert model.rowCount() == 2 and model.rowCount(model.index(0, 0)) == 0
    assert model.index(0, 0).data() == "Анна\nstrength 71 · close"
    assert model.index(1, 0).data() == "Bob\nnot scored yet"
    assert model.index(1, 0).data(CONTACT_ROLE) == 5
    assert model.data(QModelIndex()) is None
    model.set_rows([])
    assert model.rowCount() == 0
    del tester


def test_an_empty_network_says_what_will_appear(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from netassist.ui.main_window import MainWindow

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    view = win.insights
    with qtbot.waitSignal(view.network_loaded, timeout=30000):
        win.show_page("insights")
    assert view.heatmap.isHidden() and view.segments.isHidden() and view.fading.isHidden()
    assert view.heat_title.text() == "The activity map appears once people have written to you."
    assert view.fading_note.text() == "No strong tie is fading."
    win.tasks.wait()
