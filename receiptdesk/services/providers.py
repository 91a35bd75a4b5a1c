"""Which providers exist and how each is built from settings and keyring secrets.

Providers are built on first use, not at start: the OCR engine and the SDK
clients are heavy, and the window must open at once. Changing a setting or
a key drops the built provider so the next call sees the change; a reading
that holds a `lease` keeps the provider it started with, which is closed
only when the last such reading ends. Mapping a saved response needs no
keys, so `remap` works without building one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from receiptdesk.core.document import Document
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Provider


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    name: str
    title: str
    needs_network: bool


@dataclass(frozen=True, slots=True)
class ProviderEntry:
    info: ProviderInfo
    build: Callable[[], Provider]  # may raise credentials/settings errors the user can act on
    remap: Callable[[Any], Document]  # a saved raw response -> document, no keys needed
    # every receipt or invoice of a saved response (the cloud services can find several in one file)
    remap_all: Callable[[Any], list[Document]] | None = None


class Providers:
    def __init__(self, entries: dict[str, ProviderEntry]) -> None:
        self._entries = entries
        self._built: dict[str, Provider] = {}
        self._leases: dict[int, int] = {}  # id(provider) -> readings using it
        self._retired: dict[int, Provider] = {}  # dropped by a settings change, still in use
        self._lock = threading.Lock()

    def infos(self) -> list[ProviderInfo]:
        return [e.info for e in self._entries.values()]

    def _entry(self, name: str) -> ProviderEntry:
        if name not in self._entries:
            known = ", ".join(self._entries)
            raise ReceiptDeskError(ErrorKind.SETTINGS, f"There is no provider called {name!r} (known: {known}).")
        return self._entries[name]

    def info(self, name: str) -> ProviderInfo:
        return self._entry(name).info

    def get(self, name: str) -> Provider:
        entry = self._entry(name)
        with self._lock:
            if name not in self._built:
                self._built[name] = entry.build()
            return self._built[name]

    def lease(self, name: str) -> contextlib.AbstractContextManager[Provider]:
        """The provider for one reading; raises at once (not on entry) when it cannot be built."""
        provider = self.get(name)
        with self._lock:
            self._leases[id(provider)] = self._leases.get(id(provider), 0) + 1
        return self._held(provider)

    @contextlib.contextmanager
    def _held(self, provider: Provider) -> Iterator[Provider]:
        try:
            yield provider
        finally:
            with self._lock:
                left = self._leases[id(provider)] = self._leases[id(provider)] - 1
                if left == 0:
                    del self._leases[id(provider)]
                retired = self._retired.pop(id(provider), None) if left == 0 else None
            if retired is not None:
                _close(retired)

    def is_built(self, name: str) -> bool:
        """Whether the provider (its OCR engine, its SDK clients) has been built yet."""
        with self._lock:
            return name in self._built

    def remap(self, name: str, raw: Any) -> Document:
        return self._entry(name).remap(raw)

    def remap_all(self, name: str, raw: Any) -> list[Document]:
        """Every document of a saved response, in the order of the file (one for most files)."""
        entry = self._entry(name)
        return entry.remap_all(raw) if entry.remap_all is not None else [entry.remap(raw)]

    def forget(self, name: str | None = None) -> None:
        """Drop built providers (after a settings or key change); one still reading is closed when it ends."""
        closing = []
        with self._lock:
            names = list(self._built) if name is None else [name]
            for n in names:
                provider = self._built.pop(n, None)
                if provider is None:
                    continue
                if id(provider) in self._leases:
                    self._retired[id(provider)] = provider
                else:
                    closing.append(provider)
        for provider in closing:
            _close(provider)


def _close(provider: Provider) -> None:
    close = getattr(provider, "close", None)
    if callable(close):
        close()
