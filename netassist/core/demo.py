"""A realistic, deterministic demo network (``netassist demo``).

A handful of close ties, many weak ones, some fading, some only in the address book; Russian
and English names; birthdays; e-mail, messenger chats, calls and meetings at each person's own
cadence and hours of the day, with text that uses topics in varied grammatical forms. Everything
goes through the normal ingest path (bulk inserts), so the demo exercises what real imports do.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from netassist.core import demo_text as T
from netassist.core.db import Database
from netassist.core.ingest import ImportResult, ingest
from netassist.core.progress import Progress
from netassist.core.records import IdentityRef, ImportedContact, ImportedInteraction, Party

_TR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
               ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                "yu", "ya"], strict=True))  # fmt: skip


def _latin(s: str) -> str:
    return "".join(_TR.get(ch, ch) for ch in s.lower())


class _Person:
    def __init__(self, i: int, rng: random.Random, n: int) -> None:
        self.i = i
        self.ru = rng.random() < 0.65
        self.female = rng.random() < 0.5
        if self.ru:
            given, self.short, patr = rng.choice(T.FEMALE_RU if self.female else T.MALE_RU)
            fam = rng.choice(T.FAMILY_RU)[1 if self.female else 0]
            self.given, self.family = given, fam
            self.middle = patr if rng.random() < 0.4 else ""
            if self.female and patr.endswith("ич"):
                self.middle = ""
        else:
            self.given = rng.choice(T.FEMALE_EN if self.female else T.MALE_EN)
            self.family, self.middle, self.short = rng.choice(T.FAMILY_EN), "", ""
        rank = i / max(n, 1)
        # tiers by rank, roughly Dunbar-shaped for a 150-person network
        if i < 5:
            self.cadence, self.kind = rng.uniform(1.5, 4), "inner"
        elif i < 20:
            self.cadence, self.kind = rng.uniform(5, 12), "close"
        elif rank < 0.4:
            self.cadence, self.kind = rng.uniform(14, 35), "active"
        else:
            self.cadence, self.kind = rng.uniform(45, 200), "weak"
        self.fading = i >= 3 and rng.random() < 0.12
        self.silent = i >= 20 and rng.random() < 0.08  # only in the address book
        self.hour = rng.choice([8, 9, 12, 13, 18, 19, 20, 21, 22])
        self.weekend = rng.random() < 0.4
        topics = list(T.TOPICS_RU if self.ru else T.TOPICS_EN)
        self.topics = rng.sample(topics, 2)
        chans = ["telegram", "whatsapp", "vk"] if self.ru else ["email", "whatsapp", "messenger"]
        self.channel = rng.choice(chans) if self.kind != "weak" else rng.choice(["email", chans[0]])
        self.org = rng.choice(T.ORGS) if rng.random() < 0.6 else ""
        self.title = rng.choice(T.TITLES) if self.org and rng.random() < 0.7 else ""
        self.birthday = (
            f"{rng.randint(1965, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.7
            else None
        )
        self.since_days = rng.uniform(200, 2000)

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.given, self.middle, self.family) if p)

    def contact(self) -> ImportedContact:
        login = f"{_latin(self.given)}.{_latin(self.family)}{self.i}".replace(" ", "")
        idents = [IdentityRef("email", f"{login}@example.{'ru' if self.ru else 'com'}")]
        if self.i % 3 != 2:
            prefix = "+7 9" if self.ru else "+44 7"
            num = f"{prefix}{self.i % 100:02d} {100 + self.i % 900:03d}-{self.i % 97:02d}-{self.i % 89:02d}"
            idents.append(IdentityRef("phone", num, "cell"))
        if self.channel == "telegram":
            idents.append(IdentityRef("telegram", f"@{login.replace('.', '_')}"))
        return ImportedContact(
            source_key=f"demo:{self.i}", where=f"demo contact {self.i}", full_name=self.full,
            given_name=self.given, family_name=self.family, middle_name=self.middle,
            nickname=self.short, organization=self.org, title=self.title,
            birthday=self.birthday, identities=tuple(idents),
            tags=("семья",) if self.kind == "inner" and self.ru else (("work",) if self.org else ()),
        )  # fmt: skip


def _messages(
    p: _Person, rng: random.Random, now: datetime, scale: float
) -> Iterator[ImportedInteraction]:
    party = Party(name=p.full, identities=p.contact().identities)
    start = now - timedelta(days=min(p.since_days, 365 * scale))
    end = now - timedelta(days=rng.uniform(60, 200)) if p.fading else now
    t = start + timedelta(days=rng.uniform(0, p.cadence))
    k = 0
    smalltalk = T.SMALLTALK_RU if p.ru else T.SMALLTALK_EN
    topics = T.TOPICS_RU if p.ru else T.TOPICS_EN
    while t < end:
        day = t.replace(hour=p.hour, minute=rng.randint(0, 59), second=0, microsecond=0)
        day += timedelta(minutes=rng.gauss(0, 50))
        if not p.weekend and day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday())
        if day >= end:
            break
        roll = rng.random()
        if roll < 0.07:  # a meeting or a call instead of messages
            chan = "meeting" if roll < 0.03 else "call"
            dur = rng.randint(20, 120) * 60 if chan == "meeting" else rng.randint(2, 40) * 60
            k += 1
            yield ImportedInteraction(
                fingerprint=f"demo:{p.i}:{k}", where=f"demo {p.i}/{k}", occurred_at=day,
                channel=chan, direction="mutual", counterparts=(party,), duration_s=dur,
                text=None if chan == "call" else rng.choice(topics[p.topics[0]]),
            )  # fmt: skip
        else:
            n_msgs = max(1, int(rng.expovariate(1 / 4)))
            last_was_theirs = False
            who = 1 if rng.random() < 0.5 else -1
            for _ in range(min(n_msgs, 14)):
                r = rng.random()
                if r < 0.45:
                    text = rng.choice(topics[rng.choice(p.topics)])
                else:
                    text = rng.choice(smalltalk)
                k += 1
                yield ImportedInteraction(
                    fingerprint=f"demo:{p.i}:{k}", where=f"demo {p.i}/{k}", occurred_at=day,
                    channel=p.channel, direction="out" if who > 0 else "in", counterparts=(party,),
                    text=text, conversation_key=f"demo:{p.channel}:{p.i}",
                    conversation_kind="email" if p.channel == "email" else "private",
                    subject=("Re: " + p.topics[0]) if p.channel == "email" else None,
                )  # fmt: skip
                last_was_theirs = who < 0
                day += timedelta(minutes=rng.expovariate(1 / 25) + 0.5)
                if day >= now:
                    break
                if rng.random() < 0.7:
                    who = -who
            if last_was_theirs and rng.random() < 0.8 and day < now:
                # most conversations end with my reply; the rest stay open (owed replies)
                k += 1
                yield ImportedInteraction(
                    fingerprint=f"demo:{p.i}:{k}", where=f"demo {p.i}/{k}", occurred_at=day,
                    channel=p.channel, direction="out", counterparts=(party,),
                    text=rng.choice(T.CLOSERS_RU if p.ru else T.CLOSERS_EN),
                    conversation_key=f"demo:{p.channel}:{p.i}",
                )  # fmt: skip
        gap = p.cadence * math.exp(rng.gauss(0, 0.45))
        t = day + timedelta(days=gap)
    if not p.fading and p.kind != "weak" and rng.random() < 0.15:
        # an open loop at the end of the history: their unanswered question or my promise
        loops = (T.QUESTIONS_RU, T.PROMISES_RU) if p.ru else (T.QUESTIONS_EN, T.PROMISES_EN)
        mine = rng.random() < 0.4
        k += 1
        when = min(now - timedelta(hours=rng.uniform(5, 72)), max(start, t - timedelta(days=1)))
        yield ImportedInteraction(
            fingerprint=f"demo:{p.i}:{k}", where=f"demo {p.i}/{k}", occurred_at=when,
            channel=p.channel, direction="out" if mine else "in", counterparts=(party,),
            text=rng.choice(loops[1] if mine else loops[0]),
            conversation_key=f"demo:{p.channel}:{p.i}",
        )  # fmt: skip


def demo_records(contacts: int = 150, years: float = 2.0, seed: int = 7,
                 now: datetime | None = None) -> Iterator[ImportedContact | ImportedInteraction]:  # fmt: skip
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    people = [_Person(i, rng, contacts) for i in range(contacts)]
    for p in people:
        yield p.contact()
    for p in people:
        if not p.silent:
            yield from _messages(p, random.Random(seed * 100003 + p.i), now, years)


def load_demo(db: Database, contacts: int = 150, years: float = 2.0, seed: int = 7,
              progress: Progress | None = None) -> ImportResult:  # fmt: skip
    return ingest(
        db, demo_records(contacts, years, seed), source=f"demo (seed {seed})", importer="demo",
        progress=progress,
    )  # fmt: skip
