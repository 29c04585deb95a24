"""Russian plural forms: 1 контакт, 2 контакта, 5 контактов (also 11–14 → many, 21 → one)."""

from __future__ import annotations


def plural_ru(n: int, forms: tuple[str, str, str]) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]
