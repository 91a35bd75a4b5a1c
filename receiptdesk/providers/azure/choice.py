"""Which prebuilt model reads a file when the user left the choice to us.

Receipts and invoices look different before anyone reads them: a till
receipt is photographed with a phone or scanned as a narrow strip, an
invoice arrives as a PDF or a scan of a letter or A4 page. The rule only
looks at the file (format, page shape, camera data, scan resolution),
never at its content, and always says why, so the user can see the choice
and read the document again with the other model.
"""

from __future__ import annotations

from dataclasses import dataclass

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.providers.pdfium import PdfFile
from receiptdesk.providers.source import PDF, Source

# Page proportions (long side / short side) of the paper invoices are printed on.
LETTER = 11 / 8.5  # 1.294
A4 = 297 / 210  # 1.414
PAGE_BAND = (1.25, 1.45)  # letter, A4 and legal-ish pages, as scanned with small margins
EXACT_PAGE = 0.03  # a scan cropped to the paper is within 3 % of letter or A4
SCAN_DPI = 100  # scanners write their resolution; phones and screens write 72, 96 or nothing
NARROW_INCHES = 4.5  # till rolls are 58-80 mm wide; no invoice page is this narrow
PAGE_MIN_PX = 500  # a letter or A4 page at the lowest readable resolution (~60 dpi) is wider


@dataclass(frozen=True, slots=True)
class ImageFacts:
    width: int
    height: int
    dpi: float | None  # horizontal resolution when the file states one
    camera: bool  # EXIF names a camera maker or model: a photo

    @property
    def aspect(self) -> float:
        short = min(self.width, self.height)
        return max(self.width, self.height) / short if short else 0.0


@dataclass(frozen=True, slots=True)
class ModelChoice:
    kind: str  # "invoice" | "receipt"
    reason: str  # why, in the user's words: "a photo", "a PDF of a letter or A4 page" ...
    automatic: bool

    def note(self) -> str:
        """The sentence the app shows beside an automatic choice."""
        other = "receipt" if self.kind == "invoice" else "invoice"
        return (
            f"Read as {_a(self.kind)} (chosen automatically: the file is {self.reason}). "
            f"If it is {_a(other)}, read it again as {_a(other)}."
        )


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def image_facts(source: Source) -> ImageFacts | None:
    """Size, resolution and camera data of the first frame, read from the header only."""
    if source.is_pdf:
        return None
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        with Image.open(source.path) as img:
            width, height = img.size
            dpi_info = img.info.get("dpi")
            exif = img.getexif()
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return None
    dpi: float | None = None
    if isinstance(dpi_info, tuple) and dpi_info and dpi_info[0]:
        try:
            dpi = float(dpi_info[0])
        except (TypeError, ValueError):
            dpi = None
    camera = bool(exif.get(0x010F) or exif.get(0x0110))  # Make, Model
    return ImageFacts(int(width), int(height), dpi, camera)


def pdf_first_page_inches(source: Source) -> tuple[float, float] | None:
    try:
        with PdfFile.open(source.path, source.name) as pdf:
            if len(pdf) == 0:
                return None
            with pdf.page(0) as page:
                w, h = page.get_size()
    except ReceiptDeskError:
        return None
    return float(w) / 72, float(h) / 72


def choose_model(source: Source, setting: str = "auto") -> ModelChoice:
    """The model the user set, or the automatic choice with its reason."""
    if setting in ("invoice", "receipt"):
        return ModelChoice(setting, "set in Settings", automatic=False)
    if source.media_type == PDF:
        size = pdf_first_page_inches(source)
        if size:
            short, long = sorted(size)
            if short <= NARROW_INCHES or long / short >= 1.6:
                return ModelChoice("receipt", "a PDF of a narrow, till-roll shaped page", automatic=True)
        return ModelChoice("invoice", "a PDF of a letter or A4 page", automatic=True)
    facts = image_facts(source)
    if facts is None:
        return ModelChoice("receipt", "an image", automatic=True)
    if facts.camera:
        return ModelChoice("receipt", "a photo", automatic=True)
    in_band = PAGE_BAND[0] <= facts.aspect <= PAGE_BAND[1]
    exact = min(abs(facts.aspect - LETTER), abs(facts.aspect - A4)) <= EXACT_PAGE
    short_px = min(facts.width, facts.height)
    if facts.dpi is not None and facts.dpi >= SCAN_DPI:  # a scan: its size on paper is known
        if short_px / facts.dpi <= NARROW_INCHES:
            return ModelChoice("receipt", "a scan of a narrow slip like a till receipt", automatic=True)
        if in_band:
            return ModelChoice("invoice", "a scan of a letter or A4 page", automatic=True)
    elif in_band and exact and short_px >= PAGE_MIN_PX:
        return ModelChoice("invoice", "an image of a letter or A4 page", automatic=True)
    if facts.aspect >= 1.6:
        return ModelChoice("receipt", "long and narrow like a till receipt", automatic=True)
    return ModelChoice("receipt", "an image not shaped like a letter or A4 page", automatic=True)


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:  # pragma: no cover - installed with the app; only HEIC needs it
            pass
        _heif_registered = True
