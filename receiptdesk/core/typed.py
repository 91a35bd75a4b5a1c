"""What the user typed into a field, read with the same parsers as the documents.

A user types "12,50", "$1,810.46" or "3 March 2024" the way receipts print
them; the editor stores the canonical form ("12.50", "2024-03-03"). Text
that cannot be read as the field's kind is refused with a message saying
what would be accepted, so nothing wrong is saved silently.
"""

from __future__ import annotations

from receiptdesk.core.dates import DateOrder, parse_date, parse_time
from receiptdesk.core.document import Value
from receiptdesk.core.fields import ValueKind, spec_for
from receiptdesk.core.money import ISO_CODES, parse_amount


class NotUnderstood(ValueError):
    """The typed text is not a value of the field's kind; the message says what is."""


def read_typed(name: str, text: str, *, line_item: bool = False, order: DateOrder | None = None) -> Value | None:
    """The value of `text` for field `name`; None clears the field."""
    text = text.strip()
    if not text:
        return None
    if name == "currency":
        code = text.upper()
        if code not in ISO_CODES:
            raise NotUnderstood(f"“{text}” is not a currency code. Type three letters, like EUR, USD or MYR.")
        return code
    spec = spec_for(name, line_item=line_item)
    if spec.kind in (ValueKind.MONEY, ValueKind.NUMBER):
        amount = parse_amount(text)
        if amount is None:
            raise NotUnderstood(f"“{text}” is not an amount. Type a number, like 12.50 or 1,234.00.")
        return amount.value
    if spec.kind is ValueKind.DATE:
        found = parse_date(text, order=order)
        if found is None:
            raise NotUnderstood(f"“{text}” is not a date. Type it like 2024-03-31 or 31 March 2024.")
        return found.value
    if spec.kind is ValueKind.TIME:
        time = parse_time(text)
        if time is None:
            raise NotUnderstood(f"“{text}” is not a time of day. Type it like 14:05.")
        return time
    return text
