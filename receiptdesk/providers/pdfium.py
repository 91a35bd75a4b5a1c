"""pdfium, one call at a time for the whole process.

PDFium is not thread-safe (pypdfium2's documentation says so): two threads in
it at once, even on different documents, crash the process (SIGSEGV, "double
free"). The app reads with two workers and draws pages on two more threads,
so every pypdfium2 call goes through this module's lock: opening, counting,
rendering, the text layer, closing. Objects are closed explicitly under the
lock, never left to a garbage-collection finalizer on whatever thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from receiptdesk.core.errors import bad_document

# Re-entrant: a page opened under the lock may be closed by code that takes it again.
_LOCK = threading.RLock()


@contextmanager
def pdfium_lock() -> Iterator[Any]:
    """Hold the process-wide pdfium lock; yields the pypdfium2 module."""
    with _LOCK:
        import pypdfium2

        yield pypdfium2


class PdfFile:
    """An open PDF whose every use takes the lock; use `with PdfFile.open(...)`."""

    def __init__(self, document: Any, name: str) -> None:
        self._pdf = document
        self.name = name
        with _LOCK:
            self.pages = len(document)

    @classmethod
    def open(cls, data: bytes | Path, name: str) -> PdfFile:
        """The document, or bad_document naming the file with a reason the user understands."""
        with pdfium_lock() as pdfium:
            try:
                document = pdfium.PdfDocument(data)
            except OSError as e:  # a path that is gone or may not be read
                raise bad_document(f"{name} could not be read ({e.strerror or e}).", detail=str(e)) from e
            except pdfium.PdfiumError as e:
                if "password" in str(e).lower():
                    raise bad_document(f"{name} is protected by a password. Save an unprotected copy.") from e
                raise bad_document(f"{name} is damaged and cannot be opened as a PDF.", detail=str(e)) from e
            return cls(document, name)

    def __len__(self) -> int:
        return int(self.pages)

    @contextmanager
    def page(self, index: int) -> Iterator[Any]:
        """Page `index` (from 0), with the lock held until the block ends and the page is closed."""
        with pdfium_lock() as pdfium:
            try:
                page = self._pdf[index]
            except pdfium.PdfiumError as e:
                raise bad_document(f"Page {index + 1} of {self.name} is damaged.", detail=str(e)) from e
            try:
                yield page
            finally:
                page.close()

    def close(self) -> None:
        with _LOCK:
            self._pdf.close()

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render_page(page: Any, scale: float) -> Any:
    """A PIL RGB copy of the page (call with the lock held, inside `PdfFile.page`); the pdfium
    bitmap is freed here, not by a finalizer later on another thread."""
    bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()
