"""``python -m netassist.ui.screenshots OUTDIR``: every main view at 1280×800, in English and
Russian, from a temporary home holding the demo network. Offscreen Qt works."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette


def _settle(app: object, tasks: object, rounds: int = 6) -> None:
    """Let background loads finish and their results paint."""
    for _ in range(rounds):
        tasks.wait(30000)  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]


def _settle_report(app: object, win: object) -> None:
    """The report is gathered by a task, then drawn in timer steps on the GUI thread."""
    reports = win.reports  # type: ignore[attr-defined]
    while reports.busy():
        win.tasks.wait(30000)  # type: ignore[attr-defined]
        app.processEvents()  # type: ignore[attr-defined]
    _settle(app, win.tasks)  # type: ignore[attr-defined]


def take(outdir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from netassist.core.demo import load_demo
    from netassist.core.i18n import set_language
    from netassist.ui.app import build_context
    from netassist.ui.main_window import MainWindow

    outdir.mkdir(parents=True, exist_ok=True)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="netassist-shots-") as tmp:
        ctx = build_context(Path(tmp))
        load_demo(ctx.db)
        ctx.settings.set("demo_offered", True)
        _score_if_available(ctx.db)
        ctx.settings.set("language", "en")
        set_language("en")
        win = MainWindow(ctx)
        win.resize(1280, 800)
        win.show()
        win.start()
        _settle(app, win.tasks)
        with ctx.db.engine.connect() as conn:
            busiest = conn.exec_driver_sql(
                "SELECT contact_id FROM interaction GROUP BY contact_id ORDER BY count(*) DESC"
                " LIMIT 1"
            ).scalar()
        from netassist.core.agenda import add_reminder
        from netassist.core.timeutil import now_ts

        # a reminder due now (Today lists it) and a weekly one (the contact page's box shows it)
        add_reminder(ctx.db, "Отправить презентацию", now_ts() - 600, int(busiest or 1))
        add_reminder(ctx.db, "Созвон по проекту", now_ts() + 3 * 86400, int(busiest or 1),
                     "weekly")  # fmt: skip
        win.today.reload()
        _settle(app, win.tasks)
        for lang in ("en", "ru"):
            if lang != "en":
                win.apply_settings({"language": lang})
                _settle(app, win.tasks)
            for page in ("today", "contacts", "insights", "reports", "import"):
                win.show_page(page)
                _settle(app, win.tasks)
                saved.append(_grab(win, outdir / f"{lang}-{page}.png"))
                if page == "today":  # Done… on the first item: log an interaction or not
                    win.today.done_selected()
                    app.processEvents()
                    if win.today.done_dialog is not None:
                        saved.append(_grab(win.today.done_dialog, outdir / f"{lang}-done.png"))
                        win.today.done_dialog.reject()
            # the Reports page: a network review previewed, then dossiers of two people chosen
            win.show_page("reports")
            win.reports.kind_network.setChecked(True)
            win.reports.generate()
            _settle_report(app, win)
            saved.append(_grab(win, outdir / f"{lang}-reports-preview.png"))
            win.show_dossiers([int(busiest or 1), win.contacts.model.contact_id(0) or 1])
            _settle(app, win.tasks)
            win.reports.generate()
            _settle_report(app, win)
            saved.append(_grab(win, outdir / f"{lang}-reports-dossiers.png"))
            # the import page with files queued, then its result page
            samples = Path(tmp) / f"samples-{lang}"
            samples.mkdir()
            (samples / "notes.txt").write_text("не адресная книга\n", encoding="utf-8")
            (samples / "photo.bin").write_bytes(bytes(range(256)))
            win.show_page("import")
            win.importer.add_paths([samples])
            _settle(app, win.tasks)
            saved.append(_grab(win, outdir / f"{lang}-import-queued.png"))
            win.importer.start()
            _settle(app, win.tasks)
            saved.append(_grab(win, outdir / f"{lang}-import-result.png"))
            win.importer._restart()
            win.open_contact(int(busiest or 1))
            _settle(app, win.tasks)
            saved.append(_grab(win, outdir / f"{lang}-contact.png"))
            win.search_edit.setText("рыбалка" if lang == "ru" else "project")
            win.run_search()
            _settle(app, win.tasks)
            saved.append(_grab(win, outdir / f"{lang}-search.png"))
            win.search_edit.clear()
            win.show_page("today")  # so the language switch does not re-run the search
            from netassist.ui.dialogs.settings_dialog import SettingsDialog

            dlg = SettingsDialog(ctx.settings, str(ctx.home), win, ctx=ctx, tasks=win.tasks)
            dlg.show()
            for i, tab in enumerate(("", "-people", "-privacy")[: dlg.tabs.count()]):
                dlg.tabs.setCurrentIndex(i)
                dlg.adjustSize()
                app.processEvents()
                saved.append(_grab(dlg, outdir / f"{lang}-settings{tab}.png"))
            dlg.close()
        # the system's dark palette, as a dark desktop gives it: nothing may be hard-coded light
        win.apply_settings({"language": "en"})
        app.setStyle("Fusion")
        app.setPalette(_dark_palette())
        _settle(app, win.tasks)
        for page in ("contacts", "insights", "reports"):
            win.show_page(page)
            if page == "insights":
                win.insights.reload()
            _settle(app, win.tasks)
            saved.append(_grab(win, outdir / f"dark-{page}.png"))
        win.open_contact(int(busiest or 1))
        _settle(app, win.tasks)
        saved.append(_grab(win, outdir / "dark-contact.png"))
        win.close()
        _settle(app, win.tasks)
        ctx.db.dispose()
    return saved


def _dark_palette() -> QPalette:
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#333333",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Mid: "#444444",
        QPalette.ColorRole.PlaceholderText: "#8a8a8a", QPalette.ColorRole.ToolTipBase: "#333333",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
    }  # fmt: skip
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.WindowText):  # fmt: skip
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return p


def _score_if_available(db: object) -> None:
    """Strength, follow-ups and breakdowns show only once the engine has scored contacts; the
    engine lives in its own module, which this screenshot run uses when it is there."""
    try:
        from netassist.core.scoring import rescore  # type: ignore[import-not-found]
    except ImportError:
        return
    rescore(db)


def _grab(widget: object, path: Path) -> Path:
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0] if args else "screenshots")
    for p in take(outdir):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
