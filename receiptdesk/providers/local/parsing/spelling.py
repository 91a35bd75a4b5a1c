"""OCR slips in the words every shop name and address is made of, put right.

OCR drops or swaps a letter in long words ("HARDWAR", "PHARHACY",
"PERINDUSTIAN"); a name or address read that way is wrong as a whole. A word
of six letters or more that is one edit from exactly one word of a general
vocabulary (what businesses call themselves, what streets and regions are
called, with their plurals) is taken to be that word, and an accent OCR put
on an English or Malay word of it is taken off. Shorter words are too easy to
turn into another, except by OCR's commonest slip, an L read as a capital I:
a vocabulary word of five letters so read ("JAIAN"), or a shorter one where
small letters follow the I ("BIk", "JIn"). Names of people and places outside
the vocabulary are left as read: a guess there would invent a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from receiptdesk.providers.local.parsing.labels import fold
from receiptdesk.providers.local.parsing.places import BUSINESS_WORDS, REGION_WORDS, STREET_WORDS, is_banner

# What businesses call themselves, in English and Malay (general vocabulary, no shop's own name).
TRADE_WORDS = frozenset(
    (
        "HARDWARE PHARMACY PHARMACEUTICAL PHARMACEUTICALS CHEMIST DRUGSTORE BAKERY BAKERIES BAKERS CONFECTIONERY "
        "RESTAURANT RESTAURANTS SUPERMARKET SUPERMARKETS HYPERMARKET MINIMARKET MARKET STATIONERY BOOKSTORE "
        "BOOKSHOP TRADING TRADERS ENTERPRISE ENTERPRISES INTERNATIONAL INDUSTRIES INDUSTRY MARKETING DISTRIBUTOR "
        "DISTRIBUTORS DISTRIBUTION HOLDINGS SERVICES SERVICE ELECTRICAL ELECTRONICS ELECTRONIC FURNITURE "
        "AUTOMOTIVE MOTORS PETROLEUM SEAFOOD KITCHEN COFFEE BEAUTY HEALTH FASHION BOUTIQUE GROCERY GROCERIES "
        "OPTICAL FLORIST NURSERY MEDICAL DENTAL CLINIC HOSPITAL TRAVEL TRANSPORT LOGISTICS CONSTRUCTION "
        "ENGINEERING MACHINERY SUPPLIES SUPPLY CENTRE CENTER STORES FOODS CATERING BEVERAGE BEVERAGES "
        "DEPARTMENT GENERAL MERCHANDISE HOMEWARE TEXTILE TEXTILES GARMENTS JEWELLERY JEWELRY GOLDSMITH "
        "PRINTING COMPUTER COMPUTERS COMMUNICATIONS TELECOMMUNICATIONS BATTERY BUILDING MATERIALS PLUMBING "
        "LIGHTING DECORATION SPORTS OUTDOOR BICYCLE AQUARIUM LAUNDRY FITNESS PROVISION WHOLESALE RETAIL "
        "MANAGEMENT DEVELOPMENT PROPERTIES RESOURCES TECHNOLOGY TECHNOLOGIES SOLUTIONS SYSTEMS INDUSTRIAL "
        "MANUFACTURING AGENCY TRADING CORPORATION COMPANY LIMITED BERHAD KEDAI RUNCIT PERNIAGAAN PERUSAHAAN "
        "SYARIKAT FARMASI KOPITIAM RESTORAN NOODLE NOODLES CHICKEN STEAMBOAT BISTRO EATERY CAFETERIA "
        "CANTEEN PIZZERIA BUTCHER GROCER BAKER CONFECTIONER"
    ).split()
)


def _inflected(words: frozenset[str]) -> frozenset[str]:
    """The words with their plurals and singulars: "GROCERS" or "BOOKSTORES" is a word, not a slip."""
    out = set(words)
    for w in words:
        out.add(w + "S")
        if w.endswith("S"):
            out.add(w[:-1])
        if w.endswith("Y"):
            out.add(w[:-1] + "IES")
    return frozenset(out)


_WORD = re.compile(r"[^\W\d_]{6,}")
_SHORT_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]{3,5}(?![^\W\d_])")
# A capital I between a capital and small letters ("BIk", "JIn"): OCR's reading of a small l.
_CAPITAL_I = re.compile(r"^[A-Z]I[a-z]+$")


@lru_cache(maxsize=8192)
def _nearest(word: str, vocab: frozenset[str]) -> str | None:
    """The one vocabulary word a letter changed, dropped or added away (None: none, or several)."""
    if word in vocab:
        return None
    near = process.extract(word, vocab, scorer=Levenshtein.distance, score_cutoff=1, limit=2)
    return near[0][0] if len(near) == 1 else None


def _cased(like: str, word: str) -> str:
    """`word` written in the case of `like` (CAPS, Title or lower)."""
    if like.isupper():
        return word
    if like[:1].isupper():
        return word.capitalize()
    return word.lower()


# A one or a zero right after a small letter, inside a word of letters ("Colonia1", "Li1ly", "Dubai Mal1"):
# OCR's reading of a small l or o. Not before letters alone ("1st", "10am", "2x"), nor in capitals ("EC1N"); at a
# word's end only in a long word or after an l ("Room1" is a room).
_DIGIT_AS_LETTER = re.compile(r"(?<=[a-z])[10]{1,2}(?=[a-z]|[^\w]|$)")
_AS_LETTER = str.maketrans("10", "lo")


def _letters_for_digits(text: str) -> str:
    """Ones and zeros OCR read for small l and o inside words of small letters."""

    def fix(m: re.Match[str]) -> str:
        before = re.search(r"[\w']*$", text[: m.start()])
        after = re.match(r"[\w']*", text[m.end() :])
        tail = after.group(0) if after else ""
        whole = (before.group(0) if before else "") + m.group(0) + tail
        if sum(c.isdigit() for c in whole) != len(m.group(0)):
            return m.group(0)  # other digits in the word: a code ("A2b10")
        if not tail and len(whole) < 6 and text[m.start() - 1] != "l":
            return m.group(0)  # at a short word's end ("Room1"); a long word's or a double l's ("Mal1") is read
        return m.group(0).translate(_AS_LETTER)

    return _DIGIT_AS_LETTER.sub(fix, text)


def corrected(text: str, vocab: Iterable[str]) -> str:
    """`text` with each long word one slip away from a single vocabulary word replaced by it."""
    words = frozenset(vocab)
    text = _letters_for_digits(text)

    def fix(m: re.Match[str]) -> str:
        found = m.group(0)
        folded = fold(found)
        if len(folded) != len(found):
            return found  # a ligature: compare nothing, change nothing
        if is_banner(folded):
            return found  # a word of a heading or title, read right ("Details" is not "Retails")
        if folded in words:
            # the word itself; an English or Malay word with an accent got it from OCR ("HARDWARÉ"),
            # while "Bäckerei" is written so
            plain = folded in _PLAIN and folded != found.upper()
            return _cased(found, folded) if plain else found
        near = _nearest(folded, words)
        return _cased(found, near) if near else found

    def fix_short(m: re.Match[str]) -> str:
        found = m.group(0)
        folded = fold(found)
        if "I" not in folded or folded in words or len(folded) != len(found):
            return found
        # an L read as I: in a word of five letters ("JAIAN"), or shown by the small letters
        # after it ("BIk"); a capital short word ("JIN", "KIM") may be a name, and stays
        if len(found) < 5 and not _CAPITAL_I.match(found):
            return found
        as_l = folded.replace("I", "L")
        return _cased(found, as_l) if as_l in words else found

    return _SHORT_WORD.sub(fix_short, _WORD.sub(fix, text))


NAME_WORDS = _inflected(TRADE_WORDS | BUSINESS_WORDS)
# Words never written with accents (English and Malay): an accent on one came from OCR.
_PLAIN = _inflected(
    TRADE_WORDS
    | (REGION_WORDS - {"ESPANA"})
    | frozenset(
        "STREET ROAD AVENUE BOULEVARD DRIVE LANE PLACE COURT HIGHWAY PARKWAY SQUARE SUITE FLOOR LEVEL UNIT "
        "BLOCK BUILDING PLAZA CENTRE CENTER TOWER ARCADE COMPLEX ESTATE INDUSTRIAL TERRACE CRESCENT JALAN "
        "LORONG TAMAN KAMPUNG PERSIARAN BANDAR SEKSYEN PUSAT PERINDUSTRIAN KAWASAN WISMA MENARA".split()
    )
)
ADDRESS_WORDS = _inflected(STREET_WORDS | REGION_WORDS)


def corrected_name(text: str) -> str:
    return corrected(text, NAME_WORDS)


def corrected_address(text: str) -> str:
    return corrected(text, ADDRESS_WORDS)
