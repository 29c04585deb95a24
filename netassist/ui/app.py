"""The composition root: settings → home → database → services → QApplication → MainWindow.

Nothing else in netassist creates a database connection for the GUI or a QApplication. No work
at import time; heavy modules (scikit-learn, pymorphy3) are not imported on the way to the
first window.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from netassist.core.db import DatabaseError, open_database
from netassist.core.i18n import set_language
from netassist.core.settings import Settings, database_path, home_dir
from netassist.ui.context import AppContext

log = logging.getLogger(__name__)


def resources_dir() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled:
        return Path(bundled) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def build_context(home: Path | None = None) -> AppContext:
    """Home folder, database and settings: everything the window needs that is not Qt."""
    home = home or home_dir()
    home.mkdir(parents=True, exist_ok=True)
    db = open_database(database_path(home))
    settings = Settings(db)
    set_language(settings.get("language"))
    return AppContext(home=home, db=db, settings=settings)


def main(minimized: bool = False) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        ctx = build_context()
    except DatabaseError as exc:
        print(f"netassist: {exc}", file=sys.stderr)
        return 2

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from netassist.ui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("netassist")
    app.setOrganizationName("netassist")
    app.setApplicationDisplayName("netassist")
    icon = resources_dir() / "icons" / "netassist.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    window = MainWindow(ctx)
    if minimized:
        window.showMinimized()
    else:
        window.show()
    window.start()
    try:
        return int(app.exec())
    finally:
        ctx.db.dispose()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
