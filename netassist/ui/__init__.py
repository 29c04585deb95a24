"""The desktop app (PySide6). The only package that imports Qt; the composition root is
``netassist.ui.app.main``."""
