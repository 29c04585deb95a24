"""Two parts of the settings about people: "me" (the names and the addresses, phones and
handles that are the user's own) and the default cadence per tier."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netassist.core.engine.texts import TIER_LABELS, tier_label
from netassist.core.i18n import _
from netassist.core.identity import normalize_identity
from netassist.core.settings import MAX_CADENCE_DAYS, TIER_KEYS, tier_cadence_days
from netassist.ui.format import identity_label

#: Kinds of identity that can be marked as the user's own (what the importers look at).
ME_KINDS = ("email", "phone", "telegram", "whatsapp", "vk", "signal", "skype")


class MeIdentitiesEditor(QWidget):
    """The list of [kind, value] pairs kept in the ``me_identities`` setting; add and remove."""

    def __init__(self, identities: list, region: str = "RU", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.region = region
        self.list = QListWidget()
        self.list.setMinimumHeight(90)
        self.kind = QComboBox()
        for k in ME_KINDS:
            self.kind.addItem(identity_label(k), k)
        self.value = QLineEdit()
        self.value.setPlaceholderText(_("your address, phone or handle"))
        self.add_btn = QPushButton(_("Add"))
        self.remove_btn = QPushButton(_("Remove"))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        for pair in identities:
            if isinstance(pair, list | tuple) and len(pair) == 2 and pair[0] and pair[1]:
                self._append(str(pair[0]), str(pair[1]))
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.value, 1)
        row.addWidget(self.add_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list)
        lay.addLayout(row)
        lay.addWidget(self.problem)
        lay.addWidget(self.remove_btn, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_btn.clicked.connect(self.add_current)
        self.value.returnPressed.connect(self.add_current)
        self.remove_btn.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._enable)
        self._enable()

    def _append(self, kind: str, value: str) -> None:
        item = QListWidgetItem(f"{identity_label(kind)}: {value}")
        item.setData(Qt.ItemDataRole.UserRole, [kind, value])
        self.list.addItem(item)

    def _enable(self) -> None:
        self.remove_btn.setEnabled(bool(self.list.selectedItems()))

    def identities(self) -> list[list[str]]:
        return [
            list(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]

    def add_current(self) -> bool:
        kind, value = str(self.kind.currentData()), self.value.text().strip()
        if not value:
            return False
        norm = normalize_identity(kind, value, self.region)
        if norm is None:
            self.problem.setText(_("“{value}” is not a usable {kind}.").format(
                value=value, kind=identity_label(kind)))  # fmt: skip
            self.problem.show()
            return False
        have = {(k, normalize_identity(k, v, self.region)) for k, v in self.identities()}
        if (kind, norm) not in have:
            self._append(kind, value)
        self.value.clear()
        self.problem.hide()
        return True

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self._enable()


class CadenceEditor(QWidget):
    """Days per tier: how often to be in touch by default while a contact's own history is too
    short to say (the ``tier_cadence_days`` setting; the engine uses it from the next rescore)."""

    def __init__(self, stored: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.spins: dict[str, QSpinBox] = {}
        for key, name, days in zip(TIER_KEYS, TIER_LABELS, tier_cadence_days(stored), strict=True):
            spin = QSpinBox()
            spin.setRange(1, MAX_CADENCE_DAYS)
            spin.setValue(round(days))
            spin.setSuffix(" " + _("days"))
            spin.setMaximumWidth(140)
            label = tier_label(name)
            form.addRow(label[:1].upper() + label[1:], spin)
            self.spins[key] = spin

    def values(self) -> dict[str, int]:
        return {k: s.value() for k, s in self.spins.items()}
