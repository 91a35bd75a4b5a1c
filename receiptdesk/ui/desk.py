"""What the window can do with the library, each step on the right lane.

The widgets call these methods and listen to the signals; they never touch
the library, a provider or a file themselves. Reading a document is three
steps (DESIGN.md): record the job on the `db` lane, call the provider on the
`extract` lane, store the outcome on the `db` lane. A failure in any step
ends as a status on the document, never as an exception in the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from receiptdesk.core.document import Value
from receiptdesk.core.errors import Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Estimate, RunContext
from receiptdesk.providers.source import Source
from receiptdesk.services import exporter, importer, jobs
from receiptdesk.services.importer import ImportOutcome
from receiptdesk.services.rendering import PageRenderer, RenderedPage
from receiptdesk.services.secrets import NAMES
from receiptdesk.services.wiring import Services
from receiptdesk.store.records import DocumentRecord, DocumentSummary, Status
from receiptdesk.tasks.runner import TaskHandle, TaskRunner

log = logging.getLogger(__name__)

# How often documents waiting for the network (or a busy service) are tried again.
RETRY_WAITING_MS = 60_000


@dataclass(frozen=True, slots=True)
class Activity:
    """What the status bar shows while documents are being read."""

    text: str
    fraction: float  # of the current batch; 1.0 when idle
    busy: bool


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """What reading some documents with a paid service will cost, before it is asked."""

    provider: str
    title: str  # the service as the user knows it
    documents: int
    pages: int
    price: str  # "0.0300 USD"
    warnings: tuple[str, ...]
    refused: tuple[tuple[int, str, str], ...]  # (document id, file name, why the service would refuse it)

    @property
    def refused_ids(self) -> set[int]:
        return {doc_id for doc_id, _, _ in self.refused}


@dataclass(frozen=True, slots=True)
class SettingsState:
    stored_keys: dict[str, bool]  # key name -> one is stored
    keyring_problem: str | None  # why keys are kept only until quitting, if they are
    usage: dict[str, int]  # provider -> pages sent this month


def _as_error(e: BaseException) -> ReceiptDeskError:
    if isinstance(e, ReceiptDeskError):
        return e
    log.error("unexpected failure", exc_info=e)
    return ReceiptDeskError(ErrorKind.BUG, f"Something went wrong in ReceiptDesk ({type(e).__name__}).")


class Desk(QObject):
    documents_changed = Signal()  # documents were added or removed: the list reloads
    document_changed = Signal(int)  # one document's status or values changed
    activity = Signal(object)  # Activity
    problem = Signal(object)  # ReceiptDeskError from something the user asked for (not a document's own)

    def __init__(self, services: Services, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.renderer = PageRenderer(services.paths.cache)
        self._reading: dict[int, tuple[float, str]] = {}  # document id -> (fraction, what it is doing)
        self._handles: dict[int, TaskHandle] = {}
        self._batch = 0  # documents in the current run of reading, for the progress bar
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_WAITING_MS)
        self.retry_timer.timeout.connect(self.resume)

    @property
    def library(self) -> Any:
        return self.services.library

    def _submit(self, lane: str, fn: Callable[[RunContext], Any], **callbacks: Any) -> TaskHandle | None:
        if self.runner.closed:
            return None  # quitting: what was not stored yet resumes on the next start
        return self.runner.submit(lane, fn, **callbacks)

    def _db(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None, label: str = "") -> None:
        def failed(e: BaseException) -> None:
            self.problem.emit(_as_error(e))

        self._submit("db", lambda ctx: fn(), on_done=done, on_error=failed, label=label)

    # ------------------------------------------------------------------ reading the library
    def documents(self, search: str, done: Callable[[list[DocumentSummary]], None]) -> None:
        self._db(lambda: self.library.documents(search or None), done)

    def record(self, doc_id: int, done: Callable[[DocumentRecord], None]) -> None:
        self._db(lambda: self.library.get(doc_id), done)

    def render(
        self, doc_id: int, page: int, done: Callable[[RenderedPage], None], failed: Callable[[ReceiptDeskError], None]
    ) -> None:
        def work(ctx: RunContext) -> RenderedPage:
            return self.renderer.page(self.library.original_path(doc_id), page)

        self._submit("render", work, on_done=done, on_error=lambda e: failed(_as_error(e)))

    # ------------------------------------------------------------------ changing it
    def import_paths(self, paths: Sequence[Path], provider: str | None = None) -> None:
        """Every file becomes a document at once; new ones are then read, each on its own."""

        def done(outcomes: list[ImportOutcome]) -> None:
            self.documents_changed.emit()
            fresh = [o.doc_id for o in outcomes if o.doc_id is not None and o.created and o.error is None]
            lost = [o for o in outcomes if o.doc_id is None]
            if lost:
                names = ", ".join(o.path.name for o in lost[:3]) + (" …" if len(lost) > 3 else "")
                first = lost[0].error
                self.problem.emit(
                    ReceiptDeskError(
                        first.kind if first else ErrorKind.BAD_DOCUMENT,
                        f"{len(lost)} file{'s' if len(lost) > 1 else ''} could not be added ({names}): "
                        f"{first.message if first else 'not imported'}",
                    )
                )
            if fresh:
                self.read(fresh, provider)

        self._db(lambda: importer.import_paths(self.library, paths), done, "Adding files")

    def edit(self, doc_id: int, path: str, value: Value | None, done: Callable[[DocumentRecord], None]) -> None:
        def saved(record: DocumentRecord) -> None:
            done(record)
            self.document_changed.emit(doc_id)

        self._db(lambda: self.library.edit(doc_id, path, value), saved)

    def delete(self, doc_ids: Sequence[int]) -> None:
        def work() -> None:
            for i in doc_ids:
                self.library.delete(i)

        for i in doc_ids:
            handle = self._handles.get(i)
            if handle is not None:
                handle.cancel()
        self._db(work, lambda _: self.documents_changed.emit())

    def export(self, doc_ids: Sequence[int] | None, folder: Path, done: Callable[[list[Path]], None]) -> None:
        """The chosen documents (or all of them) as CSV, line-items CSV and JSON."""

        def work() -> list[Path]:
            ids = doc_ids if doc_ids else [d.id for d in self.library.documents()]
            return exporter.export([self.library.get(i) for i in ids], folder)

        self._db(work, done, "Exporting")

    # ------------------------------------------------------------------ extraction
    def default_provider(self) -> str:
        return str(self.services.settings.get("extract.provider"))

    def estimate(self, doc_ids: Sequence[int], provider: str, done: Callable[[CostEstimate], None]) -> None:
        """Pages and price of reading these documents with `provider`, and what it would refuse."""

        def work(ctx: RunContext) -> CostEstimate:
            built = self.services.providers.get(provider)
            pages, price, currency = 0, None, "USD"
            warnings: list[str] = []
            refused: list[tuple[int, str, str]] = []
            for i in doc_ids:
                original = self.library.original_path(i)
                name = self.library.summary(i).file_name
                try:
                    e: Estimate = built.estimate(Source.open(original))
                except ReceiptDeskError as problem:
                    refused.append((i, name, problem.message))
                    continue
                pages += e.pages_billed
                price = e.price if price is None else price + e.price
                currency = e.currency
                warnings.extend(w for w in e.warnings if w not in warnings)
            text = f"{price:.4f} {currency}" if price is not None else f"0 {currency}"
            return CostEstimate(provider, built.title, len(doc_ids), pages, text, tuple(warnings), tuple(refused))

        self._submit(
            "extract", work, on_done=done, on_error=lambda e: self.problem.emit(_as_error(e)), label="Estimating"
        )

    def read(self, doc_ids: Sequence[int], provider: str | None = None) -> None:
        """Read (or read again) documents; each goes through begin -> read -> settle on its own."""
        name = provider or self.default_provider()
        for doc_id in doc_ids:
            if doc_id in self._reading:
                continue
            self._reading[doc_id] = (0.0, "Waiting to be read")
            self._batch += 1
            self._begin(doc_id, name)
        self._report()

    def _begin(self, doc_id: int, provider: str) -> None:
        def failed(e: BaseException) -> None:
            self.problem.emit(_as_error(e))
            self._settled(doc_id)

        self._submit(
            "db",
            lambda ctx: jobs.begin(self.library, doc_id, provider),
            on_done=lambda started: self._call(doc_id, provider, started),
            on_error=failed,
        )
        self.document_changed.emit(doc_id)

    def _call(self, doc_id: int, provider: str, started: jobs.Started) -> None:
        self.document_changed.emit(doc_id)

        def work(ctx: RunContext) -> jobs.Outcome:
            try:
                built = self.services.providers.get(provider)
            except ReceiptDeskError as e:
                return e
            # The checkpoint is written at once from here (the connection serialises it with the db
            # lane), so a crash a moment later still finds the remote job.
            return jobs.read(built, started, ctx, lambda state: self.library.jobs.checkpoint(started.job.id, state))

        def progress(fraction: float, text: str) -> None:
            if doc_id in self._reading:
                self._reading[doc_id] = (fraction, text)
                self._report()

        def finished(outcome: jobs.Outcome) -> None:
            self._db(
                lambda: jobs.settle(self.library, doc_id, started, provider, outcome),
                lambda _: self._settled(doc_id),
            )

        def crashed(e: BaseException) -> None:
            finished(_as_error(e))

        handle = self._submit(
            "extract",
            work,
            on_done=finished,
            on_error=crashed,
            on_progress=progress,
            on_cancelled=lambda: finished(Cancelled()),
            label=f"Reading {started.original.name}",
        )
        if handle is not None:
            self._handles[doc_id] = handle

    def _settled(self, doc_id: int) -> None:
        self._reading.pop(doc_id, None)
        self._handles.pop(doc_id, None)
        self.document_changed.emit(doc_id)
        self.documents_changed.emit()  # vendor, date and total in the list, and their order
        if not self._reading:
            self._batch = 0
            self._db(lambda: any(j.state == "waiting" for j in self.library.jobs.unfinished()), self._retry_later)
        self._report()

    def _retry_later(self, waiting: bool) -> None:
        if waiting and not self.retry_timer.isActive():
            self.retry_timer.start()
        elif not waiting:
            self.retry_timer.stop()

    def cancel_reading(self) -> None:
        for handle in list(self._handles.values()):
            handle.cancel()

    def reading_state(self, doc_id: int) -> tuple[float, str] | None:
        return self._reading.get(doc_id)

    def reading_ids(self) -> list[int]:
        return list(self._reading)

    def _report(self) -> None:
        if not self._reading:
            self.activity.emit(Activity("", 1.0, False))
            return
        done = self._batch - len(self._reading)
        fraction = (done + sum(f for f, _ in self._reading.values())) / max(1, self._batch)
        count = len(self._reading)
        current = next((t for f, t in self._reading.values() if t and f > 0), "")
        text = f"Reading {count} document{'s' if count > 1 else ''}" + (f": {current}" if current else "…")
        self.activity.emit(Activity(text, fraction, True))

    def resume(self) -> None:
        """Read what a previous run (or a dropped network) left unread."""

        def work() -> list[tuple[int, str]]:
            pending = [(j.document_id, j.provider) for j in self.library.jobs.unfinished()]
            seen = {d for d, _ in pending}
            default = self.default_provider()
            for s in self.library.documents():
                if s.status in (Status.QUEUED, Status.EXTRACTING) and s.id not in seen:
                    pending.append((s.id, default))
            return pending

        def done(pending: list[tuple[int, str]]) -> None:
            for doc_id, provider in pending:
                self.read([doc_id], provider)

        self._db(work, done)

    # ------------------------------------------------------------------ settings and keys
    def test_connection(self, provider: str, done: Callable[[bool, str], None]) -> None:
        def work(ctx: RunContext) -> tuple[bool, str]:
            built = self.services.providers.get(provider)
            test = getattr(built, "test_connection", None)
            if test is None:
                return True, f"{built.title} needs no connection."
            result = test()
            return bool(result.ok), str(result.message)

        def failed(e: BaseException) -> None:
            done(False, _as_error(e).message)

        self._submit("extract", work, on_done=lambda r: done(*r), on_error=failed, label="Testing the connection")

    def settings_state(self, done: Callable[[SettingsState], None]) -> None:
        """Which keys are stored, whether the keyring works, pages sent this month (off the GUI thread)."""

        def work() -> SettingsState:
            secrets = self.services.secrets
            stored = {name: secrets.get(name) is not None for name in NAMES}
            usage = {p.name: self.library.usage.pages(p.name) for p in self.services.providers.infos()}
            return SettingsState(stored, secrets.problem, usage)

        self._db(work, done)

    def save_settings(
        self, values: dict[str, Any], keys: dict[str, str | None], done: Callable[[str | None], None]
    ) -> None:
        """Settings to the file, keys to the keyring; providers are built again on their next use."""

        def work() -> str | None:
            settings = self.services.settings
            for key, value in values.items():
                settings.set(key, value)
            settings.save()
            for name, secret in keys.items():
                if secret is not None:
                    self.services.secrets.set(name, secret)
            self.services.providers.forget()
            return self.services.secrets.problem

        self._db(work, done)
