"""Reading Textract's raw pieces: one expense field, its box, and the document-wide cues.

Textract returns values as printed ("$1,810.46", "12/07/2019"), so money
and dates go through the same core parsers as the offline provider. Which
way to read "03/04" or "1.234" is decided once per document, from what
the whole document says (its currency, its unambiguous dates, how its
amounts are written), not field by field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from receiptdesk.core.dates import DateOrder, find_dates, parse_date
from receiptdesk.core.document import Field, Value
from receiptdesk.core.fields import ValueKind
from receiptdesk.core.geometry import Box
from receiptdesk.core.locales import currency_date_order
from receiptdesk.core.money import ISO_CODES, currency_in, parse_amount

# Types whose value is an amount, used to learn how the document writes numbers.
MONEY_TYPES = frozenset(
    {
        "TOTAL",
        "SUBTOTAL",
        "TAX",
        "GRATUITY",
        "DISCOUNT",
        "AMOUNT_DUE",
        "AMOUNT_PAID",
        "PRIOR_BALANCE",
        "SERVICE_CHARGE",
        "SHIPPING_HANDLING_CHARGE",
        "PRICE",
        "UNIT_PRICE",
    }
)


@dataclass(frozen=True, slots=True)
class Detected:
    """One ExpenseField, flattened."""

    type: str
    text: str
    label: str | None
    page: int
    box: Box | None
    confidence: float  # 0..1, of the value's own detection
    groups: tuple[str, ...]
    currency: str | None
    order: int  # position in the response, the tie-break
    label_box: Box | None = None
    label_confidence: float | None = None  # 0..1, of the label's detection


@dataclass(frozen=True, slots=True)
class Cues:
    """How this document writes money and dates."""

    currency: str | None = None
    decimal_comma: bool | None = None
    date_order: DateOrder | None = None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def box_of(detection: dict[str, Any]) -> Box | None:
    bb = as_dict(as_dict(detection.get("Geometry")).get("BoundingBox"))
    try:
        left, top = float(bb["Left"]), float(bb["Top"])
        width, height = float(bb["Width"]), float(bb["Height"])
    except (KeyError, TypeError, ValueError):
        return None
    return Box.from_ltwh(left, top, width, height)


def _percent(value: Any) -> float | None:
    try:
        return max(0.0, min(1.0, float(value) / 100.0))
    except (TypeError, ValueError):
        return None


def clean(text: str, *, multiline: bool = False) -> str:
    """The printed text without stray rules and dashes ("META\\n-" -> "META"), lines kept or joined."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if any(c.isalnum() for c in line)]
    return ("\n" if multiline else " ").join(lines)


def detect(raw: Any, order: int) -> Detected | None:
    """Flatten one ExpenseField; None when it carries neither a value nor a label.

    A field printed with its label and an empty value ("Due date:" and nothing after) is kept:
    the user sees where the value should have been.
    """
    f = as_dict(raw)
    value = as_dict(f.get("ValueDetection"))
    text = value.get("Text")
    text = text if isinstance(text, str) else ""
    label_det = as_dict(f.get("LabelDetection"))
    label_text = label_det.get("Text")
    label = clean(label_text) if isinstance(label_text, str) else None
    if not text.strip() and not label:
        return None
    type_det = as_dict(f.get("Type"))
    ftype = str(type_det.get("Text") or "OTHER").upper()
    groups = tuple(str(t).upper() for g in as_list(f.get("GroupProperties")) for t in as_list(as_dict(g).get("Types")))
    code = as_dict(f.get("Currency")).get("Code")
    page = f.get("PageNumber")
    return Detected(
        type=ftype,
        text=text,
        label=label or None,
        page=page if isinstance(page, int) and page >= 1 else 1,
        box=box_of(value),
        confidence=_percent(value.get("Confidence")) or 0.0,
        groups=groups,
        currency=code.upper() if isinstance(code, str) and len(code) == 3 else None,
        order=order,
        label_box=box_of(label_det) if label else None,
        label_confidence=_percent(label_det.get("Confidence")) if label else None,
    )


def iter_fields(expense_document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every ExpenseField of a document: summary fields, then line item fields."""
    for f in as_list(expense_document.get("SummaryFields")):
        yield as_dict(f)
    for group in as_list(expense_document.get("LineItemGroups")):
        for item in as_list(as_dict(group).get("LineItems")):
            for f in as_list(as_dict(item).get("LineItemExpenseFields")):
                yield as_dict(f)


def _field_text(f: dict[str, Any]) -> str:
    text = as_dict(f.get("ValueDetection")).get("Text")
    return text if isinstance(text, str) else ""


def _field_type(f: dict[str, Any]) -> str:
    return str(as_dict(f.get("Type")).get("Text") or "").upper()


def read_cues(documents: list[dict[str, Any]], lines: Iterable[str], fallback_order: DateOrder | None) -> Cues:
    fields = [f for doc in documents for f in iter_fields(doc)]
    money_texts = [_field_text(f) for f in fields if _field_type(f) in MONEY_TYPES]
    codes = Counter(
        code.upper()
        for f in fields
        if isinstance(code := as_dict(f.get("Currency")).get("Code"), str) and code.upper() in ISO_CODES
    )
    currency = codes.most_common(1)[0][0] if codes else None
    if currency is None:
        named = Counter(c for t in money_texts if (c := currency_in(t)))
        currency = named.most_common(1)[0][0] if named else None
    order = _date_order_from(list(lines) + [_field_text(f) for f in fields])
    if order is None and currency_date_order(currency) == DateOrder.MDY:
        order = DateOrder.MDY
    return Cues(currency=currency, decimal_comma=_decimal_comma(money_texts), date_order=order or fallback_order)


_COMMA_DECIMAL = re.compile(r"\d,\d{2}(?!\d)")
_DOT_DECIMAL = re.compile(r"\d\.\d{2}(?!\d)")


def _decimal_comma(texts: list[str]) -> bool | None:
    commas = sum(1 for t in texts if _COMMA_DECIMAL.search(t) and not _DOT_DECIMAL.search(t))
    dots = sum(1 for t in texts if _DOT_DECIMAL.search(t))
    if commas > dots:
        return True
    if dots > commas:
        return False
    return None


def _date_order_from(texts: list[str]) -> DateOrder | None:
    """DMY or MDY when the document prints a date only one of them can read (31/01, 01/31)."""
    votes: Counter[DateOrder] = Counter()
    for text in texts:
        for m in find_dates(text, order=DateOrder.DMY):
            if m.order not in (DateOrder.DMY, DateOrder.MDY) or m.ambiguous:
                continue
            again = parse_date(text[m.start : m.end], order=DateOrder.MDY)
            if again is not None and again.order is m.order:  # the same reading whichever is preferred
                votes[m.order] += 1
    if not votes:
        return None
    (first, n), *rest = votes.most_common()
    return first if not rest or rest[0][1] < n else None


def read_value(
    kind: ValueKind, text: str, cues: Cues, *, multiline: bool = False
) -> tuple[Value | None, tuple[str, ...]]:
    """The typed value of a printed text, with flags ("ambiguous_date") for what the reader should check."""
    if kind in (ValueKind.MONEY, ValueKind.NUMBER):
        amount = parse_amount(text, decimal_comma=cues.decimal_comma)
        return (amount.value if amount else None), ()
    if kind is ValueKind.DATE:
        m = parse_date(text, order=cues.date_order)
        if m is None:
            return None, ()
        return m.value, (("ambiguous_date",) if m.ambiguous else ())
    cleaned = clean(text, multiline=multiline)
    return (cleaned or None), ()


def to_field(
    d: Detected, kind: ValueKind, cues: Cues, *, multiline: bool = False, label_decides: bool = False
) -> Field:
    """The canonical field of one detection.

    Its confidence is the value detection's own (how sure Textract is of the printed text), not
    the type's: Textract types line items at 70 % while reading them at 99.9 %, and the type is
    shown by where the value lands, not by this number. Where the printed label decides what the
    field is (an OTHER field named by its label, an address owned by "Ship to"), the label's
    confidence counts too: the lower of the two.
    """
    value, flags = read_value(kind, d.text, cues, multiline=multiline)
    confidence = d.confidence
    if label_decides and d.label_confidence is not None:
        confidence = min(confidence, d.label_confidence)
    return Field(
        value=value,
        text=d.text,
        confidence=confidence,
        page=d.page,
        box=d.box,
        label=d.label,
        flags=flags,
        label_box=d.label_box,
        label_confidence=d.label_confidence,
        currency=d.currency,
    )
