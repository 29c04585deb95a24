"""The one normalisation of text for the full-text index and for search queries.

Index side: casefold and ё→е, nothing heavier (it runs on every imported message). Query side:
each word becomes a prefix query; with ``forms`` (``netassist.core.engine.text.query_forms``) a
Russian word also matches its other inflected forms ("рыбалка" finds "на рыбалке").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_WORD = re.compile(r"\w+", re.UNICODE)


# The same normalisation in SQL, for set-wise indexing of many rows: FTS5's unicode61 tokenizer
# casefolds; replace() folds ё→е.
SQL_NORM = "replace(replace({}, 'ё', 'е'), 'Ё', 'Е')"


def normalize_for_index(text: str | None) -> str:
    if not text:
        return ""
    return text.casefold().replace("ё", "е")


def fts_query(query: str, forms: Callable[[str], Iterable[str]] | None = None) -> str | None:
    """An FTS5 MATCH expression: every word must match (as a prefix, or any of its forms)."""
    words = _WORD.findall(normalize_for_index(query))
    if not words:
        return None
    parts = []
    for w in words:
        alts = {w}
        if forms is not None:
            alts.update(normalize_for_index(f) for f in forms(w))
        terms = " OR ".join(f'"{a}"*' for a in sorted(alts) if a)
        parts.append(f"({terms})")
    return " AND ".join(parts)
