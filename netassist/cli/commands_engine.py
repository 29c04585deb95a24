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
    tp = sub.add_parser(
        "topics",
        help="what your conversations with a contact are about: topics, interests, shares",
        description="CONTACT: their topics, open loops, interests you confirmed or hid, and "
        "their share of the global topics. --global: the topics of the whole history.",
    )
    tp.add_argument("contact", nargs="?")
    tp.add_argument("--global", dest="global_", action="store_true",
                    help="list the NMF topics of the whole history")  # fmt: skip
    tp.add_argument("--refresh", action="store_true", help="recompute the global topics now")
    tp.add_argument("--confirm", metavar="WORDS", action="append", default=[],
                    help="confirm an interest (a suggested term or your own words)")  # fmt: skip
    tp.add_argument("--hide", metavar="WORDS", action="append", default=[],
                    help="never show this term (or phrases with it) for the contact")  # fmt: skip
    tp.add_argument("--hide-topic", metavar="LEMMAS", action="append", default=[],
                    help="hide a global topic for the contact (its top lemmas, as listed)")  # fmt: skip
    tp.add_argument("--unset", metavar="WORDS", action="append", default=[],
                    help="undo a confirm or hide of these words")  # fmt: skip
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


def _global_topics_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core import interests as it

    if a.refresh:
        it.refresh_global_topics(ctx.db)
    else:
        it.ensure_global_topics(ctx.db)
    topics = it.stored_topics(ctx.db)
    if a.json:
        ctx.out_json([{"index": t.idx, "name": t.name, "top_terms": list(t.top_terms),
                       "weight": t.weight} for t in topics])  # fmt: skip
        return 0
    for t in topics:
        ctx.out(f"{t.weight * 100:4.0f}%  {t.name}  ({', '.join(t.top_terms[3:])})")
    if not topics:
        ctx.out("not enough text for topics yet")
    return 0


def _apply_choices(ctx: Context, cid: int, a: argparse.Namespace) -> list[str]:
    """The --confirm/--hide/--hide-topic/--unset choices, written; one line for each."""
    from netassist.core import interests as it

    said = []
    for words in a.confirm:
        i = it.confirm(ctx.db, cid, words, source="user")
        said.append(f"confirmed: {i.label} ({i.term})")
    for words in a.hide:
        i = it.hide(ctx.db, cid, words)
        said.append(f"hidden: {i.label} ({i.term})")
    for words in a.hide_topic:
        lemmas = [w.strip() for w in words.replace(",", " ").split()]
        i = it.hide(ctx.db, cid, ", ".join(lemmas), kind="topic", key=it.topic_key(lemmas))
        said.append(f"hidden topic: {i.label}")
    for words in a.unset:
        done = it.forget_choice(ctx.db, cid, words) or it.forget_choice(
            ctx.db, cid, words, kind="topic", key=it.topic_key(words.replace(",", " ").split())
        )
        said.append(("unset: " if done else "nothing to unset: ") + words)
    return said


def topics_cmd(ctx: Context, a: argparse.Namespace) -> int:
    from netassist.core import interests as it
    from netassist.core.talk import talk_about

    if a.global_:
        return _global_topics_cmd(ctx, a)
    if not a.contact:
        raise ValueError("topics takes CONTACT, or --global")
    cid = repo.find_contact(ctx.db, a.contact)
    said = _apply_choices(ctx, cid, a)
    if said and not a.json:  # with --json, the resulting state is the answer
        for line in said:
            ctx.out(line)
        return 0
    if a.refresh:
        it.refresh_global_topics(ctx.db)
    tk = talk_about(ctx.db, cid, lang=a.lang or ctx.settings.get("language"))
    if a.json:
        data = _talk_json(tk)
        data.update(it.interests_json(ctx.db, cid))
        data["suggestions"] = [{"kind": s.kind, "term": s.term, "label": s.label,
                                "share": s.share, "terms": list(s.terms)}
                               for s in tk.suggestions]  # fmt: skip
        ctx.out_json(data)
        return 0
    ctx.out(f"{tk.name}:")
    if tk.interests:
        ctx.out("  interests: " + "; ".join(i.label for i in tk.interests))
    if tk.hidden:
        ctx.out("  hidden: " + "; ".join(i.label for i in tk.hidden))
    for sh in tk.shares:
        if sh.share >= 0.01:
            mine = f" · {', '.join(sh.terms[:4])}" if sh.terms else ""
            ctx.out(f"  {sh.share * 100:3.0f}% {sh.topic.name}{mine}")
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
        tk = talk_about(ctx.db, cid, lang=lang, stats=stats, shares=False)
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
