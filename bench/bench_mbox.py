"""Benchmark: import a generated 50k-message mbox and check the result against the truth files.

    python bench/bench_mbox.py [--messages 50000] [--json bench/results/mbox.json]

The mailbox is made by ``../shared/tools/gen_corpus.py`` (RFC 2047 Cyrillic headers, threads,
legacy charsets, raw 8-bit headers, attachments); its ``truth/mail.jsonl`` lists every message.
The timed part is ``MboxImporter.parse`` with every record materialised in a list (the first
pass that infers "me" included). ``--stdlib`` also times ``mailbox.mbox`` with the compat32
BytesParser for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netassist.importers.email_mbox import MboxImporter  # noqa: E402
from netassist.importers.records import ImportedInteraction, ImportProblem, MeHint  # noqa: E402

GEN = REPO.parent / "shared" / "tools" / "gen_corpus.py"


def generate(out: Path, messages: int, seed: int) -> Path:
    if not GEN.is_file():
        sys.exit(f"generator not found at {GEN}")
    subprocess.run(
        [sys.executable, str(GEN), "--out", str(out), "--seed", str(seed), "--mbox", str(messages)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out / "mail.mbox"


def _expected_text(plain: str) -> str:
    """The truth's full body without signature and quoted original (what the importer keeps)."""
    text = plain.split("\n\n-- \n")[0]
    return re.split(r"\n\n(?:On .* wrote:|.* г\. в \d\d:\d\d, .*:)\n>", text)[0].strip()


def check_truth(records: list, truth_path: Path) -> dict[str, int]:
    """Mismatches per field between imported interactions and truth/mail.jsonl (all 0 = equal)."""
    me = next((r.identities[0].value for r in records if isinstance(r, MeHint)), None)
    mails = [r for r in records if isinstance(r, ImportedInteraction)]
    truth = [json.loads(line) for line in truth_path.open(encoding="utf-8")]
    bad = {
        "count": abs(len(truth) - len(mails)),
        "message_id": 0,
        "subject": 0,
        "date": 0,
        "reply_to": 0,
        "direction": 0,
        "sender": 0,
        "text": 0,
        "attachments": 0,
    }
    for t, r in zip(truth, mails, strict=False):
        bad["message_id"] += r.message_id != t["message_id"].strip("<>")
        bad["subject"] += r.subject != t["subject"]
        bad["date"] += int(r.occurred_at.timestamp()) != t["date_unixtime"]
        bad["reply_to"] += (t["in_reply_to"] or "").strip("<>") != (r.reply_to or "")
        mine = t["from_addr"] == me
        bad["direction"] += (r.direction == "out") != mine
        if not mine:
            p = r.counterparts[0]
            bad["sender"] += (p.name, p.identities[0].value) != (t["from_name"], t["from_addr"])
        bad["text"] += (r.text or "") != _expected_text(t["plain"])
        bad["attachments"] += r.attachments != len(t["attachments"])
    return bad


def time_stdlib(path: Path) -> float:
    import mailbox
    from email import policy
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.compat32)
    t0 = time.perf_counter()
    n = sum(1 for _ in mailbox.mbox(str(path), factory=parser.parse, create=False))
    return time.perf_counter() - t0 if n else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--messages", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="write the result here")
    ap.add_argument("--workdir", type=Path, help="generate here (kept) instead of a temp dir")
    ap.add_argument("--stdlib", action="store_true", help="also time mailbox.mbox + compat32")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_mbox_") as tmp:
        work = args.workdir or Path(tmp)
        mbox = work / "mail.mbox"
        manifest = work / "manifest.json"
        fresh = not (
            mbox.is_file()
            and manifest.is_file()
            and json.loads(manifest.read_text())["formats"]["mbox"]["messages"] == args.messages
        )
        if fresh:
            generate(work, args.messages, args.seed)
        stats = json.loads(manifest.read_text())["formats"]["mbox"]
        size_mb = mbox.stat().st_size / 1e6

        imp = MboxImporter()
        t0, c0 = time.perf_counter(), time.process_time()
        records = list(imp.parse(mbox))
        seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - c0

        interactions = sum(isinstance(r, ImportedInteraction) for r in records)
        problems = sum(isinstance(r, ImportProblem) for r in records)
        accounted = interactions + problems + imp.skipped_bulk + imp.skipped_self
        mismatches = check_truth(records, work / "truth" / "mail.jsonl")
        result = {
            "benchmark": "mbox import",
            "messages_generated": stats["messages"],
            "messages_split": imp.messages,
            "interactions": interactions,
            "problems": problems,
            "skipped_bulk": imp.skipped_bulk,
            "skipped_self": imp.skipped_self,
            "all_accounted": accounted == stats["messages"],
            "truth_mismatches": mismatches,
            "truth_equal": not any(mismatches.values()),
            "file_mb": round(size_mb, 1),
            "seconds": round(seconds, 2),
            "cpu_seconds": round(
                cpu_seconds, 2
            ),  # wall time suffers when other jobs share the CPUs
            "load_average_1m": round(os.getloadavg()[0], 2),
            "messages_per_s": round(imp.messages / seconds),
            "mb_per_s": round(size_mb / seconds, 1),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
        if args.stdlib:
            result["stdlib_compat32_seconds"] = round(time_stdlib(mbox), 2)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if not result["truth_equal"] or not result["all_accounted"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
