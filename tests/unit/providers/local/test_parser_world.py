"""Receipts from countries the labelled sets do not cover: their label words, number and date forms.

Each receipt is laid out as that country's tills print it (tests/bench/world_probes.py holds the
larger battery these cases were found with).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from receiptdesk.core.document import Document
from receiptdesk.providers.local.parser import parse
from tests.unit.providers.local.pages import receipt


def _parse(*lines: str) -> Document:
    return parse([receipt(*lines)])


@pytest.mark.parametrize(
    ("lines", "total"),
    [
        # Czech: "Celkem" is the total, "Hotově" the cash handed over, "Vráceno" the change
        (
            (
                "ALBERT",
                "Rohlik | 2,90",
                "Mleko | 24,90",
                "Pivo | 32,90",
                "Celkem Kč | 60,70",
                "Hotově | 100,00",
                "Vráceno | 39,30",
                "DPH 12% | 6,50",
            ),
            "60.70",
        ),
        # Danish: "I ALT" (in all) is the total
        (
            (
                "NETTO",
                "Rugbrød | 18,95",
                "Smør | 24,50",
                "Ost | 39,00",
                "I ALT | 82,45",
                "Dankort | 82,45",
                "Heraf moms | 16,49",
            ),
            "82.45",
        ),
        # Turkish: "TOPLAM", the tax "TOPKDV", the change "PARA ÜSTÜ", amounts starred
        (
            (
                "MIGROS",
                "EKMEK %1 | *10,00",
                "SÜT %1 | *32,50",
                "DETERJAN %20 | *89,90",
                "TOPKDV | *15,40",
                "TOPLAM | *132,40",
                "NAKİT | *150,00",
                "PARA ÜSTÜ | *17,60",
            ),
            "132.40",
        ),
        # Chinese: "应付金额" (amount payable) after a discount
        (
            (
                "海底捞火锅",
                "毛肚 | 68.00",
                "肥牛 | 58.00",
                "消费金额 | 126.00",
                "优惠 | 6.00",
                "应付金额 | ￥120.00",
                "支付宝 | 120.00",
            ),
            "120.00",
        ),
        # Korean tills space a short label out: "합 계" is 합계, the total
        (
            (
                "명동교자",
                "칼국수 2 | 22,000",
                "만두 1 | 12,000",
                "공급가액 | 30,909",
                "부 가 세 | 3,091",
                "합 계 | 34,000",
                "신용카드 | 34,000",
            ),
            "34000",
        ),
    ],
    ids=["czech", "danish", "turkish", "chinese", "korean-spaced"],
)
def test_the_total_is_found_by_the_words_each_language_prints(lines: tuple[str, ...], total: str) -> None:
    assert _parse(*lines).value("total") == Decimal(total)


def test_subtotal_and_tax_in_turkish_and_korean() -> None:
    turkish = _parse(
        "LOKANTA",
        "MERCIMEK CORBA | 180,00",
        "KOFTE | 290,00",
        "ARA TOPLAM | 470,00",
        "KDV %10 | 42,73",
        "TOPLAM | ₺470,00",
    )
    assert turkish.value("total") == Decimal("470.00")
    assert turkish.value("subtotal") == Decimal("470.00")  # "ara toplam": the sum so far
    korean = _parse(
        "명동교자", "칼국수 2 | 22,000", "만두 1 | 12,000", "공급가액 | 30,909", "부 가 세 | 3,091", "합 계 | 34,000"
    )
    assert korean.value("subtotal") == Decimal("30909")  # "supply value": the sum before tax
    assert korean.value("total_tax") == Decimal("3091")


def test_a_polish_receipts_taxed_sales_are_not_its_tax() -> None:
    doc = _parse(
        "BIEDRONKA",
        "PARAGON FISKALNY",
        "Chleb | 3,49C",
        "Mleko | 5,98C",
        "Piwo | 4,99A",
        "Sprzed. opod. PTU A | 4,99",
        "Kwota A 23,00% | 0,93",
        "Sprzed. opod. PTU C | 9,47",
        "Kwota C 5,00% | 0,45",
        "Podatek PTU | 1,38",
        "SUMA PLN | 14,46",
        "Gotówka | 20,00",
        "Reszta | 5,54",
    )
    assert doc.value("total") == Decimal("14.46")
    assert doc.value("total_tax") == Decimal("1.38")  # "Podatek PTU": the tax, not the 4,99 sold at rate A


def _quebec(*taxes: str, subtotal: str = "SOUS-TOTAL | 11,48") -> Document:
    return _parse(
        "METRO PLUS",
        "Montreal, QC H3G 1S1",
        "SAVON | 6,99",
        "CHIPS | 4,49",
        subtotal,
        *taxes,
        "TOTAL | 13,20",
        "INTERAC | 13,20",
    )


def test_a_tax_printed_one_line_per_tax_is_their_sum_when_the_arithmetic_says_so() -> None:
    doc = _quebec("TPS 5% | 0,57", "TVQ 9,975% | 1,15")
    assert doc.value("total_tax") == Decimal("1.72")
    assert doc.fields["total_tax"].text == "0,57 + 1,15"
    # without a subtotal nothing says both are charged: the one line stands
    alone = _quebec("TPS 5% | 0,57", "TVQ 9,975% | 1,15", subtotal="")
    assert alone.value("total_tax") in (Decimal("0.57"), Decimal("1.15"))


def test_taxes_at_ten_and_one_percent_are_two_taxes() -> None:
    """A rate of 10% and one of 1% are two taxes, charged together when the arithmetic says so."""
    doc = _parse(
        "KAHVE EVI",
        "Kadikoy, Istanbul",
        "KAHVE | 80,00",
        "SU | 20,00",
        "ARA TOPLAM | 100,00",
        "KDV 10% | 8,00",
        "KDV 1% | 0,20",
        "TOPLAM | 108,20",
        "NAKIT | 110,00",
    )
    assert doc.value("total") == Decimal("108.20")
    assert doc.value("total_tax") == Decimal("8.20")


def test_taxes_included_at_two_rates_are_their_sum_when_the_prices_they_imply_make_the_total() -> None:
    """A Belgian till prints the VAT in its prices per rate and no net amount: 0,13 at 6% and 1,20 at 21% are
    the tax in 2,30 and 6,91 of prices, which make the 9,24 paid, so both are charged."""
    lines = ("DELHAIZE", "Rue Neuve 111, 1000 Bruxelles", "PAIN GRIS | 2,35", "BIERE 6X25CL | 6,89")
    doc = _parse(*lines, "TOTAL A PAYER | 9,24", "BANCONTACT | 9,24", "TVA 6% | 0,13", "TVA 21% | 1,20")
    assert doc.value("total_tax") == Decimal("1.33")
    assert doc.fields["total_tax"].text == "0,13 + 1,20"
    # taxes whose prices could not all be in the total (8,30 and 11,00 of prices in 9,24): the one line stands
    wrong = _parse(*lines, "TOTAL A PAYER | 9,24", "BANCONTACT | 9,24", "TVA 6% | 0,47", "TVA 21% | 1,91")
    assert wrong.value("total_tax") in (Decimal("0.47"), Decimal("1.91"))


def test_central_and_state_gst_of_equal_amounts_add_up() -> None:
    doc = _parse(
        "CROMA",
        "GSTIN 29AABCT9136F1Z5",
        "MacBook Air M3 | 1,14,900.00",
        "Taxable Value | 97,372.88",
        "CGST @9% | 8,763.56",
        "SGST @9% | 8,763.56",
        "Net Amount Rs. | 1,14,900.00",
    )
    assert doc.value("total") == Decimal("114900.00")
    assert doc.value("subtotal") == Decimal("97372.88")
    assert doc.value("total_tax") == Decimal("17527.12")


@pytest.mark.parametrize("label", ["Zu bezahlen", "Att betala", "At betale", "Maksettava", "K úhradě"])
def test_the_amount_to_pay_in_german_and_nordic_and_czech_is_the_total(label: str) -> None:
    doc = _parse("CAFE", "Kaffee | 4,50", "Gipfeli | 2,20", f"{label} | 6,70")
    assert doc.value("total") == Decimal("6.70")


def test_a_japanese_era_year_is_the_western_year() -> None:
    reiwa = _parse("ローソン 新宿西口店", "令和6年3月9日 08:12", "おにぎり | ¥160", "緑茶 | ¥140", "合計 | ¥300")
    assert reiwa.value("date") == date(2024, 3, 9)
    heisei = _parse("ローソン", "平成31年4月1日 08:12", "緑茶 | ¥140", "合計 | ¥140")
    assert heisei.value("date") == date(2019, 4, 1)


def test_thousands_grouped_with_a_thin_space_are_one_number() -> None:
    doc = _parse("FNAC", "12 rue de Rennes 75006 Paris", "Ordinateur | 1\u2009234,56", "TOTAL TTC | 1\u2009234,56 €")
    assert doc.value("total") == Decimal("1234.56")


def test_turkish_lira_printed_as_tl_or_known_by_the_tax_number() -> None:
    assert _parse("BAKKAL", "EKMEK | 10,00", "TOPLAM | TL 42,50").currency == "TRY"
    # no sign at all: the tax office's number (V.D., its check digit right) says Turkey
    doc = _parse("MIGROS", "V.D. KADIKOY 3046405606", "EKMEK | *10,00", "TOPLAM | *42,50")
    assert doc.currency == "TRY"


@pytest.mark.parametrize(
    ("tax_line", "currency"),
    [
        ("Contribuinte 508329701", "EUR"),  # a Portuguese tax number
        ("St.-Nr. 143/123/45678", "EUR"),  # a German one, in its Land's form
        ("GST No: 027-542-638", "NZD"),  # a New Zealand GST number makes "$" the NZ dollar
        ("GST Reg No: 001092489216", "USD"),  # a Malaysian GST number names no country: "$" stays
    ],
)
def test_a_checked_tax_number_names_the_currency(tax_line: str, currency: str) -> None:
    amount = "$9.70" if currency != "EUR" else "9,70"
    assert _parse("SHOP", tax_line, f"Milk | {amount}", f"TOTAL | {amount}").currency == currency


@pytest.mark.parametrize(
    ("lines", "total"),
    [
        (
            ("ПЯТЁРОЧКА", "Хлеб | 45.90", "Молоко | 89.90", "ИТОГ | 135.80", "НАЛИЧНЫМИ | 200.00", "СДАЧА | 64.20"),
            "135.80",
        ),
        (("СІЛЬПО", "Хліб | 32,50", "Молоко | 41,90", "СУМА | 74,40", "ГОТІВКА | 100,00", "РЕШТА | 25,60"), "74.40"),
        (("ΣΚΛΑΒΕΝΙΤΗΣ", "ΨΩΜΙ | 1,20", "ΓΑΛΑ | 1,65", "ΣΥΝΟΛΟ | 2,85", "ΜΕΤΡΗΤΑ | 5,00", "ΡΕΣΤΑ | 2,15"), "2.85"),
        (("SPAR", "Kenyér | 599", "Tej | 389", "ÖSSZESEN: | 988 Ft", "Készpénz | 1 000", "Visszajáró | 10"), "988"),
        (("7-ELEVEN", "น้ำดื่ม | 7.00", "ขนมปัง | 25.00", "รวม | 32.00", "เงินสด | 100.00", "เงินทอน | 68.00"), "32.00"),
        (("שופרסל", "לחם | 8.90", "חלב | 6.20", 'סה"כ לתשלום | 15.10', "מזומן | 20.00", "עודף | 4.90"), "15.10"),
        (
            (
                "CIRCLE K",
                "Nước suối | 8.000",
                "Bánh mì | 25.000",
                "Tổng cộng | 33.000",
                "Tiền mặt | 50.000",
                "Tiền thối | 17.000",
            ),
            "33000",
        ),
    ],
    ids=["russian", "ukrainian", "greek", "hungarian", "thai", "hebrew", "vietnamese"],
)
def test_totals_in_other_scripts_and_languages(lines: tuple[str, ...], total: str) -> None:
    assert _parse(*lines).value("total") == Decimal(total)


def test_thai_buddhist_era_year_and_the_script_names_the_baht() -> None:
    doc = _parse("7-ELEVEN", "สาขา สุขุมวิท 11", "ขนมปัง | 25.00", "รวม | 25.00", "14/03/2567 18:20")
    assert doc.value("date") == date(2024, 3, 14)
    assert doc.currency == "THB"


def test_a_dotted_date_does_not_make_thousands_decimals() -> None:
    # "14.03" of the date is no amount: the rupiah amounts are grouped thousands
    doc = _parse(
        "INDOMARET",
        "14.03.2024-10:15",
        "AQUA 600ML | 3.500",
        "ROTI | 12.000",
        "TOTAL BELANJA | 15.500",
        "TUNAI | 20.000",
        "KEMBALI | 4.500",
    )
    assert doc.value("total") == Decimal("15500")


def test_dong_glued_to_the_amount_and_euro_spelt_out() -> None:
    pho = _parse("Phở Thìn", "13 Lò Đúc, Hà Nội", "Phở bò | 60.000đ", "Trà đá | 5.000đ", "Tổng tiền | 65.000đ")
    assert pho.value("total") == Decimal("65000")
    assert pho.currency == "VND"
    assert _parse("CIRCLE K", "NUOC SUOI | 8.000 VNĐ", "TONG CONG | 8.000 VNĐ").currency == "VND"  # all capitals
    assert _parse("BAR CENTRALE", "CAFFE | 1,20", "TOTALE EURO | 1,20").currency == "EUR"
    # a word that starts like a currency's name is no currency
    assert _parse("SHOP", "1 EUROPEAN WALNUT | 6.50", "TOTAL | 6.50").currency is None


@pytest.mark.parametrize(
    ("lines", "currency"),
    [
        (("ΣΚΛΑΒΕΝΙΤΗΣ", "ΨΩΜΙ | 1,20", "ΣΥΝΟΛΟ | 1,20"), "EUR"),  # Greek script: Greece or Cyprus, euros either way
        (("שופרסל", "לחם | 8.90", 'סה"כ | 8.90'), "ILS"),
        (("ПЯТЁРОЧКА", "ИНН 7719134768", "Хлеб | 45.90", "ИТОГ | 45.90"), "RUB"),  # a Russian tax number
        (("SHOP", "Resistor 10Ω | 0.50", "TOTAL | 0.50"), None),  # one Greek letter names no country
    ],
)
def test_a_script_or_tax_number_names_the_currency(lines: tuple[str, ...], currency: str | None) -> None:
    assert _parse(*lines).currency == currency


def test_a_restaurants_tip_guide_is_not_the_bill() -> None:
    doc = _parse(
        "OLIVE GARDEN #1234",
        "(217) 555-0100",
        "03/14/2024 7:42 PM",
        "2 Chicken Alfredo | 39.98",
        "1 Tiramisu | 8.99",
        "Subtotal | 48.97",
        "Tax | 4.04",
        "Total | 53.01",
        "Suggested Gratuity",
        "15% (Tip $7.35) | Total $60.36",
        "18% (Tip $8.81) | Total $61.82",
        "20% (Tip $9.79) | Total $62.80",
    )
    assert doc.value("total") == Decimal("53.01")
    assert "tip" not in doc.fields  # nothing was tipped yet
    guide = _parse(
        "Joe's Cafe",
        "Mar 14, 2024 8:02 PM",
        "Burger | $14.00",
        "Fries | $4.50",
        "Subtotal | $18.50",
        "Tax | $1.53",
        "Tip | $3.70",
        "Total | $23.73",
        "Visa 4242 | $23.73",
        "Tip Guide",
        "18%: $3.33",
        "20%: $3.70",
        "22%: $4.07",
    )
    assert guide.value("total") == Decimal("23.73")
    assert guide.value("total_tax") == Decimal("1.53")  # not a percentage of the guide


def test_the_tax_a_table_prints_in_its_column() -> None:
    german = _parse(
        "EDEKA",
        "EUR",
        "Bio Eier | 3,99 B",
        "Apfelsaft | 1,49 A",
        "Pfand | 0,25 A",
        "SUMME | 5,73",
        "EC-Cash | 5,73",
        "Steuer % | Netto | Steuer | Brutto",
        "A 19% | 1,46 | 0,28 | 1,74",
        "B 7% | 3,73 | 0,26 | 3,99",
        "Gesamtbetrag | 5,19 | 0,54 | 5,73",
        "14.03.2024 18:22",
    )
    assert german.value("total_tax") == Decimal("0.54")  # the sum row's tax column
    swedish = _parse(
        "ICA",
        "Mjolk | 15,90",
        "Kaffe | 54,90",
        "Totalt | 70,80",
        "Kort | 70,80",
        "Moms % | Moms | Netto | Brutto",
        "12,00 | 7,59 | 63,21 | 70,80",
    )
    assert swedish.value("total_tax") == Decimal("7.59")  # one rate's row; its rate printed without a % sign
    spanish = _parse(
        "MERCADONA",
        "LECHE | 0,89",
        "ACEITE | 8,95",
        "TOTAL (EUR) | 9,84",
        "IVA | BASE IMPONIBLE | CUOTA",
        "4% | 0,86 | 0,03",
        "10% | 8,14 | 0,81",
    )
    assert spanish.value("total_tax") == Decimal("0.84")  # "cuota" heads the tax; the rows added up


@pytest.mark.parametrize(
    ("printed", "day"),
    [
        ("R6.3.14 12:34", date(2024, 3, 14)),  # Reiwa 6, as Japanese tills abbreviate it
        ("2024-MAR-14 12:34", date(2024, 3, 14)),  # year first with a month's name
        ("14. 3. 2024 12:34", date(2024, 3, 14)),  # Czech and Slovak space after each dot
        ("MAR-14 12:34", None),  # no year: the time's hour is not one
    ],
)
def test_more_date_forms(printed: str, day: date | None) -> None:
    assert _parse("SHOP", printed, "Item | 1,60", "TOTAL | 1,60").value("date") == day
