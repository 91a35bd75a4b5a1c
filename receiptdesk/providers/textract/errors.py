"""botocore failures -> the few kinds a user can act on, classified once, here.

Service errors are told apart by their code (`e.response["Error"]["Code"]`,
as the service sends it), never by exception class names. Messages say
what happened in the user's words, add the service's reason where it
helps, and never carry a secret: the secret key and session token are
scrubbed from anything we pass on, even text the service sent back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore import exceptions as bx

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.textract.settings import SETTINGS_PLACE

SERVICE_NAME = "Amazon Textract"

THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
    }
)
INVALID_KEY_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidAccessKeyId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "AuthFailure",
        "InvalidToken",
    }
)
EXPIRED_KEY_CODES = frozenset({"ExpiredTokenException", "ExpiredToken", "RequestExpired", "TokenRefreshRequired"})
NO_PERMISSION_CODES = frozenset({"AccessDeniedException", "AccessDenied", "Forbidden", "403"})
SERVICE_CODES = frozenset({"InternalServerError", "InternalError", "InternalFailure", "ServiceUnavailable"})
BUCKET_MISSING_CODES = frozenset({"NoSuchBucket", "404", "NotFound"})
WRONG_REGION_CODES = frozenset(
    {"PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "301"}
)
_DOCUMENT_MESSAGES = {
    "UnsupportedDocumentException": (
        "Amazon Textract does not support this document's format{reason}. It reads JPEG, PNG, PDF and TIFF; "
        "a PDF or TIFF read directly must have a single page."
    ),
    "DocumentTooLargeException": (
        "The document is too large for Amazon Textract{reason}. Files read directly may be up to 10 MB; "
        "PDF and TIFF files read through S3 up to 500 MB."
    ),
    "BadDocumentException": (
        "Amazon Textract could not read the document{reason}. Check that it opens in another program "
        "and is not protected by a password."
    ),
    "InvalidParameterException": "Amazon Textract refused the request as invalid{reason}.",
}


def scrub(text: str, secrets: Iterable[str]) -> str:
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    return text


def _reason(message: str) -> str:
    message = message.strip().rstrip(".")
    return f" ({message})" if message else ""


def error_code(e: Exception) -> str:
    """The service's error code of a ClientError, "" for anything else."""
    response = getattr(e, "response", None)
    if isinstance(e, bx.ClientError) and isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def classify(
    e: Exception,
    *,
    action: str,
    secrets: Iterable[str] = (),
    bucket: str | None = None,
    region: str = "",
) -> ReceiptDeskError:
    """One ReceiptDeskError for whatever boto3 raised while doing `action` ("reading the document" ...)."""
    secrets = tuple(secrets)
    kind, message = _classify(e, action=action, bucket=bucket, region=region)
    detail = scrub(f"{type(e).__name__}: {e}", secrets)
    return ReceiptDeskError(kind, scrub(message, secrets), detail=detail)


def _classify(e: Exception, *, action: str, bucket: str | None, region: str) -> tuple[ErrorKind, str]:
    if isinstance(e, bx.ClientError):
        response: dict[str, Any] = dict(e.response) if isinstance(e.response, dict) else {}
        error = response.get("Error", {}) or {}
        code = str(error.get("Code", ""))
        meta = response.get("ResponseMetadata", {}) or {}
        attempts = int(meta.get("RetryAttempts") or 0) + 1  # what botocore's retries already spent
        message = str(error.get("Message", "") or "")
        return _client_error(code, message, meta.get("HTTPStatusCode"), action, bucket, region, attempts)
    if isinstance(e, bx.NoCredentialsError):
        return ErrorKind.CREDENTIALS, (
            f"No AWS credentials are set for Amazon Textract. Enter an access key, or name an AWS profile, "
            f"in {SETTINGS_PLACE}."
        )
    if isinstance(e, bx.PartialCredentialsError):
        return ErrorKind.CREDENTIALS, (
            f"The AWS credentials are incomplete (an access key ID needs its secret). Check them in {SETTINGS_PLACE}."
        )
    if isinstance(e, bx.ProfileNotFound):
        return ErrorKind.CREDENTIALS, (
            f"The AWS profile {getattr(e, 'kwargs', {}).get('profile', '')!r} is not in your AWS config files "
            f"(~/.aws/config, ~/.aws/credentials). Check its name in {SETTINGS_PLACE}."
        )
    if isinstance(e, bx.SSOError | bx.TokenRetrievalError | bx.CredentialRetrievalError):
        return ErrorKind.CREDENTIALS, (
            f"The AWS profile's credentials could not be loaded{_reason(str(e))}. Sign in again "
            f"(for example `aws sso login`) or enter an access key in {SETTINGS_PLACE}."
        )
    if isinstance(e, bx.NoRegionError | bx.InvalidRegionError):
        return ErrorKind.SETTINGS, f"Choose a valid AWS region for Amazon Textract in {SETTINGS_PLACE}."
    if isinstance(e, bx.SSLError):
        return ErrorKind.NETWORK, (
            f"The secure connection to Amazon Textract failed while {action} (its certificate was not accepted). "
            "Check the endpoint and any proxy between you and AWS."
        )
    if isinstance(e, bx.ConnectionError | bx.HTTPClientError):
        return ErrorKind.NETWORK, (
            f"Cannot reach Amazon Textract{f' in {region}' if region else ''} while {action}{_reason(str(e))}. "
            "Check the network; the document will be read when it is back."
        )
    if isinstance(e, bx.ParamValidationError):
        return ErrorKind.BUG, f"ReceiptDesk built an invalid request while {action}{_reason(str(e))}."
    return ErrorKind.BUG, f"Something unexpected went wrong while {action}: {type(e).__name__}{_reason(str(e))}."


def _client_error(
    code: str, message: str, status: Any, action: str, bucket: str | None, region: str, attempts: int
) -> tuple[ErrorKind, str]:
    reason = _reason(message)
    if code in THROTTLING_CODES:
        tries = f" after {attempts} tries" if attempts > 1 else ""
        return ErrorKind.THROTTLED, (
            f"Amazon Textract is busy and asked ReceiptDesk to slow down{tries} while {action}. "
            "Try later: the document stays in the library."
        )
    if code == "LimitExceededException":
        return ErrorKind.THROTTLED, (
            f"Your AWS account already runs as many Amazon Textract jobs as its quota allows{reason}. "
            "Try later, when some have finished, or ask AWS for a higher quota."
        )
    if code == "InvalidS3ObjectException":
        # The file is fine; the bucket is not where Textract looks, or Textract may not read it.
        where = f"the S3 bucket {bucket!r}" if bucket else "the S3 bucket"
        return ErrorKind.SETTINGS, (
            f"Amazon Textract could not read the uploaded file from {where}{reason}. Textract reads only buckets "
            f"in its own region ({region or 'the region set'}), and the bucket's policy (or its KMS key) must let "
            f"these credentials' Textract calls read it. Check the bucket and the region in {SETTINGS_PLACE}."
        )
    if code == "InvalidParameterException" and _reading_results(action):
        # The job and the document are fine; the request for its results was refused (a job id or a
        # results page token Textract no longer accepts).
        return ErrorKind.SERVICE, (
            f"{RESULTS_REFUSED}{reason}. The job may have been started by another copy of ReceiptDesk or with "
            "other keys; extract the document again (a new job is started)."
        )
    if code in _DOCUMENT_MESSAGES:
        return ErrorKind.BAD_DOCUMENT, _DOCUMENT_MESSAGES[code].format(reason=reason)
    if code in INVALID_KEY_CODES:
        return ErrorKind.CREDENTIALS, (
            f"AWS did not accept the access key{reason}. Check the access key ID and secret in {SETTINGS_PLACE}."
        )
    if code in EXPIRED_KEY_CODES:
        return ErrorKind.CREDENTIALS, (
            f"The AWS credentials have expired{reason}. Enter fresh ones (or sign in to the profile again) "
            f"in {SETTINGS_PLACE}."
        )
    if code == "InvalidKMSKeyException":
        return ErrorKind.CREDENTIALS, (
            f"Amazon Textract may not use the KMS key set for its results{reason}. Check the key and its "
            f"permissions, or clear it, in {SETTINGS_PLACE}."
        )
    if code in BUCKET_MISSING_CODES and bucket:
        return ErrorKind.SETTINGS, (
            f"The S3 bucket {bucket!r} does not exist{f' in {region}' if region else ''}. "
            f"Check its name in {SETTINGS_PLACE}."
        )
    if code in WRONG_REGION_CODES and bucket:
        return ErrorKind.SETTINGS, (
            f"The S3 bucket {bucket!r} is in another region than Amazon Textract ({region}). Textract reads only "
            f"buckets in its own region: choose that region or another bucket in {SETTINGS_PLACE}."
        )
    if code in NO_PERMISSION_CODES:
        what = f"the S3 bucket {bucket!r}" if bucket and action_on_bucket(action) else "Amazon Textract"
        return ErrorKind.CREDENTIALS, (
            f"These AWS credentials have no permission to use {what} while {action}{reason}. Grant it to the "
            f"user (for example the AmazonTextractFullAccess policy and access to the bucket) or use other keys "
            f"in {SETTINGS_PLACE}."
        )
    if code == "InvalidJobIdException":
        return ErrorKind.EXPIRED, (
            "Amazon Textract no longer knows this job (it keeps a job 7 days). Extract the document again."
        )
    if code == "IdempotentParameterMismatchException":
        return ErrorKind.SETTINGS, (
            "Amazon Textract already has a job for this document that was started with other settings "
            f"(bucket, results output, notification or encryption){reason}. Put those settings back in "
            f"{SETTINGS_PLACE}, or wait until that job has finished and extract again."
        )
    if code in SERVICE_CODES or (isinstance(status, int) and status >= 500):
        return ErrorKind.SERVICE, f"Amazon Textract failed on its side while {action}{reason}. Try again later."
    label = f"{code}: {message}" if message else code or f"HTTP {status}"
    return ErrorKind.BUG, f"Amazon Textract answered with an error ReceiptDesk does not know while {action} ({label})."


RESULTS_REFUSED = "Amazon Textract refused to hand over the results of the job"


def _reading_results(action: str) -> bool:
    return "results" in action


def action_on_bucket(action: str) -> bool:
    return "S3" in action or "bucket" in action
