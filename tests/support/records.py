"""Records as importers yield them, for tests that feed ingest directly."""

from __future__ import annotations

from typing import Any

from netassist.core.records import IdentityRef, ImportedContact


def card(key: str, name: str, *idents: IdentityRef, **kw: Any) -> ImportedContact:
    """A contact as a vCard importer yields it: ``key`` is its source key and line."""
    return ImportedContact(source_key=key, where=f"f.vcf:{key}", full_name=name,
                           identities=idents, **kw)  # fmt: skip
