"""Importers: one module per source format; an explicit list (``registry.IMPORTERS``);
``detect`` picks the best sniff.

Importers may import ``netassist.core`` record helpers, never the desktop (Qt) package. The list
and ``detect`` load on first use (PEP 562), so importing one format module, or the base
classes, does not import every format.
"""

from __future__ import annotations

from typing import Any

from netassist.importers.base import FormatError, Importer

_REGISTRY = ("IMPORTERS", "detect", "importer_by_name")


def __getattr__(name: str) -> Any:
    if name in _REGISTRY:
        from netassist.importers import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["IMPORTERS", "FormatError", "Importer", "detect", "importer_by_name"]
