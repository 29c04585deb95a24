"""Facebook Messenger / Instagram JSON importers: golden files plus the rules that matter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from netassist.importers._meta_json import fix_mojibake
from netassist.importers.base import FormatError, read_head
from netassist.importers.messenger import InstagramImporter, MessengerImporter
from netassist.importers.records import ImportOptions, ImportProblem, MeHint
from tests.importers._golden_msg import check_golden, interactions

FIX = Path(__file__).parent / "fixtures"
INBOX = FIX / "messenger/export/messages/inbox"
IVAN = INBOX / "ivanpetrov_1234567890"
GROUP = INBOX / "druzya_9876543210"
IG = FIX / "instagram/your_instagram_activity/messages/inbox/annavolkova_17845"


def test_mojibake_repair_and_safe_fallback() -> None:
    assert fix_mojibake("\u00d0\u009f\u00d1\u0080\u00d0\u00b8") == "При"
    assert fix_mojibake("café") == "café"  # not UTF-8 bytes: left alone
    assert fix_mojibake("Привет") == "Привет"  # already proper Unicode
    assert fix_mojibake("\u00e2\u009d\u00a4") == "❤"


def test_mojibake_repair_of_a_partly_repaired_string() -> None:
    # Files passed through another tool keep proper letters next to still-escaped emoji
    # (seen in a Romanian Messenger thread): each escaped run is repaired on its own.
    assert fix_mojibake("și cum se numește ? \u00f0\u009f\u0098\u0084") == "și cum se numește ? 😄"
    assert fix_mojibake("Привет \u00e2\u009d\u00a4\u00ef\u00b8\u008f") == "Привет ❤️"
    # Proper Latin-1 letters (seen in a Portuguese Instagram thread) beside escaped emoji.
    assert fix_mojibake("era também \u00f0\u009f\u00a4\u00a3.") == "era também 🤣."
    # A lone Latin-1 letter beside proper text is no UTF-8 run: left alone.
    assert fix_mojibake("Łódź café") == "Łódź café"
    assert fix_mojibake("ăé \u00c3") == "ăé \u00c3"
    # Proper German quotes: "ß«" happens to be valid UTF-8 (U+07EB) and must stay as it is.
    assert fix_mojibake("»Fuß« ist gut") == "»Fuß« ist gut"
    assert fix_mojibake("»Fuß« 😀") == "»Fuß« 😀"


def test_multi_file_conversation_golden() -> None:
    records = list(MessengerImporter().parse(IVAN / "message_2.json"))
    got = check_golden(records, IVAN / "message_2.json.expected.json")
    assert sum(1 for r in got if r["record"] == "interaction") == 9


def test_any_part_or_folder_gives_the_same_records() -> None:
    via_part2 = list(MessengerImporter().parse(IVAN / "message_2.json"))
    via_part1 = list(MessengerImporter().parse(IVAN / "message_1.json"))
    via_folder = list(MessengerImporter().parse(IVAN))
    assert via_part1 == via_part2 == via_folder
    fps = [r.fingerprint for r in interactions(via_folder)]
    assert len(fps) == len(set(fps)) == 9  # the two identical "Ок" lines stay two


def test_me_is_who_is_in_every_conversation() -> None:
    records = list(MessengerImporter().parse(IVAN / "message_1.json"))
    hints = [r for r in records if isinstance(r, MeHint)]
    assert hints == [MeHint(name="Мария Смирнова", inferred=True)]
    msgs = interactions(records)
    assert [m.direction for m in msgs[:2]] == ["in", "out"]
    assert msgs[1].counterparts[0].name == "Иван Петров"
    assert msgs[0].text == "Привет, Маша! Как дела?"
    call = next(m for m in msgs if m.channel == "call")
    assert call.duration_s == 125 and call.direction == "out"
    unsent = next(m for m in msgs if m.occurred_at.timestamp() == 1_700_009_000)
    assert unsent.text is None


def test_me_from_title_in_a_lone_two_person_thread(tmp_path: Path) -> None:
    lone = tmp_path / "somewhere" / "ivanpetrov_1234567890"
    shutil.copytree(IVAN, lone)
    records = list(MessengerImporter().parse(lone))
    assert [r for r in records if isinstance(r, MeHint)] == [
        MeHint(name="Мария Смирнова", inferred=True)
    ]
    assert {m.direction for m in interactions(records)} == {"in", "out"}


def test_me_names_option_wins(tmp_path: Path) -> None:
    opts = ImportOptions(me_names=("иван петров",))
    msgs = interactions(MessengerImporter().parse(IVAN, opts))
    first = msgs[0]
    assert first.direction == "out" and first.counterparts[0].name == "Мария Смирнова"


def test_group_rules_golden() -> None:
    records = list(MessengerImporter().parse(GROUP / "message_1.json"))
    check_golden(records, GROUP / "message_1.json.expected.json")
    msgs = interactions(records)
    # my opening message goes with the first who answers; the "Subscribe" notice is no
    # interaction
    assert [m.text for m in msgs] == [
        "Всем привет, создала чат",
        "Отлично! Когда собираемся?",
        "В субботу в 12",
        "Иван поделился ссылкой.",
        "👍",
    ]
    assert all(m.conversation_kind == "group" and m.weight == 0.4 for m in msgs)
    assert (msgs[0].direction, msgs[0].counterparts[0].name) == ("out", "Ольга Кузнецова")
    assert msgs[2].counterparts[0].name == "Ольга Кузнецова"
    assert msgs[4].counterparts[0].name == "Иван Петров"


def test_whole_export_root_imports_every_conversation() -> None:
    msgs = interactions(MessengerImporter().parse(FIX / "messenger/export"))
    assert len({m.conversation_key for m in msgs}) == 3
    assert (
        len(msgs) == 9 + 4 + 3
    )  # the group's opening line of mine goes with the first who answers


def test_instagram_golden_and_flavour() -> None:
    path = IG / "message_1.json"
    records = list(InstagramImporter().parse(path))
    check_golden(records, path.with_name("message_1.json.expected.json"))
    msgs = interactions(records)
    assert {m.channel for m in msgs} == {"instagram"}
    head = read_head(path)
    assert InstagramImporter().sniff(path, head) > MessengerImporter().sniff(path, head)
    fb = IVAN / "message_1.json"
    fb_head = read_head(fb)
    assert MessengerImporter().sniff(fb, fb_head) > InstagramImporter().sniff(fb, fb_head)
    assert MessengerImporter().sniff(IVAN, b"") > 0


def test_broken_and_hostile_files(tmp_path: Path) -> None:
    conv = tmp_path / "x_1"
    conv.mkdir()
    good = json.loads((IVAN / "message_1.json").read_text())
    good["messages"].insert(1, {"sender_name": "A"})  # no timestamp
    good["messages"].insert(2, "just a string")
    text = json.dumps(good)
    (conv / "message_1.json").write_text(text[: len(text) - 40])  # cut short
    records = list(MessengerImporter().parse(conv / "message_1.json"))
    problems = [r for r in records if isinstance(r, ImportProblem)]
    reasons = " | ".join(p.reason for p in problems)
    assert "no timestamp" in reasons and "not a JSON object" in reasons and "cut short" in reasons
    assert len(interactions(records)) >= 3
    (tmp_path / "deep.json").write_text('{"messages": ' + "[" * 100000 + "]" * 100000 + "}")
    list(MessengerImporter().parse(tmp_path / "deep.json"))  # must not crash
    (tmp_path / "junk.json").write_bytes(b"\xff\xfe not json")
    with pytest.raises(FormatError):
        list(MessengerImporter().parse(tmp_path / "junk.json"))


def test_e2ee_messenger_shape(tmp_path: Path) -> None:
    # The end-to-end-encrypted Messenger export: plain UTF-8, camelCase keys, string participants.
    path = tmp_path / "messenger_e2ee" / "Иван Петров_1.json"
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "participants": ["Иван Петров", "Мария Смирнова"],
                "threadName": "Иван Петров",
                "messages": [
                    {"isUnsent": False, "media": [], "reactions": [], "senderName": "Иван Петров",
                     "text": "Привет", "timestamp": 1711111111000, "type": "text"},
                    {"isUnsent": False, "media": [{"uri": "./media/1.jpg"}], "reactions": [],
                     "senderName": "Мария Смирнова", "text": "", "timestamp": 1711111112000,
                     "type": "media"},
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    assert MessengerImporter().sniff(path, read_head(path)) > 50
    records = list(MessengerImporter().parse(path))
    assert MeHint(name="Мария Смирнова", inferred=True) in records
    a, b = interactions(records)
    assert (a.direction, a.text, b.direction, b.attachments) == ("in", "Привет", "out", 1)


def test_cancellation_is_honoured() -> None:
    from netassist.core.progress import Cancelled

    class Stop:
        def set_progress(self, fraction: float | None, text: str = "") -> None:
            pass

        def is_cancelled(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        list(MessengerImporter().parse(IVAN, progress=Stop()))


def test_me_from_the_exports_profile_file() -> None:
    records = list(InstagramImporter().parse(IG))
    assert [r for r in records if isinstance(r, MeHint)] == [MeHint(name="masha.smirnova")]
    assert [m.direction for m in interactions(records)] == ["in", "out", "in"]


def test_calls_without_a_type_key_2024_export(tmp_path: Path) -> None:
    # Exports since 2024 write no "type": a call is only known by its call_duration.
    folder = tmp_path / "your_facebook_activity/messages/inbox/annasmirnova_4618571973"
    folder.mkdir(parents=True)
    text = "Созвонимся?".encode().decode("latin-1")  # Meta's per-byte escaping
    (folder / "message_1.json").write_text(
        json.dumps(
            {
                "participants": [{"name": "Anna Smirnova"}, {"name": "Oleg Ivanov"}],
                "messages": [
                    {"sender_name": "Oleg Ivanov", "timestamp_ms": 1713065360136,
                     "content": "Anna Smirnova missed your video call.", "call_duration": 0,
                     "is_geoblocked_for_viewer": False},
                    {"sender_name": "Anna Smirnova", "timestamp_ms": 1713065317636,
                     "content": "The video call ended.", "call_duration": 926,
                     "is_geoblocked_for_viewer": False},
                    {"sender_name": "Anna Smirnova", "timestamp_ms": 1713064817061,
                     "content": text, "is_geoblocked_for_viewer": False},
                ],
                "title": "Anna Smirnova",
                "is_still_participant": True,
                "thread_path": "inbox/annasmirnova_4618571973",
                "magic_words": [],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    msgs = interactions(list(MessengerImporter().parse(folder)))
    assert [(m.channel, m.direction, m.duration_s) for m in msgs] == [
        ("messenger", "in", None),
        ("call", "in", 926),
        ("call", "out", 0),
    ]
    assert msgs[0].text == "Созвонимся?"


def _chat(path: Path, doc: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_folder_of_end_to_end_encrypted_chats(tmp_path: Path) -> None:
    # The E2EE export names each chat's file after the chat, not message_N.json.
    def e2ee(other: str, ts: int) -> dict[str, object]:
        return {
            "participants": [other, "Мария Смирнова"],
            "threadName": other,
            "messages": [
                {"isUnsent": False, "media": [], "reactions": [], "senderName": other,
                 "text": "Привет", "timestamp": ts, "type": "text"},
                {"isUnsent": False, "media": [], "reactions": [], "senderName": "Мария Смирнова",
                 "text": "Привет!", "timestamp": ts + 1000, "type": "text"},
            ],
        }  # fmt: skip

    _chat(tmp_path / "messages" / "Иван Петров_1.json", e2ee("Иван Петров", 1711111111000))
    _chat(tmp_path / "messages" / "Olga K_12.json", e2ee("Olga K", 1711111222000))
    folder = tmp_path / "messages"
    assert MessengerImporter().sniff(folder, b"") > 50
    records = list(MessengerImporter().parse(folder))
    assert MeHint(name="Мария Смирнова", inferred=True) in records
    msgs = interactions(records)
    assert [(m.direction, m.counterparts[0].name) for m in msgs] == [
        ("in", "Olga K"), ("out", "Olga K"), ("in", "Иван Петров"), ("out", "Иван Петров"),
    ]  # fmt: skip


def test_2018_export_with_message_json(tmp_path: Path) -> None:
    # Exports of 2018 wrote one message.json per thread folder.
    def classic(other: str, ts: int) -> dict[str, object]:
        return {
            "participants": [{"name": other}, {"name": "Oleg Ivanov"}],
            "messages": [
                {"sender_name": "Oleg Ivanov", "timestamp_ms": ts + 5000, "content": "ok",
                 "type": "Generic"},
                {"sender_name": other, "timestamp_ms": ts, "content": "hi", "type": "Generic"},
            ],
            "title": other, "is_still_participant": True, "thread_type": "Regular",
            "thread_path": f"inbox/{other.replace(' ', '')}_a1b2c3",
        }  # fmt: skip

    inbox = tmp_path / "messages" / "inbox"
    _chat(inbox / "AnnaSmirnova_a1b2c3" / "message.json", classic("Anna Smirnova", 1500000000000))
    _chat(inbox / "BorisP_d4e5f6" / "message.json", classic("Boris P", 1500000100000))
    whole = interactions(list(MessengerImporter().parse(tmp_path / "messages")))
    assert [(m.direction, m.counterparts[0].name) for m in whole] == [
        ("in", "Anna Smirnova"), ("out", "Anna Smirnova"), ("in", "Boris P"), ("out", "Boris P"),
    ]  # fmt: skip
    one = interactions(list(MessengerImporter().parse(inbox / "BorisP_d4e5f6" / "message.json")))
    assert [m.fingerprint for m in one] == [m.fingerprint for m in whole[2:]]


def test_a_relative_part_path_gives_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without thread_path the thread folder keys the conversation; a bare file name has none.
    part = tmp_path / "inbox" / "annasmirnova_a1b2" / "message_1.json"
    _chat(
        part,
        {
            "participants": [{"name": "Anna Smirnova"}, {"name": "Oleg Ivanov"}],
            "messages": [{"sender_name": "Anna Smirnova", "timestamp_ms": 1500000000000,
                          "content": "hi", "type": "Generic"}],
            "title": "Anna Smirnova",
        },
    )  # fmt: skip
    via_absolute = interactions(list(MessengerImporter().parse(part)))
    monkeypatch.chdir(part.parent)
    via_relative = interactions(list(MessengerImporter().parse(Path("message_1.json"))))
    assert [m.fingerprint for m in via_relative] == [m.fingerprint for m in via_absolute]
    assert via_relative[0].conversation_key == "messenger:annasmirnova_a1b2"


def test_legacy_instagram_messages_json(tmp_path: Path) -> None:
    # Instagram 2018-2020: one messages.json array at the export root, usernames, ISO times.
    convs = [
        {"participants": ["masha.s", "ivan_p"], "conversation": [
            {"sender": "masha.s", "created_at": "2019-03-02T10:00:05.123456+00:00",
             "text": "Да, в 7"},
            {"sender": "ivan_p", "created_at": "2019-03-02T09:59:00+00:00",
             "media_share_url": "https://example.org/p.jpg", "media_owner": "someone"},
            {"sender": "ivan_p", "created_at": "2019-03-02T12:58:00+03:00",
             "text": "Встречаемся?\nВ кафе",
             "likes": [{"username": "masha.s", "date": "2019-03-02T10:01:00+00:00"}]},
        ]},
        {"participants": ["masha.s", "olga", "petr"], "conversation": [
            {"sender": "petr", "created_at": "2020-07-12T14:30:19.783799+00:00", "text": "Hi all"},
            {"created_at": "2020-07-12T14:31:00+00:00", "text": "from a blocked user"},
            {"sender": "masha.s", "created_at": "2020-07-12T14:32:00+00:00", "heart": "❤️"},
            {"sender": "olga", "created_at": "yesterday", "text": "?"},
        ]},
    ]  # fmt: skip
    root = tmp_path / "masha.s_20200801"
    root.mkdir()
    (root / "messages.json").write_text(json.dumps(convs, ensure_ascii=False), encoding="utf-8")
    head = read_head(root / "messages.json")
    assert InstagramImporter().sniff(root / "messages.json", head) > MessengerImporter().sniff(
        root / "messages.json", head
    )
    assert InstagramImporter().sniff(root, b"") > 50
    records = list(InstagramImporter().parse(root))
    assert MeHint(name="masha.s", inferred=True) in records
    assert sorted(r.where for r in records if isinstance(r, ImportProblem)) == [
        "masha.s_20200801/messages.json: conversation 2, message 2",
        "masha.s_20200801/messages.json: conversation 2, message 4",
    ]
    msgs = interactions(records)
    assert [(m.occurred_at.isoformat(), m.direction, m.counterparts[0].name, m.text) for m in msgs] == [
        ("2019-03-02T09:58:00+00:00", "in", "ivan_p", "Встречаемся?\nВ кафе"),
        ("2019-03-02T09:59:00+00:00", "in", "ivan_p", None),
        ("2019-03-02T10:00:05.123000+00:00", "out", "ivan_p", "Да, в 7"),
        ("2020-07-12T14:30:19.784000+00:00", "in", "petr", "Hi all"),
        ("2020-07-12T14:32:00+00:00", "out", "petr", "❤️"),
    ]  # fmt: skip
    assert msgs[1].attachments == 1 and msgs[3].conversation_kind == "group"
    again = interactions(list(InstagramImporter().parse(root / "messages.json")))
    assert [m.fingerprint for m in again] == [m.fingerprint for m in msgs]


def test_flavour_from_the_content_of_a_loose_file(tmp_path: Path) -> None:
    # Messenger group threads carry "joinable_mode" too; the media paths name the export.
    def thread(extra: dict[str, object]) -> dict[str, object]:
        return {
            "participants": [{"name": "A B"}, {"name": "C D"}, {"name": "E F"}],
            "messages": [{"sender_name": "A B", "timestamp_ms": 1700000000000, **extra}],
            "title": "group1",
            "joinable_mode": {"mode": 1, "link": ""},
        }

    fb_group = thread({"content": "hi"})
    fb_share = thread({"share": {"link": "https://www.instagram.com/p/x/"}, "photos": [
        {"uri": "your_facebook_activity/messages/inbox/g_1/photos/1.jpg"}]})  # fmt: skip
    ig_media = thread({"photos": [{"uri": "your_instagram_activity/messages/inbox/g_1/photos/1"}]})
    ig_like = thread({"content": "anna.k liked a message", "is_unsent": False})
    got = []
    for n, doc in enumerate((fb_group, fb_share, ig_media, ig_like)):
        path = tmp_path / str(n) / "message_1.json"
        _chat(path, doc)
        head = read_head(path)
        got.append(MessengerImporter().sniff(path, head) > InstagramImporter().sniff(path, head))
    assert got == [True, True, False, False]


def test_legacy_instagram_cut_short_or_hostile(tmp_path: Path) -> None:
    cut = tmp_path / "cut" / "messages.json"
    cut.parent.mkdir()
    cut.write_text(
        '[{"participants": ["a.b", "c.d"], "conversation": ['
        '{"sender": "a.b", "created_at": "2019-01-01T00:00:00+00:00", "text": "x"}, 5, '
        '{"sender": "c.d", "created_at": "2019-01-01T00:01:00+00:00", "text": "y"}'
    )
    records = list(InstagramImporter().parse(cut))
    assert [m.text for m in interactions(records)] == ["x", "y"]
    reasons = [r.reason for r in records if isinstance(r, ImportProblem)]
    assert "message is not a JSON object" in reasons
    assert any(r.startswith("the file is cut short or broken") for r in reasons)
    deep = tmp_path / "deep" / "messages.json"
    deep.parent.mkdir()
    deep.write_text(
        '[{"participants": ["a"], "created_at": 1, "conversation": '
        + "[" * 100000
        + "]" * 100000
        + "}]"
    )
    reasons = [r.reason for r in InstagramImporter().parse(deep) if isinstance(r, ImportProblem)]
    assert "JSON nested deeper than 64 levels; stopped" in reasons


def test_lone_e2ee_chat_names_the_other_person_with_a_number(tmp_path: Path) -> None:
    # The end-to-end-encrypted export names each chat "<other person>_<n>" (threadName and
    # file name): a lone two-person chat still tells who I am.
    path = tmp_path / "Bob Jones_15.json"
    messages = [
        {"isUnsent": False, "media": [], "reactions": [], "senderName": "Bob Jones",
         "text": "Hello", "timestamp": 1711913758573, "type": "text"},
        {"isUnsent": False, "media": [], "reactions": [], "senderName": "Alice Smith",
         "text": "Hi Bob", "timestamp": 1711913768573, "type": "text"},
    ]  # fmt: skip
    doc = {"participants": ["Alice Smith", "Bob Jones"], "threadName": "Bob Jones_15"}
    path.write_text(json.dumps({**doc, "messages": messages}), encoding="utf-8")
    records = list(MessengerImporter().parse(path))
    assert not [r for r in records if isinstance(r, ImportProblem)]
    assert [(m.direction, m.counterparts[0].name) for m in interactions(records)] == [
        ("in", "Bob Jones"),
        ("out", "Bob Jones"),
    ]
    # Without threadName the file name says the same.
    path.write_text(json.dumps({"participants": doc["participants"], "messages": messages}))
    msgs = interactions(MessengerImporter().parse(path))
    assert [m.direction for m in msgs] == ["in", "out"]
