from __future__ import annotations

from netassist.core.engine.openloops import find_open_loops, is_ack, promise_kind, question_sentence
from tests.core.text.helpers import BASE, DAY, HOUR, conv


def loops(msgs, now_hours: float = 30 * 24):
    return {(lp.kind, lp.message_id) for lp in find_open_loops(msgs, BASE + now_hours * HOUR)}


def test_unanswered_question_is_open_and_answered_one_is_not() -> None:
    msgs = conv(
        (0, "in", "Ты поедешь на фестиваль в Выборг?"),
        (1, "out", "👍"),  # an emoji is not an answer
        # More than 3 days later: this reply answers the new question, not the first one.
        (80, "in", "А кто ещё из наших едет?"),
        (81, "out", "Вроде Серёжа с Олей"),
    )
    assert loops(msgs) == {("question", 1)}


def test_reply_after_answer_window_does_not_close_question() -> None:
    msgs = conv((0, "in", "What did the doctor say?"), (100, "out", "Hey, long time no see"))
    assert loops(msgs) == {("question", 1)}


def test_filler_and_withdrawn_questions_are_not_loops() -> None:
    msgs = conv(
        (0, "in", "Привет! Как дела?"),
        (0.1, "in", "how's it going?"),
        (0.2, "in", "Где купить нормальный кофе в центре?"),
        (1, "in", "Неважно, уже не надо, нашла"),
    )
    assert loops(msgs) == set()


def test_requests_without_question_mark() -> None:
    assert question_sentence("Скинь, пожалуйста, номер сантехника") is not None
    assert question_sentence("Could you share the deck with me") is not None
    assert question_sentence("Мы вчера ходили в кино") is None
    assert question_sentence("?") is None


def test_promise_kept_and_broken() -> None:
    msgs = conv(
        (0, "out", "Пришлю тебе сканы договора"),
        (2, "out", "Держи", "telegram", True),
        (10, "out", "Завтра наберу, обсудим"),
        (20, "in", "ок"),
        (30, "out", "I'll send you the recipe tonight"),
    )
    assert loops(msgs) == {("promise", 3), ("promise", 5)}
    due = {lp.message_id: lp.due for lp in find_open_loops(msgs, BASE + 30 * DAY)}
    assert due[3] is not None and due[3] > BASE + 10 * HOUR  # "завтра" → the next day


def test_negated_and_question_promises_are_not_promises() -> None:
    assert promise_kind("Не, я не скину, сам найди") is None
    assert promise_kind("Скинуть тебе фотки?") is None
    assert promise_kind("I won't call him") is None
    assert promise_kind("Постараюсь завтра перезвонить") == "call"
    assert promise_kind("Я тебе позвоню вечером") == "call"
    assert promise_kind("Let me look into it") == "check"


def test_call_promise_kept_by_a_call() -> None:
    msgs = conv((0, "out", "Позвоню тебе в среду"), (48, "mutual", "", "call"))
    assert loops(msgs) == set()


def test_thanks_after_promise_means_received() -> None:
    msgs = conv((0, "out", "Скину презентацию после обеда"), (5, "in", "Получил, спасибо!"))
    assert loops(msgs) == set()


def test_plan_passed_without_interaction_is_open() -> None:
    # BASE is Monday; Thursday is 3 days later.
    msgs = conv(
        (0, "in", "Встретимся в четверг в кофейне на Невском"), (0.1, "out", "Договорились")
    )
    assert loops(msgs) == {("plan", 1)}
    lp = find_open_loops(msgs, BASE + 30 * DAY)[0]
    assert lp.due is not None and 2 * DAY < lp.due - BASE < 4 * DAY


def test_plan_not_open_before_its_date_or_when_it_happened() -> None:
    msgs = conv(
        (0, "in", "Встретимся в четверг в кофейне на Невском"), (0.1, "out", "Договорились")
    )
    assert loops(msgs, now_hours=24) == set()  # Thursday has not come yet
    happened = conv(
        (0, "out", "Let's have lunch on Thursday"),
        (0.2, "in", "Sure"),
        (75, "in", "I'm here, table by the window"),
    )
    assert loops(happened) == set()
    cancelled = conv(
        (0, "out", "Созвонимся в пятницу?"),
        (1, "in", "Да"),
        (30, "in", "Слушай, в пятницу не смогу, давай позже"),
    )
    assert loops(cancelled) == set()


def test_unanswered_plan_proposal_is_not_a_plan() -> None:
    msgs = conv((0, "in", "Кофе в субботу?"), (0.5, "out", "Не, в субботу я на даче"))
    assert loops(msgs) == set()


def test_is_ack() -> None:
    assert is_ack("ок 👍")
    assert is_ack("haha :)")
    assert not is_ack("ок, в семь")


def test_old_loops_ignored_and_future_messages_ignored() -> None:
    msgs = conv((0, "in", "Ты вернёшь книгу?"), (24 * 400, "in", "Какой у тебя номер квартиры?"))
    assert loops(msgs, now_hours=24 * 401) == {("question", 2)}
    assert loops(msgs, now_hours=1) == {("question", 1)}


def test_my_dated_call_to_someone_else_is_a_promise_not_a_plan() -> None:
    msgs = conv((0, "out", "Позвоню завтра в банк и всё узнаю"), (0.1, "in", "Ок"))
    found = find_open_loops(msgs, BASE + 30 * DAY)
    assert [(lp.kind, lp.message_id) for lp in found] == [("promise", 1)]
    assert found[0].due is not None
