"""What the user typed into a field, read with the same parsers as the documents.

A user types "12,50", "$1,810.46" or "3 March 2024" the way receipts print
them; the editor stores the canonical form ("12.50", "2024-03-03"). Text
that cannot be read as the field's kind is refused with a message saying
what would be accepted, so nothing wrong is saved silently.
"""

from __future__ import annotations

import re
from decimal import Decimal

from receiptdesk.core.dates import DateOrder, find_dates, parse_time
from receiptdesk.core.document import Value
from receiptdesk.core.fields import ValueKind, spec_for
from receiptdesk.core.money import ISO_CODES, currency_in, find_amounts

_QUANTITY = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_SIGNS = re.compile(r"[\s+\-−–()]")


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
    if spec.kind is ValueKind.NUMBER:
        if not _QUANTITY.fullmatch(text):
            raise NotUnderstood(f"“{text}” is not a quantity. Type a number, like 2 or 0.5.")
        return Decimal(text.replace(",", "."))
    if spec.kind is ValueKind.MONEY:
        return _amount(text)
    if spec.kind is ValueKind.DATE:
        dates = find_dates(text, order=order)
        if len(dates) != 1 or _has_digits(text[: dates[0].start] + text[dates[0].end :]):
            raise NotUnderstood(f"“{text}” is not a date. Type it like 2024-03-31 or 31 March 2024.")
        return dates[0].value
    if spec.kind is ValueKind.TIME:
        time = parse_time(text)
        if time is None:
            raise NotUnderstood(f"“{text}” is not a time of day. Type it like 14:05.")
        return time
    return text


def _has_digits(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _amount(text: str) -> Decimal:
    """One amount and nothing else but a currency and a sign: "12,50", "$1,810.46", "-5.00 EUR"."""
    found = find_amounts(text)
    rest = _SIGNS.sub("", text[: found[0].start] + text[found[0].end :]) if len(found) == 1 else text
    if len(found) != 1 or (rest and (len(rest) > 3 or currency_in(rest) is None)):
        raise NotUnderstood(f"“{text}” is not an amount. Type a number, like 12.50 or 1,234.00.")
    return found[0].amount.value
