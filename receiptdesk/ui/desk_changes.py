"""The Desk's changes to the library itself: values, notes, review marks, the Trash, exports.

Split from ui/desk.py (which reads documents) along that seam; Desk inherits
these. Each change runs on the db lane and says which document it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SignalInstance

from receiptdesk.core.document import Value
from receiptdesk.core.fields import document_count
from receiptdesk.providers.base import RunContext
from receiptdesk.services import parts, reparse
from receiptdesk.services.parts import PageRange
from receiptdesk.services.wiring import Services
from receiptdesk.store.edits import read_value
from receiptdesk.tasks.runner import TaskHandle
from receiptdesk.ui.desk_lanes import DeskLanes
from receiptdesk.ui.errors import as_error


class LibraryChanges(DeskLanes):
    if TYPE_CHECKING:
        services: Services
        document_changed: SignalInstance
        documents_changed: SignalInstance
        readings_changed: SignalInstance
        parsed_again: SignalInstance
        problem: SignalInstance

        def stop(self, doc_ids: Sequence[int]) -> None: ...

        def _reparse_started(self, handle: TaskHandle) -> None: ...

        def _reparse_shown(self, fraction: float, text: str) -> None: ...

        def _reparse_ended(self, job: list[TaskHandle]) -> None: ...

    def edit(
        self, doc_id: int, values: Mapping[str, Value | None], before: dict[str, Value | None] | None = None
    ) -> None:
        """Change values (one, or several as one step); the values read stay beside them.

        `before`, when given and empty, is filled on the db lane with the values as they were just
        before this change: an undo queued after it (same lane, in order) finds them there, however
        fast the user typed."""

        def work() -> None:
            if before is not None and not before:
                current = self.library.get(doc_id).current
                before.update({p: read_value(current, p) if current else None for p in values})
            self.library.edit_many(doc_id, values)

        self._db(work, lambda _: self.document_changed.emit(doc_id))

    def revert(self, doc_id: int, paths: list[str] | None, before: dict[str, Value | None]) -> None:
        """Back to what was read (these values, or every one changed); `before` is filled as for `edit`."""

        def work() -> None:
            record = self.library.get(doc_id)
            chosen = paths if paths is not None else list(record.edits)
            if not before and record.current is not None:
                before.update({p: read_value(record.current, p) for p in chosen})
            self.library.revert(doc_id, chosen)

        self._db(work, lambda _: self.document_changed.emit(doc_id))

    def split(self, doc_id: int, ranges: list[PageRange]) -> None:
        """One document per page range, each with the values read on its pages (nothing is sent)."""
        self._files(lambda: parts.split(self.library, self.services.providers, doc_id, ranges))

    def merge(self, doc_id: int, ranges: list[PageRange] | None = None) -> None:
        """The documents cut from one file become one again; `ranges` gets what they were, for an undo."""

        def work() -> int:
            if ranges is not None and not ranges:
                ranges.extend(parts.ranges_of(self.library, doc_id))
            return parts.merge(self.library, self.services.providers, doc_id)

        self._files(work)

    def _files(self, work: Callable[[], Any]) -> None:
        def done(_: object) -> None:
            self.documents_changed.emit()

        self._submit("files", lambda ctx: work(), on_done=done, on_error=lambda e: self.problem.emit(as_error(e)))

    def count_readable_again(self, found: Callable[[int], None]) -> None:
        """How many documents a change of the reading settings may apply to: read on this computer, words kept,
        not marked reviewed."""
        self._db(lambda: reparse.count_unreviewed(self.library), found)

    def read_again_with_settings(self) -> None:
        """Those documents parsed again from their words with the reading settings now saved (no OCR; the
        user's corrections kept). Listed in the library first, so a quit halfway goes on at the next start."""
        self._db(lambda: reparse.ask_unreviewed(self.library), lambda _: self._reparse("with the new setting"))

    def reparse_pending(self) -> None:
        """At start: an older parser's readings, and a re-read a quit cut short, parsed again from their words.
        Looked for first, so a library that is up to date shows nothing; what was found is what is read."""
        self._db(
            lambda: reparse.pending(self.library), lambda todo: self._reparse("without OCR", todo) if todo else None
        )

    def _reparse(self, why: str, found: dict[int, int | None] | None = None) -> None:
        """What is pending (`found`, or else looked for when its turn comes) is parsed again, on a lane of its
        own, its progress in the status bar beside Stop. Looked for then, not when asked: a second change of the
        settings while one re-read runs reads again only what the first did before it. `why` ends the status
        bar's word when it is done."""

        def work(ctx: RunContext) -> reparse.Reparsed:
            def progress(done: int, total: int) -> None:
                ctx.progress(done / total, f"Reading {document_count(total)} again from their words: {done:,} done")

            todo = found if found is not None else reparse.pending(self.library)
            return reparse.reparse(self.library, self.services.providers, todo, ctx.cancelled, progress)

        job: list[TaskHandle] = []  # its handle once submitted (the callbacks come later, on this thread)

        def done(outcome: reparse.Reparsed) -> None:
            self._reparse_ended(job)
            if outcome.done:
                self.readings_changed.emit()  # rows and the document shown are asked for again
                self.documents_changed.emit()  # and the list, whose order may follow the values
            if outcome.done or outcome.left:
                self.parsed_again.emit(outcome, why)

        def failed(error: BaseException) -> None:
            self._reparse_ended(job)
            self.problem.emit(as_error(error))

        def left(count: int) -> None:
            if count:
                self.parsed_again.emit(reparse.Reparsed(0, count), why)

        def stopped_before_it_began() -> None:  # what it would have read is still listed: say so
            self._reparse_ended(job)
            self._db(lambda: len(reparse.pending(self.library)), left)

        handle = self._submit(
            "reparse", work, on_done=done, on_error=failed, on_progress=self._reparse_shown,
            on_cancelled=stopped_before_it_began, label="Reading again from the words kept",
        )  # fmt: skip
        if handle is not None:
            job.append(handle)
            self._reparse_started(handle)

    def turn(self, doc_id: int, quarter_turns: int) -> None:
        self._db(lambda: self.library.set_rotation(doc_id, quarter_turns), lambda _: self.document_changed.emit(doc_id))

    def set_notes(self, doc_id: int, notes: str) -> None:
        self._db(lambda: self.library.set_notes(doc_id, notes), lambda _: self.document_changed.emit(doc_id))

    def set_review(self, marks: dict[int, str | None]) -> None:
        """Review marks per document ("reviewed", "needs_review" or None)."""

        def work() -> None:
            for mark in set(marks.values()):
                self.library.set_review([i for i, m in marks.items() if m == mark], mark)

        def done(_: object) -> None:
            for i in marks:
                self.document_changed.emit(i)

        self._db(work, done)

    def trash(self, doc_ids: Sequence[int]) -> None:
        """To the Trash (originals kept); a document being read is stopped first."""
        self.stop(doc_ids)
        ids = list(doc_ids)
        self._db(lambda: self.library.trash(ids), lambda _: self.documents_changed.emit())

    def restore(self, doc_ids: Sequence[int]) -> None:
        ids = list(doc_ids)
        self._db(lambda: self.library.restore(ids), lambda _: self.documents_changed.emit())

    def empty_trash(self, done: Callable[[int], None]) -> None:
        """Forget the Trash's documents and their originals for good."""

        def emptied(count: int) -> None:
            self.documents_changed.emit()
            done(count)

        self._db(self.library.empty_trash, emptied)

    def count_to_review(self, done: Callable[[int], None]) -> None:
        self._read(self.library.count_to_review, done)

    def to_review(self, done: Callable[[set[int]], None]) -> None:
        """The documents marked as needing a look (for "Next to review")."""
        sql = "SELECT id FROM documents WHERE review = 'needs_review' AND deleted_at IS NULL"
        self._read(lambda: set(self.library.reader.column(sql)), done)
