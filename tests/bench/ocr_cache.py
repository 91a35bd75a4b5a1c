"""Write the reader's words for every dev file to a cache the parser is tuned against.

    python -m tests.bench.ocr_cache [--out /work/cache/ocr] [--limit N] [--workers 2] [--set det_model=tiny ...]

One JSON file per input, /work/cache/ocr/<set>/<file name>.json, holding the
list of pages (number, width, height, unit, from_text_layer, rotation, skew,
words [{text, box, confidence, page}]) exactly as the local provider stores
them as its raw response, plus README.txt saying which settings made them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from receiptdesk.providers.base import RunContext  # noqa: E402
from receiptdesk.providers.local.engine import OcrEngine, OcrSettings  # noqa: E402
from receiptdesk.providers.local.reader import Reader  # noqa: E402
from receiptdesk.providers.local.words import pages_to_json  # noqa: E402
from receiptdesk.providers.source import EXTENSIONS, Source  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SETS = {
    "sroie": DATA / "receipts" / "sroie" / "img",
    "wildreceipt": DATA / "receipts" / "wildreceipt" / "img",
    "invoice2data": DATA / "invoices" / "invoice2data",
}


def settings_from(pairs: list[str]) -> OcrSettings:
    """The engine's settings with the benches' `--set NAME=VALUE` overrides (e.g. rec_model=small-int8)."""
    settings = OcrSettings()
    for item in pairs:
        name, _, value = item.partition("=")
        settings = replace(settings, **{name: type(getattr(settings, name))(value)})
    return settings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("/work/cache/ocr"))
    ap.add_argument("--limit", type=int, default=0, help="files per set (0: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="an OcrSettings field")
    args = ap.parse_args()
    # one onnxruntime thread per worker: the workers use the cores
    engine = OcrEngine(settings_from(args.set), threads=1)
    reader = Reader(engine)
    jobs: list[tuple[Path, Path]] = []
    for name, folder in SETS.items():
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in EXTENSIONS)
        if args.limit:
            files = files[: args.limit]
        (args.out / name).mkdir(parents=True, exist_ok=True)
        jobs += [(f, args.out / name / f"{f.name}.json") for f in files]

    def one(job: tuple[Path, Path]) -> float:
        src, dst = job
        started = time.perf_counter()
        pages = reader.read(Source.open(src), RunContext())
        tmp = dst.with_suffix(".tmp")
        tmp.write_text(json.dumps(pages_to_json(pages), ensure_ascii=False), encoding="utf-8")
        tmp.replace(dst)
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(args.workers) as pool:
        for i, seconds in enumerate(pool.map(one, jobs), 1):
            if i % 50 == 0 or i == len(jobs):
                print(f"{i}/{len(jobs)} files, last {seconds:.2f} s", flush=True)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "receiptdesk"], capture_output=True, text=True
    )
    (args.out / "README.txt").write_text(
        "OCR words of the dev files, written by tests/bench/ocr_cache.py (branch local).\n"
        f"Commit: {commit.stdout.strip()}{' + uncommitted changes' if dirty.stdout.strip() else ''}\n"
        f"Written: {time.strftime('%Y-%m-%d %H:%M')} in {time.perf_counter() - started:.0f} s, {len(jobs)} files\n"
        f"Engine: {engine.description}\n"
        f"Settings: {json.dumps(asdict(engine.settings))}\n"
        "One file per input: <set>/<file name>.json = a list of pages, each\n"
        "  {number, width, height, unit, from_text_layer, rotation, skew, words: [{text, box, confidence, page}]}\n"
        "  box = [x0, y0, x1, y1] normalised 0..1 in the page's reading frame: the page turned `rotation`\n"
        "  degrees clockwise so its text is upright, then straightened by `skew` degrees (width/height are\n"
        "  that frame's size). Words are the OCR engine's lines (phrases), top to bottom; PDF text layers give words.\n"
        "  receiptdesk.providers.local.words.pages_from_json(json.load(f)) gives list[PageText].\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
