"""The ``netassist`` command. No arguments opens the GUI; subcommands work without a screen.

Every listing command has ``--json``. Errors are one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from netassist import __version__
from netassist.cli.context import CliError, Context

Handler = Callable[[Context, argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    from netassist.cli import commands_contacts, commands_data

    p = argparse.ArgumentParser(
        prog="netassist",
        description="Your contacts and the history of your interactions, on your own machine.",
    )
    p.add_argument("--version", action="version", version=f"netassist {__version__}")
    p.add_argument("--home", help="data folder (default: $NETASSIST_HOME or the user data dir)")
    p.add_argument("--minimized", action="store_true", help="start the GUI in the tray")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for mod in (commands_contacts, commands_data):
        mod.register(sub)
    for extra in _extra_command_modules():
        extra.register(sub)
    return p


def _extra_command_modules() -> list[object]:
    """Command groups of features that live in their own modules (import, engine, reminders...)."""
    import importlib

    mods = []
    for name in ("commands_import", "commands_engine", "commands_remind", "commands_report",
                 "commands_db"):  # fmt: skip
        try:
            mods.append(importlib.import_module(f"netassist.cli.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"netassist.cli.{name}":
                raise
    return mods


def gui_args(args: Sequence[str]) -> tuple[str | None, bool] | None:
    """(home, minimized) when the arguments only open the GUI, else None. Opening the window
    then skips building the whole CLI (it imports every command module: ~0.3 s of start-up)."""
    home, minimized, i = None, False, 0
    while i < len(args):
        a = args[i]
        if a == "--minimized":
            minimized = True
        elif a == "--home" and i + 1 < len(args):
            home, i = args[i + 1], i + 1
        elif a.startswith("--home="):
            home = a.split("=", 1)[1]
        else:
            return None
        i += 1
    return home, minimized


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    gui = gui_args(args_list)
    if gui is not None:
        home, minimized = gui
        if home:
            os.environ["NETASSIST_HOME"] = str(home)
        from netassist.ui.app import main as gui_main

        return gui_main(minimized=minimized)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.home:
        os.environ["NETASSIST_HOME"] = str(args.home)
    if not args.command:
        from netassist.ui.app import main as gui_main

        return gui_main(minimized=args.minimized)
    ctx = Context(home_override=args.home)
    ctx.setup_logging()
    handler: Handler = args.handler
    try:
        return handler(ctx, args)
    except CliError as exc:
        print(f"netassist: {exc}", file=sys.stderr)
        return exc.code
    except (LookupError, ValueError, FileNotFoundError, PermissionError) as exc:
        msg = exc.args[0] if isinstance(exc, LookupError) and exc.args else str(exc)
        print(f"netassist: {msg}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("netassist: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line for the person, the details in the log
        logging.getLogger("netassist").error(
            "command failed: %s", type(exc).__name__, exc_info=True
        )
        print(f"netassist: unexpected error ({type(exc).__name__}: {exc}); see {ctx.log_path}",
              file=sys.stderr)  # fmt: skip
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
