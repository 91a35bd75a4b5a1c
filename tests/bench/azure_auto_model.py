"""How often Azure's automatic model choice picks the right model on the shared sets.

    /work/main/.venv/bin/python tests/bench/azure_auto_model.py [../shared]

Receipts (SROIE scans, WildReceipt photos, the Azure sample photos) should be
read as receipts, invoices (invoice2data PDFs and their PNG renderings, the
Azure sample invoice PDFs) as invoices. The rule only looks at the file's
format, page shape, camera data and resolution. Prints counts; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.providers.azure.choice import choose_model
from receiptdesk.providers.source import EXTENSIONS, Source


def files(folder: Path, suffixes: tuple[str, ...] = EXTENSIONS) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes)


def main(shared: Path) -> None:
    data = shared / "data"
    sets = {
        "receipt": {
            "sroie scans": files(data / "receipts" / "sroie" / "img"),
            "wildreceipt photos": files(data / "receipts" / "wildreceipt" / "img"),
            "azure sample receipts": [
                data / "responses" / "azure" / n for n in ("contoso-allinone.jpg", "receipt.png", "contoso-receipt.png")
            ],
        },
        "invoice": {
            "invoice2data pdf": files(data / "invoices" / "invoice2data", (".pdf",)),
            "invoice2data png": files(data / "invoices" / "invoice2data", (".png",)),
            "azure sample invoices": files(data / "responses" / "azure", (".pdf",)),
        },
    }
    start = time.perf_counter()
    n = 0
    for expected, groups in sets.items():
        for name, paths in groups.items():
            got: Counter[str] = Counter()
            reasons: Counter[str] = Counter()
            for path in paths:
                try:
                    choice = choose_model(Source.open(path))
                except ReceiptDeskError:
                    got["unreadable"] += 1
                    continue
                got[choice.kind] += 1
                reasons[choice.reason] += 1
                n += 1
            right = got[expected]
            print(f"{name:24} {right:4}/{len(paths):<4} read as {expected}s   {dict(got)}   reasons {dict(reasons)}")
    print(f"{n} files in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2].parent / "shared")
