"""Textract's expense field types and how they land on the canonical names.

The table follows DESIGN.md, completed from the reference pages in
../shared/data/responses/textract/docs (invoices-receipts.md lists the
standard types, expensedocuments.md the group types). Types with no
canonical name (CITY, VENDOR_URL, CUSTOMER_NUMBER ...) and OTHER go to
`extra`, never dropped. A priority says which of several candidates for
one canonical name is the more direct reading.
"""

from __future__ import annotations

import re

# Textract summary type -> (canonical name, priority). Higher priority wins a tie.
SUMMARY_TYPES: dict[str, tuple[str, float]] = {
    "VENDOR_NAME": ("vendor_name", 2),
    "VENDOR_ADDRESS": ("vendor_address", 2),
    "VENDOR_PHONE": ("vendor_phone", 2),
    "TAX_PAYER_ID": ("vendor_tax_id", 2),
    "VENDOR_VAT_NUMBER": ("vendor_tax_id", 1),
    "VENDOR_GST_NUMBER": ("vendor_tax_id", 1),
    "VENDOR_ABN_NUMBER": ("vendor_tax_id", 1),
    "VENDOR_PAN_NUMBER": ("vendor_tax_id", 1),
    "RECEIVER_NAME": ("customer_name", 2),
    "RECEIVER_ADDRESS": ("customer_address", 2),
    "INVOICE_RECEIPT_ID": ("invoice_id", 2),
    "PO_NUMBER": ("purchase_order", 2),
    "INVOICE_RECEIPT_DATE": ("date", 2),
    "DUE_DATE": ("due_date", 2),
    "ORDER_DATE": ("order_date", 2),
    "DELIVERY_DATE": ("delivery_date", 2),
    "SUBTOTAL": ("subtotal", 2),
    "TAX": ("total_tax", 2),
    "GRATUITY": ("tip", 2),
    "DISCOUNT": ("discount", 2),
    "SERVICE_CHARGE": ("service_charge", 2),
    "SHIPPING_HANDLING_CHARGE": ("shipping", 2),
    "TOTAL": ("total", 2),
    "AMOUNT_DUE": ("amount_due", 2),
    "AMOUNT_PAID": ("amount_paid", 2),
    "PRIOR_BALANCE": ("previous_balance", 2),
    "PAYMENT_TERMS": ("payment_terms", 2),
}

# Types whose owner (vendor or customer) only the GroupProperties tell.
GROUPED_TYPES = frozenset({"NAME", "ADDRESS", "ADDRESS_BLOCK"})

# Group types (expensedocuments.md) -> who they describe. The plain VENDOR and
# RECEIVER appear in real responses from 2022 on.
VENDOR_GROUPS = frozenset({"VENDOR", "VENDOR_SUPPLIER", "VENDOR_REMIT_TO"})
RECEIVER_GROUPS = frozenset({"RECEIVER", "RECEIVER_SOLD_TO", "RECEIVER_BILL_TO", "RECEIVER_SHIP_TO"})


def label_decides(textract_type: str, groups: tuple[str, ...]) -> bool:
    """Whether the printed label, not Textract's type, says what the field is."""
    if textract_type == "OTHER":
        return True
    owned = VENDOR_GROUPS | RECEIVER_GROUPS
    return textract_type in GROUPED_TYPES and not any(g in owned for g in groups)


def grouped_name(textract_type: str, groups: tuple[str, ...], label: str | None) -> tuple[str, float] | None:
    """The canonical name of a NAME/ADDRESS/ADDRESS_BLOCK field from its group, else from its printed label."""
    is_name = textract_type == "NAME"
    # An ADDRESS_BLOCK is the address without the name lines: a second choice.
    base = 1.0 if textract_type != "ADDRESS_BLOCK" else 0.5
    if any(g in VENDOR_GROUPS for g in groups):
        # A remit-to address is where to pay, not where the vendor is.
        prio = base - (0.25 if "VENDOR_REMIT_TO" in groups and "VENDOR" not in groups else 0)
        return ("vendor_name" if is_name else "vendor_address"), prio
    if "RECEIVER_SHIP_TO" in groups and "RECEIVER" not in groups:
        return ("customer_name", base - 0.25) if is_name else ("shipping_address", base)
    if "RECEIVER_BILL_TO" in groups and "RECEIVER" not in groups:
        return ("customer_name", base) if is_name else ("billing_address", base)
    if any(g in RECEIVER_GROUPS for g in groups):
        return ("customer_name" if is_name else "customer_address"), base
    # 2021 responses have no groups; the printed label ("SHIP TO", "Bill to") still says whose it is.
    cue = (label or "").lower()
    if re.search(r"\bship(?:ping)?\s*to\b|\bdeliver(?:y|ed)?\s*to\b", cue):
        return ("customer_name", base - 0.25) if is_name else ("shipping_address", base)
    if re.search(r"\bbill(?:ing)?\s*to\b|\binvoice\s*to\b", cue):
        return ("customer_name", base) if is_name else ("billing_address", base)
    if re.search(r"\bsold\s*to\b|\bcustomer\b|\bclient\b", cue):
        return ("customer_name" if is_name else "customer_address"), base
    return None


# Line item types -> (canonical line item name, priority). DESCRIPTION and TOTAL
# inside line items appear in 2021 responses.
LINE_ITEM_TYPES: dict[str, tuple[str, float]] = {
    "ITEM": ("description", 2),
    "DESCRIPTION": ("description", 1),
    "QUANTITY": ("quantity", 2),
    "UNIT_PRICE": ("unit_price", 2),
    "PRICE": ("amount", 2),
    "TOTAL": ("amount", 1),
    "PRODUCT_CODE": ("product_code", 2),
    "EXPENSE_ROW": ("row", 2),
}

# Canonical names whose value reads best with its line breaks kept.
MULTILINE = frozenset({"vendor_address", "customer_address", "billing_address", "shipping_address"})

# Printed labels that say a TOTAL / AMOUNT_DUE is the amount to pay, and ones that say it is something else.
_PAYABLE = re.compile(
    r"\b(?:grand\s*total|total(?:\s*(?:due|amount|payable|to\s*pay))?|amount\s*(?:due|payable)|balance\s*due|"
    r"invoice\s*total|total\s*(?:a\s*)?pagar|gesamt(?:betrag|summe)?|summe|montant|totale?|importe)\b",
    re.IGNORECASE,
)
_NOT_PAYABLE = re.compile(
    r"sub|tax|vat|gst|saving|discount|items?\b|qty|quantity|count|change|tip|gratuity|paid|tend|cash|"
    r"previous|prior|points|weight|net\b",
    re.IGNORECASE,
)
# "Total incl. VAT" is still the total: the tax it mentions is inside it.
_INCLUDING_TAX = re.compile(
    r"\b(?:incl(?:uding|\.)?|inkl\.?|with|w/)\s*(?:\w+\s+)?(?:tax(?:es)?|vat|gst|mwst)\b", re.IGNORECASE
)
# A name printed after "Attn:" is a contact person, not the company billed.
_CONTACT = re.compile(r"\b(?:attn|attention|c/o|contact|z\.?\s*hd)\b", re.IGNORECASE)


def payable_label_score(label: str | None) -> float:
    """+1 for a label that names the amount to pay, -1.5 for one that names a part of it; 0 unknown."""
    if not label:
        return 0.0
    label = _INCLUDING_TAX.sub(" ", label)
    if _NOT_PAYABLE.search(label):
        return -1.5
    return 1.0 if _PAYABLE.search(label) else 0.0


def is_contact_label(label: str | None) -> bool:
    return bool(label and _CONTACT.search(label))
