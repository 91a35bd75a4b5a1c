"""Reading photos and scans: the words, their boxes, and the ways a phone or scanner gets a page wrong."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from receiptdesk.core.geometry import Box
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.local.engine import OcrEngine
from receiptdesk.providers.local.imaging import to_page_box
from receiptdesk.providers.local.reader import Reader
from receiptdesk.providers.local.words import PageText
from receiptdesk.providers.source import Source
from tests.bench.ocr_quality import page_errors, page_items, truth_for
from tests.unit.providers.local.conftest import load, shared_share

Read = Callable[[Path], list[PageText]]


@pytest.fixture(scope="module")
def upright(receipt: Path, ocr_engine: OcrEngine) -> PageText:
    return Reader(ocr_engine).read(Source.open(receipt), RunContext())[0]


def test_a_scanned_receipt_reads_as_words_with_boxes_on_the_page(upright: PageText, receipt: Path) -> None:
    width, height = load(receipt).size
    assert (upright.number, upright.width, upright.height, upright.unit) == (1, width, height, "pixel")
    assert upright.rotation == 0 and not upright.from_text_layer
    assert len(upright.words) > 30
    for w in upright.words:
        assert w.text.strip() and w.page == 1
        assert w.box.is_inside_page() and w.box.width > 0 and w.box.height > 0
        assert 0.5 <= w.confidence <= 1.0
    text = " ".join(w.text for w in upright.words)
    assert "INDAH GIFT & HOME DECO" in text and "60.30" in text
    # Close to the labelled text of this receipt, measured as the benchmark does.
    errors, chars = page_errors(page_items(upright, width, height), truth_for(receipt))
    assert errors / chars < 0.15  # its labels repeat two lines it printed once


def test_words_come_in_reading_order(upright: PageText) -> None:
    tops = [w.box.cy for w in upright.words]
    # Row by row: a word never sits a whole line above the word before it.
    line = sorted(w.box.height for w in upright.words)[len(upright.words) // 2]
    assert all(b > a - line for a, b in itertools.pairwise(tops))
    total = next(w for w in upright.words if w.text.startswith("TOTAL"))
    # The amount on the TOTAL row follows its label (a currency word may sit between them).
    rest = upright.words[upright.words.index(total) + 1 :][:2]
    assert "60.31" in [w.text for w in rest]
    assert all(abs(w.box.cy - total.box.cy) < line for w in rest)


def test_a_phone_photo_reads(read: Read, photo: Path) -> None:
    page = read(photo)[0]
    assert len(page.words) > 20
    assert all(w.box.is_inside_page() for w in page.words)
    width, height = load(photo).size
    errors, chars = page_errors(page_items(page, width, height), truth_for(photo))
    assert errors / chars < 0.25


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_reads_like_the_upright_one(
    read: Read, upright: PageText, receipt: Path, tmp_path: Path, turn: int
) -> None:
    turned = tmp_path / f"turned{turn}.png"
    load(receipt).rotate(-turn, expand=True).save(turned)  # PIL turns counter-clockwise
    page = read(turned)[0]
    # It was turned `turn` clockwise, so reading it means turning it back the rest of the way.
    assert page.rotation == (360 - turn) % 360
    assert (page.width, page.height) == (upright.width, upright.height)  # the upright frame
    assert shared_share(upright, page) > 0.85
    # Mapped back onto the page as shown, the TOTAL label sits where the upright label sits, turned.
    label = next(w for w in upright.words if w.text.startswith("TOTAL"))
    # The same label, read again: trailing dot leaders may come out one dot longer or shorter.
    found = next(w for w in page.words if w.text.rstrip(".…") == label.text.rstrip(".…"))
    # OCR may cut the row differently when turned ("TOTAL AMT RM" as one word): compare where the label starts.
    shown = to_page_box(_start(found.box), page.rotation, page.skew, page.width, page.height)
    expected = _turn_box(_start(label.box), turn)
    assert abs(shown.cx - expected.cx) < 0.02 and abs(shown.cy - expected.cy) < 0.02


def _start(box: Box) -> Box:
    """A small box at the left end of a word, halfway down."""
    return Box(box.x0, box.cy - 0.005, box.x0 + 0.01, box.cy + 0.005)


def _turn_box(box: Box, clockwise: int) -> Box:
    """Where a box of an upright page lands when the page is turned clockwise."""
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
    for _ in range(clockwise // 90):
        x0, y0, x1, y1 = 1 - y1, x0, 1 - y0, x1
    return Box(x0, y0, x1, y1)


def test_a_photo_turned_only_by_its_exif_tag_reads_upright(
    read: Read, upright: PageText, receipt: Path, tmp_path: Path
) -> None:
    # The camera stored the pixels sideways and says so in EXIF (orientation 6: turn 90 clockwise to view).
    stored = load(receipt).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    stored.save(path, quality=95, exif=exif)
    assert ImageOps.exif_transpose(load(path)).size == load(receipt).size
    page = read(path)[0]
    assert page.rotation == 0  # upright as shown, so nothing to turn
    assert (page.width, page.height) == (upright.width, upright.height)
    assert shared_share(upright, page) > 0.85


@pytest.mark.parametrize("degrees", [4, 25])  # a slightly crooked scan; a receipt photographed at a slant
def test_a_tilted_scan_is_straightened_for_reading(
    read: Read, upright: PageText, receipt: Path, tmp_path: Path, degrees: int
) -> None:
    tilted = tmp_path / "tilted.png"
    load(receipt).convert("RGB").rotate(-degrees, expand=True, fillcolor="white", resample=Image.BICUBIC).save(tilted)
    page = read(tilted)[0]
    assert page.rotation == 0
    assert degrees - 1.5 < page.skew < degrees + 1.5  # lines fall to the right by that much
    assert shared_share(upright, page) > 0.8
    # Straightened, the TOTAL row is a row again: label and amount at the same height.
    label = next(w for w in page.words if w.text.startswith("TOTAL"))
    amount = next(w for w in page.words if w.text == "60.31")
    assert label.box.vertical_overlap(amount.box) > 0.5


def test_a_faded_scan_reads_like_the_original(read: Read, upright: PageText, receipt: Path, tmp_path: Path) -> None:
    faded = tmp_path / "faded.png"
    load(receipt).convert("L").point(lambda v: 150 + v * 60 // 255).save(faded)  # ink 150, paper 210
    page = read(faded)[0]
    assert shared_share(upright, page) > 0.85


def test_a_very_large_photo_is_read_at_ocr_size_with_boxes_on_the_full_page(
    read: Read, upright: PageText, receipt: Path, tmp_path: Path
) -> None:
    original = load(receipt)
    large = tmp_path / "large.jpg"
    original.resize((original.width * 5, original.height * 5), Image.BICUBIC).save(large, quality=90)
    page = read(large)[0]
    assert (page.width, page.height) == (original.width * 5, original.height * 5)
    assert shared_share(upright, page) > 0.85
    for word in ("INDAH GIFT & HOME DECO", "60.30"):
        a = next(w for w in upright.words if w.text == word)
        b = next(w for w in page.words if w.text == word)
        assert abs(a.box.x0 - b.box.x0) < 0.01 and abs(a.box.y0 - b.box.y0) < 0.01
        assert abs(a.box.x1 - b.box.x1) < 0.01 and abs(a.box.y1 - b.box.y1) < 0.01


def test_a_heic_photo_from_a_phone_reads(read: Read, upright: PageText, receipt: Path, tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    path = tmp_path / "IMG_0001.HEIC"
    load(receipt).convert("RGB").save(path, format="HEIF", quality=90)
    page = read(path)[0]
    assert shared_share(upright, page) > 0.85


def test_every_page_of_a_multi_page_tiff_reads(read: Read, receipt: Path, small_receipt: Path, tmp_path: Path) -> None:
    path = tmp_path / "two.tif"
    first, second = load(receipt).convert("RGB"), load(small_receipt).convert("RGB")
    first.save(path, save_all=True, append_images=[second], compression="tiff_lzw")
    pages = read(path)
    assert [p.number for p in pages] == [1, 2]
    assert [(p.width, p.height) for p in pages] == [first.size, second.size]
    assert all(w.page == p.number for p in pages for w in p.words)
    assert "INDAH GIFT & HOME DECO" in " ".join(w.text for w in pages[0].words)
    assert "INDAH GIFT" not in " ".join(w.text for w in pages[1].words)
    assert len(pages[1].words) > 10


def test_a_blank_page_has_no_words(read: Read, tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("RGB", (800, 1100), "white").save(path)
    assert read(path)[0].words == []
