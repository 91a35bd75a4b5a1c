"""Classification of the errors boto3 raises, by the service's error code, for codes the emulator cannot make.

The ClientErrors here are built as botocore builds them from a response
(`{"Error": {"Code", "Message"}, "ResponseMetadata": {...}}`); the wire-level
path is covered by test_faults.py and test_connection.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore import exceptions as bx

from receiptdesk.core.errors import ErrorKind
from receiptdesk.providers.textract.errors import classify


def client_error(code: str, message: str = "", status: int = 400, operation: str = "HeadBucket") -> bx.ClientError:
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": 0},
    }
    return bx.ClientError(response, operation)


@pytest.mark.parametrize(
    ("code", "status", "kind", "words"),
    [
        ("403", 403, ErrorKind.CREDENTIALS, "no permission to use the S3 bucket 'receipts-eu'"),
        ("AccessDenied", 403, ErrorKind.CREDENTIALS, "no permission to use the S3 bucket"),
        ("404", 404, ErrorKind.SETTINGS, "The S3 bucket 'receipts-eu' does not exist in us-east-1"),
        ("NoSuchBucket", 404, ErrorKind.SETTINGS, "does not exist"),
        ("PermanentRedirect", 301, ErrorKind.SETTINGS, "is in another region than Amazon Textract (us-east-1)"),
        ("InvalidAccessKeyId", 403, ErrorKind.CREDENTIALS, "did not accept the access key"),
        ("SignatureDoesNotMatch", 403, ErrorKind.CREDENTIALS, "did not accept the access key"),
        ("ExpiredToken", 400, ErrorKind.CREDENTIALS, "have expired"),
        ("ServiceUnavailable", 503, ErrorKind.SERVICE, "failed on its side"),
        ("SlowDown", 503, ErrorKind.THROTTLED, "Try later"),
        ("SomethingNew", 502, ErrorKind.SERVICE, "failed on its side"),
        ("SomethingNew", 400, ErrorKind.BUG, "does not know"),
    ],
)
def test_s3_and_service_codes(code: str, status: int, kind: ErrorKind, words: str) -> None:
    err = classify(
        client_error(code, status=status), action="opening the S3 bucket", bucket="receipts-eu", region="us-east-1"
    )
    assert err.kind is kind
    assert words in err.message


def test_a_secret_the_service_echoes_back_is_scrubbed() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    e = client_error("InvalidParameterException", f"Bad value {secret} in request", operation="AnalyzeExpense")
    err = classify(e, action="reading the document", secrets=[secret])
    assert secret not in err.message and secret not in (err.detail or "")
    assert "***" in err.message


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (bx.NoCredentialsError(), ErrorKind.CREDENTIALS, "No AWS credentials are set"),
        (
            bx.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
            ErrorKind.CREDENTIALS,
            "incomplete",
        ),
        (bx.ProfileNotFound(profile="work"), ErrorKind.CREDENTIALS, "The AWS profile 'work'"),
        (bx.TokenRetrievalError(provider="sso", error_msg="expired"), ErrorKind.CREDENTIALS, "aws sso login"),
        (bx.NoRegionError(), ErrorKind.SETTINGS, "Choose a valid AWS region"),
        (
            bx.EndpointConnectionError(endpoint_url="https://textract.us-east-1.amazonaws.com/"),
            ErrorKind.NETWORK,
            "reach",
        ),
        (bx.ReadTimeoutError(endpoint_url="https://textract.us-east-1.amazonaws.com/"), ErrorKind.NETWORK, "reach"),
        (bx.SSLError(endpoint_url="https://x", error="bad cert"), ErrorKind.NETWORK, "certificate"),
        (bx.ParamValidationError(report="JobId is required"), ErrorKind.BUG, "invalid request"),
        (ValueError("odd"), ErrorKind.BUG, "unexpected"),
    ],
)
def test_errors_without_a_service_code(error: Exception, kind: ErrorKind, words: str) -> None:
    err = classify(error, action="reading the document", region="us-east-1")
    assert err.kind is kind
    assert words in err.message
