"""Every way the service fails becomes one kind with a message the user can act on."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure import AzureProvider, AzureSettings
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from tests.emulators.azure import AzureEmulator
from tests.unit.providers.azure.recorder import Recorder


def failure(provider: AzureProvider, source: Source, ctx: RunContext | None = None) -> ReceiptDeskError:
    with pytest.raises(ReceiptDeskError) as e:
        provider.extract(source, ctx or RunContext())
    assert e.value.hint  # every kind says what to do next
    return e.value


@pytest.mark.parametrize(
    ("api_version", "fault", "kind", "words"),
    [
        ("2023-07-31", "unauthorized", ErrorKind.CREDENTIALS, "Azure refused the key for 127.0.0.1: Access denied"),
        ("2023-07-31", "not_found", ErrorKind.CREDENTIALS, "Check the endpoint URL"),
        (
            "2023-07-31",
            "invalid_locale",
            ErrorKind.SETTINGS,
            "Azure refused the locale en-US: The parameter Locale is invalid",
        ),
        ("2023-07-31", "invalid_content", ErrorKind.BAD_DOCUMENT, "The file is corrupted or format is unsupported"),
        ("2.1", "bad_argument", ErrorKind.BAD_DOCUMENT, "Bad or unrecognizable request JSON or binary file"),
        ("2.1", "unsupported_locale", ErrorKind.SETTINGS, "Supported locales include en-AU, en-CA, en-GB"),
        ("2.1", "not_found", ErrorKind.CREDENTIALS, "found no Form Recognizer API v2.1 at 127.0.0.1"),
    ],
)
def test_each_refusal_of_the_post_has_its_kind(
    azure_emulator: AzureEmulator,
    azure_settings: AzureSettings,
    azure_data: Path,
    api_version: str,
    fault: str,
    kind: ErrorKind,
    words: str,
) -> None:
    azure_emulator.fail_post(fault)
    provider = AzureProvider(replace(azure_settings, api_version=api_version), azure_emulator.key)
    rec = Recorder()
    try:
        error = failure(provider, Source.open(azure_data / "receipt.png"), rec.ctx())
    finally:
        provider.close()
    assert error.kind is kind
    assert words in error.message
    assert rec.checkpoints == []  # nothing was started, nothing to resume
    assert len(azure_emulator.posts()) == 1  # none of these is retried: a retry would fail the same way


def test_a_wrong_key_is_a_credentials_error(
    azure_emulator: AzureEmulator, azure_settings: AzureSettings, azure_data: Path
) -> None:
    provider = AzureProvider(azure_settings, "not-the-key-0000000000000000")
    try:
        error = failure(provider, Source.open(azure_data / "receipt.png"))
    finally:
        provider.close()
    assert error.kind is ErrorKind.CREDENTIALS
    assert "Keys and Endpoint" in error.message
    assert not azure_emulator.calls[0].key_ok


def test_throttling_is_retried_honouring_retry_after_then_succeeds(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    azure_emulator.fail_post("throttled", times=1, retry_after="1")
    azure_emulator.fail_post("throttled", times=1, retry_after="0")
    source = Source.open(azure_data / "receipt.png")
    extraction = azure_provider.extract(source, RunContext())
    assert extraction.document.value("total") is not None
    first, second, third = azure_emulator.posts()
    assert second.at - first.at >= 0.95  # Azure asked for 1 second, and got it
    assert [p.body_size for p in (first, second, third)] == [source.size] * 3  # the file re-sent whole


def test_throttling_that_does_not_stop_is_reported_after_the_retries(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    azure_emulator.fail_post("throttled", times=10)
    error = failure(azure_provider, Source.open(azure_data / "receipt.png"))
    assert error.kind is ErrorKind.THROTTLED
    assert "429 Too Many Requests" in error.message and "after 2 retries" in error.message
    assert len(azure_emulator.posts()) == 3  # the first try and azure-core's two retries


def test_a_used_up_free_tier_says_so(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    azure_emulator.fail_post("quota")
    error = failure(azure_provider, Source.open(azure_data / "receipt.png"))
    assert error.kind is ErrorKind.THROTTLED
    assert "The free tier's monthly pages are used up" in error.message and "switch to a paid tier" in error.message
    assert len(azure_emulator.posts()) == 1  # not retried: it would not pass before next month


def test_a_server_error_on_the_post_is_retried_then_reported(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    # azure-core retries a POST answered 500/503/504: Azure accepted nothing, so nothing was billed.
    azure_emulator.fail_post("server_error", times=10)
    error = failure(azure_provider, Source.open(azure_data / "receipt.png"))
    assert error.kind is ErrorKind.SERVICE and error.retryable
    assert "Azure failed on its side (500): An unexpected error occurred." in error.message
    assert len(azure_emulator.posts()) == 3


@pytest.mark.parametrize("fault", ["server_error", "throttled"])
def test_a_passing_fault_while_polling_is_retried(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path, fault: str
) -> None:
    azure_emulator.fail_poll(fault, times=2)
    extraction = azure_provider.extract(Source.open(azure_data / "receipt.png"), RunContext())
    assert extraction.document.value("vendor_name") == "Contoso"
    assert len(azure_emulator.posts()) == 1


def test_a_lasting_server_error_while_polling_leaves_the_analysis_waiting_with_its_checkpoint(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    azure_emulator.fail_poll("server_error", times=10)
    rec = Recorder()
    error = failure(azure_provider, Source.open(azure_data / "receipt.png"), rec.ctx())
    assert error.kind is ErrorKind.PENDING and error.retryable  # waiting, not failed
    assert len(rec.checkpoints) == 1


@pytest.mark.parametrize(
    ("api_version", "code", "message", "kind"),
    [
        ("2023-07-31", "InternalServerError", "An unexpected error occurred.", ErrorKind.SERVICE),
        ("2023-07-31", "InvalidContent", "The file is corrupted or format is unsupported.", ErrorKind.BAD_DOCUMENT),
        ("2.1", "InternalServerError", "An unexpected error occurred.", ErrorKind.SERVICE),
    ],
)
def test_a_failed_operation_says_why(
    azure_emulator: AzureEmulator,
    azure_settings: AzureSettings,
    azure_data: Path,
    api_version: str,
    code: str,
    message: str,
    kind: ErrorKind,
) -> None:
    azure_emulator.fail_operation(code, message)
    provider = AzureProvider(replace(azure_settings, api_version=api_version), azure_emulator.key)
    try:
        error = failure(provider, Source.open(azure_data / "contoso-allinone.jpg"))
    finally:
        provider.close()
    assert error.kind is kind
    assert message in error.message


def test_an_unreachable_endpoint_is_a_network_error(azure_settings: AzureSettings, azure_data: Path) -> None:
    closed = AzureEmulator(azure_data).start()
    url = closed.url
    closed.stop()  # nothing listens on that port any more
    provider = AzureProvider(replace(azure_settings, endpoint=url, retry_total=0), "k" * 32)
    try:
        error = failure(provider, Source.open(azure_data / "receipt.png"))
    finally:
        provider.close()
    assert error.kind is ErrorKind.NETWORK and error.retryable
    assert "Cannot reach Azure at 127.0.0.1" in error.message


def test_the_key_never_appears_in_messages_logs_or_checkpoints(
    azure_emulator: AzureEmulator,
    azure_settings: AzureSettings,
    azure_data: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # everything azure-core and the SDK log, headers included
    key = azure_emulator.key
    source = Source.open(azure_data / "receipt.png")
    seen: list[str] = []
    for api_version in ("2023-07-31", "2.1"):
        settings = replace(azure_settings, api_version=api_version)
        provider = AzureProvider(settings, key)
        rec = Recorder()
        provider.extract(source, rec.ctx())
        seen += [repr(c) for c in rec.checkpoints] + [repr(provider), repr(provider.clients)]
        for fault, tries in (("unauthorized", 1), ("not_found", 1), ("throttled", 3), ("server_error", 3)):
            azure_emulator.fail_post(fault, times=tries)
            error = failure(provider, source)
            seen += [error.message, error.detail or "", repr(error), str(error.__cause__)]
        azure_emulator.fail_poll("expired")
        error = failure(provider, source)
        seen += [error.message, error.detail or "", str(error.__cause__)]
        seen.append(provider.test_connection().message)
        provider.close()
    wrong = AzureProvider(azure_settings, "a-wrong-key-that-is-long-enough")
    error = failure(wrong, source)
    seen += [error.message, error.detail or ""]
    wrong.close()
    logged = [r.getMessage() for r in caplog.records]
    assert any("Ocp-Apim-Subscription-Key" in m for m in logged)  # the header was logged ...
    assert all(key not in text for text in seen + logged)  # ... but never its value
    assert all("a-wrong-key-that-is-long-enough" not in text for text in seen + logged)


def test_polling_waits_as_long_as_azure_asks(
    azure_emulator: AzureEmulator, azure_provider: AzureProvider, azure_data: Path
) -> None:
    azure_emulator.retry_after = "1"  # "running ... come back in 1 second"
    azure_emulator.polls_before_done = 1
    azure_provider.extract(Source.open(azure_data / "receipt.png"), RunContext())
    first, second = azure_emulator.polls()
    assert second.at - first.at >= 0.95
