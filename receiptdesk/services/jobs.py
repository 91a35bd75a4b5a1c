"""Running one extraction as a job the library remembers.

Three steps, so the window can run the middle one on the extract lane and
the other two on the db lane: `begin` records the job before anything is
called, `read` calls the provider (no database), `settle` stores the result
or the failure. What the provider checkpoints (a remote job id) is saved at
once, so quitting or a crash resumes the same remote work next time.
Offline and throttled documents wait and resume; everything else ends in a
clear status on the document. `extract_document` runs all three in a row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from receiptdesk.core.errors import RETRYABLE, Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Context, Extraction, Provider
from receiptdesk.providers.source import Source
from receiptdesk.store.library import Library
from receiptdesk.store.records import DocumentRecord, DocumentSummary, Job, Status

log = logging.getLogger(__name__)

WAITS = frozenset({ErrorKind.NETWORK, ErrorKind.THROTTLED, ErrorKind.PENDING})
Outcome = Extraction | ReceiptDeskError | Cancelled


@dataclass(frozen=True, slots=True)
class Started:
    job: Job
    original: Path
    before: DocumentSummary | None = None  # the document as it was, to go back to if the user stops
    previous: dict[str, Any] | None = None  # the last finished job's remote state, for Read again
    fresh: bool = False  # the user asked for a new reading, not the last result fetched again

    @property
    def name(self) -> str:
        """The file's name as the user knows it (the original is kept under its SHA-256)."""
        return self.before.file_name if self.before else self.original.name

    @property
    def media_type(self) -> str | None:
        """What the import found the file to be."""
        return self.before.media_type if self.before else None


class _JobContext:
    """The caller's context, with the job's remote state handed to `save`."""

    def __init__(self, outer: Context, job: Job, save: Callable[[dict[str, Any]], None]) -> None:
        self._outer = outer
        self._save = save
        self.resume: dict[str, Any] | None = dict(job.remote) if job.remote else None

    def progress(self, fraction: float, text: str = "") -> None:
        self._outer.progress(fraction, text)

    def cancelled(self) -> bool:
        return self._outer.cancelled()

    def raise_if_cancelled(self) -> None:
        self._outer.raise_if_cancelled()

    def wait(self, seconds: float) -> None:
        self._outer.wait(seconds)

    def checkpoint(self, state: dict[str, Any]) -> None:
        self.resume = state
        self._save(state)


def begin(library: Library, doc_id: int, provider: str, *, fresh: bool = False) -> Started:
    """Record the job (or find the open one) and mark the document as being read."""
    before = library.summary(doc_id)
    previous = library.jobs.last_remote(doc_id, provider)
    job = library.jobs.start(doc_id, provider)
    library.jobs.running(job.id)
    library.set_status(doc_id, Status.EXTRACTING)
    return Started(library.jobs.get(job.id), library.original_path(doc_id), before, previous, fresh)


def read(
    provider: Provider, started: Started, ctx: Context, save_checkpoint: Callable[[dict[str, Any]], None]
) -> Outcome:
    """Call the provider; every failure comes back classified, nothing is raised."""
    try:
        source = Source.open(started.original, name=started.name or None, media_type=started.media_type)
        provider.estimate(source)
        job_ctx = _JobContext(ctx, started.job, save_checkpoint)
        again = getattr(provider, "read_again_state", None)
        if job_ctx.resume is None and started.previous is not None and callable(again):
            # Read again: the last result fetched while the service keeps it, instead of paid for twice.
            job_ctx.resume = again(started.previous, fresh=started.fresh)
        return provider.extract(source, job_ctx)
    except Cancelled as c:
        return c
    except ReceiptDeskError as e:
        return e
    except Exception as e:
        log.exception("reading %s with %s failed", started.name, provider.name)
        return ReceiptDeskError(
            ErrorKind.BUG, f"Reading {started.name or 'the file'} failed because of a bug ({type(e).__name__})."
        )


def settle(
    library: Library, doc_id: int, started: Started, provider: str, outcome: Outcome, *, stopped: bool = False
) -> DocumentRecord:
    """Store what happened; the document always ends in a state the user understands.

    A reading cancelled by quitting stays open and resumes at the next start; one the user
    stopped (`stopped`) is closed, and waits until they ask for it again."""
    job_id = started.job.id
    if isinstance(outcome, Extraction):
        library.save_extraction(doc_id, outcome.document, outcome.raw)
        if len(outcome.documents) > 1:  # one receipt, one document: the others in the file become their own
            library.save_parts(doc_id, outcome.documents, outcome.raw)
        library.usage.add(provider, outcome.pages_billed)
        library.jobs.finish(job_id)
        return library.get(doc_id)
    had = library.get(doc_id).extracted is not None
    if isinstance(outcome, Cancelled):
        if stopped:
            library.jobs.cancel(job_id)
            _restore(library, doc_id, started.before, Status.OK if had else Status.STOPPED)
        else:
            library.jobs.pause(job_id)
            library.set_status(doc_id, Status.OK if had else Status.QUEUED)
        return library.get(doc_id)
    waiting = outcome.kind in WAITS
    library.jobs.fail(job_id, outcome, waiting=waiting)
    # A document already read keeps its values; the new failure is still shown on it.
    library.set_status(doc_id, Status.WAITING if waiting else Status.OK if had else Status.FAILED, outcome)
    log.info("document %s with %s: %s (%s)", doc_id, provider, outcome.kind.value, outcome.message)
    return library.get(doc_id)


def _restore(library: Library, doc_id: int, before: DocumentSummary | None, otherwise: Status) -> None:
    """Back to what the document was before the reading the user stopped: a failure keeps its reason."""
    if before is not None and before.status in (Status.FAILED, Status.OK) and before.error_kind:
        error = ReceiptDeskError(ErrorKind(before.error_kind), before.error_message or "")
        library.set_status(doc_id, before.status, error)
    elif before is not None and before.status is Status.FAILED:
        library.set_status(doc_id, Status.FAILED)
    else:
        library.set_status(doc_id, otherwise)


def extract_document(library: Library, provider: Provider, doc_id: int, ctx: Context) -> DocumentRecord:
    """All three steps on the calling thread (the command line); raises Cancelled after settling."""
    started = begin(library, doc_id, provider.name)
    outcome = read(provider, started, ctx, lambda state: library.jobs.checkpoint(started.job.id, state))
    record = settle(library, doc_id, started, provider.name, outcome)
    if isinstance(outcome, Cancelled):
        raise outcome
    return record


# Documents not done: added but never read, being read when the app stopped, waiting for the
# network, or failed for a reason that may pass (offline, throttled, the service failing on its side).
_UNDONE = (Status.QUEUED.value, Status.EXTRACTING.value, Status.WAITING.value)
_PASSING = tuple(sorted(k.value for k in RETRYABLE))


def to_resume(library: Library, default_provider: str) -> list[tuple[int, str]]:
    """(document id, provider) for every document not done, oldest first; never one the user stopped
    nor one in the Trash.

    Open jobs keep their provider (and their remote job); a document without one is read with
    the provider of its last job, else the default."""
    found: dict[int, str] = {j.document_id: j.provider for j in library.jobs.unfinished()}
    trashed = set()
    for start in range(0, len(found), 500):
        chunk = list(found)[start : start + 500]
        marks = ",".join("?" * len(chunk))
        trashed |= {int(r["id"]) for r in library.db.query(
            f"SELECT id FROM documents WHERE id IN ({marks}) AND deleted_at IS NOT NULL", chunk)}  # fmt: skip
    rows = library.db.query(
        f"""SELECT d.id, (SELECT j.provider FROM jobs j WHERE j.document_id = d.id ORDER BY j.id DESC LIMIT 1)
                  AS provider
            FROM documents d
            WHERE d.deleted_at IS NULL
              AND (d.status IN ({",".join("?" * len(_UNDONE))})
                   OR (d.status = ? AND d.error_kind IN ({",".join("?" * len(_PASSING))})))
            ORDER BY d.id""",
        (*_UNDONE, Status.FAILED.value, *_PASSING),
    )
    for r in rows:
        found.setdefault(int(r["id"]), r["provider"] or default_provider)
    return sorted((i, p) for i, p in found.items() if i not in trashed)
