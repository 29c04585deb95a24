"""`netassist import` and "who am I": guessed and said without a terminal, asked and remembered on
one, the name that is in every chat preferred, e-mail addresses reported the same way."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from netassist.cli import main
from netassist.cli.context import Context


class Tty(io.StringIO):
    """stdin of a terminal with the answers already typed."""

    def isatty(self) -> bool:
        return True


def _chat(tmp: Path, name: str, lines: list[str]) -> Path:
    p = tmp / name
    body = [f"12/03/2024, 10:{i:02d} - {line}" for i, line in enumerate(lines)]
    p.write_text("\n".join(body) + "\n", encoding="utf-8")
    return p


@pytest.fixture
def chats(tmp_path: Path) -> tuple[Path, Path]:
    # Анна writes in both chats but is not the most frequent author of the group
    private = _chat(tmp_path, "WhatsApp Chat with Борис.txt",
                    ["Анна: Привет!", "Борис: Hi", "Анна: как дела?"])  # fmt: skip
    group = _chat(tmp_path, "Работа.txt",
                  ["Карл: hello all", "Анна: hi", "Карл: meeting?", "Дина: yes", "Карл: ok"])  # fmt: skip
    return private, group


def _json_lines(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines() if x.startswith("{")]


def _directions(who: str) -> list[str]:
    ctx = Context()
    try:
        with ctx.db.engine.connect() as conn:
            from sqlalchemy import text

            rows = conn.execute(
                text("SELECT i.direction FROM interaction i JOIN contact c ON c.id = i.contact_id"
                     " WHERE c.display_name = :n ORDER BY i.occurred_at"), {"n": who}
            ).all()  # fmt: skip
        return [r[0] for r in rows]
    finally:
        ctx.close()


def _setting(name: str) -> object:
    ctx = Context()
    try:
        return ctx.settings.get(name)
    finally:
        ctx.close()


def test_no_terminal_infers_says_so_and_prefers_the_name_in_every_chat(
    chats, capsys, monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    private, group = chats
    assert main(["import", str(private), str(group)]) == 0
    out = capsys.readouterr().out
    # alone, the group's guess would be Карл (most messages); Анна is in both chats
    assert out.count("assumed you are 'Анна' (an author in all 2 chats); use --me to change") == 2
    assert _directions("Борис") == ["out", "in", "out"]
    assert _setting("me_names") == []  # a guess is said, never saved for later imports


def test_no_terminal_json_has_the_me_key(chats, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    _private, group = chats
    assert main(["import", "--json", str(group)]) == 0
    (res,) = _json_lines(capsys.readouterr().out)
    assert res["me"] == {"name": "Карл", "inferred": True}
    # Карл's first line, before anyone else wrote, goes with the first who answers; his other
    # two answer Анна and Дина
    assert res["interactions_added"] == 5


def test_me_flag_means_no_guess(chats, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    private, _group = chats
    assert main(["import", "--json", "--me", "Анна", str(private)]) == 0
    (res,) = _json_lines(capsys.readouterr().out)
    assert "me" not in res


def test_terminal_asks_once_and_remembers(chats, capsys, monkeypatch) -> None:
    private, group = chats
    monkeypatch.setattr("sys.stdin", Tty("\n"))  # Enter: the proposed default
    assert main(["import", "--json", str(private), str(group)]) == 0
    out, err = capsys.readouterr()
    assert "Who are you in these 2 chats?" in err
    assert "Анна: 3 message(s)  (default)" in err and "Карл: 3 message(s)" in err
    assert [r["me"] for r in _json_lines(out)] == [{"name": "Анна", "inferred": False}] * 2
    assert _setting("me_names") == ["Анна"]
    # the next import does not ask: the settings say who I am
    third = _chat(private.parent, "Ещё.txt", ["Анна: ау", "Олег: тут"])
    monkeypatch.setattr("sys.stdin", Tty(""))
    assert main(["import", "--json", str(third)]) == 0
    out, err = capsys.readouterr()
    assert "Who are you" not in err
    assert "me" not in _json_lines(out)[0]
    assert _directions("Олег") == ["out", "in"] and _directions("Анна") == []


def test_terminal_answer_by_number(chats, capsys, monkeypatch) -> None:
    _private, group = chats
    monkeypatch.setattr("sys.stdin", Tty("3\n"))  # Карл 3, Анна 1, Дина 1 -> "Дина"
    assert main(["import", str(group)]) == 0
    err = capsys.readouterr().err
    assert "1) Карл: 3 message(s)  (default)" in err
    assert _setting("me_names") == ["Дина"]
    assert _directions("Карл") == ["in", "in", "out", "in"]  # my line answers Карл


MBOX = (
    "From me@example.org Mon Mar  4 10:00:00 2024\n"
    "From: Me <me@example.org>\nTo: Олег <oleg@example.ru>\nSubject: a\n"
    "Message-ID: <a1@example.org>\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n\nhi\n\n"
    "From me@example.org Mon Mar  4 11:00:00 2024\n"
    "From: Me <me@example.org>\nTo: Инна <inna@example.ru>\nSubject: b\n"
    "Message-ID: <a2@example.org>\nDate: Mon, 4 Mar 2024 11:00:00 +0000\n\nhello\n\n"
)


def test_mail_address_guess_is_reported_and_confirmed_on_a_terminal(
    tmp_path, capsys, monkeypatch
) -> None:
    box = tmp_path / "Sent.mbox"
    box.write_text(MBOX, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["import", "--json", "--dry-run", str(box)]) == 0
    (res,) = _json_lines(capsys.readouterr().out)
    assert res["me"] == {"addresses": ["me@example.org"], "inferred": True}
    assert main(["import", "--dry-run", str(box)]) == 0
    assert "assumed your address is me@example.org" in capsys.readouterr().out
    assert _setting("me_identities") == []
    monkeypatch.setattr("sys.stdin", Tty("\n"))
    assert main(["import", "--json", str(box)]) == 0
    out, err = capsys.readouterr()
    assert "Your own address(es) in Sent.mbox [me@example.org]" in err
    assert _json_lines(out)[0]["me"] == {"addresses": ["me@example.org"], "inferred": False}
    assert _setting("me_identities") == [["email", "me@example.org"]]


MESSENGER = Path(__file__).parent / "importers" / "fixtures" / "messenger" / "export"


def test_messenger_guess_is_said_then_confirmed_on_a_terminal(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["import", "--json", "--dry-run", str(MESSENGER)]) == 0
    (res,) = _json_lines(capsys.readouterr().out)
    assert res["me"] == {"name": "Мария Смирнова", "inferred": True}
    assert _setting("me_names") == []
    monkeypatch.setattr("sys.stdin", Tty("\n"))
    assert main(["import", "--json", str(MESSENGER)]) == 0
    out, err = capsys.readouterr()
    assert "1) Мария Смирнова  (default)" in err  # the guess, no message counts for it
    assert _json_lines(out)[0]["me"] == {"name": "Мария Смирнова", "inferred": False}
    assert _setting("me_names") == ["Мария Смирнова"]


def test_dry_run_asks_but_remembers_nothing(chats, capsys, monkeypatch) -> None:
    _private, group = chats
    monkeypatch.setattr("sys.stdin", Tty("Анна\n"))  # a typed name
    assert main(["import", "--dry-run", str(group)]) == 0
    out = capsys.readouterr().out
    assert "me: you are 'Анна'" in out and "remembered" not in out
    assert _setting("me_names") == []
