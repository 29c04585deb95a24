"""Today: follow-ups and reminders due; before the engine has scored anyone, the contacts
you have not talked to for longest, with a note saying so. Loaded off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from netassist.core import today
from netassist.core.db import Database
from netassist.core.i18n import _, ngettext
from netassist.ui.models.lists import CONTACT_ROLE, DueListModel
from netassist.ui.tasks import Tasks
from netassist.ui.widgets.two_line_delegate import TwoLineDelegate


@dataclass
class TodayData:
    reminders: list[today.DueItem]
    followups: list[today.DueItem]
    scored: bool
    stale: list[today.DueItem]


def load_today(db: Database) -> TodayData:
    scored = today.has_scores(db)
    return TodayData(
        reminders=today.due_reminders(db),
        followups=today.due_followups(db) if scored else [],
        scored=scored,
        stale=[] if scored else today.stale_contacts(db),
    )


class TodayView(QWidget):
    contact_activated = Signal(int)
    loaded = Signal()

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.model = DueListModel(self)
        self.heading = QLabel()
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        self.heading.setFont(f)
        self.heading.setText(_("Today"))
        self.note = QLabel(_("Loading…"))
        self.note.setWordWrap(True)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setItemDelegate(TwoLineDelegate(self.view, bold_heading=True))
        self.view.setResizeMode(self.view.ResizeMode.Adjust)  # re-wrap on resize
        self.view.setSpacing(2)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.note)
        lay.addWidget(self.view, 1)

    def reload(self) -> None:
        self.tasks.run(load_today, self.db, on_done=self._show)

    def _show(self, data: TodayData) -> None:
        items = data.reminders + (data.followups if data.scored else data.stale)
        self.model.set_items(items)
        if data.scored:
            n = len(data.followups)
            text = ngettext("%d follow-up due", "%d follow-ups due", n) % n
        else:
            text = _(
                "No strength scores yet, so no follow-ups are suggested. Below: the people you "
                "have not been in touch with for the longest time."
            )
        if data.reminders:
            n = len(data.reminders)
            text += " · " + ngettext("%d reminder", "%d reminders", n) % n
        if not items:
            text += "\n" + _("Nothing due. Import your contacts and messages to get suggestions.")
        self.note.setText(text)
        self.loaded.emit()

    def _activated(self, index: QModelIndex) -> None:
        cid = index.data(CONTACT_ROLE)
        if cid is not None:
            self.contact_activated.emit(int(cid))
