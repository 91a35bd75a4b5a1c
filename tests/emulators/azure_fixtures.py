"""Pytest fixtures for the local Azure emulator; import them in a conftest.

from tests.emulators.azure_fixtures import azure_emulator, azure_settings, azure_provider  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from receiptdesk.providers.azure import AzureProvider, AzureSettings
from tests.emulators.azure import AzureEmulator


@pytest.fixture
def azure_emulator(shared: Path) -> Iterator[AzureEmulator]:
    """A fresh emulator per test, answering with the recordings in ../shared/data/responses/azure."""
    emulator = AzureEmulator(shared / "data" / "responses" / "azure").start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def azure_settings(azure_emulator: AzureEmulator) -> AzureSettings:
    """Settings pointing at the emulator, tuned so a test takes milliseconds (no real waits)."""
    return AzureSettings(
        endpoint=azure_emulator.url,
        polling_interval=0.01,
        retry_total=2,
        retry_backoff_factor=0.0,
        timeout=10.0,
    )


@pytest.fixture
def azure_provider(azure_settings: AzureSettings, azure_emulator: AzureEmulator) -> Iterator[AzureProvider]:
    provider = AzureProvider(azure_settings, azure_emulator.key)
    try:
        yield provider
    finally:
        provider.close()
