"""A probe battery: receipts from countries no labelled set here covers, written by hand as their shops print them.

    PYTHONPATH=$PWD python tests/bench/world_probes.py [--failures] [--country DE] [--round 1|2|3|all] [--glued]

Prints, per receipt, each field read against what the receipt says (total, date, currency,
subtotal, tax: only the fields the receipt prints), and the share right per field and in total.
The receipts were written by the engineer who fixes the parser, so the figure is a PROBE that finds
blind spots (a language's label words, a number or date form), not an accuracy result: measure
accuracy with ../shared/tools/score_extraction.py on labelled files.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from receiptdesk.providers.local.parser import parse
from tests.bench.world_receipts import AMERICAS, EUROPE, Probe
from tests.bench.world_receipts_extra import ROUND_THREE, ROUND_TWO
from tests.bench.world_receipts_more import ASIA_AND_PACIFIC, NORTH_AND_EAST
from tests.unit.providers.local.pages import receipt

ROUND_ONE: list[Probe] = [*AMERICAS, *EUROPE, *NORTH_AND_EAST, *ASIA_AND_PACIFIC]
ROUNDS = {"1": ROUND_ONE, "2": ROUND_TWO, "3": ROUND_THREE, "all": [*ROUND_ONE, *ROUND_TWO, *ROUND_THREE]}
FIELDS = ("total", "date", "currency", "subtotal", "tax")


@dataclass(frozen=True, slots=True)
class Reading:
    probe: Probe
    got: dict[str, object]

    def right(self, field: str) -> bool | None:
        want = self.probe.expected(field)
        if want is None:
            return None
        return self.got[field] == want


def read(probe: Probe, glued: bool = False) -> Reading:
    """The parser's reading; `glued`: each label and its amount read as one phrase, as OCR often returns them."""
    lines = [line.replace(" | ", "  ") for line in probe.lines] if glued else list(probe.lines)
    doc = parse([receipt(*lines)])
    got: dict[str, object] = {
        "total": doc.value("total"),
        "date": doc.value("date"),
        "currency": doc.currency,
        "subtotal": doc.value("subtotal"),
        "tax": doc.value("total_tax"),
    }
    return Reading(probe, got)


def _show(v: object) -> str:
    if isinstance(v, Decimal | date):
        return str(v)
    return "-" if v is None else str(v)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--failures", action="store_true", help="print only receipts with a wrong field")
    ap.add_argument("--country", help="only this country's receipts (ISO code, e.g. DE)")
    ap.add_argument("--glued", action="store_true", help="each label and its amount in one phrase")
    ap.add_argument("--round", choices=sorted(ROUNDS), default="all", help="1, 2 or 3 (written in turn)")
    args = ap.parse_args()
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    for probe in ROUNDS[args.round]:
        if args.country and probe.country != args.country:
            continue
        r = read(probe, args.glued)
        marks = []
        wrong = False
        for f in FIELDS:
            ok = r.right(f)
            if ok is None:
                continue
            asked[f] += 1
            right[f] += ok
            wrong |= not ok
            want = _show(probe.expected(f))
            marks.append(f"{f}={_show(r.got[f])}" + ("" if ok else f" (want {want}) X"))
        if wrong or not args.failures:
            print(f"{probe.country} {probe.name:<28} " + "  ".join(marks))
    print()
    for f in FIELDS:
        if asked[f]:
            print(f"{f:<9} {right[f]:>3}/{asked[f]:<3} {right[f] / asked[f]:.3f}")
    n, k = sum(asked.values()), sum(right.values())
    print(f"{'all':<9} {k:>3}/{n:<3} {k / n:.3f}")


if __name__ == "__main__":
    main()
