"""One contact: editable fields, photo, identities, tags, strength breakdown, notes, and the
timeline (lazy, searchable) with a quick "log interaction" entry."""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QPainter, QPalette, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from netassist.core import contacts, repository
from netassist.core.db import Database
from netassist.core.engine.texts import (
    breakdown_line,
    component_label,
    format_decimal,
    shown_tier,
    tier_label,
)
from netassist.core.i18n import _, current_language, ngettext
from netassist.ui.format import (
    channel_label,
    direction_label,
    format_age,
    format_when,
    identity_label,
)
from netassist.ui.models.timeline import TimelineModel
from netassist.ui.tasks import Tasks
from netassist.ui.views.interests_box import InterestsBox, interests_data
from netassist.ui.widgets.keep_in_touch import KeepInTouchBox
from netassist.ui.widgets.two_line_delegate import TwoLineDelegate

FIELDS = (
    ("display_name", "Name"), ("given_name", "Given name"), ("middle_name", "Middle name"),
    ("family_name", "Family name"), ("nickname", "Nickname"), ("organization", "Organisation"),
    ("title", "Job title"), ("birthday", "Birthday"),
)  # fmt: skip
QUICK_CHANNELS = ("call", "meeting", "note", "email", "telegram", "whatsapp", "sms", "other")


def _talk_job(db: Database, cid: int, lang: str) -> dict[str, Any]:
    """Topics, open loops, openers and interests of one contact (lemmatising: off the GUI
    thread). Reads only: a stale global topic cache is refreshed by the page on the write pool."""
    from netassist.core.interests import is_stale
    from netassist.core.talk import talk_about

    tk = talk_about(db, cid, lang=lang, refresh=False)
    kinds = {"question": _("their question"), "promise": _("your promise"), "plan": _("a plan")}
    return {
        "openers": [o.text for o in tk.openers],
        "topics": [t.display or t.term for t in tk.topics[:8]],
        "loops": [f"{kinds.get(lp.kind, lp.kind)}: {lp.text_excerpt}" for lp in tk.open_loops[:5]],
        "interests": interests_data(tk, is_stale(db)),
    }


def _field_label(key: str) -> str:
    labels = {
        "display_name": _("Shown as"), "given_name": _("Given name"),
        "middle_name": _("Middle name"), "family_name": _("Family name"),
        "nickname": _("Nickname"), "organization": _("Organisation"), "title": _("Job title"),
        "birthday": _("Birthday"),
    }  # fmt: skip
    return labels[key]


def initials_pixmap(name: str, size: int, palette: QPalette) -> QPixmap:
    """A round placeholder with the initials, in the palette's colours (light and dark)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(palette.color(QPalette.ColorRole.Highlight))
    p.drawEllipse(0, 0, size, size)
    p.setPen(palette.color(QPalette.ColorRole.HighlightedText))
    f = QFont()
    f.setPixelSize(size // 3)
    f.setBold(True)
    p.setFont(f)
    letters = "".join(w[0] for w in name.split()[:2]).upper() or "?"
    p.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, letters)
    p.end()
    return pm


class ContactPage(QWidget):
    back_requested = Signal()
    dossier_requested = Signal(list)  # [this contact's id]
    data_changed = Signal()

    def __init__(self, db: Database, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.tasks = db, tasks
        self.contact_id: int | None = None
        self.detail: dict[str, Any] = {}
        self.timeline = TimelineModel(db, self)

        self.back_btn = QPushButton("← " + _("Back"))
        self.back_btn.clicked.connect(self.back_requested)
        self.back_btn.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self._esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._esc.activated.connect(self.back_requested)
        self.photo = QLabel()
        self.photo.setFixedSize(96, 96)
        self.title = QLabel()
        tf = self.title.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.5)
        tf.setBold(True)
        self.title.setFont(tf)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        head_text = QVBoxLayout()
        head_text.addWidget(self.title)
        head_text.addWidget(self.subtitle)
        head_text.addStretch(1)
        head = QHBoxLayout()
        head.addWidget(self.photo)
        head.addLayout(head_text, 1)

        # fields
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, _label in FIELDS:
            e = QLineEdit()
            self.edits[key] = e
            form.addRow(_field_label(key), e)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText(_("comma-separated"))
        form.addRow(_("Tags"), self.tags_edit)
        self.about_edit = QPlainTextEdit()
        self.about_edit.setFixedHeight(60)
        form.addRow(_("About"), self.about_edit)
        self.save_btn = QPushButton(_("Save changes"))
        self.save_btn.clicked.connect(self.save)
        fields_box = QGroupBox(_("Details"))
        fl = QVBoxLayout(fields_box)
        fl.addLayout(form)
        fl.addWidget(self.save_btn, 0, Qt.AlignmentFlag.AlignRight)

        self.identities = QLabel()
        self.identities.setWordWrap(True)
        self.identities.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        id_box = QGroupBox(_("Ways to reach"))
        QVBoxLayout(id_box).addWidget(self.identities)

        self.breakdown_box = QGroupBox(_("Strength"))
        self.breakdown_grid = QGridLayout(self.breakdown_box)

        # what to talk about: topics, open loops and openers, computed off the GUI thread
        self.talk_box = QGroupBox(_("What to talk about"))
        self.talk = QLabel(_("Looking through your conversations…"))
        self.talk.setWordWrap(True)
        self.talk.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self.talk_box).addWidget(self.talk)
        self.interests = InterestsBox(db, tasks)
        self.interests.changed.connect(self._reload_talk)

        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.notes.setMaximumHeight(140)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(_("Add a note…"))
        self.note_edit.returnPressed.connect(self.add_note)
        self.note_btn = QPushButton(_("Add note"))
        self.note_btn.clicked.connect(self.add_note)
        notes_box = QGroupBox(_("Notes"))
        nl = QVBoxLayout(notes_box)
        nl.addWidget(self.notes)
        nrow = QHBoxLayout()
        nrow.addWidget(self.note_edit, 1)
        nrow.addWidget(self.note_btn)
        nl.addLayout(nrow)

        left_inner = QWidget()
        ll = QVBoxLayout(left_inner)
        ll.addLayout(head)
        for w in (self.breakdown_box, self.talk_box, self.interests, fields_box, id_box,
                  notes_box):  # fmt: skip
            ll.addWidget(w)
        self.keep_box = KeepInTouchBox(db, tasks)  # cadence, due, this person's reminders
        self.keep_box.changed.connect(self._written)
        ll.insertWidget(ll.indexOf(self.breakdown_box) + 1, self.keep_box)
        ll.addStretch(1)
        left = QScrollArea()
        left.setWidgetResizable(True)
        left.setWidget(left_inner)

        # timeline
        self.timeline_search = QLineEdit()
        self.timeline_search.setPlaceholderText(_("Search this timeline…"))
        self.timeline_search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self._apply_search)
        self.timeline_search.textChanged.connect(lambda _t: self._search_timer.start())
        self.timeline_view = QListView()
        self.timeline_view.setModel(self.timeline)
        self.timeline_view.setWordWrap(True)
        self.timeline_view.setAlternatingRowColors(True)
        self.timeline_view.setItemDelegate(TwoLineDelegate(self.timeline_view, bold_heading=False))
        self.timeline_view.setResizeMode(self.timeline_view.ResizeMode.Adjust)  # re-wrap on resize
        self.timeline_view.setSpacing(2)
        self.timeline_view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.timeline_label = QLabel()
        self.timeline_label.setWordWrap(True)  # a long Russian line must not squeeze the left side

        self.log_channel = QComboBox()
        for ch in QUICK_CHANNELS:
            self.log_channel.addItem(channel_label(ch), ch)
        self.log_direction = QComboBox()
        for d in ("mutual", "out", "in"):
            self.log_direction.addItem(direction_label(d), d)
        self.log_text = QLineEdit()
        self.log_text.setPlaceholderText(_("What was it about? (optional)"))
        self.log_text.returnPressed.connect(self.log_interaction)
        self.log_btn = QPushButton(_("Log interaction"))
        self.log_btn.clicked.connect(self.log_interaction)
        log_row = QHBoxLayout()
        log_row.addWidget(self.log_channel)
        log_row.addWidget(self.log_direction)
        log_row.addWidget(self.log_text, 1)
        log_row.addWidget(self.log_btn)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        trow = QHBoxLayout()
        heading = QLabel(_("Timeline"))
        heading.setFont(self.subtitle.font())
        hf = heading.font()
        hf.setBold(True)
        heading.setFont(hf)
        trow.addWidget(heading)
        trow.addWidget(self.timeline_label, 1)
        rl.addLayout(trow)
        rl.addWidget(self.timeline_search)
        rl.addWidget(self.timeline_view, 1)
        rl.addLayout(log_row)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([560, 640])
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.back_btn)
        top.addStretch(1)
        self.dossier_btn = QPushButton(_("Dossier PDF…"))
        self.dossier_btn.clicked.connect(
            lambda: self.contact_id is not None and self.dossier_requested.emit([self.contact_id])
        )
        top.addWidget(self.dossier_btn)
        lay.addLayout(top)
        lay.addWidget(split, 1)

    # --- loading ----------------------------------------------------------------------------

    def show_contact(self, cid: int) -> bool:
        detail = repository.contact_detail(self.db, cid)
        if detail is None:
            return False
        self.contact_id, self.detail = cid, detail
        self._fill()
        self.timeline_search.blockSignals(True)
        self.timeline_search.clear()
        self.timeline_search.blockSignals(False)
        self.timeline.load(cid)
        return True

    def refresh(self) -> None:
        if self.contact_id is not None:
            detail = repository.contact_detail(self.db, self.contact_id)
            if detail is None:
                self.contact_id = None
                self.back_requested.emit()
                return
            self.detail = detail
            self._fill()
            self.timeline.reload()

    def _fill(self) -> None:
        d = self.detail
        self.title.setText(d["display_name"])
        n = d["interaction_count"] or 0
        parts = [p for p in (d.get("title"), d.get("organization")) if p]
        stats = ngettext("%d interaction", "%d interactions", n) % n
        if d.get("last_at"):
            stats += " · " + _("last %s") % format_age(d["last_at"])
        if d.get("by_channel"):
            stats += " · " + ", ".join(
                f"{channel_label(k)} {v}" for k, v in list(d["by_channel"].items())[:4]
            )
        self.subtitle.setText("\n".join([", ".join(parts), stats] if parts else [stats]))
        self.timeline_label.setText(stats)
        photo = repository.contact_photo(self.db, d["id"]) if d.get("has_photo") else None
        pm = QPixmap()
        if photo is None or not pm.loadFromData(photo[0]):
            pm = initials_pixmap(d["display_name"], 96, self.palette())
        self.photo.setPixmap(
            pm.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio,
                      Qt.TransformationMode.SmoothTransformation)
        )  # fmt: skip
        for key, e in self.edits.items():
            e.setText(str(d.get(key) or ""))
        self.tags_edit.setText(", ".join(d["tags"]))
        self.about_edit.setPlainText(d.get("about") or "")
        ids = d["identities"]
        self.identities.setText(
            "\n".join(f"{identity_label(i['kind'])}: {i['raw'] or i['value']}" for i in ids)
            or _("No e-mail, phone or messenger identity yet.")
        )
        self.notes.clear()
        for note in d["notes"]:
            self.notes.addItem(f"{format_when(note['created_at'])}\n{note['text']}")
        self._fill_breakdown(d.get("score"))
        self.keep_box.load(d["id"], d["display_name"])
        self._load_talk(d["id"])

    def _load_talk(self, cid: int) -> None:
        self.talk.setText(_("Looking through your conversations…"))
        self.interests.loading(cid)
        self.tasks.run(_talk_job, self.db, cid, current_language(),
                       on_done=lambda res, c=cid: self._show_talk(c, res),
                       on_error=lambda _exc: self._talk_failed())  # fmt: skip

    def _talk_failed(self) -> None:
        self.talk.setText("")
        self.interests.failed()

    def _reload_talk(self, _result: object = None) -> None:
        if self.contact_id is not None:
            self._load_talk(self.contact_id)

    def _refresh_topics(self) -> None:
        """The global topics are older than the history: recompute them (a write, so on the
        write pool), then show the new shares."""
        from netassist.core.interests import ensure_global_topics

        self.tasks.run(ensure_global_topics, self.db, write=True,
                       on_done=lambda changed: changed and self._reload_talk())  # fmt: skip

    def _show_talk(self, cid: int, res: dict[str, Any]) -> None:
        if cid != self.contact_id:
            return  # the person moved on to another contact
        self.interests.show_data(cid, res["interests"])
        if res["interests"]["stale"]:
            self._refresh_topics()
        parts = []
        if res["openers"]:
            parts.append("<b>" + html.escape(_("Openers")) + "</b><br>"
                         + "<br>".join("• " + html.escape(o) for o in res["openers"]))  # fmt: skip
        if res["topics"]:
            parts.append("<b>" + html.escape(_("Topics")) + "</b><br>"
                         + html.escape(", ".join(res["topics"])))  # fmt: skip
        if res["loops"]:
            parts.append("<b>" + html.escape(_("Open loops")) + "</b><br>"
                         + "<br>".join("• " + html.escape(x) for x in res["loops"]))  # fmt: skip
        self.talk.setText("<br><br>".join(parts) if parts else _("Not enough text yet."))

    def _fill_breakdown(self, score: dict[str, Any] | None) -> None:
        while self.breakdown_grid.count():
            item = self.breakdown_grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()  # out of the layout now; hidden so it never overlaps until deleted
                w.deleteLater()
        items: list[dict[str, Any]] = []
        if score and score.get("breakdown"):
            try:
                parsed = json.loads(score["breakdown"])
                items = (
                    [x for x in parsed if isinstance(x, dict)] if isinstance(parsed, list) else []
                )
            except ValueError:
                items = []
        if not score or not items:
            note = QLabel(
                _("No strength score yet: it is computed from the history by the scoring engine.")
            )
            note.setWordWrap(True)
            self.breakdown_grid.addWidget(note, 0, 0, 1, 4)
            return
        total = QLabel(
            "<b>%s</b>" % (_("Strength %d of 100") % round(score.get("strength") or 0))
            + (
                f" · {tier_label(tier)}"
                if (tier := shown_tier(score.get("tier"), score.get("state")))
                else ""
            )
        )
        self.breakdown_grid.addWidget(total, 0, 0, 1, 4)
        for row, it in enumerate(items, 1):
            points = float(it.get("points") or 0)
            most = float(it.get("max_points") or 0)
            top = most or 1.0  # a component weighing 0 still shows its (empty) bar
            bar = QProgressBar()
            bar.setRange(0, int(top * 10))
            bar.setValue(int(max(0.0, min(points, top)) * 10))
            bar.setTextVisible(False)  # the numbers sit beside it, readable in any style
            bar.setMaximumWidth(110)
            bar.setMaximumHeight(14)
            name = QLabel(component_label(str(it.get("component", ""))))
            line = breakdown_line(it)
            if not most:  # shown for context: no points, and the line says why
                line = f"{line}. {_('Not counted in the strength (weight 0)')}"
            expl = QLabel(line)
            expl.setWordWrap(True)
            nums = QLabel(f"{format_decimal(points)} / {most:.0f}" if most else "—")
            if not most:
                bar.setToolTip(_("Not counted in the strength (weight 0)"))
                nums.setToolTip(bar.toolTip())
            self.breakdown_grid.addWidget(name, row, 0)
            self.breakdown_grid.addWidget(bar, row, 1)
            self.breakdown_grid.addWidget(nums, row, 2)
            self.breakdown_grid.addWidget(expl, row, 3)
        self.breakdown_grid.setColumnStretch(3, 1)

    def _apply_search(self) -> None:
        if self.contact_id is not None:
            self.timeline.load(self.contact_id, self.timeline_search.text())

    # --- writes -----------------------------------------------------------------------------

    def _written(self, _result: object = None) -> None:
        self.refresh()
        self.data_changed.emit()

    def save(self) -> None:
        if self.contact_id is None:
            return
        changed: dict[str, Any] = {}
        for key, e in self.edits.items():
            value = e.text().strip()
            if key == "display_name" and not value:
                continue  # a contact always keeps a name
            if value != (self.detail.get(key) or ""):
                changed[key] = value or (None if key == "birthday" else "")
        about = self.about_edit.toPlainText()
        if about != (self.detail.get("about") or ""):
            changed["about"] = about
        new_tags = {t.strip() for t in self.tags_edit.text().split(",") if t.strip()}
        old_tags = set(self.detail.get("tags") or [])
        cid = self.contact_id

        def write(db: Database) -> None:
            if changed:
                contacts.edit_contact(db, cid, **changed)
            for t in sorted(new_tags - old_tags):
                contacts.tag_contacts(db, [cid], t)
            for t in sorted(old_tags - new_tags):
                contacts.untag_contacts(db, [cid], t)

        if changed or new_tags != old_tags:
            self.tasks.run(write, self.db, write=True, on_done=self._written)

    def add_note(self) -> None:
        text = self.note_edit.text().strip()
        if self.contact_id is None or not text:
            return
        self.note_edit.clear()
        self.tasks.run(contacts.add_note, self.db, self.contact_id, text,
                       write=True, on_done=self._written)  # fmt: skip

    def log_interaction(self) -> None:
        if self.contact_id is None:
            return
        text = self.log_text.text().strip()
        self.log_text.clear()
        self.tasks.run(
            contacts.log_interaction, self.db, self.contact_id,
            self.log_channel.currentData(), None, text, self.log_direction.currentData(),
            write=True, on_done=self._written,
        )  # fmt: skip
