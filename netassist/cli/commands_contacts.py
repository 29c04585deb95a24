"""contacts list|show|add|edit|delete, tag, note, log, search, forget, merge."""

from __future__ import annotations

import argparse
from typing import Any

from netassist.cli.context import Context
from netassist.core import contacts as svc
from netassist.core import repository as repo
from netassist.core.timeutil import fmt_local, parse_when


def register(sub: Any) -> None:
    c = sub.add_parser("contacts", help="list, show, add, edit or delete contacts")
    csub = c.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = csub.add_parser("list", help="list contacts")
    ls.add_argument("filter", nargs="?", default="", help="name prefix filter")
    ls.add_argument("--sort", choices=sorted(repo.SORT_COLUMNS), default="name")
    ls.add_argument("--desc", action="store_true", help="sort descending")
    ls.add_argument("--tag", help="only contacts with this tag")
    ls.add_argument("--limit", type=int, default=0, help="show at most N")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=contacts_list)
    sh = csub.add_parser("show", help="show one contact with the recent timeline")
    sh.add_argument("contact", help="id, e-mail/phone/handle or a unique name")
    sh.add_argument("--limit", type=int, default=20, help="timeline entries to show")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(handler=contacts_show)
    add = csub.add_parser("add", help="add a contact")
    add.add_argument("name")
    add.add_argument("--email", action="append", default=[])
    add.add_argument("--phone", action="append", default=[])
    add.add_argument("--telegram", action="append", default=[])
    add.add_argument("--org", default="")
    add.add_argument("--title", default="")
    add.add_argument("--birthday", help="YYYY-MM-DD or --MM-DD")
    add.add_argument("--tag", action="append", default=[])
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=contacts_add)
    ed = csub.add_parser("edit", help="change fields: FIELD=VALUE ...")
    ed.add_argument("contact")
    ed.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    ed.set_defaults(handler=contacts_edit)
    de = csub.add_parser("delete", help="delete a contact and its history")
    de.add_argument("contact")
    de.set_defaults(handler=contacts_delete)

    t = sub.add_parser("tag", help="add (or with --remove, remove) a tag on contacts")
    t.add_argument("tag")
    t.add_argument("contacts", nargs="+")
    t.add_argument("--remove", action="store_true")
    t.set_defaults(handler=tag_cmd)
    n = sub.add_parser("note", help="add a note to a contact")
    n.add_argument("contact")
    n.add_argument("text")
    n.set_defaults(handler=note_cmd)

    lg = sub.add_parser("log", help="log an interaction by hand (call, meeting, note...)")
    lg.add_argument("contact")
    lg.add_argument("channel", choices=svc.CHANNELS)
    lg.add_argument("text", nargs="?", default="")
    lg.add_argument("--when", default="now", help="YYYY-MM-DD[ HH:MM], now, -2d (default: now)")
    lg.add_argument("--direction", choices=("in", "out", "mutual"), default="mutual")
    lg.add_argument("--minutes", type=float, help="duration of a call or meeting")
    lg.add_argument("--json", action="store_true")
    lg.set_defaults(handler=log_cmd)

    s = sub.add_parser("search", help="search names and messages (prefixes, any case/script)")
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=search_cmd)

    f = sub.add_parser("forget", help="erase every trace of a contact")
    f.add_argument("contact")
    f.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    f.add_argument("--purge-backups", action="store_true",
                   help="also delete every existing backup (they still hold the contact)")  # fmt: skip
    f.set_defaults(handler=forget_cmd)

    m = sub.add_parser("merge", help="merge contact B into contact A")
    m.add_argument("a")
    m.add_argument("b")
    m.set_defaults(handler=merge_cmd)


def _row_text(r: repo.ContactRow) -> str:
    strength = f"{r.strength:5.1f}" if r.strength is not None else "    -"
    last = fmt_local(r.last_at, with_time=False) or "never"
    tags = f"  [{', '.join(r.tags)}]" if r.tags else ""
    org = f" ({r.organization})" if r.organization else ""
    return f"{r.id:>6}  {strength}  {last:<10}  {r.display_name}{org}{tags}"


def contacts_list(ctx: Context, a: argparse.Namespace) -> int:
    ids = repo.contact_ids(ctx.db, a.filter, a.sort, a.desc, a.tag)
    if a.limit:
        ids = ids[: a.limit]
    rows: list[repo.ContactRow] = []
    for i in range(0, len(ids), 500):
        page = repo.contact_rows(ctx.db, ids[i : i + 500])
        rows.extend(page[x] for x in ids[i : i + 500])
    if a.json:
        ctx.out_json([r.as_json() for r in rows])
    else:
        ctx.out(f"{'id':>6}  {'str.':>5}  {'last':<10}  name")
        for r in rows:
            ctx.out(_row_text(r))
        ctx.out(f"{len(rows)} contact(s)")
    return 0


def contacts_show(ctx: Context, a: argparse.Namespace) -> int:
    cid = repo.find_contact(ctx.db, a.contact)
    d = repo.contact_detail(ctx.db, cid)
    assert d is not None
    tl = repo.timeline(ctx.db, cid, limit=a.limit)
    if a.json:
        ctx.out_json({**d, "timeline": tl})
        return 0
    ctx.out(f"{d['display_name']}  (id {cid})")
    for key in ("organization", "title", "birthday", "anniversary"):
        if d.get(key):
            ctx.out(f"  {key}: {d[key]}")
    for ident in d["identities"]:
        ctx.out(f"  {ident['kind']}: {ident['raw'] or ident['value']}")
    if d["tags"]:
        ctx.out(f"  tags: {', '.join(d['tags'])}")
    ctx.out(f"  interactions: {d['interaction_count']}"
            f" (last {fmt_local(d['last_at']) or 'never'})")  # fmt: skip
    if d.get("score"):
        s = d["score"]
        from netassist.core.engine.texts import shown_tier, tier_label

        tier = tier_label(shown_tier(s["tier"], s.get("state")), ctx.settings.get("language"))
        if s.get("state") == "never":  # "never interacted" is a state of its own, not a zero
            ctx.out(f"  strength: none yet ({tier})")
        else:
            ctx.out(f"  strength: {s['strength']:.0f}/100, {tier}, trend {s['trend']}")
    for note in d["notes"]:
        ctx.out(f"  note {fmt_local(note['created_at'], False)}: {note['text']}")
    for it in tl:
        arrow = {"in": "←", "out": "→"}.get(it["direction"], "↔")
        text = (it["text"] or it["subject"] or "").replace("\n", " ")
        ctx.out(f"  {fmt_local(it['occurred_at'])} {arrow} {it['channel']:<9} {text[:90]}")
    return 0


def contacts_add(ctx: Context, a: argparse.Namespace) -> int:
    idents = [("email", e) for e in a.email] + [("phone", p) for p in a.phone]
    idents += [("telegram", t) for t in a.telegram]
    fields: dict[str, Any] = {}
    if a.org:
        fields["organization"] = a.org
    if a.title:
        fields["title"] = a.title
    if a.birthday:
        fields["birthday"] = a.birthday
    region = ctx.settings.get("default_region")
    cid = svc.add_contact(ctx.db, a.name, identities=idents, tags=a.tag, region=region, **fields)
    if a.json:
        ctx.out_json({"id": cid})
    else:
        ctx.out(f"added {a.name} (id {cid})")
    return 0


def contacts_edit(ctx: Context, a: argparse.Namespace) -> int:
    cid = repo.find_contact(ctx.db, a.contact)
    fields: dict[str, Any] = {}
    for item in a.assignments:
        if "=" not in item:
            raise ValueError(f"expected FIELD=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        fields[k.strip()] = float(v) if k.strip() == "cadence_days" and v else (v or None)
    svc.edit_contact(ctx.db, cid, **fields)
    ctx.out(f"updated contact {cid}")
    return 0


def contacts_delete(ctx: Context, a: argparse.Namespace) -> int:
    cid = repo.find_contact(ctx.db, a.contact)
    svc.delete_contact(ctx.db, cid)
    ctx.out(f"deleted contact {cid}")
    return 0


def tag_cmd(ctx: Context, a: argparse.Namespace) -> int:
    ids = [repo.find_contact(ctx.db, c) for c in a.contacts]
    (svc.untag_contacts if a.remove else svc.tag_contacts)(ctx.db, ids, a.tag)
    ctx.out(f"{'untagged' if a.remove else 'tagged'} {len(ids)} contact(s)")
    return 0


def note_cmd(ctx: Context, a: argparse.Namespace) -> int:
    cid = repo.find_contact(ctx.db, a.contact)
    svc.add_note(ctx.db, cid, a.text)
    ctx.out(f"note added to contact {cid}")
    return 0


def log_cmd(ctx: Context, a: argparse.Namespace) -> int:
    cid = repo.find_contact(ctx.db, a.contact)
    dur = int(a.minutes * 60) if a.minutes else None
    iid = svc.log_interaction(ctx.db, cid, a.channel, parse_when(a.when), a.text, a.direction, dur)
    _rescore(ctx, {cid})
    if a.json:
        ctx.out_json({"id": iid, "contact_id": cid})
    else:
        ctx.out(f"logged {a.channel} with contact {cid}")
    return 0


def _rescore(ctx: Context, touched: set[int]) -> None:
    try:
        from netassist.core.scoring import rescore
    except ImportError:
        return
    rescore(ctx.db, touched)


def search_cmd(ctx: Context, a: argparse.Namespace) -> int:
    res = repo.search(ctx.db, a.query, a.limit)
    if a.json:
        ctx.out_json(res)
        return 0
    for c in res["contacts"]:
        ctx.out(f"contact {c['id']:>6}  {c['display_name']}")
    for i in res["interactions"]:
        snippet = (i["snippet"] or "").replace("\n", " ")
        ctx.out(f"message {fmt_local(i['occurred_at'])}  {i['display_name']}: {snippet}")
    if not res["contacts"] and not res["interactions"]:
        ctx.out("nothing found")
    return 0


def forget_cmd(ctx: Context, a: argparse.Namespace) -> int:
    import sys

    cid = repo.find_contact(ctx.db, a.contact)
    d = repo.contact_detail(ctx.db, cid)
    assert d is not None
    if not a.yes:
        if not sys.stdin.isatty():
            raise ValueError("forget needs --yes when not run from a terminal")
        answer = input(f"Erase every trace of {d['display_name']}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "д", "да"):
            ctx.out("nothing erased")
            return 1
    from netassist.core import backup as bk

    counts = svc.forget_contact(ctx.db, cid)
    if a.purge_backups:
        n = bk.purge_backups(ctx.home)
        about = f"{n} backup(s) deleted" if n else "no backup holds them"
    else:
        about = bk.backups_age_out(ctx.home, int(ctx.settings.get("backup_keep"))).sentence()
    ctx.out(f"forgot contact {cid}: {counts['interactions']} interaction(s) erased; {about}")
    return 0


def merge_cmd(ctx: Context, a: argparse.Namespace) -> int:
    keep, other = repo.find_contact(ctx.db, a.a), repo.find_contact(ctx.db, a.b)
    svc.merge_contacts(ctx.db, keep, other)
    _rescore(ctx, {keep})
    ctx.out(f"merged contact {other} into {keep}")
    return 0
