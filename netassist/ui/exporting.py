"""File ▸ Export…: the contacts with identities and tags as a CSV file (Qt-free; runs off-thread)."""

from __future__ import annotations

import csv
from pathlib import Path

from netassist.core.db import Database

COLUMNS = ("id", "display_name", "given_name", "family_name", "middle_name", "organization",
           "title", "birthday", "emails", "phones", "other_identities", "tags")  # fmt: skip


def export_contacts_csv(db: Database, path: Path) -> int:
    """Write every non-"me" contact; returns how many. UTF-8 with BOM so Excel reads Cyrillic."""
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, display_name, given_name, family_name, middle_name, organization, title,"
            " coalesce(birthday, '') FROM contact WHERE is_me = 0 ORDER BY display_name, id"
        ).all()
        idents: dict[int, list[tuple[str, str]]] = {}
        for cid, kind, raw, value in conn.exec_driver_sql(
            "SELECT contact_id, kind, raw, value FROM identity"
            " WHERE kind NOT IN ('name', 'me_name') ORDER BY kind, value"
        ):
            idents.setdefault(cid, []).append((kind, raw or value))
        tags: dict[int, list[str]] = {}
        for cid, name in conn.exec_driver_sql(
            "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
            " ORDER BY t.name"
        ):
            tags.setdefault(cid, []).append(name)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for r in rows:
            ids = idents.get(r[0], [])
            w.writerow([
                *r,
                "; ".join(v for k, v in ids if k == "email"),
                "; ".join(v for k, v in ids if k == "phone"),
                "; ".join(f"{k}:{v}" for k, v in ids if k not in ("email", "phone")),
                "; ".join(tags.get(r[0], [])),
            ])  # fmt: skip
    return len(rows)
