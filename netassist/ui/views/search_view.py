"""Global search results: contacts and messages (``repository.search``), off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from netassist.core import repository
from netassist.core.db import Database
from netassist.core.i18n import _, ngettext
from netassist.ui.models.lists import CONTACT_ROLE, SearchResultsModel
from netassist.ui.tasks import Tasks
from netassist.ui.widgets.two_line_delegate import TwoLineDelegate


class SearchView(QWidget):
    contact_activated = Signal(int)
    loaded = Signal()

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.query = ""
        self.model = SearchResultsModel(self)
        self.heading = QLabel()
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setItemDelegate(TwoLineDelegate(self.view, bold_heading=True))
        self.view.setResizeMode(self.view.ResizeMode.Adjust)  # re-wrap on resize
        self.view.setWordWrap(True)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.view, 1)

    def search(self, query: str) -> None:
        self.query = query
        self.heading.setText(_("Searching for “%s”…") % query)
        self.tasks.run(repository.search, self.db, query, 100,
                       on_done=lambda res, q=query: self._show(q, res))  # fmt: skip

    def _show(self, query: str, results: dict) -> None:  # type: ignore[type-arg]
        if query != self.query:
            return  # an older search finished after a newer one started
        self.model.set_results(results)
        c, m = len(results["contacts"]), len(results["interactions"])
        self.heading.setText(
            _("“%s”: ") % query
            + ngettext("%d contact", "%d contacts", c) % c
            + ", "
            + ngettext("%d message", "%d messages", m) % m
        )
        self.loaded.emit()

    def _activated(self, index: QModelIndex) -> None:
        cid = index.data(CONTACT_ROLE)
        if cid is not None:
            self.contact_activated.emit(int(cid))
