"""Conversation openers: 3–5 concrete things to say to a contact, each with its source messages.

Order of preference: their unanswered questions, my unkept promises, missed plans, then topics we
talked about (templates chosen by the topic's part of speech: event nouns get "как прошла
рыбалка", other nouns "про + accusative" / "о + prepositional", adjectives and foreign words are
quoted so no wrong agreement is ever produced), then a plain check-in. Russian words inserted into
templates are inflected with pymorphy3 (case after prepositions, number agreement with numerals
via `plural_ru`); English is template-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from netassist.core.engine.openloops import promise_kind
from netassist.core.engine.text import DAY, morph, split_words

if TYPE_CHECKING:
    from collections.abc import Sequence

    from netassist.core.engine.openloops import OpenLoop
    from netassist.core.engine.topics import Topic

OpenerKind = Literal["reply", "promise", "plan", "topic", "checkin"]


@dataclass(frozen=True, slots=True)
class Opener:
    text: str
    kind: OpenerKind
    source_message_ids: tuple[int, ...]


# --- Russian grammar helpers -----------------------------------------------------------------


def plural_ru(n: int, forms: tuple[str, str, str]) -> str:
    """The form of a Russian noun after the number n: forms = (1, 2–4, 5+), e.g.
    ("неделю", "недели", "недель"): 1, 21 → неделю; 2–4, 22 → недели; 5–20, 11–14 → недель."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def count_ru(n: int, forms: tuple[str, str, str]) -> str:
    return f"{n} {plural_ru(n, forms)}"


_RU_UNITS = {  # accusative after "назад": "1 неделю назад"
    "day": ("день", "дня", "дней"),
    "week": ("неделю", "недели", "недель"),
    "month": ("месяц", "месяца", "месяцев"),
    "year": ("год", "года", "лет"),
}
_RU_MONTHS_GEN = split_words(
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
)
_EN_MONTHS = split_words(
    "January February March April May June July August September October November December"
)


def _unit_count(seconds: float) -> tuple[str, int]:
    days = int(seconds // DAY)
    if days < 7:
        return "day", days
    if days < 30:
        return "week", days // 7
    if days < 365:
        return "month", max(1, days // 30)
    return "year", days // 365


def ago_phrase(seconds: float, lang: str = "ru") -> str:
    """How long ago, in words: "сегодня", "вчера", "3 дня назад", "1 неделю назад", "5 лет назад";
    "today", "yesterday", "3 days ago", "1 week ago"."""
    unit, n = _unit_count(max(0.0, seconds))
    if unit == "day" and n == 0:
        return "сегодня" if lang == "ru" else "today"
    if unit == "day" and n == 1:
        return "вчера" if lang == "ru" else "yesterday"
    if lang == "ru":
        return f"{count_ru(n, _RU_UNITS[unit])} назад"
    return f"{n} {unit}{'' if n == 1 else 's'} ago"


def date_phrase(t: float, lang: str = "ru", now: float | None = None) -> str:
    """ "12 мая" / "12 May", with the year when it is not the current one."""
    d = dt.datetime.fromtimestamp(t, dt.UTC)
    this_year = dt.datetime.fromtimestamp(now, dt.UTC).year if now is not None else d.year
    year = "" if d.year == this_year else f" {d.year}"
    if lang == "ru":
        return f"{d.day} {_RU_MONTHS_GEN[d.month - 1]}{year}"
    return f"{d.day} {_EN_MONTHS[d.month - 1]}{year}"


def _noun_parse(word: str, prefer_case: str | None = None) -> Any | None:
    """The most probable noun/adjective parse, preferring one in `prefer_case` when given."""
    parses = [p for p in morph().parse(word) if p.tag.POS in ("NOUN", "ADJF")]
    if prefer_case:
        for p in parses:
            if prefer_case in p.tag:
                return p
    return parses[0] if parses else None


def inflect_ru(phrase: str, case: str) -> str:
    """Put a Russian word or phrase into a grammatical case ("loct", "accs", "ablt", "gent"…).

    One word: inflected as a noun/adjective. "прилагательное + существительное": both, agreeing.
    Otherwise the first word is the head and the rest stays as written ("рыбалку на Ладогу" →
    loct "рыбалке на Ладогу"). Words pymorphy3 cannot inflect are left unchanged.
    """
    parts = phrase.split()
    if not parts:
        return phrase
    first = _noun_parse(parts[0].lower())
    if first is None:
        return phrase
    if len(parts) >= 2 and first.tag.POS == "ADJF":
        noun = _noun_parse(parts[1].lower())
        if noun is not None and noun.tag.POS == "NOUN":
            number = noun.tag.number or "sing"
            n_form = noun.inflect({case, number})
            feats = {case, number}
            if number == "sing":
                feats.add(noun.tag.gender or "masc")
            # Accusative adjectives need animacy for masculine singular and any plural.
            if case == "accs" and (number == "plur" or noun.tag.gender == "masc"):
                feats.add(noun.tag.animacy or "inan")
            a_form = first.inflect(feats)
            if n_form and a_form:
                return " ".join(
                    [
                        _keep_case(parts[0], a_form.word),
                        _keep_case(parts[1], n_form.word),
                        *parts[2:],
                    ]
                )
    number = first.tag.number or "sing"
    form = first.inflect({case, number}) or first.inflect({case})
    if form is None:
        return phrase
    return " ".join([_keep_case(parts[0], form.word), *parts[1:]])


def _keep_case(original: str, new: str) -> str:
    return new[:1].upper() + new[1:] if original[:1].isupper() else new


def nominative_ru(phrase: str) -> str:
    """The phrase with its head (and a leading adjective) in the nominative."""
    return inflect_ru(phrase, "nomn")


def about_ru(phrase: str) -> str:
    """ "о рыбалке", "об отпуске": the preposition "о/об" with the prepositional case."""
    inflected = inflect_ru(phrase, "loct")
    prep = "об" if inflected[:1].lower() in "аоуэиы" else "о"
    return f"{prep} {inflected}"


def static_place_ru(phrase: str) -> str:
    """ "рыбалку на Ладогу" → "рыбалку на Ладоге": after "в/на" use the place (locative) reading,
    which stays grammatical in every template ("как прошла рыбалка на Ладоге", "о рыбалке на
    Ладоге"); the direction reading ("на Ладогу") only fits verbs of motion."""
    parts = phrase.split()
    if len(parts) != 3 or parts[1].lower() not in ("в", "во", "на"):
        return phrase
    noun = _noun_parse(parts[2].lower(), "accs")  # "в горы": accusative plural, not genitive
    if noun is None or noun.tag.POS != "NOUN":
        return phrase
    number = noun.tag.number or "sing"
    form = noun.inflect({"loc2", number}) or noun.inflect({"loct", number})
    if form is None:
        return phrase
    return " ".join([parts[0], parts[1], _keep_case(parts[2], form.word)])


def past_verb_ru(verb_masc: str, subject: str) -> str:
    """A past-tense verb agreeing with a noun subject: ("прошел", "рыбалка") → "прошла"."""
    subj = _noun_parse(subject.split()[0].lower(), "nomn")
    verb = morph().parse(verb_masc)[0]
    if subj is None:
        return verb_masc
    feats = {"plur"} if subj.tag.number == "plur" else {subj.tag.gender or "masc", "sing"}
    if "Ms-f" in subj.tag:  # common gender ("коллега"): masculine default
        feats = {"masc", "sing"}
    form = verb.inflect(feats)
    return form.word if form else verb_masc


# --- openers ---------------------------------------------------------------------------------

# Nouns for events that "go" (прошла рыбалка / how did the trip go).
EVENT_NOUNS = frozenset(
    split_words(
        "рыбалка поездка отпуск конференция встреча свадьба праздник концерт экзамен "
        "собеседование переезд ремонт матч поход путешествие выставка презентация вечеринка "
        "операция защита турнир соревнование марафон забег корпоратив новоселье поход сессия "
        "командировка trip vacation holiday conference wedding party concert exam "
        "interview move match hike journey presentation surgery defense tournament marathon race"
    )
)


def _pronoun(gender: str | None, lang: str, case: str) -> str:
    g = (gender or "").lower()[:1]
    if lang == "ru":
        table = {"gen": {"m": "его ", "f": "её "}, "dat": {"m": "ему ", "f": "ей "}}
        return table[case].get(g, "")
    return {"m": "his", "f": "her"}.get(g, "their")


def _quote(text: str, lang: str, limit: int = 80) -> str:
    t = " ".join(text.split())
    if len(t) > limit:
        t = t[: limit - 1].rstrip() + "…"
    return f"«{t}»" if lang == "ru" else f"“{t}”"


def _loop_opener(loop: OpenLoop, now: float, lang: str, gender: str | None) -> Opener:
    when = date_phrase(loop.t, lang, now)
    quote = _quote(loop.text_excerpt, lang)
    ids = (loop.message_id,)
    if loop.kind == "question":
        if lang == "ru":
            text = f"Ответить на {_pronoun(gender, lang, 'gen')}вопрос от {when}: {quote}"
        else:
            text = f"Reply to {_pronoun(gender, lang, 'gen')} question from {when}: {quote}"
        return Opener(text, "reply", ids)
    if loop.kind == "promise":
        group = promise_kind(loop.text_excerpt, offers=True)
        if lang == "ru":
            dat = _pronoun(gender, lang, "dat")
            text = {
                "send": f"Отправить {dat}то, что обещали {when}: {quote}",
                "call": f"Позвонить {dat}— обещали {when}: {quote}",
                "meet": f"Договориться о встрече — обещали {when}: {quote}",
            }.get(group or "", f"Выполнить обещание от {when}: {quote}")
        else:
            text = {
                "send": f"Send what you promised on {when}: {quote}",
                "call": f"Call as you promised on {when}: {quote}",
                "meet": f"Set a date to meet, as you said on {when}: {quote}",
            }.get(group or "", f"Follow up on your promise from {when}: {quote}")
        return Opener(text, "promise", ids)
    planned = date_phrase(loop.due if loop.due is not None else loop.t, lang, now)
    if lang == "ru":
        text = f"Узнать, состоялось ли то, что планировали на {planned}, или договориться заново: {quote}"
    else:
        text = f"Check whether the plan for {planned} happened, or set a new date: {quote}"
    return Opener(text, "plan", ids)


def _topic_opener(topic: Topic, idx: int, now: float, lang: str) -> Opener:
    ago = ago_phrase(now - topic.last_t, lang)
    ids = topic.message_ids[-5:]
    head = topic.term.split()[0]
    is_event = head in EVENT_NOUNS or topic.term.replace(" ", "_") in EVENT_NOUNS
    shown = topic.display or topic.term
    if lang != "ru":
        if _noun_parse(shown.split()[0].lower()) is not None and shown[:1].isalpha():
            shown = nominative_ru(shown) if "а" <= shown[:1].lower() <= "я" else shown
        if is_event:
            text = f"Ask how the {shown} went — you talked about it {ago}"
        else:
            text = f"Ask about {shown} — you discussed it {ago}"
        return Opener(text, "topic", ids)
    shown = static_place_ru(shown)
    cyrillic_noun = topic.pos in ("NOUN", "PHRASE") and _noun_parse(shown.split()[0].lower())
    if cyrillic_noun and is_event:
        subject = nominative_ru(shown)
        verb = past_verb_ru("прошел", subject)
        text = f"Спросить, как {verb} {subject} — обсуждали {ago}"
    elif cyrillic_noun and idx % 2 == 0:
        text = f"Спросить про {inflect_ru(shown, 'accs')} — обсуждали {ago}"
    elif cyrillic_noun:
        text = f"Вернуться к разговору {about_ru(shown)} — говорили {ago}"
    else:
        text = f"Спросить, что нового по теме «{shown}» — обсуждали {ago}"
    return Opener(text, "topic", ids)


def _checkin(last_interaction_t: float | None, now: float, lang: str) -> Opener:
    if last_interaction_t is None:
        text = "Написать первым и представиться" if lang == "ru" else "Write first and say hello"
    elif now - last_interaction_t >= 14 * DAY:
        ago = ago_phrase(now - last_interaction_t, lang)
        text = (
            f"Просто написать: давно не общались — последний раз {ago}"
            if lang == "ru"
            else f"Just say hi — you last talked {ago}"
        )
    else:
        text = (
            "Спросить, какие планы на выходные"
            if lang == "ru"
            else "Ask about their plans for the weekend"
        )
    return Opener(text, "checkin", ())


#: A question or a plan older than this (a plan: past its date by this much) ...
STALE_LOOP_DAYS = 30.0
#: ... with talk at least this long after it is no longer something to bring up: the
#: conversation has moved on ("shall we call tonight?" from June, asked again since or not).
#: Promises stay: what I said I would do is still mine to do.
MOVED_ON_DAYS = 7.0


def _moved_on(loop: OpenLoop, last_interaction_t: float | None, now: float) -> bool:
    if loop.kind not in ("question", "plan") or last_interaction_t is None:
        return False
    ref = loop.due if loop.kind == "plan" and loop.due is not None else loop.t
    return now - ref > STALE_LOOP_DAYS * DAY and last_interaction_t - loop.t > MOVED_ON_DAYS * DAY


def openers(
    contact_name: str,
    topics: Sequence[Topic],
    open_loops: Sequence[OpenLoop],
    last_interaction_t: float | None,
    now: float,
    lang: str = "ru",
    gender: str | None = None,
    *,
    limit: int = 5,
) -> list[Opener]:
    """3–5 concrete openers in the user's language ("ru" or "en"), most useful first.

    `contact_name` is accepted so callers can pass it uniformly; the texts are instructions to
    the user ("Ответить на её вопрос…") and do not need it. `gender`: "m"/"f"/None.
    """
    del contact_name
    lang = "ru" if lang == "ru" else "en"
    out: list[Opener] = []
    quotas = {"question": 2, "promise": 2, "plan": 1}
    priority = {"question": 0, "promise": 1, "plan": 2}
    for loop in sorted(open_loops, key=lambda lp: (priority.get(lp.kind, 3), -lp.t)):
        if _moved_on(loop, last_interaction_t, now):
            continue
        if quotas.get(loop.kind, 0) > 0 and len(out) < limit - 1:
            quotas[loop.kind] -= 1
            out.append(_loop_opener(loop, now, lang, gender))
    used: set[str] = set()  # lemmas already asked about: "конференция" and "конференция по
    for i, topic in enumerate(topics):  # машинному обучению" are one thing to ask about
        if len(out) >= limit - 1:
            break
        words = set(topic.term.split())
        if words & used:
            continue
        used |= words
        out.append(_topic_opener(topic, i, now, lang))
    out.append(_checkin(last_interaction_t, now, lang))
    if len(out) < 3:
        extra = [
            ("Поделиться своими новостями", "Share some news of your own"),
            ("Спросить, какие планы на выходные", "Ask about their plans for the weekend"),
            ("Предложить встретиться на кофе", "Suggest meeting for coffee"),
        ]
        for ru, en in extra:
            text = ru if lang == "ru" else en
            if len(out) < 3 and all(o.text != text for o in out):
                out.append(Opener(text, "checkin", ()))
    return out[:limit]
