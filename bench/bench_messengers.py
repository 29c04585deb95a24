"""Benchmark: netassist's WhatsApp and Telegram parsers against whatstk and chat-miner.

    python bench/bench_messengers.py [--messages 1000000] [--keep DIR] [--json FILE]
                                     [--skip-peers] [--verify]

Inputs come from ../shared/tools/gen_corpus.py (cached in bench/data/m<N>/). Every parser runs
in its own child process, which reports its wall time, CPU time and its own peak RSS
(``ru_maxrss`` of RUSAGE_SELF), so the numbers are per parser and honest. Ours materialise
every record (frozen dataclasses) and hand them to a consumer that counts them, as ingest would.
Peers run in the peer venv (``BENCH_PEER_PYTHON``, default .venv-bench/bin/python): whatstk with
automatic header detection, chat-miner's WhatsApp parser, and chat-miner's Telegram parser over
every chat of the export (its own json.load and per-message code; the API takes one chat name, so
the child loops its parse over all chats loaded once).

For the lead's benchmark: :func:`parse_records` yields our records for a file and
:func:`measure_parse` runs one complete parse and returns counts and timings.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

GEN = Path(os.environ.get("GEN_CORPUS", REPO.parent / "shared" / "tools" / "gen_corpus.py"))
PEER_PY = os.environ.get("BENCH_PEER_PYTHON", str(REPO / ".venv-bench" / "bin" / "python"))
if not Path(PEER_PY).exists() and Path("/work/main/.venv-bench/bin/python").exists():
    PEER_PY = "/work/main/.venv-bench/bin/python"


# ---- functions for other benchmarks ----------------------------------------------------------
def parse_records(kind: str, path: Path, options: Any = None) -> Iterator[Any]:
    """Our records for ``path``; kind is "whatsapp" or "telegram"."""
    from netassist.importers.records import ImportOptions
    from netassist.importers.telegram import TelegramImporter
    from netassist.importers.whatsapp import WhatsAppImporter

    imp = WhatsAppImporter() if kind == "whatsapp" else TelegramImporter()
    return imp.parse(Path(path), options or ImportOptions(local_timezone="Europe/Moscow"))


def measure_parse(kind: str, path: Path, options: Any = None) -> dict[str, Any]:
    """One complete parse: every record built and counted. Returns counts and timings."""
    from netassist.importers.records import ImportedInteraction

    t0, c0 = time.perf_counter(), time.process_time()
    counts: Counter[str] = Counter()
    n = 0
    for rec in parse_records(kind, path, options):
        if rec.__class__ is ImportedInteraction:  # the consumer stays cheap: ours is measured
            n += 1
        else:
            counts[type(rec).__name__] += 1
    counts["ImportedInteraction"] = n
    return {
        "records": dict(counts),
        "messages": n,
        "wall_s": round(time.perf_counter() - t0, 3),
        "cpu_s": round(time.process_time() - c0, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# ---- peer code (runs in the peer venv) --------------------------------------------------------
PEER_WHATSTK = """
import json, resource, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from whatstk import WhatsAppChat
chat = WhatsAppChat.from_source(sys.argv[1], max_size=None)
print(json.dumps({"messages": len(chat.df), "wall_s": time.perf_counter() - t0,
                  "cpu_s": time.process_time() - c0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
PEER_CHATMINER_WA = """
import json, logging, resource, sys, time
logging.disable(logging.CRITICAL)
t0, c0 = time.perf_counter(), time.process_time()
from chatminer.chatparsers import WhatsAppParser
p = WhatsAppParser(sys.argv[1]); p.parse_file(); df = p.parsed_messages.get_df()
print(json.dumps({"messages": len(df), "wall_s": time.perf_counter() - t0,
                  "cpu_s": time.process_time() - c0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
PEER_CHATMINER_TG = """
import json, logging, resource, sys, time
logging.disable(logging.CRITICAL)
t0, c0 = time.perf_counter(), time.process_time()
from chatminer.chatparsers import TelegramJsonParser, ParsedMessageCollection

class AllChats(TelegramJsonParser):
    # chat-miner parses one named chat of a full export; read once, parse every chat
    def _read_raw_messages_from_file(self):
        with self._file.open(encoding="utf-8") as f:
            doc = json.load(f)
        chats = doc["chats"]["list"] if "chats" in doc else [doc]
        self._raw_messages = [m for c in chats for m in c.get("messages", [])]

p = AllChats(sys.argv[1]); p.parse_file(); df = p.parsed_messages.get_df()
print(json.dumps({"messages": len(df), "wall_s": time.perf_counter() - t0,
                  "cpu_s": time.process_time() - c0,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(cmd: list[str], timeout: int = 1800) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(REPO), TQDM_DISABLE="1")
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout}s"}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_inputs(n: int, keep: Path) -> Path:
    data = keep / f"m{n}"
    man = data / "manifest.json"
    if man.exists():
        fm = json.loads(man.read_text(encoding="utf-8")).get("formats", {})
        if all(k in fm and fm[k]["messages"] == n for k in ("wa_android", "telegram")):
            return data
    data.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        str(GEN),
        "--out",
        str(data),
        "--seed",
        "1",
        "--wa-android",
        str(n),
        "--tg",
        str(n),
        "--tg-chats",
        "50",
    ]
    print("generating inputs:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    return data


def expected_whatsapp(truth: Path, me: str) -> int:
    """Interactions the WhatsApp file should give with ``me`` known: every non-system line,
    except my own lines before anybody else has written (a group line with no counterpart)."""
    n, seen_other = 0, False
    with open(truth, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["kind"] == "system":
                continue
            if row["author"] == me and not seen_other:
                continue
            seen_other = seen_other or row["author"] != me
            n += 1
    return n


def expected_telegram(path: Path) -> int:
    """Messages and calls of chats we import, counted with ijson (independent of our reader)."""
    import re

    import ijson

    with open(path, "rb") as fh:
        owner = re.search(rb'"user_id": (\d+)', fh.read(4096))
        fh.seek(0)
        me = f"user{owner.group(1).decode()}" if owner else None
        n = 0
        for chat in ijson.items(fh, "chats.list.item"):
            if chat.get("type") in ("saved_messages", "bot_chat", "public_channel"):
                continue
            group, seen_other = chat.get("type") != "personal_chat", False
            for m in chat["messages"]:
                call = m["type"] == "service" and m.get("action") in ("phone_call", "group_call")
                if m["type"] != "message" and not call:
                    continue
                who = m.get("from_id") or m.get("actor_id")
                mine = who == me
                if group and mine and not seen_other and m.get("reply_to_message_id") is None:
                    continue
                seen_other = seen_other or not mine
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=REPO / "bench" / "data")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--verify", action="store_true", help="check our counts against the truth")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--me", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        from netassist.importers.records import ImportOptions

        opts = ImportOptions(me_names=(a.me,) if a.me else (), local_timezone="Europe/Moscow")
        print(json.dumps(measure_parse(a.child[0], Path(a.child[1]), opts)))
        return 0

    data = ensure_inputs(a.messages, a.keep)
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))["formats"]
    wa, tg = data / "wa_android.txt", data / "telegram" / "result.json"
    me = manifest["wa_android"]["participants"][0]
    me_arg = ["--me", me]
    results: dict[str, Any] = {
        "messages": a.messages,
        "inputs": {
            "wa_android": {"path": str(wa), "bytes": wa.stat().st_size},
            "telegram": {"path": str(tg), "bytes": tg.stat().st_size},
        },
    }
    ours = [sys.executable, str(Path(__file__).resolve()), "--child"]
    runs = {
        ("whatsapp", "netassist"): ours + ["whatsapp", str(wa)] + me_arg,
        ("telegram", "netassist"): ours + ["telegram", str(tg)],
    }
    if not a.skip_peers and Path(PEER_PY).exists():
        runs[("whatsapp", "whatstk")] = [PEER_PY, "-c", PEER_WHATSTK, str(wa)]
        runs[("whatsapp", "chat-miner")] = [PEER_PY, "-c", PEER_CHATMINER_WA, str(wa)]
        runs[("telegram", "chat-miner")] = [PEER_PY, "-c", PEER_CHATMINER_TG, str(tg)]
    for (fmt, who), cmd in runs.items():
        print(f"running {who} on {fmt} ...", file=sys.stderr)
        results.setdefault(fmt, {})[who] = _child(cmd)
    if a.verify:
        results["whatsapp"]["expected"] = expected_whatsapp(data / "truth" / "wa_android.jsonl", me)
        results["telegram"]["expected"] = expected_telegram(tg)

    print(
        f"\n{'format':10} {'parser':12} {'messages':>9} {'wall s':>8} {'cpu s':>8} "
        f"{'peak MB':>8} {'cpu ratio vs ours':>18}"
    )
    for fmt in ("whatsapp", "telegram"):
        base = results[fmt].get("netassist", {})
        for who, r in results[fmt].items():
            if not isinstance(r, dict):
                continue
            if "error" in r:
                print(f"{fmt:10} {who:12} error: {r['error']}")
                continue
            ratio = (r["cpu_s"] / base["cpu_s"]) if base.get("cpu_s") else float("nan")
            r["cpu_ratio_vs_netassist"] = round(ratio, 2)
            print(
                f"{fmt:10} {who:12} {r['messages']:>9} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f} "
                f"{r['peak_rss_mb']:>8.0f} {ratio:>17.1f}x"
            )
        if "expected" in results[fmt]:
            ok = results[fmt]["expected"] == base.get("messages")
            print(f"{fmt:10} expected {results[fmt]['expected']} -> {'OK' if ok else 'MISMATCH'}")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
