"""General knowledge about how merchants print their name and address.

Company-form suffixes by country (SDN BHD, LLC, GmbH, B.V. ...), the words
streets and buildings are called in common languages, postal-code shapes,
region names, and the banners receipts print that are not the merchant
("TAX INVOICE", "COPY", "WELCOME"). Texts are folded (upper case, no accents).
"""

from __future__ import annotations

import re

from receiptdesk.providers.local.parsing.labels import fold

# Company forms, as whole words; dots and spaces optional ("SDN. BHD.", "S/B").
_LEGAL = [
    r"S\s?D\s?N\.?\s*[BDE]\s?H\s?[DO0]\.?",  # SDN BHD, as OCR also reads it ("S DN BHD", "SDN DHD")
    r"[S5]/B",
    r"BHD\.?",
    r"BERHAD",
    r"PTE\.?\s*LTD\.?",
    r"PVT\.?\s*LTD\.?",
    r"PTY\.?\s*LTD\.?",
    r"CO\.?,?\s*LTD\.?",
    r"LTD\.?",
    r"LIMITED",
    r"L\.?L\.?C\.?",
    r"L\.?L\.?P\.?",
    r"INCORPORATED",
    r"CORP\.?",
    r"CORPORATION",
    r"P\.?L\.?C\.?",
    r"GMBH",
    r"E\.\s?K\.",
    r"OHG",
    r"B\.\s?V\.?",
    r"N\.\s?V\.?",
    r"S\.\s?R\.\s?L\.?",
    r"S\.\s?P\.\s?A\.?",
    r"SARL",
    r"EURL",
    r"SP\.\s?Z\s?O\.\s?O\.?",
    r"SPOLKA\s+AKCYJNA",
    r"D\.\s?O\.\s?O\.?",
    r"KFT\.?",
    r"ZRT\.?",
    r"A/S",
    r"APS",
    r"ENTERPRISES?",
    r"TRADING",
    r"&\s*CO\.?",
    r"CO\.(?=[\s(]|$)",
    r"COMPANY",
    r"\(M\)",
]
# Short forms that are also ordinary words ("AS", "KG" for kilogram) count only at the end of a name.
_LEGAL_AT_END = [
    r"AG",
    r"KG",
    r"UG",
    r"BV",
    r"SRL",
    r"SPA",
    r"SAS",
    r"OY",
    r"AB",
    r"AS",
    r"S\.\s?A\.?",
    r"S\.\s?L\.?",
    r"S\.\s?C\.",
    r"INC\.?",
    r"SA",
    r"NV",
]
_LEGAL_RE = re.compile(
    r"(?<![A-Z0-9])(?:(?:" + "|".join(_LEGAL) + r")(?![A-Z0-9])|(?:" + "|".join(_LEGAL_AT_END) + r")(?=[\W]*$))"
)
# A document's title: a kind of document ("INVOICE", "RECEIPT"), with the words that say which kind before it
# ("TAX INVOICE", "PAYMENT RECEIPT", "PRO FORMA INVOICE", "CASH BILL"), or a credit or debit note.
_TITLE_KIND = (
    r"(?:SIMPLIFIED|FULL|TAX|VAT|GST|PAYMENT|SALES?|CASH|OFFICIAL|PRO\s*-?\s*FORMA|COMMERCIAL|RETAIL|CREDIT|DEBIT|"
    r"FINAL|DEPOSIT|ADVANCE|PURCHASE|DONATION)[\s-]*"
)
DOCUMENT_TITLE = rf"(?:{_TITLE_KIND})*(?:INVOICE|RECEIPT)|(?:{_TITLE_KIND})+BILL|(?:CREDIT|DEBIT)\s*NOTE"
_BANNERS = re.compile(
    r"^\W*(?:" + DOCUMENT_TITLE + r"|CASH\s*SALES?|"
    r"(?:CUSTOMER|MERCHANT|CARDHOLDER|STORE|SHOP)?\s*COPY|DUPLICATE|REPRINT(?:ED)?|ORIGINAL|WELCOME.*|THANK\s*YOU.*|"
    r"BILL|CHECK|GUEST\s*CHECK|ORDER|TAKE\s*(?:AWAY|OUT)|DINE\s*IN|KVITTO|QUITTUNG|RECHNUNG|BELEG|KASSENBON|"
    r"FACTURE|TICKET|FACTURA|RICEVUTA|SCONTRINO|FATTURA|BON|NOTA|PARAGON|RACUN|FAKTURA|KUITANSI|RESIT|"
    r"TRAINING\s*MODE|VOID|COPY\s*OF\s*RECEIPT)\W*$"
)
_STREET_WORDS = frozenset(
    (
        "STREET ST RD ROAD AVENUE AVE AV BLVD BOULEVARD DRIVE DR LANE LN WAY PLACE PL COURT CT HIGHWAY HWY PARKWAY "
        "PKWY SQUARE SQ SUITE STE FLOOR FLR FL LEVEL LVL UNIT BLOCK BLK BUILDING BLDG PLAZA MALL CENTRE CENTER "
        "TOWER TOWERS ARCADE COMPLEX ESTATE INDUSTRIAL PARK TERRACE CRESCENT CLOSE GROVE "
        "JALAN JLN LORONG LRG TAMAN TMN LOT KAMPUNG KG PERSIARAN BANDAR SEKSYEN SEK BATU PUSAT MEDAN DESA "
        "PERINDUSTRIAN KAWASAN WISMA MENARA NO "
        "STRASSE STR PLATZ WEG ALLEE GASSE RING DAMM UFER "
        "RUE CHEMIN IMPASSE ALLEE QUAI CEDEX "
        "VIA VIALE PIAZZA CORSO LARGO "
        "CALLE AVENIDA CARRETERA PASEO PLAZA RUA TRAVESSA "
        "STRAAT LAAN PLEIN GRACHT KADE "
        "ULICA UL ALEJA OSIEDLE "
        "GATAN VAGEN GATE VEJ"
    ).split()
)
_REGIONS = frozenset(
    (
        "SELANGOR JOHOR KEDAH KELANTAN MELAKA MALACCA PAHANG PERAK PERLIS PENANG PINANG SABAH SARAWAK TERENGGANU "
        "PUTRAJAYA LABUAN LUMPUR EHSAN TAKZIM MALAYSIA SINGAPORE INDONESIA THAILAND PHILIPPINES INDIA CHINA JAPAN "
        "USA AUSTRALIA CANADA GERMANY DEUTSCHLAND FRANCE ITALIA ITALY ESPANA SPAIN NEDERLAND NETHERLANDS POLSKA "
        "POLAND UK ENGLAND LONDON KUALA WILAYAH PERSEKUTUAN DARUL NEGERI SEMBILAN PULAU"
    ).split()
)
# Public names for the vocabulary (parsing/spelling.py puts OCR slips in these words right).
STREET_WORDS = _STREET_WORDS
REGION_WORDS = _REGIONS
_POSTCODE = re.compile(
    # MY, US, DE, FR, ES, IT: five digits then the town (not a lot number, not a company number "81497-P")
    r"(?<!LOT )(?<!NO )(?<!NO\.)(?<!P\.T\. )(?<!PT )(?<![\d])\d{5}(?=\s*,?\s*[A-Z]{2,})(?!\s*-)"
    r"|(?<![\dA-Z(])\d{5}[^\w)]*$"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"  # UK
    r"|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"  # CA
    r"|(?<![\d])\d{4}\s?[A-Z]{2}\b"  # NL
    r"|(?<![\d])\d{2}-\d{3}(?![\d])"  # PL
)
_HOUSE_NUMBER = re.compile(r"^(?:NO\.?\s*)?\d{1,5}[A-Z]?(?:[-/]\d{1,4}[A-Z]?)?\s*[,.]?\s*(?=[A-Z])")


def legal_suffix_at(text: str) -> int | None:
    """Where the first company-form word starts in a folded line, or None."""
    m = _LEGAL_RE.search(text)
    return m.start() if m else None


def legal_suffixes(text: str) -> list[re.Match[str]]:
    """Every company-form word in a folded line, left to right."""
    return list(_LEGAL_RE.finditer(text))


def starts_with_suffix(text: str) -> bool:
    m = _LEGAL_RE.match(text.strip())
    return m is not None


# Words that make a header line a title, courtesy or advertising line rather than a name.
_NOT_A_NAME = re.compile(
    r"\b(?:RECEIPT|RECEIPTS|CUSTOMER|CUSTOMERS|COPY|WELCOME|THANK|THANKS|OPEN|DAILY|HOURS|FREE|OFFER|BUY|GET|"
    r"VISIT|SURVEY|FOLLOW|LIKE|ONLINE|APPLY|CHECKOUT|RETAIN|RETAINED|KEEP|SAVE|SAVED|WIN|PROMOTION|MEMBER|"
    r"CASHIER|SERVER|TERMINAL|TRANSACTION|DUPLICATE|REPRINT|ATTN|BILL\s*TO|SHIP\s*TO|SOLD\s*TO|DETAILS|"
    r"(?:INVOICE|ORDER|BOOKING|ACCOUNT|CUSTOMER)\s*(?:NUMBER|NO|DATE|ID|#))\b"
)


def is_banner(text: str) -> bool:
    """A document title, courtesy or advertising line printed in the header, not the merchant."""
    t = text.strip()
    return bool(_BANNERS.match(t)) or bool(_NOT_A_NAME.search(t))


def is_title(text: str) -> bool:
    """A line that is only a document title or courtesy ("TAX INVOICE", "THANK YOU")."""
    return bool(_BANNERS.match(text.strip()))


# Words that finish a shop's name when it is broken over lines ("WINDMILL FAMILY" / "RESTAURANT").
BUSINESS_WORDS = frozenset(
    "RESTAURANT RESTAURANTE RESTORAN RISTORANTE CAFE CAFFE COFFEE BAR GRILL BISTRO BAKERY BAKERIES BOULANGERIE "
    "BACKEREI PIZZERIA KITCHEN HOUSE STORE STORES SHOP MART MARKET SUPERMARKET HYPERMARKET PHARMACY APOTHEKE "
    "HARDWARE STATIONERY BOOKSTORE BOOKS TRADING ENTERPRISE HOTEL DINER DELI EATERY TAVERN PUB BRASSERIE".split()
)


# Street words written as the end of a compound ("HAUPTSTRASSE", "KERKSTRAAT", "STORGATAN").
_STREET_ENDINGS = (
    "STRASSE",
    "STR",
    "WEG",
    "PLATZ",
    "ALLEE",
    "GASSE",
    "DAMM",
    "STRAAT",
    "LAAN",
    "PLEIN",
    "GRACHT",
    "GATAN",
    "VAGEN",
    "VEJ",
    "GADE",
    "VEIEN",
)


# Letters OCR takes for one another.
_OCR_CONFUSIONS = frozenset(frozenset(p) for p in ("IL", "OD", "OQ", "UV", "CG", "EF", "HN", "MN", "RB"))
_LONG_STREET_WORDS = tuple(w for w in _STREET_WORDS if len(w) >= 5)


def _street_word(w: str) -> bool:
    """A street word, also glued to the name after it ("JALANGPELABUR") or misread by a letter ("JAIAN")."""
    if w in _STREET_WORDS or (len(w) > 5 and w.endswith(_STREET_ENDINGS)):
        return True
    if len(w) >= 5:
        for s in _LONG_STREET_WORDS:
            if w.startswith(s) and len(w) > len(s) + 2:
                return True
            if len(w) == len(s):
                diff = [(a, b) for a, b in zip(w, s, strict=True) if a != b]
                if len(diff) == 1 and frozenset(diff[0]) in _OCR_CONFUSIONS:
                    return True
    return False


# a short label with "#" and its number: "ST# 1477", "OP# 19280104" ("0P#" as OCR reads it)
_NUMBERED_CODE = re.compile(r"\b(?:[A-Z]|0(?=[A-Z]))[A-Z0-9]{0,3}\s?#\s?[\dA-Z]*")
US_STATES = tuple(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split()
)
CA_PROVINCES = tuple("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())


def _town_and(codes: tuple[str, ...]) -> re.Pattern[str]:
    """A town, then one of these state codes ending the line ("CHICAGO, IL", "AUSTIN, TX 78701")."""
    return re.compile(r"[A-Z]{3,}\.?,\s*(?:" + "|".join(codes) + r")\.?(?:\s+\d{5}(?:-\d{4})?)?\s*$")


_TOWN_STATE = _town_and(US_STATES + CA_PROVINCES)
_TOWN_US_STATE = _town_and(US_STATES)


_US_PHONE = re.compile(r"\(\d{3}\)\s?\d{3}[-.\s]\d{4}")
# a state code and ZIP apart ("TX 75707", "CA, 91766"): glued, "GA18011" is a product code
_US_STATE_ZIP = re.compile(r"\b(?:" + "|".join(US_STATES) + r")\.?(?:,\s*|\s+)\d{5}(?:-\d{4})?\b")
# Company forms, streets and regions of Malaysia, and of Singapore.
MALAYSIAN = (
    r"\b(?:SDN\.?\s?BHD|S/B|BERHAD|JALAN|JLN|TAMAN|LORONG|RESTORAN|PERAK|KEDAH|SABAH)\b"
    # longer names also when OCR glued them to the town before ("43200CHERASSELANGOR")
    r"|(?:SELANGOR|JOHOR|KUALA\s?LUMPUR|PULAU\s?PINANG|PAHANG|MELAKA|SARAWAK|MALAYSIA)\b"
)
SINGAPOREAN = r"\bPTE\.?\s?LTD\b|SINGAPORE\b"
_MALAYSIAN = re.compile(MALAYSIAN)
_SINGAPOREAN = re.compile(SINGAPOREAN)
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
_UK_COMPANY = re.compile(r"\b(?:VAT|LTD|PLC)\b")


def is_american(text: str, folded: str) -> bool:
    """A document with a US address or phone number (`text` as printed, lines apart, and folded)."""
    return bool(_US_STATE_ZIP.search(text) or _US_PHONE.search(text)) or any(
        in_us_town(line) for line in folded.splitlines()
    )


def country_currency(text: str) -> str | None:
    """The currency of the country the document's address and company forms are from, when it
    names none itself: a US address says USD, "SDN BHD" or "JALAN" MYR, "PTE LTD" SGD, a UK
    postcode with "VAT" or "LTD" GBP."""
    folded = fold(text)
    if is_american(text, folded):
        return "USD"
    if _SINGAPOREAN.search(folded):
        return "SGD"
    if _MALAYSIAN.search(folded):
        return "MYR"
    if _UK_POSTCODE.search(folded) and _UK_COMPANY.search(folded):
        return "GBP"
    return None


def in_us_town(text: str) -> bool:
    """A folded line that names a US town and state: the document is American."""
    return bool(_TOWN_US_STATE.search(text))


def address_score(text: str) -> int:
    """How much a folded line looks like part of a postal address (0 = not at all)."""
    text = _NUMBERED_CODE.sub(" ", text)  # "ST# 1477 OP# 19280104": a store number, not a street
    words = re.findall(r"[A-Z]+", text)
    score = 0
    if any(_street_word(w) for w in words):
        score += 2
    if any(w in _REGIONS for w in words):
        score += 2
    if has_postcode(text):
        score += 2
    if _HOUSE_NUMBER.match(text.strip()):
        score += 1
    if re.search(r"\d", text) and "," in text:
        score += 1
    return score


def has_street(text: str) -> bool:
    """A folded text with a street word ("UFERWEG", "JALAN", "RD")."""
    return any(_street_word(w) for w in re.findall(r"[A-Z]+", _NUMBERED_CODE.sub(" ", text)))


def has_postcode(text: str) -> bool:
    """A postcode, or a town with its US state or Canadian province code: where an address ends."""
    return bool(_POSTCODE.search(text) or _TOWN_STATE.search(text))


def is_region_line(text: str) -> bool:
    """A line that only names a state, region or country (what may follow the postcode line)."""
    words = re.findall(r"[A-Z]+", text)
    if not words or re.search(r"\d", text) or len(words) > 6:
        return False
    return sum(w in _REGIONS for w in words) * 2 >= len(words) - 1


_SDN_BHD = re.compile(r"S\s?D\s?N(\.?)(\s*)[BDE]\s?H\s?[DO0](\.?)", re.IGNORECASE)
_S_B = re.compile(r"(?<=\s)5/B\b")


def canonical_forms(name: str) -> str:
    """Company forms OCR misread put back as printed ("SDN DHD" -> "SDN BHD", "5/B" -> "S/B")."""

    def sdn(m: re.Match[str]) -> str:
        if re.sub(r"[^A-Z0-9]", "", m.group(0).upper()) == "SDNBHD":
            return m.group(0)
        return f"SDN{m.group(1)}{m.group(2) or ' '}BHD{m.group(3)}"

    return _S_B.sub("S/B", _SDN_BHD.sub(sdn, name))
