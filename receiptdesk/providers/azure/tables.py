"""Line items from a table, for results whose model gave no Items.

The v2.1 invoice model returns the item table in the layout (pageResults
tables) but no Items field when it could not fill one: the sample invoice's
only line item is in its table. A table is an item table when its header
row names a description column and an amount (or quantity and price)
column, in any of the usual words; other tables (salesperson, PO, terms)
are left alone. Values are typed from the printed text; each keeps its
cell's box.
"""

from __future__ import annotations

import re

from receiptdesk.core.document import Field, LineItem, Value
from receiptdesk.core.fields import LINE_ITEM_FIELDS, ValueKind
from receiptdesk.core.geometry import enclosing
from receiptdesk.core.money import parse_amount
from receiptdesk.providers.azure.parts import Cell, Table

_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("quantity", re.compile(r"^(?:qty|quantity|qté|menge|anz(?:ahl)?|units?|hours|hrs)\b", re.I)),
    ("unit_price", re.compile(r"\b(?:unit\s*price|price|rate|unit\s*cost|each|preis|prix)\b", re.I)),
    ("amount", re.compile(r"\b(?:total|amount|line\s*total|subtotal|betrag|montant|importe)\b", re.I)),
    ("product_code", re.compile(r"\b(?:item\s*(?:no|#|code)|sku|code|part\s*(?:no|#)|art(?:ikel)?\.?\s*nr)\b", re.I)),
    (
        "description",
        re.compile(r"\b(?:description|item|product|service|details?|article|bezeichnung|désignation)\b", re.I),
    ),
)


def _column_names(header: list[Cell]) -> dict[int, str]:
    names: dict[int, str] = {}
    for cell in header:
        for name, pattern in _COLUMNS:
            if pattern.search(cell.text) and name not in names.values():
                names[cell.column] = name
                break
    return names


def table_items(tables: list[Table]) -> list[LineItem]:
    """The rows of every item table, in order; empty rows skipped."""
    items: list[LineItem] = []
    for table in tables:
        header_cells = [c for c in table.cells if c.header] or [c for c in table.cells if c.row == 0]
        if not header_cells:
            continue
        header_rows = {c.row for c in header_cells}
        names = _column_names(header_cells)
        values = set(names.values())
        if "description" not in values or not values & {"amount", "unit_price"}:
            continue
        rows: dict[int, list[Cell]] = {}
        for c in table.cells:
            if c.row not in header_rows:
                rows.setdefault(c.row, []).append(c)
        for row in sorted(rows):
            item = _item(rows[row], names)
            if item is not None:
                items.append(item)
    return items


def _item(cells: list[Cell], names: dict[int, str]) -> LineItem | None:
    filled = [c for c in sorted(cells, key=lambda c: c.column) if c.text.strip()]
    if not filled:
        return None
    item = LineItem()
    for c in filled:
        name = names.get(c.column)
        if name is None:
            item.extra[f"column {c.column + 1}"] = Field(c.text, c.text, c.confidence, c.page, c.box)
            continue
        kind = LINE_ITEM_FIELDS[name].kind
        value: Value | None = c.text.strip()
        if kind in (ValueKind.MONEY, ValueKind.NUMBER):
            amount = parse_amount(c.text)
            value = amount.value if amount else None
        item.fields[name] = Field(value, c.text, c.confidence, c.page, c.box)
    row_text = " ".join(c.text.strip() for c in filled)
    box = enclosing([c.box for c in filled if c.box is not None])
    item.fields["row"] = Field(row_text, row_text, min(c.confidence for c in filled), filled[0].page, box)
    return item
