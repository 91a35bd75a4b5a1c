"""The subtotal and the tax, chosen among every amount on the receipt by the learned ranker.

The hand rules (totals.totals_fields) take a labelled subtotal that makes the total with the other
parts and a labelled tax that fits; they miss a subtotal printed above a discount (larger than the
total), a subtotal whose label OCR misspelt, a tax under a rate table. Here every amount is a
candidate, and so is "none" (many receipts print no subtotal or no separate tax). Each is described
by what a person checking the receipt looks at: the label beside it, whether it and another amount
make the total, whether a printed rate makes it, where it stands against the total. None names a shop.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from receiptdesk.providers.local.parsing.amounts import Money
from receiptdesk.providers.local.parsing.features import Features, typical_height
from receiptdesk.providers.local.parsing.labels import Label
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.totals import Evidence, sums
from receiptdesk.providers.local.ranking import FieldModel

# The parts the ranker chooses, and the names of the fields they fill.
PART_FIELDS = {"subtotal": "subtotal", "tax": "total_tax"}
_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s?%")
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Part:
    """One candidate: an amount printed on the receipt, or None for "the receipt prints none"."""

    money: Money | None
    label: str | None = None  # the label printed before it, when it has one


PartCandidates = tuple[list[Part], list[Features]]


def part_candidates(
    ev: Evidence,
    all_money: Sequence[Money],
    allow_integers: bool,
    total: Money | None,
    hand: Mapping[str, object],
) -> dict[str, PartCandidates]:
    """Each part's candidates (first the "none" candidate) with the features the ranker weighs.

    `hand`: the hand rules' subtotal and tax (None where they show none)."""
    first: dict[Decimal, Money] = {}
    counts: dict[Decimal, int] = {}
    for m in all_money:
        if not (m.has_decimals or allow_integers):
            continue
        first.setdefault(m.value, m)
        counts[m.value] = counts.get(m.value, 0) + 1
    labels: dict[Decimal, dict[Label, float]] = {}
    label_text: dict[Decimal, tuple[Money, str]] = {}
    for label, runs in ev.runs.items():
        for run in runs:
            said = run.value
            if said is None:
                continue
            seen = labels.setdefault(said.value, {})
            seen[label] = max(seen.get(label, 0.0), float(run.label.strength) or 0.5)
            label_text.setdefault(said.value, (said, run.label_text))
    lines = list({id(m.line): m.line for m in all_money}.values())
    typical = max(typical_height(lines), 1e-6)
    n_lines = max((m.line.index for m in all_money), default=0) + 1
    rates = _rates(lines)
    values = set(first)
    parts = [Part(None)]
    common: list[Features] = [{"none": 1.0}]  # what the subtotal and the tax see alike
    made = sums(ev, Decimal(0))  # what the labelled parts add to a subtotal: the same for every candidate
    subtotals = {m.value for m in ev.values(Label.SUBTOTAL)}
    for value, m in first.items():
        shown, text = label_text.get(value, (m, None))
        if text is None:  # printed under another name ("FOOD", "Eat In"): the words before it on its line
            text = m.line.text[: m.start].strip(" :.-") or None
        parts.append(Part(shown, text))
        f = _features(value, shown, labels.get(value, {}), counts[value], values, total, rates, n_lines, typical)
        if total is not None:
            f.update(_printed_arithmetic(value, total.value, made, subtotals))
        f["n_cands"] = math.log1p(len(first))
        common.append(f)
    out: dict[str, PartCandidates] = {}
    for part in PART_FIELDS:
        mine = hand.get(part)
        marks = [mine is None, *(mine == value for value in first)]
        out[part] = (parts, [{**f, "hand_best": 1.0 if hit else 0.0} for f, hit in zip(common, marks, strict=True)])
    return out


def _features(
    value: Decimal,
    m: Money,
    labels: dict[Label, float],
    count: int,
    values: set[Decimal],
    total: Money | None,
    rates: list[Decimal],
    n_lines: int,
    typical: float,
) -> Features:
    f: Features = {
        "pos": m.line.index / n_lines,
        "x_right": m.x,
        "count": math.log1p(count),
        "ocr": m.line.span_confidence(m.start, m.end),
        "height": m.line.height / typical,
        "log_value": math.log10(float(abs(value)) + 1.0),
        "negative": 1.0 if value < 0 else 0.0,
        "zero": 1.0 if value == 0 else 0.0,
        "label_pct": 1.0 if "%" in m.line.text else 0.0,
        "unlabelled": 0.0 if labels else 1.0,
    }
    for label, strength in labels.items():
        f[f"lab_{label.value}"] = strength
    if total is not None and total.value > 0:
        t = total.value
        ratio = float(value / t)
        f["is_total"] = 1.0 if value == t else 0.0
        f["below_total"] = 1.0 if 0 < value < t else 0.0
        f["ratio"] = max(-1.0, min(ratio, 3.0))
        f["small_share"] = 1.0 if 0 < ratio <= 0.3 else 0.0
        f["above_total_line"] = 1.0 if m.line.index < total.line.index else 0.0
        f["below_total_line"] = 1.0 if m.line.index > total.line.index else 0.0
        f["lines_from_total"] = max(-10, min(10, m.line.index - total.line.index)) / 10
        # another amount on the page that, with this one, makes the total: a subtotal and its tax
        f["pair_total"] = 1.0 if value < t and (t - value) in values and (t - value) != value else 0.0
        f["rate_in_total"] = 1.0 if any(_close(value, t * r / (1 + r)) for r in rates) else 0.0
    f["rate_of_amount"] = 1.0 if any(_close(value, v * r) for r in rates for v in values if v > value) else 0.0
    f["has_rate_of"] = 1.0 if any(_close(v, value * r) for r in rates for v in values if v < value) else 0.0
    return f


def _printed_arithmetic(value: Decimal, total: Decimal, made: set[Decimal], subtotals: set[Decimal]) -> Features:
    """Whether the labelled parts make the total with this amount: as the subtotal (with the tax, service,
    rounding, tip and discount printed: `made`, what they add to a subtotal), or as the tax (with a
    labelled subtotal)."""
    return {
        "sums_as_subtotal": 1.0 if value != total and (total - value) in made else 0.0,
        "sums_as_tax": 1.0 if value != total and (total - value) in subtotals else 0.0,
    }


def _close(a: Decimal, b: Decimal) -> bool:
    """Equal to the cent (a rate times an amount is rounded either way by the till)."""
    return abs(a - b) <= _CENT


def _rates(lines: Sequence[Line]) -> list[Decimal]:
    """The percentages printed on the receipt (tax rates, "6% GST", "8.25% TAX"), as fractions."""
    out: set[Decimal] = set()
    for line in lines:
        for match in _RATE.finditer(line.text):
            try:
                r = Decimal(match.group(1).replace(",", ".")) / 100
            except InvalidOperation:
                continue
            if 0 < r < Decimal("0.5"):
                out.add(r)
    return sorted(out)[:6]


def choose_part(cands: PartCandidates, model: FieldModel) -> tuple[Part, float] | None:
    """The model's subtotal (or tax) and its calibrated confidence; None when it chooses "none"."""
    parts, feats = cands
    picked = model.pick(feats)
    if picked is None or parts[picked.at].money is None:
        return None
    return parts[picked.at], picked.confidence
