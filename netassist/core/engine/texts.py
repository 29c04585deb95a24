"""The engine's words for people: tier names, strength explanations, follow-up reasons and
actions, in any language, rendered from the machine-readable values the engine keeps.

One way for every engine text: the engine computes numbers and a ``params`` dict (follow-ups:
``kind`` + ``params``; strength: component + ``params``; tiers: the English key stored in the
database), and whoever shows them calls these functions with the language wanted. The engine
itself fills its English ``reason``/``suggested_action``/breakdown strings with the same functions
and ``lang="en"``, so logs, JSON and tests see one stable English text, while the window, the
tray, the digest, the PDF reports and the CLI show the person's language. Cached results (the
score cache keeps ``params`` next to its English text) are re-rendered when shown, so switching
the language needs no rescoring.

``lang=None`` means the active language (:func:`netassist.core.i18n.set_language`); an explicit
language never switches the process's language, so worker threads may call these too.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Mapping
from typing import Any

from netassist.core.i18n import N_, current_language, translations_for

#: Tier keys as stored (``contact_score.tier``), marked for translation.
TIER_LABELS: dict[str, str] = {
    "inner circle": N_("inner circle"),
    "close": N_("close"),
    "active": N_("active"),
    "acquaintance": N_("acquaintance"),
    "dormant": N_("dormant"),
}
#: The tiers as shown and counted: the five, and "never" for contacts never interacted with,
#: who are in no tier (the engine files them under "dormant"; see ``SHOWN_TIER_SQL``).
SHOWN_TIER_LABELS: dict[str, str] = {**TIER_LABELS, "never": N_("no history")}
#: The tier as shown and counted (insights, reports): a contact never interacted with is in no
#: tier of relationships, not "dormant" (the engine's columns give them strength 0 and the
#: dormant tier, as a tier there must be a number). ``{s}``: the contact_score alias.
SHOWN_TIER_SQL = "CASE WHEN {s}.state = 'never' THEN 'never' ELSE {s}.tier END"


def shown_tier(tier: str | None, state: str | None) -> str:
    """``SHOWN_TIER_SQL`` for one cached row."""
    return "never" if state == "never" else (tier or "")


COMPONENT_LABELS: dict[str, str] = {
    "recency": N_("recency"),
    "frequency_month": N_("frequency (month)"),
    "frequency_year": N_("frequency (year)"),
    "active": N_("active now"),
    "reciprocity": N_("reciprocity"),
}
#: How an overdue follow-up suggests reaching out, by the contact's usual channel.
_CHANNEL_ACTIONS: dict[str, str] = {
    "email": N_("Send an e-mail"),
    "call": N_("Call them"),
    "meeting": N_("Arrange a meeting"),
    "sms": N_("Send an SMS"),
}
_CHANNEL_NAMES: dict[str, str] = {
    "telegram": "Telegram", "whatsapp": "WhatsApp", "messenger": "Messenger",
    "instagram": "Instagram", "vk": N_("VK"), "signal": "Signal", "linkedin": "LinkedIn",
}  # fmt: skip
_DEFAULT_MEMORY_DAYS = {"month": 30, "year": 365}


def _t(lang: str | None) -> gettext.NullTranslations:
    return translations_for(lang)


def _n(x: Any) -> int:
    """A count for plural rules; the engine's floats are rounded like its English texts."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return 0
    return round(v) if math.isfinite(v) else 0


def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def format_decimal(x: float, lang: str | None = None) -> str:
    """One decimal, with the decimal comma Russian writes."""
    text = f"{x:.1f}"
    return text.replace(".", ",") if (lang or current_language()) == "ru" else text


def tier_label(tier: str, lang: str | None = None) -> str:
    """ "close" → "близкие"; unknown keys are shown as they are."""
    label = SHOWN_TIER_LABELS.get(tier)
    return _t(lang).gettext(label) if label else tier


def component_label(component: str, lang: str | None = None) -> str:
    label = COMPONENT_LABELS.get(component)
    return _t(lang).gettext(label) if label else component.replace("_", " ")


def days_ago(days: Any, lang: str | None = None) -> str:
    """ "today" / "3 days ago" (follow-ups count whole days)."""
    t = _t(lang)
    d = _f(days)
    if d is None or d < 1:
        return t.gettext("today")
    n = _n(d)
    return t.ngettext("{n} day ago", "{n} days ago", n).format(n=n)


def time_ago(days: Any, lang: str | None = None) -> str:
    """ "just now" / "5 hours ago" / "3 days ago" / "never" (strength explanations)."""
    t = _t(lang)
    d = _f(days)
    if d is None:
        return t.gettext("never")
    if d < 1 / 24:
        return t.gettext("just now")
    if d < 1:
        h = _n(d * 24)
        return t.ngettext("{n} hour ago", "{n} hours ago", h).format(n=h)
    n = 1 if d < 1.5 else _n(d)
    return t.ngettext("{n} day ago", "{n} days ago", n).format(n=n)


# -- strength breakdown ------------------------------------------------------------------------


def component_text(component: str, params: Mapping[str, Any], lang: str | None = None) -> str:
    """Why a strength component has its points, from the params ``strength._explain`` keeps."""
    t = _t(lang)
    if params.get("never"):
        return t.gettext("never interacted")
    if component == "recency":
        txt = t.gettext("last talk {ago}").format(ago=time_ago(params.get("days_since_last"), lang))
        gap = _f(params.get("usual_gap_days"))
        if gap is not None:
            if gap >= 1.5:
                n = _n(gap)
                usual = t.ngettext("usually every {n} day", "usually every {n} days", n)
                txt += ", " + usual.format(n=n)
            else:
                txt += ", " + t.gettext("usually daily")
        return txt
    if component in ("frequency_month", "frequency_year"):
        mem = str(params.get("memory") or ("month" if component == "frequency_month" else "year"))
        days = _n(params.get("memory_days") or _DEFAULT_MEMORY_DAYS.get(mem, 30))
        c = _f(params.get("decayed_conversations")) or 0.0
        txt = t.ngettext(  # a decayed count: say how it decays instead of "memory"
            "{c} recent conversations (each counts half after {n} day)",
            "{c} recent conversations (each counts half after {n} days)",
            days,
        ).format(c=format_decimal(c, lang), n=days)
        if mem == "year":
            conv, msgs = _n(params.get("conversations")), _n(params.get("messages"))
            a = t.ngettext("{n} conversation", "{n} conversations", conv).format(n=conv)
            b = t.ngettext("{n} message", "{n} messages", msgs).format(n=msgs)
            txt += ", " + t.gettext("{a} and {b} in all").format(a=a, b=b)
        return txt
    if component == "active":
        s = _f(params.get("days_since_last"))
        if s is not None and s < 1.0:
            return t.gettext("conversation going on (last message {ago})").format(
                ago=time_ago(s, lang)
            )
        if s is None:
            return t.gettext("no conversation in the last day")
        # the points are not zero yet: say why (2 ** -days since the last one)
        return t.gettext("last conversation {ago}: the points halve every day after one").format(
            ago=time_ago(s, lang)
        )
    if component == "reciprocity":
        share = _f(params.get("share_mine"))
        if share is None:
            return t.gettext("no messages")
        if share >= 1.0:
            return t.gettext("one-sided: only I write")
        if share <= 0.0:
            return t.gettext("one-sided: only they write")
        return t.gettext("two-way: {p}% of messages are mine").format(p=f"{share * 100:.0f}")
    return ""


def breakdown_line(item: Mapping[str, Any], lang: str | None = None) -> str:
    """The explanation of one cached breakdown item (``component``, ``params``, ...).

    Items cached before ``params`` were stored keep their English text, minus the
    "recency 16/20: " prefix the label and numbers already show."""
    params = item.get("params")
    if isinstance(params, Mapping):
        return component_text(str(item.get("component", "")), params, lang)
    text = str(item.get("explanation", ""))
    head, sep, rest = text.partition(": ")
    return rest if sep and "/" in head else text


# -- follow-ups --------------------------------------------------------------------------------


def _when(days: int, lang: str | None) -> str:
    t = _t(lang)
    if days <= 0:
        return t.gettext("today")
    if days == 1:
        return t.gettext("tomorrow")
    return t.ngettext("in {n} day", "in {n} days", days).format(n=days)


def followup_reason(kind: str, params: Mapping[str, Any], lang: str | None = None) -> str:
    """Why a follow-up is suggested, from its ``kind`` and ``params`` (see ``followups``)."""
    t = _t(lang)
    if kind == "owed_reply":
        ago = days_ago(params.get("days_since"), lang)
        if params.get("question"):
            return t.gettext("their last message ({ago}) is unanswered and asks a question").format(
                ago=ago
            )
        return t.gettext("their last message ({ago}) is unanswered").format(ago=ago)
    if kind == "reminder":
        text = str(params.get("text") or "")
        return (
            t.gettext("reminder: {text}").format(text=text) if text else t.gettext("reminder due")
        )
    if kind in ("birthday", "anniversary"):
        when = _when(_n(params.get("days_until")), lang)
        if kind == "birthday":
            txt = t.gettext("birthday {when}").format(when=when)
        else:
            txt = t.gettext("anniversary {when}").format(when=when)
        years = _n(params.get("years"))
        if years > 0:
            txt += " " + t.ngettext("({n} year)", "({n} years)", years).format(n=years)
        return txt
    if kind == "overdue":
        ago = days_ago(params.get("days_since"), lang)
        # overdue by less than half a day still reads as one day late, never "0 days"
        cad, over = _n(params.get("cadence_days")), max(1, _n(params.get("overdue_days")))
        usual = t.ngettext("usually every {n} day", "usually every {n} days", cad).format(n=cad)
        late = t.ngettext("{n} day overdue", "{n} days overdue", over).format(n=over)
        return t.gettext("last talk {ago}").format(ago=ago) + f", {usual} ({late})"
    if kind == "fading":
        tier = str(params.get("tier") or "")
        return t.gettext(
            "{tier} tie, less contact lately ({recent} in the last 30 days vs {before} in the "
            "60 before)"
        ).format(
            tier=tier_label(tier, lang) if tier else t.gettext("close"),
            recent=_n(params.get("recent30")),
            before=_n(params.get("prev60")),
        )
    if kind == "reconnect":
        conv, days = _n(params.get("conversations")), _n(params.get("days_since"))
        a = t.ngettext("{n} conversation together", "{n} conversations together", conv)
        b = t.ngettext("silent for {n} day", "silent for {n} days", days)
        return a.format(n=conv) + ", " + b.format(n=days)
    return kind


def followup_action(kind: str, params: Mapping[str, Any], lang: str | None = None) -> str:
    """What to do about a follow-up."""
    t = _t(lang)
    if kind == "owed_reply":
        return t.gettext("Reply to their last message")
    if kind == "reminder":
        return str(params.get("text") or "") or t.gettext("Follow up as planned")
    if kind in ("birthday", "anniversary"):
        when = _when(_n(params.get("days_until")), lang)
        if kind == "birthday":
            return t.gettext("Congratulate them {when}").format(when=when)
        return t.gettext("Mark the anniversary {when}").format(when=when)
    if kind == "overdue":
        ch = str(params.get("channel") or "")
        if ch in _CHANNEL_ACTIONS:
            return t.gettext(_CHANNEL_ACTIONS[ch])
        if ch in _CHANNEL_NAMES:
            name = _CHANNEL_NAMES[ch]
            return t.gettext("Send a message on {channel}").format(channel=t.gettext(name))
        return t.gettext("Send them a message")
    if kind == "fading":
        return t.gettext("Check in before the tie fades")
    if kind == "reconnect":
        return t.gettext("Reconnect: ask how they are or share news")
    return ""


def describe_followup(followup: Any, lang: str | None = None) -> tuple[str, str]:
    """(reason, suggested action) of a :class:`~netassist.core.engine.followups.FollowUp` in
    ``lang``; follow-ups without params (made elsewhere) keep their own texts."""
    kind, params = str(getattr(followup, "kind", "")), getattr(followup, "params", None)
    if not params:
        return str(getattr(followup, "reason", "")), str(getattr(followup, "suggested_action", ""))
    return followup_reason(kind, params, lang), followup_action(kind, params, lang)
