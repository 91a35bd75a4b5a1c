"""Amounts of money as printed on receipts, read into `Decimal`.

Receipts from different countries write the same number as 1,234.56,
1.234,56, 1 234,56 or 1'234.56, with a symbol or an ISO code before or
after, and a minus sign in front, behind or as parentheses. Every provider
(the local parser and the raw text Textract returns) reads amounts here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Symbols and local abbreviations, longest first so "HK$" wins over "$".
# A symbol shared by several currencies maps to the most common one; the
# document-level reading can refine it from other cues.
_SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "HK$": "HKD",
    "NT$": "TWD",
    "NZ$": "NZD",
    "AU$": "AUD",
    "CA$": "CAD",
    "S$": "SGD",
    "A$": "AUD",
    "C$": "CAD",
    "R$": "BRL",
    "MX$": "MXN",
    "RM": "MYR",
    "Rp": "IDR",
    "Rs.": "INR",
    "Rs": "INR",
    "₹": "INR",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "￥": "JPY",
    "元": "CNY",
    "₩": "KRW",
    "฿": "THB",
    "₫": "VND",
    "₱": "PHP",
    "₽": "RUB",
    "₺": "TRY",
    "TL": "TRY",  # the lira's abbreviation, still printed beside amounts on Turkish tills
    "₪": "ILS",
    "₦": "NGN",
    "₴": "UAH",
    "zł": "PLN",
    "Kč": "CZK",
    "Ft": "HUF",
    "lei": "RON",
    "kr.": "DKK",
    "kr": "SEK",
    "CHF": "CHF",
    "Fr.": "CHF",
    "$": "USD",
}

# ISO 4217 codes common on receipts and invoices.
ISO_CODES = frozenset(
    (
        "USD EUR GBP JPY CNY RMB INR MYR SGD AUD CAD NZD HKD TWD KRW THB VND PHP IDR CHF SEK NOK DKK "
        "PLN CZK HUF RON BGN RUB UAH TRY ILS AED SAR QAR KWD BHD OMR EGP ZAR NGN KES BRL MXN ARS "
        "CLP COP PEN ISK"
    ).split()
)
_ISO_ALIASES = {"RMB": "CNY", "EURO": "EUR", "EUROS": "EUR"}  # "TOTALE EURO", "Total euros"

_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_ISO_RE = "|".join(sorted(ISO_CODES | _ISO_ALIASES.keys()))
_CURRENCY_RE = re.compile(rf"(?<![A-Za-z])(?:{_ISO_RE})(?![A-Za-z])|{_SYMBOL_RE}")
# Letter-like symbols (RM, kr, Ft ...) only count as whole words.
_WORDLIKE = re.compile(r"^[A-Za-z.]+$")

# A number as printed: grouped thousands (comma, dot, apostrophe, thin, narrow or
# non-breaking space, or a plain space before a decimal comma) with an
# optional decimal part, or a plain run of digits with an optional decimal part.
_NUMBER = re.compile(
    r"(?<![\d])"
    r"(?P<num>"
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?"  # Indian lakh and crore grouping: 1,24,706.00
    r"|\d{1,3}(?:[,.'’\u00a0\u202f\u2009]\d{3})+(?:[.,]\d{1,3})?"
    r"|\d{1,3}(?: \d{3})+,\d{1,2}"
    r"|\d+(?:[.,]\d{1,3})?"
    r")"
    r"(?![\d])"
)

_GROUPING = ",.'’\u00a0\u202f\u2009 "


@dataclass(frozen=True, slots=True)
class Amount:
    value: Decimal
    currency: str | None = None  # ISO code when the text names one
    has_decimals: bool = False  # "12.50" looks like money more than "12" does


@dataclass(frozen=True, slots=True)
class AmountMatch:
    start: int
    end: int
    amount: Amount


def _number_value(token: str, decimal_comma: bool | None) -> tuple[Decimal, bool] | None:
    """Read one number token; returns (value, had a decimal part)."""
    seps = [(i, c) for i, c in enumerate(token) if c in _GROUPING]
    if not seps:
        return Decimal(token), False
    last_i, last_c = seps[-1]
    tail = len(token) - last_i - 1
    decimal_at: int | None = None
    if last_c in ".,":
        same = sum(1 for _, c in seps if c == last_c)
        other_marks = {c for _, c in seps[:-1]}
        if tail <= 2 and same == 1:
            decimal_at = last_i
        elif tail == 3 and same == 1:
            if other_marks & {".", ","}:
                decimal_at = last_i  # "1,234.567": a three-decimal currency
            elif decimal_comma is not None and (last_c == ",") == decimal_comma:
                decimal_at = last_i
            # otherwise "1,234" / "1.234": thousands
        elif tail <= 2:
            return None  # "1.2.34": not a number anyone writes
    digits = []
    for i, c in enumerate(token):
        if i == decimal_at:
            digits.append(".")
        elif c.isdigit():
            digits.append(c)
    try:
        return Decimal("".join(digits)), decimal_at is not None
    except InvalidOperation:
        return None


def currency_in(text: str) -> str | None:
    """The first currency named in the text, as an ISO code."""
    for m in _CURRENCY_RE.finditer(text):
        code = _currency_of(m.group(0), text, m.start(), m.end())
        if code:
            return code
    return None


def _currency_of(token: str, text: str, start: int, end: int) -> str | None:
    if token in ISO_CODES or token in _ISO_ALIASES:
        return _ISO_ALIASES.get(token, token)
    if _WORDLIKE.match(token):
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if before.isalpha() or after.isalpha():
            return None
    return _SYMBOLS.get(token)


# The dong's sign as Vietnamese tills print it, a d with a stroke (or "VNĐ") after the amount (alone, "đ" is
# a letter of Vietnamese and Croatian words, so it names no currency).
_DONG_AFTER = re.compile(r"\s?(?:VNĐ|[đĐ₫])(?![^\W\d_])")


def find_amounts(text: str, *, decimal_comma: bool | None = None) -> list[AmountMatch]:
    """Every number in the text that could be an amount, with its sign and currency."""
    matches: list[AmountMatch] = []
    for m in _NUMBER.finditer(text):
        token = m.group("num")
        # A space-grouped number was only allowed with a decimal comma; trim a
        # trailing plain-space group that swallowed the next number.
        parsed = _number_value(token, decimal_comma)
        if parsed is None:
            continue
        value, has_dec = parsed
        start, end = m.start(), m.end()
        # sign: "-12.00", "−12.00", "(12.00)", "12.00-"
        lead = text[max(0, start - 3) : start]
        after = text[end : end + 2]
        minus_before = bool(re.search(r"[-−–]\s?(?:[^\d\s]{0,3})?$", lead)) and not re.search(r"\d[-−–]\s?$", lead)
        in_parentheses = lead.rstrip().endswith("(") and after[:1] == ")"
        minus_after = after[:1] in ("-", "−") and not after[1:2].isdigit()
        negative = minus_before or in_parentheses or minus_after
        currency = _currency_beside(text, start, end)
        matches.append(AmountMatch(start, end, Amount(-value if negative else value, currency, has_dec)))
    return matches


def _currency_beside(text: str, start: int, end: int) -> str | None:
    """The currency printed right before or after the amount at start..end, if any."""
    if _DONG_AFTER.match(text, end):
        return "VND"  # "65.000đ"
    window_start = max(0, start - 4)
    window = text[window_start : min(len(text), end + 5)]
    for cm in _CURRENCY_RE.finditer(window):
        if text[window_start + cm.end() : window_start + cm.end() + 1].isalpha() and cm.group(0).isalpha():
            continue  # the window cut a word: "EURO" of "1 EUROPEAN WALNUT" is no currency
        code = _currency_of(cm.group(0), window, cm.start(), cm.end())
        if code:
            return code
    return None


def parse_amount(text: str | None, *, decimal_comma: bool | None = None) -> Amount | None:
    """The amount a value string holds ("$1,810.46", "659.00 Y", "RM 12,50").

    When several numbers appear ("2 @ 3.50") the last one written with
    decimals wins, since that is how receipts print the money.
    """
    if not text:
        return None
    found = find_amounts(text, decimal_comma=decimal_comma)
    if not found:
        return None
    with_dec = [m for m in found if m.amount.has_decimals]
    best = (with_dec or found)[-1]
    if best.amount.currency is None:
        code = currency_in(text)
        if code:
            return Amount(best.amount.value, code, best.amount.has_decimals)
    return best.amount


def money_str(value: Decimal) -> str:
    """The decimal string exports and JSON carry: "193.00", "-5.50", "1.234" (3 decimals kept)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def to_decimal(value: object) -> Decimal | None:
    """A JSON number or decimal string back to Decimal; None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
