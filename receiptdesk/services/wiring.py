"""Builds every service once, for the window and the command line alike.

The composition root (app.py for the window, cli.py without one) calls
`open_services` and passes what it gets to constructors; nothing else in
the app creates a library, a keyring or a provider by itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import Document
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Provider
from receiptdesk.services.logs import Redactor, setup_logging
from receiptdesk.services.paths import AppPaths
from receiptdesk.services.providers import ProviderEntry, ProviderInfo, Providers
from receiptdesk.services.secrets import (
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    AZURE_KEY,
    SecretStore,
)
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


def _azure(settings: Settings, secrets: SecretStore) -> ProviderEntry:
    def build() -> Provider:
        from receiptdesk.providers.azure import AzureProvider, AzureSettings

        config = AzureSettings(
            endpoint=settings.get("azure.endpoint"),
            api_version=settings.get("azure.api_version"),
            model=settings.get("azure.model"),
            locale=settings.get("azure.locale"),
            tier=settings.get("azure.tier"),
            pages=settings.get("azure.pages").strip(),
            price_per_page=_price(settings.get("azure.price_per_page")),
        )
        return AzureProvider(config, secrets.get(AZURE_KEY) or "")

    def remap(raw: Any) -> Document:
        from receiptdesk.providers.azure import remap as azure_remap

        return azure_remap(raw)

    def remap_all(raw: Any) -> list[Document]:
        from receiptdesk.providers.azure.mapping import remap_all as azure_remap_all

        return azure_remap_all(raw)

    return ProviderEntry(ProviderInfo("azure", "Azure Form Recognizer", True), build, remap, remap_all)


def date_order(settings: Settings) -> DateOrder | None:
    """The user's habit for dates like 03/04; None: each document decides."""
    order = settings.get("extract.date_order")
    return None if order == "auto" else DateOrder(order)


def usual_currency(settings: Settings) -> str | None:
    """The currency of a receipt that prints none and names no country; None: left blank."""
    return settings.get("extract.currency") or None


def _local(settings: Settings) -> ProviderEntry:
    def build() -> Provider:
        from receiptdesk.providers.local.provider import LocalProvider

        return LocalProvider(
            workers=settings.get("extract.workers"), date_order=date_order(settings), currency=usual_currency(settings)
        )

    def remap(raw: Any) -> Document:
        from receiptdesk.providers.local.provider import LocalProvider

        # Re-parsing stored words needs no OCR engine: nothing is loaded until a page needs OCR.
        return LocalProvider(date_order=date_order(settings), currency=usual_currency(settings)).remap(raw)

    return ProviderEntry(ProviderInfo("local", "On this computer", False), build, remap)


def _textract(settings: Settings, secrets: SecretStore) -> ProviderEntry:
    def build() -> Provider:
        from receiptdesk.providers.textract import AwsCredentials, TextractProvider, TextractSettings

        def text(key: str) -> str | None:
            return settings.get(key).strip() or None

        config = TextractSettings(
            region=settings.get("textract.region"),
            profile=text("textract.profile"),
            bucket=text("textract.bucket"),
            prefix=settings.get("textract.prefix"),
            job_tag=text("textract.job_tag"),
            kms_key_id=text("textract.kms_key_id"),
            output_bucket=text("textract.output_bucket"),
            output_prefix=text("textract.output_prefix"),
            delete_uploaded=settings.get("textract.delete_uploaded"),
            price_per_page=_price(settings.get("textract.price_per_page")),
            endpoint_url=text("textract.endpoint_url"),
            s3_endpoint_url=text("textract.s3_endpoint_url"),
        )
        key_id, secret = secrets.get(AWS_ACCESS_KEY_ID), secrets.get(AWS_SECRET_ACCESS_KEY)
        credentials = (
            AwsCredentials(key_id, secret, secrets.get(AWS_SESSION_TOKEN)) if key_id and secret and not config.profile
            else None  # a profile, or the standard AWS chain (environment, ~/.aws, instance role)
        )  # fmt: skip
        return TextractProvider(config, credentials, date_order=date_order(settings))

    def remap(raw: Any) -> Document:
        from receiptdesk.providers.textract import map_response

        return map_response(raw, date_order=date_order(settings))

    def remap_all(raw: Any) -> list[Document]:
        from receiptdesk.providers.textract.mapping import map_documents

        return map_documents(raw, date_order=date_order(settings))

    return ProviderEntry(ProviderInfo("textract", "Amazon Textract", True), build, remap, remap_all)


def _price(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ReceiptDeskError(ErrorKind.SETTINGS, f"The price per page “{text}” is not a number.") from None


def provider_entries(settings: Settings, secrets: SecretStore) -> dict[str, ProviderEntry]:
    """Each provider, built lazily from the current settings and keys."""
    entries = [_local(settings), _textract(settings, secrets), _azure(settings, secrets)]
    return {e.info.name: e for e in entries}


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
    return Readers(paths, settings, secrets, Providers(provider_entries(settings, secrets)))


def open_services(
    paths: AppPaths | None = None, *, keyring_backend: object = None, log_to_file: bool = True
) -> Services:
    paths = (paths or AppPaths.from_environment()).ensure()
    redactor = Redactor()
    log_file = setup_logging(paths.logs, redactor) if log_to_file else None
    settings = Settings.load(paths.config)
    secrets = SecretStore(redactor, keyring_backend)
    library = Library(paths.data)
    providers = Providers(provider_entries(settings, secrets))
    log.info("library at %s", paths.data)
    return Services(paths, settings, secrets, redactor, library, providers, log_file)
