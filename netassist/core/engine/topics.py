"""What a contact and I talk about: distinctive terms per contact, NMF topics over the history.

Per contact (`contact_topics`): terms are topic lemmas (nouns, adjectives, Latin words; see
text.lemmas(topic_only=True)) and two-word phrases (two topic words next to each other with at
most one stop-word between, inside one clause: "рыбалка на Ладоге" → "рыбалка ладога"). A term's
score is TF-IDF where the document is a contact's whole history: tf is sublinear (1 + ln count),
idf = ln((1 + contacts) / (1 + contacts using the term)) + 1. Terms in fewer than `min_df`
messages of the contact are one-offs and dropped. Every topic lists the messages it came from and
the first/last time, so the UI can show why it is there.

Whole history (`global_topics`): messages are grouped into contact-day documents (single chat
lines are too short for NMF), TF-IDF (sublinear) over topic lemmas, NMF fitted on a random sample
of at most `sample_docs` documents (default 20 000) with BLAS limited to one thread (far faster on
small machines: threads only fight over tiny matrices), then applied to all documents to get each
contact's share of each topic. Topics are named by their top lemmas.
"""

from __future__ import annotations

import math
import random
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from netassist.core.engine.text import (
    RU_NON_TOPIC_POS,
    Message,
    en_lemma,
    excluded_forms,
    morph,
    ru_parse,
    split_words,
    stopwords,
)
from netassist.core.progress import Progress, check_cancelled

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_CYR = re.compile(r"[а-я]")
_LAT = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class Topic:
    term: str  # lemma, or two lemmas joined by a space
    score: float
    message_ids: tuple[int, ...]
    first_t: float
    last_t: float
    display: str = ""  # most frequent surface form, lower case ("рыбалке на ладоге")
    pos: str = ""  # NOUN / ADJF / LATN (English or other Latin word) / PHRASE / OTHER


@dataclass(slots=True)
class CorpusStats:
    """Document frequencies over the whole history; a document is one contact's history."""

    n_contacts: int = 0
    contact_df: Counter[str] = field(default_factory=Counter)

    def idf(self, term: str) -> float:
        return math.log((1 + self.n_contacts) / (1 + self.contact_df.get(term, 0))) + 1.0


@dataclass(frozen=True, slots=True)
class GlobalTopic:
    index: int
    name: str  # top lemmas joined with ", "
    top_terms: tuple[str, ...]
    weight: float  # share of all documents' topic mass, 0..1


class _Term(NamedTuple):
    term: str
    surface: str
    pos: str


# Words, and the marks that end a phrase (clause punctuation, brackets, dashes, emoji). URLs,
# e-mails, @mentions and #tags are cut out before this runs (see _SPECIAL), because tokenize()
# is several times slower and this runs on every message of the history.
_FAST_RE = re.compile(
    r"(?P<w>[^\W\d_]+(?:[-'’][^\W\d_]+)*)|(?P<b>[?!.,;:…()«»\"“”—–]|[\U0001f300-\U0001faff\u2600-\u27bf])"
)
_SPECIAL = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+|(?<!\w)[@#]\w+|\b[\w-]+\.(?:ru|com|org|net|io|рф)/\S*"
)


_PHRASE_GLUE = frozenset(
    split_words(
        "в во на с со о об по для из к от у за под над при про без до "
        "of for in on at with to from about"
    )
)


def message_terms(text: str, exclude: Iterable[str] = ()) -> list[_Term]:
    """Topic terms of one message: unigrams then two-word phrases (see the module doc)."""
    excluded = excluded_forms(tuple(exclude)) if exclude else frozenset()
    if "@" in text or "/" in text or "#" in text or "www." in text:
        text = _SPECIAL.sub(" . ", text)  # a link also ends a phrase
    unigrams: list[_Term] = []
    phrases: list[_Term] = []
    prev: _Term | None = None
    gap_words: list[str] = []
    for m in _FAST_RE.finditer(text):
        tok = m.group("w")
        if tok is None:
            prev, gap_words = None, []  # a phrase never crosses a clause
            continue
        w = tok.casefold().replace("ё", "е").replace("’", "'")
        info = _term_info(w)
        if info is None or (excluded and (w in excluded or info[0] in excluded)):
            # Only a preposition may sit inside a phrase ("рыбалка на Ладоге", "trip to Rome");
            # any other word between two topic words means they are not one phrase.
            gap_words.append(w)
            if len(gap_words) > 1 or w not in _PHRASE_GLUE:
                prev = None
            continue
        surface = w if tok.islower() else _display_case(tok, w)
        term = _Term(info[0], surface, info[1])
        unigrams.append(term)
        if prev is not None and prev.term != term.term:
            joined = " ".join([prev.surface, *gap_words, term.surface])
            phrases.append(_Term(f"{prev.term} {term.term}", joined, "PHRASE"))
        prev, gap_words = term, []
    return unigrams + phrases


@lru_cache(maxsize=300_000)
def _term_info(w: str) -> tuple[str, str] | None:
    """(lemma, kind) when the normalised word can be a topic, else None."""
    stop = stopwords()
    if w in stop or len(w) < 3:
        return None
    if _CYR.match(w):
        lem, pos = ru_parse(w)
        if pos in RU_NON_TOPIC_POS:
            return None
        kind = pos if pos in ("NOUN", "ADJF") else "OTHER"
    elif _LAT.match(w):
        lem, kind = en_lemma(w), "LATN"
    else:
        return None
    if lem in stop or len(lem) < 3:
        return None
    return lem, kind


_PROPER = ("Geox", "Name", "Surn", "Patr", "Orgn", "Trad")


@lru_cache(maxsize=100_000)
def _display_case(surface: str, normalised: str) -> str:
    """Lower case for display, except proper names (Ладога, Казань) and acronyms (NASA)."""
    if len(surface) > 1 and surface.isupper():
        return surface
    if _CYR.match(normalised) and surface[:1].isupper():
        tag = str(morph().parse(normalised)[0].tag)
        if any(g in tag for g in _PROPER):
            return surface[:1] + surface[1:].lower()
    return surface.casefold()


def build_corpus_stats(
    messages: Iterable[Message],
    exclude_names: Iterable[str] = (),
    *,
    progress: Progress | None = None,
) -> CorpusStats:
    """One streaming pass over the whole history: which contacts use which terms.

    (`global_topics(..., corpus_stats_out=stats)` fills the same stats in its own pass, so a
    caller that wants both lemmatises the history once.)"""
    per_contact: dict[int, set[str]] = defaultdict(set)
    exclude = tuple(exclude_names)
    for i, m in enumerate(messages):
        if progress is not None and i % 5000 == 0:
            check_cancelled(progress)
            progress.set_progress(None, "Reading conversations")
        if m.text:
            per_contact[m.contact_id].update(t.term for t in message_terms(m.text, exclude))
    return _stats_from(per_contact, CorpusStats())


def _stats_from(per_contact: dict[int, set[str]], stats: CorpusStats) -> CorpusStats:
    stats.n_contacts = len(per_contact)
    stats.contact_df.clear()
    for terms in per_contact.values():
        stats.contact_df.update(terms)
    return stats


def contact_topics(
    messages_of_contact: Sequence[Message],
    corpus_stats: CorpusStats,
    top_n: int = 10,
    *,
    exclude_names: Iterable[str] = (),
    min_df: int = 2,
) -> list[Topic]:
    """The terms and phrases that distinguish this contact's conversations, best first.

    `exclude_names` takes the contact's (and my) name tokens so names never become topics.
    """
    exclude = tuple(exclude_names)
    counts: Counter[str] = Counter()
    msg_ids: dict[str, list[int]] = defaultdict(list)
    times: dict[str, list[float]] = defaultdict(list)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    pos_of: dict[str, str] = {}
    for m in sorted(messages_of_contact, key=lambda m: (m.t, m.id)):
        if not m.text:
            continue
        seen: set[str] = set()
        for term in message_terms(m.text, exclude):
            counts[term.term] += 1
            surfaces[term.term][term.surface] += 1
            pos_of.setdefault(term.term, term.pos)
            if term.term not in seen:
                seen.add(term.term)
                msg_ids[term.term].append(m.id)
                times[term.term].append(m.t)
    scored: list[Topic] = []
    for term, n in counts.items():
        if len(msg_ids[term]) < min_df:
            continue
        score = (1.0 + math.log(n)) * corpus_stats.idf(term)
        if pos_of[term] == "PHRASE":
            score *= 1.2  # a repeated phrase is more specific than either word alone
        scored.append(
            Topic(
                term=term,
                score=round(score, 4),
                message_ids=tuple(msg_ids[term]),
                first_t=times[term][0],
                last_t=times[term][-1],
                # A word is shown by its lemma (nominative), a phrase as people wrote it.
                display=surfaces[term].most_common(1)[0][0] if pos_of[term] == "PHRASE" else term,
                pos=pos_of[term],
            )
        )
    scored.sort(key=lambda tp: (-tp.score, -tp.last_t, tp.term))
    return _drop_covered(scored)[:top_n]


def _drop_covered(topics: list[Topic]) -> list[Topic]:
    """Drop a word that mostly occurs inside a stronger phrase already listed."""
    phrases = [tp for tp in topics if tp.pos == "PHRASE"]
    out: list[Topic] = []
    for tp in topics:
        if tp.pos != "PHRASE" and any(
            tp.term in ph.term.split() and len(tp.message_ids) <= 1.5 * len(ph.message_ids)
            for ph in phrases
            if ph.score >= tp.score * 0.8
        ):
            continue
        out.append(tp)
    return out


def global_topics(
    messages: Iterable[Message],
    n_topics: int = 12,
    *,
    exclude_names: Iterable[str] = (),
    sample_docs: int = 20_000,
    seed: int = 0,
    top_terms: int = 8,
    corpus_stats_out: CorpusStats | None = None,
    progress: Progress | None = None,
) -> tuple[list[GlobalTopic], dict[int, dict[int, float]]]:
    """NMF topics over the whole history and each contact's share of each topic.

    Returns (topics, {contact_id: {topic index: share 0..1}}). Documents are contact-day groups;
    NMF is fitted on at most `sample_docs` of them (random, seeded), then applied to all.
    Too little text (fewer documents or terms than topics) gives ([], {}).
    `corpus_stats_out`, when given, is filled like build_corpus_stats would (same pass).
    """
    exclude = tuple(exclude_names)
    docs: dict[tuple[int, int], list[str]] = defaultdict(list)
    per_contact: dict[int, set[str]] = defaultdict(set)
    for i, m in enumerate(messages):
        if progress is not None and i % 5000 == 0:
            check_cancelled(progress)
            progress.set_progress(None, "Reading conversations")
        if m.text:
            terms = message_terms(m.text, exclude)
            if corpus_stats_out is not None:
                per_contact[m.contact_id].update(t.term for t in terms)
            # Words only: phrases would split the same topic's mass and read badly as names.
            docs[(m.contact_id, int(m.t // 86_400))].extend(
                t.term for t in terms if t.pos != "PHRASE"
            )
    if corpus_stats_out is not None:
        _stats_from(per_contact, corpus_stats_out)
        del per_contact
    keys = [k for k, terms in docs.items() if terms]
    if len(keys) < max(n_topics, 2):
        return [], {}
    rng = random.Random(seed)
    fit_keys = keys if len(keys) <= sample_docs else rng.sample(keys, sample_docs)

    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from threadpoolctl import threadpool_limits

    min_df = 2 if len(fit_keys) >= 50 else 1
    # sklearn's inferred parameter types are narrower than its documented API (callables, ints).
    vec = TfidfVectorizer(
        analyzer=_identity,  # pyright: ignore[reportArgumentType]
        sublinear_tf=True,
        min_df=min_df,
        max_df=0.5,
        max_features=20_000,
    )
    try:
        x_fit = vec.fit_transform([docs[k] for k in fit_keys])
    except ValueError:  # every term pruned: nothing to model
        return [], {}
    n = min(n_topics, x_fit.shape[0], x_fit.shape[1])
    if n < 2:
        return [], {}
    vocab = vec.get_feature_names_out()
    if progress is not None:
        check_cancelled(progress)
        progress.set_progress(None, "Finding topics")
    with threadpool_limits(limits=1), warnings.catch_warnings():
        # Topics are read by people from the top terms; those settle long before the loss
        # converges to 1e-4, so an unconverged fit after max_iter is fine and not worth a warning.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = NMF(
            n_components=n,  # pyright: ignore[reportArgumentType]
            init="nndsvda",
            max_iter=300,
            random_state=seed,
        )
        model.fit(x_fit)
        shares: dict[int, list[float]] = defaultdict(lambda: [0.0] * n)
        total = [0.0] * n
        for start in range(0, len(keys), 20_000):
            chunk = keys[start : start + 20_000]
            w = model.transform(vec.transform([docs[k] for k in chunk]))
            for (contact_id, _day), row in zip(chunk, w, strict=True):
                acc = shares[contact_id]
                for i in range(n):
                    acc[i] += float(row[i])
                    total[i] += float(row[i])
    grand = sum(total) or 1.0
    topics = []
    for i, comp in enumerate(model.components_):
        best = comp.argsort()[::-1][:top_terms]
        terms = tuple(str(vocab[j]) for j in best if comp[j] > 0)
        topics.append(GlobalTopic(i, ", ".join(terms[:3]), terms, round(total[i] / grand, 4)))
    contact_shares: dict[int, dict[int, float]] = {}
    for contact_id, acc in shares.items():
        s = sum(acc)
        if s > 0:
            contact_shares[contact_id] = {
                i: round(v / s, 4) for i, v in enumerate(acc) if round(v / s, 4) > 0
            }
    return topics, contact_shares


def _identity(doc: list[str]) -> list[str]:
    return doc
