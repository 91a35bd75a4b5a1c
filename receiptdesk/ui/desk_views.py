"""The Desk's views of the library: the list's ids and rows, one document, its pages drawn.

Split from ui/desk.py along that seam; Desk inherits these. Everything here only reads: the
list on the `read` lane (its own SQLite connection), pages on the `render` lane.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.providers.base import RunContext
from receiptdesk.services.rendering import PageRenderer, RenderedPage
from receiptdesk.store import listing
from receiptdesk.store.listing import ListQuery
from receiptdesk.store.records import DocumentRecord, DocumentSummary
from receiptdesk.ui.desk_lanes import DeskLanes
from receiptdesk.ui.errors import as_error
from receiptdesk.ui.library.model import ListView

THUMB_HEIGHT = 96  # pixels: a page in the strip of pages
# Rows sent with a new list, so what is on screen needs no second trip.
FIRST_ROWS = 150


@dataclass(frozen=True, slots=True)
class ShownPage:
    """A page drawn off the GUI thread, ready to put on screen."""

    page: RenderedPage
    image: QImage


class LibraryViews(DeskLanes):
    if TYPE_CHECKING:
        renderer: PageRenderer

    # ------------------------------------------------------------------ reading the library
    def list_view(self, query: ListQuery, done: Callable[[ListView], None], *, first: int = 0) -> None:
        """The list's ids in order and the rows from `first` on that will be on screen."""
        reader = self.library.reader

        def work() -> ListView:
            ids = self.library.orders.ids(query)
            shown = ids[first : first + FIRST_ROWS]
            return ListView.of(ids, listing.summaries(reader, shown))

        self._read(work, done)

    def summaries(self, doc_ids: Sequence[int], done: Callable[[dict[int, DocumentSummary]], None]) -> None:
        ids = list(doc_ids)
        self._read(lambda: listing.summaries(self.library.reader, ids), done)

    def record(self, doc_id: int, done: Callable[[DocumentRecord], None]) -> None:
        """The document as it stands; nothing is called back when it was deleted meanwhile."""

        def work() -> DocumentRecord | None:
            try:
                return self.library.get(doc_id)
            except KeyError:
                return None

        def found(record: DocumentRecord | None) -> None:
            if record is not None:
                done(record)

        self._db(work, found)

    def render(
        self, doc: DocumentSummary, page: int, done: Callable[[ShownPage], None],
        failed: Callable[[ReceiptDeskError], None],
    ) -> None:  # fmt: skip
        """Draw a page of an original and decode it, both off the GUI thread (a page drawn before
        comes from the cache without touching the original)."""

        def work(ctx: RunContext) -> ShownPage:
            rendered = self._page(doc, page)
            return ShownPage(rendered, QImage(str(rendered.path)))

        self._submit("render", work, on_done=done, on_error=lambda e: failed(as_error(e)))

    def thumbnail(self, doc: DocumentSummary, page: int, done: Callable[[int, QImage], None]) -> None:
        """A small picture of a page, for the strip of pages; drawn and shrunk off the GUI thread."""

        def work(ctx: RunContext) -> QImage:
            image = QImage(str(self._page(doc, page).path))
            return image.scaledToHeight(THUMB_HEIGHT, Qt.TransformationMode.SmoothTransformation)

        self._submit("render", work, on_done=lambda image: done(page, image), on_error=lambda e: None)

    def _page(self, doc: DocumentSummary, page: int) -> RenderedPage:
        original = self.library.blobs.path_for(doc.sha256)
        return self.renderer.page(original, page, sha256=doc.sha256, pages=doc.page_count, name=doc.file_name)
