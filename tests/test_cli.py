"""The CLI as a person uses it: real home folder, real database, output read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netassist import __version__
from netassist.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_then_list_json_and_stats(capsys, home: Path) -> None:
    code, out, _ = run(capsys, "demo", "--contacts", "30", "--years", "1", "--json")
    assert code == 0 and json.loads(out)["contacts_created"] == 30
    code, out, _ = run(capsys, "contacts", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 30 and {"id", "display_name", "tags"} <= set(rows[0])
    code, out, _ = run(capsys, "stats", "--json")
    st = json.loads(out)
    assert st["contacts"] == 30 and st["interactions"] == sum(st["by_channel"].values())
    assert st["import_runs"] == 1
    assert (home / "netassist.db").exists()


def test_search_cyrillic_prefix_other_case(capsys) -> None:
    run(capsys, "contacts", "add", "Людмила Прокофьевна Калугина", "--email", "l@x.ru")
    code, out, _ = run(capsys, "search", "КАЛУ", "--json")
    assert code == 0
    assert [c["display_name"] for c in json.loads(out)["contacts"]] == [
        "Людмила Прокофьевна Калугина"
    ]


def test_log_show_and_forget(capsys) -> None:
    code, out, _ = run(capsys, "contacts", "add", "Bob Stone", "--phone", "+44 7700 900123",
                       "--json")  # fmt: skip
    cid = json.loads(out)["id"]
    assert (
        run(capsys, "log", "Bob", "meeting", "coffee at Brick Lane", "--when", "2026-10-01")[0] == 0
    )
    code, out, _ = run(capsys, "contacts", "show", str(cid), "--json")
    assert json.loads(out)["timeline"][0]["text"] == "coffee at Brick Lane"
    code, out, err = run(capsys, "forget", "Bob", "--yes")
    assert code == 0 and "forgot" in out
    code, out, _ = run(capsys, "search", "brick", "--json")
    assert json.loads(out) == {"contacts": [], "interactions": []}


def test_show_says_strength_needs_history(capsys) -> None:
    run(capsys, "contacts", "add", "Ada Unmet", "--email", "ada@example.org")
    run(capsys, "contacts", "add", "Ben Met", "--email", "ben@example.org")
    run(capsys, "log", "Ben", "call", "about the trip", "--when", "2026-10-01")
    run(capsys, "rescore")
    code, out, _ = run(capsys, "contacts", "show", "Ada")
    assert code == 0 and "strength: none yet (no history)" in out and "/100" not in out
    code, out, _ = run(capsys, "contacts", "show", "Ben")
    assert code == 0 and "/100" in out and "no history" not in out


def test_errors_are_one_line(capsys) -> None:
    code, out, err = run(capsys, "contacts", "show", "nobody-at-all")
    assert code == 2 and err.strip().count("\n") == 0 and "no contact matches" in err
    code, out, err = run(capsys, "log", "x", "call", "--when", "someday")
    assert code == 2 and "Traceback" not in err


def test_import_unknown_format_exit_2(capsys, tmp_path: Path) -> None:
    f = tmp_path / "mystery.bin"
    f.write_bytes(b"\x00\x01\x02 nothing known")
    code, out, err = run(capsys, "import", str(f), "--json")
    assert code == 2 and json.loads(out)["error"].startswith("unknown format")


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netassist", "--home", str(tmp_path), "stats", "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["contacts"] == 0


def test_report_pdf_from_cli(capsys, tmp_path: Path) -> None:
    run(capsys, "demo", "--contacts", "20", "--years", "1")
    out = tmp_path / "r.pdf"
    code, stdout, err = run(capsys, "report", "--pdf", str(out), "--period", "6m", "--json")
    assert code == 0, err
    assert json.loads(stdout)["pages"] >= 3 and out.read_bytes().startswith(b"%PDF")
    code, _, err = run(capsys, "report", "--pdf", str(out), "--period", "soon")
    assert code == 2 and "period" in err


def test_followups_rescore_rate_and_evaluate(capsys, tmp_path: Path) -> None:
    run(capsys, "demo", "--contacts", "30", "--years", "1")
    code, out, _ = run(capsys, "followups", "--json")
    fups = json.loads(out)
    assert code == 0 and fups and {"name", "reason", "kind"} <= set(fups[0])
    code, out, _ = run(capsys, "followups", "snooze", str(fups[0]["contact_id"]), fups[0]["kind"])
    assert code == 0 and "until" in out
    assert run(capsys, "rate", str(fups[0]["contact_id"]), "5")[0] == 0
    assert run(capsys, "rate", str(fups[0]["contact_id"]), "9")[0] == 2
    code, out, _ = run(capsys, "contacts", "list", "--sort", "strength", "--desc", "--json")
    rows = json.loads(out)
    assert rows[0]["strength"] >= rows[-1]["strength"] and rows[0]["tier"]
    log = tmp_path / "log.txt"
    log.write_text("% comment\n" + "".join(f"1 {2 + i % 3} {1_600_000_000 + i * 3600}\n"
                                            for i in range(50)))  # fmt: skip
    code, out, _ = run(capsys, "evaluate", str(log), "--json")
    assert code == 0 and "rank" in json.loads(out)


def test_topics_and_suggest(capsys) -> None:
    run(capsys, "contacts", "add", "Олег Рыбаков", "--telegram", "@oleg_r")
    for i, (d, text) in enumerate([
        ("in", "Как прошла рыбалка на Ладоге?"), ("out", "Отлично, поймал двух щук на рыбалке"),
        ("in", "Возьмёшь меня на рыбалку в следующий раз?"), ("out", "Пришлю фото завтра"),
    ]):  # fmt: skip
        assert run(capsys, "log", "Олег", "telegram", text, "--direction", d,
                   "--when", f"2026-10-0{i + 1}")[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "topics", "Олег", "--json")
    data = json.loads(out)
    assert code == 0 and any(t["term"] == "рыбалка" for t in data["topics"])
    assert {lp["kind"] for lp in data["open_loops"]} >= {"promise"}
    code, out, _ = run(capsys, "suggest", "--contact", "Олег", "--lang", "ru", "--json")
    (item,) = json.loads(out)
    assert code == 0 and 3 <= len(item["openers"]) <= 5


def test_topics_global_interests_confirm_hide(capsys) -> None:
    assert run(capsys, "demo", "--contacts", "30", "--years", "1")[0] == 0
    code, out, _ = run(capsys, "topics", "--global", "--json")
    topics = json.loads(out)
    assert code == 0 and len(topics) >= 2
    assert all(t["name"] == ", ".join(t["top_terms"][:3]) for t in topics)
    assert abs(sum(t["weight"] for t in topics) - 1) < 0.01
    code, out, _ = run(capsys, "topics", "--global")
    assert code == 0 and topics[0]["name"] in out

    rows = json.loads(run(capsys, "contacts", "list", "--json")[1])
    for row in rows:  # someone with enough text for suggestions
        data = json.loads(run(capsys, "topics", str(row["id"]), "--json")[1])
        terms = [s for s in data["suggestions"] if s["kind"] == "term"]
        if terms and data["shares"]:
            break
    cid = str(row["id"])
    assert abs(sum(s["share"] for s in data["shares"]) - 1) < 0.02
    word = terms[0]["label"]
    code, out, _ = run(capsys, "topics", cid, "--hide", word, "--confirm", "джазовые концерты")
    assert code == 0 and f"hidden: {word}" in out and "confirmed: джазовые концерты" in out
    data = json.loads(run(capsys, "topics", cid, "--json")[1])
    assert [i["label"] for i in data["confirmed"]] == ["джазовые концерты"]
    assert [i["term"] for i in data["hidden"]] == [terms[0]["term"]]
    assert terms[0]["term"] not in [t["term"] for t in data["topics"]]
    assert all(s["term"] != terms[0]["term"] for s in data["suggestions"])
    code, out, _ = run(capsys, "topics", cid)
    assert "interests: джазовые концерты" in out and f"hidden: {word}" in out and "%" in out
    top = data["shares"][0]
    assert run(capsys, "topics", cid, "--hide-topic", top["name"])[0] == 0
    data = json.loads(run(capsys, "topics", cid, "--json")[1])
    assert top["topic"] not in [s["topic"] for s in data["shares"]]
    assert run(capsys, "topics", cid, "--unset", "джазовые концерты")[0] == 0
    assert json.loads(run(capsys, "topics", cid, "--json")[1])["confirmed"] == []
    assert run(capsys, "topics")[0] == 2  # a contact or --global


def test_topics_confirm_with_json_prints_only_the_new_state(capsys) -> None:
    run(capsys, "contacts", "add", "Олег Рыбаков")
    code, out, _ = run(capsys, "topics", "Олег", "--confirm", "рыбалку", "--json")
    data = json.loads(out)
    assert code == 0 and [(i["term"], i["label"]) for i in data["confirmed"]] == [
        ("рыбалка", "рыбалку")
    ]
    assert data["shares"] == [] and data["topics"] == []  # no messages: nothing found


def test_gui_arguments_are_recognised_without_building_the_cli() -> None:
    from netassist.cli import gui_args

    assert gui_args([]) == (None, False)
    assert gui_args(["--minimized"]) == (None, True)
    assert gui_args(["--home", "/x", "--minimized"]) == ("/x", True)
    assert gui_args(["--home=/y"]) == ("/y", False)
    for args in (["stats"], ["--version"], ["--home"], ["--home", "/x", "demo"], ["-h"]):
        assert gui_args(args) is None, args


FIXTURES = Path(__file__).parent / "importers" / "fixtures"


def test_a_folder_of_several_exports_imports_all_of_them(capsys, tmp_path: Path) -> None:
    """A folder that holds a VK archive and a Messenger export somewhere inside, beside other
    files, is walked: every export and file in it is imported, none is passed over because one
    importer claimed the whole folder (VK and Messenger used to)."""
    import shutil

    downloads = tmp_path / "Downloads"
    shutil.copytree(FIXTURES / "vk" / "Archive", downloads / "old phone" / "vk" / "Archive")
    shutil.copytree(FIXTURES / "messenger" / "export", downloads / "backup" / "2023" / "facebook")
    vcf = next(p for p in sorted((FIXTURES / "vcard").iterdir()) if p.suffix == ".vcf")
    shutil.copy(vcf, downloads / vcf.name)
    code, out, _ = run(capsys, "import", "--json", "--me", "Иван Петров", str(downloads))
    assert code == 0
    results = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    importers = {r["importer"] for r in results if r["status"] == "ok"}
    assert {"vk", "messenger", "vcard"} <= importers, importers
    # and a folder that is one export (its root given) is still read as one
    code, out, _ = run(capsys, "import", "--json", str(downloads / "old phone" / "vk" / "Archive"))
    (res,) = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert res["importer"] == "vk" and res["interactions_added"] == 0  # already imported above


def test_me_can_be_a_phone_number_or_an_address(capsys, tmp_path: Path) -> None:
    """An SMS gateway or interaction log names people by number: `--me +1 555 010 0000` says
    which side is mine (only a name could be given before)."""
    from netassist.importers.me_scan import me_identity

    assert me_identity("+1 (555) 010-0000").kind == "phone"  # type: ignore[union-attr]
    assert me_identity("anna@example.org").kind == "email"  # type: ignore[union-attr]
    assert me_identity("Анна Петрова") is None and me_identity("Agent 007") is None
    log = tmp_path / "sms_log.csv"
    log.write_text(
        "timestamp,from,to,text\n"
        "2026-03-01T10:00:00Z,+15550100000,+15550199999,Running late\n"
        "2026-03-01T10:05:00Z,+15550199999,+15550100000,No problem\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", "--json", "--me", "+1 555 010 0000", str(log))
    (res,) = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert code == 0 and res["interactions_added"] == 2 and res["contacts_created"] == 1
    code, out, _ = run(capsys, "contacts", "list", "--json")
    (other,) = json.loads(out)
    code, out, _ = run(capsys, "contacts", "show", str(other["id"]), "--json")
    dirs = sorted(t["direction"] for t in json.loads(out)["timeline"])
    assert dirs == ["in", "out"]


def test_with_me_keeps_a_typed_number_as_a_name_and_an_identity() -> None:
    from netassist.core.records import ImportOptions
    from netassist.importers.me_scan import with_me

    opts = with_me(ImportOptions(), "+1 (555) 010-0000")
    assert opts.me_names == ("+1 (555) 010-0000",)
    assert [(i.kind, i.value) for i in opts.me_identities] == [("phone", "+1 (555) 010-0000")]
    named = with_me(ImportOptions(), "Анна")
    assert named.me_names == ("Анна",) and named.me_identities == ()


def test_a_tree_of_maildirs_is_imported_as_one_mailbox(capsys, tmp_path: Path) -> None:
    """mbsync/offlineimap keep one Maildir per folder under a root that is none: the root is
    one import with one "me" for all of it, not one import (and one guess) per message."""
    root = tmp_path / "Mail"
    mails = {
        "INBOX/cur/1:2,S": ("Bob <bob@x.ru>", "Me <me@x.ru>, Anna <anna@x.ru>"),
        "INBOX/cur/2:2,S": ("Carol <carol@y.ru>", "Dan <dan@y.ru>\nCc: me@x.ru"),
        "Sent/cur/3:2,S": ("Me <me@x.ru>", "Bob <bob@x.ru>"),
    }
    for i, (rel, (frm, to)) in enumerate(mails.items()):
        for sub in ("cur", "new", "tmp"):
            (root / rel.split("/")[0] / sub).mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(
            f"From: {frm}\nTo: {to}\nDate: Mon, 2 Jan 2023 10:00:0{i} +0000\n"
            f"Subject: s{i}\nMessage-ID: <t{i}@x.ru>\n\nText {i}\n"
        )
    code, out, _ = run(capsys, "import", "--json", str(root))
    assert code == 0
    (res,) = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert res["importer"] == "eml" and res["interactions_added"] == 3
    assert res["me"] == {"addresses": ["me@x.ru"], "inferred": True}
