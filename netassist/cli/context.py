"""What a CLI command needs: the home folder, the database (opened on first use), output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from netassist.core.db import Database, DatabaseError, open_database
from netassist.core.settings import Settings, database_path, home_dir


class CliError(Exception):
    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class Context:
    def __init__(self, home_override: str | None = None) -> None:
        self.home: Path = home_dir(home_override)
        self._db: Database | None = None

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / "netassist.log"

    def setup_logging(self) -> None:
        # Logs never carry message text, addresses or secrets: modules log counts and types
        # only, and tracebacks are written without exception messages (core.logsafe).
        from netassist.core.logsafe import log_to_home

        log_to_home(self.home)

    @property
    def db(self) -> Database:
        if self._db is None:
            try:
                self._db = self.open()
            except DatabaseError as exc:
                raise CliError(str(exc)) from exc
        return self._db

    def open(self) -> Database:
        """Open the database; the encryption layer (netassist.core.secrets) supplies the key."""
        key = None
        try:
            from netassist.core.keys import key_for_cli
        except ImportError:
            pass
        else:
            key = key_for_cli(self.home)
        return open_database(database_path(self.home), key)

    @property
    def settings(self) -> Settings:
        return Settings(self.db)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None

    @staticmethod
    def out_json(obj: Any) -> None:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")

    @staticmethod
    def out(text: str = "") -> None:
        sys.stdout.write(text + "\n")
