"""The explicit list of importers and ``detect``, which picks the best sniff.

Imported on first use through ``netassist.importers`` (importing every format module costs
~0.2 s, which the window's start-up does not need)."""

from __future__ import annotations

from pathlib import Path

from netassist.importers.base import Importer, read_head
from netassist.importers.csv_contacts import CsvContactsImporter
from netassist.importers.email_eml import EmlImporter
from netassist.importers.email_mbox import MboxImporter
from netassist.importers.ics import IcsImporter
from netassist.importers.interaction_csv import InteractionCsvImporter
from netassist.importers.messenger import InstagramImporter, MessengerImporter
from netassist.importers.signal import SignalImporter
from netassist.importers.sms_backup import SmsBackupImporter
from netassist.importers.telegram import TelegramImporter
from netassist.importers.vcard import VCardImporter
from netassist.importers.vk import VKImporter
from netassist.importers.whatsapp import WhatsAppImporter

# The explicit list. Each entry is a class; order breaks sniff ties.
IMPORTERS: tuple[type[Importer], ...] = (
    VCardImporter,
    CsvContactsImporter,
    TelegramImporter,
    WhatsAppImporter,
    MessengerImporter,
    InstagramImporter,
    VKImporter,
    SignalImporter,
    SmsBackupImporter,
    InteractionCsvImporter,
    MboxImporter,
    EmlImporter,
    IcsImporter,
)


def importer_by_name(name: str) -> Importer:
    for cls in IMPORTERS:
        if cls.name == name:
            return cls()
    raise KeyError(name)


def detect(path: Path) -> Importer | None:
    """The importer with the highest sniff score for ``path``, or None when none scores > 0.

    A folder is sniffed with an empty head: formats that are folders (Maildir, a Messenger
    conversation, a signal-export folder) claim them by their layout."""
    head = b"" if path.is_dir() else read_head(path)
    best: tuple[int, Importer] | None = None
    for cls in IMPORTERS:
        imp = cls()
        try:
            score = imp.sniff(path, head)
        except Exception:  # a sniff must never sink detection of the others
            score = 0
        if score > 0 and (best is None or score > best[0]):
            best = (score, imp)
    return best[1] if best else None
