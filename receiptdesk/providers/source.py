"""What a file is, read from its bytes: media type, page count, page images.

Decoding lives here, below every provider and the viewer, so the offline
OCR, the cloud calls and the screen all see the same pages, rotated the
same way. Failures become bad_document with words the user can act on.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from receiptdesk.core.errors import bad_document
from receiptdesk.providers.textdoc import MAX_LINES, TEXT, TEXT_SUFFIXES, decode_text, draw_page, file_pages, is_markup

if TYPE_CHECKING:
    from PIL.Image import Image

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
BMP = "image/bmp"
HEIC = "image/heic"
WEBP = "image/webp"
GIF = "image/gif"

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
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
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
    return None


@dataclass(frozen=True, slots=True)
class Source:
    """A document file as the providers see it."""

    path: Path
    media_type: str
    size: int
    pages: int
    sha256: str

    @property
    def kind_label(self) -> str:
        return _LABELS.get(self.media_type, self.media_type)

    @property
    def is_pdf(self) -> bool:
        return self.media_type == PDF

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    @classmethod
    def open(cls, path: Path | str) -> Source:
        """Inspect a file; raises bad_document when it is empty, damaged or not a document."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise bad_document(f"{path.name} is a folder, not a file.") from None
        except FileNotFoundError:
            raise bad_document(f"{path.name} does not exist (was it moved or deleted?).") from None
        except PermissionError:
            raise bad_document(f"ReceiptDesk may not read {path.name}: check its permissions.") from None
        if not data:
            raise bad_document(f"{path.name} is empty (0 bytes).")
        media_type = sniff(data[:2048]) or _text_type(data, path.name)
        if media_type is None:
            raise bad_document(
                f"{path.name} is not a document ReceiptDesk can read (PDF, JPEG, PNG, TIFF, HEIC, BMP, WebP "
                "or plain text)."
            )
        pages = count_pages(data, media_type, path.name)
        return cls(path, media_type, len(data), pages, hashlib.sha256(data).hexdigest())


def _text_type(data: bytes, name: str) -> str | None:
    """TEXT for a text receipt (.txt); None for what is no text; refused with why for other text."""
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
    if not name.lower().endswith(TEXT_SUFFIXES):
        raise bad_document(
            f"{name} is a text file of another kind (data or code, not a receipt). "
            "A receipt kept as text is read when it is saved as .txt."
        )
    if text.count("\n") >= MAX_LINES:
        raise bad_document(f"{name} is too long for a receipt or invoice (more than {MAX_LINES} lines).")
    return TEXT


def count_pages(data: bytes, media_type: str, name: str = "the file") -> int:
    if media_type == TEXT:
        return len(file_pages(data))
    if media_type == PDF:
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            if "password" in str(e).lower():
                raise bad_document(f"{name} is protected by a password. Save an unprotected copy.") from e
            raise bad_document(f"{name} is damaged and cannot be opened as a PDF.", detail=str(e)) from e
        try:
            n = len(pdf)
        finally:
            pdf.close()
        if n == 0:
            raise bad_document(f"{name} is a PDF without pages.")
        return n
    # A JPEG is checked whole but decoded at an eighth of its size: a phone photo's full
    # 12-50 megapixels would cost time and memory only to be thrown away here.
    img = _open_image(data, name, reduce_to=1)
    try:
        return int(getattr(img, "n_frames", 1))
    finally:
        img.close()


def _open_image(data: bytes, name: str, reduce_to: int | None = None) -> Image:
    """Decode the image; a JPEG larger than `reduce_to` pixels a side may be decoded smaller
    (by libjpeg's 1/2, 1/4 or 1/8 scaling, never below `reduce_to`)."""
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        img = Image.open(io.BytesIO(data))
        if reduce_to and img.format == "JPEG" and max(img.size) > reduce_to:
            k = reduce_to / max(img.size)
            img.draft("RGB", (max(1, math.ceil(img.size[0] * k)), max(1, math.ceil(img.size[1] * k))))
        img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise bad_document(f"{name} is damaged and cannot be opened as an image.", detail=str(e)) from e
    except Image.DecompressionBombError as e:
        raise bad_document(f"{name} is too large an image to open safely.", detail=str(e)) from e
    return img


_ORIENTATION = 0x0112  # the EXIF tag saying how to turn the stored pixels to view them


def _open_lazily(data: bytes, name: str) -> Image:
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise bad_document(f"{name} is damaged and cannot be opened as an image.", detail=str(e)) from e


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


def iter_pages(source: Source, *, dpi: int = 200, max_side: int | None = None) -> Iterator[PageImage]:
    """Every page as an upright RGB image (EXIF rotation applied, PDFs rendered at `dpi`)."""
    data = source.read_bytes()
    name = source.path.name
    if source.is_pdf:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                w, h = page.get_size()
                scale = dpi / 72
                if max_side and max(w, h) * scale > max_side:
                    scale = max_side / max(w, h)
                img = page.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
                page.close()
                yield PageImage(i + 1, img, (w, h))
        finally:
            pdf.close()
        return
    if source.media_type == TEXT:
        for i, rows in enumerate(file_pages(data)):
            yield PageImage(i + 1, draw_page(rows, max_side))
        return
    from PIL import ImageOps

    with _open_lazily(data, name) as probe:  # the size before any reduction, from the header
        stored = probe.size
        turned = probe.getexif().get(_ORIENTATION) in (5, 6, 7, 8)  # a quarter turn to view it
    img = _open_image(data, name, reduce_to=max_side)
    drafted = img.size != stored
    try:
        for i in range(int(getattr(img, "n_frames", 1))):
            img.seek(i)
            frame = ImageOps.exif_transpose(img.copy()) or img.copy()
            frame = frame.convert("RGB")
            size = ((stored[1], stored[0]) if turned else stored) if drafted else frame.size
            if max_side and max(frame.size) > max_side:
                frame.thumbnail((max_side, max_side))
            yield PageImage(i + 1, frame, full_size=size if max_side else None)
    finally:
        img.close()
