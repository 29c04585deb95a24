"""Render resources/icons/netassist.svg to the icons each platform wants (PNG sizes for the
Linux .desktop entry, .ico for Windows, .icns for macOS) with Qt's own image plugins."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "icons"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    svg = ROOT / "resources" / "icons" / "netassist.svg"
    OUT.mkdir(parents=True, exist_ok=True)
    if not svg.exists():
        print(f"warning: {svg} not found; the bundle is built without icons", file=sys.stderr)
        return 0
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        print(f"cannot read {svg}", file=sys.stderr)
        return 1
    for size in (16, 32, 48, 64, 128, 256, 512):
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        renderer.render(p)
        p.end()
        img.save(str(OUT / f"netassist-{size}.png"))
        if size == 256:
            img.save(str(OUT / "netassist.ico"))
        if size == 512:
            img.save(str(OUT / "netassist.icns"))
    print(f"icons in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
