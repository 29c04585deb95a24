"""The review list of duplicate candidates: computed by ``core.duplicates`` (never merges),
stored with a confidence and a reason, merged or dismissed by the person (dismissals are kept,
so the same pair never comes back)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from netassist.core.contacts import transaction
from netassist.core.db import Database
from netassist.core.timeutil import now_ts


def _people(conn: Any) -> list[Any]:
    from netassist.core.duplicates import PersonKeys

    emails: dict[int, list[str]] = {}
    phones: dict[int, list[str]] = {}
    # "+kind": a table scan; through the (kind, value) index every row was a random lookup of
    # its table page (ten times slower for a big book, each page decrypted)
    for cid, kind, value in conn.execute(
        "SELECT contact_id, kind, value FROM identity WHERE +kind IN ('email', 'phone')"
    ):
        (emails if kind == "email" else phones).setdefault(cid, []).append(value)
    out = []
    for cid, name, given, family, middle, org, bday in conn.execute(
        "SELECT id, display_name, given_name, family_name, middle_name, organization, birthday"
        " FROM contact WHERE is_me = 0"
    ):
        out.append(PersonKeys(id=cid, display_name=name, given=given, family=family,
                              middle=middle, emails=emails.get(cid, []),
                              phones=phones.get(cid, []), organization=org,
                              birthday=bday))  # fmt: skip
    return out


def refresh_candidates(db: Database, touched: Iterable[int] | None = None) -> int:
    """Recompute the open candidates; returns how many open candidates there are.

    With ``touched`` (the contacts an import added or changed) only the pairs of those and of
    their namesakes are recomputed; the other stored open pairs stay as they are. Dismissed
    pairs never come back; pairs of merged or forgotten contacts went with them (the rows
    cascade)."""
    from netassist.core.duplicates import find_candidates, find_candidates_around

    with transaction(db) as conn:
        people = _people(conn)
        dismissed = {
            frozenset((a, b))
            for a, b in conn.execute(
                "SELECT contact_a, contact_b FROM duplicate_candidate WHERE status != 'open'"
            )
        }
        affected: set[int] | None = None
        if touched is not None:
            affected, cands = find_candidates_around(people, touched, dismissed=dismissed)
            if len(affected) == len(people):
                affected = None  # everyone: as a full refresh
        else:
            cands = find_candidates(people, dismissed=dismissed)
        if affected is None:
            conn.execute("DELETE FROM duplicate_candidate WHERE status = 'open'")
        else:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS _dup_ids(id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM _dup_ids")
            conn.executemany("INSERT INTO _dup_ids VALUES (?)", [(i,) for i in affected])
            conn.execute(
                "DELETE FROM duplicate_candidate WHERE status = 'open' AND"
                " (contact_a IN (SELECT id FROM _dup_ids) OR contact_b IN (SELECT id FROM _dup_ids))"
            )
            conn.execute("DELETE FROM _dup_ids")
        now = now_ts()
        conn.executemany(
            "INSERT OR IGNORE INTO duplicate_candidate (contact_a, contact_b, confidence, reason,"
            " status, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
            [(min(c.a_id, c.b_id), max(c.a_id, c.b_id), round(float(c.confidence), 3),
              "; ".join(c.reasons), now) for c in cands],
        )  # fmt: skip
        return int(
            conn.execute(
                "SELECT count(*) FROM duplicate_candidate WHERE status = 'open'"
            ).fetchone()[0]
        )


def list_candidates(db: Database, status: str = "open") -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [
            dict(r)
            for r in conn.exec_driver_sql(
                "SELECT d.id, d.contact_a, a.display_name AS name_a, d.contact_b,"
                " b.display_name AS name_b, d.confidence, d.reason, d.status"
                " FROM duplicate_candidate d JOIN contact a ON a.id = d.contact_a"
                " JOIN contact b ON b.id = d.contact_b WHERE d.status = ?"
                " ORDER BY d.confidence DESC, d.id",
                (status,),
            ).mappings()
        ]


def review_list(db: Database, refresh: bool = False) -> list[dict[str, Any]]:
    """The open candidates; recomputed first when asked, or when none are stored yet (imports
    and rescoring keep the stored list current, and recomputing a large book takes seconds)."""
    cands = [] if refresh else list_candidates(db)
    if not cands:
        refresh_candidates(db)
        cands = list_candidates(db)
    return cands


def dismiss(db: Database, a: int, b: int) -> None:
    """'Not the same person': remembered, never proposed again."""
    lo, hi = min(a, b), max(a, b)
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO duplicate_candidate (contact_a, contact_b, confidence, reason, status,"
            " created_at) VALUES (?, ?, 0, 'dismissed by you', 'dismissed', ?)"
            " ON CONFLICT (contact_a, contact_b) DO UPDATE SET status = 'dismissed'",
            (lo, hi, now_ts()),
        )


# The fields shown side by side when a person reviews a candidate pair, in display order.
COMPARE_FIELDS = ("display_name", "given_name", "middle_name", "family_name", "nickname",
                  "organization", "title", "birthday")  # fmt: skip


def pair_details(db: Database, a: int, b: int) -> list[dict[str, Any]]:
    """What a person needs to decide whether two contacts are one: their fields, identities
    (kind, value), number of interactions and the last one's time, for each of ``a`` and ``b``."""
    out = []
    with db.engine.connect() as conn:
        for cid in (a, b):
            row = conn.exec_driver_sql(
                f"SELECT {', '.join(COMPARE_FIELDS)} FROM contact WHERE id = ?", (cid,)
            ).first()
            if row is None:
                raise LookupError(f"contact {cid} does not exist (merged or forgotten meanwhile)")
            ids = conn.exec_driver_sql(
                "SELECT kind, value FROM identity WHERE contact_id = ? AND kind NOT IN ('name', 'me_name')"
                " ORDER BY kind, value",
                (cid,),
            ).all()
            n, last = conn.exec_driver_sql(
                "SELECT count(*), max(occurred_at) FROM interaction WHERE contact_id = ?", (cid,)
            ).one()
            out.append({"id": cid, **dict(zip(COMPARE_FIELDS, row, strict=True)),
                        "identities": [(k, v) for k, v in ids],
                        "interactions": int(n), "last_at": last})  # fmt: skip
    return out
