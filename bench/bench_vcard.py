"""Benchmark: netassist's vCard importer against vobject on a large address book.

    python bench/bench_vcard.py [--cards 100000] [--json bench/results/vcard.json]

Makes a vCard file (with ../shared/tools/gen_corpus.py when present: 3.0 cards with Cyrillic,
folded lines, photos, ~1 % Android 2.1 QUOTED-PRINTABLE cards; else an equivalent built-in
mix), times our full parse with every record materialised in this process, and vobject's
parse in a child process run by BENCH_PEER_PYTHON (default .venv-bench/bin/python). Wall time,
CPU time and peak RSS are measured for both (the child's via os.wait4 rusage). The target is
our parse at most 20 % of vobject's time.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netassist.importers.records import ImportedContact, ImportProblem  # noqa: E402
from netassist.importers.vcard import VCardImporter  # noqa: E402

GEN = REPO.parent / "shared" / "tools" / "gen_corpus.py"

# vobject gives up on the whole stream at the first card it cannot decode (a QP soft break
# inside a UTF-8 sequence), so each card is handed to readOne and failures are counted.
PEER_SCRIPT = r"""
import logging, re, sys, time
import vobject
logging.disable(logging.CRITICAL)  # vobject logs every skipped line
t = time.perf_counter()
data = open(sys.argv[1], encoding="utf-8", errors="replace").read()
n = errors = 0
for chunk in re.split(r"(?im)^END:VCARD[^\n]*\n?", data):
    if "BEGIN:VCARD" not in chunk.upper():
        continue
    try:
        vobject.readOne(chunk + "END:VCARD\r\n", ignoreUnreadable=True)
        n += 1
    except Exception:
        errors += 1
hwm = 0.0
try:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
except OSError:
    pass
print(n, errors, time.perf_counter() - t, hwm)
"""


def _maxrss_mb(ru: resource.struct_rusage) -> float:
    # Linux reports KiB, macOS bytes.
    return ru.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _builtin_corpus(path: Path, cards: int, seed: int) -> None:
    """Fallback mix when gen_corpus.py is absent: Cyrillic 3.0, QP 2.1, photos, folding."""
    rnd = random.Random(seed)
    given = ["Иван", "Мария", "Алексей", "Ольга", "John", "Emma", "Дмитрий", "Анна"]
    family = ["Петров", "Смирнова", "Кузнецов", "Иванова", "Smith", "Brown", "Волков"]
    photo = base64.b64encode(rnd.randbytes(3000)).decode()
    note = "Заметка о встрече\\, "
    with path.open("w", encoding="utf-8", newline="") as fh:
        for i in range(cards):
            g, f = rnd.choice(given), rnd.choice(family)
            if i % 80 == 0:
                qp = "".join(f"={b:02X}" for b in f"{f};{g};;;".encode())
                fh.write("BEGIN:VCARD\r\nVERSION:2.1\r\n")
                fh.write(f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp[:60]}=\r\n{qp[60:]}\r\n")
                fh.write(f"TEL;CELL;PREF:+7 9{i:09d}\r\nEND:VCARD\r\n")
                continue
            lines = [
                "BEGIN:VCARD", "VERSION:3.0", f"N:{f};{g};;;", f"FN:{g} {f}",
                f"EMAIL;TYPE=INTERNET;TYPE=HOME:user{i}@example.ru",
                f"TEL;TYPE=CELL;TYPE=VOICE;TYPE=pref:+7 9{i:09d}",
                "NOTE:" + note * rnd.randint(0, 6),
                f"BDAY:19{rnd.randint(50, 99)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                f"UID:{i:032x}",
            ]  # fmt: skip
            if i % 33 == 0:
                lines.append("PHOTO;ENCODING=b;TYPE=JPEG:" + photo)
            lines.append("END:VCARD")
            for line in lines:
                data = line
                out = []
                while len(data.encode()) > 75:
                    cut = 35  # 35 characters stay under 75 octets even in Cyrillic
                    out.append(data[:cut])
                    data = " " + data[cut:]
                out.append(data)
                fh.write("\r\n".join(out) + "\r\n")


def make_corpus(workdir: Path, cards: int, seed: int) -> Path:
    if GEN.exists():
        subprocess.run(
            [sys.executable, str(GEN), "--out", str(workdir), "--seed", str(seed),
             "--vcf", str(cards)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return workdir / "contacts.vcf"
    path = workdir / "contacts.vcf"
    _builtin_corpus(path, cards, seed)
    return path


def run_ours(path: Path) -> dict[str, float | int]:
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    records = list(VCardImporter().parse(path))
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(ru1.ru_utime - ru0.ru_utime + ru1.ru_stime - ru0.ru_stime, 3),
        "peak_rss_mb": round(_maxrss_mb(ru1), 1),
        "contacts": sum(isinstance(r, ImportedContact) for r in records),
        "problems": sum(isinstance(r, ImportProblem) for r in records),
    }


def run_vobject(path: Path, python: str) -> dict[str, float | int | str]:
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f:
        # Files, not pipes: a chatty child must never block on a full pipe before wait4.
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [python, "-I", "-c", PEER_SCRIPT, str(path)], stdout=out_f, stderr=err_f
        )
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_f.seek(0)
        err_f.seek(0)
        out = out_f.read().decode(errors="replace")
        err = err_f.read().decode(errors="replace")
    if proc.returncode != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else "failed"}
    n, errors, parse_s, hwm = out.split()
    return {
        "wall_s": round(wall, 3),
        "parse_s": round(float(parse_s), 3),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
        # rusage maxrss of an exec'd child also counts the parent image it was forked from,
        # so the child's own high-water mark (VmHWM, Linux) is reported next to it.
        "peak_rss_mb": round(_maxrss_mb(ru), 1),
        "child_vmhwm_mb": round(float(hwm), 1),
        "cards": int(n),
        "errors": int(errors),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, default=None, help="write results as JSON here")
    ap.add_argument("--file", type=Path, default=None, help="benchmark this .vcf instead")
    args = ap.parse_args(argv)
    peer = os.environ.get("BENCH_PEER_PYTHON", str(REPO / ".venv-bench" / "bin" / "python"))
    with tempfile.TemporaryDirectory(prefix="bench_vcard_") as tmp:
        path = args.file or make_corpus(Path(tmp), args.cards, args.seed)
        size = path.stat().st_size
        # vobject first: its child is forked while this process is still small.
        theirs = run_vobject(path, peer) if Path(peer).exists() else {"error": f"no {peer}"}
        ours = run_ours(path)
    result: dict[str, object] = {
        "file_bytes": size,
        "cards": args.cards if args.file is None else None,
        "netassist": ours,
        "vobject": theirs,
    }
    print(f"{'':12}{'wall s':>10}{'cpu s':>10}{'peak RSS MB':>14}{'cards':>10}")
    print(
        f"{'netassist':12}{ours['wall_s']:>10}{ours['cpu_s']:>10}{ours['peak_rss_mb']:>14}"
        f"{ours['contacts']:>10}"
    )
    if "error" in theirs:
        print(f"{'vobject':12} not run: {theirs['error']}")
    else:
        rss = theirs.get("child_vmhwm_mb") or theirs["peak_rss_mb"]
        print(
            f"{'vobject':12}{theirs['wall_s']:>10}{theirs['cpu_s']:>10}{rss:>14}"
            f"{theirs['cards']:>10}  ({theirs['errors']} cards vobject could not read)"
        )
        ratio_wall = float(ours["wall_s"]) / max(float(theirs["wall_s"]), 1e-9)
        ratio_cpu = float(ours["cpu_s"]) / max(float(theirs["cpu_s"]), 1e-9)
        result["ratio_wall"] = round(ratio_wall, 3)
        result["ratio_cpu"] = round(ratio_cpu, 3)
        print(
            f"ratio netassist/vobject: wall {ratio_wall:.1%}, cpu {ratio_cpu:.1%} (target <= 20 %)"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
