"""OCR slips in the common words of shop names and addresses, put right; everything else left as read."""

from __future__ import annotations

from receiptdesk.core.document import Document
from receiptdesk.providers.local.parser import parse
from receiptdesk.providers.local.parsing.spelling import corrected_address, corrected_name
from tests.unit.providers.local.pages import receipt


def _parse(*lines: str) -> Document:
    return parse([receipt(*lines)])


def test_a_dropped_or_swapped_letter_in_a_trade_word_is_put_right() -> None:
    doc = _parse(
        "LIM SENG THO HARDWAR TRADING",
        "No 7, Simpang Off Batu Village,",
        "Jalan Ipoh Batu 5, 51200 Kuala Lumpur",
        "TOTAL | RM 6.00",
    )
    vendor = doc.fields["vendor_name"]
    assert vendor.value == "LIM SENG THO HARDWARE TRADING"
    assert vendor.text == "LIM SENG THO HARDWAR TRADING"  # what was printed (as read) stays beside it
    assert corrected_name("OLIVE 9 PHARHACY SDN BHD") == "OLIVE 9 PHARMACY SDN BHD"
    assert corrected_name("Verbena Confectiunery") == "Verbena Confectionery"


def test_an_accent_ocr_added_to_a_plain_word_is_taken_off() -> None:
    assert corrected_name("LIM SENG THO HARDWARÉ TRADING") == "LIM SENG THO HARDWARE TRADING"


def test_street_and_region_words_in_the_address_are_put_right() -> None:
    doc = _parse(
        "UNIHAKKA INTERNATIONAL SDN BHD",
        "12, Jalan Tampoi 7/4, Kawasan Perindustian",
        "Tampoi, 81200 Johor Bahru, Johor",
        "TOTAL | RM 8.20",
    )
    assert doc.value("vendor_address") == "12, Jalan Tampoi 7/4, Kawasan Perindustrian Tampoi, 81200 Johor Bahru, Johor"
    assert doc.fields["vendor_address"].text.endswith("Johor")


def test_real_words_and_names_outside_the_vocabulary_are_left_alone() -> None:
    # plurals and roots are words, not slips; a name is never "corrected" into a trade word
    assert corrected_name("BEN'S INDEPENDENT GROCER SDN BHD") == "BEN'S INDEPENDENT GROCER SDN BHD"
    assert corrected_name("TIMES BOOKSTORES") == "TIMES BOOKSTORES"
    assert corrected_name("MARKETA DELICATESSEN") == "MARKETA DELICATESSEN"
    assert corrected_name("GERBANG ALAF RESTAURANTS") == "GERBANG ALAF RESTAURANTS"
    # two slips are too many to guess from; short words are too easy to turn into another
    assert corrected_name("HRDWRE STORE") == "HRDWRE STORE"
    assert corrected_address("Jalan Tampol, Kasai") == "Jalan Tampol, Kasai"


def test_words_written_with_accents_keep_them() -> None:
    assert corrected_name("Bäckerei Müller GmbH") == "Bäckerei Müller GmbH"
    assert corrected_name("Boulangerie Pâtisserie") == "Boulangerie Pâtisserie"


def test_an_accent_on_an_english_or_malay_address_word_is_taken_off() -> None:
    assert corrected_address("47301 Petaling Jaya, SÉLANGOR") == "47301 Petaling Jaya, SELANGOR"
    assert corrected_address("Hauptstraße 5, 80331 München") == "Hauptstraße 5, 80331 München"


def test_a_capital_i_read_for_an_l_is_put_right_in_short_address_words() -> None:
    doc = _parse(
        "ENW HARDWARE CENTRE (M) SDN. BHD.",
        "No: G3, BIk G, JIn PJU 1A/3,",
        "Ara Damansara, 47301",
        "TOTAL | RM 8.20",
    )
    assert doc.value("vendor_address") == "No: G3, Blk G, Jln PJU 1A/3 Ara Damansara, 47301"
    assert corrected_address("NO 2, JAIAN UTARID") == "NO 2, JALAN UTARID"


def test_short_words_with_an_i_that_are_not_slips_are_left_alone() -> None:
    assert corrected_address("KIM JIN, JLN 2, JALAN TIN") == "KIM JIN, JLN 2, JALAN TIN"
    # a small i read as a capital is no street word: left as read, not turned into an l
    assert corrected_name("Burger KIng PIzza MIlk UStId") == "Burger KIng PIzza MIlk UStId"


def test_a_one_read_for_a_small_l_inside_a_word_is_put_right() -> None:
    doc = _parse(
        "Colonia1 Grill",
        "91-95 Clerkenwel1 Rd",
        "London, EC1R 5BX",
        "TOTAL | £12.40",
    )
    assert doc.value("vendor_name") == "Colonial Grill"
    # the postcode's 1 is among capitals: a code, kept
    assert doc.value("vendor_address") == "91-95 Clerkenwell Rd London, EC1R 5BX"
    assert corrected_address("Dubai Mal1, Hi11s Road") == "Dubai Mall, Hills Road"
    # numbers stay numbers: ordinals, a short word's number, a postcode run into a town, codes with other digits
    assert (
        corrected_address("1st Floor, Room1, Bangkok10110, Unit b10a2") == "1st Floor, Room1, Bangkok10110, Unit b10a2"
    )


def test_a_heading_word_is_not_put_right_into_a_trade_word() -> None:
    """A heading word read right stays as printed: "Details" is one letter from "Retails"."""
    assert corrected_name("Hotel Details Check In Check Out Rooms") == "Hotel Details Check In Check Out Rooms"
    assert corrected_name("Customer Details") == "Customer Details"
