"""The country a receipt was printed in, and the conventions that follow from it, from CLDR and numbering plans.

A number is only evidence when a library can check it: a phone number valid in its numbering plan
(phonenumbers: "+47 22 33 44 55", or "(416) 555-0199", a Toronto number), a tax number after its
label whose check digits add up (python-stdnum: an Indian GSTIN, a Norwegian org. nr). The country
then names its currency where the receipt prints only an ambiguous sign ("$" in Canada is CAD, "kr"
in Norway NOK: Babel's CLDR data says which sign each country's currency uses) and its date order
(core/locales.py). No table of shops or values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import phonenumbers
from babel.numbers import get_currency_symbol, get_territory_currencies
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from receiptdesk.core.locales import territory_locale
from receiptdesk.providers.local.parsing.labels import fold
from receiptdesk.providers.local.parsing.layout import Line


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO 3166 alpha-2
    reason: str


# Tax numbers that carry check digits, each after the label it is printed with.
_TAX_IDS: tuple[tuple[str, str, str], ...] = (
    ("IN", "gstin", r"\bGSTIN\b|\bGST\s?NO\b"),
    ("NO", "orgnr", r"\bORG\.?\s?N[RO]\b|\bFORETAKSREGISTERET\b|\bMVA\b"),
    ("AU", "abn", r"\bABN\b"),
    ("CA", "bn", r"\bBN\b|\bGST\s?/\s?HST\b|\bHST\b"),
    ("DK", "cvr", r"\bCVR\b"),
    ("SE", "orgnr", r"\bORG\.?\s?NR\b|\bMOMS\b"),
    ("FR", "siret", r"\bSIRET\b"),
    ("ES", "nif", r"\bNIF\b|\bCIF\b"),
    ("PL", "nip", r"\bNIP\b"),
    ("MX", "rfc", r"\bRFC\b"),
    ("PT", "nif", r"\bCONTRIBUINTE\b|\bNIF\b|\bNIPC\b"),
    ("TR", "vkn", r"\bV\.\s?D\.|\bVKN\b|\bVERGI\b"),
    # (a New Zealand GST number only in its printed shape, 123-456-789: Malaysian GST numbers follow the same label)
    ("NZ", "ird", r"\b(?:GST|IRD)\s?(?:NO|NUMBER|REG)?\b\W{0,4}(?=\d{2,3}-\d{3}-\d{3}\b)"),
    ("RU", "inn", r"ИНН"),
    ("UA", "edrpou", r"ЄДРПОУ|ЕДРПОУ"),
    ("DE", "stnr", r"\bST\.?\s?-?\s?NR\b|\bSTEUER\s?-?\s?NR\b|\bSTEUERNUMMER\b"),
)
# A European VAT number carries its country in front ("DE129273398", "FR40303265045"), after the tax's
# name in the country's language; python-stdnum checks its digits.
_EU_VAT_LABEL = re.compile(
    r"\b(?:VAT|UST|UST-?ID(?:NR)?|MWST|UID|TVA|IVA|P\.?\s?IVA|BTW|NIF|CIF|MOMS|ALV|DPH|DIC|PVN|KMKR|FPA|AFM|PDV)\b"
)
_NANP = frozenset({"US", "CA"})


@cache
def _validator(country: str, name: str) -> Callable[[str], bool] | None:
    try:
        module = get_cc_module(country.lower(), name)
    except ImportError:
        return None
    if module is None:
        return None
    valid: Callable[[str], bool] = module.is_valid
    return valid


def _eu_vat_country(text: str) -> Country | None:
    for m in _EU_VAT_LABEL.finditer(text):
        for number in re.findall(r"\b[A-Z]{2}[0-9A-Z .\-]{8,16}", text[m.end() : m.end() + 40]):
            compact = re.sub(r"[ .\-]", "", number)
            if sum(c.isdigit() for c in compact) >= 7 and eu_vat.is_valid(compact):
                code = compact[:2]
                return Country("GR" if code == "EL" else code, f"VAT {compact}")
    return None


def _tax_country(text: str) -> Country | None:
    for code, name, label in _TAX_IDS:
        valid = _validator(code, name)
        if valid is None:
            continue
        for m in re.finditer(label, text):
            words = re.findall(r"[0-9A-Z][0-9A-Z.\-]*", text[m.end() : m.end() + 40])
            for i in range(len(words)):
                for j in range(i + 1, min(len(words), i + 4) + 1):
                    number = "".join(words[i:j])
                    if len(number) >= 8 and sum(c.isdigit() for c in number) >= 6 and valid(number):
                        return Country(code, f"{name.upper()} {number}")
    return None


# A phone number as printed: "+47 22 33 44 55", "(416) 555-0199", "416-555-0199" (not "6 313.50 18.81").
_PHONE_SHAPE = re.compile(r"\+\d[\d ()\-]{6,}\d|\(\d{3}\) ?\d{3}[ \-]\d{4}|\d{3}[\-.]\d{3}[\-.]\d{4}")
_PHONE_LABEL = re.compile(r"\b(?:TEL|PHONE|PH|FAX|CALL|TLF|TELEFON|TELEPHONE)\b|電話|전화")


def _phone_country(lines: Sequence[Line]) -> Country | None:
    # "+47 22 33 44 55": any country; a national number only in the North American plan (where
    # the area code names the country) and only in a phone's shape, since elsewhere the same
    # digits fit many plans
    for line in lines:
        for shape in _PHONE_SHAPE.finditer(line.text):
            raw = shape.group(0)
            international = raw.startswith("+")
            if not international and not (raw.startswith("(") or _PHONE_LABEL.search(fold(line.text))):
                continue
            try:
                number = phonenumbers.parse(raw, None if international else "US")
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(number):
                continue
            code = phonenumbers.region_code_for_number(number)
            if code and (international or code in _NANP):
                return Country(code, f"phone {raw}")
    return None


# A Canadian address: province and postal code ("Toronto, ON M5H 2M9"); Canada Post never uses D F I O Q U.
_CANADIAN = re.compile(
    r"\b(?:ON|QC|BC|AB|MB|SK|NS|NB|NL|PE|YT|NT|NU)\b,?\s+"
    r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b"
)


def _address_country(text: str) -> Country | None:
    m = _CANADIAN.search(text)
    return Country("CA", f"address {m.group(0)}") if m else None


# Scripts only one country writes receipts in: Hangul (Korea) and kana (Japan, where kana always stand
# among the kanji). Chinese characters alone say Chinese, which only settles what a printed ¥ is.
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KANA = re.compile(r"[\u3041-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Thai and Hebrew are each written by one country; Greek by Greece and Cyprus, which both pay in euros. A word
# of three letters, not a lone "μ" or "Ω" in a product's name.
_ONE_COUNTRY_SCRIPTS = (
    (re.compile(r"[\u0e01-\u0e2e]{3}"), "TH", "Thai script"),
    (re.compile(r"[\u05d0-\u05ea]{3}"), "IL", "Hebrew script"),
    (re.compile(r"[\u0391-\u03a9\u03b1-\u03c9\u0386-\u038f\u03ac-\u03ce]{3}"), "GR", "Greek script"),
)


def _script_country(text: str, printed: str | None) -> Country | None:
    if _HANGUL.search(text):
        return Country("KR", "Korean script")
    if _KANA.search(text):
        return Country("JP", "Japanese script")
    for script, code, reason in _ONE_COUNTRY_SCRIPTS:
        if script.search(text):
            return Country(code, reason)
    if printed in ("JPY", "CNY") and _HAN.search(text):
        return Country("CN", "Chinese script with ¥")
    return None


def country_of(lines: Sequence[Line], printed: str | None = None) -> Country | None:
    """Where the receipt comes from, by a checked tax number, a valid phone number, a postal address or a
    script only one country writes; None when unsure. `printed`: the currency the receipt names, if any."""
    text = "\n".join(fold(line.text) for line in lines)
    return (
        _tax_country(text)
        or _eu_vat_country(text)
        or _phone_country(lines)
        or _address_country(text)
        or _script_country("\n".join(line.text for line in lines), printed)
    )


def _sign(symbol: str) -> str:
    return symbol.replace("￥", "¥").rstrip(".").lower()


# The ISO code a bare sign is read as when nothing else is known (core/money.py), and that sign.
_AMBIGUOUS_SIGNS = {"USD": "$", "SEK": "kr", "DKK": "kr", "JPY": "¥", "CNY": "¥"}


def local_currency(country: Country, printed: str | None) -> str | None:
    """The country's currency where the receipt prints none, or only a sign that country's currency uses."""
    currencies = get_territory_currencies(country.code)
    loc = territory_locale(country.code)
    if not currencies or loc is None:
        return None
    own = currencies[0]
    if printed is None:
        return own
    sign = _AMBIGUOUS_SIGNS.get(printed)
    if sign is not None and _sign(get_currency_symbol(own, locale=loc)) == sign:
        return own
    return None
