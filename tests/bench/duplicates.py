"""How far apart the first-page hashes of the same receipt and of different receipts are.

Each real receipt is saved again three ways a user ends up with copies: a smaller JPEG at low
quality, a PDF of the photo, and a slightly cropped and darker scan. Prints the bit distances
(of 256) between copies of one receipt and between different receipts, and how many pairs the
threshold in store/organize.py (LOOKS_THE_SAME) calls the same.

    PYTHONPATH=$PWD /work/main/.venv/bin/python -m tests.bench.duplicates [--count 120]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
from pathlib import Path

from PIL import Image, ImageEnhance

from receiptdesk.services.organizer import page_hash
from receiptdesk.services.rendering import PageRenderer
from receiptdesk.store.organize import LOOKS_THE_SAME, hash_distance

KINDS = ("smaller JPEG at quality 45", "PDF of the photo", "cropped 2% and darker")
DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "receipts"


def copies(src: Path, folder: Path) -> list[Path]:
    img = Image.open(src).convert("RGB")
    small = folder / f"{src.stem}-small.jpg"
    img.resize((img.width * 7 // 10, img.height * 7 // 10)).save(small, quality=45)
    pdf = folder / f"{src.stem}.pdf"
    img.save(pdf, resolution=150)
    rescan = folder / f"{src.stem}-rescan.png"
    w, h = img.size
    ImageEnhance.Brightness(img.crop((w // 50, h // 50, w - w // 50, h - h // 50))).enhance(0.85).save(rescan)
    return [small, pdf, rescan]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=120)
    args = ap.parse_args()
    files = sorted((DATA / "sroie" / "img").glob("*.jpg"))[: args.count // 2]
    files += sorted((DATA / "wildreceipt" / "img").glob("*.jpeg"))[: args.count - len(files)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        renderer = PageRenderer(folder / "cache")
        originals: list[str] = []
        same: list[int] = []
        by_kind: dict[str, list[int]] = {k: [] for k in KINDS}
        for src in files:
            h = page_hash(renderer, src)
            assert h is not None, src
            originals.append(h)
            for kind, copy in zip(KINDS, copies(src, folder), strict=True):
                other = page_hash(renderer, copy)
                assert other is not None, copy
                same.append(hash_distance(h, other))
                by_kind[kind].append(same[-1])
    different = [hash_distance(a, b) for a, b in itertools.combinations(originals, 2)]
    print(f"receipts: {len(files)} (SROIE and WildReceipt photos and scans), 3 copies each")
    print(f"same receipt:       pairs {len(same):>6}  median {statistics.median(same):>5.1f}  max {max(same)}")
    print(f"different receipts: pairs {len(different):>6}  median {statistics.median(different):>5.1f}  "
          f"min {min(different)}")  # fmt: skip
    caught = sum(d <= LOOKS_THE_SAME for d in same)
    false = sum(d <= LOOKS_THE_SAME for d in different)
    print(f"threshold {LOOKS_THE_SAME}: copies caught {caught}/{len(same)}, different receipts called the same "
          f"{false}/{len(different)}")  # fmt: skip
    sweep = ", ".join(
        f"{t}: {sum(d <= t for d in same)}/{sum(d <= t for d in different)}" for t in (8, 12, 16, 20, 24, 28)
    )
    print(f"other thresholds (copies caught / different called the same): {sweep}")
    for kind, found in by_kind.items():
        kept = sum(d <= LOOKS_THE_SAME for d in found)
        print(f"  {kind}: caught {kept}/{len(found)}, median distance {statistics.median(found)}")


if __name__ == "__main__":
    main()
