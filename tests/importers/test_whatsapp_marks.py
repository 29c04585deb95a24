"""WhatsApp: what the export appends to a message that is not the message (the edit marker)."""

from __future__ import annotations

from pathlib import Path

from netassist.importers.records import ImportedInteraction, ImportOptions
from netassist.importers.whatsapp import WhatsAppImporter

UTC_OPTS = ImportOptions(local_timezone="UTC")
LRM = "\u200e"


def texts(tmp_path: Path, body: str, name: str = "WhatsApp Chat with Bob.txt") -> list[str | None]:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    recs = WhatsAppImporter().parse(path, UTC_OPTS)
    return [r.text for r in recs if isinstance(r, ImportedInteraction)]


def test_android_edit_markers_are_not_text(tmp_path: Path) -> None:
    chat = (
        "12/03/2024, 10:00 - Bob: see you at 5 <This message was edited>\n"
        "12/03/2024, 10:01 - Me: Treffen um 6 <Diese Nachricht wurde bearbeitet.>\n"
        "12/03/2024, 10:02 - Bob: nos vemos <Se editó este mensaje.>\n"
        "12/03/2024, 10:03 - Me: до завтра <Сообщение изменено>\n"
        "12/03/2024, 10:04 - Bob: até logo <Mensagem editada>\n"
        "12/03/2024, 10:05 - Me: à demain <Ce message a été modifié>\n"
        "12/03/2024, 10:06 - Bob: a domani <Questo messaggio è stato modificato>\n"
        "12/03/2024, 10:07 - Me: tot morgen <Dit bericht is bewerkt>\n"
        "12/03/2024, 10:08 - Bob: do jutra <Ta wiadomość była edytowana>\n"
        "12/03/2024, 10:09 - Me: yarın <Bu mesaj düzenlendi>\n"
        "12/03/2024, 10:10 - Bob: two lines\n"
        "second line <This message was edited>\n"
    )
    assert texts(tmp_path, chat) == [
        "see you at 5", "Treffen um 6", "nos vemos", "до завтра", "até logo", "à demain",
        "a domani", "tot morgen", "do jutra", "yarın", "two lines\nsecond line",
    ]  # fmt: skip


def test_ios_edit_marker_after_lrm(tmp_path: Path) -> None:
    chat = (
        "[11/5/25, 11:31:08 AM] Bob: Tomorrow at 2pm!! " + LRM + "<This message was edited>\n"
        "[11/5/25, 11:32:08 AM] Me: ok\n"
    )
    assert texts(tmp_path, chat, "_chat.txt") == ["Tomorrow at 2pm!!", "ok"]


def test_only_a_trailing_known_marker_goes(tmp_path: Path) -> None:
    chat = (
        # the marker's words inside a sentence, an unknown <...>, a marker not at the end
        "12/03/2024, 10:00 - Bob: he wrote This message was edited, funny\n"
        "12/03/2024, 10:01 - Me: use <b>bold</b> or <i>\n"
        "12/03/2024, 10:02 - Bob: <This message was edited> is what it says\n"
        "12/03/2024, 10:03 - Me: a <b> tag<This message was edited>\n"
    )
    assert texts(tmp_path, chat) == [
        "he wrote This message was edited, funny",
        "use <b>bold</b> or <i>",
        "<This message was edited> is what it says",
        "a <b> tag<This message was edited>",  # WhatsApp writes a space or LRM
    ]
