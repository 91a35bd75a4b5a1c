"""Keys for the cloud services, kept only in the OS keyring.

When no keyring works (a bare Linux session without a Secret Service) the
user is told plainly and the key is kept in memory until they quit; it is
never written to a file. Every value seen here is registered with the log
redactor so it can never reach a log line.
"""

from __future__ import annotations

import logging
from typing import Any

from receiptdesk import APP_NAME
from receiptdesk.services.logs import Redactor

log = logging.getLogger(__name__)

SERVICE = APP_NAME
AWS_ACCESS_KEY_ID = "aws_access_key_id"
AWS_SECRET_ACCESS_KEY = "aws_secret_access_key"
AWS_SESSION_TOKEN = "aws_session_token"
AZURE_KEY = "azure_key"
NAMES = (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AZURE_KEY)

NO_KEYRING = (
    "No system keyring is available, so keys are kept only until you quit ReceiptDesk. "
    "Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Manager) "
    "to keep them."
)


class SecretStore:
    def __init__(self, redactor: Redactor, backend: Any = None) -> None:
        self._redactor = redactor
        self._backend = backend
        self._memory: dict[str, str] = {}
        self._problem: str | None = None
        self._checked = False

    def _keyring(self) -> Any:
        """The keyring backend, looked up on first use (never at import: it may touch D-Bus)."""
        if not self._checked:
            self._checked = True
            if self._backend is None:
                import keyring

                self._backend = keyring.get_keyring()
            if _is_unusable(self._backend):
                self._problem = NO_KEYRING
        return None if self._problem else self._backend

    @property
    def backend_name(self) -> str:
        backend = self._keyring()
        if backend is None:
            return "memory (until you quit)"
        return str(getattr(backend, "name", type(backend).__name__))

    @property
    def problem(self) -> str | None:
        """A message for the user when keys cannot be kept between sessions."""
        self._keyring()
        return self._problem

    def get(self, name: str) -> str | None:
        value = self._memory.get(name)
        backend = self._keyring()
        if value is None and backend is not None:
            try:
                value = backend.get_password(SERVICE, name)
            except Exception as e:  # noqa: BLE001 - every keyring backend raises its own types
                self._fall_back(e)
                value = self._memory.get(name)
        if value:
            self._redactor.add(value)
        return value or None

    def set(self, name: str, value: str) -> None:
        value = value.strip()
        if not value:
            self.delete(name)
            return
        self._redactor.add(value)
        backend = self._keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, name, value)
                self._memory.pop(name, None)
                return
            except Exception as e:  # noqa: BLE001 - every keyring backend raises its own types
                self._fall_back(e)
        self._memory[name] = value

    def delete(self, name: str) -> None:
        self._memory.pop(name, None)
        backend = self._keyring()
        if backend is None:
            return
        try:
            backend.delete_password(SERVICE, name)
        except Exception as e:  # noqa: BLE001 - "not found" is also an exception in keyring
            log.debug("keyring delete of %s: %s", name, type(e).__name__)

    def _fall_back(self, e: Exception) -> None:
        log.warning("the system keyring failed (%s); keeping keys in memory for this session", type(e).__name__)
        self._problem = NO_KEYRING
        self._backend = None


def _is_unusable(backend: Any) -> bool:
    module = type(backend).__module__
    return (
        module.startswith(("keyring.backends.fail", "keyring.backends.null"))
        or "PlaintextKeyring" in type(backend).__name__
    )
