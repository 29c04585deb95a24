"""The contacts table: a lazy model over contact ids (Anki's browser table, in small).

The id list is re-queried on sort and filter (one indexed SQL query, milliseconds at 10k
contacts); rows are fetched in pages of PAGE ids when first shown and kept in a bounded cache.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from netassist.core import repository
from netassist.core.db import Database
from netassist.core.engine.texts import shown_tier, tier_label
from netassist.core.i18n import _
from netassist.ui.format import format_age, format_due, format_trend

PAGE = 100
CACHE_LIMIT = 5000
STRENGTH_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex

COL_NAME, COL_STRENGTH, COL_TREND, COL_TIER, COL_LAST, COL_DUE, COL_TAGS = range(7)
SORT_KEYS = {COL_NAME: "name", COL_STRENGTH: "strength", COL_LAST: "last", COL_DUE: "due"}


class ContactTableModel(QAbstractTableModel):
    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self._ids: list[int] = []
        self._cache: dict[int, repository.ContactRow] = {}
        self._filter = ""
        self._tag: str | None = None
        self._sort = "name"
        self._descending = False
        self.headers = [_("Name"), _("Strength"), _("Trend"), _("Tier"), _("Last interaction"),
                        _("Due"), _("Tags")]  # fmt: skip

    # --- queries ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-query the ids (after sort, filter or a change in the data) and drop the cache."""
        self.beginResetModel()
        self._ids = repository.contact_ids(
            self.db, self._filter, self._sort, self._descending, self._tag
        )
        self._cache.clear()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        if text != self._filter:
            self._filter = text
            self.reload()

    def set_tag(self, tag: str | None) -> None:
        if tag != self._tag:
            self._tag = tag
            self.reload()

    def invalidate(self, ids: list[int] | None = None) -> None:
        """Forget cached rows (all, or ``ids``) so they are read again when shown."""
        if ids is None:
            self._cache.clear()
        else:
            for cid in ids:
                self._cache.pop(cid, None)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, COL_TAGS))

    def contact_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, cid: int) -> int:
        try:
            return self._ids.index(cid)
        except ValueError:
            return -1

    def _row(self, row: int) -> repository.ContactRow | None:
        cid = self._ids[row]
        hit = self._cache.get(cid)
        if hit is not None:
            return hit
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        start = max(0, row - PAGE // 4)
        page = [i for i in self._ids[start : start + PAGE] if i not in self._cache]
        self._cache.update(repository.contact_rows(self.db, page))
        return self._cache.get(cid)

    # --- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, STRENGTH_ROLE):
            return None
        r = self._row(index.row())
        if r is None:  # deleted since the ids were read; the next reload drops it
            return None
        col = index.column()
        never = r.state == "never"  # no history: no strength to show, not a zero
        if role == STRENGTH_ROLE:
            return r.strength if col == COL_STRENGTH and not never else None
        if col == COL_NAME:
            if role == Qt.ItemDataRole.ToolTipRole and r.organization:
                return f"{r.display_name} — {r.organization}"
            return r.display_name
        if col == COL_STRENGTH:
            return "" if r.strength is None or never else f"{r.strength:.0f}"
        if col == COL_TREND:
            return "" if never else format_trend(r.trend)
        if col == COL_TIER:
            tier = shown_tier(r.tier, r.state)
            return tier_label(tier) if tier else ""
        if col == COL_LAST:
            return format_age(r.last_at)
        if col == COL_DUE:
            return format_due(r.due_at, r.state)
        if col == COL_TAGS:
            return ", ".join(r.tags)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return  # trend, tier and tags are not orderable in SQL; keep the current order
        self.layoutAboutToBeChanged.emit()
        self._sort, self._descending = key, order == Qt.SortOrder.DescendingOrder
        old = self._ids
        self._ids = repository.contact_ids(
            self.db, self._filter, self._sort, self._descending, self._tag
        )
        # persistent indexes follow their contact to its new row
        pos = {cid: i for i, cid in enumerate(self._ids)}
        from_list, to_list = [], []
        for p in self.persistentIndexList():
            cid = old[p.row()] if 0 <= p.row() < len(old) else None
            new = pos.get(cid) if cid is not None else None
            from_list.append(p)
            to_list.append(self.index(new, p.column()) if new is not None else QModelIndex())
        self.changePersistentIndexList(from_list, to_list)
        self.layoutChanged.emit()
