"""Pages as pictures for the viewer, drawn once and kept in the cache folder.

The viewer shows the page as the providers saw it (EXIF rotation applied,
PDF pages at a fixed resolution), so a field's box, normalised to the page,
lands on the same spot. Rendering runs on the `render` lane; the cache is
keyed by the original's SHA-256, so it never goes stale and can be deleted.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.source import Source, iter_pages

# Large enough to read small print when zoomed in, small enough to draw at once.
PAGE_MAX_SIDE = 2400
PDF_DPI = 150


@dataclass(frozen=True, slots=True)
class RenderedPage:
    number: int  # 1-based
    count: int  # pages in the document
    path: Path  # a PNG in the cache


class PageRenderer:
    def __init__(self, cache: Path) -> None:
        self.root = cache / "pages"

    def _path(self, sha256: str, number: int) -> Path:
        return self.root / sha256[:2] / f"{sha256}-{number}-{PAGE_MAX_SIDE}.png"

    def page(
        self, original: Path, number: int, *, sha256: str | None = None, pages: int = 0, name: str | None = None
    ) -> RenderedPage:
        """Page `number` of the original as a PNG; pages before it are cached on the way.

        With the original's SHA-256 and page count (the library knows both) a page drawn before is
        found without touching the original: no read, no hash, no decode. `name` is the file's name
        as the user knows it, for messages."""
        if sha256 is not None and pages > 0:
            number = max(1, min(number, pages))
            cached = self._path(sha256, number)
            if cached.is_file():
                return RenderedPage(number, pages, cached)
        source = Source.open(original, name=name)
        number = max(1, min(number, source.pages))
        cached = self._path(source.sha256, number)
        if cached.is_file():
            return RenderedPage(number, source.pages, cached)
        for page in itertools.islice(iter_pages(source, dpi=PDF_DPI, max_side=PAGE_MAX_SIDE), number):
            target = self._path(source.sha256, page.number)
            if not target.is_file():
                _save_png(page.image, target)
        return RenderedPage(number, source.pages, cached)


def _save_png(image: object, target: Path) -> None:
    """Write atomically: a viewer never reads half a picture."""
    from PIL.Image import Image

    assert isinstance(image, Image)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".page-", suffix=".png")
        with os.fdopen(fd, "wb") as f:
            image.save(f, format="PNG", compress_level=1)
        os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise ReceiptDeskError(
            ErrorKind.STORAGE, "The page could not be drawn into the cache folder.", detail=str(e)
        ) from e
