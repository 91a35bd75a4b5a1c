"""The canonical field names, what kind of value each holds, and what users call it.

One table for every provider (DESIGN.md): the local parser, Textract and
Azure all write these names; the editor, exports and validation read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ValueKind(StrEnum):
    MONEY = "money"  # Decimal
    NUMBER = "number"  # Decimal (quantities)
    DATE = "date"  # datetime.date
    TIME = "time"  # "HH:MM[:SS]"
    TEXT = "text"  # str


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: ValueKind
    label: str  # in the user's words


def _specs(*rows: tuple[str, ValueKind, str]) -> dict[str, FieldSpec]:
    return {name: FieldSpec(name, kind, label) for name, kind, label in rows}


M, N, D, T, X = ValueKind.MONEY, ValueKind.NUMBER, ValueKind.DATE, ValueKind.TIME, ValueKind.TEXT

# Document-level fields, in the order the editor shows them.
FIELDS: dict[str, FieldSpec] = _specs(
    ("vendor_name", X, "Vendor"),
    ("date", D, "Date"),
    ("total", M, "Total"),
    ("subtotal", M, "Subtotal"),
    ("total_tax", M, "Tax"),
    ("tip", M, "Tip"),
    ("discount", M, "Discount"),
    ("service_charge", M, "Service charge"),
    ("shipping", M, "Shipping and handling"),
    ("amount_due", M, "Amount due"),
    ("amount_paid", M, "Amount paid"),
    ("previous_balance", M, "Previous balance"),
    ("time", T, "Time"),
    ("vendor_address", X, "Vendor address"),
    ("vendor_phone", X, "Vendor phone"),
    ("vendor_tax_id", X, "Vendor tax ID"),
    ("invoice_id", X, "Invoice / receipt number"),
    ("purchase_order", X, "Purchase order"),
    ("due_date", D, "Due date"),
    ("order_date", D, "Order date"),
    ("delivery_date", D, "Delivery date"),
    ("payment_terms", X, "Payment terms"),
    ("customer_name", X, "Customer"),
    ("customer_address", X, "Customer address"),
    ("billing_address", X, "Billing address"),
    ("shipping_address", X, "Shipping address"),
    ("service_start_date", D, "Service from"),
    ("service_end_date", D, "Service to"),
)

# The fields every document shows in the editor even when empty.
KEY_FIELDS: tuple[str, ...] = ("vendor_name", "date", "total", "subtotal", "total_tax")

LINE_ITEM_FIELDS: dict[str, FieldSpec] = _specs(
    ("description", X, "Description"),
    ("quantity", N, "Qty"),
    ("unit", X, "Unit"),
    ("unit_price", M, "Unit price"),
    ("amount", M, "Amount"),
    ("product_code", X, "Product code"),
    ("date", D, "Date"),
    ("tax", M, "Tax"),
    ("row", X, "Row as printed"),
)

MONEY_FIELDS = tuple(n for n, s in FIELDS.items() if s.kind is ValueKind.MONEY)


def spec_for(name: str, *, line_item: bool = False) -> FieldSpec:
    """The spec of a canonical name; unknown names (the `extra` ones) are text."""
    table = LINE_ITEM_FIELDS if line_item else FIELDS
    return table.get(name) or FieldSpec(name, ValueKind.TEXT, name)


def title_of(path: str) -> str:
    """A value's name in the user's words: "total" -> "Total"; "line_items.2.amount" -> "Amount on line 3"."""
    if path == "currency":
        return "Currency"
    if path == "line_items":
        return "line items"
    if path.startswith("line_items."):
        _, row, name = path.split(".", 2)
        spec = LINE_ITEM_FIELDS.get(name)
        return f"{spec.label if spec else name} on line {int(row) + 1}"
    doc = FIELDS.get(path)
    return doc.label if doc else path.replace("_", " ")


def kind_of(path: str) -> str:
    """What a value is, for the colour of its box: "name", "date", "amount" or "item"."""
    if path.startswith("line_items."):
        return "item"
    spec = FIELDS.get(path)
    if spec is None or spec.kind is ValueKind.TEXT:
        return "name"
    return "date" if spec.kind in (ValueKind.DATE, ValueKind.TIME) else "amount"


def document_count(n: int) -> str:
    """How many documents, as the window and the command line say it: "1 document", "1,204 documents"."""
    return f"{n:,} document{'s' if n != 1 else ''}"
