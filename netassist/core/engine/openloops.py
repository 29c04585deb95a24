"""Open loops in a conversation: unanswered questions, unkept promises, missed plans.

Rules (transparent on purpose; every loop points at the message it came from):

question  A message from the contact (direction "in") with a question sentence (ends with "?",
          or a request such as "можешь…", "подскажи…", "can you…", "please send…"), not a
          greeting or filler question ("как дела?", "how are you?", "правда?"). It is ANSWERED
          when within ANSWER_WINDOW (3 days) after it I send a substantive message (not only
          emoji / "ок" / "thx" / "haha") or a call/meeting ("mutual") happens, or the contact
          withdraws it ("забей", "уже не надо", "never mind"). Otherwise it is open.
promise   A message of mine (direction "out") where I commit to an action: Russian 1st-person
          future perfective verbs from a list of promise verbs (pymorphy3 tags 1per + futr +
          perf: "пришлю", "скину", "позвоню", "наберу", "гляну") or "постараюсь/обещаю +
          infinitive"; English "I'll / I will / I'm going to / let me / I can + verb". Negated
          ("не скину", "I won't") and questions ("скинуть?") are not promises. It is KEPT when,
          within FOLLOW_WINDOW (14 days, or the promised date + 3 days, whichever is later), the
          follow-through that fits the verb happens: for "send" an attachment, link, "вот",
          "держи", "лови", "here is", "sent", "отправил"; for "call" a call or meeting or "звонил";
          for "meet" a meeting or a call; for "check/write/do" a later substantive message of mine
          after a pause (≥ 30 min), or done-words ("сделал", "готово", "done"); for any kind, the
          contact's thanks/receipt ("спасибо", "получил", "got it"). Otherwise it is open; `due` is
          the promised date when one is named.
plan      A message from either side that arranges a meeting or call ("встретимся", "созвонимся",
          "кофе", "meet", "catch up", "lunch") with a date (see text.find_date). A plan phrased as
          a question only counts when the other side agrees in the next message. It is open when
          its date is over (date end + 36 h ≤ now) and nothing happened near it: no message after
          the plan message (≥ 2 h after, so "ок, до встречи" does not count) and inside [date
          start, date end + 36 h], and no cancellation ("отменяется", "перенесём", "не получится",
          "can't make it", "reschedule"). `due` is the planned day. A message of mine that is a
          promise of another kind ("I'll call the landlord tomorrow") stays a promise.

Questions older than `max_age_days` (default 365) are not reported: a year-old unanswered
question is history, not a loop to close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from netassist.core.engine.text import (
    DAY,
    Message,
    find_date,
    morph,
    normalize_for_index,
    split_words,
    tokenize,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

LoopKind = Literal["question", "promise", "plan"]

ANSWER_WINDOW = 3 * DAY
FOLLOW_WINDOW = 14 * DAY
PLAN_GRACE = 1.5 * DAY
EXCERPT_LEN = 140


@dataclass(frozen=True, slots=True)
class OpenLoop:
    kind: LoopKind
    message_id: int
    t: float
    text_excerpt: str
    due: float | None


# --- vocabulary ------------------------------------------------------------------------------

ACK_WORDS = frozenset(
    split_words(
        "ок окей оке ok okay k kk ага угу ясно понял поняла понятно пон лол хаха ахах ахаха хах "
        "хахаха lol haha hahaha lmao спс спасибо пасиб thx thanks ty thank you + ++ 👍 норм класс "
        "круто super cool nice"
    )
)
_FILLER_Q = re.compile(
    r"^(?:ну\s+)?(?:как\s+(?:ты|дела|сам|сама|жизнь|оно|поживаешь|у тебя)|что\s+нового|чё как|че как|"
    r"как\s+ты\s+там|ты\s+тут|ты\s+здесь|правда|серь[её]зно|да|нет|ага|ну|и|а|что|чего|шо|"
    r"how\s+are\s+you|how\s+are\s+u|how'?s\s+it\s+going|how\s+are\s+things|what'?s\s+up|sup|"
    r"wyd|really|right|you\s+there|are\s+you\s+there|u\s+there|huh|what|seriously)"
    r"(?:\s+(?:doing|дела|bro|man|dude))?[\s?!.)(]*$",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^(?:привет\w*|здравствуй\w*|добр\w+ (?:утро|день|вечер)|хай|салют|hi|hey|hello|yo|"
    r"good (?:morning|afternoon|evening))\b[\s,!.)]*",
    re.IGNORECASE,
)
_NUDGE = re.compile(
    r"^(?:ау+|алл?о+|эй|привет|ну что|ну\?|hello|hi|hey|yo|ping|anyone|helloo+)[\s?!.]*$",
    re.IGNORECASE,
)
_REQUEST_RU = re.compile(
    r"^(?:а\s+)?(?:ты\s+)?(?:не\s+)?(?:можешь|сможешь|могли бы|мог бы|могла бы|подскажи\w*|"
    r"не знаешь|не подскажешь|скажи|напомни)\b",
    re.IGNORECASE,
)
_REQUEST_EN = re.compile(
    r"(?:^|,\s*|\b(?:also|and|btw|oh|so|hey|but)\s+)(?:can|could|would|will)\s+(?:you|u)\b|\b(?:please|pls|plz)\s+(?:send|tell|"
    r"share|call|check|let me know|forward|remind)\b|\blet me know\b",
    re.IGNORECASE,
)
_WH_EN = re.compile(
    r"^(?:what|which|where|when|why|how|who|whose)\b.{0,60}?\b(?:do|did|does|are|is|was|were|"
    r"can|could|have|has|would|will|should)\s+(?:you|u|we|they|he|she)\b",
    re.IGNORECASE,
)
_WH_RU = re.compile(
    r"^(?:а\s+)?(?:где|когда|куда|откуда|почему|зачем|сколько|как\w*|кто|чей|чья|чье)\b",
    re.IGNORECASE,
)
_PLEASE_RU = re.compile(r"\b(?:пожалуйста|плиз|плз|пжл\w*)\b", re.IGNORECASE)
_WITHDRAW = re.compile(
    r"\b(?:забей|неважно|не важно|уже не надо|не актуально|неактуально|разобрал(?:ся|ась)|"
    r"сам(?:а)? нашл?(?:а)?|never ?mind|nvm|figured it out|sorted it|no worries,? found)\b",
    re.IGNORECASE,
)

# Promise verbs by the follow-through they need.
_RU_PROMISE_VERBS: dict[str, str] = {
    **dict.fromkeys(
        split_words(
            "прислать скинуть отправить переслать выслать кинуть закинуть передать поделиться "
            "принести занести привезти вернуть подкинуть"
        ),
        "send",
    ),
    **dict.fromkeys(split_words("позвонить набрать перезвонить звякнуть"), "call"),
    **dict.fromkeys(
        split_words("написать отписаться сообщить ответить напомнить рассказать маякнуть"), "write"
    ),
    **dict.fromkeys(
        split_words(
            "проверить посмотреть глянуть прочитать прочесть дочитать подтвердить узнать уточнить выяснить поискать найти спросить "
            "разобраться подумать"
        ),
        "check",
    ),
    **dict.fromkeys(
        split_words(
            "сделать доделать подготовить оплатить перевести подписать заказать купить помочь организовать "
            "забронировать исправить починить"
        ),
        "do",
    ),
    **dict.fromkeys(
        split_words(
            "встретиться увидеться заехать зайти заскочить приехать прийти пересечься созвониться"
        ),
        "meet",
    ),
}
_EN_VERBS: dict[str, str] = {
    **dict.fromkeys(
        split_words("send forward share bring drop return pass email mail shoot upload"), "send"
    ),
    **dict.fromkeys(split_words("call ring phone give"), "call"),
    **dict.fromkeys(
        split_words("text write message ping reply answer remind tell update"), "write"
    ),
    **dict.fromkeys(
        split_words("check look find ask figure see investigate review read confirm think"), "check"
    ),
    **dict.fromkeys(
        split_words("do fix make prepare pay book order buy sort finish help sign transfer"), "do"
    ),
    **dict.fromkeys(split_words("meet visit come stop"), "meet"),
}
_EN_PROMISE = re.compile(
    r"\b(?:i'?ll|i will|i'm going to|im going to|i am going to|i'm gonna|im gonna|let me|"
    r"i can|i promise to|i'll try to|i will try to|we'll|we will)\s+(?:\w+\s+){0,2}?"
    r"(" + "|".join(sorted(_EN_VERBS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_EN_NEG = re.compile(r"\b(?:won't|will not|can't|cannot|can not|don't|not|never)\b", re.IGNORECASE)
_RU_TRY = re.compile(r"\b(?:постараюсь|попробую|обещаю|попытаюсь|могу)\s+(\w+)", re.IGNORECASE)

_MEET_RE = re.compile(
    r"\b(?:встре\w+|увид\w+|созвон\w*|пересеч\w*|пересекемся|пересечемся|кофе|обед\w*|ужин\w*|"
    r"погуля\w+|пообеда\w+|поужина\w+|позавтрака\w+|выпьем|посидим|заед\w+|заеду|зайду|приеду|приедь|в баре?|на пиво|"
    r"meet\w*|catch up|catch-up|call|lunch|dinner|coffee|drinks|see you|hang out|get together|"
    r"zoom|skype)\b",
    re.IGNORECASE,
)
_LETS = re.compile(r"\b(?:давай\w*|let'?s|shall we|how about|why don't we)\b", re.IGNORECASE)
_AGREE = re.compile(
    r"^\W*(?:да|давай|ок|окей|ага|угу|договорились|конечно|го|идет|идёт|отлично|супер|можно|"
    r"было бы (?:здорово|отлично|супер|классно|круто)|буду (?:рад|рада|благодарен|благодарна)|"
    r"пожалуйста|please|would be (?:great|nice|awesome|amazing)|"
    r"yes|yeah|yep|sure|ok|okay|deal|sounds good|works|perfect|great|absolutely|definitely)\b",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"\b(?:отменя\w+|отмени\w+|перенес\w+|перенос\w*|не получится|не смогу|не успеваю|не выйдет|"
    r"can'?t make it|cannot make it|cancel\w*|reschedul\w*|postpone\w*|rain check)\b",
    re.IGNORECASE,
)
_SENT_RE = re.compile(
    r"(?:^|\b)(?:вот|держи|лови|отправил\w*|скинул\w*|прислал\w*|переслал\w*|выслал\w*|"
    r"here is|here's|heres|here you go|attached|sent|just sent|forwarded)\b",
    re.IGNORECASE,
)
_DONE_RE = re.compile(
    r"\b(?:сделал\w*|готово|проверил\w*|посмотрел\w*|глянул\w*|узнал\w*|уточнил\w*|выяснил\w*|"
    r"оплатил\w*|заказал\w*|написал\w*|done|checked|fixed|paid|booked|finished|sorted|"
    r"looked into|found)\b",
    re.IGNORECASE,
)
_CALLED_RE = re.compile(r"\b(?:звонил\w*|позвонил\w*|набрал\w*|called|rang)\b", re.IGNORECASE)
_RECEIVED_RE = re.compile(r"\b(?:получил\w*|пришло|дошло|got it|received|got the)\b", re.IGNORECASE)
_THANKS_RE = re.compile(r"\b(?:спасибо|спс|благодарю|thanks|thank you|thx)\b", re.IGNORECASE)
# Thanks this soon after a promise is for the promise itself ("Thanks, appreciate it").
THANKS_FOR_PROMISE = 2 * 3600.0
_IN_ADVANCE = re.compile(r"\b(?:заранее|in advance)\b", re.IGNORECASE)
_CALL_CHANNELS = frozenset({"call", "phone", "meeting", "calendar", "video"})
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+")


# --- helpers ---------------------------------------------------------------------------------


def _excerpt(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= EXCERPT_LEN else one_line[: EXCERPT_LEN - 1] + "…"


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def is_ack(text: str) -> bool:
    """True when a message is only emoji / emoticons / punctuation / acknowledgement words."""
    for tok in tokenize(text):
        if tok.kind in ("emoji", "emoticon", "punct"):
            continue
        if tok.kind == "word" and normalize_for_index(tok.text) in ACK_WORDS:
            continue
        return False
    return True


def _substantive(m: Message) -> bool:
    return m.direction == "mutual" or m.has_attachment or not is_ack(m.text)


def question_sentence(text: str) -> str | None:
    """The (last) real question or request in a message, or None."""
    found: str | None = None
    for sent in _sentences(text):
        core = sent.strip()
        rest = _GREETING.sub("", core) or core
        if _FILLER_Q.match(rest) or _NUDGE.match(rest):
            continue
        letters = sum(ch.isalpha() for ch in rest)
        if letters < 2:
            continue
        if (
            core.endswith("?")
            or _REQUEST_RU.search(core)
            or _REQUEST_EN.search(core)
            or _WH_EN.search(core)
            or (_WH_RU.search(core) and _has_tag(core, "2per"))
            or (_PLEASE_RU.search(core) and _has_tag(core, "impr"))
        ):
            found = core
    return found


def _has_tag(sentence: str, grammeme: str) -> bool:
    """True when a word of `sentence` has `grammeme` ("impr", "2per") in its best parse."""
    for tok in tokenize(sentence):
        if tok.kind == "word" and grammeme in _parses(normalize_for_index(tok.text))[0][1]:
            return True
    return False


@lru_cache(maxsize=200_000)
def _parses(word: str) -> tuple[tuple[str, Any], ...]:
    """The two most probable (lemma, tag) parses of a word, cached: open-loop rules run on every
    message of a history, and chat vocabularies repeat."""
    return tuple((p.normal_form.replace("ё", "е"), p.tag) for p in morph().parse(word)[:2])


def promise_kind(text: str, *, offers: bool = False) -> str | None:
    """The follow-through group ("send", "call", "write", "check", "do", "meet") of a promise
    in one of my messages, or None. With `offers`, questions count too ("Хочешь, позвоню?"):
    the caller uses that when the contact accepted the offer."""
    for sent in _sentences(text):
        if sent.rstrip().endswith("?") and not offers:
            continue
        kind = _ru_promise(sent) or _en_promise(sent)
        if kind:
            return kind
    return None


def _ru_promise(sentence: str) -> str | None:
    toks = [normalize_for_index(t.text) for t in tokenize(sentence) if t.kind == "word"]
    for i, w in enumerate(toks):
        negated = i > 0 and toks[i - 1] == "не" or (i > 1 and toks[i - 2] == "не")
        if negated:
            continue
        for lem, tag in _parses(w):
            if lem not in _RU_PROMISE_VERBS:
                continue
            # "встретимся/созвонимся" (1st plural) is an arrangement, a meet promise.
            if (
                "VERB" in tag
                and "1per" in tag
                and "futr" in tag
                and ("sing" in tag or _RU_PROMISE_VERBS[lem] == "meet")
            ):
                return _RU_PROMISE_VERBS[lem]
            if "INFN" in tag and any(
                _RU_TRY.match(f"{toks[j]} {w}") for j in range(max(0, i - 3), i)
            ):
                return _RU_PROMISE_VERBS[lem]
            break
    return None


def _en_promise(sentence: str) -> str | None:
    m = _EN_PROMISE.search(sentence)
    if not m:
        lets = re.search(r"\blet'?s\s+(meet|catch up|grab|get|have|do|call|talk)\b", sentence, re.I)
        return "meet" if lets else None
    between = sentence[m.start() : m.end()]
    if _EN_NEG.search(between):
        return None
    verb = m.group(1).casefold()
    # "I'll look into it", "I'll get back to you": fine; "I'll see" alone is a hedge, not a promise.
    if verb == "see" and not re.search(r"\bsee (?:if|what|whether)\b", sentence, re.I):
        return None
    if verb == "give" and not re.search(r"\bgive (?:you )?a (?:call|ring)\b", sentence, re.I):
        return None
    return _EN_VERBS[verb]


def _is_arrangement(text: str) -> bool:
    """Meeting/call words, or "давай(те)/let's" with a 1st-person plural future verb
    ("давайте соберёмся", "давай сходим", "let's go")."""
    if _MEET_RE.search(text):
        return True
    if not _LETS.search(text):
        return False
    if re.search(r"\blet'?s\s+(?:go|get|grab|have|do|see|hang|watch|play)\b", text, re.I):
        return True
    return _has_tag_all(text, ("1per", "plur", "futr"))


def _has_tag_all(sentence: str, grammemes: tuple[str, ...]) -> bool:
    for tok in tokenize(sentence):
        if tok.kind == "word":
            tag = _parses(normalize_for_index(tok.text))[0][1]
            if all(g in tag for g in grammemes):
                return True
    return False


def _is_plan(msg: Message, nxt: Message | None) -> tuple[float, float] | None:
    if not _is_arrangement(msg.text):
        return None
    span = find_date(msg.text, msg.t)
    if span is None:
        return None
    # A proposal only becomes a plan when the other side agrees right after.
    if msg.text.rstrip().endswith("?") and (
        nxt is None
        or nxt.direction == msg.direction
        or nxt.t - msg.t > ANSWER_WINDOW
        or not _AGREE.search(nxt.text)
    ):
        return None
    return span


# --- main ------------------------------------------------------------------------------------


def find_open_loops(
    messages_of_contact: Sequence[Message],
    now: float,
    lang_hint: str | None = None,
    *,
    max_age_days: float | None = 365.0,
) -> list[OpenLoop]:
    """Open questions, promises and plans in one contact's messages (any order), newest first.

    `lang_hint` is accepted for callers that know the conversation language; the rules run both
    languages' patterns on every message anyway, because chats mix them.
    """
    del lang_hint
    msgs = sorted((m for m in messages_of_contact if m.t <= now), key=lambda m: (m.t, m.id))
    loops: list[OpenLoop] = []
    for i, m in enumerate(msgs):
        if not m.text or max_age_days is not None and now - m.t > max_age_days * DAY:
            continue
        # A lazy view of the messages after this one (slicing would copy: O(n²) on long chats).
        later = _after(msgs, i)
        nxt = msgs[i + 1] if i + 1 < len(msgs) else None
        # "I'll call the landlord tomorrow" is my promise, not a meeting plan; only meet-promises
        # ("заеду в среду", "let's meet on Friday") are treated as plans.
        own = promise_kind(m.text) if m.direction == "out" else None
        plan_span = _is_plan(m, nxt) if own in (None, "meet") else None
        if plan_span is not None:
            if _plan_open(m, plan_span, later, now):
                loops.append(OpenLoop("plan", m.id, m.t, _excerpt(m.text), plan_span[0]))
            continue
        if m.direction == "in":
            q = question_sentence(m.text)
            if q and _question_open(m, later):
                loops.append(OpenLoop("question", m.id, m.t, _excerpt(q), None))
        elif m.direction == "out":
            kind = own
            if not kind and _accepted(m, nxt):
                kind = promise_kind(m.text, offers=True)
            if kind:
                span = find_date(m.text, m.t)
                due = span[1] if span else None
                if not _promise_kept(m, kind, due, later):
                    loops.append(OpenLoop("promise", m.id, m.t, _excerpt(m.text), due))
    loops.sort(key=lambda lp: lp.t, reverse=True)
    return loops


def _accepted(offer: Message, nxt: Message | None) -> bool:
    """An offer of mine phrased as a question that the contact accepted in their next message."""
    return (
        "?" in offer.text
        and nxt is not None
        and nxt.direction == "in"
        and nxt.t - offer.t <= ANSWER_WINDOW
        and bool(_AGREE.search(nxt.text))
    )


def _after(msgs: Sequence[Message], i: int) -> Iterator[Message]:
    return (msgs[j] for j in range(i + 1, len(msgs)))


def _question_open(q: Message, later: Iterable[Message]) -> bool:
    for m in later:
        if m.t - q.t > FOLLOW_WINDOW:
            break
        # The contact may withdraw a question later (up to FOLLOW_WINDOW); my answer must come
        # within ANSWER_WINDOW.
        if m.direction == "in" and _WITHDRAW.search(m.text):
            return False
        if m.t - q.t <= ANSWER_WINDOW and m.direction in ("out", "mutual") and _substantive(m):
            return False
    return True


def _promise_kept(p: Message, kind: str, due: float | None, later: Iterable[Message]) -> bool:
    horizon = max(p.t + FOLLOW_WINDOW, (due or 0.0) + 3 * DAY)
    for m in later:
        if m.t > horizon:
            break
        if m.direction == "in":
            if m.text.rstrip().endswith("?") or _IN_ADVANCE.search(m.text):
                continue
            if _RECEIVED_RE.search(m.text) or (
                _THANKS_RE.search(m.text) and m.t - p.t > THANKS_FOR_PROMISE
            ):
                return True
            continue
        call_like = m.direction == "mutual" or m.channel in _CALL_CHANNELS
        if kind in ("call", "meet"):
            if call_like or _CALLED_RE.search(m.text):
                return True
            if kind == "meet" and _is_plan(m, None):
                return True
            continue
        if kind == "send":
            if m.has_attachment or _SENT_RE.search(m.text) or _has_link(m.text):
                return True
            continue
        # check / write / do: any substantive later message of mine after a pause, or done-words.
        if m.direction == "out" and (
            _DONE_RE.search(m.text) or _carries_info(m) or (m.t - p.t >= 1800 and _substantive(m))
        ):
            return True
        if call_like:
            return True
    return False


def _carries_info(m: Message) -> bool:
    """A message that delivers something: a file, link, e-mail address or a phone number."""
    if m.has_attachment or _has_link(m.text):
        return True
    return bool(re.search(r"\+?\d[\d ()-]{7,}\d", m.text))


def _has_link(text: str) -> bool:
    return any(t.kind in ("url", "email") for t in tokenize(text))


def _plan_open(p: Message, span: tuple[float, float], later: Iterable[Message], now: float) -> bool:
    start, end = span
    window_end = end + PLAN_GRACE
    if now < window_end:
        return False
    for m in later:
        if m.t > window_end:
            break
        if _CANCEL.search(m.text):
            return False
        if m.t >= max(start, p.t + 2 * 3600):
            return False
        if m.direction == "mutual" and m.t >= start:
            return False
    return True
