"""The transaction date and time, with day/month order read from the receipt itself."""

from __future__ import annotations

from datetime import date

import pytest

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import Document
from receiptdesk.providers.local.parser import parse
from tests.unit.providers.local.pages import receipt


def _parse(*lines: str) -> Document:
    return parse([receipt(*lines)])


def test_a_date_that_reads_both_ways_is_flagged_not_guessed_silently() -> None:
    doc = _parse("SHOP", "Date: 03/04/2024", "Item | 2.00", "TOTAL | 2.00")
    f = doc.fields["date"]
    assert "ambiguous_date" in f.flags
    assert f.value in (date(2024, 3, 4), date(2024, 4, 3))
    assert f.confidence < 0.5
    assert any(c.name == "ambiguous_date" and c.status == "warning" for c in doc.checks)


def test_another_date_on_the_receipt_settles_the_order() -> None:
    doc = _parse("SHOP", "Date: 03/04/2024", "Item | 2.00", "TOTAL | 2.00", "Valid until 25/04/2024")
    f = doc.fields["date"]
    assert f.value == date(2024, 4, 3)
    assert "ambiguous_date" not in f.flags


def test_a_us_address_settles_month_first() -> None:
    doc = _parse("LITTLE DELHI", "83 Eddy Street", "San Francisco, CA 94102", "4/6/2017 5:53pm", "TOTAL | 37.71")
    assert doc.value("date") == date(2017, 4, 6)
    assert "ambiguous_date" not in doc.fields["date"].flags


def test_a_named_currency_settles_day_first() -> None:
    doc = _parse("BAR CENTRAL SL", "FECHA: 11/08/2016", "TOTAL | 124,90 €")
    assert doc.value("date") == date(2016, 8, 11)
    assert "ambiguous_date" not in doc.fields["date"].flags


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("14 MAR 2018 18:40", date(2018, 3, 14)),
        ("Tuesday, March 27th 2018", date(2018, 3, 27)),
        ("Facture du 02 Juillet 2015", date(2015, 7, 2)),
        ("27. Dezember 2019", date(2019, 12, 27)),
        ("Jul03'12 02:34PM", date(2012, 7, 3)),
        ("2023-03-20", date(2023, 3, 20)),
        ("19.09.14", date(2014, 9, 19)),
    ],
)
def test_month_names_two_digit_years_and_iso(printed: str, expected: date) -> None:
    doc = _parse("SHOP", printed, "TOTAL | 1.00")
    assert doc.value("date") == expected


def test_ocr_misreads_of_month_names_are_read() -> None:
    doc = _parse("SHOP", "270ec'16 17:58", "TOTAL | 1.00")
    assert doc.value("date") == date(2016, 12, 27)


def test_the_labelled_date_beats_a_due_date() -> None:
    doc = _parse("ACME LTD", "Due date: 30/04/2024", "Invoice date: 15/04/2024", "TOTAL | 10.00")
    assert doc.value("date") == date(2024, 4, 15)


def test_date_under_its_column_heading() -> None:
    doc = _parse("ACME LTD", "Invoice Date: | Due Date:", "03/20/2023 | 04/04/2023", "Total | 279.84")
    assert doc.value("date") == date(2023, 3, 20)


def test_time_glued_to_the_date_by_ocr() -> None:
    doc = _parse("SHOP", "09/03/20184:21:23PM", "TOTAL | RM 1.00")
    assert doc.value("date") == date(2018, 3, 9)  # ringgit: day first
    assert doc.value("time") == "16:21:23"


def test_no_date_means_no_date() -> None:
    doc = _parse("SHOP", "Item | 1.00", "TOTAL | 1.00")
    assert "date" not in doc.fields


def test_the_users_habit_reads_a_date_the_receipt_leaves_open_but_it_stays_flagged() -> None:
    page = receipt("SHOP", "Date: 03/04/2024", "TOTAL | 2.00")
    day_first = parse([page], date_order=DateOrder.DMY).fields["date"]
    month_first = parse([page], date_order=DateOrder.MDY).fields["date"]
    assert (day_first.value, month_first.value) == (date(2024, 4, 3), date(2024, 3, 4))
    assert "ambiguous_date" in day_first.flags and "ambiguous_date" in month_first.flags


def test_the_users_habit_does_not_override_the_receipt() -> None:
    page = receipt("SHOP", "Date: 03/04/2024", "Printed 25/04/2024", "TOTAL | 2.00")
    assert parse([page], date_order=DateOrder.MDY).value("date") == date(2024, 4, 3)


def test_a_returns_deadline_above_the_date_does_not_disqualify_it() -> None:
    doc = _parse(
        "CVS/pharmacy",
        "4365 N ORACLE ROAD, TUCSON, AZ",
        "CONAIR COMB | 4.29",
        "TOTAL | 20.41",
        "RETURNS WITH RECEIPT THRU 05/31/2016",
        "APRIL 1,2016",
        "8:39 AM",
    )
    assert doc.value("date") == date(2016, 4, 1)


def test_a_malay_street_word_or_a_glued_state_name_says_day_first() -> None:
    doc = _parse(
        "RESTORAN DE COFFEE O",
        "NO 33, 35, G F.JALAN TEMENGGUNG 3/9.",
        "43200CHERASSELANGOR",
        "Receipt # CS00119810 Date 03/04/2018",
        "TOTAL | 11.60",
    )
    f = doc.fields["date"]
    assert f.value == date(2018, 4, 3)
    assert "ambiguous_date" not in f.flags
    us = _parse("CORNER DELI", "Date 03/04/2018", "TOTAL | 11.60")
    assert "ambiguous_date" in us.fields["date"].flags  # no cue at all: still asked, not assumed


def test_a_us_town_and_state_says_month_first() -> None:
    doc = _parse("CORNER DELI", "SPRINGFIELD, IL", "12/07/2019 12:22 PM", "TOTAL | $11.60")
    f = doc.fields["date"]
    assert f.value == date(2019, 12, 7)
    assert "ambiguous_date" not in f.flags


def test_a_product_code_like_a_state_and_zip_does_not_make_the_receipt_american() -> None:
    doc = _parse(
        "PERNIAGAAN ZHENG HUI",
        "NO.59 JALAN PERMAS 9/5",
        "81750 JOHOR BAHRU",
        "Date:09/03/2018",
        "10273 GA18011 | 170.00",
        "TOTAL | 170.00",
    )
    assert doc.value("date") == date(2018, 3, 9)
    us = _parse("CORNER DELI", "TYLER, TX 75707", "Date 03/04/2018", "TOTAL | 11.60")
    assert us.value("date") == date(2018, 3, 4)  # a state and ZIP apart is an American address
