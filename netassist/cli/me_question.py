"""``netassist import``: who is "me" when --me and the settings do not say.

On a terminal the user is asked (the chats' authors with message counts, the guess as the
default) and the answer is remembered in the settings (``me_names`` / ``me_identities``), so the
next import does not ask. Without a terminal the guess is used and SAID: a line in the output and
a ``"me"`` key in --json. A guess is never saved for later imports.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netassist.cli.context import Context
from netassist.core.records import ImportOptions, MeHint
from netassist.importers.base import Importer
from netassist.importers.me_scan import (
    MeScan,
    candidates,
    choose_me,
    fold,
    prescan,
    with_me,
)


@dataclass
class MeDecision:
    """The options for one file and what to tell the user about "me"."""

    options: ImportOptions
    report: dict[str, Any] | None = None  # the --json "me" key
    note: str | None = None  # the line in the text output


@dataclass
class MeTap:
    """Watches a file's records for an inferred MeHint (the importer guessed "me" itself)."""

    importer: str = ""
    hint: MeHint | None = None

    def see(self, hints: Iterable[MeHint]) -> None:
        """The MeHints ingest passed on (``ImportResult.me_hints``): no generator layer around
        a million records to watch for them."""
        for rec in hints:
            if rec.inferred and self.hint is None:
                self.hint = rec

    def decision(self) -> MeDecision | None:
        h = self.hint
        if h is None:
            return None
        addrs = [i.value for i in h.identities if i.kind == "email"]
        if addrs:
            shown = ", ".join(addrs)
            why = (
                "the most frequent sender of sent mail, else the usual recipient"
                if self.importer in ("mbox", "eml")
                else "guessed from this file"
            )
            return MeDecision(
                ImportOptions(),
                {"addresses": addrs, "inferred": True},
                f"assumed your address is {shown} ({why}); "
                f'to change: netassist settings me_identities \'[["email", "{addrs[0]}"]]\'',
            )
        if h.name:
            return MeDecision(ImportOptions(), {"name": h.name, "inferred": True},
                              f"assumed you are '{h.name}' (inferred from the export);"
                              " use --me to change")  # fmt: skip
        return None


def is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _ask(prompt: str) -> str:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    return line.strip()


def decide(ctx: Context, a: argparse.Namespace, jobs: Sequence[tuple[Path, str, Importer]],
           opts: ImportOptions) -> dict[Path, MeDecision]:  # fmt: skip
    """Per file (path -> decision) for the files whose "me" had to be asked or guessed."""
    if a.me:
        return {}
    tty = is_terminal()
    # without a terminal only chats are scanned (to pick the name in all of them); the other
    # formats' own guesses are caught as they pass (MeTap)
    scans = prescan(((p, imp) for p, _shown, imp in jobs), opts, guessing=tty)
    if not scans:
        return {}
    chats = [s for s in scans if s.kind == "name"]
    mails = [s for s in scans if s.kind == "email"]
    out: dict[Path, MeDecision] = {}
    if chats:
        keep = None if a.dry_run else ctx  # where answers are remembered
        out.update(_ask_chats(keep, chats, opts) if tty else _guess_chats(chats, opts))
    for s in mails:
        if tty:
            out[s.path] = _ask_mail(None if a.dry_run else ctx, s, opts)
    return out


def _guess_chats(chats: list[MeScan], opts: ImportOptions) -> dict[Path, MeDecision]:
    out = {}
    for path, choice in choose_me(chats).items():
        out[path] = MeDecision(
            with_me(opts, choice.name),
            {"name": choice.name, "inferred": True},
            f"assumed you are '{choice.name}' ({choice.reason}); use --me to change",
        )
    return out


def _pick(title: str, authors: list[tuple[str, int]], default: str | None) -> str | None:
    sys.stderr.write(title + "\n")
    for i, (name, n) in enumerate(authors, 1):
        mark = "  (default)" if default and fold(name) == fold(default) else ""
        count = f": {n} message(s)" if n else ""
        sys.stderr.write(f"  {i}) {name}{count}{mark}\n")
    answer = _ask("Number or name" + (f" [{default}]" if default else "") + ": ")
    if not answer:
        return default
    if answer.isdigit() and 1 <= int(answer) <= len(authors):
        return authors[int(answer) - 1][0]
    return answer


def _remember_name(ctx: Context | None, name: str) -> None:
    if ctx is None:  # a dry run keeps nothing, not even the answer
        return
    names = list(ctx.settings.get("me_names") or [])
    if fold(name) not in {fold(n) for n in names}:
        ctx.settings.set("me_names", [*names, name])


def _ask_chats(
    ctx: Context | None, chats: list[MeScan], opts: ImportOptions
) -> dict[Path, MeDecision]:
    guesses = choose_me(chats)
    first = guesses.get(chats[0].path)
    where = chats[0].path.name if len(chats) == 1 else f"these {len(chats)} chats"
    answer = _pick(f"Who are you in {where}?", candidates(chats), first.name if first else None)
    out: dict[Path, MeDecision] = {}
    if not answer:
        return out
    _remember_name(ctx, answer)
    for s in chats:
        name: str | None = answer
        if len(chats) > 1 and fold(answer) not in {fold(n) for n, _c in s.authors}:
            own = guesses.get(s.path)
            name = _pick(f"'{answer}' did not write in {s.path.name}; who are you there?",
                         list(s.authors), own.name if own else None)  # fmt: skip
            if not name:
                continue
            _remember_name(ctx, name)
        kept = " (remembered in the settings)" if ctx is not None else ""
        out[s.path] = MeDecision(with_me(opts, name), {"name": name, "inferred": False},
                                 f"you are '{name}'{kept}")  # fmt: skip
    return out


def _ask_mail(ctx: Context | None, s: MeScan, opts: ImportOptions) -> MeDecision:
    guess = ", ".join(s.inferred)
    answer = _ask(f"Your own address(es) in {s.path.name} [{guess}]: ")
    addrs = [x.strip() for x in (answer or guess).replace(";", ",").split(",") if "@" in x]
    if not addrs:
        return MeDecision(opts)
    if ctx is not None:
        ids = list(ctx.settings.get("me_identities") or [])
        have = {(str(k), str(v).casefold()) for k, v in ids}
        ids += [["email", x] for x in addrs if ("email", x.casefold()) not in have]
        ctx.settings.set("me_identities", ids)
    kept = " (remembered in the settings)" if ctx is not None else ""
    return MeDecision(with_me(opts, addresses=addrs), {"addresses": addrs, "inferred": False},
                      f"your address: {', '.join(addrs)}{kept}")  # fmt: skip
