from datetime import date
from decimal import Decimal

from receiptdesk.core.document import Document, Field, LineItem, Provenance
from receiptdesk.core.validation import validate


def _doc(**money: str) -> Document:
    doc = Document(Provenance("test"))
    for name, v in money.items():
        doc.fields[name] = Field(Decimal(v), v, 0.9)
    return doc


def _by_name(doc: Document) -> dict[str, str]:
    return {c.name: c.status for c in validate(doc)}


def test_total_that_adds_up_passes() -> None:
    assert _by_name(_doc(subtotal="10.00", total_tax="0.60", tip="1.00", total="11.60"))["total_arithmetic"] == "ok"


def test_total_that_does_not_add_up_fails_with_both_numbers() -> None:
    doc = _doc(subtotal="10.00", total_tax="0.60", total="12.60")
    check = next(c for c in validate(doc) if c.name == "total_arithmetic")
    assert check.status == "failed"
    assert "10.60" in check.message and "12.60" in check.message


def test_tax_included_total_passes() -> None:
    assert _by_name(_doc(subtotal="10.00", total_tax="1.60", total="10.00"))["total_arithmetic"] == "ok"


def test_line_items_against_subtotal_and_line_arithmetic() -> None:
    doc = _doc(subtotal="7.00", total="7.00")
    doc.line_items = [
        LineItem(
            {"quantity": Field(Decimal(2)), "unit_price": Field(Decimal("1.50")), "amount": Field(Decimal("3.00"))}
        ),
        LineItem(
            {"quantity": Field(Decimal(1)), "unit_price": Field(Decimal("4.00")), "amount": Field(Decimal("5.00"))}
        ),
    ]
    checks = validate(doc)
    names = {c.name: c for c in checks}
    assert names["line_sum"].status == "warning"
    assert names["line_arithmetic"].message.startswith("Line 2")


def test_ambiguous_date_is_flagged_only_when_the_provider_could_not_settle_it() -> None:
    doc = Document(Provenance("test"))
    doc.fields["date"] = Field(date(2024, 4, 3), "03/04/2024", 0.9, flags=("ambiguous_date",))
    assert _by_name(doc)["ambiguous_date"] == "warning"
    # the same print on a receipt whose other dates settled the order: no warning
    doc.fields["date"] = Field(date(2024, 4, 3), "03/04/2024", 0.9)
    assert "ambiguous_date" not in _by_name(doc)
    doc.fields["date"] = Field(date(2024, 4, 13), "13/04/2024", 0.9)
    assert "ambiguous_date" not in _by_name(doc)


def test_a_date_a_provider_flagged_names_both_readings() -> None:
    # Azure gives the month-first reading of 6/10/2019 and flags it; the check says what else it could be.
    doc = Document(Provenance("test"))
    doc.fields["date"] = Field(date(2019, 6, 10), "6/10/2019", 0.9, flags=("ambiguous_date",))
    (check,) = [c for c in validate(doc) if c.name == "ambiguous_date"]
    assert check.status == "warning"
    assert "2019-06-10 or 2019-10-06" in check.message


def test_unreadable_total_is_reported() -> None:
    doc = Document(Provenance("test"))
    doc.fields["total"] = Field(None, "T0TAL", 0.3)
    assert _by_name(doc)["not_money"] == "failed"


def test_line_items_less_the_discount_add_up_to_a_total_without_a_subtotal() -> None:
    """A receipt of two lines (10.00 + 55.90), a discount of 5.59 and the total 60.30 (rounded): no warning."""
    doc = _doc(discount="-5.59", total="60.30")
    doc.line_items = [LineItem({"amount": Field(Decimal(a))}) for a in ("10.00", "55.90")]
    line_sum = next(c for c in validate(doc) if c.name == "line_sum")
    assert line_sum.status == "ok", line_sum.message
    # lines that do not add up even with the discount still say so
    doc.fields["total"] = Field(Decimal("50.00"), "50.00", 0.9)
    assert _by_name(doc)["line_sum"] == "warning"
