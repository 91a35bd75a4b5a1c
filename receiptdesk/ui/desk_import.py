"""The Desk's imports: files become documents one by one, then each is read; one summary at the end.

Split from ui/desk.py (which reads documents) along that seam; Desk inherits this and owns the
counters it uses (set in Desk.__init__).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, SignalInstance

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import RunContext
from receiptdesk.services import importer
from receiptdesk.services.importer import ImportOutcome
from receiptdesk.store.records import Status
from receiptdesk.ui.desk_lanes import DeskLanes
from receiptdesk.ui.errors import as_error


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What one import did, said once at its end."""

    files: int  # files tried
    added: tuple[int, ...]  # new documents
    already: tuple[int, ...]  # the same bytes were in the library already
    unreadable: tuple[tuple[int, str, str], ...]  # (document id, file name, why): kept, marked failed

    @property
    def text(self) -> str:
        parts = [f"{len(self.added)} added"]
        if self.already:
            parts.append(f"{len(self.already)} already in the library")
        if self.unreadable:
            parts.append(f"{len(self.unreadable)} could not be read")
        return ", ".join(parts)


class LibraryImports(DeskLanes):
    if TYPE_CHECKING:
        document_changed: SignalInstance
        problem: SignalInstance
        already_there: SignalInstance
        imported: SignalInstance
        _stops: int
        _importing: int
        _import_files: int
        _outcomes: list[ImportOutcome]
        _lost: list[ImportOutcome]
        _reload: QTimer

        def read(self, doc_ids: Sequence[int], provider: str | None = None, *, fresh: bool = False) -> None: ...

        def _report(self) -> None: ...

    def import_paths(self, paths: Sequence[Path], provider: str | None = None, *, read: bool = True) -> None:
        """Every file becomes a document at once, one by one; each new one is then read on its own.

        `read=False`: kept as Stopped, to be read when the user says so (a paid service's price first).
        Walking folders and each file's step (copy, hash, probe) run on the files lane; only the
        record step takes the db lane, so a large or slow file never holds up the library."""

        stops = self._stops if read else -1

        def take_in(path: Path, ctx: RunContext) -> importer.Taken:
            return importer.take_in(self.library.blobs, path)

        def record(taken: importer.Taken) -> None:
            def failed(e: ReceiptDeskError) -> None:
                self._imported(provider, stops, ImportOutcome(taken.path, None, False, e, taken.name))

            self._db(partial(importer.record, self.library, taken), partial(self._imported, provider, stops), failed)

        def not_taken(path: Path, error: BaseException) -> None:
            self._imported(provider, stops, ImportOutcome(path, None, False, as_error(error)))

        def listed(files: list[Path]) -> None:
            if not files:
                nothing = (
                    "There was nothing to import there: ReceiptDesk reads PDF, JPEG, PNG, TIFF, HEIC, BMP, WebP and "
                    "GIF files (and .txt files chosen one by one)."
                )
                self.problem.emit(ReceiptDeskError(ErrorKind.BAD_DOCUMENT, nothing))
                return
            self._importing += len(files)
            self._import_files += len(files)
            self._report()
            for path in files:
                self._submit("files", partial(take_in, path), on_done=record, on_error=partial(not_taken, path))

        self._submit("files", lambda ctx: list(importer.expand(paths)), on_done=listed,
                     on_error=lambda e: self.problem.emit(as_error(e)))  # fmt: skip

    def _imported(self, provider: str | None, stops: int, outcome: ImportOutcome) -> None:
        self._importing -= 1
        self._outcomes.append(outcome)
        self._reload.start()
        self._report()
        if self._importing == 0:
            outcomes, self._outcomes, self._import_files = self._outcomes, [], 0
            self.imported.emit(_summary(outcomes))
        if outcome.doc_id is None:
            self._lost.append(outcome)
        elif outcome.created and outcome.error is None and stops != self._stops:
            doc_id = outcome.doc_id  # Stop was pressed during the import (or not to be read yet): kept
            self._db(
                lambda: self.library.set_status(doc_id, Status.STOPPED), lambda _: self.document_changed.emit(doc_id)
            )
        elif outcome.created and outcome.error is None:
            self.read([outcome.doc_id], provider)
        elif not outcome.created:
            self.already_there.emit(outcome.doc_id, outcome.name)
        if self._importing == 0 and self._lost:
            lost, self._lost = self._lost, []
            if len(lost) == 1 and lost[0].error is not None:
                self.problem.emit(lost[0].error)  # its message names the file and says why
                return
            names = ", ".join(o.name for o in lost[:3]) + (" …" if len(lost) > 3 else "")
            reasons = "\n".join(f"{o.error.message}" for o in lost[:5] if o.error)
            self.problem.emit(
                ReceiptDeskError(lost[0].error.kind if lost[0].error else ErrorKind.STORAGE,
                                 f"{len(lost)} files could not be added ({names}):\n{reasons}")
            )  # fmt: skip


def _summary(outcomes: list[ImportOutcome]) -> ImportSummary:
    added = tuple(o.doc_id for o in outcomes if o.doc_id is not None and o.created and o.error is None)
    already = tuple(o.doc_id for o in outcomes if o.doc_id is not None and not o.created)
    unreadable = tuple((o.doc_id, o.name, o.error.message) for o in outcomes
                       if o.doc_id is not None and o.created and o.error is not None)  # fmt: skip
    return ImportSummary(len(outcomes), added, already, unreadable)
