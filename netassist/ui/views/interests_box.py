"""The contact page's "Interests" area: interests the user confirmed, suggested ones (the
contact's largest global topics and their most distinctive terms) with Confirm / Hide, the
contact's share of the global topics, what was hidden (with "Show again"), and a field to add
an interest of one's own. The data comes from the page's background talk job; every choice is
written on the write pool and then the page reloads (topics and openers change with it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netassist.core import interests as it
from netassist.core.db import Database
from netassist.core.i18n import _
from netassist.ui.tasks import Tasks


def interests_data(tk: Any, stale: bool) -> dict[str, Any]:
    """Plain values for the box from a core ``Talk`` (runs in the background job)."""

    def item(i: Any) -> dict[str, str]:
        return {"kind": i.kind, "term": i.term, "label": i.label}

    return {
        "confirmed": [item(i) for i in tk.interests],
        "hidden": [item(i) for i in tk.hidden],
        "suggestions": [
            {
                "kind": s.kind,
                "term": s.term,
                "label": s.label,
                "share": s.share,
                "terms": list(s.terms),
            }
            for s in tk.suggestions
        ],  # fmt: skip
        "shares": [
            {"name": s.topic.name, "share": s.share, "terms": list(s.terms)}
            for s in tk.shares
            if s.share >= 0.01
        ],  # fmt: skip
        "stale": stale,
    }


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


class InterestsBox(QGroupBox):
    changed = Signal()  # a choice was written: the page reloads what to talk about

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(_("Interests"), parent)
        self.db, self.tasks = db, tasks
        self.contact_id: int | None = None
        self.data: dict[str, Any] | None = None
        self.buttons: list[QPushButton] = []
        # (item, button) pairs: which button acts on which suggestion or choice
        self.confirm_buttons: list[tuple[dict[str, Any], QPushButton]] = []
        self.hide_buttons: list[tuple[dict[str, Any], QPushButton]] = []
        self.remove_buttons: list[tuple[dict[str, Any], QPushButton]] = []
        self.status = QLabel(_("Looking through your conversations…"))
        self.status.setWordWrap(True)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 1)
        self.add_edit = QLineEdit()
        self.add_edit.setPlaceholderText(_("Add an interest of your own…"))
        self.add_edit.returnPressed.connect(self.add_own)
        self.add_btn = QPushButton(_("Add"))
        self.add_btn.clicked.connect(self.add_own)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_edit, 1)
        add_row.addWidget(self.add_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.body)
        lay.addLayout(add_row)

    # --- showing ----------------------------------------------------------------------------

    def loading(self, cid: int) -> None:
        self.contact_id = cid
        self.status.setText(_("Looking through your conversations…"))
        self.status.show()
        self._set_enabled(False)

    def failed(self) -> None:
        self.status.setText(_("Could not read the conversations."))
        self._clear()

    def show_data(self, cid: int, data: dict[str, Any]) -> None:
        if cid != self.contact_id:
            return
        self.data = data
        self._clear()
        row = 0

        def heading(text: str) -> None:
            nonlocal row
            lab = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(lab, row, 0, 1, 3)
            row += 1

        def line(text: str, tip: str = "") -> QLabel:
            lab = QLabel(text)
            lab.setWordWrap(True)
            lab.setTextFormat(Qt.TextFormat.PlainText)
            if tip:
                lab.setToolTip(tip)
            return lab

        if data["confirmed"]:
            heading(_("Confirmed interests"))
            for item in data["confirmed"]:
                self.grid.addWidget(line(item["label"]), row, 0, 1, 2)
                b = self._button(_("Remove"), self.remove, item)
                b.setToolTip(_("No longer an interest (it may be suggested again)"))
                self.remove_buttons.append((item, b))
                self.grid.addWidget(b, row, 2)
                row += 1
        topic_sugg = {s["label"]: s for s in data["suggestions"] if s["kind"] == "topic"}
        if data["shares"]:
            heading(_("Topics of your conversations"))
            for sh in data["shares"][:5]:
                bar = QProgressBar()
                bar.setRange(0, 100)
                bar.setValue(round(sh["share"] * 100))
                bar.setTextVisible(False)
                bar.setMaximumWidth(60)
                bar.setMaximumHeight(12)
                bar.setToolTip(_("Share of your conversations with this contact"))
                text = f"{_pct(sh['share'])} {sh['name']}"
                if sh["terms"]:
                    more = ", …" if len(sh["terms"]) > 3 else ""
                    text += " · " + ", ".join(sh["terms"][:3]) + more
                box = QHBoxLayout()
                box.addWidget(bar)
                tip = _("A topic of your whole history, named by its top words; after the dot, "
                        "this contact's own words in it")  # fmt: skip
                box.addWidget(line(text, tip), 1)
                self.grid.addLayout(box, row, 0)
                s = topic_sugg.get(sh["name"])
                if s is not None:
                    self._choice_buttons(s, row)
                row += 1
        terms = [s for s in data["suggestions"] if s["kind"] == "term"]
        if terms:
            heading(_("Words that stand out"))
            for s in terms:
                tip = _("A word or phrase that stands out in your conversations with this contact")
                self.grid.addWidget(line(s["label"], tip), row, 0)
                self._choice_buttons(s, row)
                row += 1
        if data["hidden"]:
            heading(_("Hidden"))
            for item in data["hidden"]:
                self.grid.addWidget(line(item["label"]), row, 0, 1, 2)
                b = self._button(_("Show again"), self.remove, item)
                self.remove_buttons.append((item, b))
                self.grid.addWidget(b, row, 2)
                row += 1
        if row == 0:
            self.status.setText(_("Not enough text yet to suggest interests; add your own."))
            self.status.show()
        else:
            self.status.hide()
        self._set_enabled(True)

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is None:
                continue
            w = item.widget()
            lay = item.layout()
            if lay is not None:
                while lay.count():
                    sub = lay.takeAt(0)
                    sw = sub.widget() if sub is not None else None
                    if sw is not None:
                        sw.hide()
                        sw.deleteLater()
                lay.deleteLater()
            if w is not None:
                w.hide()  # out of the layout now; hidden so it never overlaps until deleted
                w.deleteLater()
        self.buttons.clear()
        self.confirm_buttons.clear()
        self.hide_buttons.clear()
        self.remove_buttons.clear()

    def _choice_buttons(self, s: dict[str, Any], row: int) -> None:
        c = self._button(_("Confirm"), self.confirm, s)
        c.setToolTip(_("Keep this as an interest of this contact (listed first, used in openers)"))
        h = self._button(_("Hide"), self.hide, s)
        h.setToolTip(_("Never show this for this contact"))
        self.confirm_buttons.append((s, c))
        self.hide_buttons.append((s, h))
        self.grid.addWidget(c, row, 1)
        self.grid.addWidget(h, row, 2)

    def _button(self, text: str, slot: Any, item: dict[str, Any]) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(lambda _c=False, i=item: slot(i))
        self.buttons.append(b)
        return b

    def _set_enabled(self, on: bool) -> None:
        for b in (*self.buttons, self.add_btn):
            b.setEnabled(on)
        self.add_edit.setEnabled(on)

    # --- choices ----------------------------------------------------------------------------

    def _write(self, fn: Any, *args: Any, **kwargs: Any) -> None:
        if self.contact_id is None:
            return
        self._set_enabled(False)  # one choice at a time; the reload enables them again
        self.tasks.run(fn, self.db, self.contact_id, *args, write=True,
                       on_done=lambda _r: self.changed.emit(), **kwargs)  # fmt: skip

    def confirm(self, s: dict[str, Any]) -> None:
        self._write(it.confirm, s["label"], kind=s["kind"], key=s["term"])

    def hide(self, s: dict[str, Any]) -> None:
        self._write(it.hide, s["label"], kind=s["kind"], key=s["term"])

    def remove(self, item: dict[str, Any]) -> None:
        self._write(it.forget_choice, item["label"], kind=item["kind"], key=item["term"])

    def add_own(self) -> None:
        text = " ".join(self.add_edit.text().split())
        if not text or self.contact_id is None:
            return
        self.add_edit.clear()
        self._write(it.confirm, text, source="user")
