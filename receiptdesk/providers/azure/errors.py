"""azure-core exceptions -> the few kinds a user can act on, classified once, here.

By HTTP status and the service's error code (the body's `error.code` and
`innererror.code`; v2.1 spells it `innerError`), never by class names. The
service's own message is kept (it names the bad parameter or file problem);
the key never is: Azure does not echo it, and nothing here reads headers
of the request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import (
    AzureError,
    DecodeError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure.settings import V3, V21, AzureSettings

# Codes that say the file itself is the problem.
BAD_DOCUMENT_CODES = frozenset(
    {
        "InvalidContent",
        "BadArgument",  # v2.1: "Bad or unrecognizable request JSON or binary file."
        "InvalidImage",
        "InvalidImageSize",
        "InvalidImageFormat",
        "InvalidImageDimensions",
        "InvalidContentDimensions",
        "InvalidContentLength",
        "InvalidPdf",
        "InvalidPassword",
        "PasswordProtected",
        "UnsupportedMediaType",
        "UnsupportedContent",
        "ContentTooLarge",
        "FileTooLarge",
    }
)
# Codes that say a setting (locale, model, version) is wrong.
SETTINGS_CODES = frozenset(
    {"UnsupportedLocale", "InvalidLocale", "ModelNotFound", "InvalidModelId", "InvalidApiVersion", "InvalidParameter"}
)
QUOTA_TEXT = "out of call volume quota"


@dataclass(frozen=True, slots=True)
class ServiceError:
    """What the service said: status, error code, inner code, message."""

    status: int | None
    code: str | None
    inner_code: str | None
    message: str
    request_id: str | None = None

    @property
    def codes(self) -> set[str]:
        return {c for c in (self.code, self.inner_code) if c}

    def detail(self, phase: str) -> str:
        """For the log: what happened, never a secret."""
        codes = "/".join(sorted(self.codes)) or "-"
        rid = f", request id {self.request_id}" if self.request_id else ""
        return f"Azure {phase}: HTTP {self.status} {codes}: {self.message}{rid}"


def service_error(exc: HttpResponseError) -> ServiceError:
    response = exc.response
    status = exc.status_code
    body: Any = None
    request_id = None
    if response is not None:
        try:
            body = json.loads(response.text() or "null")
        except (ValueError, TypeError):
            body = None
        headers = getattr(response, "headers", {}) or {}
        request_id = headers.get("apim-request-id") or headers.get("x-ms-request-id")
    error = _error_object(body)
    code = _str(error.get("code"))
    inner = error.get("innererror") or error.get("innerError") or {}
    inner = inner if isinstance(inner, Mapping) else {}
    inner_code = _str(inner.get("code"))
    if response is not None and not code:
        code = _str((getattr(response, "headers", {}) or {}).get("ms-azure-ai-errorcode"))
    message = _str(inner.get("message")) or _str(error.get("message")) or (exc.reason or "no reason given")
    return ServiceError(status, code, inner_code, message.strip(), request_id)


def _error_object(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        return {}
    error = body.get("error")
    if isinstance(error, Mapping):
        return error
    result = body.get("analyzeResult")  # a failed v2.1 operation lists its errors here
    if isinstance(result, Mapping):
        errors = result.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            return errors[0]
    return {}


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def classify(exc: BaseException, settings: AzureSettings, *, phase: str, locale: str = "") -> ReceiptDeskError:
    """One SDK failure -> ReceiptDeskError. `phase`: "post", "poll", "resume" or "connect"."""
    host = settings.host
    if isinstance(exc, HttpResponseError):
        return _http(service_error(exc), settings, phase, locale)
    if isinstance(exc, (ServiceRequestError, ServiceResponseError)):
        return ReceiptDeskError(
            ErrorKind.NETWORK,
            f"Cannot reach Azure at {host}. Check the network connection and the endpoint URL in Settings.",
            detail=f"Azure {phase}: {type(exc).__name__}: {exc}",
        )
    if isinstance(exc, DecodeError):
        return ReceiptDeskError(
            ErrorKind.SERVICE, f"Azure at {host} sent a reply ReceiptDesk could not read.", detail=str(exc)
        )
    if isinstance(exc, AzureError):
        return ReceiptDeskError(ErrorKind.SERVICE, f"Azure at {host} failed: {exc.message}", detail=str(exc))
    return ReceiptDeskError(
        ErrorKind.BUG, f"Unexpected failure talking to Azure: {type(exc).__name__}", detail=str(exc)
    )


def _http(err: ServiceError, settings: AzureSettings, phase: str, locale: str) -> ReceiptDeskError:
    status = err.status or 0
    host = settings.host
    detail = err.detail(phase)

    def error(kind: ErrorKind, message: str) -> ReceiptDeskError:
        return ReceiptDeskError(kind, message, detail=detail)

    if 200 <= status < 300:  # the operation ran and ended in "failed"
        if err.codes & BAD_DOCUMENT_CODES:
            return error(ErrorKind.BAD_DOCUMENT, f"Azure could not read this file: {err.message}")
        return error(ErrorKind.SERVICE, f"Azure could not finish reading the document: {err.message}")
    if status == 401:
        return error(
            ErrorKind.CREDENTIALS,
            f"Azure refused the key for {host}: {err.message} Check the key (Azure portal > your resource > "
            "Keys and Endpoint) and that it belongs to this endpoint.",
        )
    if status == 403:
        if QUOTA_TEXT in err.message.lower():
            return error(ErrorKind.THROTTLED, f"The free tier's monthly pages are used up: {err.message}")
        return error(ErrorKind.CREDENTIALS, f"Azure denied access to {host}: {err.message}")
    if status == 404:
        if phase in ("poll", "resume"):
            return error(
                ErrorKind.EXPIRED,
                "Azure no longer has the result of this analysis (it keeps results for 24 hours). "
                "Read the document again.",
            )
        return error(
            ErrorKind.CREDENTIALS,
            f"Azure found no Form Recognizer {settings.generation} at {host} ({err.message}). Check the endpoint URL "
            f"(it names your resource and region) and the API version: a resource that serves only "
            f"{'v2.1' if settings.api_version == V3 else V3} answers 404 to {settings.generation}.",
        )
    if status == 429:
        if QUOTA_TEXT in err.message.lower():
            return error(ErrorKind.THROTTLED, f"The free tier's monthly pages are used up: {err.message}")
        return error(
            ErrorKind.THROTTLED,
            f"Azure is limiting requests to {host} (429 Too Many Requests) and still was after "
            f"{settings.retry_total} {'retry' if settings.retry_total == 1 else 'retries'}: {err.message}",
        )
    if status in (400, 413, 415):
        return error(*_bad_request(err, settings, locale))
    if status == 408 or status >= 500:
        return error(ErrorKind.SERVICE, f"Azure failed on its side ({status}): {err.message}")
    return error(ErrorKind.SERVICE, f"Azure answered {status}: {err.message}")


def _bad_request(err: ServiceError, settings: AzureSettings, locale: str) -> tuple[ErrorKind, str]:
    """A 400 is either the file (bad_document) or a setting such as the locale."""
    codes = err.codes
    if codes & BAD_DOCUMENT_CODES or err.status in (413, 415):
        return ErrorKind.BAD_DOCUMENT, f"Azure could not read this file: {err.message}"
    if "locale" in err.message.lower() or "UnsupportedLocale" in codes:
        shown = locale or settings.locale or "(none)"
        return ErrorKind.SETTINGS, f"Azure refused the locale {shown}: {err.message} Change the locale in Settings."
    if codes & SETTINGS_CODES:
        return ErrorKind.SETTINGS, f"Azure refused a setting: {err.message}"
    where = "v2.1" if settings.api_version == V21 else settings.api_version
    return ErrorKind.BAD_DOCUMENT, f"Azure ({where}) refused the request for this file: {err.message}"
