"""Totals, tax and currency as the parser reads them off small hand-laid receipts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from receiptdesk.core.document import Document
from receiptdesk.providers.local.parser import parse
from tests.unit.providers.local.pages import receipt


def _parse(*lines: str) -> Document:
    return parse([receipt(*lines)])


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),  # Germany, Netherlands, Spain ...
        ("1,234.56", Decimal("1234.56")),  # UK, US, Malaysia ...
        ("1 234,56", Decimal("1234.56")),  # France, Poland ...
        ("1'234.56", Decimal("1234.56")),  # Switzerland
    ],
)
def test_total_in_each_locale_reads_the_same(printed: str, expected: Decimal) -> None:
    doc = _parse("SHOP", f"Artikel | {printed}", f"TOTAL | {printed}", "Tax 0% | 0,00" if "," in printed[-3:] else "")
    assert doc.value("total") == expected
    assert doc.fields["total"].text == printed


def test_total_is_chosen_by_label_and_arithmetic_not_by_size() -> None:
    doc = _parse(
        "CORNER MARKET",
        "Milk | 3.49",
        "Bread | 4.25",
        "SUBTOTAL | 7.74",
        "TAX | 0.62",
        "TOTAL | 8.36",
        "CASH | 20.00",
        "CHANGE | 11.64",
    )
    assert doc.value("total") == Decimal("8.36")  # not the 20.00 handed over
    assert doc.value("subtotal") == Decimal("7.74")
    assert doc.value("total_tax") == Decimal("0.62")
    assert {c.name: c.status for c in doc.checks}["total_arithmetic"] == "ok"
    assert doc.fields["total"].confidence > 0.8  # label, arithmetic and payment all agree


def test_rounded_total_wins_over_the_amount_before_rounding() -> None:
    doc = _parse(
        "KEDAI RUNCIT ABC",
        "TOTAL AMT | RM | 60.31",
        "ROUNDING ADJ | -0.01",
        "RM | 60.30",
        "CASH | RM | 70.30",
        "CHANGE | RM | 10.00",
    )
    assert doc.value("total") == Decimal("60.30")
    assert doc.currency == "MYR"


def test_tax_summary_under_the_payment_is_not_the_total() -> None:
    doc = _parse(
        "TEO HENG STATIONERY",
        "SUB-TOTAL (EX) | 52.00",
        "TOTAL TAX | 3.12",
        "ROUNDING | -0.02",
        "TOTAL | 55.10",
        "CASH | 55.10",
        "CHANGE | 0.00",
        "GST SUMMARY",
        "SR | 6.00 | 52.00 | 3.12",
        "TOTAL : | 52.00 | 3.12",
    )
    assert doc.value("total") == Decimal("55.10")


def test_glued_words_from_ocr_still_read_as_labels() -> None:
    doc = _parse(
        "SHOP", "Coffee | 4.00", "SUBTOTAL | 4.00", "GST6% | 0.24", "TOTALAMOUNT: | 4.24", "CASHTENDERED | 5.00"
    )
    assert doc.value("total") == Decimal("4.24")
    assert doc.value("total_tax") == Decimal("0.24")


def test_discount_is_kept_negative_and_counted_in_the_arithmetic() -> None:
    doc = _parse("SHOP", "Lamp | 55.90", "SUBTOTAL | 55.90", "DISCOUNT 10% | -5.59", "TOTAL | 50.31")
    assert doc.value("discount") == Decimal("-5.59")
    assert doc.value("total") == Decimal("50.31")
    assert {c.name: c.status for c in doc.checks}["total_arithmetic"] == "ok"


def test_refund_total_can_be_negative() -> None:
    doc = _parse("BAKERY SDN BHD", "BREAD RETURNED | -3.72", "TOTAL PAYABLE: | -3.72")
    assert doc.value("total") == Decimal("-3.72")
    assert any(c.name == "negative_total" for c in doc.checks)


def test_no_total_printed_means_no_total_invented() -> None:
    doc = _parse("SHOP", "Apples | 1.20", "Pears | 2.40")
    assert "total" not in doc.fields


def test_dates_times_and_phone_numbers_are_not_money() -> None:
    doc = _parse("SHOP", "Tel 03-4162 2318", "12.03.2024 18:40", "Item | 9.90", "Total | 9.90")
    amounts = {str(f.value) for f in doc.fields.values()}
    assert "12.03" not in amounts and "18.40" not in amounts
    assert doc.value("total") == Decimal("9.90")


@pytest.mark.parametrize(
    ("line", "currency"),
    [("TOTAL | € 12,50", "EUR"), ("TOTAL | £12.50", "GBP"), ("TOTAL | CHF 12.50", "CHF"), ("TOTAL | RM12.50", "MYR")],
)
def test_currency_from_symbol_or_code(line: str, currency: str) -> None:
    doc = _parse("SHOP", line)
    assert doc.currency == currency
    assert doc.value("total") == Decimal("12.50")


def test_total_box_is_where_the_amount_is_printed() -> None:
    page = receipt("SHOP", "Coffee | 4.00", "TOTAL | 4.00")
    doc = parse([page])
    box = doc.fields["total"].box
    assert box is not None and box.is_inside_page()
    total_word = next(w for w in page.words if w.text == "4.00" and w.box.y0 > 0.1)
    assert abs(box.y0 - total_word.box.y0) < 1e-6 and box.x0 >= 0.5  # the right-hand amount, not the label


def test_arithmetic_that_does_not_add_up_lowers_confidence() -> None:
    agree = _parse("SHOP", "SUBTOTAL | 7.74", "TAX | 0.62", "TOTAL | 8.36")
    disagree = _parse("SHOP", "SUBTOTAL | 7.74", "TAX | 0.62", "TOTAL | 9.36")
    assert {c.name: c.status for c in disagree.checks}["total_arithmetic"] == "failed"
    assert disagree.fields["total"].confidence < agree.fields["total"].confidence
    # no subtotal is shown sure (no sure cut held out of fold: MODEL_CARD.md), so both ask for a look
    assert disagree.fields["subtotal"].confidence <= agree.fields["subtotal"].confidence < 0.9


def test_an_unsure_total_says_so() -> None:
    # only a weak label, no subtotal, tax or payment to check it against: not shown as sure (calibrated: the
    # ranker's confidence is how often such totals were right on receipts it was not trained on)
    f = _parse("SHOP", "Apples | 1.20", "Balance | 1.20").fields["total"]
    assert f.value == Decimal("1.20")
    assert f.confidence < 0.9
    checked = _parse(
        "SHOP", "Apples | 1.20", "Subtotal | 1.20", "Tax | 0.10", "Total | 1.30", "Cash | 2.00", "Change | 0.70"
    )
    assert checked.fields["total"].confidence > f.confidence


def test_the_total_row_of_a_tax_summary_is_not_the_total() -> None:
    doc = parse(
        [
            receipt(
                "RESTORAN DE COFFEE O",
                "COFFEE O (T.AWAY) 1 | 2.30 | 2.30",
                "TEA (T.AWAY) 1 | 2.40 | 2.40",
                "(Excluded GST) Sub Total | 10 94",  # its decimal point lost by OCR: no arithmetic to help
                "Total GST | 0.66",
                "TOTAL | 11.60",
                "GST SUMMARY",
                "Tax Code % | Amount | GST",
                "SR 6 | 10.94 | 0.66",
                "Total : | 10.94 | 0.66",
            )
        ]
    )
    assert doc.value("total") == Decimal("11.60")
    assert doc.value("total_tax") == Decimal("0.66")


def test_the_one_amount_on_a_ticket_is_its_total_but_flagged_unsure() -> None:
    doc = _parse(
        "PLAZA: Benicia-Martinez Bridge",
        "Thu Aug 09, 2012 10:09:10",
        "CLASS 2",
        "TOLL FAID: | $ 5.00",  # the label misread: nothing says "total"
        "PAYMENT METHOD: Cash",
    )
    f = doc.fields["total"]
    assert f.value == Decimal("5.00")
    assert "low_confidence" in f.flags


def test_two_unlabelled_amounts_give_no_total_rather_than_a_guess() -> None:
    doc = _parse("CAR WASH", "BASIC | 5.00", "WAX | 3.50")
    assert "total" not in doc.fields


def test_sum_before_tax_under_another_name_is_the_subtotal_by_arithmetic() -> None:
    doc = _parse(
        "TACO PLACE",
        "1 STEAK BURRITO | 6.95",
        "GUACAMOLE | 1.49",
        "FOOD | 8.44",
        "TAX | 0.61",
        "TOTAL | 9.05",
        "CASH | 20.00",
        "CHANGE | 10.95",
    )
    assert doc.value("subtotal") == Decimal("8.44")
    assert doc.fields["subtotal"].label == "FOOD"
    assert {c.name: c.status for c in doc.checks}["total_arithmetic"] == "ok"


def test_no_subtotal_is_made_up_when_no_printed_amount_fits() -> None:
    doc = _parse("TACO PLACE", "STEAK BURRITO | 6.95", "TAX | 0.61", "TOTAL | 9.05", "CASH | 10.00")
    assert doc.value("subtotal") is None


def test_an_offer_printed_under_the_payment_is_not_a_discount() -> None:
    doc = _parse(
        "TACO PLACE",
        "BURRITO | 8.44",
        "TAX | 0.61",
        "TOTAL | 9.05",
        "CASH | 20.00",
        "CHANGE | 10.95",
        "Discount on purchases of | $5.00",
    )
    assert doc.value("discount") is None
    assert doc.value("total") == Decimal("9.05")


def test_the_vat_a_total_includes_is_the_tax_and_a_discount_names_the_sum_before_it() -> None:
    doc = _parse(
        "EL TAPAS BAR",
        "1x Fideua Mixta | £ 17.00",
        "2x Tarta de Santiago | £ 11.00",
        "Item Total | £ 28.00",
        "Discount | £ 5.00",
        "Total | £ 23.00",
        "Total Paid | £ 23.00",
        "Incl. of VAT (20.00%) | £ 3.83",
    )
    assert doc.value("total") == Decimal("23.00")
    assert doc.value("subtotal") == Decimal("28.00")  # the total with the discount back
    assert doc.value("total_tax") == Decimal("3.83")  # not the 20.00 of its rate


def test_the_amount_excluding_vat_is_the_subtotal() -> None:
    doc = _parse("SHOP", "Widget | 12.00", "Excl. VAT | 10.00", "VAT 20% | 2.00", "TOTAL | 12.00")
    assert (doc.value("subtotal"), doc.value("total_tax"), doc.value("total")) == (
        Decimal("10.00"),
        Decimal("2.00"),
        Decimal("12.00"),
    )


@pytest.mark.parametrize(
    ("lines", "currency"),
    [
        # a code that is also a word is no currency: a Malaysian company form, a pen
        (("KEDAI ABC SDN BHD", "NO 3, JALAN TAMAN 1", "TOTAL | 12.50"), "MYR"),
        (("CORNER DELI", "SPRINGFIELD, IL 62701", "PEN | 2.50", "TOTAL | 2.50"), "USD"),
        # a till's bare "$" is the local dollar or ringgit where the address says so
        (("KEDAI ABC SDN BHD", "Total Amount: | $8.20"), "MYR"),
        (("XIN WANG PTE LTD", "370 Alexandra Road, Singapore 159953", "TOTAL | $55.67"), "SGD"),
        (("CORNER BOOKS LTD", "12 High Street, Bath BA1 1AA", "VAT 20% | 1.00", "TOTAL | 6.00"), "GBP"),
        # a printed currency wins over the country
        (("CORNER BOOKS LTD", "12 High Street, Bath BA1 1AA", "TOTAL | EUR 6.00"), "EUR"),
        (("SHOP", "Currency: CHF", "TOTAL | 6.00"), "CHF"),
        (("Lidl Dienstleistung GmbH", "EUR", "Milch | 1,19 A", "zu zahlen | 1,19"), "EUR"),  # over the column
        # a dish named after a country says nothing of the currency
        (("PANDA HOUSE", "SINGAPORE NOODLES | $9.95", "TOTAL | $9.95"), "USD"),
    ],
)
def test_currency_from_what_is_printed_else_the_country(lines: tuple[str, ...], currency: str) -> None:
    assert _parse(*lines).currency == currency


def test_a_gross_amount_including_vat_is_not_the_tax() -> None:
    doc = _parse("SHOP", "Widget | 12.00", "Brutto inkl. MwSt | 12.00", "MwSt 19% | 1.92", "TOTAL | 12.00")
    assert (doc.value("total_tax"), doc.value("total")) == (Decimal("1.92"), Decimal("12.00"))


def test_amounts_with_a_tax_letter_after_them_stay_amounts() -> None:
    doc = _parse("WARUNG MAKAN", "NASI GORENG | 25.000 M", "TEH MANIS | 5.000 M", "TOTAL | 30.000 M")
    assert doc.value("total") == Decimal("30000")
    assert [str(i.value("amount")) for i in doc.line_items] == ["25000", "5000"]
