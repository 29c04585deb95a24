"""The tray: icon with the number due, menu (Open, Today's follow-ups, Log interaction…, Pause,
Quit) and the hand-over from reminder jobs (worker threads) to notifications (GUI thread).

Where the desktop has no tray (GNOME without an AppIndicator extension, offscreen), the app says
so once and reminders are shown in the window instead — nothing is lost silently.

On Linux, Qt's tray is the D-Bus StatusNotifierItem protocol when a StatusNotifierWatcher owns
its name on the session bus; ``showMessage`` then becomes an org.freedesktop.Notifications call
that the desktop's notification daemon shows. Qt decides whether a tray exists once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from netassist.core.i18n import _, ngettext
from netassist.core.reminders import snooze_until

MAX_FOLLOWUPS_IN_MENU = 7
MESSAGE_MS = 15000


def _not_paused() -> int:
    return 0


@dataclass
class TrayCallbacks:
    """What the tray asks the rest of the app to do; every callback runs on the GUI thread."""

    open_window: Callable[[], None]
    open_contact: Callable[[int], None]
    log_interaction: Callable[[], None]
    quit_app: Callable[[], None]
    top_followups: Callable[[], list[tuple[int, str, str]]]  # (contact id, name, reason); cheap
    show_in_window: Callable[[str, str], None]  # (title, body) where there is no tray
    pause: Callable[[int], None]  # seconds; 0 resumes
    tray_unavailable: Callable[[str], None]  # told once, with a sentence for the person
    paused_until: Callable[[], int] = field(default=_not_paused)  # epoch seconds, 0 = running


def badge_icon(base: QIcon, count: int, size: int = 64) -> QIcon:
    """``base`` with a red disc carrying ``count`` (99 at most) in the top-right corner."""
    pm = base.pixmap(size, size) if not base.isNull() else QPixmap()
    if pm.isNull():
        pm = QPixmap(size, size)
        pm.fill(QColor("#2d7d9a"))
    if count > 0:
        w = pm.width()
        r = w // 2
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor("#d9342b"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(w - r, 0, r, r)
        p.setPen(QColor("white"))
        f = QFont()
        f.setBold(True)
        f.setPixelSize(max(6, int(r * (0.7 if count < 10 else 0.55))))
        p.setFont(f)
        p.drawText(w - r, 0, r, r, Qt.AlignmentFlag.AlignCenter, str(min(count, 99)))
        p.end()
    return QIcon(pm)


def tooltip_text(count: int) -> str:
    if count <= 0:
        return "netassist"
    return "netassist — " + ngettext("{n} thing due", "{n} things due", count).format(n=count)


def seconds_until_tomorrow(now: datetime | None = None) -> int:
    """Pause "until tomorrow" ends when a snoozed reminder would come back (9:00 next day)."""
    now = now or datetime.now().astimezone()
    return max(60, int((snooze_until("tomorrow", now) - now).total_seconds()))


class TrayController(QObject):
    """Owns the QSystemTrayIcon. ``notify`` may be called from any thread; the message is shown
    by a slot on the thread this object lives in (the GUI thread)."""

    _notify = Signal(str, str, int)
    shown = Signal(str, str, bool)  # title, body, True when it went to the tray (for tests/logs)

    def __init__(
        self,
        icon: QIcon,
        cb: TrayCallbacks,
        parent: QObject | None = None,
        close_notice_shown: bool = False,
    ) -> None:
        """``close_notice_shown``: the person was already told (e.g. kept in settings), so
        closing the window does not say it again."""
        super().__init__(parent)
        self.cb = cb
        self.base_icon = icon
        self.due_count = 0
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.tray: QSystemTrayIcon | None = None
        self.menu: QMenu | None = None
        self.close_notice_shown = close_notice_shown
        self._notify.connect(self._on_notify, Qt.ConnectionType.QueuedConnection)
        if not self.available:
            cb.tray_unavailable(
                _(
                    "This desktop has no system tray, so netassist cannot stay in the tray. "
                    "Reminders will be shown in the netassist window while it is open."
                )
            )
            return
        tray = QSystemTrayIcon(icon, self)
        menu = QMenu()
        self.tray, self.menu = tray, menu
        # D-Bus menus may not emit aboutToShow before showing, so the menu is also rebuilt
        # whenever the follow-ups or the pause state change (refresh_menu)
        menu.aboutToShow.connect(self.refresh_menu)
        tray.setContextMenu(menu)
        tray.activated.connect(self._activated)
        tray.messageClicked.connect(cb.open_window)
        tray.setToolTip(tooltip_text(0))
        self.refresh_menu()
        tray.show()

    # -- notifications ------------------------------------------------------------------------
    def notify(self, title: str, body: str, due_count: int = -1) -> None:
        """Thread-safe: only emits. ``due_count`` ≥ 0 also updates the badge."""
        self._notify.emit(title, body, due_count)

    @Slot(str, str, int)
    def _on_notify(self, title: str, body: str, due_count: int) -> None:
        if due_count >= 0:
            self.set_due_count(due_count)
        self.show_message(title, body)

    def show_message(self, title: str, body: str) -> bool:
        """GUI thread only. True when the tray showed it, False when it went to the window."""
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)
            self.shown.emit(title, body, True)
            return True
        self.cb.show_in_window(title, body)
        self.shown.emit(title, body, False)
        return False

    def set_due_count(self, n: int) -> None:
        self.due_count = max(0, n)
        if self.tray is None:
            return
        self.tray.setIcon(badge_icon(self.base_icon, self.due_count))
        self.tray.setToolTip(tooltip_text(self.due_count))

    def window_closed_notice(self) -> bool:
        """Call from the window's closeEvent. Says once that netassist keeps running in the
        tray. False when there is no tray: the caller should really close (or minimise)."""
        if self.tray is None:
            return False
        if not self.close_notice_shown:
            self.close_notice_shown = True
            self.show_message(
                "netassist",
                _(
                    "netassist keeps running in the tray, so reminders still reach you. "
                    "Use Quit in the tray menu to stop it."
                ),
            )
        return True

    # -- menu -----------------------------------------------------------------------------------
    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.cb.open_window()

    @Slot()
    def refresh_menu(self) -> None:
        if self.menu is not None:
            self.build_menu(self.menu)

    def build_menu(self, m: QMenu) -> None:
        """Fill ``m`` with the tray menu (also usable for a window menu where there is no tray).
        The submenus are named ``followups`` and ``pause`` (``m.findChild(QMenu, "pause")``)."""
        for old in [c for c in m.children() if isinstance(c, QMenu)]:
            old.setObjectName("")  # clear() keeps submenus alive; drop the previous ones
            old.deleteLater()
        m.clear()
        m.addAction(_("Open netassist"), self.cb.open_window)
        sub = m.addMenu(_("Today's follow-ups"))
        sub.setObjectName("followups")
        items = self.cb.top_followups()[:MAX_FOLLOWUPS_IN_MENU]
        if not items:
            sub.addAction(_("Nothing due today")).setEnabled(False)
        for cid, name, reason in items:
            act = QAction(f"{name} — {reason}" if reason else name, sub)
            act.setData(cid)
            act.triggered.connect(lambda _checked=False, c=cid: self.cb.open_contact(c))
            sub.addAction(act)
        m.addAction(_("Log interaction…"), self.cb.log_interaction)
        pause = m.addMenu(_("Pause reminders"))
        pause.setObjectName("pause")
        until = self.cb.paused_until()
        if until > int(datetime.now().timestamp()):
            at = datetime.fromtimestamp(until).strftime("%H:%M")
            pause.addAction(_("Paused until {time}").format(time=at)).setEnabled(False)
            pause.addAction(_("Resume reminders"), lambda: self._pause(0))
        pause.addAction(_("For 1 hour"), lambda: self._pause(3600))
        pause.addAction(_("Until tomorrow"), lambda: self._pause(seconds_until_tomorrow()))
        m.addSeparator()
        m.addAction(_("Quit"), self.cb.quit_app)

    def _pause(self, seconds: int) -> None:
        self.cb.pause(seconds)
        self.refresh_menu()

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
