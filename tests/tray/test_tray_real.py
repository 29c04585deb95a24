"""Reminders reach a real notification daemon through netassist's tray, once, on time; missed
ones fire once after a restart; snooze and done survive restarts."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.tray


def _reminder(app: dict[str, Any], title: str) -> dict[str, Any]:
    return next(r for r in app["reminders"] if r["title"] == title)


def test_the_tray_is_real(tray_run: dict[str, Any]) -> None:
    app = tray_run["on-time"]["app"]
    assert app["platform"] == "xcb"
    assert app["tray_available"] and app["supports_messages"]
    assert app["unavailable"] == [] and app["in_window"] == []
    assert all(s["via_tray"] for s in app["shown"])


def test_reminder_due_in_seconds_reaches_the_daemon_once(tray_run: dict[str, Any]) -> None:
    run = tray_run["on-time"]
    got = run["daemon"]
    assert len(got) == 2, got  # the single reminder, then the digest; no repeats
    first = got[0]
    assert first["summary"] == "netassist: 1 thing to do today"
    assert first["body"] == "• Позвонить Ивану Петрову — Иван Петров"
    assert first["appname"] == "netassist"
    # on time: not before it was due, and within two seconds after
    due = _reminder(run["app"], "Позвонить Ивану Петрову")["due_at"]
    shown = run["app"]["shown"][0]
    assert due - 0.05 <= shown["t"] < due + 2
    assert shown["badge"] == 1


def test_several_due_together_are_one_digest(tray_run: dict[str, Any]) -> None:
    run = tray_run["on-time"]
    digest = run["daemon"][1]
    assert digest["summary"] == "netassist: 3 things to do today"
    assert digest["body"].splitlines() == [
        "• Купить подарок Ольге", "• Отправить резюме", "• Send the slides"
    ]  # fmt: skip
    assert run["app"]["shown"][1]["badge"] == 4  # everything due now, the first one included
    assert all(r["last_fired_at"] is not None for r in run["app"]["reminders"])


def test_missed_while_not_running_fires_once_after_restart(tray_run: dict[str, Any]) -> None:
    first, second, _third = tray_run["restart"]["runs"]
    assert first["daemon"] == [] and first["app"]["shown"] == []  # quit before they were due
    got = second["daemon"]
    assert len(got) == 1, got  # once, though both persisted jobs misfired, and no repeat
    assert got[0]["summary"] == "netassist: 2 things to do today (2 missed)"
    assert got[0]["body"].splitlines() == [
        "• missed: Поздравить Марину", "• missed: Отправить отчёт Сергею"
    ]  # fmt: skip
    shown = second["app"]["shown"][0]
    assert shown["t"] - second["app"]["started"] < 3  # at start-up, not at some later check


def test_snooze_and_done_survive_a_restart(tray_run: dict[str, Any]) -> None:
    _first, second, third = tray_run["restart"]["runs"]
    snoozed = _reminder(second["app"], "Поздравить Марину")
    done = _reminder(second["app"], "Отправить отчёт Сергею")
    assert snoozed["snoozed_until"] is not None and snoozed["done_at"] is None
    assert done["done_at"] is not None
    # the next start: only the snoozed one comes back (missed again: its time passed meanwhile)
    assert [(n["summary"], n["body"]) for n in third["daemon"]] == [
        ("netassist: 1 thing to do today (1 missed)", "• missed: Поздравить Марину")
    ]
    assert _reminder(third["app"], "Отправить отчёт Сергею")["done_at"] == done["done_at"]
    again = _reminder(third["app"], "Поздравить Марину")
    assert again["snoozed_until"] == snoozed["snoozed_until"]
    assert again["last_fired_at"] >= again["snoozed_until"]


def test_panel_sees_badge_tooltip_and_menu(tray_run: dict[str, Any]) -> None:
    run = tray_run["menu"]
    item = run["item"]
    assert item["Id"] == "netassist" and item["Status"] == "Active"
    assert item["ToolTip"][2] == "netassist — 1 thing due"  # the one already shown, still due
    assert run["badge"]["red"] > 100 and run["badge"]["white"] > 10  # the red disc and digit
    top = [e["label"] for e in run["menu"] if e["depth"] == 1 and not e["separator"]]
    assert top == ["Open netassist", "Today's follow-ups", "Log interaction…",
                   "Pause reminders", "Quit"]  # fmt: skip
    labels = [e["label"] for e in run["menu"] if e["depth"] == 2]
    assert labels == ["Nothing due today", "For 1 hour", "Until tomorrow"]


def test_pause_clicked_in_the_panel_holds_reminders_back(tray_run: dict[str, Any]) -> None:
    run = tray_run["menu"]
    assert abs(run["app"]["paused_until"] - (run["clicked_at"] + 3600)) < 5
    due = _reminder(run["app"], "Позвонить Ивану")["due_at"]
    assert run["clicked_at"] < due < run["app"]["started"] + 8  # came due while running, paused
    assert run["app"]["shown"] == [] and run["daemon"] == []
    assert _reminder(run["app"], "Позвонить Ивану")["last_fired_at"] is None  # waits, not lost
