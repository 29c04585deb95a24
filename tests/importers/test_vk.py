"""VK archive HTML importer: cp1251 pages, genitive dates, groups, paging, the jd owner id."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from netassist.importers.base import FormatError, read_head
from netassist.importers.records import IdentityRef, ImportOptions, ImportProblem, MeHint
from netassist.importers.rudates import month_number, parse_ru_datetime
from netassist.importers.vk import VKImporter, owner_id_from_jd
from tests.importers._golden_msg import check_golden, interactions

MSGS = Path(__file__).parent / "fixtures/vk/Archive/messages"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 авг 2017 в 11:31:26", datetime(2017, 8, 9, 11, 31, 26)),
        ("9 августа 2017 в 11:31", datetime(2017, 8, 9, 11, 31)),
        ("Вы, 14 дек 2018 в 0:40:17", datetime(2018, 12, 14, 0, 40, 17)),
        ("1 мая 2020 в 7:00", datetime(2020, 5, 1, 7, 0)),
        ("3 сент. 2021 г. в 10:00", datetime(2021, 9, 3, 10, 0)),
        ("14 грудня 2019 о 10:00", datetime(2019, 12, 14, 10, 0)),
        ("9 Aug 2017 at 11:31:26", datetime(2017, 8, 9, 11, 31, 26)),
        # English archives: the clock first, 12-hour.
        ("You, at 7:15:40 pm on 3 Nov 2014", datetime(2014, 11, 3, 19, 15, 40)),
        ("at 12:05:00 am on 1 Jan 2024", datetime(2024, 1, 1, 0, 5, 0)),
        ("at 12:30:10 pm on 10 Jul 2018", datetime(2018, 7, 10, 12, 30, 10)),
        ("today at 5:54 pm", datetime(2024, 3, 10, 17, 54)),
        ("at 13:00:00 pm on 1 Jan 2024", None),
        ("вчера в 9:05", datetime(2024, 3, 9, 9, 5)),
        ("сегодня в 23:59", datetime(2024, 3, 10, 23, 59)),
        ("20 дек в 10:00", datetime(2023, 12, 20, 10, 0)),  # no year, would be future
        ("5 мар в 10:00", datetime(2024, 3, 5, 10, 0)),
        ("31 февраля 2020 в 10:00", None),
        ("9 авг 2017 в 25:00", None),
        ("без даты", None),
        # Belarusian and Kazakh interfaces
        ("9 жніўня 2017 у 11:31", datetime(2017, 8, 9, 11, 31)),
        ("14 снежня 2018 г. у 0:40:17", datetime(2018, 12, 14, 0, 40, 17)),
        ("учора ў 9:05", datetime(2024, 3, 9, 9, 5)),
        ("сёння ў 23:59", datetime(2024, 3, 10, 23, 59)),
        ("9 тамыз 2017 ж. 11:31", datetime(2017, 8, 9, 11, 31)),
        ("1 қаңтар 2020 10:00", datetime(2020, 1, 1, 10, 0)),
        ("кеше 9:05", datetime(2024, 3, 9, 9, 5)),
    ],
)
def test_russian_dates(text: str, expected: datetime | None) -> None:
    assert parse_ru_datetime(text, today=date(2024, 3, 10)) == expected


def test_month_forms() -> None:
    assert [month_number(m) for m in ("января", "Фев.", "марта", "ИЮНЯ", "сентябрь", "лют")] == [
        1, 2, 3, 6, 9, 2,
    ]  # fmt: skip
    assert month_number("xyz") is None
    belarusian = ("студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня",
                  "жніўня", "верасня", "кастрычніка", "лістапада", "снежня")  # fmt: skip
    kazakh = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
              "қыркүйек", "қазан", "қараша", "желтоқсан")  # fmt: skip
    assert [month_number(m) for m in belarusian] == list(range(1, 13))
    assert [month_number(m) for m in kazakh] == list(range(1, 13))


def test_private_paged_conversation_golden() -> None:
    path = MSGS / "1001/messages50.html"
    records = list(VKImporter().parse(path))
    check_golden(records, path.with_name("messages50.html.expected.json"))
    msgs = interactions(records)
    assert [m.message_id for m in msgs] == ["500", "501", "502"]  # each once, in time order
    assert msgs[0].direction == "out"
    assert msgs[0].counterparts[0].identities == (IdentityRef("vk", "id1001"),)
    # 31 Dec 23:59:30 Moscow (UTC+3) is 20:59:30 UTC
    assert msgs[0].occurred_at.isoformat() == "2018-12-31T20:59:30+00:00"
    assert msgs[0].tz_status == "local"
    assert any(isinstance(r, ImportProblem) and "no date" in r.reason for r in records)
    assert MeHint(identities=(IdentityRef("vk", "id42"),)) in records


def test_group_chat_golden() -> None:
    path = MSGS / "2000000007/messages0.html"
    records = list(VKImporter().parse(path))
    check_golden(records, path.with_name("messages0.html.expected.json"))
    msgs = interactions(records)
    # 900, mine, came before anyone else wrote: it goes with the first who answers (901)
    assert [m.message_id for m in msgs] == ["900", "901", "902", "903", "904"]
    assert (msgs[0].direction, msgs[0].counterparts[0].name) == ("out", "Пётр Сидоров")
    msgs = msgs[1:]
    assert all(m.conversation_kind == "group" and m.weight == 0.4 for m in msgs)
    assert msgs[0].text == "И тебя!\nВстречаемся?"
    assert msgs[1].text == "Да, в 18:00" and msgs[1].counterparts[0].name == "Пётр Сидоров"
    assert msgs[2].attachments == 2 and msgs[2].text == "Фото с прошлой встречи"
    assert msgs[2].counterparts[0].identities == (IdentityRef("vk", "durov_fan"),)
    assert msgs[3].text == "Класс & спасибо"
    assert msgs[3].counterparts[0].name == "Елена Ёлкина"
    assert msgs[0].conversation_title == "Беседа выпускников"


def test_local_timezone_option_and_folder_import() -> None:
    opts = ImportOptions(local_timezone="Asia/Yekaterinburg")
    msgs = interactions(VKImporter().parse(MSGS, opts))
    assert {m.conversation_key for m in msgs} == {"vk:1001", "vk:2000000007"}
    first = next(m for m in msgs if m.message_id == "500")
    assert first.occurred_at.isoformat() == "2018-12-31T18:59:30+00:00"


def test_sniff_and_hostile_input(tmp_path: Path) -> None:
    page = MSGS / "1001/messages0.html"
    assert VKImporter().sniff(page, read_head(page)) >= 90
    assert VKImporter().sniff(MSGS, b"") >= 90
    assert owner_id_from_jd("!!notbase64") is None
    assert owner_id_from_jd("eyJ1c2VyX2lkIjogNDJ9") == 42
    bad = tmp_path / "5" / "messages0.html"
    bad.parent.mkdir()
    bad.write_bytes(
        b'<meta charset="x-unknown"><div class="message" data-id="1"><div class="message__header">'
        + b"\xff\xfe" * 1000
        + b"<div>" * 5000
    )
    records = list(VKImporter().parse(bad))
    assert all(isinstance(r, ImportProblem) for r in records)
    empty = tmp_path / "6" / "messages0.html"
    empty.parent.mkdir()
    empty.write_text("<html></html>")
    with pytest.raises(FormatError):
        list(VKImporter().parse(empty))


def test_relative_dates_count_from_the_page_file(tmp_path: Path) -> None:
    import os

    page = tmp_path / "77" / "messages0.html"
    page.parent.mkdir()
    page.write_bytes(
        '<meta charset="windows-1251"><div class="ui_crumb">Оля</div>'
        '<div class="message" data-id="1"><div class="message__header">'
        '<a href="https://vk.com/id77">Оля</a>, вчера в 23:10</div><div>Привет</div></div>'.encode(
            "cp1251"
        )
    )
    written = datetime(2021, 6, 15, 12, 0).timestamp()
    os.utime(page, (written, written))
    (m,) = interactions(VKImporter().parse(page))
    assert m.occurred_at.isoformat() == "2021-06-14T20:10:00+00:00"  # 23:10 Moscow


def _page(tmp_path: Path, peer: str, items: list[tuple[int, str, str]]) -> Path:
    body = "".join(
        f'<div class="item"><div class="item__main"><div class="message" data-id="{i}">'
        f'<div class="message__header">{header}</div><div>{text}<div class="kludges"></div></div>'
        "</div></div></div>"
        for i, header, text in items
    )
    page = tmp_path / peer / "messages0.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(
        f'<meta charset="windows-1251"><div class="ui_crumb">Chat</div>{body}'.encode("cp1251")
    )
    return page


def test_english_archive_dates_and_you(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "12345",
        [
            (1, '<a href="https://vk.com/id12345">Jane Doe</a>, at 7:15:40 pm on 3 Nov 2014', "hi"),
            (2, "You, at 11:02:03 am on 4 Nov 2014", "hello"),
        ],
    )
    a, b = interactions(VKImporter().parse(page, ImportOptions(local_timezone="UTC")))
    assert (a.direction, a.occurred_at.isoformat()) == ("in", "2014-11-03T19:15:40+00:00")
    assert (b.direction, b.occurred_at.isoformat()) == ("out", "2014-11-04T11:02:03+00:00")
    assert b.counterparts[0].name == "Jane Doe"


def test_a_plain_text_author_that_is_not_me(tmp_path: Path) -> None:
    # A deleted community has no link: it is somebody else, not the archive owner.
    page = _page(
        tmp_path,
        "-100",
        [
            (1, "Частное сообщество, 29 ноя 2018 в 22:40:32", "Скидка для вас"),
            (2, "Вы, 29 ноя 2018 в 22:45:00", "Спасибо"),
        ],
    )
    a, b = interactions(VKImporter().parse(page))
    assert (a.direction, a.counterparts[0].name) == ("in", "Частное сообщество")
    assert (b.direction, b.counterparts[0].name) == ("out", "Частное сообщество")
    assert a.conversation_kind == "private"


def test_a_relative_page_path_gives_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The peer id is the folder's name; "messages0.html" given from inside it must not lose it.
    page = _page(tmp_path, "153", [(7, "Вы, 1 янв 2024 в 0:00:00", "hi")])
    via_absolute = interactions(VKImporter().parse(page))
    monkeypatch.chdir(page.parent)
    via_relative = interactions(VKImporter().parse(Path("messages0.html")))
    assert [m.fingerprint for m in via_relative] == [m.fingerprint for m in via_absolute]
    assert via_relative[0].conversation_key == "vk:153"


def test_blank_lines_typed_with_br_are_kept(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "-102",
        [(1, '<a href="https://vk.com/club102">Shop</a>, 2 дек 2021 в 0:32:55',
          "Привет&#33; Мы работаем с 11:00.<br><br>Пишите<br>  в любое время<br>")],
    )  # fmt: skip
    (m,) = interactions(VKImporter().parse(page))
    assert m.text == "Привет! Мы работаем с 11:00.\n\nПишите\nв любое время"


def test_chat_events_are_not_messages(tmp_path: Path) -> None:
    srv = '<a class="im_srv_lnk " target="_blank" href="https://vk.com/id{0}">{1}</a>'
    page = tmp_path / "2000000007" / "messages0.html"
    page.parent.mkdir()
    items = [
        (1, '<a href="https://vk.com/id5">Олег</a>, 1 янв 2024 в 10:00:00',
         '<div class="kludges">' + srv.format(5, "Олег") + " пригласил "
         + srv.format(6, "Аню") + "</div>"),
        (2, '<a href="https://vk.com/id6">Аня</a>, 1 янв 2024 в 10:01:00',
         'Всем привет<div class="kludges"></div>'),
        (3, "Вы, 1 янв 2024 в 10:02:00", "Привет!"),
        (4, '<a href="https://vk.com/id5">Олег</a>, 1 янв 2024 в 10:03:00',
         '<div class="kludges">' + srv.format(5, "Олег")
         + ' изменил название чата на «<b class="im_srv_lnk">Друзья</b>»</div>'),
    ]  # fmt: skip
    body = "".join(
        f'<div class="message" data-id="{i}"><div class="message__header">{h}</div>'
        f"<div>{b}</div></div>"
        for i, h, b in items
    )
    page.write_bytes(f'<meta charset="windows-1251">{body}'.encode("cp1251"))
    msgs = interactions(VKImporter().parse(page))
    assert [(m.message_id, m.direction, m.counterparts[0].name) for m in msgs] == [
        ("2", "in", "Аня"),
        ("3", "out", "Аня"),
    ]


def test_a_community_is_one_identity_however_it_is_linked(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "-100",
        [
            (1, '<a href="https://vk.com/public100">Магазин</a>, 1 янв 2024 в 0:00:00', "Скидки"),
            (2, '<a href="https://vk.com/club100">Магазин</a>, 2 янв 2024 в 0:00:00', "Ещё"),
        ],
    )
    a, b = interactions(VKImporter().parse(page))
    assert a.counterparts[0].identities == b.counterparts[0].identities
    assert a.counterparts[0].identities[0].value == "club100"
    assert a.conversation_kind == "private"
