"""Read PDFs on several threads at once, as the window and `extract --workers 2` do.

Run as a process (`python -m tests.pdf_threads FOLDER --rounds N`): pdfium used
from two threads without the lock kills the process by a signal, which only a
parent process can count. Used by tests/unit/providers/test_pdfium.py and
tests/bench/robustness.py.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def make_pdfs(folder: Path, count: int) -> list[Path]:
    """`count` PDFs of two to four pages: text layers and scanned pictures mixed."""
    from PIL import Image, ImageDraw

    from tests.unit.providers.local.pdfmaker import ScanPage, TextPage, make_pdf

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"invoice-{i:02d}.pdf"
        if not path.exists():
            picture = Image.new("RGB", (400, 560), "white")
            ImageDraw.Draw(picture).text((40, 40 + i), f"SCANNED RECEIPT {i} TOTAL 12.{i:02d}", fill="black")
            runs = [
                (50.0, 60.0 + 20 * r, 11.0, f"Line {r} of invoice {i}: widget {r * 3} EUR {r}.{i:02d}")
                for r in range(30)
            ]
            pages: list[TextPage | ScanPage] = [TextPage(runs), ScanPage(picture)]
            pages += [TextPage(runs[: 5 + i % 7])] * (i % 3)
            make_pdf(path, pages)
        paths.append(path)
    return paths


def read_one(path: Path) -> int:
    """Everything the app asks of pdfium for one file: the page count, the pictures, the text layer."""
    from receiptdesk.providers.local.pdftext import render, text_layer
    from receiptdesk.providers.pdfium import PdfFile
    from receiptdesk.providers.source import Source, iter_pages

    source = Source.open(path)
    drawn = sum(1 for _ in iter_pages(source, dpi=40))
    words = 0
    with PdfFile.open(source.read_bytes(), path.name) as pdf:
        for i in range(len(pdf)):
            with pdf.page(i) as page:
                found = text_layer(page, i + 1)
                if found is None:
                    render(page, 300, dpi=40)
                else:
                    words += len(found.words)
    return drawn + words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    paths = make_pdfs(args.folder, args.files)
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        for _ in range(args.rounds):
            list(pool.map(read_one, paths))
    print("read", args.rounds * len(paths), "files")


if __name__ == "__main__":
    main()
