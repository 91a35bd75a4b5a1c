"""Page sizes Amazon Textract refuses, checked on this computer before anything is uploaded or billed.

Textract reads images up to 10,000 pixels a side and PDF pages up to 40
inches; a larger file costs an upload (and, on the asynchronous route, a
job) only to fail. Only headers are read: an image's size, a PDF's page boxes.
"""

from __future__ import annotations

from receiptdesk.core.errors import ReceiptDeskError, bad_document
from receiptdesk.providers.pdfium import PdfFile
from receiptdesk.providers.source import Source
from receiptdesk.providers.textract.settings import MAX_PDF_PAGE_INCHES, MAX_SIDE_PX

SERVICE = "Amazon Textract"


def check_page_sizes(source: Source) -> None:
    """Raise bad_document, naming the limit and what to do, for a page Textract would refuse."""
    if source.is_pdf:
        _check_pdf(source)
    else:
        _check_image(source)


def _check_image(source: Source) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source.path) as img:
            frames = int(getattr(img, "n_frames", 1))
            for n in range(frames):
                if n:
                    img.seek(n)
                width, height = img.size
                if max(width, height) > MAX_SIDE_PX:
                    where = f"Page {n + 1} of the image" if frames > 1 else "The image"
                    raise bad_document(
                        f"{where} is {width:,} × {height:,} pixels; {SERVICE} reads at most "
                        f"{MAX_SIDE_PX:,} pixels a side. Save a smaller copy (scale it down) and try again."
                    )
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return  # the service says what is wrong with a file we cannot open


def _check_pdf(source: Source) -> None:
    try:
        pdf = PdfFile.open(source.path, source.name)  # pdfium is one thread at a time: its lock
    except ReceiptDeskError:
        return  # the service says what is wrong with a file we cannot open
    with pdf:
        for n in range(len(pdf)):
            try:
                with pdf.page(n) as page:
                    width, height = page.get_size()
            except ReceiptDeskError:
                return
            inches = max(width, height) / 72
            if inches > MAX_PDF_PAGE_INCHES:
                raise bad_document(
                    f"Page {n + 1} of the PDF is {width / 72:.0f} × {height / 72:.0f} inches; {SERVICE} reads "
                    f"pages up to {MAX_PDF_PAGE_INCHES:.0f} inches a side. Print it to a PDF of a smaller page "
                    "size and try again."
                )
