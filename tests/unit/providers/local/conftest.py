"""One OCR engine for the whole session (loading it is the slow part), a fresh reader per test."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from receiptdesk.providers.base import RunContext
from receiptdesk.providers.local.engine import OcrEngine
from receiptdesk.providers.local.reader import Reader
from receiptdesk.providers.local.words import PageText
from receiptdesk.providers.source import Source

# A clean thermal receipt and a dot-matrix one from SROIE, a phone photo from WildReceipt.
SROIE_RECEIPT = "receipts/sroie/img/X00016469619.jpg"
SROIE_SMALL = "receipts/sroie/img/X00016469669.jpg"
WILD_PHOTO = "receipts/wildreceipt/img/018af7323503309c0b84d729a28f32df63e396e9.jpeg"


@pytest.fixture(scope="session")
def ocr_engine() -> OcrEngine:
    return OcrEngine()


@pytest.fixture
def reader(ocr_engine: OcrEngine) -> Reader:
    return Reader(ocr_engine)


@pytest.fixture
def read(reader: Reader) -> Callable[[Path], list[PageText]]:
    def run(path: Path) -> list[PageText]:
        return reader.read(Source.open(path), RunContext())

    return run


def tokens(page: PageText) -> Counter[str]:
    return Counter(t for w in page.words for t in w.text.split())


def shared_share(a: PageText, b: PageText) -> float:
    """Share of a's tokens that b read too (the same text, however the lines were cut)."""
    ta, tb = tokens(a), tokens(b)
    return sum((ta & tb).values()) / max(1, sum(ta.values()))


@pytest.fixture(scope="session")
def receipt(shared: Path) -> Path:
    return shared / "data" / SROIE_RECEIPT


@pytest.fixture(scope="session")
def small_receipt(shared: Path) -> Path:
    return shared / "data" / SROIE_SMALL


@pytest.fixture(scope="session")
def photo(shared: Path) -> Path:
    return shared / "data" / WILD_PHOTO


def load(path: Path) -> Image.Image:
    """The image, read and closed (an open file left behind is a warning, and warnings fail tests)."""
    with Image.open(path) as im:
        im.load()
        return im.copy()
