"""Date orders come from CLDR (Babel), so a country or a currency nobody here wrote down is still known."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_date_format
from babel.numbers import get_decimal_symbol

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.locales import DECIMAL_COMMA_ORDER, country_date_order, currency_date_order


def test_currencies_speak_for_the_country_that_issues_them() -> None:
    assert currency_date_order("USD") is DateOrder.MDY
    assert currency_date_order("PHP") is DateOrder.MDY  # the Philippines write the month first too
    assert currency_date_order("GBP") is DateOrder.DMY
    assert currency_date_order("EUR") is DateOrder.DMY  # every euro country that writes d/m or m/d agrees
    assert currency_date_order("XOF") is DateOrder.DMY  # West Africa's franc: no country of that name
    assert currency_date_order("SEK") is None  # Sweden writes 2024-03-14: nothing to say about 03/04
    assert currency_date_order("XYZ") is None
    assert currency_date_order(None) is None


def test_countries_as_their_short_date_format_writes_them() -> None:
    assert country_date_order("US") is DateOrder.MDY
    assert country_date_order("DE") is DateOrder.DMY
    assert country_date_order("JP") is None


def test_no_country_that_writes_a_decimal_comma_puts_the_month_first() -> None:
    """The fact behind reading 03/04/2024 on a receipt of 12,50 amounts as 3 April: checked on CLDR itself."""
    month_first_with_comma, countries = [], 0
    for country, languages in get_global("territory_languages").items():
        # the country's most spoken language that CLDR has a locale for: what its receipts print
        for language in sorted(languages, key=lambda lang: -languages[lang].get("population_percent", 0)):
            try:
                loc = Locale.parse(f"{language}_{country}")
            except (UnknownLocaleError, ValueError):
                continue
            countries += 1
            pattern = get_date_format("short", locale=loc).pattern
            d, m, y = pattern.find("d"), pattern.find("M"), pattern.find("y")
            if get_decimal_symbol(loc) == "," and 0 <= m < d and not 0 <= y < m:
                month_first_with_comma.append(str(loc))
            break
    assert countries > 200
    assert month_first_with_comma == []
    assert DECIMAL_COMMA_ORDER is DateOrder.DMY
