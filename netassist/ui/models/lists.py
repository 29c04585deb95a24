"""Small list models: Today's due items and global search results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from netassist.core.i18n import _
from netassist.core.today import DueItem
from netassist.ui.format import channel_label, format_age, format_due, format_when

Index = QModelIndex | QPersistentModelIndex
CONTACT_ROLE = Qt.ItemDataRole.UserRole


class DueListModel(QAbstractListModel):
    """Follow-ups, reminders, or (before the engine ran) the quietest contacts."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[DueItem] = []

    def set_items(self, items: list[DueItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> DueItem:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        it = self._items[index.row()]
        if role == CONTACT_ROLE:
            return it.contact_id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if it.kind == "reminder":
            who = f" — {it.name}" if it.name else ""
            title = _("Reminder: %s") % (it.title or it.state)
            return f"{title}{who}\n{format_when(it.when)}"
        if it.kind == "followup":
            if it.title:  # the engine's reason ("their last message … is unanswered")
                return f"{it.name}\n{it.title}"
            return f"{it.name}\n{format_due(it.when, it.state)}"
        return f"{it.name}\n" + _("last interaction %s") % format_age(it.when)


class SearchResultsModel(QAbstractListModel):
    """Contacts first, then messages, from ``repository.search``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, dict[str, Any]]] = []

    def set_results(self, results: dict[str, list[dict[str, Any]]]) -> None:
        self.beginResetModel()
        self._rows = [("contact", r) for r in results.get("contacts", [])]
        self._rows += [("interaction", r) for r in results.get("interactions", [])]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        kind, r = self._rows[index.row()]
        if role == CONTACT_ROLE:
            return r["id"] if kind == "contact" else r["contact_id"]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if kind == "contact":
            org = f" — {r['organization']}" if r.get("organization") else ""
            return f"{r['display_name']}{org}"
        # the original text reads better than the index's case-folded snippet
        original = " ".join((r.get("text") or "").split())
        snippet = original[:300] + ("…" if len(original) > 300 else "")
        snippet = snippet or " ".join((r.get("snippet") or "").split())
        head = f"{format_when(r['occurred_at'])} · {channel_label(r['channel'])}"
        return f"{r['display_name']} · {head}\n{snippet}"
