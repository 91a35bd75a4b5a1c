"""Every line that carries an amount, as a candidate item row, described for the learned choice.

The hand rules (items.py) only look between the merchant block and the first strong total, and
drop a row for any label on it: a receipt whose items run past a "Total" heading, or whose item
names hold a word like "service", loses them. Here every line with an amount is a candidate, and
the rules' zone and their own decision are features beside the label class, position, column,
font height, OCR score and arithmetic; the model (item_model.py) says which are items. A row the
rules take keeps the description they gave it; another takes its own words, or the words-only
line above when it has none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from statistics import median

from receiptdesk.core.document import LineItem
from receiptdesk.providers.local.item_model import ItemModel
from receiptdesk.providers.local.parsing.amounts import Money, Run
from receiptdesk.providers.local.parsing.items import (
    HEADER_WORDS,
    RuleItems,
    is_currency,
    is_words_only,
    item_of,
    row_of,
    rule_items,
)
from receiptdesk.providers.local.parsing.labels import Label, fold, letters, tokens
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.vendor import PHONE_LABEL, phone_in

_LABELS = {
    Label.TOTAL: "lab_total",
    Label.SUBTOTAL: "lab_subtotal",
    Label.TAX: "lab_tax",
    Label.PAID: "lab_paid",
    Label.CHANGE: "lab_change",
    Label.DISCOUNT: "lab_discount",
    Label.ROUNDING: "lab_rounding",
    Label.COUNT: "lab_count",
    Label.TIP: "lab_tip",
    Label.SERVICE: "lab_tip",
    Label.TAX_ID: "lab_tax_id",
}
_DATE_OR_TIME = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}")
_CENT = Decimal("0.01")
_PHONE_TAIL = re.compile(r"[\s.:#/()+\-\d]*")
_NOT_CENTS = re.compile(r"\d[.,]\d{3}(?!\d)|\d[.,]\d(?!\d)")  # 516.683 (a phone), 2.399/GAL, 4.5


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One line with an amount: the item it would be, whether the rules take it, and its features."""

    index: int
    item: LineItem
    rules: bool
    features: dict[str, float]

    @property
    def named_elsewhere(self) -> bool:
        """A row of numbers whose name is printed on another line: too few in the labelled sets to learn."""
        return not self.features["words_before"]

    @property
    def after_the_sale(self) -> bool:
        """A line printed after the document's total that cannot be an item: the payment or the change ("Paid by
        card", "Cash", "Change"), or a footer line whose "amount" is no price: the end of a phone number, or a
        whole number without the currency sign or cents the total is printed with (an office's postcode)."""
        f = self.features
        if not f.get("after_total"):
            return False
        return bool(f.get("lab_paid") or f.get("lab_change") or f["in_phone"] or f["bare"])

    @property
    def kept(self) -> bool:
        """A row the rules took whose name is on another line: shown without asking the model."""
        return self.rules and self.named_elsewhere


def item_candidates(
    lines: Sequence[Line],
    runs_by_line: Sequence[list[Run]],
    first: int,
    allow_integers: bool,
    total: Money | None = None,
) -> list[ItemRow]:
    """Every line with an amount that reads as an item (a description and an amount), top to bottom; `total`, the
    document's total as read (the rows printed after it, or above it in value, are rarely items)."""
    hand = rule_items(lines, runs_by_line, first, allow_integers)
    monies = {
        i: money
        for i, runs in enumerate(runs_by_line)
        if (money := [m for r in runs for m in r.amounts if m.has_decimals or allow_integers])
    }
    built: dict[int, LineItem] = dict(hand.items)
    for i, money in monies.items():
        if i in built:
            continue
        free = i > 0 and i - 1 not in hand.described_by and i - 1 not in monies
        above = lines[i - 1] if free and is_words_only(lines[i - 1], runs_by_line[i - 1], allow_integers) else None
        item = item_of(row_of(i, lines[i], money), above)
        if item is not None:
            built[i] = item
    context = _Context.of(lines, hand, monies, built, total)
    rows = [
        ItemRow(i, item, i in hand.items, _features(i, lines, runs_by_line[i], monies[i], item, hand, context))
        for i, item in sorted(built.items())
    ]
    return [r for r in rows if not r.after_the_sale]


def choose_items(
    lines: Sequence[Line],
    runs_by_line: Sequence[list[Run]],
    first: int,
    allow_integers: bool,
    model: ItemModel,
    total: Money | None = None,
) -> list[ItemRow]:
    """The rows the model takes for items (the rules' rows when the model does not choose), top to bottom."""
    cands = item_candidates(lines, runs_by_line, first, allow_integers, total)
    if not model.chooses:
        return [c for c in cands if c.rules]
    return [c for c in cands if c.kept or model.is_item(c.features, c.rules)]


def shown_items(rows: Sequence[ItemRow], model: ItemModel, adds_up: bool) -> list[LineItem]:
    """The items as shown, with the model's calibrated confidences (`adds_up`: they add up to the subtotal or
    total read). The amount and description take theirs; the quantity and unit price (not labelled well enough
    to calibrate) keep the rules' certainty but are never surer than the amount: on a row that is no item they
    are wrong too. The printed row keeps its OCR score (it says how well the line was read)."""
    return [_with_confidences(r.item, model.confidences(r.features, r.kept, adds_up)) for r in rows]


def _with_confidences(item: LineItem, calibrated: dict[str, float]) -> LineItem:
    if not calibrated:
        return item
    fields = dict(item.fields)
    for name, confidence in calibrated.items():
        if name in fields:
            fields[name] = replace(fields[name], confidence=round(confidence, 4))
    amount = calibrated.get("amount")
    if amount is not None:
        for name in ("quantity", "unit_price"):
            if name in fields:
                fields[name] = replace(fields[name], confidence=round(min(fields[name].confidence, amount), 4))
    return LineItem(fields, dict(item.extra))


@dataclass(frozen=True, slots=True)
class _Context:
    """What the features compare a row against: the rules' column, the largest amount, line heights."""

    n: int
    column: float | None
    top: Decimal
    height: float
    values: dict[Decimal, int]
    rule_amounts: list[tuple[int, Decimal]]
    candidates: frozenset[int]
    total: Money | None

    @classmethod
    def of(
        cls,
        lines: Sequence[Line],
        hand: RuleItems,
        monies: dict[int, list[Money]],
        built: dict[int, LineItem],
        total: Money | None,
    ) -> _Context:
        rule_x = [monies[i][-1].x for i in hand.items if i in monies]
        all_x = [monies[i][-1].x for i in built]
        values: dict[Decimal, int] = {}
        for money in monies.values():
            for m in money:
                values[m.value] = values.get(m.value, 0) + 1
        top = max((m.value for money in monies.values() for m in money), default=Decimal(0))
        heights = [ln.height for ln in lines if ln.words]
        return cls(
            n=len(lines),
            column=median(rule_x) if rule_x else (median(all_x) if all_x else None),
            top=top,
            height=median(heights) if heights else 1.0,
            values=values,
            rule_amounts=sorted((i, monies[i][-1].value) for i in hand.items if i in monies),
            candidates=frozenset(built),
            total=total,
        )


def _features(
    i: int,
    lines: Sequence[Line],
    runs: list[Run],
    money: list[Money],
    item: LineItem,
    hand: RuleItems,
    ctx: _Context,
) -> dict[str, float]:
    line = lines[i]
    amount = money[-1]
    start, end = hand.zone
    f: dict[str, float] = {
        "rules": float(i in hand.items),
        "in_zone": float(start <= i < end),
        "above_zone": float(i < start),
        "below_zone": float(i >= end),
        "after_end": math.log1p(max(0, i - end + 1)),
        "rel_pos": i / max(1, ctx.n - 1),
        "zone_pos": max(-1.0, min(2.0, (i - start) / max(1, end - start))),
        # the neighbouring rows with amounts (a name line may sit between): a run of items
        "prev_rule": float(any(k in hand.items for k in (i - 1, i - 2))),
        "next_rule": float(any(k in hand.items for k in (i + 1, i + 2))),
        "prev_cand": float(any(k in ctx.candidates for k in (i - 1, i - 2))),
        "next_cand": float(any(k in ctx.candidates for k in (i + 1, i + 2))),
        "n_rules": math.log1p(len(hand.items)),
    }
    f.update(_against_total(i, amount, ctx.total))
    strength = 0
    for r in runs:
        name = _LABELS.get(r.label.label)
        if name is not None:
            f[name] = 1.0
            strength = max(strength, r.label.strength)
    f["label_strength"] = strength / 3
    f["labelled_amount"] = float(any(r.label.label is not Label.NONE for r in runs if r.amounts))
    chars = [c for c in line.text if not c.isspace()]
    f["letter_share"] = letters(line.text) / max(1, len(chars))
    f["digit_share"] = sum(c.isdigit() for c in chars) / max(1, len(chars))
    desc = str(item.value("description") or "")
    f["desc_letters"] = math.log1p(letters(desc))
    f["words_before"] = float(letters(line.text[: amount.start]) >= 2)
    # (capped: a line of a dozen numbers, an address or a phone read as amounts, is not a dozen times less an item)
    f["n_money"] = float(min(len(money), 4))
    f["qty_price"] = float("quantity" in item.fields and "unit_price" in item.fields)
    f["qty"] = float("quantity" in item.fields)
    f["share"] = float(amount.value / ctx.top) if ctx.top > 0 else 0.0
    f["is_max"] = float(amount.value == ctx.top)
    f["zero"] = float(amount.value == 0)
    f["negative"] = float(amount.value < 0)
    f["repeated"] = float(min(3, ctx.values.get(amount.value, 1) - 1))
    above = [v for k, v in ctx.rule_amounts if k < i]
    f["sum_above"] = float(len(above) >= 2 and abs(sum(above, Decimal(0)) - amount.value) <= _CENT)
    f["x_right"] = amount.x
    f["left_amount"] = float(amount.x < 0.45)
    f["col_dev"] = abs(amount.x - ctx.column) if ctx.column is not None else 0.0
    f["height"] = line.height / ctx.height if ctx.height > 0 else 1.0
    f["ocr"] = line.confidence
    f["percent"] = float("%" in line.text)
    f["colon"] = float(":" in line.text)
    f["date_time"] = float(bool(_DATE_OR_TIME.search(line.text)))
    f["currency"] = float(amount.currency is not None)
    f["decimals"] = float(amount.has_decimals)
    f["not_cents"] = float(bool(_NOT_CENTS.search(amount.text)))
    f["desc_heading"] = float(len(set(tokens(desc)) & HEADER_WORDS) >= 2)  # "Qty Description": not "Vege item"
    f["desc_colon"] = float(":" in desc)
    f["desc_digits"] = sum(c.isdigit() for c in desc) / max(1, len(desc))
    # a footer's phone number or postcode, whose last digits read as the amount
    f["in_phone"] = float(_in_phone(line.text, amount))
    f["bare"] = float(_bare(amount, ctx.total))
    if i in hand.items:  # what weighs differently on a row the rules already took: a name on another line
        for name in _RULE_TERMS:
            f[f"rule_{name}"] = f[name]
    return f


def _against_total(i: int, amount: Money, total: Money | None) -> dict[str, float]:
    """Where the row sits against the document's total: printed after it (the payment, the change, a footer), its
    amount above it (a postcode, a phone number) or the total again (the amount paid)."""
    if total is None or total.value <= 0:
        return {"no_total": 1.0}
    after = i > total.line.index
    return {
        "after_total": float(after),
        "past_total": math.log1p(max(0, i - total.line.index)),
        "over_total": float(amount.value > total.value),
        "total_again": float(after and amount.value == total.value),
    }


def _in_phone(text: str, amount: Money) -> bool:
    """The amount is the end of a phone number: digits in groups after a phone label ("Phone: 080 100 444 66"), or
    a run of seven digits or more in groups with no cents among them ("Tel 03-7865 4422")."""
    if amount.has_decimals:
        return False
    before = fold(text[: amount.start])
    labels = list(PHONE_LABEL.finditer(before))
    if labels and _PHONE_TAIL.fullmatch(before[labels[-1].end() :]):
        return True
    found = phone_in(text)
    return (
        found is not None
        and found.start() < amount.start
        and amount.end <= found.end() + 1
        and not re.search(r"\d[.,]\d", found.group(0))
    )


def _bare(amount: Money, total: Money | None) -> bool:
    """A whole number without a currency sign where the total is printed with one or with cents: a number, not a
    price ("New Delhi - 110017" under "Grand Total Rs 1939")."""
    if total is None or amount.has_decimals or _signed(amount):
        return False
    return _signed(total) or total.has_decimals


def _signed(m: Money) -> bool:
    """The amount carries a currency, or a currency sign or code is printed right before it ("Rs 1939" of a PDF's
    text layer, two words)."""
    before = m.line.text[: m.start].split()
    return m.currency is not None or (bool(before) and is_currency(before[-1]))


# Features whose weight differs on the rules' rows (their own zone and filters already spoke for them).
_RULE_TERMS = ("words_before", "digit_share", "letter_share", "qty_price", "desc_letters", "n_money", "col_dev")
