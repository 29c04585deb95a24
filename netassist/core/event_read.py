"""The engine's input from the database: the interactions of everyone (or of some contacts) as
an :class:`~netassist.core.engine.events.EventLog`, and each contact's last incoming message,
read in one pass. Used by ``scoring`` (rescoring, follow-ups), ``insights`` and ``agenda``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from netassist.core.db import Database
from netassist.core.engine.events import CHANNEL_CODES, DIRECTION_CODES, EventLog

_DIR = {k: v for k, v in DIRECTION_CODES.items()}
_CHAN = dict(CHANNEL_CODES)
# The same mappings in SQL (the keys are this module's constants, not input): unknown values
# map as _DIR.get(x, 0) and _CHAN.get(x, "other") did.
_DIR_SQL = ("CASE i.direction " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in _DIR.items())
            + " ELSE 0 END")  # fmt: skip
_CHAN_SQL = ("CASE i.channel " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in _CHAN.items())
             + f" ELSE {_CHAN['other']} END")  # fmt: skip


def load_log(db: Database, ids: Iterable[int] | None = None) -> tuple[EventLog, np.ndarray]:
    """All interactions with non-"me" contacts (or only ``ids``) as an EventLog, and the ids of
    the contacts asked for (those without interactions are "never")."""
    evlog, cids, _last_in = _read_log(db, ids)
    return evlog, cids


def _read_log(
    db: Database, ids: Iterable[int] | None
) -> tuple[EventLog, np.ndarray, dict[int, int]]:
    """load_log's work, plus each loaded contact's last incoming interaction id (the largest id
    among its "in" rows), found in the same pass so follow-ups need not scan the table again."""
    conn = db.raw()
    try:
        if ids is None:
            cids = np.array([r[0] for r in conn.execute(
                "SELECT id FROM contact WHERE is_me = 0 ORDER BY id")], dtype=np.int64)  # fmt: skip
            where, params = "c.is_me = 0", ()
        else:
            cids = np.array(sorted(set(ids)), dtype=np.int64)
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids(id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM _ids")
            conn.executemany("INSERT INTO _ids VALUES (?)", [(int(i),) for i in cids])
            where, params = "c.is_me = 0 AND i.contact_id IN (SELECT id FROM _ids)", ()
        scan = ids is None or _mostly(conn)
        # Most of the table (everyone, or a big import's contacts): one pass in rowid order,
        # sorted in numpy after. Walking the (contact, time) index instead visits every table
        # page once per contact in it (rows of a group chat interleave), each visit decrypted
        # again: 11 s instead of ~2 for a 1M-message chat.
        tail = (f" FROM interaction i {'NOT INDEXED' if scan else ''}"
                f" JOIN contact c ON c.id = i.contact_id WHERE {where}"
                f"{'' if scan else ' ORDER BY i.contact_id, i.occurred_at'}")  # fmt: skip
        parts: list[np.ndarray] = []
        if _packable(conn):
            # Most of the time is Python making one object per value: three integers a row
            # instead of seven values (1M rows: 2.3 -> 1.7 s), unpacked in numpy.
            cur = conn.execute(f"SELECT {_PACKED_SQL}{tail}", params)
            while chunk := cur.fetchmany(65_536):
                parts.append(_unpack(np.array(chunk, dtype=np.int64).reshape(len(chunk), 3)))
                del chunk
        else:
            cur = conn.execute(
                f"SELECT i.contact_id, i.occurred_at, {_DIR_SQL}, i.weight, {_CHAN_SQL},"
                f" i.length, i.id{tail}",
                params,
            )
            # All seven columns are numbers (codes mapped in SQL; ids below 2**53 are exact in
            # a float64), so each chunk of rows becomes one float64 matrix in C; in chunks, as a
            # million rows of tuples took ~300 MB at once.
            while chunk := cur.fetchmany(65_536):
                parts.append(np.array(chunk, dtype=np.float64).reshape(len(chunk), 7))
                del chunk
    finally:
        conn.close()
    if parts:
        m = np.concatenate(parts) if len(parts) > 1 else parts[0]
        del parts
        if scan:  # the index's order: (contact, time), ties in rowid order (lexsort is stable)
            m = m[np.lexsort((m[:, 1], m[:, 0]))]
        evlog = EventLog.from_arrays(
            m[:, 0].astype(np.int64), m[:, 1].copy(), m[:, 2].astype(np.int8),
            m[:, 3].astype(np.float32), m[:, 4].astype(np.int8), m[:, 5].astype(np.int32),
            assume_sorted=True,
        )  # fmt: skip
        inc = m[m[:, 2] == _DIR["in"]]
        del m
        c_in, id_in = inc[:, 0].astype(np.int64), inc[:, 6].astype(np.int64)
        order = np.lexsort((id_in, c_in))  # per contact, largest id last
        c_in, id_in = c_in[order], id_in[order]
        last = np.r_[c_in[1:] != c_in[:-1], True] if len(c_in) else np.zeros(0, bool)
        last_in = dict(zip(c_in[last].tolist(), id_in[last].tolist(), strict=True))
    else:
        evlog = EventLog.from_arrays(np.zeros(0, np.int64), np.zeros(0))
        last_in = {}
    return evlog, cids, last_in


# The seven numbers of a row packed into three integers (see _read_log):
#   contact_id * 2**34 + (occurred_at + 2**33),
#   ((min(length, 2**30 - 1) * 32 + channel) * 4 + direction + 1) * 2**20 + round(weight * 1000),
#   id
# exact while occurred_at is within +-2**33 s of 1970 (the years 1697-2242), contact ids below
# 2**29 and weights below 1000 (_packable checks the first two; weights are 0.1-3).
_PACKED_SQL = (
    "i.contact_id * 17179869184 + (i.occurred_at + 8589934592),"
    f" ((min(i.length, 1073741823) * 32 + ({_CHAN_SQL})) * 4 + ({_DIR_SQL}) + 1) * 1048576"
    " + CAST(round(i.weight * 1000) AS INTEGER), i.id"
)


def _packable(conn: Any) -> bool:
    lo, hi, top = conn.execute(
        "SELECT min(occurred_at), max(occurred_at), (SELECT max(id) FROM contact) FROM interaction"
    ).fetchone()
    return lo is None or (lo >= -(2**33) and hi < 2**33 and (top or 0) < 2**29)


def _unpack(p: np.ndarray) -> np.ndarray:
    """(n, 3) packed integers -> the (n, 7) float64 rows the plain query gives."""
    a, b = p[:, 0], p[:, 1]
    out = np.empty((len(p), 7))
    out[:, 0] = a >> 34
    out[:, 1] = (a & ((1 << 34) - 1)) - (1 << 33)
    code = b >> 20
    out[:, 2] = (code & 3) - 1
    out[:, 3] = (b & ((1 << 20) - 1)) / 1000.0
    out[:, 4] = (code >> 2) & 31
    out[:, 5] = code >> 7
    out[:, 6] = p[:, 2]
    return out


SCAN_MIN_ROWS = 50_000  # below this, reading through the index is as quick either way


def _mostly(conn: Any) -> bool:
    """Are the interactions of the contacts in ``_ids`` more than a tenth of the table? (Counted
    on the (contact, time) index alone: a few ms per 100k rows.)"""
    total = conn.execute("SELECT coalesce(max(id), 0) - coalesce(min(id), 0) FROM interaction")
    span = total.fetchone()[0]
    if span < SCAN_MIN_ROWS:
        return False
    n = conn.execute(
        "SELECT count(*) FROM interaction INDEXED BY ix_interaction_contact_time"
        " WHERE contact_id IN (SELECT id FROM _ids)"
    ).fetchone()[0]
    return bool(n * 10 > span)
