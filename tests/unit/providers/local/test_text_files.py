"""Plain-text receipts (an e-mail receipt saved as text, a PDF's text exported): read as written, shown as drawn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.providers.base import RunContext, check_limits
from receiptdesk.providers.local.engine import OcrEngine
from receiptdesk.providers.local.parser import parse
from receiptdesk.providers.local.reader import Reader
from receiptdesk.providers.source import Source, iter_pages
from receiptdesk.providers.textdoc import TEXT, decode_text
from receiptdesk.providers.textract.settings import SYNC_LIMITS

ORDER = """\
Corner Books Ltd
12 High Street, Bath BA1 1AA
Order 10442                        Date: 14 March 2024

Item                               Qty     Price     Amount
Paperback: The Long Walk             1      8.99       8.99
Reading lamp                         1     24.50      24.50

Subtotal                                              33.49
VAT 20%                                                6.70
Total                                                 40.19
"""


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "order.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_text_receipt_is_read_as_written_without_loading_the_ocr(tmp_path: Path) -> None:
    engine = OcrEngine()
    source = Source.open(_write(tmp_path, ORDER))
    assert (source.media_type, source.kind_label, source.pages) == (TEXT, "text", 1)
    pages = Reader(engine).read(source, RunContext())
    assert not engine.loaded  # no pixels, no OCR
    doc = parse(pages)
    assert doc.value("vendor_name") == "Corner Books Ltd"
    assert doc.value("date") == date(2024, 3, 14)
    assert (doc.value("subtotal"), doc.value("total_tax"), doc.value("total")) == (
        Decimal("33.49"),
        Decimal("6.70"),
        Decimal("40.19"),
    )
    assert [str(i.value("amount")) for i in doc.line_items] == ["8.99", "24.50"]


def test_each_words_box_lies_on_the_characters_drawn_for_the_screen(tmp_path: Path) -> None:
    source = Source.open(_write(tmp_path, ORDER))
    (page,) = Reader(OcrEngine()).read(source, RunContext())
    (shown,) = list(iter_pages(source))
    assert shown.image.size == (page.width, page.height)
    ink = np.asarray(shown.image.convert("L")) < 128
    h, w = ink.shape
    for word in page.words:
        b = word.box
        inside = ink[int(b.y0 * h) : int(b.y1 * h) + 1, int(b.x0 * w) : int(b.x1 * w) + 1]
        assert inside.mean() > 0.04, word.text  # the word's own pixels
    total = next(word for word in page.words if word.text == "40.19").box
    gap = ink[int(total.y0 * h) : int(total.y1 * h), int((total.x0 - 0.1) * w) : int(total.x0 * w) - 2]
    assert not gap.any()  # and blank paper beside it


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_text_in_the_common_encodings_is_text(tmp_path: Path, encoding: str) -> None:
    text = "Café Lumière\nCroissant 2,50 €\nTotal 2,50 €\n"
    assert decode_text(text.encode(encoding)) == text


def test_binary_files_are_not_text_and_are_refused_with_what_can_be_read(tmp_path: Path) -> None:
    assert decode_text(b"PK\x03\x04" + bytes(range(256))) is None
    assert decode_text(b"\x00\x01\x02 binary") is None
    odd = tmp_path / "photo.raw"
    odd.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ReceiptDeskError, match="plain text"):
        Source.open(odd)


def test_form_feeds_make_pages(tmp_path: Path) -> None:
    source = Source.open(_write(tmp_path, ORDER + "\fPage two\nTotal 40.19\n\f"))
    assert source.pages == 2
    assert [p.number for p in iter_pages(source)] == [1, 2]


def test_a_cloud_service_refuses_a_text_file_before_any_call(tmp_path: Path) -> None:
    source = Source.open(_write(tmp_path, ORDER))
    with pytest.raises(ReceiptDeskError, match=r"does not accept text files\. It accepts JPEG, PDF, PNG, TIFF"):
        check_limits(source, SYNC_LIMITS, "Amazon Textract")


@pytest.mark.parametrize(
    "content", ["<!DOCTYPE html>\n<html><body>Total $4.20</body></html>", "{\\rtf1\\ansi Total 4.20}"]
)
def test_a_web_page_or_rtf_is_refused_with_how_to_import_it(tmp_path: Path, content: str) -> None:
    with pytest.raises(ReceiptDeskError, match="print it to PDF"):
        Source.open(_write(tmp_path, content, name="receipt.html"))


def test_other_text_files_are_refused_with_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ReceiptDeskError, match=r"saved as \.txt"):
        Source.open(_write(tmp_path, '{"total": 12.5}', name="order.json"))
    with pytest.raises(ReceiptDeskError, match="only blank space"):
        Source.open(_write(tmp_path, "  \n\n ", name="blank.txt"))
    with pytest.raises(ReceiptDeskError, match="too long"):
        Source.open(_write(tmp_path, "line\n" * 6000, name="log.txt"))


def test_a_long_link_wraps_instead_of_shrinking_the_page(tmp_path: Path) -> None:
    link = "Track your parcel: https://example.com/track?" + "x" * 300
    source = Source.open(_write(tmp_path, ORDER + link + "\n"))
    doc = parse(Reader(OcrEngine()).read(source, RunContext()))
    assert [str(i.value("amount")) for i in doc.line_items] == ["8.99", "24.50"]
    (shown,) = list(iter_pages(source))
    assert shown.image.width < 2 * shown.image.height  # the page keeps a page's shape


def test_no_break_spaces_from_an_email_are_text() -> None:
    assert decode_text("Total:\u00a0$10.00\n".encode()) == "Total:\u00a0$10.00\n"
