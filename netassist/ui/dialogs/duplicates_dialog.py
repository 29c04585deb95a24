"""Review possible duplicates: each candidate pair side by side with the reasons it was proposed,
then "merge" (choosing whose name is kept) or "not the same person" (remembered: the pair never
comes back). netassist never merges these by itself; only exact identities merge on import.

The stored review list is read (computed when there is none, recomputed after a merge) on the
write pool (``core.dedupe.review_list``), details on the read pool; the dialog only shows and
asks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netassist.core import contacts, dedupe
from netassist.core.db import Database
from netassist.core.duplicates import localize_reasons
from netassist.core.i18n import _, ngettext
from netassist.ui.format import format_when, identity_label
from netassist.ui.tasks import Tasks

PAIR_ROLE = Qt.ItemDataRole.UserRole + 1


def field_rows(details: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(label, left, right) rows for two contacts' details; identities grouped by kind."""
    a, b = details
    labels = {
        "display_name": _("Full name"), "given_name": _("Given name"), "middle_name": _("Patronymic"),
        "family_name": _("Family name"), "nickname": _("Nickname"),
        "organization": _("Organization"), "title": _("Job title"), "birthday": _("Birthday"),
    }  # fmt: skip
    rows = [(labels[k], str(a[k] or ""), str(b[k] or "")) for k in dedupe.COMPARE_FIELDS]
    kinds = sorted({k for d in details for k, _v in d["identities"]})
    for kind in kinds:
        label = identity_label(kind)
        rows.append((label[:1].upper() + label[1:],
                     "\n".join(v for k, v in a["identities"] if k == kind),
                     "\n".join(v for k, v in b["identities"] if k == kind)))  # fmt: skip
    rows.append((_("Interactions"), str(a["interactions"]), str(b["interactions"])))
    rows.append((_("Last interaction"), format_when(a["last_at"]), format_when(b["last_at"])))
    return [r for r in rows if r[1] or r[2]]


class DuplicatesDialog(QDialog):
    """The review list on the left, the chosen pair side by side on the right."""

    data_changed = Signal()  # a merge happened: lists elsewhere must reload
    loaded = Signal()  # the list (re)loaded: tests wait for it

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.setWindowTitle(_("Possible duplicates"))
        self.resize(980, 560)
        self.intro = QLabel(_("Looking for contacts that may be the same person…"))
        self.intro.setWordWrap(True)

        self.pairs = QListWidget()
        self.pairs.currentItemChanged.connect(self._pair_chosen)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 3)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.keep_left = QPushButton()
        self.keep_right = QPushButton()
        self.not_same = QPushButton(_("Not the same person"))
        self.keep_left.clicked.connect(lambda: self._merge(0))
        self.keep_right.clicked.connect(lambda: self._merge(1))
        self.not_same.clicked.connect(self._dismiss)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.reasons)
        rl.addWidget(self.table, 1)
        actions = QHBoxLayout()
        for btn in (self.keep_left, self.keep_right, self.not_same):
            actions.addWidget(btn)
        actions.addStretch(1)
        rl.addLayout(actions)
        split = QSplitter()
        split.addWidget(self.pairs)
        split.addWidget(right)
        split.setStretchFactor(1, 2)
        split.setSizes([300, 680])

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(split, 1)
        lay.addWidget(close)
        self._details: list[dict[str, Any]] | None = None
        self._set_actions_enabled(False)
        self.reload()

    # --- loading ----------------------------------------------------------------------------

    def reload(self, refresh: bool = False) -> None:
        """The stored list (computed when there is none); ``refresh`` recomputes it first."""
        self.tasks.run(dedupe.review_list, self.db, refresh, write=True, on_done=self._show)

    def _show(self, cands: list[dict[str, Any]]) -> None:
        self.pairs.clear()
        for c in cands:
            item = QListWidgetItem(f"{c['name_a']}  ↔  {c['name_b']}\n"
                                   + _("confidence {pct}%").format(pct=round(100 * c["confidence"])))  # fmt: skip
            item.setData(PAIR_ROLE, c)
            self.pairs.addItem(item)
        self._update_intro()
        if self.pairs.count():
            self.pairs.setCurrentRow(0)
        else:
            self._clear_pair()
        self.loaded.emit()

    def _update_intro(self) -> None:
        n = self.pairs.count()
        if n:
            self.intro.setText(ngettext(
                "%d pair may be the same person. netassist never merges these by itself: "
                "check each pair, then merge it or say they are different people.",
                "%d pairs may be the same person. netassist never merges these by itself: "
                "check each pair, then merge it or say they are different people.", n) % n)  # fmt: skip
        else:
            self.intro.setText(_("No possible duplicates. Contacts with the same phone or e-mail "
                                 "are merged on import; nothing else looks like the same person."))  # fmt: skip

    def current_pair(self) -> dict[str, Any] | None:
        item = self.pairs.currentItem()
        return item.data(PAIR_ROLE) if item is not None else None

    def _pair_chosen(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        self._details = None
        self._set_actions_enabled(False)
        if item is None:
            self._clear_pair()
            return
        c = item.data(PAIR_ROLE)
        self.reasons.setText(_("Why they may be one person:") + "\n"
                             + "\n".join("• " + r for r in localize_reasons(c["reason"])))  # fmt: skip
        self.tasks.run(dedupe.pair_details, self.db, c["contact_a"], c["contact_b"],
                       on_done=lambda d, c=c: self._show_details(c, d),
                       on_error=self._details_failed)  # fmt: skip

    def _show_details(self, cand: dict[str, Any], details: list[dict[str, Any]]) -> None:
        cur = self.current_pair()  # item data comes back as a copy: compare the ids
        if cur is None or cur["id"] != cand["id"]:
            return  # the person moved on meanwhile
        self._details = details
        rows = field_rows(details)
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(["", cand["name_a"], cand["name_b"]])
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, (label, left, right) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(label))
            for col, text in ((1, left), (2, right)):
                cell = QTableWidgetItem(text)
                if left != right:  # differences stand out; the same value reads plain
                    cell.setFont(bold)
                self.table.setItem(r, col, cell)
        self.table.resizeRowsToContents()
        self.keep_left.setText(_("Merge, keep “%s”") % cand["name_a"])
        self.keep_right.setText(_("Merge, keep “%s”") % cand["name_b"])
        self._set_actions_enabled(True)

    def _details_failed(self, exc: BaseException) -> None:
        self.reasons.setText(str(exc))  # merged or forgotten elsewhere: reload to drop it
        self.reload(refresh=True)

    def _clear_pair(self) -> None:
        self.reasons.setText("")
        self.table.setRowCount(0)
        self.keep_left.setText(_("Merge"))
        self.keep_right.setText(_("Merge"))
        self._set_actions_enabled(False)

    def _set_actions_enabled(self, on: bool) -> None:
        for btn in (self.keep_left, self.keep_right, self.not_same):
            btn.setEnabled(on)

    # --- decisions (writes on the one-thread write pool) -------------------------------------

    def _merge(self, keep_side: int) -> None:
        c = self.current_pair()
        if c is None or self._details is None:
            return
        keep, other = ((c["contact_a"], c["contact_b"]) if keep_side == 0
                       else (c["contact_b"], c["contact_a"]))  # fmt: skip
        self._set_actions_enabled(False)
        self.tasks.run(contacts.merge_contacts, self.db, keep, other, write=True,
                       on_done=lambda _r: self._merged())  # fmt: skip

    def _merged(self) -> None:
        self.data_changed.emit()
        self.reload(refresh=True)  # the merged contact's data may pair it with someone new

    def _dismiss(self) -> None:
        c = self.current_pair()
        if c is None:
            return
        self._set_actions_enabled(False)
        row = self.pairs.currentRow()
        self.tasks.run(dedupe.dismiss, self.db, c["contact_a"], c["contact_b"], write=True,
                       on_done=lambda _r: self._dismissed(row))  # fmt: skip

    def _dismissed(self, row: int) -> None:
        self.pairs.takeItem(row)
        self._update_intro()
        if not self.pairs.count():
            self._clear_pair()
