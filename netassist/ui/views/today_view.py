"""Today: a one-line digest, then follow-ups and reminders due, each with Done… / Snooze ▸ /
Dismiss (buttons for the selected item, a context menu, keys D, S, Delete); before the engine
has scored anyone, the contacts you have not talked to for longest, with a note saying so.

Loads and actions run off the GUI thread; actions are stored at once (``netassist.core.agenda``)
and ``data_changed`` tells the window (which tells the tray) when one was taken."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netassist.core import agenda, today
from netassist.core.db import Database
from netassist.core.i18n import _, ngettext
from netassist.core.timeutil import now_ts
from netassist.ui.models.lists import CONTACT_ROLE, DueListModel
from netassist.ui.tasks import Tasks
from netassist.ui.widgets.due_actions import DoneDialog, WhenDialog, snooze_menu, snooze_time
from netassist.ui.widgets.two_line_delegate import TwoLineDelegate

MAX_WAKE_MS = 6 * 3600 * 1000  # re-check at least this often for snoozes that end


@dataclass
class TodayData:
    reminders: list[today.DueItem]
    followups: list[today.DueItem]
    scored: bool
    stale: list[today.DueItem]
    digest: agenda.DigestCounts | None = None
    next_wake: int | None = None
    snoozes_ended: bool = False  # follow-ups to bring back (a write) before showing again


def load_today(db: Database, now: int | None = None) -> TodayData:
    now = now_ts() if now is None else now
    scored = today.has_scores(db)
    reminders = today.due_reminders(db, now)
    followups = today.due_followups(db) if scored else []
    # a reminder with a contact is also that contact's follow-up: list it once, as a reminder
    followups = [f for f in followups if f.state != "reminder"]
    digest = (agenda.digest_counts(db, [f.state for f in followups], len(reminders), now)
              if scored else None)  # fmt: skip
    return TodayData(
        reminders=reminders,
        followups=followups,
        scored=scored,
        stale=[] if scored else today.stale_contacts(db),
        digest=digest,
        next_wake=agenda.next_wake(db, now),
        snoozes_ended=bool(scored and agenda.snoozes_ended(db, now)),
    )


def digest_text(d: agenda.DigestCounts) -> str:
    """The line at the top, e.g. "3 follow-ups due (1 reply owed, 2 overdue) · 1 reminder ·
    2 birthdays this week · 14 contacts gone quiet (dormant), 3 worth reconnecting with"."""
    # birthdays have their own count (this week) below; the list also shows those of next week
    fups = {k: c for k, c in d.followups.items() if k != "birthday"}
    n = sum(fups.values())
    head = ngettext("%d follow-up due", "%d follow-ups due", n) % n
    kinds = {
        "owed_reply": lambda k: ngettext("{n} reply owed", "{n} replies owed", k),
        "overdue": lambda k: ngettext("{n} overdue", "{n} overdue", k),
        "fading": lambda k: ngettext("{n} fading", "{n} fading", k),
        "anniversary": lambda k: ngettext("{n} anniversary", "{n} anniversaries", k),
        "reminder": lambda k: ngettext("{n} reminder", "{n} reminders", k),
    }
    parts = [kinds[k](c).format(n=c) for k, c in sorted(fups.items(),
             key=lambda kv: list(kinds).index(kv[0])) if c]  # fmt: skip
    text = head + (" (" + ", ".join(parts) + ")" if parts else "")
    if d.reminders:
        text += " · " + ngettext("%d reminder", "%d reminders", d.reminders) % d.reminders
    if d.birthdays_week:
        b = d.birthdays_week
        text += " · " + ngettext("{n} birthday this week", "{n} birthdays this week", b).format(n=b)
    if d.dormant:
        quiet = ngettext("{n} contact gone quiet (dormant)", "{n} contacts gone quiet (dormant)",
                         d.dormant)  # fmt: skip
        text += " · " + quiet.format(n=d.dormant)
        if d.reconnect:
            r = d.reconnect
            text += ", " + ngettext("{n} worth reconnecting with", "{n} worth reconnecting with",
                                    r).format(n=r)  # fmt: skip
    return text


class TodayView(QWidget):
    contact_activated = Signal(int)
    loaded = Signal()
    data_changed = Signal()  # a follow-up or reminder was acted on (stored)

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None,
                 clock: Callable[[], int] = now_ts) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.tasks, self.clock = db, tasks, clock
        self.done_dialog: DoneDialog | None = None
        self.when_dialog: WhenDialog | None = None
        self.context_menu: QMenu | None = None
        self._last_row = 0  # the row acted on, to select what moved into it
        self._woke = False  # a load brought back ended snoozes once (never loops)
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
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._sync_buttons())
        self.model.modelReset.connect(self._sync_buttons)

        # actions: buttons, context menu and keys share them
        self.act_done = self._act(_("&Done…"), "D", self.done_selected)
        self.act_snooze = self._act(_("&Snooze"), "S", self.snooze_menu_at_item)
        self.act_dismiss = self._act(_("D&ismiss"), QKeySequence.StandardKey.Delete,
                                     self.dismiss_selected)  # fmt: skip
        self.act_open = self._act(_("&Open contact"), None, self.open_selected)
        self.snooze = snooze_menu(self, self.snooze_selected)
        self.done_btn = self._button(self.act_done, _("Done…"))
        self.snooze_btn = QToolButton()
        self.snooze_btn.setText(_("Snooze"))
        self.snooze_btn.setToolTip(_("Snooze (S)"))
        self.snooze_btn.setMenu(self.snooze)
        self.snooze_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.dismiss_btn = self._button(self.act_dismiss, _("Dismiss"))
        keys = QLabel(_("Keys: D done · S snooze · Delete dismiss · Enter open"))
        keys.setEnabled(False)  # muted: a hint, not a control
        bar = QHBoxLayout()
        bar.addWidget(keys)
        bar.addStretch(1)
        for w in (self.done_btn, self.snooze_btn, self.dismiss_btn):
            bar.addWidget(w)
        self._wake_timer = QTimer(self, singleShot=True)
        self._wake_timer.timeout.connect(self.reload)

        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.note)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)
        self._sync_buttons()

    def _act(self, text: str, key: object, slot: Callable[[], None]) -> QAction:
        act = QAction(text, self)
        if key is not None:
            act.setShortcut(QKeySequence(key))  # type: ignore[arg-type]
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(lambda _c=False: slot())
        self.addAction(act)  # the keys work wherever focus is inside Today
        return act

    def _button(self, act: QAction, text: str) -> QPushButton:
        b = QPushButton(text)
        b.setToolTip(f"{text} ({act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
        b.clicked.connect(act.trigger)
        act.enabledChanged.connect(b.setEnabled)
        return b

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.tasks.run(load_today, self.db, self.clock(), on_done=self._show)

    def _show(self, data: TodayData) -> None:
        if data.snoozes_ended and not self._woke:  # rescore those first (a write), load again
            self._woke = True
            self.tasks.run(agenda.wake_snoozed, self.db, self.clock(), write=True,
                           on_done=lambda _n: self.reload())  # fmt: skip
            return
        self._woke = False
        current = self.selected()
        items = data.reminders + (data.followups if data.scored else data.stale)
        self.model.set_items(items)
        if data.scored and data.digest is not None:
            text = digest_text(data.digest)
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
        self._reselect(current, items)
        if data.next_wake is not None:
            ms = max(1000, (data.next_wake - self.clock()) * 1000 + 1000)
            self._wake_timer.start(min(ms, MAX_WAKE_MS))
        self.loaded.emit()

    def _reselect(self, previous: today.DueItem | None, items: list[today.DueItem]) -> None:
        """Keep the selection on the same item, or on the row where the acted-on one was."""
        if not items:
            return
        row = 0
        if previous is not None:
            same = [i for i, it in enumerate(items) if (it.kind, it.contact_id, it.ref)
                    == (previous.kind, previous.contact_id, previous.ref)]  # fmt: skip
            row = same[0] if same else min(self._last_row, len(items) - 1)
        self.view.setCurrentIndex(self.model.index(row, 0))

    _last_row = 0

    # --- the selected item and what can be done with it ------------------------------------

    def selected(self) -> today.DueItem | None:
        idx = self.view.currentIndex()
        if not idx.isValid() or idx.row() >= self.model.rowCount():
            return None
        return self.model.item(idx.row())

    def _sync_buttons(self) -> None:
        it = self.selected()
        actionable = it is not None and it.kind in ("followup", "reminder")
        for act in (self.act_done, self.act_snooze, self.act_dismiss):
            act.setEnabled(actionable)
        self.done_btn.setEnabled(actionable)
        self.dismiss_btn.setEnabled(actionable)
        self.snooze_btn.setEnabled(actionable)
        self.act_open.setEnabled(it is not None and it.contact_id is not None)

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.view.indexAt(pos)
        if not idx.isValid():
            return
        self.view.setCurrentIndex(idx)
        menu = QMenu(self)
        menu.addAction(self.act_done)
        menu.addMenu(self.snooze)
        menu.addAction(self.act_dismiss)
        menu.addSeparator()
        menu.addAction(self.act_open)
        self.snooze.menuAction().setEnabled(self.act_snooze.isEnabled())
        menu.popup(self.view.viewport().mapToGlobal(pos))
        self.context_menu = menu  # kept for tests and so it is not collected while shown

    def snooze_menu_at_item(self) -> None:
        if self.selected() is None or not self.act_snooze.isEnabled():
            return
        rect = self.view.visualRect(self.view.currentIndex())
        self.snooze.popup(self.view.viewport().mapToGlobal(rect.bottomLeft()))

    def open_selected(self) -> None:
        it = self.selected()
        if it is not None and it.contact_id is not None:
            self.contact_activated.emit(int(it.contact_id))

    def _what(self, it: today.DueItem) -> str:
        if it.kind == "reminder":
            return it.title or it.name
        reason = it.title  # the engine's reason, in the language of the window
        return f"{it.name} — {reason}" if reason else it.name

    def done_selected(self) -> None:
        it = self.selected()
        if it is None or it.kind not in ("followup", "reminder"):
            return
        dlg = DoneDialog(self._what(it), (it.name or None) if it.contact_id else None, self)
        dlg.accepted.connect(lambda: self._done(it, dlg.channel(), dlg.text()))
        self.done_dialog = dlg
        dlg.open()

    def _done(self, it: today.DueItem, channel: str | None, text: str) -> None:
        now = self.clock()
        if it.kind == "reminder" and it.ref is not None:
            self._run(agenda.done_reminder, it.ref, now, channel, text)
        elif it.contact_id is not None:
            self._run(agenda.done_followup, it.contact_id, it.state, now, channel, text)

    def snooze_selected(self, choice: str) -> None:
        it = self.selected()
        if it is None or it.kind not in ("followup", "reminder"):
            return
        if choice == "custom":
            dlg = WhenDialog(_("Snooze until"), snooze_time("tomorrow", self.clock()), self)
            dlg.accepted.connect(lambda: self._snooze(it, dlg.when()))
            self.when_dialog = dlg
            dlg.open()
            return
        self._snooze(it, snooze_time(choice, self.clock()))

    def _snooze(self, it: today.DueItem, until: int) -> None:
        if it.kind == "reminder" and it.ref is not None:
            self._run(agenda.snooze_reminder, it.ref, until)
        elif it.contact_id is not None:
            self._run(agenda.snooze_followup, it.contact_id, it.state, until)

    def dismiss_selected(self) -> None:
        it = self.selected()
        if it is None:
            return
        if it.kind == "reminder" and it.ref is not None:
            self._run(agenda.dismiss_reminder, it.ref, self.clock())
        elif it.kind == "followup" and it.contact_id is not None:
            self._run(agenda.dismiss_followup, it.contact_id, it.state)

    def _run(self, fn: Callable[..., object], *args: object) -> None:
        self._last_row = max(0, self.view.currentIndex().row())
        self.tasks.run(fn, self.db, *args, write=True, on_done=self._acted)

    def _acted(self, _result: object = None) -> None:
        self.reload()
        self.data_changed.emit()

    def _activated(self, index: QModelIndex) -> None:
        cid = index.data(CONTACT_ROLE)
        if cid is not None:
            self.contact_activated.emit(int(cid))
