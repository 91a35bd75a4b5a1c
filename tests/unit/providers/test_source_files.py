"""Valid files read as what they are, and files past the limits refused before they are decoded."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers import files
from receiptdesk.providers.source import GIF, JPEG, PNG, TEXT, TIFF, Source, iter_pages
from receiptdesk.services.rendering import PageRenderer

RECEIPT = "Corner Shop\n12 High Street\n\nMilk        1.20\nBread       2.30\n\nTOTAL       3.50\n"


def _refused(path: Path) -> ReceiptDeskError:
    with pytest.raises(ReceiptDeskError) as caught:
        Source.open(path)
    assert caught.value.kind is ErrorKind.BAD_DOCUMENT
    assert path.name in caught.value.message
    return caught.value


def test_a_16_bit_grey_png_keeps_its_ink(tmp_path: Path) -> None:
    values = np.full((120, 300), 60000, dtype=np.uint16)
    values[50:70, 20:280] = 3000  # a dark line of "print"
    path = tmp_path / "scan16.png"
    Image.fromarray(values).save(path)
    source = Source.open(path)
    assert source.media_type == PNG
    [page] = iter_pages(source)
    grey = np.asarray(page.image.convert("L"))
    assert grey[60, 150] < 40 and grey[10, 150] > 200  # ink dark, paper light (it was all white)


def test_a_jpeg_whose_comment_mentions_a_pdf_is_a_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(buf, "JPEG", comment=b"scanned from %PDF-1.4 template")
    path.write_bytes(buf.getvalue())
    assert Source.open(path).media_type == JPEG


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_its_mark_is_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "order.txt"
    path.write_bytes(RECEIPT.encode(encoding))
    source = Source.open(path)
    assert source.media_type == TEXT


def test_the_librarys_copy_of_a_text_receipt_opens_by_its_content(tmp_path: Path) -> None:
    """The kept original has no name ending: the viewer and the reader must still take it as text."""
    kept = tmp_path / ("ab" * 32)
    kept.write_text(RECEIPT, encoding="utf-8")
    assert Source.open(kept).media_type == TEXT
    assert Source.open(kept, name="order.txt").name == "order.txt"
    page = PageRenderer(tmp_path / "cache").page(kept, 1, name="order.txt")
    assert page.count == 1 and page.path.is_file()
    # A file the user named as data is still refused by that name.
    with pytest.raises(ReceiptDeskError, match=r"notes\.json is a text file of another kind"):
        Source.open(kept, name="notes.json")


def test_a_picture_past_the_pixel_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("1", (13_000, 13_000), 1).save(path)  # 169 megapixels, a few kB on disk
    started = time.perf_counter()
    e = _refused(path)
    assert "13,000 x 13,000 pixels" in e.message and "limit is 80 megapixels" in e.message
    assert time.perf_counter() - started < 5  # header only: decoding it would take far longer


def test_an_animation_is_one_page_and_a_tiff_of_too_many_pages_is_refused(tmp_path: Path) -> None:
    frames = [Image.new("P", (40, 40), i % 256) for i in range(300)]
    gif = tmp_path / "spinner.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:])
    source = Source.open(gif)
    assert (source.media_type, source.pages) == (GIF, 1)
    tiff = tmp_path / "ledger.tif"
    pages = [Image.new("L", (20, 20), i % 256) for i in range(files.MAX_FRAMES + 5)]
    pages[0].save(tiff, save_all=True, append_images=pages[1:])
    assert "too many pages" in _refused(tiff).message
    fine = tmp_path / "three.tif"
    pages[0].save(fine, save_all=True, append_images=pages[1:3])
    assert (Source.open(fine).media_type, Source.open(fine).pages) == (TIFF, 3)


def test_a_huge_text_file_is_refused_without_reading_it_as_a_receipt(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(b"x" * 100_000 + (b"a long row " * 1000 + b"\n") * 300)  # 3.4 MB of text
    assert "too large for a receipt kept as text" in _refused(path).message


def test_one_endless_row_of_text_is_too_long_for_a_receipt(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(b"x" * 1_000_000)  # 6,250 rows once wrapped at the widest page
    assert "too long for a receipt or invoice" in _refused(path).message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 5000)
    with pytest.raises(ReceiptDeskError, match=r"big.pdf is too large \(0 MB; ReceiptDesk reads files up to 0 MB\)"):
        files.read_file(path, limit=4096)
    assert files.MAX_FILE_BYTES == 200 * 1024 * 1024  # the limit the README states


def test_a_damaged_image_is_a_bad_document_naming_the_file(tmp_path: Path) -> None:
    buf = io.BytesIO()
    img = Image.new("RGB", (400, 400), "white")
    ImageDraw.Draw(img).rectangle((10, 10, 390, 390), outline="black")
    img.save(buf, "PNG")
    path = tmp_path / "torn.png"
    path.write_bytes(buf.getvalue()[:300])
    assert "torn.png is damaged" in _refused(path).message
