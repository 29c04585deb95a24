"""A contact's timeline, newest first, fetched in pages as the view scrolls (canFetchMore)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from netassist.core import repository
from netassist.core.db import Database
from netassist.ui.format import channel_label, direction_label, format_when

PAGE = 200
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole


class TimelineModel(QAbstractListModel):
    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.contact_id: int | None = None
        self.search = ""
        self._rows: list[dict[str, Any]] = []
        self._seen: set[int] = set()
        self._more = False

    def load(self, contact_id: int | None, search: str = "") -> None:
        self.beginResetModel()
        self.contact_id, self.search = contact_id, search
        self._rows, self._seen = [], set()
        self._more = contact_id is not None
        if self._more:  # the first page comes with the reset: views never see an empty flash
            self._rows = self._page()
            self._seen = {r["id"] for r in self._rows}
        self.endResetModel()

    def _page(self) -> list[dict[str, Any]]:
        # Page on time; ask from one second past the last row and skip rows already shown, so
        # several messages in the same second at a page edge are not lost.
        assert self.contact_id is not None
        before = self._rows[-1]["occurred_at"] + 1 if self._rows else None
        page = repository.timeline(self.db, self.contact_id, PAGE, before, self.search)
        new = [r for r in page if r["id"] not in self._seen]
        if not new and len(page) == PAGE and before is not None:
            # more than a page in one second: give up on the rest of that second, go on before
            page = repository.timeline(self.db, self.contact_id, PAGE, before - 1, self.search)
            new = [r for r in page if r["id"] not in self._seen]
        if len(page) < PAGE or not new:
            self._more = False
        return new

    def reload(self) -> None:
        self.load(self.contact_id, self.search)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self.contact_id is None:
            return
        new = self._page()
        if not new:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(new) - 1)
        self._rows.extend(new)
        self._seen.update(r["id"] for r in new)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def row(self, i: int) -> dict[str, Any]:
        return self._rows[i]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            head = " · ".join(
                p
                for p in (
                    format_when(r["occurred_at"]),
                    channel_label(r["channel"]),
                    direction_label(r["direction"]),
                    r.get("conversation") or "",
                )
                if p
            )
            body = r.get("subject") or ""
            text = (r.get("text") or "").strip()
            if text:
                body = f"{body}: {text}" if body else text
            if len(body) > 400:
                body = body[:400] + "…"
            return f"{head}\n{body}" if body else head
        if role == Qt.ItemDataRole.ToolTipRole:
            return (r.get("text") or "")[:2000] or None
        return None
