"""The Reports page's check-box list of contacts to write dossiers for."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex
FILTER_ROLE = Qt.ItemDataRole.UserRole + 1


class ContactPickModel(QAbstractListModel):
    """Every contact with a check box; the checked ids are a set, so 10 000 rows fill with one
    reset and a tick costs nothing."""

    chosen_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[int, str, str]] = []
        self.chosen: set[int] = set()

    def set_rows(self, rows: list[tuple[int, str, str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.chosen &= {r[0] for r in rows}  # contacts forgotten meanwhile drop out
        self.endResetModel()
        self.chosen_changed.emit()

    def set_chosen(self, ids: set[int]) -> None:
        self.chosen = ids & {r[0] for r in self.rows}
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1),
                                  [Qt.ItemDataRole.CheckStateRole])  # fmt: skip
        self.chosen_changed.emit()

    def chosen_in_order(self) -> list[int]:
        return [r[0] for r in self.rows if r[0] in self.chosen]

    def name(self, cid: int) -> str:
        return next((n for i, n, _o in self.rows if i == cid), "")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cid, name, org = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name} — {org}" if org else name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if cid in self.chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return cid
        if role == FILTER_ROLE:
            return f"{name} {org}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable)  # fmt: skip

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        cid = self.rows[index.row()][0]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.chosen.add(cid)
        else:
            self.chosen.discard(cid)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.chosen_changed.emit()
        return True
