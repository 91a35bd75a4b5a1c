"""How fast the library is read again from its stored words (an upgrade, or a reading setting changed).

    python -m tests.bench.reparse_speed [--documents 1000]

A library in a temporary folder holds `--documents` readings made on this computer, each with the words
our OCR read from a dev receipt (the OCR cache of tests/bench/ocr_cache.py, SROIE and WildReceipt in
turn), then all are asked to be read again as after a change of the usual currency. Prints documents a
second, the time a library of 100,000 would take at that pace, and that a Stop halfway leaves the rest
asked for. Needs the OCR cache; no OCR runs here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from receiptdesk.providers.local.provider import RAW_VERSION  # noqa: E402
from receiptdesk.services import reparse  # noqa: E402
from receiptdesk.services.paths import AppPaths  # noqa: E402
from receiptdesk.services.wiring import open_services  # noqa: E402
from tests.bench.page_inputs import CACHE_DIRS  # noqa: E402


def _words() -> list[object]:
    found = [p for d in CACHE_DIRS for s in ("sroie", "wildreceipt") for p in sorted((d / s).glob("*.json"))]
    if not found:
        sys.exit(f"no OCR cache in {[str(d) for d in CACHE_DIRS]}: run python -m tests.bench.ocr_cache first")
    # the cache holds the pages; the reader stores them with its own name beside them
    return [{"version": RAW_VERSION, "reader": "offline reader", "pages": json.loads(p.read_text())} for p in found]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=1000)
    args = ap.parse_args()
    pages = _words()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        services = open_services(AppPaths(data, data / "config", data / "cache", data / "logs"), log_to_file=False)
        library, providers = services.library, services.providers
        started = time.perf_counter()
        original = data / "receipt.jpg"
        with library.db.transaction():
            for n, raw in enumerate(islice(cycle(pages), args.documents)):
                original.write_bytes(b"\xff\xd8\xff bench receipt %d" % n)
                doc_id, _ = library.add_file(original, media_type="image/jpeg", page_count=1)
                library.save_extraction(doc_id, providers.remap("local", raw), raw=raw)
        print(f"library of {args.documents:,} readings with their words made in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        asked = reparse.ask_unreviewed(library)
        ids = reparse.pending(library)
        listed = time.perf_counter() - started
        half = len(ids) // 2
        started = time.perf_counter()
        first = reparse.reparse(library, providers, ids, lambda: first_done[0] >= half, _counted)
        left = len(reparse.pending(library))
        rest = reparse.reparse(library, providers, reparse.pending(library))
        took = time.perf_counter() - started
        services.close()
    total = first.done + rest.done
    print(f"asked for and listed: {asked:,} documents in {listed * 1000:.0f} ms")
    print(f"stopped halfway: {first.done:,} read again, {first.left:,} left, {left:,} still asked for in the library")
    each = took / total
    print(f"read again: {total:,} documents in {took:.1f} s = {1 / each:.0f} a second ({each * 1000:.1f} ms each)")
    print(f"a library of 100,000 would take {100_000 * each / 60:.0f} minutes")


first_done = [0]


def _counted(done: int, total: int) -> None:
    first_done[0] = done


if __name__ == "__main__":
    main()
