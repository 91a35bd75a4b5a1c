"""Settings > Test connection: one cheap call that says exactly what is wrong."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from receiptdesk.core.errors import ErrorKind
from receiptdesk.providers.azure import AzureProvider, AzureSettings
from tests.emulators.azure import AzureEmulator


@pytest.mark.parametrize(("api_version", "path"), [("2023-07-31", "/formrecognizer/info"), ("2.1", "/custom/models")])
def test_a_working_endpoint_and_key_say_so(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, api_version: str, path: str
) -> None:
    provider = AzureProvider(replace(azure_settings, api_version=api_version), azure_emulator.key)
    try:
        result = provider.test_connection()
    finally:
        provider.close()
    assert result.ok and result.kind is None
    assert "the endpoint and key work" in result.message
    (call,) = azure_emulator.calls
    assert call.method == "GET" and call.path.endswith(path)  # cheap: nothing analysed, nothing billed


def test_a_wrong_key(azure_emulator: AzureEmulator, azure_settings: AzureSettings) -> None:
    provider = AzureProvider(azure_settings, "not-the-key-0000000000000000")
    try:
        result = provider.test_connection()
    finally:
        provider.close()
    assert not result.ok and result.kind is ErrorKind.CREDENTIALS
    assert "Azure refused the key for 127.0.0.1" in result.message


@pytest.mark.parametrize(
    ("serves", "asked", "words"), [("2.1", "2023-07-31", "v2.1"), ("2023-07-31", "2.1", "2023-07-31")]
)
def test_an_api_version_the_resource_does_not_serve(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, serves: str, asked: str, words: str
) -> None:
    azure_emulator.served_versions = {serves}
    provider = AzureProvider(replace(azure_settings, api_version=asked), azure_emulator.key)
    try:
        result = provider.test_connection()
    finally:
        provider.close()
    assert not result.ok and result.kind is ErrorKind.SETTINGS
    assert f"serves API {words} but not" in result.message
    assert f"Choose API version {words} in Settings" in result.message


def test_an_endpoint_with_no_form_recognizer_behind_it(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings
) -> None:
    azure_emulator.served_versions = set()  # every route answers the real 404 body
    provider = AzureProvider(azure_settings, azure_emulator.key)
    try:
        result = provider.test_connection()
    finally:
        provider.close()
    assert not result.ok and result.kind is ErrorKind.CREDENTIALS
    assert "No Form Recognizer resource answers at" in result.message
    assert "Check the endpoint URL" in result.message


def test_an_endpoint_nothing_answers_at(azure_settings: AzureSettings, azure_data: Path) -> None:
    closed = AzureEmulator(azure_data).start()
    url = closed.url
    closed.stop()
    provider = AzureProvider(replace(azure_settings, endpoint=url, retry_total=0), "k" * 32)
    try:
        result = provider.test_connection()
    finally:
        provider.close()
    assert not result.ok and result.kind is ErrorKind.NETWORK
    assert "Cannot reach Azure at 127.0.0.1" in result.message
