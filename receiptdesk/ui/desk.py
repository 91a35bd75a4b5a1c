"""What the window can do with the library, each step on the right lane.

The widgets call these methods and listen to the signals; they never touch
the library, a provider or a file themselves. Reading a document is three
steps (DESIGN.md): record the job on the `db` lane, call the provider on the
`extract` lane, store the outcome on the `db` lane. A failure in any step
ends as a status on the document, never as an exception in the window.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.errors import Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Extraction, RunContext
from receiptdesk.services import jobs
from receiptdesk.services.importer import ImportOutcome
from receiptdesk.services.rendering import PageRenderer
from receiptdesk.services.wiring import Services, date_order
from receiptdesk.store.library import Library
from receiptdesk.tasks.runner import TaskHandle, TaskRunner
from receiptdesk.ui.accounts import Accounts
from receiptdesk.ui.desk_changes import LibraryChanges
from receiptdesk.ui.desk_import import LibraryImports
from receiptdesk.ui.desk_views import LibraryViews
from receiptdesk.ui.errors import as_error
from receiptdesk.ui.organize import organize_step

log = logging.getLogger(__name__)

# How often documents waiting for the network (or a busy service) are tried again.
RETRY_WAITING_MS = 60_000
# The list is reloaded at most this often while a folder pours in.
RELOAD_DELAY_MS = 250
# While a long re-read from the words kept runs, the rows on screen are asked for again at most this often.
ROWS_AGAIN_S = 2.0
_REPARSE_WAITS = "Waiting to read again from the words kept…"


@dataclass(frozen=True, slots=True)
class Activity:
    """What the status bar shows while documents are being read."""

    text: str
    fraction: float  # of the current batch; 1.0 when idle
    busy: bool


class Desk(LibraryViews, LibraryChanges, LibraryImports, QObject):
    documents_changed = Signal()  # documents were added or removed: the list reloads
    document_changed = Signal(int)  # one document's status or values changed
    readings_changed = Signal()  # many documents' values changed at once (read again from their words)
    parsed_again = Signal(object, str)  # reparse.Reparsed and why, when reading again from the words kept ends
    activity = Signal(object)  # Activity
    problem = Signal(object)  # ReceiptDeskError from something the user asked for (not a document's own)
    already_there = Signal(int, str)  # a dropped file was in the library already: its id, the name dropped
    imported = Signal(object)  # ImportSummary, when the last file of an import is in

    def __init__(self, services: Services, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.renderer = PageRenderer(services.paths.cache)
        self.accounts = Accounts(services, self._submit, self)
        self.accounts.problem.connect(self.problem)
        self._reading: dict[int, tuple[float, str]] = {}  # document id -> (fraction, what it is doing)
        self._handles: dict[int, TaskHandle] = {}
        self._stopping: set[int] = set()  # stopped by the user: closed, not resumed by themselves
        self._batch = 0  # documents in the current run of reading, for the progress bar
        self._lost: list[ImportOutcome] = []  # files of an import that could not even be kept
        self._importing = 0
        self._import_files = 0  # files of the import under way, for "Adding 5 of 18"
        self._outcomes: list[ImportOutcome] = []
        self._stops = 0  # how many times Stop was pressed: files imported after it are kept, not read
        self._reparses: list[TaskHandle] = []  # reading again from the words kept, running or waiting its turn
        self._reparsing: tuple[float, str] | None = None  # its progress, for the status bar
        self._rows_shown_at = 0.0  # when the rows on screen were last asked for again while it runs
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_WAITING_MS)
        self.retry_timer.timeout.connect(self.resume)
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(self.documents_changed)

    @property
    def library(self) -> Library:
        return self.services.library

    def _submit(self, lane: str, fn: Callable[[RunContext], Any], **callbacks: Any) -> TaskHandle | None:
        if self.runner.closed:
            return None  # quitting: what was not stored yet resumes on the next start
        return self.runner.submit(lane, fn, **callbacks)

    def _db(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[ReceiptDeskError], None] | None = None,
    ) -> None:
        def on_error(e: BaseException) -> None:
            (failed or self.problem.emit)(as_error(e))

        self._submit("db", lambda ctx: fn(), on_done=done, on_error=on_error)

    def date_order(self) -> DateOrder | None:
        """How the user reads dates like 03/04 (None: decide from the document)."""
        return date_order(self.services.settings)

    def _read(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """A query for the list on its own lane and connection: it never waits behind an import."""

        def on_error(e: BaseException) -> None:
            self.problem.emit(as_error(e))

        self._submit("read", lambda ctx: fn(), on_done=done, on_error=on_error)

    # ------------------------------------------------------------------ extraction
    def default_provider(self) -> str:
        return str(self.services.settings.get("extract.provider"))

    def read(self, doc_ids: Sequence[int], provider: str | None = None, *, fresh: bool = False) -> None:
        """Read (or read again) documents; each goes through begin -> read -> settle on its own."""
        name = provider or self.default_provider()
        for doc_id in doc_ids:
            if doc_id in self._reading:
                continue
            self._reading[doc_id] = (0.0, "Waiting to be read")
            self._batch += 1
            handle = self._submit(
                "db",
                partial(self._begin, doc_id, name, fresh),
                on_done=partial(self._call, doc_id, name),
                on_error=partial(self._begin_failed, doc_id),
                on_cancelled=partial(self._settled, doc_id),  # stopped before it began: nothing changed
            )
            if handle is not None:
                self._handles[doc_id] = handle
            self.document_changed.emit(doc_id)
        self._report()

    def _begin(self, doc_id: int, provider: str, fresh: bool, ctx: RunContext) -> jobs.Started | None:
        try:
            return jobs.begin(self.library, doc_id, provider, fresh=fresh)
        except KeyError:
            return None  # deleted in the meantime

    def _begin_failed(self, doc_id: int, error: BaseException) -> None:
        self._db_failed(doc_id, as_error(error))

    def _db_failed(self, doc_id: int, error: ReceiptDeskError) -> None:
        """A step on the db lane failed (a full disk): say so, and stop showing the document as read."""
        self.problem.emit(error)
        self._settled(doc_id)

    def _call(self, doc_id: int, provider: str, started: jobs.Started | None) -> None:
        if started is None:
            self._settled(doc_id)
            return
        if doc_id in self._stopping:  # stopped while it waited its turn: nothing is sent anywhere
            self._settle(doc_id, started, provider, Cancelled())
            return
        self.document_changed.emit(doc_id)

        def work(ctx: RunContext) -> jobs.Outcome:
            try:
                lease = self.services.providers.lease(provider)
            except ReceiptDeskError as e:
                return e
            # The reading keeps the provider it started with, even if the settings change meanwhile.
            with lease as built:
                # The checkpoint is written at once from here (the connection serialises it with the
                # db lane), so a crash a moment later still finds the remote job.
                return jobs.read(built, started, ctx, lambda state: self.library.jobs.checkpoint(started.job.id, state))

        def progress(fraction: float, text: str) -> None:
            if doc_id in self._reading:
                self._reading[doc_id] = (fraction, text)
                self._report()

        def finished(outcome: jobs.Outcome) -> None:
            self._settle(doc_id, started, provider, outcome)

        handle = self._submit(
            "extract",
            work,
            on_done=finished,
            on_error=lambda e: finished(as_error(e)),
            on_progress=progress,
            on_cancelled=lambda: finished(Cancelled()),
            label=f"Reading {started.name}",
        )
        if handle is not None:
            self._handles[doc_id] = handle

    def _settle(self, doc_id: int, started: jobs.Started, provider: str, outcome: jobs.Outcome) -> None:
        stopped = doc_id in self._stopping

        def settle() -> None:
            try:
                jobs.settle(self.library, doc_id, started, provider, outcome, stopped=stopped)
            except KeyError:
                log.info("document %s was deleted while it was read", doc_id)

        def settled(_: object) -> None:
            self._settled(doc_id)
            if stopped and isinstance(outcome, Cancelled):
                self._discard(provider, started.job.id)
            if isinstance(outcome, Extraction):
                self.organize(doc_id)

        # Whatever happens while storing the outcome, the document leaves the reading list.
        self._db(settle, settled, partial(self._db_failed, doc_id))

    def _discard(self, provider: str, job_id: int) -> None:
        """A reading the user stopped for good: what it left with the service (an upload) is removed."""

        def work(ctx: RunContext) -> str | None:
            discard = getattr(self.services.providers.get(provider), "discard", None)
            remote = self.library.jobs.get(job_id).remote
            return discard(remote) if callable(discard) and remote else None

        def done(warning: str | None) -> None:
            if warning:
                self.problem.emit(ReceiptDeskError(ErrorKind.SERVICE, warning))

        self._submit("extract", work, on_done=done, on_error=lambda e: log.warning("discard failed: %s", e))

    def clean_uploads(self) -> None:
        """At start: uploads to the Textract bucket that no job can still need (a quit mid-job) go."""
        settings = self.services.settings
        if not str(settings.get("textract.bucket")).strip():
            return

        def work(ctx: RunContext) -> list[str]:
            remove = getattr(self.services.providers.get("textract"), "remove_stale_uploads", None)
            return list(remove()) if callable(remove) else []

        self._submit("quick", work, on_error=lambda e: log.info("stale uploads not checked: %s", e))

    def _settled(self, doc_id: int) -> None:
        self._reading.pop(doc_id, None)
        self._handles.pop(doc_id, None)
        self._stopping.discard(doc_id)
        self.document_changed.emit(doc_id)
        if not self._reading:
            self._batch = 0
            self._reload.start()  # the list's order follows the dates read
            self._db(lambda: any(j.state == "waiting" for j in self.library.jobs.unfinished()), self._retry_later)
        self._report()

    def _retry_later(self, waiting: bool) -> None:
        if waiting and not self.retry_timer.isActive():
            self.retry_timer.start()
        elif not waiting:
            self.retry_timer.stop()

    def stop(self, doc_ids: Sequence[int]) -> None:
        """Stop reading these documents: queued ones are never sent, running ones stop at their next step.

        A stopped document keeps what it had before (its values, or its earlier failure and why)."""
        for doc_id in doc_ids:
            if doc_id not in self._reading:
                continue
            self._stopping.add(doc_id)
            handle = self._handles.get(doc_id)
            if handle is not None:
                handle.cancel()

    def cancel_reading(self) -> None:
        """Stop every reading, queued or running, the reading of files still being imported, and reading again
        from the words kept (what it had not reached goes on at the next start)."""
        self._stops += 1
        self.stop(list(self._reading))
        for handle in self._reparses:
            handle.cancel()
        self._report()

    def _reparse_started(self, handle: TaskHandle) -> None:
        """Shown with Stop from the moment it is asked for: it may wait its turn behind an export."""
        self._reparses.append(handle)
        self._reparsing = self._reparsing or (0.0, _REPARSE_WAITS)
        self._rows_shown_at = time.monotonic()
        self._report()

    def _reparse_shown(self, fraction: float, text: str) -> None:
        self._reparsing = (fraction, text)
        self._report()
        if time.monotonic() - self._rows_shown_at > ROWS_AGAIN_S:  # a long run: the rows on screen follow
            self._rows_shown_at = time.monotonic()
            self.readings_changed.emit()

    def _reparse_ended(self, job: list[TaskHandle]) -> None:
        self._reparses = [h for h in self._reparses if h not in job]
        self._reparsing = (0.0, _REPARSE_WAITS) if self._reparses else None
        self._report()

    def close(self) -> None:
        """The window is closing: the list's reload and the retry of waiting documents are not wanted any
        more (they would only ask a closed window, and a runner that takes no work, for another list)."""
        self.retry_timer.stop()
        self._reload.stop()

    def reading_state(self, doc_id: int) -> tuple[float, str] | None:
        return self._reading.get(doc_id)

    def reading_ids(self) -> list[int]:
        return list(self._reading)

    def _report(self) -> None:
        if not self._reading and self._importing:
            self.activity.emit(
                Activity(f"Adding {self._importing} file{'s' if self._importing > 1 else ''}…", 0.0, True)
            )
            return
        if not self._reading and self._reparsing:
            self.activity.emit(Activity(self._reparsing[1], self._reparsing[0], True))
            return
        if not self._reading:
            self.activity.emit(Activity("", 1.0, False))
            return
        done = self._batch - len(self._reading)
        fraction = (done + sum(f for f, _ in self._reading.values())) / max(1, self._batch)
        count = len(self._reading)
        current = next((t for f, t in self._reading.values() if t and f > 0), "")
        text = f"Reading {count} document{'s' if count > 1 else ''}" + (f": {current}" if current else "…")
        if self._reparsing:  # both say how far they are: Stop ends both
            text += " · " + self._reparsing[1]
        self.activity.emit(Activity(text, fraction, True))

    def resume(self) -> None:
        """Read every document not done (queued, interrupted, waiting, failed for a reason that may
        pass); never what the user stopped."""
        default = self.default_provider()

        def done(pending: list[tuple[int, str]]) -> None:
            for doc_id, provider in pending:
                self.read([doc_id], provider)

        self._db(lambda: jobs.to_resume(self.library, default), done)

    # ------------------------------------------------------------------ order (issue 13: ui/organize.py)
    def organize(self, doc_id: int) -> None:
        """After a reading: the first page's hash on the render lane, then a suggested category and
        a possible duplicate on the db lane."""
        organize_step(self, doc_id)
