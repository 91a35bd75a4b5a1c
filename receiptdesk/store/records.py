"""Plain records the store hands out: what the library list and the editor show."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from receiptdesk.core.document import Document


class Status(StrEnum):
    QUEUED = "queued"  # added, waiting for its turn
    EXTRACTING = "extracting"
    WAITING = "waiting"  # offline or throttled: resumes by itself
    OK = "ok"
    FAILED = "failed"
    STOPPED = "stopped"  # the user stopped it before it was read: read only when asked again


STATUS_LABELS = {
    Status.QUEUED: "Queued",
    Status.EXTRACTING: "Reading…",
    Status.WAITING: "Waiting to try again",  # offline, a busy service, or a result not ready yet
    Status.OK: "Done",
    Status.FAILED: "Failed",
    Status.STOPPED: "Stopped",
}


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    sha256: str
    file_name: str
    media_type: str | None
    size: int
    page_count: int
    added_at: str
    status: Status
    error_kind: str | None
    error_message: str | None
    kind: str | None
    vendor: str | None
    date: str | None  # ISO
    total: str | None  # decimal string
    currency: str | None
    provider: str | None
    notes: str = ""
    review: str | None = None  # "needs_review" | "reviewed" | None
    deleted_at: str | None = None  # in the Trash since
    category: str | None = None
    category_suggested: bool = False
    duplicate_of: int | None = None
    part: int = 0  # 0: the whole file; 1, 2 ...: one of the documents cut from it
    pages: str | None = None  # the original's pages this document is ("2-3"), or None for all
    rotation: int = 0  # quarter turns clockwise

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True, slots=True)
class Edit:
    field: str  # "total", "line_items.2.amount"
    old_value: str | None
    new_value: str | None
    edited_at: str


@dataclass(slots=True)
class DocumentRecord:
    """One document with what was extracted, what the user changed, and the result of both."""

    summary: DocumentSummary
    current: Document | None  # extracted values with the user's edits applied, checks re-run
    extracted: Document | None  # as the provider returned it
    extraction_id: int | None = None
    edits: dict[str, Edit] = field(default_factory=dict)  # latest edit per field, beside the value read
    history: list[Edit] = field(default_factory=list)  # every change, oldest first (what it was before each)

    @property
    def id(self) -> int:
        return self.summary.id


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    document_id: int
    provider: str
    state: str  # pending | running | waiting | done | failed
    remote: dict[str, object] | None
    attempts: int
    created_at: str
    updated_at: str
    error_kind: str | None = None
    error_message: str | None = None
