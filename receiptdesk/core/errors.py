"""The few kinds of failure a user can act on.

Every I/O edge (providers, store, files) turns what went wrong into one of
these, once, so the rest of the app never inspects SDK exceptions or class
names. Anything not classified is a bug and is shown as such.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    BAD_DOCUMENT = "bad_document"  # unsupported, damaged, empty, too large, too many pages
    CREDENTIALS = "credentials"  # missing, invalid, no permission, wrong endpoint
    THROTTLED = "throttled"  # the service asked us to slow down, retries ran out
    NETWORK = "network"  # offline or unreachable: the job waits and resumes
    SERVICE = "service"  # the provider failed on its side
    SETTINGS = "settings"  # a setting is missing or wrong (bucket, region, locale)
    EXPIRED = "expired"  # a remote job or result is gone (Textract 7 days, Azure 24 h)
    PENDING = "pending"  # a remote job is still running (or its service is down): it waits and is looked at again
    STORAGE = "storage"  # the library could not be read or written (disk full, locked)
    BUG = "bug"  # everything else: logged with a traceback, shown as such


# What the user can do about each kind, shown under the message.
HINTS: dict[ErrorKind, str] = {
    # Said under every bad file (empty, damaged, not a document, too large): a clearer scan fits few.
    ErrorKind.BAD_DOCUMENT: (
        "If it opens in another program, save it from there as a PDF or a picture and import that; "
        "if not, import a new copy, photo or scan of it."
    ),
    ErrorKind.CREDENTIALS: "Open Tools > Settings, on the service's tab, to check the keys and the endpoint.",
    ErrorKind.THROTTLED: "The service is busy. Try again in a few minutes.",
    ErrorKind.NETWORK: "The document will be read when the network is back.",
    ErrorKind.SERVICE: "The service failed on its side. Try again later.",
    ErrorKind.SETTINGS: "Open Tools > Settings, on the service's tab, to fix it.",
    ErrorKind.EXPIRED: "Extract the document again.",
    ErrorKind.PENDING: "The job is kept; ReceiptDesk looks at it again later, or read it again to look now.",
    ErrorKind.STORAGE: "Check there is free disk space and the data folder is writable.",
    ErrorKind.BUG: "This is a bug in ReceiptDesk. The details are in the log.",
}

# Kinds after which the same request may succeed later without the user doing anything.
RETRYABLE = frozenset({ErrorKind.THROTTLED, ErrorKind.NETWORK, ErrorKind.SERVICE, ErrorKind.PENDING})


class ReceiptDeskError(Exception):
    """A failure classified at an I/O edge, with a message in the user's words."""

    def __init__(self, kind: ErrorKind, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.kind = ErrorKind(kind)
        self.message = message
        self.detail = detail  # technical detail for the log, never a secret

    @property
    def hint(self) -> str:
        return HINTS[self.kind]

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind.value, "message": self.message}

    def __repr__(self) -> str:
        return f"ReceiptDeskError({self.kind.value!r}, {self.message!r})"


class Cancelled(Exception):
    """The user (or quitting) stopped a task; not a failure."""


def bad_document(message: str, *, detail: str | None = None) -> ReceiptDeskError:
    return ReceiptDeskError(ErrorKind.BAD_DOCUMENT, message, detail=detail)
