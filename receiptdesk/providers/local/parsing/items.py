"""Line items: the rows between the merchant block and the totals.

A row is an item when it ends in an amount and carries no total, tax or
payment label. Its description is the text before the numbers, or the
description-only line printed just above (or, on some tills, below) the
numbers; a quantity and a unit price are taken when printed, and kept only
when quantity × unit price gives the amount (else the amount stands alone).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from receiptdesk.core.document import Field, LineItem
from receiptdesk.providers.local.parsing.amounts import Money, Run
from receiptdesk.providers.local.parsing.evidence import lines_field, money_field, span_field
from receiptdesk.providers.local.parsing.labels import Label, tokens
from receiptdesk.providers.local.parsing.layout import Line

_HEADER_WORDS = frozenset(
    "DESCRIPTION DESC ITEM ITEMS QTY QUANTITY PRICE AMOUNT AMT TOTAL UNIT RATE ARTICLE ARTIKEL MENGE PREIS BETRAG "
    "DESIGNATION QTE PRIX MONTANT DESCRIPCION CANTIDAD PRECIO IMPORTE DESCRIZIONE PREZZO QUANTITA PRODUCT "
    "OMSCHRIJVING AANTAL PRIJS BEDRAG NAZWA ILOSC CENA WARTOSC".split()
)
_QTY = re.compile(
    r"(?<![\w.,])(?P<q>\d{1,3}(?:[.,]\d{1,3})?)\s?(?:[xX×@*]|PCS|PC|EA|UNIT|NOS|KG|G|L)?(?![\w.,])|(?<![\w])[xX×](?P<q2>\d{1,3})(?![\w.,])"
)


@dataclass(frozen=True, slots=True)
class ItemRow:
    line: Line
    money: tuple[Money, ...]


def _is_table_header(line: Line) -> bool:
    words = set(tokens(line.text))
    return len(words & _HEADER_WORDS) >= 2


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _description_only(line: Line, runs: list[Run]) -> bool:
    if any(r.amounts for r in runs):
        return False
    if runs and runs[0].label.label in (Label.TOTAL, Label.SUBTOTAL, Label.CHANGE):
        return False
    return _letters(line.text) >= 3 and not _is_table_header(line)


def item_zone(lines: Sequence[Line], runs_by_line: Sequence[list[Run]], first: int) -> tuple[int, int]:
    """Lines first..end where items are printed: after the table header, before the first total."""
    start = first
    for i in range(first, len(lines)):
        if _is_table_header(lines[i]) and not any(r.amounts for r in runs_by_line[i]):
            start = i + 1
            break
    end = len(lines)
    for i in range(start, len(lines)):
        labels = {r.label.label for r in runs_by_line[i] if r.amounts or r is runs_by_line[i][-1]}
        if labels & {Label.TOTAL, Label.SUBTOTAL} and any(
            r.label.label in (Label.TOTAL, Label.SUBTOTAL) and r.label.strength >= 2 for r in runs_by_line[i]
        ):
            end = i
            break
    return start, end


def find_items(
    lines: Sequence[Line], runs_by_line: Sequence[list[Run]], first: int, allow_integers: bool
) -> list[LineItem]:
    start, end = item_zone(lines, runs_by_line, first)
    used: set[int] = set()
    items: list[LineItem] = []
    for i in range(start, end):
        runs = runs_by_line[i]
        if not runs or any(r.label.label not in (Label.NONE,) for r in runs if r.amounts):
            continue
        money = [m for r in runs for m in r.amounts if m.has_decimals or allow_integers]
        if not money:
            continue
        amount = money[-1]
        line = lines[i]
        if amount.line.span_box(amount.start, amount.end).x1 < 0.45:
            continue
        desc_end = money[0].start
        desc_text = line.text[:desc_end]
        desc_field: Field | None = None
        if _letters(desc_text) >= 2:
            s, e = _trim(desc_text)
            desc_field = span_field(line, s, e, line.text[s:e], 0.7)
        else:
            above = i - 1
            below = i + 1
            if above >= start and above not in used and _description_only(lines[above], runs_by_line[above]):
                desc_field = lines_field([lines[above]], lines[above].text.strip(), 0.6)
                used.add(above)
            elif below < end and _description_only(lines[below], runs_by_line[below]):
                desc_field = lines_field([lines[below]], lines[below].text.strip(), 0.5)
                used.add(below)
        if desc_field is None:
            continue
        used.add(i)
        fields: dict[str, Field] = {"description": desc_field, "amount": money_field(amount, 0.7)}
        _quantity_price(line, desc_text, money, fields)
        fields["row"] = span_field(line, 0, len(line.text), line.text, 1.0)
        items.append(LineItem(fields))
    return items


def _trim(text: str) -> tuple[int, int]:
    """The description inside the text before the numbers, without item codes and stray marks."""
    s = 0
    e = len(text.rstrip(" :-*@xX×"))
    m = re.match(r"\s*(?:\d{4,}\s+)?", text)
    if m and _letters(text[m.end() : e]) >= 2:
        s = m.end()
    return s, max(s, e)


def _quantity_price(line: Line, desc_text: str, money: list[Money], fields: dict[str, Field]) -> None:
    amount = money[-1].value
    qty: tuple[Decimal, int, int] | None = None
    # a count printed between the description and the amounts, or before the description
    for m in _QTY.finditer(line.text[: money[-1].start]):
        g = "q" if m.group("q") else "q2"
        raw = m.group(g)
        if not raw:
            continue
        try:
            q = Decimal(raw.replace(",", "."))
        except ArithmeticError:
            continue
        if q <= 0 or q > 999:
            continue
        if any(mm.start <= m.start(g) < mm.end for mm in money):
            continue
        qty = (q, m.start(g), m.end(g))
    price = money[-2] if len(money) >= 2 else None
    if qty is not None:
        q = qty[0]
        if price is not None and abs(q * price.value - amount) <= Decimal("0.01"):
            fields["quantity"] = span_field(line, qty[1], qty[2], q, 0.8)
            fields["unit_price"] = money_field(price, 0.8)
            return
        if price is None:
            fields["quantity"] = span_field(line, qty[1], qty[2], q, 0.5)
            return
    if price is not None and abs(price.value - amount) <= Decimal("0.01"):
        fields["unit_price"] = money_field(price, 0.6)
