"""Contacts: filter-as-you-type over a lazy table, multi-select actions (tag, merge, forget)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netassist.core import contacts
from netassist.core.db import Database
from netassist.core.i18n import _, ngettext
from netassist.core.today import tag_names
from netassist.ui.models.contacts import (
    COL_DUE,
    COL_LAST,
    COL_NAME,
    COL_STRENGTH,
    COL_TAGS,
    COL_TIER,
    COL_TREND,
    ContactTableModel,
)
from netassist.ui.tasks import Tasks
from netassist.ui.widgets.strength_delegate import StrengthDelegate

FILTER_DELAY_MS = 150


class ContactsView(QWidget):
    contact_activated = Signal(int)
    data_changed = Signal()
    duplicates_requested = Signal()
    dossier_requested = Signal(list)  # contact ids

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.model = ContactTableModel(db, self)
        # Hooks the tests replace; by default they ask the person with standard dialogs.
        self.ask_text: Callable[[str, str], str | None] = self._ask_text
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.tell: Callable[[str, str], None] = self._tell
        self.choose_keep: Callable[[str, str], int | None] = self._choose_keep

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Filter by name or organisation…"))
        self.filter_edit.setClearButtonEnabled(True)
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._timer.start())
        self.count_label = QLabel()
        self.tag_combo = QComboBox()
        self.tag_combo.setMinimumWidth(160)
        self.tag_combo.currentIndexChanged.connect(self._tag_chosen)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setItemDelegateForColumn(COL_STRENGTH, StrengthDelegate(self.table))
        hdr = self.table.horizontalHeader()
        hdr.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        # wide enough for the Russian texts ("просрочено на 124 дня", "ближний круг")
        widths = ((COL_STRENGTH, 140), (COL_TREND, 100), (COL_TIER, 110), (COL_LAST, 135),
                  (COL_DUE, 165), (COL_TAGS, 120))  # fmt: skip
        for col, width in widths:
            self.table.setColumnWidth(col, width)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)

        self.open_btn = QPushButton(_("Open"))
        self.tag_btn = QPushButton(_("Tag…"))
        self.merge_btn = QPushButton(_("Merge two"))
        self.forget_btn = QPushButton(_("Forget…"))
        self.dupes_btn = QPushButton(_("Possible duplicates…"))
        self.dupes_btn.clicked.connect(self.duplicates_requested)
        self.dossier_btn = QPushButton(_("Dossier PDF…"))
        self.dossier_btn.clicked.connect(lambda: self.dossier_requested.emit(self.selected_ids()))
        self.open_btn.clicked.connect(self._open_selected)
        self.tag_btn.clicked.connect(self.tag_selected)
        self.merge_btn.clicked.connect(self.merge_selected)
        self.forget_btn.clicked.connect(self.forget_selected)
        self._del = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        self._del.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._del.activated.connect(self.forget_selected)  # asks first, like the button
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.tag_combo)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        for b in (self.open_btn, self.tag_btn, self.merge_btn, self.forget_btn,
                  self.dossier_btn):  # fmt: skip
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.dupes_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(actions)
        self.model.modelReset.connect(self._update_count)

    def reload(self) -> None:
        self._fill_tags()
        self.model.reload()

    def _fill_tags(self) -> None:
        current = self.tag_combo.currentData()
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem(_("All tags"), None)
        for name in tag_names(self.db):
            self.tag_combo.addItem(name, name)
        found = self.tag_combo.findData(current) if current else 0
        self.tag_combo.setCurrentIndex(max(0, found))
        self.tag_combo.blockSignals(False)
        if current and found < 0:  # the tag is gone (last contact untagged)
            self.model.set_tag(None)

    def _tag_chosen(self, _i: int) -> None:
        self.model.set_tag(self.tag_combo.currentData())

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter_edit.text())

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(ngettext("%d contact", "%d contacts", n) % n)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [cid for r in rows if (cid := self.model.contact_id(r)) is not None]

    def select_id(self, cid: int) -> None:
        row = self.model.row_of(cid)
        if row >= 0:
            self.table.selectionModel().select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        n = len(self.selected_ids())
        self.open_btn.setEnabled(n == 1)
        self.tag_btn.setEnabled(n >= 1)
        self.merge_btn.setEnabled(n == 2)
        self.forget_btn.setEnabled(n >= 1)
        self.dossier_btn.setEnabled(n >= 1)

    def _activated(self, index: object) -> None:
        cid = self.model.contact_id(index.row())  # type: ignore[attr-defined]
        if cid is not None:
            self.contact_activated.emit(cid)

    def _open_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.contact_activated.emit(ids[0])

    def _name(self, cid: int) -> str:
        row = self.model.row_of(cid)
        return str(self.model.index(row, COL_NAME).data()) if row >= 0 else str(cid)

    # --- actions (writes go to the one-thread write pool) ----------------------------------

    def _after_write(self, _result: object = None) -> None:
        self.model.reload()
        self.data_changed.emit()

    def tag_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        name = self.ask_text(_("Tag contacts"), _("Tag for the selected contacts:"))
        if name and name.strip():
            self.tasks.run(contacts.tag_contacts, self.db, ids, name.strip(),
                           write=True, on_done=self._after_write)  # fmt: skip

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        a, b = ids
        choice = self.choose_keep(self._name(a), self._name(b))
        if choice is None:
            return
        keep, other = (a, b) if choice == 0 else (b, a)
        self.tasks.run(contacts.merge_contacts, self.db, keep, other,
                       write=True, on_done=self._after_write)  # fmt: skip

    def forget_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        names = ", ".join(self._name(c) for c in ids[:5]) + ("…" if len(ids) > 5 else "")
        text = ngettext(
            "Forget %d contact (%s)? Every message, note and identity of theirs is erased "
            "from this computer. This cannot be undone.",
            "Forget %d contacts (%s)? Every message, note and identity of theirs is erased "
            "from this computer. This cannot be undone.",
            len(ids),
        ) % (len(ids), names)
        backups = self._backups_age_out()
        if not self.confirm(_("Forget contacts"), f"{text}\n\n{backups}"):
            return

        def forget_all(db: Database, cids: list[int]) -> None:
            for cid in cids:
                contacts.forget_contact(db, cid)

        def done(_r: object) -> None:
            self._after_write()
            self.tell(_("Forget contacts"), ngettext(
                "%d contact forgotten.", "%d contacts forgotten.", len(ids)) % len(ids)
                + " " + self._backups_age_out())  # fmt: skip

        self.tasks.run(forget_all, self.db, ids, write=True, on_done=done)

    def _backups_age_out(self) -> str:
        """When the backups made before the forget (which still hold them) rotate out."""
        from netassist.core.backup import backups_age_out
        from netassist.core.settings import Settings

        home = self.db.path.parent  # the database is <home>/netassist.db
        return backups_age_out(home, int(Settings(self.db).get("backup_keep"))).describe()

    # --- default dialogs --------------------------------------------------------------------

    def _ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    def _tell(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.warning(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def _choose_keep(self, a: str, b: str) -> int | None:
        box = QMessageBox(self)
        box.setWindowTitle(_("Merge two contacts"))
        box.setText(_("Merge “%s” and “%s” into one contact. Which name is kept?") % (a, b))
        keep_a = box.addButton(a, QMessageBox.ButtonRole.AcceptRole)
        keep_b = box.addButton(b, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return 0 if clicked is keep_a else 1 if clicked is keep_b else None
