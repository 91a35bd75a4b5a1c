"""Properties of the money and date parsers over generated text: never a crash, and values round-trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from receiptdesk.core.dates import MAX_YEAR, MIN_YEAR, DateOrder, find_dates, parse_date, parse_time
from receiptdesk.core.money import find_amounts, money_str, parse_amount

FAST = settings(max_examples=300, deadline=None, derandomize=True, database=None)
# Text as receipts print it: digits, separators, signs, currency marks, letters, any Unicode now and then.
RECEIPTY = st.text(alphabet=st.sampled_from("0123456789.,' -−()$€£¥:/@RMEURUSD\n\t") | st.characters(), max_size=60)
CENTS = st.integers(min_value=-(10**9), max_value=10**9).map(lambda c: Decimal(c).scaleb(-2))
DATES = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))


@FAST
@given(RECEIPTY)
def test_the_money_parser_never_raises_and_spans_lie_in_the_text(text: str) -> None:
    for decimal_comma in (None, True, False):
        for m in find_amounts(text, decimal_comma=decimal_comma):
            assert 0 <= m.start < m.end <= len(text)
            assert m.amount.value.is_finite()
        amount = parse_amount(text, decimal_comma=decimal_comma)
        if amount is not None:
            assert money_str(amount.value)  # always printable as an export cell


def _grouped(value: Decimal, group: str, mark: str) -> str:
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{group.join(groups)}{mark}{cents}"


@FAST
@given(CENTS, st.sampled_from([(",", "."), (".", ","), ("", "."), ("", ","), ("'", "."), (" ", ",")]),
       st.sampled_from(["", "$", "€ ", "EUR ", "TOTAL "]))  # fmt: skip
def test_an_amount_printed_any_common_way_reads_back(value: Decimal, marks: tuple[str, str], prefix: str) -> None:
    group, mark = marks
    text = prefix + _grouped(value, group, mark)
    amount = parse_amount(text)
    assert amount is not None, text
    assert amount.value == value, text
    assert money_str(amount.value) == f"{value:.2f}"


@FAST
@given(RECEIPTY, st.sampled_from([None, DateOrder.DMY, DateOrder.MDY]))
def test_the_date_parser_never_raises(text: str, order: DateOrder | None) -> None:
    for m in find_dates(text, order=order):
        assert 0 <= m.start < m.end <= len(text)
        assert MIN_YEAR <= m.value.year <= MAX_YEAR
    parse_date(text, order=order)
    time = parse_time(text)
    if time is not None:
        hh, mm = time.split(":")[:2]
        assert 0 <= int(hh) < 24 and 0 <= int(mm) < 60


@FAST
@given(DATES)
def test_a_date_printed_any_common_way_reads_back(day: date) -> None:
    assert parse_date(day.isoformat()).value == day  # type: ignore[union-attr]
    assert parse_date(day.strftime("%d %B %Y")).value == day  # type: ignore[union-attr]
    assert parse_date(day.strftime("%d/%m/%Y"), order=DateOrder.DMY).value == day  # type: ignore[union-attr]
    assert parse_date(day.strftime("%m/%d/%Y"), order=DateOrder.MDY).value == day  # type: ignore[union-attr]
    found = parse_date(day.strftime("%d.%m.%y"), order=DateOrder.DMY)
    if found is not None:  # two-digit years: 1970-2069
        assert found.value == day or found.value.year != day.year
