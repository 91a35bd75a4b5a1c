"""Line items: the rows between the merchant block and the totals.

A row is an item when it ends in an amount and carries no total, tax or
payment label. Reading from the right, the row's tail is numbers (amount,
unit price, quantity) and small codes (tax letters, units); the rest is the
description. A row with numbers but no words takes its description from the
words-only line above it (or, on tills that print it after, below it); a
words-only line under an item that already has a description continues it.
A quantity and unit price are kept when quantity × unit price gives the
amount, or when the quantity is marked ("2 x", "3 @") or leads the row.

These are the hand rules. The parser shows the learned choice (item_rows.py,
model/items.json), which starts from them and sees every line with an amount.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from receiptdesk.core.document import Field, LineItem
from receiptdesk.core.money import ISO_CODES
from receiptdesk.providers.local.parsing.amounts import MEASURE, Money, Run
from receiptdesk.providers.local.parsing.evidence import lines_field, money_field, span_field
from receiptdesk.providers.local.parsing.labels import Label, letters, tokens
from receiptdesk.providers.local.parsing.layout import Line

HEADER_WORDS = frozenset(
    "DESCRIPTION DESC ITEM ITEMS QTY QUANTITY PRICE AMOUNT AMT TOTAL UNIT RATE ARTICLE ARTIKEL MENGE PREIS BETRAG "
    "DESIGNATION QTE PRIX MONTANT DESCRIPCION CANTIDAD PRECIO IMPORTE DESCRIZIONE PREZZO QUANTITA PRODUCT "
    "OMSCHRIJVING AANTAL PRIJS BEDRAG NAZWA ILOSC CENA WARTOSC".split()
)
# Tokens a row may end with after its description: numbers, counts, units, tax codes.
_NUMBER_TOKEN = re.compile(r"[-(]?(?:RM|Rp|Rs\.?|[$€£¥₹])?\d[\d.,']*[%)]?[A-Z]{0,3}\*?", re.IGNORECASE)
_QTY_MARK = re.compile(r"(?:\d+(?:[.,]\d+)?\s?[xX×@*]|[xX×@*]\s?\d+(?:[.,]\d+)?|[xX×@*])", re.IGNORECASE)
_UNIT = re.compile(r"(?:PCS?|EA|NOS|UNITS?|CTN|PKT|SET|BOX|KG|G|L|ML|LB|OZ)\.?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]{1,3}\*?|[*#]", re.IGNORECASE)
_CURRENCY = re.compile(r"[$€£¥₹₩฿]|RM|Rp|Rs\.?|kr", re.IGNORECASE)
_LEADING_CODE = re.compile(r"^\s*(?:\[[^\]]*\]\s*|\d{4,}[-\d]*\s+|[A-Z]{1,3}\s?:\s*|\d{1,2}[.)]\s+)+", re.IGNORECASE)
_LEADING_COUNT = re.compile(
    r"^\s*(?P<q>\d{1,3}(?:[.,]\d{1,3})?)(?:\s?(?:[xX×]|KG|PK|PCS?))?\.?\s+(?=[^\W\d_])", re.IGNORECASE
)
_TOKEN = re.compile(r"\S+")
_SOLD_BY = re.compile(r"\s*[@xX×*/]")
_TRAILING_CODE = re.compile(r"\s+\d{8,}(?:\s+[A-Z]{1,2})?$")


def is_currency(tok: str) -> bool:
    """A sign or an ISO code ("EUR 4.50"), not any three letters: "OLIVE OIL 12.50", "Soup of the day 8.50"."""
    return bool(_CURRENCY.fullmatch(tok)) or tok.upper() in ISO_CODES


def _is_table_header(line: Line) -> bool:
    return len(set(tokens(line.text)) & HEADER_WORDS) >= 2


def item_zone(lines: Sequence[Line], runs_by_line: Sequence[list[Run]], first: int) -> tuple[int, int]:
    """Lines first..end where items are printed: after the table header, before the first total."""
    start = first
    for i in range(first, len(lines)):
        if _is_table_header(lines[i]) and not any(r.amounts for r in runs_by_line[i]):
            start = i + 1
            break
    end = len(lines)
    for i in range(start, len(lines)):
        if any(r.label.label in (Label.TOTAL, Label.SUBTOTAL) and r.label.strength >= 2 for r in runs_by_line[i]):
            end = i
            break
    return start, end


@dataclass(slots=True)
class _Row:
    index: int
    line: Line
    money: list[Money]
    desc_end: int  # where the description ends in line.text
    description: list[Line] = field(default_factory=list)  # words-only lines that describe it
    own_text: bool = False


def _description_end(line: Line, money: list[Money]) -> int:
    """Where the row's tail of numbers, counts and codes begins."""
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(line.text)]
    cut = len(line.text)
    seen_number = False
    for start, _end, tok in reversed(toks):
        if _NUMBER_TOKEN.fullmatch(tok) or _QTY_MARK.fullmatch(tok):
            seen_number = True
        elif (_UNIT.fullmatch(tok) or is_currency(tok)) and seen_number:
            pass
        elif _CODE.fullmatch(tok) and not seen_number:
            pass  # a tax code printed after the amount ("15.00 S")
        else:
            break
        cut = start
    # a size in the name stays in it ("MILK 1.5L 3.50"), a weight sold by the unit does not ("1.25KG @ 2.00")
    sizes = [
        m.end()
        for m in MEASURE.finditer(line.text, 0, money[-1].start)
        if letters(line.text[: m.start()]) >= 2 and not _SOLD_BY.match(line.text, m.end())
    ]
    cut = max([cut, *sizes])
    # an amount inside the words part ends the description, unless it leads the row (a count or a weight)
    inner = [m for m in money if m.start < cut and letters(line.text[: m.start]) >= 2]
    return min(cut, inner[0].start) if inner else cut


def is_words_only(line: Line, runs: list[Run], allow_integers: bool) -> bool:
    """A line with a name and no amount (a size or count in it, '14" DISC (1 PC)', is not an amount)."""
    if any(m.has_decimals or allow_integers for r in runs for m in r.amounts):
        return False
    if runs and runs[0].label.label in (Label.TOTAL, Label.SUBTOTAL, Label.CHANGE):
        return False
    # a weight line under an item ("0.236 KG / SP") has no name in it
    return letters(MEASURE.sub(" ", line.text)) >= 3 and not _is_table_header(line)


@dataclass(slots=True)
class RuleItems:
    """What the hand rules read: the zone, their items by line, and the lines that went into descriptions
    (the learned choice in item_rows.py starts from these and must not give those lines out twice)."""

    zone: tuple[int, int]
    items: dict[int, LineItem]
    described_by: set[int]  # lines taken as descriptions


def rule_items(lines: Sequence[Line], runs_by_line: Sequence[list[Run]], first: int, allow_integers: bool) -> RuleItems:
    start, end = item_zone(lines, runs_by_line, first)
    rows: list[_Row] = []
    words_only: list[int] = []  # lines of words alone
    named: list[int] = []  # ... and those with a size or count in the name ('14" DISC (1 PC)')
    for i in range(start, end):
        runs = runs_by_line[i]
        line = lines[i]
        if is_words_only(line, runs, allow_integers):
            named.append(i)
            if not any(r.amounts for r in runs):
                words_only.append(i)
            continue
        if not runs or any(r.label.label is not Label.NONE for r in runs if r.amounts):
            continue
        money = [m for r in runs for m in r.amounts if m.has_decimals or allow_integers]
        if not money or line.span_box(money[-1].start, money[-1].end).x1 < 0.45:
            continue
        rows.append(row_of(i, line, money))
    _attach_descriptions(rows, words_only, named, lines)
    items = {row.index: item for row in rows if (item := _item(row)) is not None}
    at = {id(ln): i for i, ln in enumerate(lines)}
    used = {at[id(ln)] for row in rows if row.index in items for ln in row.description}
    return RuleItems((start, end), items, used)


def row_of(index: int, line: Line, money: list[Money]) -> _Row:
    """A candidate row as the rules cut it: where its description ends, and whether it has one of its own."""
    cut = _description_end(line, money)
    desc = _LEADING_CODE.sub(lambda m: " " * len(m.group(0)), line.text[:cut])
    return _Row(index, line, money, cut, own_text=letters(desc) >= 2 and not _codes_only(desc))


def item_of(row: _Row, above: Line | None) -> LineItem | None:
    """The item a row reads as, its description from the row or, for a row of numbers, the line above."""
    if not row.own_text and above is not None:
        row.description.append(above)
    return _item(row)


def _codes_only(text: str) -> bool:
    """A row whose only text is product codes ("10273 GA18011": three digits or more, two capitals
    at most, where "Peps1", "(705)Kop1" or "2kunafa" is a name): its name is on another line."""
    return all(sum(c.isdigit() for c in t) >= 3 and letters(t) <= 2 and t == t.upper() for t in text.split())


def _names_after_numbers(rows: list[_Row], named: list[int], lines: Sequence[Line]) -> bool:
    """Tills that print an item's code and numbers first and its name on the line after: the
    items open with a row of numbers alone, with no words above it since the column headings,
    and a name line follows most such rows and the last."""
    if len(rows) < 2 or not named or named[0] < rows[0].index or rows[0].own_text:
        return False
    first = rows[0].index
    if first > 0 and letters(lines[first - 1].text) >= 3 and not _is_table_header(lines[first - 1]):
        return False  # a name (or a size: "COCA COLA 1.5L") over the first numbers row
    bare = [r for r in rows if not r.own_text]
    followed = sum(1 for r in bare if r.index + 1 in named)
    # between rows a name line sits under one and over the next: the last row tells which
    last_named = bare[-1].index + 1 in named
    return len(bare) >= 2 and len(bare) * 2 >= len(rows) and followed * 2 > len(bare) and last_named


def _attach_descriptions(rows: list[_Row], words_only: list[int], named: list[int], lines: Sequence[Line]) -> None:
    """Give each words-only line to the item it describes: the numbers row below it, else the item
    above; on tills that print names under their numbers, the row above it."""
    by_index = {r.index: r for r in rows}
    taken: set[int] = set()
    if _names_after_numbers(rows, named, lines):
        for row in rows:
            i = row.index + 1
            while i in named and len(row.description) < 2:
                row.description.append(lines[i])
                i += 1
        return
    for i in words_only:
        below = by_index.get(i + 1)
        above = by_index.get(i - 1)
        if below is not None and not below.own_text and not below.description:
            below.description.append(lines[i])
            taken.add(i)
        elif above is not None and (above.own_text or above.description) and _continues(lines[i], above):
            above.description.append(lines[i])
            taken.add(i)
    for row in rows:
        if row.own_text or row.description:
            continue
        below_line = row.index + 1
        if below_line in words_only and below_line not in taken:
            row.description.append(lines[below_line])
            taken.add(below_line)


def _continues(line: Line, item: _Row) -> bool:
    """A words-only line right under an item, starting near its description, carries on its description."""
    gap = line.box.y0 - item.line.box.y1
    return gap < 1.0 * max(item.line.height, 1e-6) and abs(line.box.x0 - item.line.box.x0) < 0.12


def _item(row: _Row) -> LineItem | None:
    line = row.line
    amount = row.money[-1]
    fields: dict[str, Field] = {}
    lead = _LEADING_COUNT.match(line.text[: row.desc_end]) if row.own_text else None
    if row.own_text:
        text = line.text[: _name_number_end(row) or row.desc_end]
        s = lead.end() if lead else 0
        m = _LEADING_CODE.match(text, s)
        if m and letters(text[m.end() :]) >= 2:
            s = m.end()
        e = len(text.rstrip(" :-*@xX×"))
        code = _TRAILING_CODE.search(text[:e])
        if code and letters(text[s : code.start()]) >= 2:
            e = code.start()  # a barcode and tax flag printed after the name
        parts = [line.text[s:e].strip(), *(ln.text.strip() for ln in row.description)]
        value = " ".join(p for p in parts if p)
        desc = span_field(line, s, max(s, e), value, 0.7)
        if row.description:
            desc = lines_field([line, *row.description], value, 0.65)
    elif row.description:
        value = " ".join(ln.text.strip() for ln in row.description)
        desc = lines_field(row.description, value, 0.6)
    else:
        return None
    if not desc.value:
        return None
    fields["description"] = desc
    fields["amount"] = money_field(amount, 0.7)
    _quantity_price(row, lead, fields)
    fields["row"] = span_field(line, 0, len(line.text), line.text, 1.0)
    return LineItem(fields)


def _number(text: str) -> Decimal | None:
    raw = re.sub(r"[^\d.,]", "", text).replace(",", ".")
    if raw.count(".") > 1 or not raw or raw == ".":
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _quantity_price(row: _Row, lead: re.Match[str] | None, fields: dict[str, Field]) -> None:
    line = row.line
    amount = row.money[-1]
    prices = [m for m in row.money[:-1] if m.value > 0]
    counts: list[tuple[Decimal, int, int, bool]] = []  # value, start, end, marked with x/@
    if lead and (q0 := _number(lead.group("q"))) is not None and q0 > 0:
        counts.append((q0, lead.start("q"), lead.end("q"), True))
    for m in _TOKEN.finditer(line.text, row.desc_end, amount.start):
        tok = m.group(0)
        if any(p.start <= m.start() < p.end for p in prices):
            continue
        is_marked = bool(_QTY_MARK.fullmatch(tok)) and any(c.isdigit() for c in tok)
        if not (
            is_marked or re.fullmatch(r"\d{1,4}(?:[.,]\d{1,3})?(?:PCS?|EA|X|KGS?|LBS?|OZ|G|L)?", tok, re.IGNORECASE)
        ):
            continue
        n = _number(tok)
        if n is not None and 0 < n <= 9999:
            counts.append((n, m.start(), m.end(), is_marked))
    # quantity × unit price = amount settles both
    for q, qs, qe, _ in counts:
        for p in prices:
            if abs(q * p.value - amount.value) <= Decimal("0.01"):
                fields["quantity"] = span_field(line, qs, qe, q, 0.85)
                fields["unit_price"] = money_field(p, 0.85)
                return
    marked = [c for c in counts if c[3]]
    if marked:
        q, qs, qe, _ = marked[0]
        fields["quantity"] = span_field(line, qs, qe, q, 0.5)
    elif len(counts) == 1 and _could_be_count(counts[0][0], amount.value):
        q, qs, qe, _ = counts[0]
        fields["quantity"] = span_field(line, qs, qe, q, 0.4)
    if len(prices) == 1 and "quantity" not in fields and abs(prices[0].value - amount.value) <= Decimal("0.01"):
        fields["unit_price"] = money_field(prices[0], 0.6)


def _name_number_end(row: _Row) -> int | None:
    """Where a lone number between the name and the amount ends, when it cannot be a count: it is
    part of the name ("LG FLATSCREEN 65", a 65-inch set at 899.99)."""
    amount = row.money[-1]
    if len(row.money) > 1:
        return None
    # (the amount's own currency sign may sit between: "65 $899.99")
    m = re.fullmatch(r"\s*(\d{1,5})\s*[^\w\s]{0,2}\s*", row.line.text[row.desc_end : amount.start])
    if m is None or _could_be_count(Decimal(m.group(1)), amount.value):
        return None
    return row.desc_end + m.end(1)


def _could_be_count(q: Decimal, amount: Decimal) -> bool:
    """An unmarked whole number is a quantity only if the amount divides by it into whole cents:
    "LG TV 65 ... 899.99" is a 65-inch set, not 65 sets at 13.846."""
    if q != q.to_integral_value() or q <= 0:
        return False
    each = amount / q
    return each == each.quantize(Decimal("0.01"))
