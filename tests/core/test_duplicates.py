"""Duplicate candidates: a phone book exported twice (Russian and English spellings) plus
different people who share first names; recall of true pairs and no confident false pairs."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from netassist.core.duplicates import Candidate, PersonKeys, find_candidates

# The same 30 people as saved in a Russian phone book (ids 1..30) and in an English export
# (ids 101..130): transliterations, diminutives, swapped order, patronymics on one side.
RUSSIAN = [
    "Александр Сергеевич Иванов", "Екатерина Смирнова", "Дмитрий Кузнецов", "Сергей Попов",
    "Юлия Соколова", "Михаил Лебедев", "Наталья Козлова", "Андрей Новиков", "Татьяна Морозова",
    "Алексей Петров", "Ольга Волкова", "Евгений Соловьёв", "Мария Васильева", "Николай Зайцев",
    "Елена Павлова", "Пётр Семёнов", "Анна Голубева", "Владимир Виноградов",
    "Ксения Богданова", "Фёдор Воробьёв", "Ирина Фёдорова", "Юрий Михайлов",
    "Анастасия Беляева", "Павел Тарасов", "Светлана Белова", "Константин Комаров",
    "Орлова Дарья Игоревна", "Артём Киселёв", "Виктория Макарова", "Григорий Андреев",
]  # fmt: skip
ENGLISH = [
    "Aleksandr Ivanov", "Katya Smirnova", "Dmitry Kuznetsov", "Sergey Popov", "Julia Sokolova",
    "Misha Lebedev", "Natasha Kozlova", "Novikov Andrey", "Tatiana Morozova", "Alexey Petrov",
    "Olga Volkova", "Evgeny Solovyov", "Masha Vasilyeva", "Nikolai Zaitsev", "Helen Pavlova",
    "Pyotr Semenov", "Anya Golubeva", "Vova Vinogradov", "Xenia Bogdanova", "Fedor Vorobiev",
    "Ira Fedorova", "Yuri Mikhaylov", "Nastya Belyaeva", "Paul Tarasov", "Sveta Belova",
    "Kostya Komarov", "Darya Orlova", "Artem Kiselev", "Vika Makarova",
    "Grigory Ivanovich Andreyev",
]  # fmt: skip
# Different people who share first names (and a spouse and a sister of people above).
OTHERS = [
    "Александр Кузьмин", "Alexander Frolov", "Екатерина Жукова", "Kate Nikitina",
    "Дмитрий Сорокин", "Sergey Zakharov", "Юлия Егорова", "Mikhail Chernov",
    "Наталья Яковлева", "Андрей Ершов", "Tatiana Gromova", "Алексей Медведев", "Olga Titova",
    "Евгений Куликов", "Maria Stepanova", "Николай Быков", "Elena Gusenko", "Пётр Орехов",
    "Anna Baranova", "Владимир Ефимов", "Ксения Лазарева", "Fyodor Shubin", "Ирина Крылова",
    "Yuri Gavrilov", "Анастасия Мельник", "Pavel Polyakov", "Светлана Шевченко",
    "Konstantin Nosov", "Александра Иванова", "Мария Смирнова",
]  # fmt: skip


def _book() -> tuple[list[PersonKeys], set[frozenset[int]]]:
    people = [PersonKeys(i + 1, n) for i, n in enumerate(RUSSIAN)]
    people += [PersonKeys(i + 101, n) for i, n in enumerate(ENGLISH)]
    people += [PersonKeys(i + 201, n) for i, n in enumerate(OTHERS)]
    truth = {frozenset((i + 1, i + 101)) for i in range(len(RUSSIAN))}
    return people, truth


def _pairs(cands: list[Candidate]) -> dict[frozenset[int], Candidate]:
    return {frozenset((c.a_id, c.b_id)): c for c in cands}


def test_phone_book_exported_twice() -> None:
    people, truth = _book()
    found = _pairs(find_candidates(people))
    recall = len(truth & found.keys()) / len(truth)
    false = {p: c for p, c in found.items() if p not in truth}
    assert recall >= 0.9, sorted(truth - found.keys(), key=sorted)
    assert not [c for c in false.values() if c.confidence > 0.8], false
    # Different people with the same common first name are not candidates at all.
    assert not [p for p in false if max(p) > 200], false


def test_wife_and_sister_are_not_proposed() -> None:
    people, _ = _book()
    found = _pairs(find_candidates(people))
    for other in (229, 230):  # Александра Иванова, Мария Смирнова
        assert not [p for p in found if other in p], [found[p] for p in found if other in p]


def test_reasons_are_for_a_person() -> None:
    people, _ = _book()
    found = _pairs(find_candidates(people))
    assert any("transliteration" in r for r in found[frozenset((1, 101))].reasons)
    assert any("one has a patronymic" in r for r in found[frozenset((1, 101))].reasons)
    assert "Katya is a diminutive of Екатерина" in found[frozenset((2, 102))].reasons
    assert any("other order" in r for r in found[frozenset((8, 108))].reasons)
    for c in found.values():
        assert c.a_id < c.b_id and 0 < c.confidence <= 1 and c.reasons


def test_confidence_calibration() -> None:
    same_name = PersonKeys(1, "Александр Сергеевич Иванов")
    translit = PersonKeys(2, "Aleksandr Sergeevich Ivanov")
    plain = PersonKeys(3, "Aleksandr Ivanov")
    diminutive = PersonKeys(4, "Саша Иванов")
    found = _pairs(find_candidates([same_name, translit, plain, diminutive]))
    assert found[frozenset((1, 2))].confidence >= 0.8  # same name + same patronymic
    assert 0.5 <= found[frozenset((1, 3))].confidence <= 0.7  # name only
    assert 0.5 <= found[frozenset((1, 4))].confidence < found[frozenset((1, 3))].confidence


def test_email_and_organization_evidence() -> None:
    a = PersonKeys(1, "Alex Ivanov", emails=("alex.ivanov@gmail.com",))
    b = PersonKeys(2, "Александр Иванов", emails=("alexivanov+work@gmail.com",))
    c = PersonKeys(3, "Екатерина Смирнова", organization="ООО «Ромашка»")
    d = PersonKeys(4, "Ekaterina Smirnova", organization="Ромашка")
    found = _pairs(find_candidates([a, b, c, d]))
    ab = found[frozenset((1, 2))]
    assert ab.confidence >= 0.8
    assert any("except dots/+tag" in r for r in ab.reasons)
    cd = found[frozenset((3, 4))]
    assert cd.confidence >= 0.8
    assert any("same organization" in r for r in cd.reasons)


def test_weak_email_alone_is_a_candidate_even_with_other_names() -> None:
    a = PersonKeys(1, "Work account", emails=("i.petrov@gmail.com",))
    b = PersonKeys(2, "Иван Петров", emails=("ipetrov+shop@gmail.com",))
    (cand,) = find_candidates([a, b])
    assert cand.confidence < 0.8  # evidence, but the names do not back it up


def test_common_given_name_only_is_weak() -> None:
    alex = PersonKeys(1, "Alex")
    petrov = PersonKeys(2, "Alexander Petrov")
    found = find_candidates([alex, petrov])
    assert len(found) == 1 and found[0].confidence < 0.5
    # With a second Alexander in the book, a bare "Alex" is no longer proposed.
    assert find_candidates([alex, petrov, PersonKeys(3, "Александр Кузьмин")]) == []


def test_swapped_given_and_family_with_unknown_names() -> None:
    a = PersonKeys(1, given="Zhanybek", family="Tursunbaev")
    b = PersonKeys(2, given="Tursunbaev", family="Zhanybek")
    (cand,) = find_candidates([a, b])
    assert "swapped" in cand.reasons[0]
    assert 0.5 <= cand.confidence <= 0.7


def test_family_typo() -> None:
    a = PersonKeys(1, "Дмитрий Кузнецов")
    b = PersonKeys(2, "Dmitry Kuznecov")
    (cand,) = find_candidates([a, b])
    assert 0.45 <= cand.confidence <= 0.6
    assert any("typo" in r for r in cand.reasons)


def test_father_and_son_and_spouses_are_not_proposed() -> None:
    father = PersonKeys(1, "Иван Иванович Петров")
    son = PersonKeys(2, "Иван Сергеевич Петров")
    husband = PersonKeys(3, "Евгений Смирнов")
    wife = PersonKeys(4, "Женя Смирнова")
    assert find_candidates([father, son, husband, wife]) == []


def test_birthday_evidence_both_ways() -> None:
    a = PersonKeys(1, "Ольга Волкова", birthday="1990-05-17")
    b = PersonKeys(2, "Olga Volkova", birthday="--05-17")
    c = PersonKeys(3, "Olya Volkova", birthday="1985-01-02")
    found = _pairs(find_candidates([a, b, c]))
    assert found[frozenset((1, 2))].confidence >= 0.8
    assert frozenset((1, 3)) not in found


def test_dismissed_pairs_never_return() -> None:
    people, truth = _book()
    dismissed = {frozenset((1, 101)), frozenset((2, 102))}
    found = _pairs(find_candidates(people, dismissed=dismissed))
    assert not dismissed & found.keys()
    assert frozenset((3, 103)) in found


def test_structured_fields_and_phones() -> None:
    a = PersonKeys(
        1, given="Мария", family="Васильева", middle="Петровна", phones=("+79161234567",)
    )
    b = PersonKeys(2, display_name="Служба", phones=("+79161234567",))
    c = PersonKeys(3, given="Masha", family="Vasilyeva")
    found = _pairs(find_candidates([a, b, c]))
    assert any("same phone +7 916 123-45-67" in r for r in found[frozenset((1, 2))].reasons)
    assert frozenset((1, 3)) in found


_NAME_PARTS = st.sampled_from(
    ["Саша", "Александр", "Alex", "Иванов", "Иванова", "Ivanov", "Сергеевич", "Petrova", "Женя",
     "Kate", "Смирнова", "", "А.", "Ivanovich"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(_NAME_PARTS, max_size=3), st.text(max_size=12), st.booleans()),
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_candidates_do_not_depend_on_input_order(rows: list, rnd: random.Random) -> None:
    people = [
        PersonKeys(i, " ".join(parts) + " " + junk, emails=("a.b@gmail.com",) if mail else ())
        for i, (parts, junk, mail) in enumerate(rows)
    ]
    first = {(c.a_id, c.b_id): c.confidence for c in find_candidates(people)}
    rnd.shuffle(people)
    second = {(c.a_id, c.b_id): c.confidence for c in find_candidates(people)}
    assert first == second
    assert all(0 < v <= 1 for v in first.values())


def _synthetic_book(n: int, seed: int = 7) -> list[PersonKeys]:
    rnd = random.Random(seed)
    given = [n.split()[0] for n in RUSSIAN + ENGLISH + OTHERS]
    family = [n.split()[-1] for n in RUSSIAN + ENGLISH + OTHERS]
    suffixes = ["", "ин", "ов", "ский", "енко", "ук"]
    people = []
    for i in range(n):
        fam = rnd.choice(family) + rnd.choice(suffixes) + str(rnd.randrange(200))
        fam = "".join(c for c in fam if not c.isdigit()) + "абвгдежзик"[rnd.randrange(10)] * (i % 7)
        mail = (f"user{i}@gmail.com",) if i % 3 else ()
        people.append(PersonKeys(i, f"{rnd.choice(given)} {fam}", emails=mail))
    return people


_ROOTS = [
    "бел",
    "вол",
    "гор",
    "дуб",
    "ель",
    "жук",
    "зим",
    "кот",
    "лис",
    "мор",
    "нос",
    "орл",
    "пет",
    "рыб",
    "сок",
    "тих",
    "уль",
    "фед",
    "хол",
    "цвет",
    "чер",
    "шум",
    "щег",
    "юр",
    "ябл",
    "бор",
    "вер",
    "гал",
    "дар",
    "жар",
    "зор",
    "кал",
    "лен",
    "мал",
    "нар",
    "пав",
    "рад",
    "сем",
    "тар",
    "устин",
    "фрол",
    "хар",
    "чех",
    "шар",
]
_ENDINGS = ["ов", "ев", "ин", "ский", "енко", "ук", "ович", "ан"]


def _realistic_book(
    n: int, dup_rate: float = 0.05, seed: int = 11
) -> tuple[list[PersonKeys], set[frozenset[int]]]:
    """n contacts with varied family names; ``dup_rate`` of them saved again in Latin."""
    from netassist.core.names import _index, translit_ru_en

    rnd = random.Random(seed)
    canon = sorted(_index().gender)
    people: list[PersonKeys] = []
    truth: set[frozenset[int]] = set()
    for i in range(n):
        fam = rnd.choice(_ROOTS) + rnd.choice(_ROOTS) + rnd.choice(_ENDINGS)
        name = f"{rnd.choice(canon).capitalize()} {fam.capitalize()}"
        people.append(PersonKeys(i, name))
    for j in range(int(n * dup_rate)):
        src = people[rnd.randrange(n)]
        scheme = rnd.choice(["icao", "bgn", "gost"])
        people.append(PersonKeys(n + j, translit_ru_en(src.display_name, scheme)))  # type: ignore[arg-type]
        truth.add(frozenset((src.id, n + j)))
    return people, truth


def test_synthetic_book_is_handled() -> None:
    # Correctness on a bigger book; speed is measured by running this module (see below).
    people, truth = _realistic_book(2000)
    found = _pairs(find_candidates(people))
    assert len(truth & found.keys()) / len(truth) >= 0.9
    assert all(c.a_id < c.b_id for c in found.values())
    heavy = _synthetic_book(2000)
    assert all(c.a_id < c.b_id for c in find_candidates(heavy))


if __name__ == "__main__":  # bench-style timing: python -m tests.core.test_duplicates
    for size in (1_000, 10_000, 50_000):
        book, truth = _realistic_book(size)
        t0 = time.perf_counter()
        found = _pairs(find_candidates(book))
        took = time.perf_counter() - t0
        recall = len(truth & found.keys()) / len(truth)
        print(
            f"realistic {len(book):>6} contacts: {took:.2f} s, {len(found)} candidates, "
            f"recall of {len(truth)} planted duplicates {recall:.3f}"
        )
        heavy = _synthetic_book(size)
        t0 = time.perf_counter()
        result = find_candidates(heavy)
        took = time.perf_counter() - t0
        print(f"name-collision-heavy {size:>6} contacts: {took:.2f} s, {len(result)} candidates")
