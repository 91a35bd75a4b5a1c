"""The Desk's changes to the library itself: values, notes, review marks, the Trash, exports.

Split from ui/desk.py (which reads documents) along that seam; Desk inherits
these. Each change runs on the db lane and says which document it changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SignalInstance

from receiptdesk.core.document import Value
from receiptdesk.providers.base import RunContext
from receiptdesk.services import parts, reparse
from receiptdesk.services.parts import PageRange
from receiptdesk.services.wiring import Services
from receiptdesk.store.edits import read_value
from receiptdesk.ui.desk_lanes import DeskLanes
from receiptdesk.ui.errors import as_error


class LibraryChanges(DeskLanes):
    if TYPE_CHECKING:
        services: Services
        document_changed: SignalInstance
        documents_changed: SignalInstance
        readings_changed: SignalInstance
        problem: SignalInstance

        def stop(self, doc_ids: Sequence[int]) -> None: ...

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

    def reparse_stale(self) -> None:
        """At start, in the background: what an older offline parser read is parsed again (no OCR)."""
        self._reparse(lambda: reparse.stale(self.library), lambda _: None)

    def readable_again(self, found: Callable[[list[int]], None]) -> None:
        """The documents a change of the reading settings may apply to: read on this computer, words kept,
        not marked reviewed."""
        self._db(lambda: reparse.unreviewed(self.library), found)

    def read_again_with_settings(self, doc_ids: list[int], done: Callable[[int], None]) -> None:
        """These documents parsed again from their words with the reading settings now saved (no OCR; the
        user's corrections kept); `done` gets how many were."""
        self._reparse(lambda: doc_ids, done)

    def _reparse(self, which: Callable[[], list[int]], then: Callable[[int], None]) -> None:
        def work(ctx: RunContext) -> int:
            return reparse.reparse(self.library, self.services.providers, which(), ctx.cancelled)

        def done(count: int) -> None:
            if count:
                self.readings_changed.emit()  # rows and the document shown are asked for again
                self.documents_changed.emit()  # and the list, whose order may follow the values
            then(count)

        self._submit("files", work, on_done=done, on_error=lambda e: self.problem.emit(as_error(e)))

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
