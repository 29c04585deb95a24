"""Russian/English names: transliteration, phonetic keys, diminutives, patronymic parsing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netassist.core.names import (
    ParsedName,
    diminutive_group,
    diminutive_groups,
    family_gender,
    family_key,
    given_gender,
    is_full_form,
    name_key,
    parse_person_name,
    translit_ru_en,
)


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("icao", "Aleksandr Iuliia Shchukina Fedor Tsoi"),
        ("bgn", "Aleksandr Yuliya Shchukina Fyodor Tsoy"),
        ("gost", "Aleksandr Yuliya Shhukina Fyodor Czoj"),
    ],
)
def test_translit_schemes(scheme: str, expected: str) -> None:
    assert translit_ru_en("Александр Юлия Щукина Фёдор Цой", scheme) == expected  # type: ignore[arg-type]


def test_translit_keeps_case_and_other_text() -> None:
    assert translit_ru_en("ЕЛЕНА, Ivan!") == "ELENA, Ivan!"
    assert translit_ru_en("Елена", "bgn") == "Yelena"
    assert translit_ru_en("Сергеевич", "bgn") == "Sergeyevich"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Александр", "Aleksandr", "Alexander", "Aleksander", "ALEXANDER"],
        ["Юлия", "Iuliia", "Yulia", "Yuliya", "Julia"],
        ["Дмитрий", "Dmitriy", "Dmitry", "Dmitrii"],
        ["Пётр", "Петр", "Pyotr", "Petr", "Peter"],
        ["Фёдор", "Fyodor", "Fedor"],
        ["Евгений", "Yevgeny", "Evgeniy", "Evgenii"],
        ["Елена", "Yelena", "Elena"],
        ["Наталья", "Natalya", "Natalia", "Natal'ya"],
        ["Татьяна", "Tatjana", "Tatyana", "Tatiana"],
        ["Ксения", "Xenia", "Ksenia", "Kseniya"],
        ["Сергей", "Sergey", "Sergei"],
        ["Михаил", "Mikhail", "Mihail"],
        ["Соловьёв", "Solovyov", "Solovyev", "Soloviev"],
        ["Кузнецов", "Kuznetsov"],
        ["Иванов", "Ivanov", "Ivanoff", "Iwanow"],
        ["Щукин", "Shchukin", "Shhukin", "Schukin"],
        ["Андреев", "Andreyev", "Andreev"],
    ],
)
def test_spellings_share_one_key(spellings: list[str]) -> None:
    assert len({name_key(s) for s in spellings}) == 1, {s: name_key(s) for s in spellings}


def test_key_is_casefolded_yo_folded_and_keeps_words() -> None:
    assert name_key("Алёна") == name_key("АЛЕНА")
    assert name_key("Анна-Мария  Петрова") == "ana maria petrova"
    assert name_key("Ильич") == name_key("Il'ich")  # soft sign ignored
    assert name_key("123 !!") == ""


def test_different_names_keep_different_keys() -> None:
    keys = [name_key(n) for n in ["Иван", "Ян", "Анна", "Алла", "Мария", "Марина", "Олег"]]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("name", ["Ivanov", "Иванов", "Иванова", "IVANOVA", "Ivanoff"])
def test_family_key_folds_feminine_form(name: str) -> None:
    assert family_key(name) == "ivanov"


def test_family_key_adjectival_and_gender() -> None:
    assert family_key("Ковальская") == family_key("Kovalsky") == family_key("Ковальский")
    assert family_key("Толстая") == family_key("Tolstoy")
    assert family_gender("Иванова") == "f"
    assert family_gender("Ivanov") == "m"
    assert family_gender("Kovalskaya") == "f"
    assert family_gender("Шевченко") is None


@pytest.mark.parametrize(
    "form",
    ["Саша", "Шура", "Саня", "Санёк", "Alex", "Sasha", "Alexander", "Александр", "Aleksandr"],
)
def test_diminutives_of_aleksandr(form: str) -> None:
    assert diminutive_group(form) == "александр"
    assert "александр" in diminutive_groups(form)


def test_ambiguous_diminutives_return_every_reading() -> None:
    assert diminutive_groups("Саша") == {"александр", "александра"}
    assert diminutive_groups("Александра") == {"александра"}
    assert diminutive_groups("Женя") == {"евгений", "евгения"}
    assert {"вячеслав", "владислав", "станислав"} <= diminutive_groups("Слава")
    assert given_gender("Саша") is None
    assert given_gender("Катя") == "f"
    assert given_gender("Misha") == "m"


@pytest.mark.parametrize(
    ("form", "canonical"),
    [
        ("Катя", "екатерина"),
        ("Kate", "екатерина"),
        ("Katya", "екатерина"),
        ("Миша", "михаил"),
        ("Michael", "михаил"),
        ("Mike", "михаил"),
        ("Natasha", "наталья"),
        ("Dima", "дмитрий"),
        ("Вова", "владимир"),
        ("Ksusha", "ксения"),
        ("Nastya", "анастасия"),
        ("Pasha", "павел"),
        ("Seryozha", "сергей"),
        ("Серёжа", "сергей"),
    ],
)
def test_common_diminutives(form: str, canonical: str) -> None:
    assert canonical in diminutive_groups(form)


def test_unknown_and_full_forms() -> None:
    assert diminutive_group("Qwertyuiop") is None
    assert diminutive_group("") is None
    assert is_full_form("Aleksandr", "александр")
    assert not is_full_form("Саша", "александр")


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        (
            "Александр Сергеевич Иванов",
            ParsedName("Александр", "Иванов", "Сергеевич", "given patronymic family"),
        ),
        (
            "Иванов Александр Сергеевич",
            ParsedName("Александр", "Иванов", "Сергеевич", "family given patronymic"),
        ),
        ("Иванов Александр", ParsedName("Александр", "Иванов", "", "family given")),
        ("Aleksandr Ivanov", ParsedName("Aleksandr", "Ivanov", "", "given family")),
        ("Ivanov Alexander", ParsedName("Alexander", "Ivanov", "", "family given")),
        ("Ivanov, Alexander", ParsedName("Alexander", "Ivanov", "", "family given")),
        ("Иван Петрович", ParsedName("Иван", "", "Петрович", "given patronymic")),
        ("Мария Ивановна", ParsedName("Мария", "", "Ивановна", "given patronymic")),
        (
            "Ivanova Ekaterina Sergeevna",
            ParsedName("Ekaterina", "Ivanova", "Sergeevna", "family given patronymic"),
        ),
        (
            "Alexander Sergeevich Ivanov",
            ParsedName("Alexander", "Ivanov", "Sergeevich", "given patronymic family"),
        ),
        ("Smirnova Katya", ParsedName("Katya", "Smirnova", "", "family given")),
        ("Mukhametshin Tagir", ParsedName("Tagir", "Mukhametshin", "", "family given")),
        ("Саша", ParsedName("Саша", "", "", "given")),
        ("Петров", ParsedName("", "Петров", "", "family")),
        ("Саша (работа) 🙂", ParsedName("Саша", "", "", "given")),
        ("", ParsedName("", "", "", "")),
    ],
)
def test_parse_person_name(full: str, expected: ParsedName) -> None:
    assert parse_person_name(full) == expected


def test_patronymic_like_family_name_is_not_a_patronymic_in_last_place_of_two() -> None:
    # "Роман Абрамович": two words, second patronymic-shaped → read as given + patronymic,
    # which is how Russian address books use two-word names; documented ambiguity.
    assert parse_person_name("Роман Абрамович").patronymic == "Абрамович"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parsing_and_keys_never_crash(text: str) -> None:
    parsed = parse_person_name(text)
    assert isinstance(parsed.given, str)
    assert name_key(text) == name_key(text).strip()
    diminutive_groups(text)


def test_every_full_name_stands_only_for_itself() -> None:
    # A nickname may be shared (Саша); a full name must never read as another full name.
    from netassist.core.names import _index

    for canonical in _index().gender:
        assert diminutive_groups(canonical) == {canonical}, canonical
    assert len(_index().gender) >= 150
