"""How countries write dates, from CLDR (Babel): the one place the readers ask, instead of hand tables.

A country's order is its short date format's ("dd.MM.y" is day first, "y/MM/dd" settles nothing
about 03/04). A currency speaks for the country ISO 4217 names in its first two letters (USD: US,
PHP: the Philippines, which write the month first; CHF: Switzerland), else for every country that
uses it and writes day or month first, when they all agree (EUR). Amounts written 12,50 rule the
month-first order out: in CLDR no country whose main language writes a decimal comma writes its dates
month first (tests/unit/core/test_locales.py checks this against Babel's data).
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_date_format

from receiptdesk.core.dates import DateOrder

DECIMAL_COMMA_ORDER = DateOrder.DMY


@cache
def territory_locale(country: str) -> Locale | None:
    """The locale CLDR sees as most likely for a country ("und_NO": Norwegian Bokmål in Norway)."""
    try:
        return Locale.parse(f"und_{country}")
    except (UnknownLocaleError, ValueError):
        return None


@cache
def country_date_order(country: str) -> DateOrder | None:
    """Day or month first, as the country's short date format writes it; None for year first."""
    loc = territory_locale(country)
    if loc is None:
        return None
    pattern = get_date_format("short", locale=loc).pattern
    d, m, y = pattern.find("d"), pattern.find("M"), pattern.find("y")
    if min(d, m) < 0 or 0 <= y < min(d, m):
        return None
    return DateOrder.DMY if d < m else DateOrder.MDY


@cache
def currency_date_order(currency: str | None) -> DateOrder | None:
    """The order of the country a currency belongs to (None: year first, unknown, or its users disagree)."""
    if not currency:
        return None
    in_use = _current_users().get(currency, frozenset())
    home = currency[:2]
    if home in in_use and (own := country_date_order(home)) is not None:
        return own
    orders = {o for c in in_use if (o := country_date_order(c)) is not None}  # year first settles nothing
    return orders.pop() if len(orders) == 1 else None


@cache
def _current_users() -> dict[str, frozenset[str]]:
    """Currency -> the countries whose legal tender it is today."""
    users: dict[str, set[str]] = {}
    for country, currencies in get_global("territory_currencies").items():
        for code, _start, end, tender in currencies:
            if end is None and tender:
                users.setdefault(code, set()).add(country)
    return {code: frozenset(countries) for code, countries in users.items()}


def currencies_in_use() -> tuple[str, ...]:
    """The ISO 4217 codes some country pays in today (CLDR), in alphabetical order: what a user can choose."""
    return tuple(sorted(_current_users()))


def currency_title(code: str) -> str:
    """A currency as a person would look for it in a list: "IDR – Indonesian Rupiah"."""
    from babel.numbers import get_currency_name

    return f"{code} – {get_currency_name(code, locale='en')}"
