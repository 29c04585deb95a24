"""Secrets (the database key, IMAP passwords) live only in the OS keyring.

Headless Linux often has no keyring backend at all (``keyring.errors.NoKeyringError``, or the
"fail" backend): :class:`SecretStoreUnavailable` says so in words a person can act on, and the
callers offer a fallback (a passphrase, asking each time). Secrets are never logged.
"""

from __future__ import annotations

import logging

SERVICE = "netassist"
log = logging.getLogger(__name__)


class SecretStoreUnavailable(Exception):
    pass


def _keyring():  # type: ignore[no-untyped-def]
    try:
        import keyring
        from keyring.backends import fail

        kr = keyring.get_keyring()
    except Exception as exc:  # not installed, or a backend that fails to load
        raise SecretStoreUnavailable(
            f"the OS keyring cannot be used ({type(exc).__name__})"
        ) from exc
    if isinstance(kr, fail.Keyring):
        raise SecretStoreUnavailable(
            "no OS keyring is available on this system (on Linux: install and unlock "
            "gnome-keyring or KWallet, or another Secret Service provider)"
        )
    return keyring


def available() -> bool:
    try:
        _keyring()
    except SecretStoreUnavailable:
        return False
    return True


def backend_name() -> str | None:
    """The keyring backend in use ("SecretService Keyring", "Windows WinVaultKeyring"...), or
    None when there is none to use."""
    try:
        kr = _keyring().get_keyring()
    except SecretStoreUnavailable:
        return None
    return str(getattr(kr, "name", None) or type(kr).__name__)


def get_secret(name: str) -> str | None:
    kr = _keyring()
    try:
        return kr.get_password(SERVICE, name)
    except Exception as exc:  # backend errors: locked, D-Bus gone...
        log.warning("keyring read failed: %s", type(exc).__name__)
        raise SecretStoreUnavailable(
            f"the OS keyring could not be read ({type(exc).__name__})"
        ) from exc


def set_secret(name: str, value: str) -> None:
    kr = _keyring()
    try:
        kr.set_password(SERVICE, name, value)
    except Exception as exc:
        log.warning("keyring write failed: %s", type(exc).__name__)
        raise SecretStoreUnavailable(
            f"the OS keyring refused to store a secret ({type(exc).__name__})"
        ) from exc


def delete_secret(name: str) -> None:
    kr = _keyring()
    try:
        kr.delete_password(SERVICE, name)
    except Exception as exc:  # missing entries are fine
        if type(exc).__name__ != "PasswordDeleteError":
            raise SecretStoreUnavailable(f"keyring error ({type(exc).__name__})") from exc
