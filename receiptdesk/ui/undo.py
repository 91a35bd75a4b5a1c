"""Every change a user makes, as a step on one undo stack (Edit > Undo, Ctrl+Z; Redo, Ctrl+Shift+Z).

Each step knows how to do and undo itself through the Desk (so the change is
stored on the db lane like any other), and what it is called in the Edit
menu ("Undo change Total"). Undoing never loses anything: the value read and
every edit stay in the document's history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QUndoCommand, QUndoStack

from receiptdesk.core.document import Value
from receiptdesk.core.fields import title_of
from receiptdesk.services.parts import PageRange
from receiptdesk.ui.desk import Desk


class Step(QUndoCommand):
    """A change and its opposite."""

    def __init__(self, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo

    def redo(self) -> None:
        self._do()

    def undo(self) -> None:
        self._undo()


field_title = title_of


class Changes:
    """The window's one undo stack and the steps it knows."""

    def __init__(self, desk: Desk, stack: QUndoStack) -> None:
        self.desk = desk
        self.stack = stack

    def edit(self, doc_id: int, after: Mapping[str, Value | None], text: str) -> None:
        """Values changed as one step; what they were is taken when the change is stored, for its undo."""
        before: dict[str, Value | None] = {}
        values = dict(after)
        self.stack.push(Step(text, lambda: self.desk.edit(doc_id, values, before),
                             lambda: self.desk.edit(doc_id, before)))  # fmt: skip

    def edit_value(self, doc_id: int, path: str, after: Value | None) -> None:
        self.edit(doc_id, {path: after}, f"change {field_title(path)}")

    def revert(self, doc_id: int, paths: list[str] | None, text: str) -> None:
        """Back to what was read, as one step; its undo puts back the values as they were then."""
        before: dict[str, Value | None] = {}
        self.stack.push(Step(text, lambda: self.desk.revert(doc_id, paths, before),
                             lambda: self.desk.edit(doc_id, before)))  # fmt: skip

    def split(self, doc_id: int, ranges: list[PageRange]) -> None:
        self.stack.push(Step(f"split into {len(ranges)} documents", lambda: self.desk.split(doc_id, ranges),
                             lambda: self.desk.merge(doc_id)))  # fmt: skip

    def merge(self, doc_id: int) -> None:
        ranges: list[PageRange] = []  # filled when the merge is made, for its undo
        self.stack.push(Step("merge back into one document", lambda: self.desk.merge(doc_id, ranges),
                             lambda: self.desk.split(doc_id, ranges)))  # fmt: skip

    def turn(self, doc_id: int, before: int, after: int) -> None:
        self.stack.push(Step("turn the page", lambda: self.desk.turn(doc_id, after),
                             lambda: self.desk.turn(doc_id, before)))  # fmt: skip

    def notes(self, doc_id: int, before: str, after: str) -> None:
        self.stack.push(Step("change notes", lambda: self.desk.set_notes(doc_id, after),
                             lambda: self.desk.set_notes(doc_id, before)))  # fmt: skip

    def review(self, before: dict[int, str | None], mark: str | None, text: str) -> None:
        after: dict[int, str | None] = dict.fromkeys(before, mark)
        self.stack.push(Step(text, lambda: self.desk.set_review(after), lambda: self.desk.set_review(before)))

    def trash(self, doc_ids: Sequence[int]) -> None:
        ids = list(doc_ids)
        n = len(ids)
        text = f"move {n} document{'s' if n != 1 else ''} to the Trash"
        self.stack.push(Step(text, lambda: self.desk.trash(ids), lambda: self.desk.restore(ids)))

    def restore(self, doc_ids: Sequence[int]) -> None:
        ids = list(doc_ids)
        n = len(ids)
        text = f"restore {n} document{'s' if n != 1 else ''}"
        self.stack.push(Step(text, lambda: self.desk.restore(ids), lambda: self.desk.trash(ids)))
