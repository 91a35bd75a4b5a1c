"""Arithmetic and sanity checks, run after every extraction and every edit.

They tell the user where to look first: a total that is not the sum of its
parts, a line whose quantity times price is not its amount, a date that
reads two ways. A check never changes a value.
"""

from __future__ import annotations

from decimal import Decimal

from receiptdesk.core.dates import find_dates
from receiptdesk.core.document import Check, Document, Field
from receiptdesk.core.fields import FIELDS, ValueKind
from receiptdesk.core.money import money_str

OK, WARNING, FAILED = "ok", "warning", "failed"
TOLERANCE = Decimal("0.01")


def _money(doc: Document, name: str) -> Decimal | None:
    v = doc.value(name)
    return v if isinstance(v, Decimal) else None


def _close(a: Decimal, b: Decimal, parts: int = 1) -> bool:
    """Equal up to rounding of each part (a receipt rounds every line)."""
    return abs(a - b) <= TOLERANCE * max(1, parts)


# Amounts added to the subtotal on the way to the total; the discount is taken off.
CHARGES = ("total_tax", "tip", "service_charge", "shipping")


def check_total(doc: Document) -> Check | None:
    total = _money(doc, "total")
    subtotal = _money(doc, "subtotal")
    if total is None or subtotal is None:
        return None
    charges = {n: v for n in CHARGES if (v := _money(doc, n)) is not None}
    discount = abs(_money(doc, "discount") or Decimal(0))
    expected = subtotal + sum(charges.values(), Decimal(0)) - discount
    names = tuple(n for n in ("subtotal", *CHARGES, "discount", "total") if doc.value(n) is not None)
    parts = _joined([FIELDS[n].label.lower() for n in ("subtotal", *charges)]) + (
        " less the discount" if discount else ""
    )
    if _close(expected, total):
        return Check("total_arithmetic", OK, f"The {parts} add up to the total.", names)
    tax = charges.get("total_tax")
    if tax and _close(expected - tax, total):
        return Check("total_arithmetic", OK, "The total includes the tax.", names)
    terms = " + ".join(FIELDS[n].label.lower() for n in ("subtotal", *charges))
    terms = terms[0].upper() + terms[1:] + (" − discount" if discount else "")
    return Check(
        "total_arithmetic",
        FAILED,
        f"{terms} is {money_str(expected)}, but the total is {money_str(total)}.",
        names,
    )


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def check_line_sum(doc: Document) -> Check | None:
    amounts = [a for item in doc.line_items if isinstance(a := item.value("amount"), Decimal)]
    if not amounts:
        return None
    target_name = "subtotal" if _money(doc, "subtotal") is not None else "total"
    target = _money(doc, target_name)
    if target is None:
        return None
    line_sum = sum(amounts, Decimal(0))
    label = FIELDS[target_name].label.lower()
    if _close(line_sum, target, len(amounts)):
        return Check("line_sum", OK, f"The line items add up to the {label}.", (target_name,))
    if target_name == "total":
        # Without a subtotal the lines may leave out tax or tip, and the discount comes off them.
        other = sum((v for n in CHARGES if (v := _money(doc, n)) is not None), Decimal(0))
        discount = abs(_money(doc, "discount") or Decimal(0))
        if (other or discount) and _close(line_sum + other - discount, target, len(amounts) + 1):
            said = ", ".join(w for w, v in (("plus tax and charges", other), ("less the discount", discount)) if v)
            return Check("line_sum", OK, f"The line items {said} add up to the total.", (target_name,))
    return Check(
        "line_sum",
        WARNING,
        f"The line items add up to {money_str(line_sum)}, not the {label} {money_str(target)}. "
        "A line may be missing or misread.",
        (target_name,),
    )


def check_lines(doc: Document) -> list[Check]:
    out = []
    for i, item in enumerate(doc.line_items, start=1):
        q, p, a = item.value("quantity"), item.value("unit_price"), item.value("amount")
        if not (isinstance(q, Decimal) and isinstance(p, Decimal) and isinstance(a, Decimal)):
            continue
        if not _close(q * p, a):
            out.append(
                Check(
                    "line_arithmetic",
                    WARNING,
                    f"Line {i}: {q.normalize():f} × {money_str(p)} is {money_str(q * p)}, not {money_str(a)}.",
                    (f"line_items.{i - 1}",),
                )
            )
    return out


def _date_check(name: str, f: Field) -> Check | None:
    """Providers decide whether the document settles day and month; a flag says it did not."""
    label = FIELDS[name].label
    if f.value is None:
        if f.text:
            return Check("not_a_date", FAILED, f"{label} “{f.text}” is not a date.", (name,))
        return None
    if "ambiguous_date" in f.flags:
        return _ambiguous(name, f, _other_reading(f))
    return None


def _other_reading(f: Field) -> object:
    """The other way a flagged date's printed text reads (a provider flagged it, we say how)."""
    for m in find_dates(f.text or ""):
        readings = {m.value, *m.alternatives}
        if f.value in readings:
            others = sorted(r for r in readings if r != f.value)
            return others[0] if others else None
    return None


def _ambiguous(name: str, f: Field, other: object = None) -> Check:
    label = FIELDS[name].label
    alt = f" or {other}" if other else ""
    return Check(
        "ambiguous_date",
        WARNING,
        f"{label} “{f.text}” can be read as {f.value}{alt}: check the day and month.",
        (name,),
    )


def validate(doc: Document) -> list[Check]:
    """All checks for the document as it stands (extracted or edited)."""
    checks: list[Check] = []
    for name, f in doc.fields.items():
        spec = FIELDS.get(name)
        if spec is None:
            continue
        if spec.kind is ValueKind.MONEY and f.value is None and f.text:
            checks.append(Check("not_money", FAILED, f"{spec.label} “{f.text}” is not an amount.", (name,)))
        elif spec.kind is ValueKind.DATE and (c := _date_check(name, f)):
            checks.append(c)
    for c in (check_total(doc), check_line_sum(doc)):
        if c:
            checks.append(c)
    checks.extend(check_lines(doc))
    total = _money(doc, "total")
    if total is not None and total < 0:
        checks.append(Check("negative_total", WARNING, "The total is negative: is this a refund?", ("total",)))
    return checks
