"""evaluate, rescore, followups (+ done/snooze/dismiss), rate, suggest, topics."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from netassist.cli.context import Context
from netassist.core import repository as repo
from netassist.core.timeutil import fmt_local, now_ts


def register(sub: Any) -> None:
    ev = sub.add_parser(
        "evaluate", help="measure the engine against baselines on a SRC DST TIME log"
    )
    ev.add_argument("file", type=Path)
    ev.add_argument("--horizon-days", type=float, default=30.0)
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(handler=evaluate_cmd)
    rs = sub.add_parser("rescore", help="recompute strength, cadence and due for everyone")
    rs.add_argument("--json", action="store_true")
    rs.set_defaults(handler=rescore_cmd)
    fu = sub.add_parser("followups", help="who to get back to, with reasons")
    fu.add_argument(
        "action", nargs="?", choices=("list", "done", "snooze", "dismiss"), default="list"
    )
    fu.add_argument("contact", nargs="?")
    fu.add_argument("kind", nargs="?", help="overdue, fading, owed_reply, birthday, reconnect...")
    fu.add_argument("--until", default="tomorrow", help="snooze: 1h, tomorrow, next-week or a time")
    fu.add_argument("--limit", type=int, default=20)
    fu.add_argument("--json", action="store_true")
    fu.set_defaults(handler=followups_cmd)
    rt = sub.add_parser("rate", help="how close you feel to someone, 1 (barely) to 5 (closest)")
    rt.add_argument("contact")
    rt.add_argument("rating", type=float)
    rt.set_defaults(handler=rate_cmd)
    register_talk(sub)


def evaluate_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core.engine.evaluate import main as evaluate_main

    argv = [str(a.file), "--horizon-days", str(a.horizon_days)] + (["--json"] if a.json else [])
    return evaluate_main(argv)


def rescore_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core.scoring import rescore

    n = rescore(ctx.db, None)
    if a.json:
        ctx.out_json({"rescored": n})
    else:
        ctx.out(f"rescored {n} contact(s)")
    return 0


def followups_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core import agenda, reminders
    from netassist.core.scoring import followups, names

    if a.action != "list":
        if not (a.contact and a.kind):
            raise ValueError(f"followups {a.action} takes CONTACT KIND")
        if a.kind not in agenda.FOLLOWUP_KINDS:
            raise ValueError(f"KIND is one of {', '.join(agenda.FOLLOWUP_KINDS)}")
        cid = repo.find_contact(ctx.db, a.contact)
        until = None
        if a.action == "snooze":  # as in the window: the same actions, the same rules
            until = int(reminders.snooze_until(a.until, datetime.now().astimezone()).timestamp())
            agenda.snooze_followup(ctx.db, cid, a.kind, until)
        elif a.action == "dismiss":
            agenda.dismiss_followup(ctx.db, cid, a.kind)
        else:
            agenda.done_followup(ctx.db, cid, a.kind, now_ts())
        ctx.out(f"{a.action}: {a.kind} for contact {cid}"
                + (f" until {fmt_local(until)}" if until else ""))  # fmt: skip
        return 0
    fups = followups(ctx.db, now_ts(), limit=a.limit)
    nm = names(ctx.db, [f.contact_id for f in fups])
    if a.json:
        ctx.out_json([{"contact_id": f.contact_id, "name": nm.get(f.contact_id), "kind": f.kind,
                       "priority": f.priority, "reason": f.reason, "action": f.suggested_action,
                       "due": f.due} for f in fups])  # fmt: skip
        return 0
    from netassist.core.engine.texts import describe_followup

    lang = ctx.settings.get("language")  # the engine's words in the person's language
    for f in fups:
        reason, action = describe_followup(f, lang)
        ctx.out(f"{f.priority:5.1f}  {nm.get(f.contact_id, '?')} ({f.kind}): {reason}"
                f" — {action}")  # fmt: skip
    if not fups:
        ctx.out("nobody to follow up with right now")
    return 0


def rate_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core.contacts import transaction
    from netassist.core.scoring import rescore

    if not 1 <= a.rating <= 5:
        raise ValueError("a rating is 1 (barely know them) to 5 (closest)")
    cid = repo.find_contact(ctx.db, a.contact)
    with transaction(ctx.db) as conn:
        conn.execute("INSERT INTO feedback (contact_id, rating, created_at) VALUES (?, ?, ?)",
                     (cid, a.rating, now_ts()))  # fmt: skip
    rescore(ctx.db, None)  # with five or more ratings the weights become your own
    ctx.out(f"rated contact {cid}: {a.rating:g}")
    return 0


def register_talk(sub: Any) -> None:
    tp = sub.add_parser("topics", help="what your conversations with a contact are about")
    tp.add_argument("contact")
    tp.add_argument("--lang", choices=("en", "ru"))
    tp.add_argument("--json", action="store_true")
    tp.set_defaults(handler=topics_cmd)
    sg = sub.add_parser("suggest", help="follow-ups, each with concrete openers")
    sg.add_argument("--contact")
    sg.add_argument("--limit", type=int, default=10)
    sg.add_argument("--lang", choices=("en", "ru"))
    sg.add_argument("--json", action="store_true")
    sg.set_defaults(handler=suggest_cmd)


def _talk_json(tk: Any) -> dict[str, Any]:
    return {
        "contact_id": tk.contact_id, "name": tk.name,
        "topics": [{"term": t.term, "display": t.display, "score": round(t.score, 3),
                    "first": t.first_t, "last": t.last_t, "message_ids": list(t.message_ids)[:20]}
                   for t in tk.topics],
        "open_loops": [{"kind": lp.kind, "text": lp.text_excerpt, "t": lp.t, "due": lp.due,
                        "message_id": lp.message_id} for lp in tk.open_loops],
        "openers": [{"text": o.text, "kind": o.kind, "source_message_ids": list(o.source_message_ids)}
                    for o in tk.openers],
        "tone": None if tk.tone is None else {"recent": tk.tone.recent, "before": tk.tone.before,
                                             "delta": tk.tone.delta},
    }  # fmt: skip


def topics_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core.talk import talk_about

    cid = repo.find_contact(ctx.db, a.contact)
    tk = talk_about(ctx.db, cid, lang=a.lang or ctx.settings.get("language"))
    if a.json:
        ctx.out_json(_talk_json(tk))
        return 0
    ctx.out(f"{tk.name}:")
    for t in tk.topics:
        ctx.out(f"  {t.display or t.term}  (last {fmt_local(int(t.last_t), False)},"
                f" {len(t.message_ids)} message(s))")  # fmt: skip
    for lp in tk.open_loops:
        ctx.out(f"  open {lp.kind}: {lp.text_excerpt} ({fmt_local(int(lp.t), False)})")
    if tk.tone is not None and tk.tone.delta is not None:
        ctx.out(f"  tone: {tk.tone.recent:+.2f} lately vs {tk.tone.before:+.2f} before")
    if not tk.topics:
        ctx.out("  (not enough text to find topics)")
    return 0


def suggest_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core.scoring import followups, names
    from netassist.core.talk import corpus_stats, talk_about

    lang = a.lang or ctx.settings.get("language")
    stats = corpus_stats(ctx.db)
    if a.contact:
        cid = repo.find_contact(ctx.db, a.contact)
        items = [(cid, None)]
    else:
        items = [(f.contact_id, f) for f in followups(ctx.db, now_ts(), limit=a.limit)]
    nm = names(ctx.db, [c for c, _ in items])
    from netassist.core.engine.texts import describe_followup

    out = []
    for cid, f in items:
        tk = talk_about(ctx.db, cid, lang=lang, stats=stats)
        out.append({"contact_id": cid, "name": nm.get(cid, tk.name),
                    "reason": describe_followup(f, lang)[0] if f else None,
                    "kind": f.kind if f else None,
                    "openers": [o.text for o in tk.openers]})  # fmt: skip
    if a.json:
        ctx.out_json(out)
        return 0
    for item in out:
        ctx.out(f"{item['name']}" + (f" — {item['reason']}" if item["reason"] else ""))
        for o in item["openers"]:
            ctx.out(f"    • {o}")
    return 0
