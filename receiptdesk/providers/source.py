"""What a file is, read from its bytes: media type, page count, page images.

Decoding lives here, below every provider and the viewer, so the offline
OCR, the cloud calls and the screen all see the same pages, rotated the
same way. Failures become bad_document with words the user can act on.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from receiptdesk.core.errors import ReceiptDeskError, bad_document
from receiptdesk.providers.files import MAX_FRAMES, MAX_PAGES, MAX_PIXELS, MAX_TEXT_BYTES, display_name, read_file
from receiptdesk.providers.pdfium import PdfFile, render_page
from receiptdesk.providers.textdoc import (
    MAX_LINES,
    TEXT,
    TEXT_SUFFIXES,
    decode_text,
    draw_page,
    file_pages,
    is_markup,
    text_pages,
)

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
BMP = "image/bmp"
HEIC = "image/heic"
WEBP = "image/webp"
GIF = "image/gif"
_TEXT_SNIFF = 8192

IMAGE_TYPES = frozenset({JPEG, PNG, TIFF, BMP, HEIC, WEBP, GIF})
SUPPORTED = IMAGE_TYPES | {PDF, TEXT}
# File name endings folder import looks for: scans, photos and PDFs. A folder's .txt files are
# more often notes than receipts, so a .txt is imported only when chosen or dropped itself.
EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".webp", ".gif")
# ... and what the import dialog offers.
CHOOSABLE = (*EXTENSIONS, ".txt")

_LABELS = {
    PDF: "PDF",
    JPEG: "JPEG",
    PNG: "PNG",
    TIFF: "TIFF",
    BMP: "BMP",
    HEIC: "HEIC",
    WEBP: "WebP",
    GIF: "GIF",
    TEXT: "text",
}


def sniff(head: bytes) -> str | None:
    """The media type from the first bytes; the file name is not trusted."""
    if head.startswith(b"%PDF"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head.startswith(b"BM"):
        return BMP
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heis", b"hevc", b"avif"):
        return HEIC
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    # A PDF may start with junk (a mail header) before its marker; an image's own signature wins,
    # so a JPEG whose comment mentions "%PDF-" stays a JPEG.
    if b"%PDF-" in head[:1024]:
        return PDF
    return None


@dataclass(frozen=True, slots=True)
class Source:
    """A document file as the providers see it."""

    path: Path
    media_type: str
    size: int
    pages: int
    sha256: str
    # The file's name as the user knows it (the library keeps its copy under its SHA-256).
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", display_name(self.path))

    @property
    def kind_label(self) -> str:
        return _LABELS.get(self.media_type, self.media_type)

    @property
    def is_pdf(self) -> bool:
        return self.media_type == PDF

    def read_bytes(self) -> bytes:
        return read_file(self.path, self.name)

    @classmethod
    def open(cls, path: Path | str, *, name: str | None = None, media_type: str | None = None) -> Source:
        """Inspect a file; raises bad_document when it is no regular file, empty, too large, damaged or
        not a document. `name` is the name the user knows it by; `media_type` what the file was
        found to be when it was imported (the library's copy has no name ending to go by)."""
        path = Path(path)
        named = name is not None
        name = name or display_name(path)
        data = read_file(path, name)
        if not data:
            raise bad_document(f"{name} is empty (0 bytes).")
        # Text is told by its bytes; the name only refuses what says it is data or code (a .json,
        # a .py). The library's copy (named by its SHA-256, no ending) is read by its content.
        found = sniff(data[:2048]) or _text_type(
            data, name, known=media_type == TEXT or (not named and not path.suffix)
        )
        if found is None:
            raise bad_document(
                f"{name} is not a document ReceiptDesk can read (PDF, JPEG, PNG, TIFF, HEIC, BMP, WebP or plain text)."
            )
        pages = count_pages(data, found, name)
        return cls(path, found, len(data), pages, hashlib.sha256(data).hexdigest(), name)


def _text_type(data: bytes, name: str, *, known: bool = False) -> str | None:
    """TEXT for a text receipt (.txt, or `known` to be one); None for what is no text; refused with
    why for other text."""
    if len(data) > MAX_TEXT_BYTES:
        if decode_text(data[:_TEXT_SNIFF]) is None:
            return None
        raise bad_document(
            f"{name} is too large for a receipt kept as text ({len(data) / 1e6:,.1f} MB; the limit is "
            f"{MAX_TEXT_BYTES / 1e6:,.0f} MB)."
        )
    if not data.strip():
        raise bad_document(f"{name} is empty (only blank space).")
    text = decode_text(data)
    if text is None:
        return None
    if is_markup(text):
        raise bad_document(
            f"{name} is a web page or a formatted (RTF) document, not the receipt as printed. "
            "Open it and print it to PDF, then import the PDF."
        )
    if not known and not name.lower().endswith(TEXT_SUFFIXES):
        raise bad_document(
            f"{name} is a text file of another kind (data or code, not a receipt). "
            "A receipt kept as text is read when it is saved as .txt."
        )
    if text.count("\n") >= MAX_LINES or sum(len(rows) for rows in text_pages(text)) >= MAX_LINES:
        raise bad_document(f"{name} is too long for a receipt or invoice (more than {MAX_LINES} lines).")
    return TEXT


def count_pages(data: bytes, media_type: str, name: str = "the file") -> int:
    """Pages (frames) in the file, within MAX_PAGES; the first picture is decoded to prove it opens."""
    if media_type == TEXT:
        return len(file_pages(data))
    if media_type == PDF:
        with PdfFile.open(data, name) as pdf:
            n = len(pdf)
        if n == 0:
            raise bad_document(f"{name} is a PDF without pages.")
        _check_pages(n, name)
        return n
    # A JPEG is checked whole but decoded at an eighth of its size: a phone photo's full
    # 12-50 megapixels would cost time and memory only to be thrown away here.
    img = _open_image(data, name, reduce_to=1)
    try:
        return _frames(img, name)
    finally:
        img.close()


def _check_pages(n: int, name: str, limit: int = MAX_PAGES) -> None:
    if n > limit:
        raise bad_document(f"{name} has too many pages ({n:,}; ReceiptDesk reads up to {limit:,}).")


def _frames(img: Image, name: str) -> int:
    """Pages in the picture: a TIFF's frames (walked no further than MAX_FRAMES + 1); an animation's
    frames (GIF, WebP, PNG) are no pages, so those, like every other picture, are one page."""
    if img.format != "TIFF":
        return 1
    n = 1
    try:
        while n <= MAX_FRAMES:
            img.seek(n)
            n += 1
    except EOFError:
        pass
    except Exception as e:
        raise _damaged_image(name, e) from e
    _check_pages(n, name, MAX_FRAMES)
    return n


def _damaged_image(name: str, e: BaseException) -> ReceiptDeskError:
    log.info("decoding %s failed: %r", name, e)
    return bad_document(f"{name} is damaged and cannot be opened as an image.", detail=f"{type(e).__name__}: {e}")


def _check_pixels(img: Image, name: str) -> None:
    w, h = img.size
    if w <= 0 or h <= 0:
        raise bad_document(f"{name} is a picture without pixels.")
    # A JPEG decodes at an eighth of its size at the least: only that much need fit.
    least = (w / 8) * (h / 8) if img.format == "JPEG" else w * h
    if least > MAX_PIXELS:
        raise bad_document(
            f"{name} is too large a picture to open safely ({w:,} x {h:,} pixels; the limit is "
            f"{MAX_PIXELS / 1e6:,.0f} megapixels). Save a smaller copy and import that."
        )


def _open_image(data: bytes, name: str, reduce_to: int | None = None) -> Image:
    """Decode the image, its size checked first; a JPEG larger than `reduce_to` pixels a side may
    be decoded smaller (by libjpeg's 1/2, 1/4 or 1/8 scaling, never below `reduce_to`)."""
    img = _open_lazily(data, name)
    try:
        _check_pixels(img, name)
        if img.format == "JPEG":
            w, h = img.size
            # Decoded no larger than asked, and never past the pixel limit.
            side = min(float(reduce_to or max(w, h)), max(w, h) * math.sqrt(MAX_PIXELS / (w * h)))
            if side < max(w, h):
                k = side / max(w, h)
                img.draft("RGB", (max(1, math.ceil(w * k)), max(1, math.ceil(h * k))))
        img.load()
    except ReceiptDeskError:
        img.close()
        raise
    except Exception as e:
        img.close()
        raise _damaged_image(name, e) from e
    return img


_ORIENTATION = 0x0112  # the EXIF tag saying how to turn the stored pixels to view them


def _open_lazily(data: bytes, name: str) -> Image:
    """The picture's header read (nothing decoded yet), or bad_document."""
    import warnings

    from PIL import Image

    _register_heif()
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is checked before decoding; Pillow's warning would be an error in tests.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as e:
        raise bad_document(f"{name} is too large a picture to open safely.", detail=str(e)) from e
    except Exception as e:
        raise _damaged_image(name, e) from e


def to_rgb(frame: Image) -> Image:
    """The frame as 8-bit RGB; 16-bit and 32-bit grey scaled down, not clipped to white."""
    if frame.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        import numpy as np
        from PIL import Image as PILImage

        values = np.asarray(frame, dtype=np.float64)
        top = float(values.max()) if values.size else 0.0
        scale = 255.0 / (65535.0 if top > 255 else max(top, 255.0))
        grey = np.clip(values * scale, 0, 255).astype(np.uint8)
        return PILImage.fromarray(grey, "L").convert("RGB")
    return frame.convert("RGB")


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:  # pragma: no cover - a dependency, but HEIC is optional for reading others
            pass
        _heif_registered = True


@dataclass(frozen=True, slots=True)
class PageImage:
    """One page as pixels, upright, with the text layer when the PDF has one."""

    number: int
    image: Image  # RGB
    # For PDFs the page size in points (the text layer's unit); None for images.
    size_pt: tuple[float, float] | None = None
    # For images read with `max_side`: the page's own size in pixels (upright), before reducing.
    full_size: tuple[int, int] | None = None


def iter_pages(
    source: Source, *, dpi: int = 200, max_side: int | None = None, long_ratio: float | None = None
) -> Iterator[PageImage]:
    """Every page as an upright RGB image (EXIF rotation applied, PDFs rendered at `dpi`).

    `max_side` limits the longer side; with `long_ratio`, a picture longer than that many times its
    width (a till roll) is limited by its width instead, so its print stays readable."""
    data = source.read_bytes()
    name = source.name
    if source.is_pdf:
        with PdfFile.open(data, name) as pdf:
            for i in range(len(pdf)):
                with pdf.page(i) as page:
                    w, h = page.get_size()
                    scale = dpi / 72
                    if max_side and max(w, h) * scale > max_side:
                        scale = max_side / max(w, h)
                    img = render_page(page, scale)
                yield PageImage(i + 1, img, (w, h))
        return
    if source.media_type == TEXT:
        for i, rows in enumerate(file_pages(data)):
            yield PageImage(i + 1, draw_page(rows, max_side))
        return
    from PIL import ImageOps

    with _open_lazily(data, name) as probe:  # the size before any reduction, from the header
        stored = probe.size
        try:
            turned = probe.getexif().get(_ORIENTATION) in (5, 6, 7, 8)  # a quarter turn to view it
        except Exception:  # noqa: BLE001 - damaged EXIF: show the pixels as stored
            turned = False
    long = bool(max_side and long_ratio and max(stored) > long_ratio * min(stored))
    limit = max_side * max(stored) / max(1, min(stored)) if long and max_side else max_side
    img = _open_image(data, name, reduce_to=round(limit) if limit else None)
    drafted = img.size != stored
    try:
        for i in range(_frames(img, name)):
            try:
                img.seek(i)
                frame = ImageOps.exif_transpose(img.copy()) or img.copy()
                frame = to_rgb(frame)
            except Exception as e:
                raise _damaged_image(name, e) from e
            size = ((stored[1], stored[0]) if turned else stored) if drafted else frame.size
            if limit and max(frame.size) > limit:
                frame.thumbnail((round(limit), round(limit)))
            yield PageImage(i + 1, frame, full_size=size if max_side else None)
    finally:
        img.close()
