"""Address-book CSV exports → ImportedContact records.

Google Contacts (old "Name,Given Name,...,E-mail 1 - Value" and 2020+ "First Name,...,
E-mail 1 - Label" headers, " ::: " multi-values, "* myContacts ::: Friends" groups), Outlook
(English, Russian, German, French and Japanese headers, often Windows-1251/1252),
Thunderbird, Windows Live, LinkedIn Connections.csv (with or without its leading "Notes:"
block) and any CSV through
``ImportOptions.column_map``. Delimiter (``,`` ``;`` tab), BOM and encoding are detected.
Address books are small, so the file is decoded whole; rows still stream out one by one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from netassist.core.progress import Progress, check_cancelled
from netassist.importers.base import FormatError, Importer, ensure_progress
from netassist.importers.contact_values import (
    BadDate,
    DistinctKeys,
    clean_email,
    compose_name,
    content_key,
    date_part,
    handle_from_url,
    impp_identity,
    parse_date,
)
from netassist.importers.csv_headers import (
    GOOGLE_NEW,
    GOOGLE_OLD,
    LINKEDIN,
    LOG_WORDS,
    OUTLOOK_EN,
    Col,
    address_order,
    column_spec,
    normalise_header,
)
from netassist.importers.records import (
    IdentityRef,
    ImportedContact,
    ImportOptions,
    ImportProblem,
    Record,
)
from netassist.importers.textdecode import decode_text

MULTI_SEP = " ::: "
_DATE_FIELDS = ("birthday", "anniversary", "connected_on")
_NAME_FIELDS = ("full_name", "given_name", "family_name", "middle_name", "prefix", "suffix")
GENERIC_FIELDS = frozenset({
    "full_name", "given_name", "family_name", "middle_name", "email", "phone", "organization",
    "title", "birthday", "note", "tags", "telegram",
})  # fmt: skip
_HANDLE_KINDS = frozenset(
    {
        "telegram",
        "whatsapp",
        "skype",
        "vk",
        "signal",
        "instagram",
        "twitter",
        "facebook",
        "linkedin",
    }
)


_GOOGLE_PERSONAL_GROUPS = frozenset({"friends", "family", "coworkers"})


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _header_at(lines: list[str]) -> int:
    """Index of the header line: LinkedIn puts a "Notes:" paragraph before it."""
    if not lines or not lines[0].strip().lower().startswith("notes:"):
        return 0
    best, best_known = 0, -1
    for i, line in enumerate(lines[:40]):
        cells = next(csv.reader([line], delimiter=_delimiter(line)), [])
        known = sum(1 for c in cells if column_spec(c) is not None)
        if known > best_known:
            best, best_known = i, known
    return best


# Columns that name or reach a person: a header with none of them (an Outlook calendar export
# shares only "Categories" with a contact list) is not an address book.
_PERSON_FIELDS = frozenset(
    {"full_name", "given_name", "family_name", "nickname", "organization", "email", "phone"}
    | {"email#", "phone#", "im"}
    | _HANDLE_KINDS
)


def _names_someone(cols: list[Col | None]) -> bool:
    return any(c is not None and c.field in _PERSON_FIELDS for c in cols)


def _score_header(cells: list[str]) -> int:
    names = {normalise_header(c) for c in cells}
    cols = [column_spec(c) for c in cells]
    known = sum(1 for c in cols if c is not None)
    if not _names_someone(cols) or (len(names & LOG_WORDS) >= 2 and known < 3):
        return 0
    if any(n in names for n in GOOGLE_NEW + GOOGLE_OLD + LINKEDIN + OUTLOOK_EN):
        return 90
    if known >= 3:
        return 80
    return 40 if known >= 1 else 0


class CsvContactsImporter(Importer):
    name = "csv-contacts"
    label = "Contacts CSV (Google, Outlook, Thunderbird, LinkedIn)"
    patterns = ("*.csv", "Connections.csv", "contacts.csv")

    def sniff(self, path: Path, head: bytes) -> int:
        text = decode_text(head)
        lines = text.splitlines()[:60]
        if not lines:
            return 0
        i = _header_at(lines)
        header = lines[i]
        cells = next(csv.reader([header], delimiter=_delimiter(header)), [])
        return _score_header(cells)

    def parse(
        self,
        path: Path,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        prog = ensure_progress(progress)
        opts = options or ImportOptions()
        text = decode_text(path.read_bytes()).replace("\x00", "")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.splitlines(keepends=True)
        start = _header_at([ln.rstrip("\r\n") for ln in lines[:40]])
        body = "".join(lines[start:])
        if not body.strip():
            raise FormatError(f"{path.name}: empty CSV")
        header_line = lines[start].rstrip("\r\n")
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=_delimiter(header_line))
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as exc:
            raise FormatError(f"{path.name}: no CSV header") from exc
        cols = _columns(header, opts.column_map)
        if not (_names_someone(cols) if not opts.column_map else any(cols)):
            raise FormatError(f"{path.name}: no contact columns recognised in the header")
        names = {normalise_header(h) for h in header}
        rows = _read_rows(reader, start)
        us = bool(names & set(OUTLOOK_EN + LINKEDIN))  # US exports write month first
        day_first = _day_first(rows, cols, us_default=us)
        total = max(len(rows), 1)
        distinct = DistinctKeys()
        for n, (line, row) in enumerate(rows):
            if isinstance(row, str):
                yield ImportProblem(f"{path.name}:{line}", row)
                continue
            for rec in _row_records(row, cols, f"{path.name}:{line}", day_first):
                yield distinct(rec) if isinstance(rec, ImportedContact) else rec
            if n % 2000 == 0:
                check_cancelled(prog)
                prog.set_progress(n / total, path.name)
        prog.set_progress(1.0, path.name)


def _columns(header: list[str], column_map: dict[str, str]) -> list[Col | None]:
    if column_map:
        by_name = {normalise_header(k): v for k, v in column_map.items()}
        out: list[Col | None] = []
        for h in header:
            target = by_name.get(normalise_header(h))
            out.append(Col(target) if target in GENERIC_FIELDS else None)
        return out
    cols = [column_spec(h) for h in header]
    given = next((i for i, c in enumerate(cols) if c is not None and c.field == "given_name"), -1)
    for i, h in enumerate(header[:given]):
        if normalise_header(h) == "titre":
            # French Outlook: the "Titre" before "Prénom" is the courtesy title (M., Mme)
            cols[i] = Col("prefix")
    fields = {c.field for c in cols if c is not None}
    if "birth_year" in fields or "birth_month" in fields:
        # Russian Thunderbird: "День рождения" next to "Год/Месяц рождения" is the day number.
        cols = [
            Col("birth_day")
            if c is not None and c.field == "birthday" and normalise_header(h) == "день рождения"
            else c
            for c, h in zip(cols, header, strict=True)
        ]
    return cols


class _Reader(Protocol):
    line_num: int

    def __next__(self) -> list[str]: ...


def _read_rows(reader: _Reader, start: int) -> list[tuple[int, list[str] | str]]:
    """(file line, cells or an error message) per record; blank rows dropped. ``start`` is
    the number of preamble lines before the header (LinkedIn's notes)."""
    rows: list[tuple[int, list[str] | str]] = []
    prev_end = 1  # the header line
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the reader resumes on the next line
            rows.append((start + prev_end + 1, f"row is not valid CSV ({exc})"))
            prev_end = reader.line_num
            continue
        line = start + prev_end + 1
        prev_end = reader.line_num
        if any(cell.strip() for cell in row):
            rows.append((line, row))
    return rows


def _day_first(
    rows: list[tuple[int, list[str] | str]], cols: list[Col | None], us_default: bool
) -> bool:
    """Whether "04/05/1980" is day first in this file: decided by any unambiguous value."""
    idx = [i for i, c in enumerate(cols) if c is not None and c.field in _DATE_FIELDS]
    for _, row in rows:
        if isinstance(row, str):
            continue
        for i in idx:
            v = date_part(row[i]) if i < len(row) else ""
            parts = v.replace(".", "/").replace("-", "/").split("/")
            if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) <= 2:
                a, b = int(parts[0]), int(parts[1])
                if a > 12 >= b:
                    return True
                if b > 12 >= a:
                    return False
    return not us_default


def _split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(MULTI_SEP) if v.strip()] if value else []


def _label(raw: str) -> tuple[str | None, bool]:
    """Google labels: "* Home" marks the primary value; "Mobile" → "cell"."""
    lab = raw.strip()
    pref = lab.startswith("*")
    lab = lab.lstrip("* ").strip().lower()
    lab = {"mobile": "cell", "business": "work"}.get(lab, lab)
    return (lab or None), pref


def _row_records(
    row: list[str], cols: list[Col | None], where: str, day_first: bool
) -> Iterator[Record]:
    f: dict[str, str] = {}
    ids: list[IdentityRef] = []
    urls: list[str] = []
    tags: list[str] = []
    addresses: dict[str, dict[str, str]] = {}
    numbered: dict[tuple[str, int], dict[str, str]] = {}
    for i, col in enumerate(cols):
        if col is None or i >= len(row):
            continue
        value = row[i].strip()
        if not value:
            continue
        fld = col.field
        if fld.endswith("#"):
            numbered.setdefault((fld[:-1], col.index or 0), {})[col.part] = value
        elif fld == "address_part":
            addresses.setdefault(col.label or "", {})[col.part] = value
        elif fld == "email":
            # "@"-less values are no address (LinkedIn writes "urn:li:member:…" for hidden ones)
            emails = (clean_email(v) for v in _split_multi(value))
            ids.extend(IdentityRef("email", v, col.label) for v in emails if "@" in v)
        elif fld == "phone":
            ids.extend(IdentityRef("phone", v, col.label) for v in _split_multi(value))
        elif fld == "url":
            for v in _split_multi(value):
                _add_url(v, urls, ids)
        elif fld in _HANDLE_KINDS:
            if "/" in value and (found := handle_from_url(value)):
                ids.append(IdentityRef(found[0], found[1]))
            else:
                ids.append(IdentityRef(fld, value.lstrip("@")))
        elif fld == "im":
            found = impp_identity(value, col.label)
            if found:
                ids.append(IdentityRef(found[0], found[1]))
        elif fld == "tags":
            for t in _split_multi(
                value.replace(";", MULTI_SEP) if MULTI_SEP not in value else value
            ):
                if not t.startswith("*"):
                    tags.append(t)
                elif (group := t.lstrip("* ").lower()) in _GOOGLE_PERSONAL_GROUPS:
                    tags.append(group.capitalize())  # "* friends": a label the user picked
                # other Google system groups ("* myContacts", "* starred") say nothing
        elif fld == "note":
            f["note"] = f"{f['note']}\n{value}" if "note" in f else value
        else:
            f.setdefault(fld, value)
    problems: list[str] = []
    _numbered(numbered, f, ids, urls, addresses)
    birthday = _date(f.get("birthday"), day_first, problems, "Birthday")
    if birthday is None and "birth_month" in f and "birth_day" in f:
        birthday = _split_birthday(f, problems)
    anniversary = _date(f.get("anniversary"), day_first, problems, "Anniversary")
    connected = None
    if "connected_on" in f:
        when = _date(f["connected_on"], day_first, problems, "Connected On")
        if when and not when.startswith("--"):
            connected = datetime.fromisoformat(when).replace(tzinfo=UTC)
    addr_list = []
    for parts in addresses.values():
        ordered = [parts[k] for k in sorted(parts, key=address_order)]
        joined = ", ".join(" ".join(p.split()) for p in ordered if p)
        if joined:
            addr_list.append(joined)
    one_line = {k: " ".join(f.get(k, "").split()) for k in _NAME_FIELDS}
    given, family, middle = one_line["given_name"], one_line["family_name"], one_line["middle_name"]
    prefix, suffix = one_line["prefix"], one_line["suffix"]
    full = one_line["full_name"] or compose_name(prefix, given, middle, family, suffix)
    full = full or f.get("nickname", "") or f.get("organization", "")
    ids = [i for i in dict.fromkeys(ids) if i.value]
    if not full:
        first = next((i for i in ids if i.kind in ("email", "phone")), None)
        full = first.value if first else ""
    for reason in problems:
        yield ImportProblem(where, reason)
    if not full and not ids:
        yield ImportProblem(where, "row has no name, e-mail or phone")
        return
    yield ImportedContact(
        source_key=content_key("csv", full, tuple(ids)),
        where=where,
        full_name=full,
        given_name=given,
        family_name=family,
        middle_name=middle,
        prefix=prefix,
        suffix=suffix,
        nickname=f.get("nickname", ""),
        organization=f.get("organization", ""),
        title=f.get("title", ""),
        birthday=birthday,
        anniversary=anniversary,
        note=f.get("note", ""),
        identities=tuple(ids),
        addresses=tuple(dict.fromkeys(addr_list)),
        urls=tuple(dict.fromkeys(urls)),
        tags=tuple(dict.fromkeys(tags)),
        connected_on=connected,
    )


def _split_birthday(f: dict[str, str], problems: list[str]) -> str | None:
    """Thunderbird's Birth Year / Birth Month / Birth Day columns."""
    y, m, d = f.get("birth_year", ""), f["birth_month"], f["birth_day"]
    if not (m.isdigit() and d.isdigit() and (not y or y.isdigit())):
        problems.append(f"Birthday '{y}-{m}-{d}' is not a date; imported without it")
        return None
    raw = (f"{int(y):04d}-" if y else "--") + f"{int(m):02d}-{int(d):02d}"
    return _date(raw, True, problems, "Birthday")


def _add_url(value: str, urls: list[str], ids: list[IdentityRef]) -> None:
    urls.append(value)
    found = handle_from_url(value)
    if found:
        ids.append(IdentityRef(found[0], found[1]))


def _numbered(
    numbered: dict[tuple[str, int], dict[str, str]],
    f: dict[str, str],
    ids: list[IdentityRef],
    urls: list[str],
    addresses: dict[str, dict[str, str]],
) -> None:
    """Google's "E-mail 1 - Label / E-mail 1 - Value" style groups."""
    for (kind, idx), parts in sorted(numbered.items()):
        label, pref = _label(parts.get("label", ""))
        value = parts.get("value", "")
        if kind in ("email", "phone"):
            for n, v in enumerate(_split_multi(value)):
                v = clean_email(v) if kind == "email" else v
                ids.append(IdentityRef(kind, v, label, pref and n == 0))
        elif kind == "website":
            for v in _split_multi(value):
                _add_url(v, urls, ids)
        elif kind == "im":
            service = parts.get("service") or parts.get("label")
            for v in _split_multi(value):
                found = impp_identity(v, service)
                if found:
                    ids.append(IdentityRef(found[0], found[1], None, pref))
        elif kind == "address":
            if parts.get("formatted"):
                lines = (" ".join(x.split()) for x in parts["formatted"].split("\n"))
                addresses[f"#{idx}"] = {"address": ", ".join(x for x in lines if x)}
            else:
                addresses[f"#{idx}"] = {
                    k.replace("extended address", "address 2"): v
                    for k, v in parts.items()
                    if k not in ("label", "formatted")
                }
        elif kind == "organization":
            if parts.get("name") and "organization" not in f:
                f["organization"] = parts["name"]
            if parts.get("title") and "title" not in f:
                f["title"] = parts["title"]
        elif kind == "event" and "anniversary" in (parts.get("label") or "").lower():
            f.setdefault("anniversary", value)


def _date(raw: str | None, day_first: bool, problems: list[str], what: str) -> str | None:
    if not raw:
        return None
    try:
        return parse_date(raw, day_first=day_first)
    except BadDate:
        problems.append(f"{what} '{raw[:40]}' is not a date; imported without it")
        return None
