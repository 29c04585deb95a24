"""The contacts behind a chart element (Insights): name, then strength and tier."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from netassist.core.engine.texts import tier_label
from netassist.core.i18n import _
from netassist.core.insights import ContactBrief

Index = QModelIndex | QPersistentModelIndex
CONTACT_ROLE = Qt.ItemDataRole.UserRole


class ContactBriefModel(QAbstractListModel):
    """Rows are :class:`ContactBrief` values, in the order the chart gave them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ContactBrief] = []

    def set_rows(self, rows: list[ContactBrief]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def contact_ids(self) -> list[int]:
        return [r.id for r in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        if role == CONTACT_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.name
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if r.strength is None:
            return f"{r.name}\n" + _("not scored yet")
        detail = _("strength {s}").format(s=f"{r.strength:.0f}")
        if r.tier:
            detail += f" · {tier_label(r.tier)}"
        return f"{r.name}\n{detail}"
