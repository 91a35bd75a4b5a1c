from datetime import date

import pytest

from receiptdesk.core.dates import DateOrder, find_dates, parse_date, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-01-03", date(2018, 1, 3)),
        ("17/03/2018", date(2018, 3, 17)),
        ("4/16/2017", date(2017, 4, 16)),
        ("19.09.2014", date(2014, 9, 19)),
        ("12 March 2020", date(2020, 3, 12)),
        ("Thursday, 26 March 2020", date(2020, 3, 26)),
        ("Tuesday,March27th2018", date(2018, 3, 27)),
        ("Mar 12, 2018", date(2018, 3, 12)),
        ("27-MAR-18", date(2018, 3, 27)),
        ("12. März 2018", date(2018, 3, 12)),
        ("29 maart 2014", date(2014, 3, 29)),
        ("1er janvier 2020", date(2020, 1, 1)),
        ("15 Ogos 2017", date(2017, 8, 15)),
        ("Date: 09/03/20184:21:23PM", date(2018, 3, 9)),
        # a till number glued to a code is not the day; the year after an apostrophe or accent
        ("53KS#03 S#1 Jul.30'11 (Sat) 07:27", date(2011, 7, 30)),
        ("KS#3 Oct.10'15(Sat) 11:01", date(2015, 10, 10)),
        ("27Dec´16 17:58", date(2016, 12, 27)),
    ],
)
def test_parse_date_reads_common_forms(text: str, expected: date) -> None:
    m = parse_date(text)
    assert m is not None
    assert m.value == expected


def test_ambiguous_date_says_so_and_keeps_the_other_reading() -> None:
    m = parse_date("03/04/2024")
    assert m is not None and m.ambiguous
    assert m.value == date(2024, 4, 3)  # day first unless told otherwise
    assert m.alternatives == (date(2024, 3, 4),)
    us = parse_date("03/04/2024", order=DateOrder.MDY)
    assert us is not None and us.value == date(2024, 3, 4)


def test_impossible_reading_is_not_ambiguous() -> None:
    m = parse_date("12/25/2023")
    assert m is not None and not m.ambiguous and m.value == date(2023, 12, 25)


def test_no_date_in_plain_numbers() -> None:
    assert find_dates("Invoice 12345 total 45.60") == []
    assert parse_date("99/99/2020") is None


def test_parse_time() -> None:
    assert parse_time("4:21:23PM") == "16:21:23"
    assert parse_time("7:51pm") == "19:51"
    assert parse_time("13:59") == "13:59"
    assert parse_time("no time") is None
