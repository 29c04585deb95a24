"""Complete imports (parse + resolve + store + FTS, encrypted database) against the peers'
parse alone, side by side in one run, on files from ../shared/tools/gen_corpus.py.

    python bench/bench_import.py [--scale 1.0] [--json bench/results/import.json]

Sizes at scale 1: 1M WhatsApp (Android) messages, 1M Telegram messages in one chat, 100k vCards,
50k mbox messages. Each job runs in its own process; wall time and peak RSS come from the OS
(getrusage of that one child). Peers (whatstk, chat-miner, vobject) run from $BENCH_PEER_PYTHON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GEN = REPO.parent / "shared" / "tools" / "gen_corpus.py"
DATA = REPO / "bench" / "data"
PEER = os.environ.get("BENCH_PEER_PYTHON", str(REPO / ".venv-bench" / "bin" / "python"))

MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
    "w = time.perf_counter() - t\n"
    "print(json.dumps({'wall': w, 'rss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
    " 'rc': r.returncode, 'out': r.stdout.decode(errors='replace')[-4000:]}))\n"
    "sys.stderr.write(r.stderr.decode(errors='replace')[-2000:])\n"
)
PEERS = {
    "whatstk": (  # automatic header detection, as a person would call it
        "from whatstk import WhatsAppChat; import sys;"
        " print(len(WhatsAppChat.from_source(sys.argv[1], max_size=None).df))"
    ),
    "chat-miner-wa": (
        "from chatminer.chatparsers import WhatsAppParser as P; import sys, logging;"
        " logging.disable(logging.INFO); p = P(sys.argv[1]); p.parse_file();"
        " print(len(p.parsed_messages.get_df()))"
    ),
    "chat-miner-tg": (
        "from chatminer.chatparsers import TelegramJsonParser as P; import sys, json, logging;"
        " logging.disable(logging.INFO); p = P(sys.argv[1], sys.argv[2]); p.parse_file();"
        " print(len(p.parsed_messages.get_df()))"
    ),
    # vobject gives up on the whole stream at the first card it cannot decode (a QP soft break
    # inside a UTF-8 sequence), so each card goes to readOne (as in bench_vcard.py); the count
    # printed is the cards it read
    "vobject": (
        "import logging, re, sys, vobject\n"
        "logging.disable(logging.CRITICAL)\n"
        "data = open(sys.argv[1], encoding='utf-8', errors='replace').read()\n"
        "n = 0\n"
        "for chunk in re.split(r'(?im)^END:VCARD[^\\n]*\\n?', data):\n"
        "    if 'BEGIN:VCARD' not in chunk.upper(): continue\n"
        "    try: vobject.readOne(chunk + 'END:VCARD\\r\\n', ignoreUnreadable=True); n += 1\n"
        "    except Exception: pass\n"
        "print(n)\n"
    ),
}


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True,
                         env=env)  # fmt: skip
    r = json.loads(out.stdout)
    if r["rc"] != 0:
        print(f"  ! {' '.join(cmd[:3])}... exited {r['rc']}: {out.stderr.strip()[-400:]}")
    return {"wall_s": round(r["wall"], 2), "peak_rss_mb": round(r["rss_kb"] / 1024, 1),
            "ok": r["rc"] == 0, "stdout": r["out"]}  # fmt: skip


def with_rate(r: dict[str, object], records: int | None) -> dict[str, object]:
    """Drop the child's output; add records and records per second."""
    r = {k: v for k, v in r.items() if k != "stdout"}
    if records:
        r["records"] = records
        r["records_per_s"] = round(records / max(float(r["wall_s"]), 1e-9))  # type: ignore[arg-type]
    return r


def generate(scale: float) -> Path:
    out = DATA / f"gen-{scale:g}"
    if (out / "manifest.json").exists():
        return out
    n = lambda x: str(max(1, int(x * scale)))  # noqa: E731
    subprocess.run([sys.executable, str(GEN), "--out", str(out), "--seed", "1",
                    "--wa-android", n(1_000_000), "--tg", n(1_000_000), "--tg-chats", "1",
                    "--vcf", n(100_000), "--mbox", n(50_000)], check=True)  # fmt: skip
    return out


def ours(path: Path, store_floor: bool = False) -> dict[str, object]:
    """``netassist import FILE --json`` into a fresh encrypted home: parse, resolve, store, FTS.
    With ``store_floor``, the imported rows are then copied in C into another fresh home
    (bench/store_floor.py): what storing them costs without any parsing."""
    home = Path(tempfile.mkdtemp(prefix="na-bench-"))
    env = dict(os.environ, NETASSIST_HOME=str(home), NETASSIST_PASSPHRASE="bench passphrase 1")
    floor: dict[str, object] | None = None
    try:
        r = measure([sys.executable, "-m", "netassist", "import", str(path), "--json"], env)
        if store_floor and r["ok"]:
            out = subprocess.run([sys.executable, str(REPO / "bench" / "store_floor.py"),
                                  str(home)], capture_output=True, text=True, env=env)  # fmt: skip
            lines = out.stdout.strip().splitlines()
            if out.returncode == 0 and lines:
                floor = json.loads(lines[-1])
            else:
                print(f"  ! store_floor failed: {out.stderr.strip()[-400:]}")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if floor is not None:
        r["store_floor"] = floor
    records = None
    for line in str(r["stdout"]).splitlines():
        if line.startswith("{") and '"records"' in line:
            res = json.loads(line)
            records = int(res.get("records") or 0)
            r["interactions_added"] = res.get("interactions_added")
            r["contacts_created"] = res.get("contacts_created")
    return with_rate(r, records)


def peer_count(r: dict[str, object]) -> int | None:
    lines = str(r.get("stdout", "")).strip().splitlines()
    return int(lines[-1]) if lines and lines[-1].strip().isdigit() else None


FLOOR_JOBS = ("whatsapp_1M", "telegram_1M")  # the messenger targets: how much storing alone takes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    if not GEN.exists():
        print(f"skipped: {GEN} not found (needs ../shared)")
        if a.json:
            a.json.write_text(json.dumps({"skipped": "no gen_corpus.py"}))
        return 0
    d = generate(a.scale)
    tg = d / "telegram" / "result.json"
    chat_name = ""
    if tg.exists():
        import re

        with open(tg, encoding="utf-8") as fh:
            head = fh.read(1 << 20)
        m = re.search(r'"list":\s*\[\s*\{[^{}]*?"name":\s*"((?:[^"\\]|\\.)*)"', head, re.S)
        chat_name = json.loads(f'"{m.group(1)}"') if m else ""
    jobs = {
        "whatsapp_1M": (d / "wa_android.txt", [("whatstk", [d / "wa_android.txt"]),
                                              ("chat-miner-wa", [d / "wa_android.txt"])]),
        "telegram_1M": (tg, [("chat-miner-tg", [tg, chat_name])]),
        "vcard_100k": (d / "contacts.vcf", [("vobject", [d / "contacts.vcf"])]),
        "mbox_50k": (d / "mail.mbox", []),
    }  # fmt: skip
    results: dict[str, dict[str, object]] = {}
    for name, (path, peers) in jobs.items():
        print(f"== {name}: {path.name} ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        row: dict[str, object] = {"netassist_import": ours(path, name in FLOOR_JOBS)}
        print(f"   netassist import      {row['netassist_import']}", flush=True)
        for peer, args in peers:
            if not Path(PEER).exists():
                row[peer] = {"skipped": f"no peer venv at {PEER}"}
                continue
            r = measure([PEER, "-c", PEERS[peer], *map(str, args)])
            r = with_rate(r, peer_count(r))
            row[peer] = r
            mine = row["netassist_import"]
            if not (r["ok"] and mine["ok"]):  # type: ignore[index]
                print(f"   {peer:<20}  {r}  (no ratio: a run failed)", flush=True)
                continue
            ratio = mine["wall_s"] / max(r["wall_s"], 1e-9)  # type: ignore[index,operator]
            row[f"ratio_vs_{peer}"] = round(ratio, 3)
            print(f"   {peer:<20}  {r}  ratio {ratio:.3f}", flush=True)
        results[name] = row
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
