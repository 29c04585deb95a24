"""WhatsApp importer: header dialects, date order, me, zip handling, robustness."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from netassist.importers import whatsapp as wa
from netassist.importers.base import FormatError
from netassist.importers.chatkit import INTERACTION_FIELDS, interaction
from netassist.importers.records import (
    IdentityRef,
    ImportedInteraction,
    ImportOptions,
    ImportProblem,
    MeHint,
    Party,
)
from netassist.importers.whatsapp import WhatsAppImporter
from netassist.importers.whatsapp_dates import resolve_date_order

UTC_OPTS = ImportOptions(local_timezone="UTC")


def run(
    tmp_path: Path,
    text: str,
    name: str = "chat.txt",
    opts: ImportOptions = UTC_OPTS,
    encoding: str = "utf-8",
) -> list:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return list(WhatsAppImporter().parse(path, opts))


def msgs(recs: list) -> list[ImportedInteraction]:
    return [r for r in recs if isinstance(r, ImportedInteraction)]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([b"12/31/20", b"1/1/21"], "mdy"),
        ([b"31/12/20", b"1/1/21"], "dmy"),
        ([b"2022/12/14"], "ymd"),
        ([b"10.24.21"], "mdy"),
        ([b"01.02.21", b"02.02.21", b"03.02.21"], "dmy"),  # ambiguous, forward both ways: dots
        ([b"1/2/21", b"1/3/21", b"2/1/21"], "mdy"),  # only month-first runs forward
        ([b"2/1/21", b"3/1/21", b"1/2/21"], "dmy"),
        ([b"1/2/21", b"1/2/21"], "mdy"),  # a tie: unpadded slashes, two-digit year: US English
        ([b"10/12/2024"], "dmy"),  # a tie: a four-digit year after day and month: not US
        ([b"06/08/2020", b"07/08/2020", b"03/08/2022"], "dmy"),  # forward both ways, padded
        ([b"12/01/25", b"12/02/25"], "mdy"),  # forward both ways: the second field moves: days
        ([b"09/10/22", b"10/10/22", b"11/10/22"], "dmy"),  # the first field moves: days
        ([b"05/02/22", b"06/02/22"], "dmy"),  # zero-padded day or month (en-IN): not US
    ],
)
def test_date_order_rule(dates: list[bytes], expected: str) -> None:
    assert resolve_date_order(dates) == expected


def test_android_12h_and_24h_variants(tmp_path: Path) -> None:
    text = (
        "1/5/21, 12:05 AM - Ann: after midnight\n"
        "1/5/21, 12:30\u202fPM - Ann: noon\n"
        "1/13/21, 9:07 p. m. - Bob: evening\n"
        "[1/14/21 21:08:09] Bob: iOS-style line in the same file\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("nobody",), local_timezone="UTC")))
    assert [m.occurred_at.isoformat() for m in got] == [
        "2021-01-05T00:05:00+00:00",
        "2021-01-05T12:30:00+00:00",
        "2021-01-13T21:07:00+00:00",
        "2021-01-14T21:08:09+00:00",
    ]
    assert all(m.tz_status == "local" for m in got)


def test_me_names_directions_and_private_partner(tmp_path: Path) -> None:
    text = (
        "31.12.20, 10:00 - Анна: привет\n"
        "31.12.20, 10:01 - Я Сам: привет!\nкак дела?\n"
        "31.12.20, 10:02 - Анна: <Без медиафайлов>\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("я сам",), local_timezone="UTC")))
    assert [m.direction for m in got] == ["in", "out", "in"]
    assert all(m.counterparts == (Party(name="Анна"),) for m in got)
    assert got[1].text == "привет!\nкак дела?"
    assert (got[2].attachments, got[2].text) == (1, None)
    assert all(m.conversation_kind == "private" and m.weight == 1.0 for m in got)


def test_me_by_phone_identity(tmp_path: Path) -> None:
    text = "1/13/21, 10:00 - +7 916 123-45-67: hi\n1/13/21, 10:01 - Bob: hello\n"
    opts = ImportOptions(
        me_identities=(IdentityRef("phone", "+79161234567"),), local_timezone="UTC"
    )
    got = msgs(run(tmp_path, text, opts=opts))
    assert [m.direction for m in got] == ["out", "in"]


def test_inferred_me_is_announced(tmp_path: Path) -> None:
    text = "1/13/21, 10:00 - Ann: a\n1/13/21, 10:01 - Bob: b\n1/13/21, 10:02 - Ann: c\n"
    recs = run(tmp_path, text, name="export.txt")
    hints = [r for r in recs if isinstance(r, MeHint)]
    assert hints == [MeHint(name="Ann", inferred=True)]
    text2 = "1/13/21, 10:00 - Ann: a\n1/13/21, 10:01 - Bob: b\n1/13/21, 10:02 - Ann: c\n"
    recs2 = run(tmp_path, text2, name="WhatsApp Chat with Ann.txt")
    assert [r.name for r in recs2 if isinstance(r, MeHint)] == ["Bob"]


def test_fingerprints_stable_and_distinct(tmp_path: Path) -> None:
    text = "1/13/21, 10:00 - Ann: ok\n1/13/21, 10:00 - Ann: ok\n1/13/21, 10:00 - Bob: ok\n"
    a = [m.fingerprint for m in msgs(run(tmp_path, text))]
    b = [m.fingerprint for m in msgs(run(tmp_path, text))]
    assert a == b and len(set(a)) == 3


def test_dst_day_is_converted_exactly(tmp_path: Path) -> None:
    text = "28.03.21, 01:30 - Ann: before\n28.03.21, 03:30 - Ann: after\n"
    got = msgs(
        run(tmp_path, text, opts=ImportOptions(me_names=("x",), local_timezone="Europe/Berlin"))
    )
    assert [m.occurred_at.isoformat() for m in got] == [
        "2021-03-28T00:30:00+00:00",
        "2021-03-28T01:30:00+00:00",
    ]


def test_marks_bom_crlf_and_time_first(tmp_path: Path) -> None:
    text = (
        "\ufeff[\ufeff29.01.18, 12:24:03] Mallory: Hey!\r\n"
        "\u200e[29.01.18, 12:25:03] Bob: \u200eimage omitted\r\n"
        "[29.01.18, 12:26:03] Bob: two\r\nlines\r\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("x",), local_timezone="UTC")))
    assert [(m.text, m.attachments) for m in got] == [("Hey!", 0), (None, 1), ("two\nlines", 0)]
    vi = "[14:56:01, 3/18/22] Musk Elon: Hello\r\n[21:41:35, 3/27/22] Dmitry S: Hi\r\n"
    got = msgs(run(tmp_path, vi, opts=ImportOptions(me_names=("x",), local_timezone="UTC")))
    assert [m.occurred_at.isoformat() for m in got] == [
        "2022-03-18T14:56:01+00:00",
        "2022-03-27T21:41:35+00:00",
    ]


def test_invalid_utf8_is_a_problem_and_rest_imports(tmp_path: Path) -> None:
    data = b"1/13/21, 10:00 - Ann: bad \xff byte\n1/13/21, 10:01 - Ann: fine\n"
    recs = run(tmp_path, data)
    assert len(msgs(recs)) == 2
    assert [r.where for r in recs if isinstance(r, ImportProblem)] == ["chat.txt:1"]


def test_invalid_date_is_a_problem(tmp_path: Path) -> None:
    recs = run(tmp_path, "1/13/21, 10:00 - Ann: ok\n2/30/21, 10:00 - Ann: no such day\n")
    assert len(msgs(recs)) == 1
    assert [r.where for r in recs if isinstance(r, ImportProblem)] == ["chat.txt:2"]


@pytest.mark.parametrize("content", ["", "hello\nthis is not a chat\n", '{"json": true}'])
def test_not_a_chat_is_a_format_error(tmp_path: Path, content: str) -> None:
    with pytest.raises(FormatError):
        run(tmp_path, content)


def test_zip_reads_only_the_chat_member(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Ann.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("IMG-001.jpg", b"\xff\xd8" * 100)
        z.writestr(
            "WhatsApp Chat with Ann.txt", "1/13/21, 10:00 - Ann: hi\n1/13/21, 10:01 - Me: yo\n"
        )
    recs = list(WhatsAppImporter().parse(path, UTC_OPTS))
    got = msgs(recs)
    assert [m.direction for m in got] == ["in", "out"]
    assert got[0].where == "WhatsApp Chat with Ann.zip/WhatsApp Chat with Ann.txt:1"


def test_zip_bomb_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wa.F, "MAX_CHAT_BYTES", 10_000)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_chat.txt", "1/13/21, 10:00 - Ann: " + "a" * 50_000 + "\n")
    with pytest.raises(FormatError):
        list(WhatsAppImporter().parse(path, UTC_OPTS))
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("photo.jpg", b"x")
    with pytest.raises(FormatError):
        list(WhatsAppImporter().parse(empty, UTC_OPTS))


def test_sniff(tmp_path: Path) -> None:
    imp = WhatsAppImporter()
    chat = b"12/31/20, 11:59 PM - Ann: hi\n12/31/20, 11:59 PM - Bob: yo\n"
    assert imp.sniff(Path("WhatsApp Chat with Ann.txt"), chat) >= 90
    assert imp.sniff(Path("notes.txt"), b"just some notes\nmore notes\n") == 0
    assert imp.sniff(Path("result.json"), b'{"messages": []}') == 0


def test_fast_constructor_builds_the_real_record() -> None:
    from datetime import UTC, datetime

    args = dict(
        zip(
            INTERACTION_FIELDS,
            [
                "fp",
                "w",
                datetime(2021, 1, 1, tzinfo=UTC),
                "whatsapp",
                "in",
                (Party(name="A"),),
                "local",
                "t",
                None,
                "k",
                "group",
                "T",
                "1",
                None,
                None,
                0.4,
                2,
            ],
            strict=True,
        )
    )
    fast = interaction(*args.values())
    real = ImportedInteraction(**args)
    assert fast == real and hash(fast) == hash(real) and repr(fast) == repr(real)


def test_media_placeholders_fit_the_length_shortcut() -> None:
    from netassist.importers import whatsapp_formats as F

    assert max(map(len, F.MEDIA_EXACT)) < F.MEDIA_EXACT_MAXLEN


def test_specialised_regex_falls_back_when_a_header_shape_changes(tmp_path: Path) -> None:
    lines = [f"1/13/21, 10:{i % 60:02d} - Ann: message number {i}" for i in range(3000)]
    lines.append("[1/14/21, 11:00:00] Bob: a header in another shape, after the 64 KB head")
    lines.append("1/14/21, 11:01 - Ann: last")
    got = msgs(run(tmp_path, "\n".join(lines) + "\n", opts=ImportOptions(me_names=("x",))))
    assert len(got) == 3002
    assert got[-2].text == "a header in another shape, after the 64 KB head"
    assert got[-2].counterparts == (Party(name="Bob"),)


def test_localised_and_business_notices_are_not_messages(tmp_path: Path) -> None:
    # iOS writes notices with the chat name as author (a leading LRM, not always kept by
    # copies); business chats put Meta's notice after the business's name. Only "ok" is a
    # message.
    lrm = "\u200e"
    text = (
        f"[3/18/22 14:56:00] Eva Nováková: {lrm}Zprávy a hovory jsou opatřeny koncovým "
        "šifrováním. Nikdo, kdo není přímým účastníkem této konverzace, ji nemůže sledovat ani "
        "poslouchat. Dokonce ani WhatsApp.\n"
        "[3/18/22 14:57:00] Shop EG: This business uses a secure service from Meta to manage "
        "this chat. Tap to learn more.\n"
        "[3/18/22 14:57:01] Shop EG: This business works with other companies to manage this "
        "chat. Tap to learn more.\n"
        "[3/18/22 14:58:00] Shop EG: ok\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("me",), local_timezone="UTC")))
    assert [m.text for m in got] == ["ok"]


def test_finnish_klo_and_colon_after_time_headers(tmp_path: Path) -> None:
    # Finnish Android writes "13.6.2018 klo 21.25 - Mika: ..."; some exports close the time
    # with a colon instead of a dash ("13.06.18 21.25.15: Laura: ...").
    text = (
        "13.6.2018 klo 21.25.15 - Mika: tämä on testi\n"
        "13.06.18 21.25.16: Laura: toinen testi\n"
        "jatkuu\n"
        "14.6.2018 klo 9.05 - Mika: kolmas\n"
    )
    recs = run(tmp_path, text, opts=ImportOptions(me_names=("Mika",), local_timezone="UTC"))
    assert not [r for r in recs if isinstance(r, ImportProblem)]
    got = msgs(recs)
    assert [(m.occurred_at.isoformat(), m.direction, m.text) for m in got] == [
        ("2018-06-13T21:25:15+00:00", "out", "tämä on testi"),
        ("2018-06-13T21:25:16+00:00", "in", "toinen testi\njatkuu"),
        ("2018-06-14T09:05:00+00:00", "out", "kolmas"),
    ]


def test_tilde_before_a_push_name_is_not_part_of_the_name(tmp_path: Path) -> None:
    # iOS marks authors who are not in the address book with "~" and a (narrow) space.
    text = (
        "[1/24/21, 12:41:03 PM] ~\u202fAnna Berg: hi\n"
        "[1/24/21, 12:42:03 PM] Bob: hello\n"
        "[1/24/21, 12:43:03 PM] Anna Berg: again\n"
        "[1/24/21, 12:44:03 PM] ~ Carl: yo\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("Bob",), local_timezone="UTC")))
    assert [(m.direction, m.counterparts) for m in got] == [
        ("in", (Party(name="Anna Berg"),)),
        ("out", (Party(name="Anna Berg"),)),
        ("in", (Party(name="Anna Berg"),)),
        ("in", (Party(name="Carl"),)),
    ]
    # an inferred me sees one author, whichever way the name was written
    text2 = "1/2/21, 10:00 - Ann: a\n1/2/21, 10:01 - ~ Bob: b\n1/2/21, 10:02 - Bob: c\n"
    recs = run(tmp_path, text2, name="export.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Bob"]
    assert [m.direction for m in msgs(recs)] == ["in", "out", "out"]


def test_whoever_i_added_or_removed_is_not_me(tmp_path: Path) -> None:
    # "You added Bob" was written on my phone: Bob is somebody else, however much he talks.
    text = (
        '1/29/18, 12:24 - You created group "Test"\n'
        "1/29/18, 12:25 - You added Bob, Dave and Mallory\n"
        "1/29/18, 12:25 - You removed Mallory\n"
        "1/29/18, 12:26 - Bob: a\n"
        "1/29/18, 12:27 - Bob: b\n"
        "1/29/18, 12:28 - Mallory: c\n"
        "1/29/18, 12:29 - Mallory: d\n"
        "1/29/18, 12:29 - Mallory: e\n"
        "1/29/18, 12:30 - Alice: f\n"
        "1/29/18, 12:31 - Dave: g\n"
    )
    recs = run(tmp_path, text, name="export.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Alice"]
    ru = "29.01.18, 12:24 - Вы добавили Борис\n29.01.18, 12:26 - Борис: а\n29.01.18, 12:26 - Борис: б\n"
    ru += "29.01.18, 12:27 - Анна: в\n"
    recs = run(tmp_path, ru, name="export.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Анна"]


def test_old_ios_headers_closed_by_a_colon(tmp_path: Path) -> None:
    # iOS in 2016: "7/1/16, 5:08:08 PM: Sophia H. added you"; whoever added me is not me.
    text = (
        "7/1/16, 4:56:55 PM: Sophia H. created this group\n"
        "7/1/16, 5:08:08 PM: Sophia H. added you\n"
        "7/1/16, 5:13:36 PM: Sophia H.: Hier die Gruppe\n"
        "7/1/16, 5:14:12 PM: Sophia H.: Lg\n"
        "7/1/16, 5:18:44 PM: Philip P.: Perfekt.\n\nGruß Philip\n"
        "7/1/16, 5:19:00 PM: Jan: ok\n"
        "7/2/16, 12:38:48 AM: You changed this group's icon\n"
        "9/10/16, 8:37:21 PM: Philip P.: <image omitted>\n"
    )
    recs = run(tmp_path, text, name="export.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Philip P."]
    got = msgs(recs)
    assert [(m.occurred_at.isoformat(), m.direction, m.text) for m in got] == [
        ("2016-07-01T17:13:36+00:00", "in", "Hier die Gruppe"),
        ("2016-07-01T17:14:12+00:00", "in", "Lg"),
        ("2016-07-01T17:18:44+00:00", "out", "Perfekt.\n\nGruß Philip"),
        ("2016-07-01T17:19:00+00:00", "in", "ok"),
        ("2016-09-10T20:37:21+00:00", "out", None),
    ]


def test_video_notes_and_capitalised_ios_placeholders_are_attachments(tmp_path: Path) -> None:
    lrm = "\u200e"
    text = (
        "01.02.25, 10:00 - Anna: <Video message omitted>\n"
        "01.02.25, 10:01 - Anna: <Videonachricht weggelassen>\n"
        f"{lrm}[01.02.25, 10:02:00] Anna: {lrm}Image omitted\n"
        f"{lrm}[01.02.25, 10:03:00] Anna: {lrm}Sticker omitted\n"
        "01.02.25, 10:04 - Anna: words\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("me",), local_timezone="UTC")))
    assert [(m.attachments, m.text) for m in got] == [(1, None)] * 4 + [(0, "words")]


def test_ios_group_name_author_of_notices_only_is_not_me(tmp_path: Path) -> None:
    # iOS 2024+: notices carry the group's name as author, and the first line need not be the
    # encryption notice. An author with nothing but notices is not me; whoever added me is not.
    lrm = "\u200e"
    text = (
        f"[19/10/2025, 01:02:19] Lappers: {lrm}Rudi Anderson added you\r\n"
        f"[19/10/2025, 01:03:19] Lappers: {lrm}You're now an admin\r\n"
        f"[19/10/2025, 01:03:20] Lappers: {lrm}Rudi Anderson changed the group description\r\n"
        "[19/10/2025, 01:04:19] Rudi Anderson: hi\r\n"
        "[19/10/2025, 01:04:30] Rudi Anderson: there\r\n"
        "[19/10/2025, 01:05:19] Bea: yo\r\n"
    )
    recs = run(tmp_path, text, name="_chat.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Bea"]
    assert [(m.direction, m.text) for m in msgs(recs)] == [
        ("in", "hi"),
        ("in", "there"),
        ("out", "yo"),
    ]


def test_rtl_ios_notices_and_localised_media_placeholders(tmp_path: Path) -> None:
    # Arabic iOS marks notices with RLM where other locales use LRM, and its encryption notice
    # says "واتساب", not "WhatsApp". Media placeholders are localised on iOS.
    rlm, lrm = "\u200f", "\u200e"
    text = (
        f"[{rlm}18{rlm}/3{rlm}/2022\u060c 14:56:01] Ali: {rlm}الرسائل والمكالمات مشفرة تمامًا "
        "بين الطرفين، بحيث لا يستطيع أحد خارج هذه الدردشة، ولا حتى شركة واتساب نفسها، قراءتها.\n"
        f"[{rlm}18{rlm}/3{rlm}/2022\u060c 14:57:00] Ali: مرحبا\n"
        f"{rlm}[{rlm}18{rlm}/3{rlm}/2022\u060c 14:58:00] Ali: {rlm}لم يتم إدراج الصورة\n"
        f"{rlm}[{rlm}18{rlm}/3{rlm}/2022\u060c 14:58:30] Ali: x.txt {rlm}لم يتم إدراج المستند\n"
        f"[{rlm}28{rlm}/4{rlm}/2022\u060c 20:17:30] Ali: {rlm}{rlm}تغيّر رمز أمانك المُستخدَم مع Ali.\n"
        f"{lrm}[27/3/22 21:41:55] Ali: {lrm}obrázek vynechán\n"
        f"{lrm}[27/3/22 21:43:56] Ali: {lrm}ไม่มีรูปภาพ\n"
        f"{lrm}[27/3/22 21:44:16] Ali: {lrm}đã bỏ qua hình ảnh\n"
        f"{lrm}[27/3/22 21:44:47] Ali: {lrm}फ़ोटो हटाई गई\n"
        f"{lrm}[27/3/22 21:45:00] Ali: {lrm}GIF esclusa\n"
        f"{lrm}[27/3/22 21:46:00] Ali: {lrm}\u0938\u094d\u091f\u093f\u0915\u0930 \u091b\u094b\u095c\u093e"
        " \u0917\u092f\u093e\n"  # Hindi sticker, its nukta letter precomposed as WhatsApp writes it
        f"{lrm}[27/3/22 21:50:09] Ali: Some file.txt {lrm}dokument vynechán\n"
        f"{lrm}[27/3/22 21:50:10] Ali: Some file.txt {lrm}<attached: 00000046-Some file.txt>\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("me",), local_timezone="UTC")))
    assert [(m.attachments, m.text) for m in got] == [(0, "مرحبا")] + [(1, None)] * 10


def test_android_caption_after_a_media_placeholder_is_the_text(tmp_path: Path) -> None:
    text = (
        "18/03/2022, 15:10 - Dmitry: <Media omitted>\nCaption\n"
        "18/03/2022, 15:11 - Dmitry: <Без медиафайлов>\nфото с подписью\nвторая строка\n"
        "18/03/2022, 15:12 - Dmitry: <Media omitted>\n"
        "18/03/2022, 15:13 - Dmitry: <b>not media</b>\nsecond line\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("me",), local_timezone="UTC")))
    assert [(m.attachments, m.text) for m in got] == [
        (1, "Caption"),
        (1, "фото с подписью\nвторая строка"),
        (1, None),
        (0, "<b>not media</b>\nsecond line"),
    ]


def test_new_encryption_notice_without_the_word_whatsapp_opens_the_chat(tmp_path: Path) -> None:
    # 2024+ wording names nobody ("Only people in this chat can read..."); iOS writes it first,
    # with the chat's name as author (the LRM is not always there).
    for notice in (
        "Messages and calls are end-to-end encrypted. Only people in this chat can read, "
        "listen to, or share them.",
        "Сообщения и звонки защищены сквозным шифрованием. Только участники этого чата могут "
        "читать, слушать и пересылать их.",
    ):
        text = (
            f"[14.08.2024, 21:00:10] Друзья: {notice}\n"
            "[14.08.2024, 21:01:00] Борис: привет\n"
            "[14.08.2024, 21:02:00] Анна: hi\n"
        )
        recs = run(tmp_path, text, opts=ImportOptions(me_names=("Анна",), local_timezone="UTC"))
        got = msgs(recs)
        assert [m.text for m in got] == ["привет", "hi"]
        assert got[0].conversation_title == "Друзья"


def test_my_opening_lines_in_a_group_go_with_the_first_who_answers(tmp_path: Path) -> None:
    text = (
        "1/5/21, 10:00 - Me: Hi all, made this group\n"
        "1/5/21, 10:01 - Me: Dinner on Friday?\n"
        "1/5/21, 10:05 - Ann: Yes!\n"
        "1/5/21, 10:06 - Bob: Count me in\n"
        "1/5/21, 10:07 - Me: Great\n"
    )
    opts = ImportOptions(local_timezone="UTC", me_names=("Me",))
    got = msgs(run(tmp_path, text, "WhatsApp Chat with Friday dinner.txt", opts))
    assert [(m.direction, m.counterparts[0].name) for m in got] == [
        ("out", "Ann"), ("out", "Ann"), ("in", "Ann"), ("in", "Bob"), ("out", "Bob"),
    ]  # fmt: skip
    assert [m.text for m in got][:2] == ["Hi all, made this group", "Dinner on Friday?"]
    # in order, and with fingerprints of their own: a re-import finds the same ones
    assert got[0].occurred_at < got[1].occurred_at < got[2].occurred_at
    assert len({m.fingerprint for m in got}) == 5


def test_a_group_only_i_wrote_in_keeps_nothing_of_mine(tmp_path: Path) -> None:
    text = (
        '1/5/21, 09:59 - You created group "Quiet"\n'
        "1/5/21, 10:00 - Me: Anyone?\n"
        "1/5/21, 10:02 - Me: Hello?\n"
    )
    opts = ImportOptions(local_timezone="UTC", me_names=("Me",))
    got = msgs(run(tmp_path, text, "WhatsApp Chat with Quiet group.txt", opts))
    assert got == []  # nobody to be with: not a conversation with anyone


def test_dutch_formal_added_you_is_not_me(tmp_path: Path) -> None:
    # Older Dutch exports address the reader formally: "<naam> heeft u toegevoegd" (not "je").
    text = (
        "06-01-16 12:29:41: Kees heeft de groep “Test” gemaakt\n"
        "06-01-16 12:29:41: Kees heeft u toegevoegd\n"
        "06-01-16 12:30:04: Kees: hallo\n"
        "06-01-16 14:15:59: U hebt de groepsafbeelding gewijzigd\n"
        "22-01-16 20:36:43: Els: dag\n"
        "22-01-16 20:37:00: Kees: tot ziens\n"
    )
    recs = run(tmp_path, text, name="export.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Els"]
    assert [(m.occurred_at.date().isoformat(), m.direction) for m in msgs(recs)] == [
        ("2016-01-06", "in"),
        ("2016-01-22", "out"),
        ("2016-01-22", "in"),
    ]


def test_named_actor_of_a_notice_is_not_me(tmp_path: Path) -> None:
    # WhatsApp writes my own actions as "You added ..."; "Rav Dov added ..." or "Bob left" is
    # somebody else, however often they write. Localised forms too ("добавил(-а)").
    text = (
        "5/27/20, 17:33 - Rav Dov, (Tate): shiur at 8\n"
        "5/27/20, 17:34 - Rav Dov, (Tate): bring a chair\n"
        "5/27/20, 17:35 - Rav Dov, (Tate) added +972 54-799-1403\n"
        "5/27/20, 18:32 - +972 50-869-4456 joined using this group's invite link\n"
        "5/27/20, 18:33 - +972 50-869-4456: a question\n"
        "5/27/20, 18:34 - +972 50-869-4456: and another\n"
        "5/27/20, 18:40 - Yoni: thanks\n"
    )
    recs = run(tmp_path, text, name="export.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Yoni"]
    ru = (
        "12.03.19, 10:00 - ‎Ольга добавил(-а) контакт +7 909 555-55-55\n"
        "12.03.19, 10:01 - Ольга: привет\n12.03.19, 10:02 - Ольга: как дела\n"
        "12.03.19, 10:03 - Пётр: хорошо\n"
    )
    recs = run(tmp_path, ru, name="export.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Пётр"]


def test_old_ios_file_then_bracketed_attached_word(tmp_path: Path) -> None:
    # iOS before 2017 wrote a shared file as "<name> <attached>" (Dutch "<bijgevoegd>"), with no
    # colon inside the brackets; it is an attachment, and a sentence ending so is not.
    lrm = "\u200e"
    text = (
        "28-09-16 17:00:04: Tara: 3.jpg <bijgevoegd>\r\n"
        f"28-09-16 17:01:04: Tara: IMG_0042.JPG <{lrm}attached>\r\n"
        "28-09-16 17:02:04: Alex: the photo is <attached>\r\n"
        "29-09-16 17:03:04: Alex: ok\r\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("me",), local_timezone="UTC")))
    assert [(m.attachments, m.text) for m in got] == [
        (1, None),
        (1, None),
        (0, "the photo is <attached>"),
        (0, "ok"),
    ]


def test_actor_phone_with_other_dashes_is_not_me(tmp_path: Path) -> None:
    # iOS 2019: notices have no author; the actor's number is written with ASCII hyphens while
    # the same person's messages use a non-breaking hyphen (U+2011). One number, not me.
    lrm, nbh = "\u200e", "\u2011"
    text = (
        f"[9/25/19, 8:09:26 PM] {lrm}Rachelle Guy added you\n"
        f"[9/26/19, 1:51:54 PM] +1 (216) 691{nbh}1551: lost a red notebook\n"
        f"[9/26/19, 1:52:54 PM] +1 (216) 691{nbh}1551: anyone?\n"
        f"[9/26/19, 1:54:43 PM] {lrm}+1 (216) 691-1551 added +1 (561) 629{nbh}3687\n"
        "[9/27/19, 2:28:31 PM] Jack BP: Freshmen: new keys\n"
    )
    recs = run(tmp_path, text, name="_chat.txt")
    assert [r.name for r in recs if isinstance(r, MeHint)] == ["Jack BP"]


def test_ios_missed_call_is_a_line_from_the_caller_as_on_android(tmp_path: Path) -> None:
    # iOS opens "Missed voice call" with an LRM like its notices, but it is the caller's call,
    # counted as Android counts "Dmitry S: Missed voice call".
    lrm = "\u200e"
    ios = (
        f"[6/9/21, 11:37:34 AM] Ilan: {lrm}Missed voice call\n"
        f"[6/9/21, 11:38:00 AM] Ilan: {lrm}Missed video call\n"
        "[6/9/21, 11:39:00 AM] Luis: sorry\n"
    )
    android = "07/01/2023, 23:32 - Ilan: Missed voice call\n07/01/2023, 23:33 - Luis: sorry\n"
    opts = ImportOptions(me_names=("Luis",), local_timezone="UTC")
    got_ios = msgs(run(tmp_path, ios, name="_chat.txt", opts=opts))
    got_android = msgs(run(tmp_path, android, name="chat.txt", opts=opts))
    assert [(m.direction, m.text) for m in got_ios] == [
        ("in", "Missed voice call"),
        ("in", "Missed video call"),
        ("out", "sorry"),
    ]
    assert [(m.direction, m.text) for m in got_android] == [
        ("in", "Missed voice call"),
        ("out", "sorry"),
    ]


def test_older_brazilian_android_media_placeholder(tmp_path: Path) -> None:
    # Brazilian Android before "<Mídia oculta>" wrote "<Arquivo de mídia oculto>"; Indonesian
    # Android writes times with a dot ("20.31").
    text = (
        "12/03/2019 14:05 - Ana: <Arquivo de mídia oculto>\n"
        "12/03/2019 14:06 - Bruno: oi\n"
        "14/07/2026, 20.31 - Ana: <Media tidak disertakan>\n"
    )
    got = msgs(run(tmp_path, text, opts=ImportOptions(me_names=("Bruno",), local_timezone="UTC")))
    assert [(m.occurred_at.isoformat(), m.attachments, m.text) for m in got] == [
        ("2019-03-12T14:05:00+00:00", 1, None),
        ("2019-03-12T14:06:00+00:00", 0, "oi"),
        ("2026-07-14T20:31:00+00:00", 1, None),
    ]
