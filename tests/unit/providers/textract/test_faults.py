"""Each fault the service can produce, over the wire, ends in the kind of error the user can act on."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from receiptdesk.providers.textract import AwsCredentials, TextractProvider, TextractSettings
from tests.emulators.fixtures import free_port
from tests.emulators.textract import TextractEmulator
from tests.unit.providers.textract.conftest import KEY_ID, SECRET, SESSION_TOKEN

SETTINGS_PLACE = "Tools > Settings > Amazon Textract"


def test_throttled_then_answered(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    textract_emulator.throttle(1)
    extraction = make_provider(max_attempts=3).extract(receipt, RunContext())
    assert extraction.document.value("vendor_name") == "MEGA MARKET PLUS"
    assert textract_emulator.count("AnalyzeExpense") == 2  # botocore waited and tried again


def test_a_retry_is_reported_as_progress_while_it_waits(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    seen: list[str] = []
    textract_emulator.throttle(1)
    make_provider(max_attempts=3).extract(receipt, RunContext(on_progress=lambda f, text: seen.append(text)))
    assert "Amazon Textract is busy; trying again (attempt 2 of 3)" in seen
    assert seen.index("Amazon Textract is busy; trying again (attempt 2 of 3)") < seen.index("Done")


def test_throttled_beyond_the_retries_says_try_later(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    textract_emulator.throttle(10)
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(max_attempts=2).extract(receipt, RunContext())
    assert err.value.kind is ErrorKind.THROTTLED and err.value.retryable
    assert "Try later" in err.value.message and "after 2 tries" in err.value.message
    assert textract_emulator.count("AnalyzeExpense") == 2  # never more than the settings allow


def test_provisioned_throughput_is_throttling_too(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    textract_emulator.throttle(5, code="ProvisionedThroughputExceededException")
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(max_attempts=1).extract(receipt, RunContext())
    assert err.value.kind is ErrorKind.THROTTLED


def test_a_server_error_is_retried_then_reported_as_the_services(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    textract_emulator.fail("InternalServerError", times=None)
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(max_attempts=3).extract(receipt, RunContext())
    assert err.value.kind is ErrorKind.SERVICE and err.value.retryable
    assert "Internal server error" in err.value.message
    assert textract_emulator.count("AnalyzeExpense") == 3


def test_throttling_while_polling_is_ridden_out(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve("analyzeExpenseResponse-multipage.json")
    textract_emulator.throttle(1, operation="GetExpenseAnalysis")
    extraction = make_provider(bucket=s3_bucket, max_attempts=3).extract(two_page_pdf, RunContext())
    assert extraction.document.value("invoice_id") == "00000135"
    assert textract_emulator.count("StartExpenseAnalysis") == 1


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        ("InvalidParameterException", ErrorKind.BAD_DOCUMENT, "refused the request as invalid (Request has invalid"),
        ("UnsupportedDocumentException", ErrorKind.BAD_DOCUMENT, "(Request has unsupported document format)"),
        ("DocumentTooLargeException", ErrorKind.BAD_DOCUMENT, "too large for Amazon Textract"),
        ("BadDocumentException", ErrorKind.BAD_DOCUMENT, "could not read the document"),
        ("InvalidS3ObjectException", ErrorKind.SETTINGS, "could not read the uploaded file from the S3 bucket"),
        ("AccessDeniedException", ErrorKind.CREDENTIALS, "no permission to use Amazon Textract"),
        ("UnrecognizedClientException", ErrorKind.CREDENTIALS, "did not accept the access key"),
        ("ExpiredTokenException", ErrorKind.CREDENTIALS, "have expired"),
    ],
)
def test_analyze_expense_errors(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    receipt: Source,
    code: str,
    kind: ErrorKind,
    words: str,
) -> None:
    textract_emulator.fail(code, times=None)
    with pytest.raises(ReceiptDeskError) as err:
        make_provider().extract(receipt, RunContext())
    assert err.value.kind is kind
    assert words in err.value.message
    if kind is ErrorKind.CREDENTIALS:
        assert SETTINGS_PLACE in err.value.message
    assert textract_emulator.count("AnalyzeExpense") == 1  # nothing here is worth a retry


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        ("InvalidKMSKeyException", ErrorKind.CREDENTIALS, "may not use the KMS key"),
        ("IdempotentParameterMismatchException", ErrorKind.SETTINGS, "already has a job for this document"),
        ("LimitExceededException", ErrorKind.THROTTLED, "as many Amazon Textract jobs as its quota allows"),
        ("InvalidJobIdException", ErrorKind.EXPIRED, "Extract the document again"),
    ],
)
def test_job_errors(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
    code: str,
    kind: ErrorKind,
    words: str,
) -> None:
    operation = "GetExpenseAnalysis" if code == "InvalidJobIdException" else "StartExpenseAnalysis"
    textract_emulator.fail(code, operation=operation, times=None)
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket, max_attempts=1).extract(two_page_pdf, RunContext())
    assert err.value.kind is kind
    assert words in err.value.message


def test_network_down_is_a_network_error(
    make_settings: Callable[..., TextractSettings], credentials: AwsCredentials, receipt: Source
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    provider = TextractProvider(make_settings(endpoint_url=closed), credentials)
    with pytest.raises(ReceiptDeskError) as err:
        provider.extract(receipt, RunContext())
    assert err.value.kind is ErrorKind.NETWORK and err.value.retryable
    assert "Cannot reach Amazon Textract" in err.value.message


def test_s3_down_is_a_network_error_before_any_job(
    make_settings: Callable[..., TextractSettings],
    credentials: AwsCredentials,
    textract_emulator: TextractEmulator,
    two_page_pdf: Source,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    provider = TextractProvider(make_settings(s3_endpoint_url=closed, bucket="receiptdesk-test"), credentials)
    with pytest.raises(ReceiptDeskError) as err:
        provider.extract(two_page_pdf, RunContext())
    assert err.value.kind is ErrorKind.NETWORK
    assert textract_emulator.count("StartExpenseAnalysis") == 0


def test_a_wrong_secret_is_a_credentials_error_that_names_the_setting(
    make_settings: Callable[..., TextractSettings], textract_emulator: TextractEmulator, receipt: Source
) -> None:
    textract_emulator.accept_keys({KEY_ID: SECRET})
    assert TextractProvider(make_settings(), AwsCredentials(KEY_ID, SECRET)).extract(receipt, RunContext())
    wrong = TextractProvider(make_settings(), AwsCredentials(KEY_ID, "not-the-secret"))
    with pytest.raises(ReceiptDeskError) as err:
        wrong.extract(receipt, RunContext())
    assert err.value.kind is ErrorKind.CREDENTIALS
    assert "signature we calculated does not match" in err.value.message
    assert SETTINGS_PLACE in err.value.message


def test_the_secret_never_shows_in_messages_or_logs(
    make_settings: Callable[..., TextractSettings],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    receipt: Source,
    two_page_pdf: Source,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # botocore's own debug logging included
    creds = AwsCredentials(KEY_ID, SECRET, SESSION_TOKEN)
    textract_emulator.accept_keys({KEY_ID: "another-secret"})  # every call fails its signature check
    errors: list[ReceiptDeskError] = []
    for settings in (
        make_settings(),
        make_settings(bucket=s3_bucket),
        make_settings(endpoint_url=f"http://127.0.0.1:{free_port()}"),
    ):
        provider = TextractProvider(settings, creds)
        for source in (receipt, two_page_pdf):
            with pytest.raises(ReceiptDeskError) as err:
                provider.extract(source, RunContext())
            errors.append(err.value)
        result = provider.test_connection()
        assert not result.ok
        assert SECRET not in result.message and SESSION_TOKEN not in result.message
    assert {e.kind for e in errors} >= {ErrorKind.CREDENTIALS, ErrorKind.NETWORK, ErrorKind.SETTINGS}
    for e in errors:
        shown = [e.message, e.detail or "", str(e), repr(e), "".join(traceback.format_exception(e))]
        assert not any(SECRET in s or SESSION_TOKEN in s for s in shown), e.message
    assert caplog.records  # botocore did log its requests
    for record in caplog.records:
        text = record.getMessage() + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        assert SECRET not in text
        # botocore's DEBUG request dumps carry the session token header (the app logs botocore at INFO);
        # nothing at INFO or above, and nothing of ours, ever does.
        if record.levelno >= logging.INFO or record.name.startswith("receiptdesk"):
            assert SESSION_TOKEN not in text, record.name
    assert SECRET not in repr(creds) and SECRET not in str(creds) and KEY_ID not in repr(creds)
