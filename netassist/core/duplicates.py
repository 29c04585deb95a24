"""Find contacts that are probably the same person, with reasons a person can check.

This module never merges: it proposes ``Candidate`` pairs with a confidence and reasons, and the
user decides. Identical identities (same phone, same e-mail) are merged by ingest before this
runs (except two address-book cards whose names are plainly two people: the identity stays with
the first, see ``ingest_contacts.names_may_be_one``); here the evidence is softer: the same name in another script or as a diminutive, swapped
name order, a patronymic on one side only, Gmail dot/+tag variants, the same organization.

Sub-quadratic by blocking: people are only compared when they share a block (family-name key,
given-name group with a family-name prefix, weak e-mail key, phone), and comparisons inside a
block are cheap string checks plus rapidfuzz for typos. Inside a family block, people are
grouped by given name first and only groups whose names may match are paired.

Calibration (what the numbers mean):
  ≥ 0.8    the same full name (any script/spelling) and independent evidence: the same
           patronymic, e-mail variant, organization or birthday; or a shared phone/e-mail
  0.5–0.7  names alone: same full name 0.7, diminutive 0.55–0.6, one-letter typos 0.5
  < 0.5    a given name alone (Саша vs the only Александр in the book 0.4), initials 0.45
Namesakes: when many contacts share one name (more than ``NAMESAKES_FREE`` with the same given
and family name keys), the name says less about any one pair of them, as a common word says
little in a search (IDF): the name evidence is scaled by ``NAMESAKES_FREE / n``, so 30 contacts
called Олег Петров with nothing else in common are 30 people, not 435 review pairs, while two of
them with the same patronymic, organization or birthday (or a shared phone or e-mail) are still
proposed, with the number of namesakes as a reason.
Evidence against (man vs woman, different patronymics or birthdays) divides the confidence, so
Александр Иванов and his wife Александра Иванова, or a father and son, are not proposed.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from netassist.core.i18n import N_, _
from netassist.core.identity import identity_display, weak_email_key, weak_key_of_normalized
from netassist.core.names import (
    diminutive_groups,
    family_gender,
    family_key,
    given_gender,
    is_full_form,
    is_known_given,
    is_patronymic,
    is_placeholder_name,
    name_key,
    parse_person_name,
)

# Reasons are stored in English (the CLI and the review list's stored text); each is made from one
# of these templates so the window can show it in the person's language (``localize_reasons``).
R: dict[str, str] = {
    "short_forms": N_("{a} and {b} are short forms of one name"),
    "diminutive": N_("{a} is a diminutive of {b}"),
    "initial": N_("initial {a} fits {b}"),
    "given_typo": N_("given names differ by a typo: {a} / {b}"),
    "same_phone": N_("same phone {a}"),
    "same_email": N_("same e-mail {a}"),
    "email_variant": N_("same e-mail except dots/+tag: {a} / {b}"),
    "swapped": N_("given and family names swapped: {a} / {b}"),
    "family_typo": N_("family names differ by a typo: {a} / {b}"),
    "given_patronymic": N_("same given name and patronymic: {a} / {b}"),
    "only_given": N_("{a} is the only one with this given name"),
    "same_name": N_("same name {a}"),
    "translit": N_("names match by transliteration: {a} / {b}"),
    "spelled": N_("same name spelled differently: {a} / {b}"),
    "order": N_("names written in the other order (family name first)"),
    "same_patronymic": N_("same patronymic {a}"),
    "diff_patronymic": N_("but different patronymics: {a} / {b}"),
    "one_patronymic": N_("same family name and given name, one has a patronymic"),
    "same_org": N_("same organization {a}"),
    "similar_org": N_("similar organization {a} / {b}"),
    "same_bday": N_("same birthday"),
    "diff_bday": N_("but different birthdays"),
    "gender": N_("but one is a man, the other a woman: {a} / {b}"),
    "namesakes": N_("contacts with this name: {a}"),
}


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[ab]\})", template)
    return re.compile("".join(f"(?P<{p[1]}>.+?)" if p in ("{a}", "{b}") else re.escape(p)
                              for p in parts) + "$")  # fmt: skip


# Most literal text first, so "same name {a}" never swallows "same name spelled differently".
_MATCHERS = sorted(((_template_regex(t), t) for t in R.values()),
                   key=lambda m: -len(re.sub(r"\{[ab]\}", "", m[1])))  # fmt: skip


def localize_reasons(stored: str) -> list[str]:
    """The stored "; "-joined English reasons, each in the active language (unknown text as is)."""
    out = []
    for part in filter(None, stored.split("; ")):
        for rx, template in _MATCHERS:
            m = rx.match(part)
            if m:
                out.append(_(template).format(**m.groupdict()))
                break
        else:
            out.append(part)
    return out


@dataclass(frozen=True, slots=True)
class PersonKeys:
    """What duplicate detection needs to know about one contact (plain values only).

    ``emails`` and ``phones`` are normalised identities (``normalize_identity``); names are raw.
    When ``given``/``family`` are empty, ``display_name`` is parsed. ``birthday`` is
    "YYYY-MM-DD" or "--MM-DD".
    """

    id: int
    display_name: str = ""
    given: str = ""
    family: str = ""
    middle: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organization: str = ""
    birthday: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    a_id: int  # the smaller id
    b_id: int
    confidence: float  # 0..1, see the module docstring
    reasons: list[str] = field(default_factory=lambda: list[str]())  # for a person, strongest first


@dataclass(slots=True)
class _Profile:
    id: int
    label: str
    given: str
    family: str
    patronymic: str
    gkey: str
    fkey: str
    pkey: str
    groups: frozenset[str]
    gender: str | None
    family_first: bool | None
    emails: frozenset[str]
    weak: frozenset[str]
    phones: frozenset[str]
    org: str
    bday: tuple[str | None, str] | None  # (year or None, "MM-DD")


_ORG_NOISE = re.compile(r"\b(ооо|оао|зао|пао|ао|ип|llc|ltd|inc|gmbh|corp|co)\b|[\"'«».,]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_BDAY = re.compile(r"^(\d{4}|-{2})-?(\d{2})-?(\d{2})$")


_NameParts = tuple[str, str, str, str, str, str, str, frozenset[str], str | None, bool | None]


@lru_cache(maxsize=65536)
def _name_parts(given: str, family: str, middle: str, display: str) -> _NameParts:
    """label, given, family, patronymic, their keys, groups, gender, family_first: cached, as
    a big book repeats names (namesakes, the same person from several sources)."""
    given, family, middle = given.strip(), family.strip(), middle.strip()
    family_first: bool | None = None
    if not given and not family or (given and not family and len(given.split()) > 1):
        parsed = parse_person_name(given or display)
        given, family, middle = parsed.given, parsed.family, parsed.patronymic
        if parsed.order.startswith(("given ", "family ")):
            family_first = parsed.order.startswith("family")
    elif family and given and is_known_given(family) and not is_known_given(given):
        given, family = family, given  # an importer filled the fields the other way round
    patronymic = middle if middle and (is_patronymic(middle) or len(middle) <= 2) else ""
    gender_f = family_gender(family) if family else None
    gender_g = given_gender(given) if given else None
    gender = gender_f if gender_g is None or gender_f == gender_g else gender_g
    if gender_f and gender_g and gender_f != gender_g:
        gender = None  # contradictory: do not use gender at all
    shown = (given, family) if family else (given, patronymic)
    label = " ".join(x for x in shown if x) or display.strip()
    groups = diminutive_groups(given) if given else frozenset[str]()
    return (label, given, family, patronymic, name_key(given), family_key(family),
            name_key(patronymic), groups, gender, family_first)  # fmt: skip


@lru_cache(maxsize=4096)
def _org_key(org: str) -> str:
    return " ".join(_ORG_NOISE.sub(" ", org.casefold()).split())


def _profile(p: PersonKeys) -> _Profile:
    label, given, family, patronymic, gkey, fkey, pkey, groups, gender, family_first = _name_parts(
        p.given, p.family, p.middle, p.display_name
    )
    if not p.given and not p.family and is_placeholder_name(p.display_name):
        # "Facebook User": no name evidence at all (only a shared phone or e-mail would count)
        given = family = patronymic = gkey = fkey = pkey = ""
        groups, gender, family_first = frozenset(), None, None
    bday = None
    if p.birthday:
        m = _BDAY.match(p.birthday.strip())
        if m:
            bday = (None if m.group(1) == "--" else m.group(1), f"{m.group(2)}-{m.group(3)}")
    weak = (
        frozenset(k for k in (weak_key_of_normalized(e) for e in p.emails) if k)
        if p.emails
        else _NONE
    )
    return _Profile(
        id=p.id,
        label=label,
        given=given,
        family=family,
        patronymic=patronymic,
        gkey=gkey,
        fkey=fkey,
        pkey=pkey,
        groups=groups,
        gender=gender,
        family_first=family_first,
        emails=frozenset(p.emails) if p.emails else _NONE,
        weak=weak,
        phones=frozenset(p.phones) if p.phones else _NONE,
        org=_org_key(p.organization) if p.organization else "",
        bday=bday,
    )


_NONE: frozenset[str] = frozenset()


def _coarse(key: str) -> str:
    # Spellings the phonetic key keeps apart but transliterators mix: GOST "c" for ц read as
    # "k" (Kuznecov), GOST "x" for х read as "ks" (Chexov).
    return key.replace("ts", "k").replace("ks", "h")


def _close(a: str, b: str) -> bool:
    """Typo-level similarity of two keys (Smirnov/Smirnof, Kuznetsov/Kuznecov): one edit, or
    equal after the coarse folds. Two edits would join Тихзоров and Тихзоран."""
    if min(len(a), len(b)) < 5:
        return False
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1 or _coarse(a) == _coarse(b)


def _script(s: str) -> str:
    return "cyrillic" if _CYRILLIC.search(s) else "latin"


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1


def _given_match(a: _Profile, b: _Profile, reasons: list[str]) -> float:
    """Name evidence for the given names alone: 1 same, 0.8 diminutive, 0.6 initial/typo."""
    if a.gkey == b.gkey:
        return 1.0
    shared = a.groups & b.groups
    if shared:
        full_a = any(is_full_form(a.given, c) for c in shared)
        full_b = any(is_full_form(b.given, c) for c in shared)
        if full_a == full_b:  # two nicknames: Саша / Шура, Alex / Sasha
            reasons.append(R["short_forms"].format(a=a.given, b=b.given))
            return 0.7 if len(shared) == 1 else 0.6
        short, full = (b, a) if full_a else (a, b)
        reasons.append(R["diminutive"].format(a=short.given, b=full.given))
        return 0.8 if len(short.groups) == 1 else 0.7
    if _is_initial(a.given) or _is_initial(b.given):
        if a.gkey[:1] and a.gkey[:1] == b.gkey[:1]:
            reasons.append(
                R["initial"].format(
                    a=min(a.given, b.given, key=len), b=max(a.given, b.given, key=len)
                )
            )
            return 0.6
        return 0.0
    if (not a.groups or not b.groups) and _close(a.gkey, b.gkey):
        # Only an unknown name can be a typo: Марина/Арина, Дарья/Мария are different names.
        reasons.append(R["given_typo"].format(a=a.given, b=b.given))
        return 0.6
    return 0.0


def _score(
    a: _Profile, b: _Profile, unique_given: bool = False, crowd: int = 1
) -> tuple[float, list[str]] | None:
    # Cheap exit for most pairs a name block brings together: different family names, no
    # shared phone or e-mail key, not a swap, not a typo.
    if (
        a.fkey != b.fkey
        and a.fkey
        and b.fkey
        and not (a.phones & b.phones or a.weak & b.weak)
        and not (a.gkey == b.fkey and a.fkey == b.gkey)
        and not _close(a.fkey, b.fkey)
    ):
        return None
    reasons: list[str] = []
    evidence: list[float] = []
    strong_contact = False

    for ph in sorted(a.phones & b.phones):
        reasons.append(R["same_phone"].format(a=identity_display("phone", ph)))
        evidence.append(0.9)
        strong_contact = True
    for em in sorted(a.emails & b.emails):
        reasons.append(R["same_email"].format(a=em))
        evidence.append(0.9)
        strong_contact = True
    weak_shared = (a.weak & b.weak) - {weak_email_key(e) for e in a.emails & b.emails}
    if weak_shared:
        ea = sorted(e for e in a.emails if weak_email_key(e) in weak_shared)[0]
        eb = sorted(e for e in b.emails if weak_email_key(e) in weak_shared)[0]
        reasons.append(R["email_variant"].format(a=ea, b=eb))
        evidence.append(0.6)
        strong_contact = True

    # Names. Their reasons go after the contact ones: a shared phone says more than a name.
    n_contact = len(reasons)
    base = 0.0
    swapped = False
    if a.fkey and b.fkey:
        fam_same = a.fkey == b.fkey
        if not fam_same and a.gkey and b.gkey and a.gkey == b.fkey and a.fkey == b.gkey:
            swapped = fam_same = True
            reasons.append(R["swapped"].format(a=a.label, b=b.label))
            given = 1.0
        else:
            given = _given_match(a, b, reasons) if a.gkey and b.gkey else 0.0
        if fam_same and given:
            base = {1.0: 0.7, 0.8: 0.6, 0.7: 0.55, 0.6: 0.45}[given]
        elif given >= 0.8 and _close(a.fkey, b.fkey):
            reasons.append(R["family_typo"].format(a=a.family, b=b.family))
            base = 0.5
        elif fam_same and not (a.gkey and b.gkey):
            base = 0.3  # family name alone: only with other evidence
    elif (
        not a.fkey
        and not b.fkey
        and a.gkey
        and b.gkey
        and a.pkey
        and _coarse(a.pkey) == _coarse(b.pkey)
    ):
        given = _given_match(a, b, reasons)
        if given >= 0.7:
            reasons.append(R["given_patronymic"].format(a=a.label, b=b.label))
            base = 0.5 if given == 1.0 else 0.4
    elif a.gkey and b.gkey and (a.fkey or b.fkey or strong_contact):
        # At least one side is a bare given name ("Саша", "Katya").
        given = _given_match(a, b, reasons)
        if given:
            base = 0.4 if unique_given and given >= 0.7 else 0.3
            if unique_given:
                who = (b if b.fkey else a).label
                reasons.append(R["only_given"].format(a=who))
    if base and not swapped and a.gkey == b.gkey and a.fkey and a.fkey == b.fkey:
        la, lb = a.label.casefold(), b.label.casefold()
        if la == lb:
            reasons.insert(n_contact, R["same_name"].format(a=a.label))
        elif _script(la) != _script(lb):
            reasons.insert(n_contact, R["translit"].format(a=a.label, b=b.label))
        else:
            reasons.insert(n_contact, R["spelled"].format(a=a.label, b=b.label))
    if (
        base
        and not swapped
        and a.family_first is not None
        and b.family_first is not None
        and a.family_first != b.family_first
    ):
        reasons.append(R["order"])

    if base >= 0.45 and a.pkey and b.pkey and (a.fkey or b.fkey):
        if _coarse(a.pkey) == _coarse(b.pkey) or (
            (_is_initial(a.patronymic) or _is_initial(b.patronymic)) and a.pkey[0] == b.pkey[0]
        ):
            reasons.append(R["same_patronymic"].format(a=max(a.patronymic, b.patronymic, key=len)))
            evidence.append(0.45)
        else:
            reasons.append(R["diff_patronymic"].format(a=a.patronymic, b=b.patronymic))
            evidence.append(-0.8)
    elif base >= 0.45 and (a.pkey or b.pkey) and (a.fkey or b.fkey):
        reasons.append(R["one_patronymic"])

    if a.org and a.org == b.org:
        reasons.append(R["same_org"].format(a=a.org))
        evidence.append(0.35)
    elif a.org and b.org and _close(a.org, b.org):
        reasons.append(R["similar_org"].format(a=a.org, b=b.org))
        evidence.append(0.2)
    if a.bday and b.bday:
        same_day = a.bday[1] == b.bday[1]
        if same_day and (a.bday[0] is None or b.bday[0] is None or a.bday[0] == b.bday[0]):
            reasons.append(R["same_bday"])
            evidence.append(0.5)
        else:
            reasons.append(R["diff_bday"])
            evidence.append(-0.8)
    if a.gender and b.gender and a.gender != b.gender:
        reasons.append(R["gender"].format(a=a.label, b=b.label))
        evidence.append(-0.75)

    if base and crowd > NAMESAKES_FREE:
        base *= NAMESAKES_FREE / crowd  # one of many namesakes: the name alone says little
        reasons.append(R["namesakes"].format(a=crowd))
    if not base and not strong_contact:
        return None
    miss = 1.0 - base
    penalty = 1.0
    for e in evidence:
        if e >= 0:
            miss *= 1.0 - e
        else:
            penalty *= 1.0 + e
    return (1.0 - miss) * penalty, reasons


def _blocks(p: _Profile) -> Iterable[tuple[str, ...]]:
    if p.fkey:
        yield ("f", p.fkey)
        for g in p.groups or {p.gkey}:
            if g:
                yield ("gf", g, _coarse(p.fkey)[:2])
    elif p.gkey and p.pkey:
        # "Иван Петрович" with no family name: how colleagues are often saved.
        for g in p.groups or {p.gkey}:
            yield ("gp", g, _coarse(p.pkey))
    if p.gkey and not p.groups:
        # An unknown given name may really be a family name written first: block it as one.
        yield ("f", family_key(p.given))
    for w in p.weak:
        yield ("e", w)
    for ph in p.phones:
        yield ("p", ph)


_MAX_BLOCK = 1000  # a name block this big carries no information; e-mail/phone never get here
_MAX_GIVEN_ONLY_SCAN = 30
NAMESAKES_FREE = 4  # up to this many contacts may share a name before it counts for less
_BEST_NAME_BASE = 0.7  # the most a name alone gives (the same full name)
_NAME_BLOCKS = ("f", "gf", "gp")


def _crowd_key(p: _Profile) -> tuple[str, ...] | None:
    """Contacts with the same key are namesakes (the same name in any script or spelling)."""
    if p.gkey and p.fkey:
        return ("n", p.gkey, p.fkey)
    if p.gkey and p.pkey:
        return ("p", p.gkey, p.pkey)
    return None


def _evidence_keys(p: _Profile) -> Iterable[tuple[str, str]]:
    """Keys of the evidence beyond the name that ``_score`` counts for a pair: two namesakes
    in a crowd are only compared when they share one of these (phones and e-mails have their
    own blocks). A patronymic initial is matched against every patronymic with its letter; an
    organization by its first and by its last four letters (a typo leaves one of them)."""
    if p.pkey:
        yield ("pc", _coarse(p.pkey))
        yield ("pi", p.pkey[0])
    if p.org:
        yield ("o<", p.org[:4])
        yield ("o>", p.org[-4:])
    if p.bday:
        yield ("b", p.bday[1])


def _names_may_match(a: _Profile, b: _Profile) -> bool:
    """Whether ``_score`` can find name evidence for two profiles with non-empty, non-initial
    given names (False means it surely finds none): the same given name or name group, a typo
    in an unknown name (exactly ``_given_match``'s cases), or given and family names swapped.
    Depends only on the given and family keys and the name groups, so it is asked once per pair
    of such classes of profiles."""
    if a.gkey == b.gkey or a.groups & b.groups:
        return True
    if a.fkey and b.fkey and a.gkey == b.fkey and a.fkey == b.gkey:
        return True
    return (not a.groups or not b.groups) and _close(a.gkey, b.gkey)


def find_candidates(
    people: Sequence[PersonKeys],
    dismissed: set[frozenset[int]] | frozenset[frozenset[int]] = frozenset(),
    min_confidence: float = 0.3,
) -> list[Candidate]:
    """Pairs of contacts that may be one person, most confident first.

    ``dismissed`` holds pairs the user already said are different people; they are never
    returned. Each pair appears once with ``a_id < b_id``.

    Cost: pairs are scored inside blocks; in a crowd of namesakes (see the module docstring)
    whose name alone cannot reach ``min_confidence``, only pairs sharing some further evidence
    (patronymic, organization, birthday, phone, e-mail) are scored, so a book where thousands
    share a few hundred names stays fast.
    """
    return _find([_profile(p) for p in people], dismissed, min_confidence, None)


def find_candidates_around(
    people: Sequence[PersonKeys],
    ids: Iterable[int],
    dismissed: set[frozenset[int]] | frozenset[frozenset[int]] = frozenset(),
    min_confidence: float = 0.3,
) -> tuple[set[int], list[Candidate]]:
    """The candidates of ``ids`` (contacts an import added or changed) and of their namesakes
    (whose crowd the new ones may have grown): ``(affected ids, pairs with at least one
    affected contact)``. The pairs of everyone else are exactly what they were before."""
    profiles = [_profile(p) for p in people]
    want = set(ids)
    keys = {_crowd_key(p) for p in profiles if p.id in want} - {None}
    wanted = {i for i, p in enumerate(profiles) if p.id in want or _crowd_key(p) in keys}
    affected = {profiles[i].id for i in wanted}
    everyone = len(wanted) == len(profiles)  # a first import: the plain (cheaper) search
    return affected, _find(profiles, dismissed, min_confidence, None if everyone else wanted)


def _find(
    profiles: list[_Profile],
    dismissed: set[frozenset[int]] | frozenset[frozenset[int]],
    min_confidence: float,
    wanted: set[int] | None,
) -> list[Candidate]:
    keys = [_crowd_key(p) for p in profiles]
    sizes = Counter(k for k in keys if k is not None)
    crowd = [sizes[k] if k is not None else 1 for k in keys]
    # the smallest crowd in which a name alone (0.7 at best) stays under the threshold
    crowded = NAMESAKES_FREE + 1
    while _BEST_NAME_BASE * NAMESAKES_FREE / crowded >= min_confidence and crowded < 1 << 30:
        crowded += 1
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    by_group: dict[str, list[int]] = defaultdict(list)  # given group → people with a family
    for i, p in enumerate(profiles):
        for key in _blocks(p):
            blocks[key].append(i)
        if p.fkey:
            for g in p.groups or {p.gkey}:
                by_group[g].append(i)

    seen: set[tuple[int, int]] = set()
    found: list[Candidate] = []

    def consider(i: int, j: int, unique_given: bool = False) -> None:
        pair = (i, j) if i < j else (j, i)
        if i == j or pair in seen or (wanted is not None and i not in wanted and j not in wanted):
            return
        seen.add(pair)
        a, b = profiles[pair[0]], profiles[pair[1]]
        if a.id == b.id or frozenset((a.id, b.id)) in dismissed:
            return
        scored = _score(a, b, unique_given, max(crowd[i], crowd[j]))
        if scored is None or scored[0] < min_confidence:
            return
        lo, hi = (a, b) if a.id < b.id else (b, a)
        found.append(Candidate(lo.id, hi.id, round(scored[0], 3), scored[1]))

    def all_pairs(members: list[int]) -> None:
        if wanted is None:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    consider(members[x], members[y])
            return
        for x in members:
            if x in wanted:
                for y in members:
                    consider(x, y)

    no_evidence = (("n", ""),)

    def keyed_pairs(members: list[int], evidence: bool) -> None:
        """Pairs whose names may match (``_names_may_match`` per class of profiles with one
        given key, family key and name group; empty and initial given names against all); with
        ``evidence``, only pairs with a crowded member that share some further evidence."""
        by_ek: dict[tuple[str, str], list[int]] = defaultdict(list)
        for m in members:
            for ek in _evidence_keys(profiles[m]) if evidence else no_evidence:
                by_ek[ek].append(m)
        for ek, group in by_ek.items():
            if len(group) < 2 or len(group) > _MAX_BLOCK:
                continue
            initials = ek[0] == "pi"  # a patronymic initial against those with its letter
            other_org = ek[0] == "o>"  # the same first four letters were paired under "o<"

            def ok(x: int, y: int, initials: bool = initials, other_org: bool = other_org) -> bool:
                px, py = profiles[x], profiles[y]
                return (
                    (not evidence or crowd[x] >= crowded or crowd[y] >= crowded)
                    and (wanted is None or x in wanted or y in wanted)
                    and not (other_org and px.org[:4] == py.org[:4])
                    and (not initials or _is_initial(px.patronymic) or _is_initial(py.patronymic))
                )

            classes: dict[tuple[object, ...], list[int]] = {}
            wild = []
            for m in group:
                pm = profiles[m]
                if not pm.gkey or _is_initial(pm.given):
                    wild.append(m)
                else:
                    classes.setdefault((pm.gkey, pm.fkey, pm.groups), []).append(m)
            for x in wild:
                for y in group:
                    if x != y and ok(x, y):
                        consider(x, y)
            cls = list(classes.values())
            for i, ma in enumerate(cls):
                for n, x in enumerate(ma):
                    for y in ma[n + 1 :]:
                        if ok(x, y):
                            consider(x, y)
                pa = profiles[ma[0]]
                for mb in cls[i + 1 :]:
                    if _names_may_match(pa, profiles[mb[0]]):
                        for x in ma:
                            for y in mb:
                                if ok(x, y):
                                    consider(x, y)

    for key, members in blocks.items():
        if len(members) < 2 or (wanted is not None and wanted.isdisjoint(members)):
            continue
        if key[0] not in _NAME_BLOCKS:
            all_pairs(members)
            continue
        if len(members) > _MAX_BLOCK:
            continue
        sparse = [m for m in members if crowd[m] < crowded]
        if key[0] == "f":  # different given names meet here: only those that may match
            keyed_pairs(sparse, evidence=False)
        else:  # one given-name group by construction
            all_pairs(sparse)
        if len(sparse) < len(members):
            keyed_pairs(members, evidence=True)

    # Bare given names ("Саша") against people with a family name in the same name group:
    # proposed when that person is the only one with the name, otherwise only with evidence.
    for i, p in enumerate(profiles):
        if p.fkey or not p.gkey:
            continue
        others = sorted({j for g in (p.groups or {p.gkey}) for j in by_group.get(g, ())})
        if wanted is not None and i not in wanted and wanted.isdisjoint(others):
            continue
        if len(others) == 1:
            consider(i, others[0], unique_given=True)
        elif len(others) <= _MAX_GIVEN_ONLY_SCAN and (p.org or p.bday):
            for j in others:
                consider(i, j)

    found.sort(key=lambda c: (-c.confidence, c.a_id, c.b_id))
    return found
