"""The total tax of a receipt that prints one line per tax: "TPS 5% / TVQ 9,975%", "CGST 2.5% / SGST 2.5%",
"TVA 10% / TVA 20%".

The ranker and the hand rules choose one printed amount; where the receipt lists its taxes on
adjacent lines, each with its own rate or name, prints no sum of them, and its own arithmetic
(subtotal + these taxes + the other printed parts = total) says they are all charged, the tax is
their sum. A receipt whose prices include the tax prints no subtotal: there the prices each rate's
tax implies must add up to the total. Without that arithmetic the one line stands: WildReceipt's
annotators, for one, mark a single tax line ("Dont TVA 16%" beside "TVA 5%"), and a sum nothing confirms is a guess.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from receiptdesk.core.document import Field
from receiptdesk.core.geometry import enclosing
from receiptdesk.providers.local.parsing.amounts import Money, Run
from receiptdesk.providers.local.parsing.labels import TAX_WORDS, Label, tokens
from receiptdesk.providers.local.parsing.totals import Evidence, sums

_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s?%")


def _key(run: Run, value: Money) -> tuple[tuple[str, ...], tuple[Decimal, ...]] | None:
    """The tax's name and rate as its line prints them before the amount; None without a rate. Rates
    compare as numbers: "10%" and "10,0%" are one rate, "10%" and "1%" two."""
    rates = tuple(_rates(value))
    if not rates:
        return None
    return tuple(t for t in tokens(run.line.text[: value.start]) if t in TAX_WORDS), rates


def _block(ev: Evidence, picked: Field) -> list[Money]:
    """The tax lines printed next to the chosen tax, one amount each, the chosen one among them."""
    by_line: dict[int, tuple[Run, Money]] = {}
    for run in ev.runs.get(Label.TAX, []):
        m = run.value
        if m is not None and m.line.index not in by_line:
            by_line[m.line.index] = (run, m)
    at = next(
        (i for i, (_, m) in by_line.items() if m.value == picked.value and m.line.page == picked.page),
        None,
    )
    if at is None:
        return []
    lo = hi = at
    while lo - 1 in by_line:
        lo -= 1
    while hi + 1 in by_line:
        hi += 1
    block = [by_line[i] for i in range(lo, hi + 1)]
    keys = [_key(run, m) for run, m in block]
    if len(block) < 2 or any(k is None for k in keys) or len(set(keys)) < len(keys):
        return []
    return [m for _, m in block]


def summed_tax(ev: Evidence, fields: dict[str, Field]) -> Field | None:
    """The tax field as the sum of the receipt's tax lines, or None where one line is the whole tax."""
    tax = fields.get("total_tax")
    if tax is None or not isinstance(tax.value, Decimal):
        return None
    block = _block(ev, tax)
    values = [m.value for m in block]
    if not values or any(v <= 0 for v in values):
        return None
    together = sum(values, Decimal(0))
    if len(values) > 2 and any(v == together - v for v in values):
        return None  # one line is already the others' sum (two equal halves are CGST and SGST)
    total = fields.get("total")
    if total is None or not isinstance(total.value, Decimal):
        return None
    subtotal = fields.get("subtotal")
    if subtotal is None or not isinstance(subtotal.value, Decimal) or subtotal.value == total.value:
        # no net amount printed: taxes included in the prices, confirmed by the prices they imply
        if not _included_in(block, total.value):
            return None
    else:
        # only where the receipt's own arithmetic says so: the subtotal, these taxes and the other printed
        # parts (rounding, service, tip, discount) make the total, and the one line alone does not
        rest = Evidence({k: v for k, v in ev.runs.items() if k is not Label.TAX})
        if total.value not in sums(rest, subtotal.value + together) or total.value in sums(
            rest, subtotal.value + tax.value
        ):
            return None
    first = block[0]
    return replace(
        tax,
        value=together,
        text=" + ".join(m.text for m in block),
        box=enclosing(m.line.span_box(m.start, m.end) for m in block if m.line.page == first.line.page),
        label=" + ".join(m.line.text[: m.start].strip(" :") for m in block),
    )


def _rates(m: Money) -> list[Decimal]:
    """The rates (in percent) printed before an amount on its line."""
    return [Decimal(r.replace(",", ".")) for r in _RATE.findall(m.line.text[: m.start])]


def _included_in(block: list[Money], total: Decimal) -> bool:
    """Taxes included in the prices, one line per rate ("inkl. MwSt 10%" / "20%", "varav moms 12%" / "25%"):
    all charged when the prices each one implies (tax x (100 + rate) / rate) add up to the total. Within the
    taxes' rounding (half a cent each, as the price it implies) and a hundredth of the total, as a till that
    taxes item by item rounds each item's tax; a price not taxed at all (a deposit) leaves the one line."""
    rates = [_rates(m) for m in block]
    if any(len(r) != 1 or r[0] <= 0 for r in rates) or len({r[0] for r in rates}) < len(rates):
        return False
    per = [(m.value, r[0]) for m, r in zip(block, rates, strict=True)]
    implied = sum((v * (100 + r) / r for v, r in per), Decimal(0))
    half = Decimal(1).scaleb(min(int(v.as_tuple().exponent) for v, _ in per)) / 2
    slack = sum((half * (100 + r) / r for _, r in per), Decimal(0)) + total / 100
    return abs(implied - total) <= slack
