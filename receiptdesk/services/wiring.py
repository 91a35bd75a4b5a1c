"""Builds every service once, for the window and the command line alike.

The composition root (app.py for the window, cli.py without one) calls
`open_services` and passes what it gets to constructors; nothing else in
the app creates a library, a keyring or a provider by itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from receiptdesk.services.logs import Redactor, setup_logging
from receiptdesk.services.paths import AppPaths
from receiptdesk.services.providers import Factory, ProviderInfo, Providers
from receiptdesk.services.secrets import SecretStore
from receiptdesk.services.settings import Settings
from receiptdesk.store.library import Library

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Services:
    paths: AppPaths
    settings: Settings
    secrets: SecretStore
    redactor: Redactor
    library: Library
    providers: Providers
    log_file: Path | None

    def close(self) -> None:
        self.library.close()


def provider_factories(settings: Settings, secrets: SecretStore) -> dict[str, tuple[ProviderInfo, Factory]]:
    """Each provider, built lazily from the current settings and keys."""
    factories: dict[str, tuple[ProviderInfo, Factory]] = {}
    return factories


@dataclass(slots=True)
class Readers:
    """What reading needs without the library: `extract` and `parse` never touch it."""

    paths: AppPaths
    settings: Settings
    secrets: SecretStore
    providers: Providers


def open_readers(paths: AppPaths | None = None, *, keyring_backend: object = None) -> Readers:
    paths = paths or AppPaths.from_environment()
    settings = Settings.load(paths.config)
    secrets = SecretStore(Redactor(), keyring_backend)
    return Readers(paths, settings, secrets, Providers(provider_factories(settings, secrets)))


def open_services(
    paths: AppPaths | None = None, *, keyring_backend: object = None, log_to_file: bool = True
) -> Services:
    paths = (paths or AppPaths.from_environment()).ensure()
    redactor = Redactor()
    log_file = setup_logging(paths.logs, redactor) if log_to_file else None
    settings = Settings.load(paths.config)
    secrets = SecretStore(redactor, keyring_backend)
    library = Library(paths.data)
    providers = Providers(provider_factories(settings, secrets))
    log.info("library at %s", paths.data)
    return Services(paths, settings, secrets, redactor, library, providers, log_file)
