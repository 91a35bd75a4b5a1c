"""The OCR engine's shortcuts: each saves time a user waits for, and none may cost a misread."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from receiptdesk.providers.base import RunContext
from receiptdesk.providers.local.engine import OcrEngine
from receiptdesk.providers.local.reader import Reader
from receiptdesk.providers.source import Source
from tests.unit.providers.local.conftest import load, shared_share, tokens


def _line(text: str, size: int = 22) -> np.ndarray:
    """One printed line as a BGR crop, the way the detector cuts it out of a scan (a little margin)."""
    font = ImageFont.load_default(size=size)
    left, top, right, bottom = font.getbbox(text)
    img = Image.new("RGB", (right - left + 12, bottom - top + 10), "white")
    ImageDraw.Draw(img).text((6 - left, 5 - top), text, fill="black", font=font)
    return np.asarray(img)[:, :, ::-1].copy()


@pytest.mark.parametrize(
    "text",
    ["TOTAL RM 60.30", "GRAND TOTAL 1,234.56", "12, Jalan Tampoi 7/4, Kawasan", "Date: 03/04/2018 16:40", "1100 00"],
)
def test_printed_lines_read_right(ocr_engine: OcrEngine, text: str) -> None:
    ((read, score),) = ocr_engine.recognize([_line(text)])
    assert read.replace(" ", "") == text.replace(" ", "")
    assert score > 0.9


def test_an_upright_scan_never_runs_the_orientation_classifier(
    ocr_engine: OcrEngine, receipt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    ask = ocr_engine.upside_down
    monkeypatch.setattr(ocr_engine, "upside_down", lambda crops: asked.append(len(crops)) or ask(crops))
    page = Reader(ocr_engine).read(Source.open(receipt), RunContext())[0]
    assert page.rotation == 0 and "60.30" in " ".join(w.text for w in page.words)
    assert asked == []


def test_an_upside_down_scan_is_asked_about_and_read_turned(
    ocr_engine: OcrEngine, receipt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    turned = tmp_path / "turned.png"
    load(receipt).rotate(180).save(turned)
    asked: list[int] = []
    ask = ocr_engine.upside_down
    monkeypatch.setattr(ocr_engine, "upside_down", lambda crops: asked.append(len(crops)) or ask(crops))
    page = Reader(ocr_engine).read(Source.open(turned), RunContext())[0]
    assert page.rotation == 180
    assert len(asked) == 1
    text = " ".join(w.text for w in page.words)
    assert "INDAH GIFT" in text and "60.30" in text


def test_a_tall_page_read_in_bands_reads_the_same_words_once(ocr_engine: OcrEngine, receipt: Path) -> None:
    from dataclasses import replace

    banded = OcrEngine(replace(ocr_engine.settings, det_strip_pixels=120_000), threads=1)
    banded._models = ocr_engine._get_models()  # the same models, loaded once
    whole = Reader(ocr_engine).read(Source.open(receipt), RunContext())[0]
    page = Reader(banded).read(Source.open(receipt), RunContext())[0]
    width, height = load(receipt).size
    assert width * height > 3 * 120_000  # read in several bands
    assert shared_share(whole, page) > 0.9 and shared_share(page, whole) > 0.9  # nothing lost, nothing twice
    for word in ("TOTAL", "60.30", "INDAH", "GIFT"):
        assert tokens(page)[word] == tokens(whole)[word]


def test_long_lines_are_recognised_a_few_at_a_time_and_in_order(
    ocr_engine: OcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from receiptdesk.providers.local import engine

    texts = ["TOTAL RM 60.30", "12, Jalan Tampoi 7/4, Kawasan Perindustrian Tampoi, 81200 Johor Bahru", "CASH 100.00"]
    crops = [_line(t) for t in texts] * 3
    calls: list[float] = []
    strong = ocr_engine._get_models().first
    read_batch = strong.read

    def counting(batch: list[np.ndarray]) -> list[tuple[str, float]]:
        calls.append(sum(engine._width48(c) for c in batch))
        return read_batch(batch)

    monkeypatch.setattr(strong, "read", counting)
    read = engine.read_lines(strong, crops, batch=4)
    assert [t.replace(" ", "") for t, _ in read] == [t.replace(" ", "") for t in texts * 3]
    long_line = engine._width48(crops[1])
    assert all(w <= max(engine.REC_CALL_WIDTH, long_line) for w in calls)
    assert len(calls) >= 3


def test_the_models_reuse_their_memory_and_plan_none(ocr_engine: OcrEngine) -> None:
    models = ocr_engine._get_models()
    for part in (models.det, models.cls, models.first, *([models.recheck] if models.recheck else [])):
        options = part.session.get_session_options()
        assert options.enable_cpu_mem_arena and not options.enable_mem_pattern
