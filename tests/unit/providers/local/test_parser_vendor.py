"""The merchant block: who sold it and where, not the banners around it."""

from __future__ import annotations

from receiptdesk.core.document import Document
from receiptdesk.providers.local.parser import parse
from receiptdesk.providers.local.parsing.layout import build_lines
from receiptdesk.providers.local.parsing.vendor import merchant
from receiptdesk.providers.local.parsing.vendor_choice import vendor_candidates
from tests.unit.providers.local.pages import receipt


def _parse(*lines: str) -> Document:
    return parse([receipt(*lines)])


def test_vendor_is_not_a_copy_or_invoice_banner() -> None:
    doc = _parse(
        "CUSTOMER COPY",
        "TAX INVOICE",
        "GREEN LEAF CAFE",
        "12 Baker Street",
        "London W1U 3BW",
        "TOTAL | £4.50",
    )
    assert doc.value("vendor_name") == "GREEN LEAF CAFE"
    assert doc.value("vendor_address") == "12 Baker Street London W1U 3BW"


def test_legal_entity_wins_over_the_brand_above_it() -> None:
    doc = _parse(
        "MORGANFIELD'S",
        "TIMELESS KITCHENETTE SDN BHD",
        "COMPANY NO : 1174703-K",
        "GST REG NO : 000677100976",
        "LOT 50, FLOOR T2, SKY AVENUE",
        "69000 GENTING HIGHLANDS, PAHANG",
        "TOTAL | RM 593.10",
    )
    assert doc.value("vendor_name") == "TIMELESS KITCHENETTE SDN BHD"
    assert doc.value("vendor_address") == "LOT 50, FLOOR T2, SKY AVENUE 69000 GENTING HIGHLANDS, PAHANG"
    assert doc.value("vendor_tax_id") == "000677100976"


def test_registration_number_is_not_part_of_the_name() -> None:
    doc = _parse("99 SPEED MART S/B (519537-X)", "LOT P.T. 2811, JALAN ANGSA,", "41150 KLANG, SELANGOR", "TOTAL | 2.50")
    assert doc.value("vendor_name") == "99 SPEED MART S/B"


def test_name_broken_over_lines_is_joined() -> None:
    doc = _parse(
        "AIK HUAT HARDWARE",
        "ENTERPRISE (SETIA",
        "ALAM) SDN BHD",
        "822737-X",
        "NO. 17-G, JALAN SETIA INDAH",
        "40170 SHAH ALAM,",
        "TEL: 012 - 6651783",
        "TOTAL | 15.00",
    )
    assert doc.value("vendor_name") == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"
    assert doc.value("vendor_address") == "NO. 17-G, JALAN SETIA INDAH 40170 SHAH ALAM"
    assert doc.value("vendor_phone") == "012 - 6651783"


def test_address_stops_at_the_phone_printed_on_its_last_line() -> None:
    doc = _parse(
        "MOONLIGHT CAKE HOUSE SDN BHD",
        "NO.1, JALAN PERMAS 10/5, BANDAR BARU PERMAS JAYA",
        "81750 JOHOR BAHRU, JOHOR, TEL NO.: 07-387 3322",
        "TOTAL | 5.00",
    )
    assert doc.value("vendor_address") == "NO.1, JALAN PERMAS 10/5, BANDAR BARU PERMAS JAYA 81750 JOHOR BAHRU, JOHOR"
    box = doc.fields["vendor_address"].box
    assert box is not None and box.is_inside_page()


def test_handwriting_far_above_the_block_is_not_the_vendor() -> None:
    page = receipt(
        "tan woon yann",
        "",
        "",
        "",
        "INDAH GIFT & HOME DECO",
        "27, JALAN DEDAP 13,",
        "81100 JOHOR BAHRU",
        "TOTAL | 1.00",
    )
    doc = parse([page])
    assert doc.value("vendor_name") == "INDAH GIFT & HOME DECO"


def test_german_street_and_company_form() -> None:
    doc = _parse("Bäckerei Müller GmbH", "Hauptstraße 5", "10115 Berlin", "Summe EUR | 3,20")
    assert doc.value("vendor_name") == "Bäckerei Müller GmbH"
    assert doc.value("vendor_address") == "Hauptstraße 5 10115 Berlin"


def test_nothing_recognisable_leaves_the_address_empty() -> None:
    doc = _parse("THANK YOU", "Item | 1.00", "TOTAL | 1.00")
    assert "vendor_address" not in doc.fields


def test_company_form_misread_by_ocr_is_put_back() -> None:
    doc = _parse(
        "MOONLIGHT CAKE HOUSE SDN DHD 862725-U", "NO.1, JALAN PERMAS 10/5", "81750 JOHOR BAHRU", "TOTAL | 5.00"
    )
    assert doc.value("vendor_name") == "MOONLIGHT CAKE HOUSE SDN BHD"
    doc = _parse("99 SPEED MART 5/B (519537-X)", "LOT P.T. 2811, JALAN ANGSA,", "41150 KLANG", "TOTAL | 2.50")
    assert doc.value("vendor_name") == "99 SPEED MART S/B"


def test_town_line_between_postcode_and_state_belongs_to_the_address() -> None:
    doc = _parse(
        "SINNATHAMBY HOLDINGS SDN. BHD. (219336-T)",
        "NO.17, 18 & 41, JALAN BESAR,",
        "39100 BRINCHANG,",
        "CAMERON HIGHLANDS,",
        "PAHANG",
        "GST Reg.:002120876032",
        "TOTAL | 10.00",
    )
    assert doc.value("vendor_name") == "SINNATHAMBY HOLDINGS SDN. BHD."
    assert doc.value("vendor_address") == "NO.17, 18 & 41, JALAN BESAR 39100 BRINCHANG CAMERON HIGHLANDS PAHANG"


def test_postcode_and_town_are_not_a_registration_number() -> None:
    doc = _parse("RESTAURANT JIAWEI", "002693074-K", "13, JLN TASIK UTAMA 8", "57000 KL", "INVOICE", "TOTAL | 9.00")
    assert doc.value("vendor_address") == "13, JLN TASIK UTAMA 8 57000 KL"


def test_an_advert_above_the_legal_name_does_not_end_the_merchant_block() -> None:
    doc = _parse(
        "Class",
        "buy.",
        "JIMART@SP3",
        "OGN GROUP SDN BHD",
        "Roc: 1026984-X",
        "No.29M, Jalan Dinar G U3/G, Seksyen U3,",
        "Subang Perdana,40150 Shah Alam",
        "TAX INVOICE",
        "TOTAL | RM 52.40",
    )
    assert doc.value("vendor_name") == "OGN GROUP SDN BHD"
    assert doc.value("vendor_address") == "No.29M, Jalan Dinar G U3/G, Seksyen U3 Subang Perdana,40150 Shah Alam"


def test_a_banner_after_the_address_still_ends_the_block() -> None:
    doc = _parse(
        "CORNER BAKERY",
        "12 Baker Street",
        "London W1U 3BW",
        "THANK YOU",
        "HAPPY HOUR TRADING LTD",
        "TOTAL | £4.50",
    )
    assert doc.value("vendor_name") == "CORNER BAKERY"


def test_the_company_number_line_under_the_name_is_not_part_of_it() -> None:
    doc = _parse(
        "ENW Hardware Centre (M) Sdn. Bhd.",
        "Co. Reg. No.: 795225-A 1",
        "No: G3, Blk G, Jln PJU 1A/3,",
        "Ara Damansara, 47301",
        "TOTAL | RM 27.00",
    )
    assert doc.value("vendor_name") == "ENW Hardware Centre (M) Sdn. Bhd."


def test_stray_marks_after_the_company_form_are_dropped() -> None:
    doc = _parse("BEMED (SP) SDN. BHD. .(P)", "No.49, Jalan Dinar G U3/G,", "40150 Shah Alam", "TOTAL | RM 191.20")
    assert doc.value("vendor_name") == "BEMED (SP) SDN. BHD."


def test_a_store_number_cut_from_the_name_takes_its_hash_sign_with_it() -> None:
    doc = _parse("Smashburger #1407", "440 US 130", "Robbinsville, NJ 08691", "TOTAL | $13.27")
    assert doc.value("vendor_name") == "Smashburger"


def test_a_store_number_printed_against_the_name_is_cut_as_a_spaced_one_is() -> None:
    for name in ("SPEEDWAY0006661", "SPEEDWAY 0006661"):
        doc = _parse(name, "La Porte IN 46350", "Diesel | $26.09", "TOTAL | $26.09")
        assert doc.value("vendor_name") == "SPEEDWAY", name


def test_town_and_state_is_the_address_and_a_store_number_line_is_not() -> None:
    doc = _parse(
        "MEGA BIGBOX",
        "800-532-2918",
        "CORNER STORES",
        "SPRINGFIELD, IL",
        "ST# 1477 OP# 19280104 TE# 20 TR# 21772",
        "TV 55 | 399.99",
        "TOTAL | 399.99",
    )
    assert doc.value("vendor_address") == "SPRINGFIELD, IL"


def test_a_tax_number_after_its_label_and_a_colon_is_the_tax_number_not_a_phone() -> None:
    doc = parse([receipt("CORNER BOOKS LTD", "VAT: GB123456789", "NIP: 774-00-01-454", "TOTAL | 4.20")])
    assert doc.value("vendor_tax_id") == "GB123456789"
    assert "vendor_phone" not in doc.fields


def test_a_tax_number_printed_apart_from_its_label_is_not_also_the_phone() -> None:
    doc = parse(
        [
            receipt(
                "Sprzedawca: ORLEN S.A.", "NIP: | 774-00-01-454", "Adres: | Chemików 7 09-411 Płock", "Razem | 316,83"
            )
        ]
    )
    assert doc.value("vendor_tax_id") == "774-00-01-454"
    assert "vendor_phone" not in doc.fields


def test_a_title_printed_after_the_name_is_cut_with_the_word_that_says_which_title() -> None:
    doc = _parse("Harbour Lodge PAYMENT RECEIPT", "12 Quay Street, Portside 40210", "Room | 240.00", "TOTAL | 240.00")
    assert doc.value("vendor_name") == "Harbour Lodge"


def test_a_document_title_is_no_candidate_for_the_vendor() -> None:
    """A line that is a title as a whole ("PAYMENT RECEIPT", "PRO FORMA INVOICE") names no one: the ranker is not
    offered it, nor the word left when "RECEIPT" is cut from it."""
    lines = build_lines(
        [receipt("PAYMENT RECEIPT", "PRO FORMA INVOICE", "Harbour Lodge", "12 Quay Street", "TOTAL | 240.00")]
    )
    cands, _ = vendor_candidates(lines, merchant(lines).vendor)
    values = {c.value.upper() for c in cands}
    assert "HARBOUR LODGE" in values
    assert not values & {"PAYMENT", "PAYMENT RECEIPT", "PRO FORMA", "PRO FORMA INVOICE"}


def test_the_seller_under_its_own_heading_is_the_vendor_with_the_address_below_it() -> None:
    """An invoice template's "FROM" block beside the invoice's details and above "Bill to" (the app's sample
    invoice): the name under the heading is the seller, the lines under it in that column its address."""
    doc = parse(
        [
            receipt(
                "invoice | LOGO",
                "FROM | INVOICE # US-001",
                "East Repair Inc. | INVOICE DATE 11/02/2019",
                "1912 Harvest Lane | P.O.# 2312/2019",
                "New York, NY 12210 | DUE DATE 26/02/2019",
                "BILL TO | SHIP TO",
                "John Smith | John Smith",
                "2 Court Square | 3787 Pineview Drive",
                "New York, NY 12210 | Cambridge, MA 12210",
                "Front and rear brake cables | 100.00",
                "TOTAL | 154.06",
            )
        ]
    )
    assert doc.value("vendor_name") == "East Repair Inc."
    assert doc.value("vendor_address") == "1912 Harvest Lane New York, NY 12210"
