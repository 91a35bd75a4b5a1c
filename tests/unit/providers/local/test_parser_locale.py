"""Receipts from India, Japan, Canada and Norway: numbers, dates and currencies as each country prints them.

The country comes from what a library can check (a valid phone number, a tax number whose check
digits add up); a wrong check digit or a number with no country's shape says nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from receiptdesk.core.document import Document
from receiptdesk.providers.local.parser import parse
from tests.unit.providers.local.pages import receipt


def _parse(*lines: str) -> Document:
    return parse([receipt(*lines)])


def _indian(gstin: str) -> Document:
    return _parse(
        "RELIANCE DIGITAL",
        "Phoenix Market City, Kurla West",
        "Mumbai 400070",
        f"GSTIN: {gstin}",
        "Date: 14/03/2024",
        "LED TV 55 | 1,05,090.00",
        "GST 18% | 18,916.20",
        "Grand Total | 1,24,706.00",
        "Card | 1,24,706.00",
    )


def test_indian_total_in_lakh_grouping_is_read_whole_in_rupees() -> None:
    doc = _indian("27AABCR1718E1ZP")
    assert doc.value("total") == Decimal("124706.00")
    assert doc.fields["total"].text == "1,24,706.00"
    assert doc.value("total_tax") == Decimal("18916.20")
    assert doc.currency == "INR"  # no sign printed: the GSTIN's check digits say India


def test_a_tax_number_with_a_wrong_check_digit_names_no_country() -> None:
    assert _indian("27AABCR1718E1ZQ").currency is None


def test_japanese_receipt_total_parts_and_date() -> None:
    doc = _parse(
        "セブン-イレブン 新宿店",
        "東京都新宿区西新宿1-1-1",
        "2024年3月14日 12:34",
        "おにぎり | ¥150",
        "お茶 | ¥120",
        "小計 | ¥270",
        "消費税 | ¥21",
        "合計 | ¥291",
        "お預り | ¥500",
        "お釣り | ¥209",
    )
    assert doc.value("total") == Decimal("291")
    assert doc.value("subtotal") == Decimal("270")
    assert doc.value("total_tax") == Decimal("21")
    assert doc.value("date") == date(2024, 3, 14)
    assert "ambiguous_date" not in doc.fields["date"].flags
    assert doc.currency == "JPY"


def _dollar_receipt(phone: str) -> Document:
    return _parse(
        "COFFEE HOUSE #1234",
        "123 Queen St W",
        f"Tel: {phone}",
        "03/14/2024 08:15",
        "Coffee | $2.19",
        "Bagel | $1.89",
        "Subtotal | $4.08",
        "HST 13% | $0.53",
        "Total | $4.61",
    )


def test_dollar_sign_in_canada_is_canadian_dollars() -> None:
    assert _dollar_receipt("(416) 555-0199").currency == "CAD"  # a Toronto number
    assert _dollar_receipt("(212) 555-0199").currency == "USD"  # a New York one


def test_a_canadian_address_alone_makes_dollars_canadian() -> None:
    doc = _parse("COFFEE HOUSE", "123 Queen St W", "Toronto, ON M5H 2M9", "Coffee | $2.19", "Total | $2.19")
    assert doc.currency == "CAD"
    us = _parse("COFFEE HOUSE", "123 Main St", "Springfield, IL 62701", "Coffee | $2.19", "Total | $2.19")
    assert us.currency == "USD"


def _krone_receipt(*extra: str) -> Document:
    return _parse(
        "REMA 1000 GRUNERLOKKA",
        "Thorvald Meyers gate 40",
        "0555 Oslo",
        *extra,
        "03.04.2024 18:02",
        "Melk | 24,90",
        "Brod | 39,90",
        "Totalt | kr 64,80",
        "Bank | 64,80",
    )


def test_kroner_in_norway_are_norwegian_by_org_number_or_phone() -> None:
    assert _krone_receipt("Org.nr: 974 760 673 MVA").currency == "NOK"
    assert _krone_receipt("Tlf +47 22 33 44 55").currency == "NOK"
    # nothing checkable: "kr" alone stays the reading core/money.py gives it
    assert _krone_receipt().currency == "SEK"


def test_the_country_settles_the_date_order_and_an_unsettled_date_is_flagged() -> None:
    norwegian = _parse("BUTIKK AS", "Tlf +47 22 33 44 55", "Dato 03/04/2024", "Totalt | 64,80")
    assert norwegian.value("date") == date(2024, 4, 3)  # CLDR: Norway writes the day first
    assert "ambiguous_date" not in norwegian.fields["date"].flags
    unknown = _parse("SHOP", "Date 03/04/2024", "TOTAL | 64.80")
    assert "ambiguous_date" in unknown.fields["date"].flags
    assert unknown.fields["date"].confidence < 0.5


def test_a_date_and_time_under_the_address_is_not_the_phone() -> None:
    doc = _krone_receipt("Org.nr: 974 760 673 MVA")
    assert "vendor_phone" not in doc.fields
    assert doc.value("date") == date(2024, 4, 3)


def test_month_names_of_other_languages_come_from_cldr() -> None:
    for printed in ("14. maaliskuuta 2024", "14 Maret 2024", "14. března 2024"):  # Finnish, Indonesian, Czech
        doc = _parse("KAUPPA", f"Pvm {printed}", "YHTEENSA | 5,00")
        assert doc.value("date") == date(2024, 3, 14), printed
    # "listopad" is November in Polish and October in Croatian: no date rather than a guess
    assert "date" not in _parse("SKLEP", "14 listopad 2024", "RAZEM | 5,00").fields


def test_the_committed_month_table_is_what_cldr_says() -> None:
    from receiptdesk.providers.local.parsing.months import cldr_month_names, month_names

    assert month_names() == cldr_month_names()


def test_amounts_written_with_a_decimal_comma_put_the_day_first() -> None:
    # a Paris receipt whose phone is national and whose amounts have no sign: only the 4,55 speaks
    lines = ("CARREFOUR CITY", "12 rue de Rivoli 75004 Paris", "BAGUETTE | {a}", "TOTAL TTC | {b}", "Le 07/02/2024")
    french = _parse(*(line.format(a="1,10", b="4,55") for line in lines))
    assert french.value("date") == date(2024, 2, 7)
    assert "ambiguous_date" not in french.fields["date"].flags
    dotted = _parse(*(line.format(a="1.10", b="4.55") for line in lines))
    assert "ambiguous_date" in dotted.fields["date"].flags  # 4.55 is written the same in the US


def test_a_european_vat_number_names_its_country_and_its_currency() -> None:
    def italian(vat: str) -> Document:
        return _parse("ESSELUNGA SPA", "Via Roma 1, 20121 Milano", f"P.IVA {vat}", "PASTA | 1,29", "TOTALE | 3,39")

    assert italian("IT00743110157").currency == "EUR"
    assert italian("IT00743110158").currency is None  # its check digit is wrong: no country


def test_the_users_usual_currency_is_only_for_a_receipt_that_names_neither_currency_nor_country() -> None:
    lines = ("ESSELUNGA SPA", "Via Roma 1, 20121 Milano", "PASTA | 1,29", "TOTALE | 3,39")
    assert parse([receipt(*lines)]).currency is None
    assert parse([receipt(*lines)], currency="CHF").currency == "CHF"
    # a checked VAT number names Italy: its euro, not the usual currency
    assert parse([receipt(*lines[:2], "P.IVA IT00743110157", *lines[2:])], currency="CHF").currency == "EUR"


def test_dollars_in_mexico_are_pesos_by_the_rfc() -> None:
    doc = _parse("TIENDA", "Av. Reforma 100, CDMX", "RFC NWM9709244W4", "REFRESCO | $18.00", "TOTAL | $35.50")
    assert doc.currency == "MXN"


def test_the_script_names_korea_and_what_a_yen_sign_means_in_china() -> None:
    korean = _parse("이마트 성수점", "서울특별시 성동구 뚝섬로 379", "우유 | 2,980", "합계 | 6,480", "2024-03-14 15:22")
    assert korean.currency == "KRW"
    assert korean.value("total") == Decimal("6480")
    chinese = _parse("北京华联超市", "北京市朝阳区建国路1号", "面包 | 8.50", "合计 | ¥11.50", "2024年3月14日 10:20")
    assert chinese.currency == "CNY"  # ¥ in Chinese text is the yuan; Japanese text has kana (JPY above)
    assert chinese.value("total") == Decimal("11.50")
