"""What the window can do to keep the library in order, each step on the Desk's lanes.

Categories, tags, the Trash, sums of chosen documents, possible duplicates and
exports. Like the Desk, it never touches the library on the GUI thread: reads
go to the `read` lane (its own connection), writes to the `db` lane, files to
the `files` lane; answers come back as callbacks on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from receiptdesk.providers.base import RunContext
from receiptdesk.services import exporter, organizer
from receiptdesk.services.exporter import ExportExists, Format, Originals
from receiptdesk.store import listing, organize
from receiptdesk.store.listing import ListQuery
from receiptdesk.store.organize import Sums
from receiptdesk.ui.errors import as_error

if TYPE_CHECKING:
    from receiptdesk.ui.desk import Desk


def organize_step(desk: Desk, doc_id: int) -> None:
    """After a reading: where the original is (db), its first page's hash (render), then the suggested
    category and a possible duplicate (db) of the document and the parts cut from its file; rows redrawn."""
    library = desk.library

    def organized(parts: list[int]) -> None:
        for part in parts:  # the rows of the document and of the parts cut from the same file
            desk.document_changed.emit(part)

    def hashed(page_hash: str | None) -> None:
        desk._db(lambda: organizer.organize_file(library, doc_id, page_hash), organized)

    def found(original: Path | None) -> None:
        if original is None:
            return
        desk._submit(
            "render",
            lambda ctx: organizer.page_hash(desk.renderer, original),
            on_done=hashed,
            on_error=lambda e: hashed(None),
        )

    def where() -> Path | None:
        try:
            return library.original_path(doc_id)
        except KeyError:
            return None  # deleted meanwhile

    desk._db(where, found)


@dataclass(frozen=True, slots=True)
class Choices:
    """What the filter bar and the category menu offer, from the library."""

    categories: list[str]
    currencies: list[str]
    tags: list[str]


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the export dialog asks for. `ids` are the chosen documents; otherwise `query` says which."""

    folder: Path
    stem: str
    formats: tuple[Format, ...]
    originals: Originals | None
    ids: tuple[int, ...] | None
    query: ListQuery
    replace: bool = False


class Organizer(QObject):
    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.desk = desk

    @property
    def _reader(self) -> Any:
        return self.desk.library.reader

    def choices(self, done: Callable[[Choices], None]) -> None:
        reader = self._reader
        self.desk._read(
            lambda: Choices(organize.categories(reader), organize.currencies(reader), organize.all_tags(reader)), done
        )

    def sums(self, doc_ids: Sequence[int], done: Callable[[Sums], None], whole: ListQuery | None = None) -> None:
        """Count and sums per currency; `whole`: the chosen are every document of that list, summed in one query."""
        ids, reader = list(doc_ids), self._reader
        if whole is not None:
            sql, params = listing.where(whole)
            self.desk._read(lambda: organize.sums_where(reader, sql, params, len(ids)), done)
        else:
            self.desk._read(lambda: organize.sums(reader, ids), done)

    def count(self, query: ListQuery, done: Callable[[int], None]) -> None:
        reader = self._reader
        self.desk._read(lambda: len(listing.ids(reader, query)), done)

    def _write(self, fn: Callable[[], object], doc_ids: Sequence[int]) -> None:
        ids = list(doc_ids)

        def changed(_: object) -> None:
            for i in ids:
                self.desk.document_changed.emit(i)  # their rows are fetched again
            self.desk.documents_changed.emit()  # and the list asked again: a filter may no longer match

        self.desk._db(fn, changed)

    def set_category(self, doc_ids: Sequence[int], category: str | None) -> None:
        self._write(lambda: self.desk.library.set_category(doc_ids, category), doc_ids)

    def add_tag(self, doc_ids: Sequence[int], tag: str) -> None:
        self._write(lambda: self.desk.library.add_tag(doc_ids, tag), doc_ids)

    def remove_tag(self, doc_ids: Sequence[int], tag: str) -> None:
        self._write(lambda: self.desk.library.remove_tag(doc_ids, tag), doc_ids)

    def keep_both(self, doc_ids: Sequence[int]) -> None:
        self._write(lambda: self.desk.library.keep_both(doc_ids), doc_ids)

    def edit_categories(self, change: Callable[[Any], None]) -> None:
        """Add, rename or remove a category (`change` gets the library's db); the list is asked again."""
        db = self.desk.library.db
        self.desk._db(lambda: change(db), lambda _: self.desk.documents_changed.emit())

    def trash(self, doc_ids: Sequence[int]) -> None:
        """Move to the Trash (the original is kept); one being read is stopped first."""
        ids = list(doc_ids)
        self.desk.stop(ids)
        self.desk._db(lambda: self.desk.library.trash(ids), lambda _: self.desk.documents_changed.emit())

    def export(
        self, request: ExportRequest, done: Callable[[list[Path]], None], exists: Callable[[ExportExists], None]
    ) -> None:
        """Write the export on the files lane; files already there come back to `exists` for the user."""
        library = self.desk.library

        def work(ctx: RunContext) -> list[Path]:
            ids = list(request.ids) if request.ids is not None else listing.ids(library.reader, request.query)
            return exporter.export(
                (library.get(i) for i in ids), request.folder, stem=request.stem, formats=request.formats,
                originals=request.originals, original_path=lambda s: library.blobs.path_for(s.sha256),
                replace=request.replace,
            )  # fmt: skip

        def failed(e: BaseException) -> None:
            if isinstance(e, ExportExists):
                exists(e)
            else:
                self.desk.problem.emit(as_error(e))

        self.desk._submit("files", work, on_done=done, on_error=failed)
