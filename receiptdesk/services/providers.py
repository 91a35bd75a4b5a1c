"""Which providers exist and how each is built from settings and keyring secrets.

Providers are built on first use, not at start: the OCR engine and the SDK
clients are heavy, and the window must open at once. Changing a setting or
a key drops the built provider so the next call sees the change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Provider

Factory = Callable[[], Provider]


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    name: str
    title: str
    needs_network: bool


class Providers:
    def __init__(self, factories: dict[str, tuple[ProviderInfo, Factory]]) -> None:
        self._factories = factories
        self._built: dict[str, Provider] = {}
        self._lock = threading.Lock()

    def infos(self) -> list[ProviderInfo]:
        return [info for info, _ in self._factories.values()]

    def info(self, name: str) -> ProviderInfo:
        return self._factories[name][0]

    def get(self, name: str) -> Provider:
        if name not in self._factories:
            known = ", ".join(self._factories)
            raise ReceiptDeskError(ErrorKind.SETTINGS, f"There is no provider called {name!r} (known: {known}).")
        with self._lock:
            if name not in self._built:
                self._built[name] = self._factories[name][1]()
            return self._built[name]

    def forget(self, name: str | None = None) -> None:
        """Drop built providers (after a settings or key change)."""
        with self._lock:
            if name is None:
                self._built.clear()
            else:
                self._built.pop(name, None)
