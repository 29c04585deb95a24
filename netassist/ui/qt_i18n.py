"""Qt's own strings (standard dialog buttons, context menus of line edits) in the app's
language, from the qtbase catalogs PySide6 ships. Our strings use gettext (netassist.core.i18n)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator


class QtTranslations:
    """Holds the one installed QTranslator so a language switch can replace it."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None

    def apply(self, lang: str) -> bool:
        app = QCoreApplication.instance()
        if app is None:
            return False
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        QLocale.setDefault(QLocale(QLocale.Language.Russian if lang == "ru" else
                                   QLocale.Language.English))  # fmt: skip
        if lang == "en":
            return True
        tr = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if tr.load(f"qtbase_{lang}", path):
            app.installTranslator(tr)
            self._translator = tr
            return True
        return False
