"""One Azure field (any generation) -> a canonical `Field`, or flat `extra` entries.

Both generations describe a field the same way (a `type`, a `value<Type>`
key, a confidence) and differ only in where the printed text and the
geometry live; `FieldReader` holds the shared rules and the two mappers
say where to look. Values are typed from what the service normalised
(valueCurrency, valueNumber, valueDate ...); the printed text is kept
beside them so the user sees both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from receiptdesk.core.dates import find_dates, parse_date
from receiptdesk.core.document import Field, Page, Value
from receiptdesk.core.fields import ValueKind
from receiptdesk.core.geometry import Box
from receiptdesk.core.money import currency_in, money_str, parse_amount, to_decimal

Json = Mapping[str, Any]
AMBIGUOUS_DATE = "ambiguous_date"

# Scalar value keys, in the order a field is most likely to carry them.
_SCALAR_KEYS = (
    "valueString",
    "valuePhoneNumber",
    "valueCountryRegion",
    "valueSelectionMark",
    "valueBoolean",
    "valueInteger",
    "valueNumber",
    "valueDate",
    "valueTime",
    "valueSignature",
    "valueSelectionGroup",
)


def squeeze(text: str | None) -> str | None:
    """Text on one line: "123 Main Street\\nRedmond" -> "123 Main Street Redmond"."""
    if text is None:
        return None
    out = " ".join(text.split())
    return out or None


def _iso_date(raw: object) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None


def date_is_ambiguous(value: date, printed: str | None) -> bool:
    """The printed date reads as `value` one way and as another date the other way (03/04/2024)."""
    if not printed:
        return False
    for m in find_dates(printed):
        readings = {m.value, *m.alternatives}
        if value in readings and len(readings) > 1:
            return True
    return False


def time_value(raw: object) -> str | None:
    """ "13:59:00" -> "13:59" (seconds kept when they are not zero)."""
    text = str(raw or "").strip()
    if not text:
        return None
    return text[:5] if text[5:] in ("", ":00") and len(text) >= 5 else text


class FieldReader:
    """The rules for one response; subclasses say where text and geometry are."""

    def __init__(self, pages: Mapping[int, Page]) -> None:
        self.pages = pages
        self.currencies: list[str] = []  # ISO codes met on money values, in order

    # --- where a generation keeps things (overridden) ---------------------------------
    def text(self, f: Json) -> str | None:
        raise NotImplementedError

    def where(self, f: Json) -> tuple[int | None, Box | None]:
        raise NotImplementedError

    # --- shared ----------------------------------------------------------------------
    def box(self, page: int | None, polygon: object) -> Box | None:
        p = self.pages.get(page) if page is not None else None
        if p is None or not isinstance(polygon, list) or p.width <= 0 or p.height <= 0:
            return None
        try:
            return Box.from_polygon([float(v) for v in polygon], p.width, p.height)
        except (TypeError, ValueError):
            return None

    def field(self, f: Json, kind: ValueKind) -> Field:
        """A canonical field typed as `kind`; a type without a value gives an empty field."""
        text = self.text(f)
        page, box = self.where(f)
        flags: tuple[str, ...] = ()
        value: Value | None
        currency: str | None = None
        if kind is ValueKind.MONEY:
            before = len(self.currencies)
            value = self.money(f, text)
            currency = self.currencies[-1] if len(self.currencies) > before else None
        elif kind is ValueKind.NUMBER:
            value = self.number(f, text)
        elif kind is ValueKind.DATE:
            value = self.date(f, text)
            if isinstance(value, date) and date_is_ambiguous(value, text):
                flags = (AMBIGUOUS_DATE,)
        elif kind is ValueKind.TIME:
            value = time_value(f.get("valueTime")) or (squeeze(text) if f.get("type") == "string" else None)
        else:
            value = self.plain(f, text)
        return Field(value, text, float(f.get("confidence") or 0.0), page, box, flags=flags, currency=currency)

    def money(self, f: Json, text: str | None) -> Decimal | None:
        cur = f.get("valueCurrency")
        if isinstance(cur, Mapping):
            code = cur.get("currencyCode")
            symbol = cur.get("currencySymbol")
            if isinstance(code, str) and len(code) == 3 and code.isalpha():
                self.currencies.append(code.upper())
            elif isinstance(symbol, str) and (found := currency_in(symbol)):
                self.currencies.append(found)
            return to_decimal(cur.get("amount"))
        for key in ("valueNumber", "valueInteger"):
            if key in f:
                if text and (found := currency_in(text)):
                    self.currencies.append(found)
                return to_decimal(f[key])
        if f.get("type") == "string" and text:  # custom models read money as text
            amount = parse_amount(text)
            return amount.value if amount else None
        return None

    def number(self, f: Json, text: str | None) -> Decimal | None:
        for key in ("valueNumber", "valueInteger"):
            if key in f:
                return to_decimal(f[key])
        if f.get("type") == "string" and text:
            amount = parse_amount(text)
            return amount.value if amount else None
        return None

    def date(self, f: Json, text: str | None) -> date | None:
        if "valueDate" in f:
            return _iso_date(f["valueDate"])
        if f.get("type") == "string" and text:
            m = parse_date(text)
            return m.value if m else None
        return None

    def plain(self, f: Json, text: str | None) -> str | None:
        """The value as text: normalised where the service normalised it, else as printed."""
        if f.get("type") == "address" or "valueAddress" in f:
            return squeeze(text) or _address_line(f.get("valueAddress"))
        for key in _SCALAR_KEYS:
            if key in f and f[key] is not None:
                return _scalar_str(key, f[key])
        if "valueCurrency" in f:
            amount = self.money(f, text)
            return money_str(amount) if amount is not None else squeeze(text)
        if f.get("type") in ("array", "object"):
            return squeeze(text)
        return squeeze(text) if f.get("type") in (None, "string", "selectionMark") else None

    def extras(self, name: str, f: Json) -> Iterator[tuple[str, Field]]:
        """Every value under `name`, flattened: "TaxDetails.1.Amount", "VendorAddress.city"."""
        array = f.get("valueArray")
        obj = f.get("valueObject")
        if isinstance(array, list):
            for i, element in enumerate(array, start=1):
                if isinstance(element, Mapping):
                    yield from self.extras(f"{name}.{i}", element)
            return
        if isinstance(obj, Mapping):
            for sub, sf in obj.items():
                if isinstance(sf, Mapping):
                    yield from self.extras(f"{name}.{sub}", sf)
            return
        yield name, self.field(f, ValueKind.TEXT)
        yield from self.address_parts(name, f)

    def address_parts(self, name: str, f: Json) -> Iterator[tuple[str, Field]]:
        """valueAddress kept structured: one text entry per part, under the field's name."""
        parts = f.get("valueAddress")
        if not isinstance(parts, Mapping):
            return
        page, box = self.where(f)
        conf = float(f.get("confidence") or 0.0)
        for part, value in parts.items():
            text = squeeze(str(value)) if value is not None else None
            if text:
                yield f"{name}.{part}", Field(text, str(value), conf, page, box)


def _scalar_str(key: str, value: object) -> str | None:
    if key == "valueTime":
        return time_value(value)
    if key == "valueBoolean":
        return "yes" if value else "no"
    if key in ("valueNumber", "valueInteger"):
        d = to_decimal(value)
        return format(d.normalize(), "f") if d is not None else None
    if isinstance(value, (list, dict)):
        return None
    return squeeze(str(value))


def _address_line(parts: object) -> str | None:
    if not isinstance(parts, Mapping):
        return None
    keys: tuple[str, ...] = ("house", "houseNumber", "road", "unit", "city", "state", "postalCode", "countryRegion")
    if parts.get("streetAddress"):
        keys = ("streetAddress", "city", "state", "postalCode", "countryRegion")
    return squeeze(" ".join(str(parts[k]) for k in keys if parts.get(k)))
