"""The provider contract: one blocking call from a file to a canonical document.

Providers know nothing of Qt, the library or threads. The caller hands in a
`Source` (what the file is) and a `Context` (report progress, notice a
cancel, remember where a remote job stands), and gets an `Extraction` back
or a classified `ReceiptDeskError`. Each provider also says what it accepts
and what a page costs, so the app can refuse or price a call before making it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from receiptdesk.core.document import Document
from receiptdesk.core.errors import Cancelled, bad_document
from receiptdesk.providers.source import Source


class Context(Protocol):
    """What a running extraction may ask of whoever started it."""

    resume: dict[str, Any] | None  # state a previous run checkpointed (a Textract JobId ...)

    def progress(self, fraction: float, text: str = "") -> None: ...

    def cancelled(self) -> bool: ...

    def raise_if_cancelled(self) -> None: ...

    def wait(self, seconds: float) -> None:
        """Sleep, waking early (with Cancelled) when the task is cancelled."""

    def checkpoint(self, state: dict[str, Any]) -> None:
        """Remember remote state so a restart resumes instead of paying twice."""


class RunContext:
    """The plain `Context`: used by the command line, tests and the task runner."""

    def __init__(
        self,
        *,
        on_progress: Callable[[float, str], None] | None = None,
        on_checkpoint: Callable[[dict[str, Any]], None] | None = None,
        resume: dict[str, Any] | None = None,
        cancel_event: threading.Event | None = None,
    ) -> None:
        self._on_progress = on_progress
        self._on_checkpoint = on_checkpoint
        self._cancel = cancel_event or threading.Event()
        self.resume = resume

    def progress(self, fraction: float, text: str = "") -> None:
        if self._on_progress:
            self._on_progress(max(0.0, min(1.0, fraction)), text)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def wait(self, seconds: float) -> None:
        if self._cancel.wait(max(0.0, seconds)):
            raise Cancelled()

    def checkpoint(self, state: dict[str, Any]) -> None:
        self.resume = state
        if self._on_checkpoint:
            self._on_checkpoint(state)


@dataclass(frozen=True, slots=True)
class Limits:
    """What a provider (or one of its routes) accepts."""

    media_types: frozenset[str]
    max_bytes: int
    max_pages: int
    max_side_px: int | None = None
    min_side_px: int | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    """What a call will do before it is made: billed pages, price, route, warnings."""

    pages_billed: int
    price: Decimal  # in `currency`
    currency: str = "USD"
    route: str = ""  # "sync", "async via S3", "offline" ...
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class Extraction:
    """What one reading of one file gave.

    A file can hold several receipts or invoices; the cloud services say which is which, and
    each becomes its own Document in `documents` (in the order of the file). `document` is the
    first of them, so a caller that keeps one document per file keeps working. Each document
    carries its own warnings (`Document.warnings`, stored and exported with it); `warnings` here
    are also the notes about the call itself (the model chosen automatically), for the status line.
    """

    document: Document
    raw: Any  # the provider's response as JSON-able data, kept so it can be re-mapped for free
    warnings: list[str] = field(default_factory=list)
    pages_billed: int = 0  # what the call cost, for the monthly count (0 offline)
    documents: list[Document] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.documents:
            self.documents = [self.document]
        for w in (w for d in self.documents for w in d.warnings):
            if w not in self.warnings:
                self.warnings.append(w)


class Provider(Protocol):
    name: str  # "local", "textract", "azure"
    title: str  # what the user sees: "On this computer", "Amazon Textract", ...
    needs_network: bool

    def estimate(self, source: Source) -> Estimate:
        """Refuse (ReceiptDeskError) what the service would refuse; else say what it costs."""

    def extract(self, source: Source, ctx: Context) -> Extraction: ...

    def remap(self, raw: Any) -> Document:
        """Map a stored raw response again, without calling anything."""


def check_limits(source: Source, limits: Limits, service: str) -> None:
    """Raise bad_document, with the limit in the message, for what `limits` refuses."""
    if source.media_type not in limits.media_types:
        kinds = ", ".join(sorted(t.split("/")[-1].upper() for t in limits.media_types))
        raise bad_document(f"{service} does not accept {source.kind_label} files. It accepts {kinds}.")
    if source.size > limits.max_bytes:
        raise bad_document(f"The file is {_mb(source.size)}; {service} accepts at most {_mb(limits.max_bytes)}.")
    if source.pages > limits.max_pages:
        raise bad_document(f"The file has {source.pages} pages; {service} reads at most {limits.max_pages}.")


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n < 10_000_000 else f"{n / 1_000_000:.0f} MB"
