"""How dates, ages and states read to a person (translated; Qt-free helpers for the views)."""

from __future__ import annotations

from netassist.core.i18n import _, ngettext
from netassist.core.timeutil import fmt_local, now_ts


def format_age(ts: int | None, now: int | None = None) -> str:
    """ "today", "3 days ago", "5 months ago"… for a past timestamp."""
    if ts is None:
        return ""
    now = now_ts() if now is None else now
    days = max(0, (now - ts) // 86400)
    if days == 0:
        return _("today")
    if days < 60:
        return ngettext("%d day ago", "%d days ago", days) % days
    if days < 730:
        months = days // 30
        return ngettext("%d month ago", "%d months ago", months) % months
    years = days // 365
    return ngettext("%d year ago", "%d years ago", years) % years


def format_due(ts: int | None, state: str = "", now: int | None = None) -> str:
    if ts is None:
        return ""
    if state == "dormant":  # past three cadences: gone quiet, not endlessly overdue
        return _("gone quiet")
    now = now_ts() if now is None else now
    days = (ts - now) // 86400
    if days < 0 or state == "overdue":
        late = max(1, -days)
        return ngettext("overdue %d day", "overdue %d days", late) % late
    if days == 0:
        return _("due today")
    return ngettext("in %d day", "in %d days", days) % days


def format_trend(trend: str) -> str:
    return {"up": "↑ " + _("rising"), "down": "↓ " + _("fading"), "flat": "→ " + _("steady")}.get(
        trend, ""
    )


def format_when(ts: int | None) -> str:
    return fmt_local(ts) if ts is not None else ""


def channel_label(channel: str) -> str:
    labels = {
        "call": _("call"), "meeting": _("meeting"), "note": _("note"), "email": _("e-mail"),
        "telegram": "Telegram", "whatsapp": "WhatsApp", "sms": _("SMS"), "vk": _("VK"),
        "messenger": "Messenger", "instagram": "Instagram", "signal": "Signal",
        "linkedin": "LinkedIn", "other": _("other"),
    }  # fmt: skip
    return labels.get(channel, channel)


def direction_label(direction: str) -> str:
    return {
        "in": "← " + _("from them"),
        "out": "→ " + _("from me"),
        "mutual": "↔ " + _("together"),
    }.get(direction, direction)


def identity_label(kind: str) -> str:
    """How a kind of identity (a way to reach someone) is named."""
    labels = {
        "email": _("e-mail"), "phone": _("phone"), "vk": _("VK"), "url": _("website"),
        "telegram": "Telegram", "whatsapp": "WhatsApp", "signal": "Signal", "skype": "Skype",
        "linkedin": "LinkedIn", "facebook": "Facebook", "twitter": "Twitter",
        "instagram": "Instagram", "messenger": "Messenger",
    }  # fmt: skip
    return labels.get(kind, kind)
