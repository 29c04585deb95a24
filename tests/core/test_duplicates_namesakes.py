"""Duplicate review in big books: namesakes (many contacts with one name) count for less, the
shortcut that pairs crowded namesakes only on shared evidence finds exactly what scoring every
pair finds, and a refresh after an import recomputes only the pairs around what it touched."""

from __future__ import annotations

import random

import pytest

from netassist.core import contacts as svc
from netassist.core import dedupe
from netassist.core.duplicates import (
    NAMESAKES_FREE,
    PersonKeys,
    _crowd_key,
    _profile,
    _score,
    find_candidates,
    find_candidates_around,
)
from netassist.core.ingest import ingest
from netassist.core.records import IdentityRef
from tests.support.records import card


def _pairs(cands) -> dict[frozenset[int], object]:
    return {frozenset((c.a_id, c.b_id)): c for c in cands}


def test_thirty_namesakes_with_nothing_in_common_are_not_435_pairs() -> None:
    people = [PersonKeys(i, "Олег Петров", phones=(f"+7916000{i:04d}",)) for i in range(30)]
    assert find_candidates(people) == []
    # two of them share a birthday, two a patronymic, two a phone: those are proposed
    people[3] = PersonKeys(3, "Олег Петров", birthday="1980-04-14")
    people[7] = PersonKeys(7, "Oleg Petrov", birthday="--04-14")
    people[10] = PersonKeys(10, given="Олег", family="Петров", middle="Игоревич")
    people[11] = PersonKeys(11, given="Олег", family="Петров", middle="И.")
    people[20] = PersonKeys(20, "Олег Петров", phones=("+79160000021",))
    found = _pairs(find_candidates(people))
    assert set(found) == {frozenset((3, 7)), frozenset((10, 11)), frozenset((20, 21))}
    bday = found[frozenset((3, 7))]
    assert "contacts with this name: 30" in bday.reasons and "same birthday" in bday.reasons
    assert 0.3 <= bday.confidence < 0.7  # a namesake with one fact in common, not a sure thing
    assert found[frozenset((20, 21))].confidence >= 0.9  # a shared phone is as strong as ever


def test_a_few_copies_of_one_person_are_not_namesakes() -> None:
    # the same person from a phone, Gmail and a transliterated export: no damping up to the limit
    names = ["Александр Иванов", "Aleksandr Ivanov", "Alexander Ivanov", "Александр Иванов"]
    found = find_candidates([PersonKeys(i, n) for i, n in enumerate(names[:NAMESAKES_FREE])])
    assert len(found) == 6 and all(c.confidence >= 0.5 for c in found)
    assert not any("contacts with this name" in r for c in found for r in c.reasons)


def test_confidence_falls_with_the_number_of_namesakes() -> None:
    def best(n: int) -> float:
        found = find_candidates([PersonKeys(i, "Мария Смирнова") for i in range(n)])
        return max((c.confidence for c in found), default=0.0)

    assert best(2) == best(4) == 0.7
    assert best(4) > best(6) > best(8) >= 0.3
    assert best(10) == 0.0  # ten Maria Smirnovas with nothing else in common: no pairs


_GIVEN = ["Александр", "Саша", "Aleksandr", "А.", "Мария", "Маша", "Maria", "Олег", "Oleg",
          "Zhanybek", "Zhanibek", "Петров", ""]  # fmt: skip
_FAMILY = ["Петров", "Petrov", "Петрова", "Zhanybek", ""]
_MIDDLE = ["", "", "Игоревич", "Игоревна", "И.", "Сергеевич", "Sergeevich"]
_ORGS = ["", "", "", "Сбербанк", "Сбербанк", "Яндекс", "Яндекс Такси"]
_BDAYS = [None, None, None, "1980-04-14", "--04-14", "1979-04-14", "1990-01-02"]


@pytest.mark.parametrize("seed", range(8))
def test_crowd_shortcut_finds_exactly_what_every_pair_finds(seed: int) -> None:
    """All these people share one family block, so scoring every pair is what the blocks did
    before the shortcut; the shortcut must give the same pairs with the same confidence."""
    rnd = random.Random(seed)
    people = []
    for i in range(rnd.randrange(40, 160)):
        people.append(PersonKeys(
            i, given=rnd.choice(_GIVEN[:6] if i % 3 else _GIVEN), family=rnd.choice(_FAMILY[:3]),
            middle=rnd.choice(_MIDDLE), organization=rnd.choice(_ORGS),
            birthday=rnd.choice(_BDAYS),
            phones=(f"+7916{rnd.randrange(60):07d}",) if rnd.random() < 0.3 else (),
            emails=(f"o.p{rnd.randrange(40)}@gmail.com",) if rnd.random() < 0.3 else (),
        ))  # fmt: skip
    profiles = [_profile(p) for p in people]
    sizes: dict[object, int] = {}
    for p in profiles:
        sizes[_crowd_key(p)] = sizes.get(_crowd_key(p), 0) + 1
    crowd = [sizes[_crowd_key(p)] if _crowd_key(p) else 1 for p in profiles]
    expected = {}
    for i in range(len(profiles)):
        for j in range(i + 1, len(profiles)):
            a, b = profiles[i], profiles[j]
            if a.fkey != b.fkey or not a.fkey:
                continue  # only the one family block ("f", petrov) is compared exhaustively
            s = _score(a, b, False, max(crowd[i], crowd[j]))
            if s is not None and s[0] >= 0.3:
                expected[frozenset((a.id, b.id))] = round(s[0], 3)
    assert max(crowd) >= 10  # crowded (see find_candidates): the shortcut was used
    got = {k: c.confidence for k, c in _pairs(find_candidates(people)).items()}
    same_family = {k: v for k, v in got.items()
                   if profiles[min(k)].fkey == profiles[max(k)].fkey != ""}  # fmt: skip
    assert same_family == expected


# -- the stored review list ------------------------------------------------------------------


def _open(db) -> dict[frozenset[int], float]:
    return {frozenset((c["contact_a"], c["contact_b"])): c["confidence"]
            for c in dedupe.list_candidates(db)}  # fmt: skip


def _ids(db) -> dict[str, int]:
    conn = db.raw()
    try:
        return {
            src: cid
            for src, cid in conn.execute("SELECT source_key, contact_id FROM contact_source")
        }
    finally:
        conn.close()


def test_refresh_after_an_import_keeps_dismissals_and_matches_a_full_refresh(db) -> None:
    first = [
        card("a1", "Александр Сергеевич Иванов", IdentityRef("phone", "+79160000001")),
        card("a2", "Aleksandr Ivanov", IdentityRef("email", "a.ivanov@example.com")),
        card("b1", "Екатерина Смирнова", IdentityRef("email", "kate@example.ru")),
        card("b2", "Katya Smirnova", IdentityRef("email", "katya@example.ru")),
        card("c1", "Мария Волкова", IdentityRef("email", "m1@example.ru")),
        card("c2", "Мария Волкова", IdentityRef("email", "m2@example.ru")),
    ]
    r = ingest(db, first, source="one.vcf", importer="vcard")
    dedupe.refresh_candidates(db, r.touched)
    ids = _ids(db)
    before = _open(db)
    ivanov, smirnova, volkova = (frozenset((ids[x + "1"], ids[x + "2"])) for x in "abc")
    assert {ivanov, smirnova, volkova} <= before.keys()
    dedupe.dismiss(db, *sorted(smirnova))

    # a second file: a third Ivanov, and eight more Мария Волкова (now a crowd of ten)
    second = [card("a3", "Саша Иванов", IdentityRef("email", "sasha@example.ru"))]
    second += [card(f"c{i}", "Мария Волкова", IdentityRef("email", f"m{i}@example.ru"))
               for i in range(3, 11)]  # fmt: skip
    r2 = ingest(db, second, source="two.vcf", importer="vcard")
    n = dedupe.refresh_candidates(db, r2.touched)
    after = _open(db)
    assert n == len(after)
    ids = _ids(db)
    assert smirnova not in after  # dismissed stays dismissed (its contacts were not touched)
    assert frozenset((ids["a1"], ids["a3"])) in after  # the new contact's pairs are found
    assert ivanov in after and after[ivanov] == before[ivanov]  # untouched pairs are kept
    assert volkova not in after  # ten namesakes: the old pair is recomputed, and dropped
    assert not any(ids["c5"] in p for p in after)

    dedupe.refresh_candidates(db)  # a full refresh agrees with the incremental one
    assert _open(db) == after


def test_merged_and_forgotten_contacts_leave_the_review_list(db) -> None:
    recs = [card("1", "Ольга Волкова"), card("2", "Olga Volkova"), card("3", "Оля Волкова"),
            card("4", "Olya Volkova")]  # fmt: skip
    r = ingest(db, recs, source="f.vcf", importer="vcard")
    dedupe.refresh_candidates(db, r.touched)
    ids = _ids(db)
    assert len(_open(db)) == 6
    svc.merge_contacts(db, ids["1"], ids["2"])
    svc.forget_contact(db, ids["4"])
    left = _open(db)
    assert all(ids["2"] not in p and ids["4"] not in p for p in left)
    assert left == {frozenset((ids["1"], ids["3"])): left[frozenset((ids["1"], ids["3"]))]}
    dedupe.refresh_candidates(db, {ids["1"]})  # the kept contact changed: its pairs again
    assert set(_open(db)) == {frozenset((ids["1"], ids["3"]))}


def test_around_reports_the_namesakes_it_recomputed() -> None:
    people = [PersonKeys(i, "Олег Петров") for i in range(12)] + [PersonKeys(99, "Иван Орлов")]
    affected, cands = find_candidates_around(people, {0})
    assert affected == set(range(12))
    assert cands == []
