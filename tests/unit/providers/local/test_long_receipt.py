"""A till roll scanned whole, 20,000 pixels long: read in strips, not shrunk into unreadable pixels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from receiptdesk.providers.local.words import PageText


def test_a_20000_pixel_long_receipt_is_read_to_its_last_line(
    tmp_path: Path, read: Callable[[Path], list[PageText]]
) -> None:
    width, height = 576, 20_000  # a 80 mm thermal roll at 203 dpi, 2.5 m long
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=22)
    lines = [f"ITEM {i:03d}   {i}.25" for i in range(1, 40)] + ["TOTAL      4321.75"]
    for row, line in enumerate(lines):
        draw.text((24, 60 + row * 495), line, fill="black", font=font)
    path = tmp_path / "long.png"
    img.save(path)

    [page] = read(path)  # shrunk whole to 2,000 pixels, its print was 2 pixels high: no word was read
    texts = [w.text for w in page.words]
    assert texts[-1] == "TOTAL 4321.75"  # the last line, 19,400 pixels down
    assert [t for t in texts if t.startswith("ITEM")] == [f"ITEM {i:03d} {i}.25" for i in range(1, 40)]
    last = page.words[-1].box
    assert 0.96 < last.y0 < last.y1 < 0.985  # boxes on the whole page, not on a strip
