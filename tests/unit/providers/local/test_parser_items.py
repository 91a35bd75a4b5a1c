"""Line items rebuilt from rows of words: description, quantity, unit price, amount."""

from __future__ import annotations

from decimal import Decimal

from receiptdesk.core.document import Document, LineItem
from receiptdesk.providers.local.parser import item_candidates_of, parse
from tests.unit.providers.local.pages import receipt, text_layer


def _parse(*lines: str) -> Document:
    return parse([receipt(*lines)])


def _row(item: LineItem) -> dict[str, str]:
    return {k: str(f.value) for k, f in item.fields.items() if k != "row"}


def test_rows_of_a_till_receipt() -> None:
    doc = _parse(
        "LITTLE DELHI",
        "1 | Vegetable Pakora | 3.99",
        "2 | Lamb Korma | 21.98",
        "Soft Drink | 1.50",
        "SubTotal: | 27.47",
        "Tax: | 2.40",
        "Total: | 29.87",
    )
    rows = [_row(i) for i in doc.line_items]
    assert rows == [
        {"description": "Vegetable Pakora", "amount": "3.99", "quantity": "1"},
        {"description": "Lamb Korma", "amount": "21.98", "quantity": "2"},
        {"description": "Soft Drink", "amount": "1.50"},
    ]
    assert {c.name: c.status for c in doc.checks}["line_sum"] == "ok"


def test_quantity_times_unit_price_gives_the_amount() -> None:
    doc = _parse("CAFE", "Croissant | 2 x 1.50 | 3.00", "Espresso | 3 @ 2.10 | 6.30", "TOTAL | 9.30")
    a, b = doc.line_items
    assert (a.value("quantity"), a.value("unit_price"), a.value("amount")) == (2, Decimal("1.50"), Decimal("3.00"))
    assert (b.value("quantity"), b.value("unit_price"), b.value("amount")) == (3, Decimal("2.10"), Decimal("6.30"))
    assert a.value("description") == "Croissant"
    assert not [c for c in doc.checks if c.name == "line_arithmetic"]


def test_description_printed_above_its_numbers() -> None:
    doc = _parse(
        "INDAH GIFT & HOME DECO",
        "DESC/ITEM | QTY | PRICE | AMT(RM)",
        "ST-PRIVILEGE CARD/GD INDAH",
        "88888 | 1 | 10.00 | 10.00",
        "GF-TABLE LAMP/STITCH",
        "62483 | 1 | 55.90 | 55.90",
        "TOTAL AMT | 65.90",
    )
    assert [_row(i) for i in doc.line_items] == [
        {"description": "ST-PRIVILEGE CARD/GD INDAH", "amount": "10.00", "quantity": "1", "unit_price": "10.00"},
        {"description": "GF-TABLE LAMP/STITCH", "amount": "55.90", "quantity": "1", "unit_price": "55.90"},
    ]


def test_description_printed_under_its_code_and_numbers() -> None:
    doc = _parse(
        "PERNIAGAAN ZHENG HUI",
        "Item | Qty | RSP | Amount",
        "10273 GA18011 | 1 | 170.00 | 170.00",
        'SR: 14" TRU-CUT CUTTING DISC (1 PC)',
        "2547 GA1807 | 1 | 35.00 | 35.00",
        "SR: KOBELCO G-12#(2.6MM) WELDING",
        "12133 GA1801 | 2 | 7.50 | 15.00",
        'SR: CS 3" (750) PAINT BRUSH',
        "TOTAL | 220.00",
    )
    assert [(i.value("description"), str(i.value("amount"))) for i in doc.line_items] == [
        ('SR: 14" TRU-CUT CUTTING DISC (1 PC)', "170.00"),
        ("SR: KOBELCO G-12#(2.6MM) WELDING", "35.00"),
        ('SR: CS 3" (750) PAINT BRUSH', "15.00"),
    ]


def test_a_restaurant_bill_that_prints_each_dish_under_its_price() -> None:
    doc = _parse(
        "ONE ONE THREE SEAFOOD RESTAURANT SDN BHD",
        "Qty Description | Total | TAX",
        "1 D | 28.00 | SR",
        "Tilapia",
        "D | 16.00 | SR",
        "Vege item",
        "1 D | 3.00 | SR",
        "Herbal Tea Item",
        "TOTAL: | 47.00",
    )
    assert [(i.value("description"), str(i.value("amount"))) for i in doc.line_items] == [
        ("Tilapia", "28.00"),
        ("Vege item", "16.00"),
        ("Herbal Tea Item", "3.00"),
    ]


def test_names_over_their_numbers_stay_there_when_a_count_line_follows_the_last() -> None:
    doc = _parse("SHOP", "MILK", "2 x 3.50 | 7.00", "BREAD", "1 x 2.00 | 2.00", "ITEMS: 2", "TOTAL | 9.00")
    assert [(i.value("description"), str(i.value("amount"))) for i in doc.line_items] == [
        ("MILK", "7.00"),
        ("BREAD", "2.00"),
    ]


def test_a_size_is_part_of_the_name_and_a_weight_sold_by_the_kilo_is_the_quantity() -> None:
    doc = _parse(
        "SHOP",
        "MILK | 1.00",
        "COCA COLA 1.5L",
        "2 x 3.50 | 7.00",
        "WATER 1.5L | 3.50",
        "APPLES 1.25KG @ 2.00 | 2.50",
        "TOTAL | 14.00",
    )
    assert [_row(i) for i in doc.line_items][1:] == [
        {"description": "COCA COLA 1.5L", "amount": "7.00", "quantity": "2", "unit_price": "3.50"},
        {"description": "WATER 1.5L", "amount": "3.50"},
        {"description": "APPLES", "amount": "2.50", "quantity": "1.25", "unit_price": "2.00"},
    ]


def test_a_weight_line_under_an_item_is_not_part_of_its_name() -> None:
    doc = _parse("SHOP", "MILK | 1.00", "SMOKED SALMON | 22.50", "0.365 KG / SP", "BREAD | 2.00", "TOTAL | 25.50")
    assert [i.value("description") for i in doc.line_items] == ["MILK", "SMOKED SALMON", "BREAD"]


def test_description_over_two_lines() -> None:
    doc = _parse("CAFE", "Grand cafe creme | 4.50", "avec lait d'avoine", "Croissant | 1.50", "TOTAL | 6.00")
    first, second = doc.line_items
    assert first.value("description") == "Grand cafe creme avec lait d'avoine"
    assert second.value("description") == "Croissant"
    box = first.fields["description"].box
    assert box is not None and box.y1 > box.y0 + 0.03  # the box covers both printed lines


def test_tax_codes_and_item_codes_are_not_the_description() -> None:
    doc = _parse("KINGS CONFECTIONERY S/B", "201019 KAYA PUFF | 4 | 1.60 | 6.40 S", "TOTAL | 6.40")
    (item,) = doc.line_items
    assert _row(item) == {"description": "KAYA PUFF", "amount": "6.40", "quantity": "4", "unit_price": "1.60"}


def test_totals_tax_and_payment_rows_are_not_items() -> None:
    doc = _parse("SHOP", "Apple | 1.00", "SUBTOTAL | 1.00", "GST 6% | 0.06", "TOTAL | 1.06", "CASH | 2.00")
    assert [i.value("description") for i in doc.line_items] == ["Apple"]


def test_item_boxes_are_on_the_page() -> None:
    doc = _parse("SHOP", "Apple | 1.00", "Pear | 2.00", "TOTAL | 3.00")
    for item in doc.line_items:
        for f in item.fields.values():
            assert f.box is not None and f.box.is_inside_page()
            assert f.page == 1


def test_a_number_in_the_name_is_not_a_quantity_when_the_amount_does_not_divide_by_it() -> None:
    doc = _parse("SHOP", "LG FLATSCREEN | 65 | $899.99", "HDMI CABLE | 2 | 19.98", "TOTAL | 919.97")
    rows = {str(i.value("description")): i for i in doc.line_items}
    assert rows["LG FLATSCREEN 65"].value("quantity") is None  # a 65-inch set, not 65 at 13.846
    assert rows["HDMI CABLE"].value("quantity") == Decimal("2")  # 2 at 9.99


def test_a_short_last_word_of_a_name_is_not_read_as_a_currency_code() -> None:
    """Only a sign or an ISO code stands between a name and its amount: "OIL" and "DAY" are words of the name."""
    doc = _parse("DELI", "OLIVE OIL | 12.50", "Soup of the day | 8.50", "Coffee EUR | 3.00", "TOTAL | 24.00")
    assert [i.value("description") for i in doc.line_items] == ["OLIVE OIL", "Soup of the day", "Coffee"]


# A hotel's payment receipt priced in whole rupees: after the grand total come the payment, the balance and the
# company's offices, whose postcode and phone number end their lines where an amount would.
_HOTEL_RECEIPT = (
    "PAYMENT RECEIPT",
    "Harbour Lodge",
    "12 Quay Street, Portside 40210",
    "Date: 03/12/2024",
    "DESCRIPTION | RATE | AMOUNT",
    "Room Charges | Rs 2400 x 1 Night | Rs 2400",
    "Breakfast | Rs 350",
    "Grand Total | Rs 2750",
    "Payment received by Harbour Lodge Paid through Cash at Hotel (Rs 2750) | Rs 2750",
    "Balance | Rs 0",
    "Registered Office: 5 Mill Road, Level 4, Westgate - 110017",
    "Corporate Office: 9th floor, Sec-69, Gurgaon | Phone: 080 100 444 66",
)


def test_footer_lines_after_the_grand_total_are_not_items() -> None:
    doc = _parse(*_HOTEL_RECEIPT)
    assert [(i.value("description"), str(i.value("amount"))) for i in doc.line_items] == [
        ("Room Charges Rs", "2400"),
        ("Breakfast", "350"),
    ]


def test_the_payment_and_footer_numbers_after_the_total_are_never_offered_as_items() -> None:
    """Whatever the model would say of them: the amount paid, the change, a postcode or a phone number's last
    digits printed after the total are no row a user could be shown as an item."""
    page = receipt(*_HOTEL_RECEIPT[:8], "Paid by Card | Rs 2750", "Change | Rs 0", *_HOTEL_RECEIPT[10:])
    offered = [str(c.item.value("description")) for c in item_candidates_of([page])]
    assert "Breakfast" in offered
    assert not [d for d in offered if d.startswith(("Paid", "Change", "Registered", "Corporate"))]


def test_a_postcode_is_no_item_where_a_text_layer_prints_the_currency_as_its_own_word() -> None:
    """A PDF's text layer gives "Rs" and "2750" as two words: the total still carries its currency, the postcode
    printed after it does not."""
    page = text_layer(
        (0.05, "Harbour Lodge"),
        (0.05, "Room Charges", 0.8, "Rs 2400"),
        (0.05, "Breakfast", 0.8, "Rs 350"),
        (0.5, "Grand Total", 0.8, "Rs 2750"),
        (0.05, "Registered Office: 5 Mill Road, Level 4, Westgate - 110017"),
    )
    offered = [str(c.item.value("description")) for c in item_candidates_of([page])]
    assert "Breakfast" in offered
    assert not [d for d in offered if d.startswith("Registered")]
