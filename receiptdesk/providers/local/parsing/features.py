"""Each candidate total and date described as plain numbers, for the learned ranker (ranking.py).

The hand rules' own points stay one feature among many, so the model can learn where they
are right and where the label, the arithmetic, the position or the print size say otherwise.
Every feature is something a person checking a receipt would look at; none names a shop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from statistics import median
from typing import TYPE_CHECKING

from receiptdesk.providers.local.parsing.labels import Label
from receiptdesk.providers.local.parsing.layout import Line

if TYPE_CHECKING:
    from receiptdesk.providers.local.parsing.amounts import Money
    from receiptdesk.providers.local.parsing.totals import Candidate, Evidence

Features = dict[str, float]

_REASONS = {
    "cash − change": "r_cash_change",
    "paid": "r_paid",
    "amount + change handed over": "r_plus_change",
    "subtotal + parts": "r_parts",
    "rounded": "r_rounded",
    "paid, no total printed": "r_paid_only",
    "the only amount on the receipt": "r_only",
}
# The labels an amount may be printed with, each a feature of its own (for the total, subtotal and tax).
AMOUNT_LABELS = (
    Label.TOTAL,
    Label.SUBTOTAL,
    Label.TAX,
    Label.PAID,
    Label.CHANGE,
    Label.DISCOUNT,
    Label.ROUNDING,
    Label.SERVICE,
    Label.TIP,
)


def _typical_height(lines: Sequence[Line]) -> float:
    heights = [line.height for line in lines if line.words]
    return median(heights) if heights else 1e-6


def total_features(
    ev: Evidence, cands: Sequence[Candidate], hand: Candidate | None, all_money: Sequence[Money], n_lines: int
) -> list[Features]:
    lines = list({id(m.line): m.line for m in all_money}.values())
    typical = max(_typical_height(lines), 1e-6)
    counts: dict[Decimal, int] = {}
    for m in all_money:
        counts[m.value] = counts.get(m.value, 0) + 1
    by_label = {label: {m.value for m in ev.values(label)} for label in AMOUNT_LABELS}
    values = sorted(c.money.value for c in cands)
    n = max(1, n_lines)
    out = []
    for c in cands:
        m = c.money
        f: Features = {
            "hand": c.score,
            "hand_best": 1.0 if c is hand else 0.0,
            "label_strength": float(c.run.label.strength) if c.run else 0.0,
            "label_pct": 1.0 if c.run is not None and "%" in c.run.label_text else 0.0,
            "pos": m.line.index / n,
            "y": m.line.box.y0,
            "x_right": m.x,
            "after_payment": 1.0 if ev.payment_line is not None and m.line.index > ev.payment_line else 0.0,
            "rank": values.index(m.value) / max(1, len(values) - 1),
            "is_max": 1.0 if m.value == values[-1] else 0.0,
            "count": math.log1p(counts.get(m.value, 1)),
            "ocr": m.line.span_confidence(m.start, m.end),
            "exact_text": _exact(m.line.span_confidence(m.start, m.end)),
            "height": m.line.height / typical,
            "log_value": math.log10(float(abs(m.value)) + 1.0),
            "n_cands": math.log1p(len(cands)),
            "decimals": 1.0 if m.has_decimals else 0.0,
        }
        for label in AMOUNT_LABELS:
            f[f"lab_{label.value}"] = 1.0 if m.value in by_label[label] else 0.0
        for reason in c.reasons:
            key = _REASONS.get(reason)
            if key:
                f[key] = f.get(key, 0.0) + 1.0
        out.append(f)
    return out


def date_features(
    line: Line,
    start: int,
    end: int,
    *,
    hand: float,
    label_before: float,
    label_above: float,
    near_time: bool,
    ambiguous: bool,
    named_month: bool,
    cue_strong: bool,
    count: int,
    n_lines: int,
    typical_height: float,
) -> Features:
    return {
        "hand": hand,
        "label_before": label_before,
        "label_above": label_above,
        "near_time": 1.0 if near_time else 0.0,
        "ambiguous": 1.0 if ambiguous else 0.0,
        "named_month": 1.0 if named_month else 0.0,
        "cue_strong": 1.0 if cue_strong else 0.0,
        "count": math.log1p(count),
        "pos": line.index / max(1, n_lines),
        "y": line.box.y0,
        "x": line.span_box(start, end).x0,
        "ocr": line.span_confidence(start, end),
        "exact_text": _exact(line.span_confidence(start, end)),
        "height": line.height / max(typical_height, 1e-6),
        "alone": 1.0 if len(line.text.strip()) <= (end - start) + 2 else 0.0,
    }


def _exact(score: float) -> float:
    """Text read without OCR (a PDF's text layer, a text file): its words are sure, its layout is not a photo's."""
    return 1.0 if score >= 0.999 else 0.0


def typical_height(lines: Sequence[Line]) -> float:
    return _typical_height(lines)
