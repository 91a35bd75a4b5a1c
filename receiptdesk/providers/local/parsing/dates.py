"""The transaction date and time, with day/month order settled from the document.

03/04/2024 is April in most of the world and March in the US. The order is
read from the receipt itself: another date on it that only works one way
(25/03, 03/25), then country cues (a checked phone or tax number, a named
currency, amounts written 12,50, a US state and ZIP), each order from CLDR.
A date that no cue settles is read month-first unless the caller knows
better (the user's own convention), flagged "ambiguous_date" and given a
low confidence, so the editor asks the user to look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from receiptdesk.core.dates import DateMatch, DateOrder, find_dates, parse_time
from receiptdesk.core.document import Field
from receiptdesk.core.locales import DECIMAL_COMMA_ORDER, country_date_order, currency_date_order
from receiptdesk.providers.local.parsing.evidence import span_field
from receiptdesk.providers.local.parsing.features import Features, date_features, typical_height
from receiptdesk.providers.local.parsing.labels import fold
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.months import find_named_dates
from receiptdesk.providers.local.parsing.places import MALAYSIAN, SINGAPOREAN, is_american
from receiptdesk.providers.local.ranking import FieldModel

# Country cues in the text: the company forms, tax and region names and the Malay words for
# street, garden estate and restaurant of Malaysia, Singapore and Indonesia (always day first),
# and the marks of a US receipt (state and ZIP, a NANP phone number, "sales tax").
# Europe speaks through its currency and its decimal comma (core/locales.py), not through words.
_DAY_FIRST_TEXT = re.compile(MALAYSIAN + "|" + SINGAPOREAN + r"|\bGST\s?(?:ID|REG)\b|INDONESIA\b")
_MONTH_FIRST_TEXT = re.compile(r"\b(?:SALES\s?TAX|STATE\s?TAX)\b")
_DATE_WORDS = ("DATE", "DATUM", "FECHA", "DATA", "TARIKH", "DT", "DATE:", "BIZDATE", "DAY")
_BAD_DATE_WORDS = (
    "DUE",
    "EXPIR",
    "EXP",
    "VALID",
    "BEST BEFORE",
    "BIS",
    "FALLIG",
    "ECHEANCE",
    "VENCIMIENTO",
    "SCADENZA",
    "TERMIN",
    "PERIOD",
    "FROM",
    "UNTIL",
    "BIRTH",
    "SINCE",
    "DELIVERY",
    "LIEFER",
    "LIMITE",
    "VERVAL",
    "PRELEVEMENT",
    "PLATNOSCI",
    "ZAHLBAR",
    "PAYABLE",
    "THRU",
    "THROUGH",
    "RETURN",
)
_INVOICE_WORDS = ("INVOICE", "FACTURE", "RECHNUNG", "FACTUUR", "FACTURA", "FATTURA", "FAKTURA", "BILL")


@dataclass(frozen=True, slots=True)
class OrderCue:
    order: DateOrder
    strong: bool  # settled by the document itself, not assumed
    reason: str


def order_cue(
    lines: Sequence[Line],
    currency: str | None,
    currency_named: bool,
    country: str | None = None,
    decimal_comma: bool | None = None,
) -> OrderCue | None:
    """Day or month first, as this document writes numeric dates."""
    dmy = mdy = 0
    for line in lines:
        for m in find_dates(line.text):
            if m.order not in (DateOrder.DMY, DateOrder.MDY):
                continue
            first, second = _leading_numbers(line.text[m.start : m.end])
            if first > 12 >= second:
                dmy += 1
            elif second > 12 >= first:
                mdy += 1
    if dmy != mdy:
        order = DateOrder.DMY if dmy > mdy else DateOrder.MDY
        return OrderCue(order, True, "another date on the document")
    text = "\n".join(line.text for line in lines)
    folded = fold(text)
    if is_american(text, folded):
        return OrderCue(DateOrder.MDY, True, "US address or phone")
    by_country = country_date_order(country) if country else None
    if by_country is not None:
        return OrderCue(by_country, True, f"country {country} (phone or tax number)")
    by_currency = currency_date_order(currency)
    if by_currency is not None and currency_named:
        return OrderCue(by_currency, True, f"currency {currency}")
    if decimal_comma:
        return OrderCue(
            DECIMAL_COMMA_ORDER, True, "amounts written 12,50 (no country that does writes the month first)"
        )
    if _MONTH_FIRST_TEXT.search(folded):
        return OrderCue(DateOrder.MDY, True, "US sales tax")
    if _DAY_FIRST_TEXT.search(folded):
        return OrderCue(DateOrder.DMY, True, "Malaysian or Singaporean company, tax number or region")
    if by_currency is not None:
        return OrderCue(by_currency, currency_named, f"currency {currency}")
    return None


def _leading_numbers(text: str) -> tuple[int, int]:
    nums = re.findall(r"\d+", text)
    if len(nums) < 2:
        return 0, 0
    return int(nums[0]), int(nums[1])


@dataclass(slots=True)
class _Candidate:
    line: Line
    match: DateMatch
    score: float
    label_before: float = 0.0
    label_above: float = 0.0
    near_time: bool = False


def _label_score(line: Line, start: int) -> float:
    before = fold(line.text[:start])
    whole = fold(line.text)
    score = 0.0
    if any(w in before for w in _DATE_WORDS):
        score += 2.0
    if any(w in whole for w in ("INVOICE DATE", "RECHNUNGSDATUM", "FACTUURDATUM", "DATE DE FACTURE", "WYSTAWIENIA")):
        score += 1.0
    if any(w in before for w in _BAD_DATE_WORDS):
        score -= 3.0
    elif any(w in before for w in _INVOICE_WORDS):
        score += 1.0
    return score


def _label_above(lines: Sequence[Line], line: Line, start: int, end: int) -> float:
    """A date under a column heading ("Invoice date" over "03/20/2023", "Due date" over the next one)."""
    if line.index == 0:
        return 0.0
    above = lines[line.index - 1]
    if above.page != line.page or line.box.y0 - above.box.y1 > 2 * max(line.height, 1e-6):
        return 0.0
    if find_dates(_month_fixed(above.text)):
        return 0.0  # a line with a date of its own ("RETURNS THRU 05/31/2016") labels that one, not this
    box = line.span_box(start, end)
    heading = " ".join(w.text for w in above.words if w.box.x0 < box.x1 and w.box.x1 > box.x0 - 0.02)
    if not heading:
        return 0.0
    return _heading_score(heading)


def _heading_score(heading: str) -> float:
    text = fold(heading)
    if any(w in text for w in _BAD_DATE_WORDS):
        return -3.0
    if any(w in text for w in _DATE_WORDS):
        return 2.0 + (1.0 if any(w in text for w in _INVOICE_WORDS) else 0.0)
    return 0.0


@dataclass(frozen=True, slots=True)
class FoundDate:
    field: Field
    line: Line
    end: int  # where the date ends in line.text (a time is often glued on: "20184:21PM")


# Month names as OCR misreads them, put right without moving any character: "Ju103'12" (Jul 03),
# "270ec'16" (27 Dec), "0ct", "N0v", "5ep", "Au9".
_OCR_MONTHS = [
    (re.compile(r"(?i)(?<![A-Za-z])Ju[1I](?=[\s.,'´’/\-]?\d)"), "Jul"),
    (re.compile(r"(?<=\d)Har(?=[\s.,'´’]?\d)"), "Mar"),
    (re.compile(r"(?<=\d)0ec(?=[\s.,'´’]?\d)|(?<![\w])0ec(?=[\s.,'´’]?\d)"), "Dec"),
    (re.compile(r"(?<=\d)0ct(?=[\s.,'´’]?\d)|(?<![\w])0ct(?=[\s.,'´’]?\d)"), "Oct"),
    (re.compile(r"(?i)(?<![A-Za-z])N0v(?=[\s.,'´’]?\d)"), "Nov"),
    (re.compile(r"(?i)(?<![A-Za-z\d])5ep(?=[\s.,'´’]?\d)"), "Sep"),
    (re.compile(r"(?i)(?<![A-Za-z])Au9(?=[\s.,'´’]?\d)"), "Aug"),
]


def _month_fixed(text: str) -> str:
    for rx, month in _OCR_MONTHS:
        text = rx.sub(month, text)
    return text


_CUE_KINDS = (
    ("another date", "cue_date"),
    ("US", "cue_us"),
    ("country", "cue_country"),
    ("currency", "cue_currency"),
    ("amounts", "cue_decimal"),
    ("Malaysian", "cue_region"),
)


def _cue_features(cue: OrderCue | None, ambiguous: bool) -> dict[str, float]:
    """What settled the order of an ambiguous date: some cues agree with the labels more often than others."""
    if cue is None or not ambiguous:
        return {}
    for prefix, name in _CUE_KINDS:
        if cue.reason.startswith(prefix):
            return {f"amb_{name}": 1.0}
    return {}


def _dates_in(text: str, order: DateOrder) -> list[DateMatch]:
    """The dates core/dates.py reads, and those with a month name only CLDR knows."""
    found = find_dates(_month_fixed(text), order=order)
    for named in find_named_dates(text):
        if all(named.end <= m.start or named.start >= m.end for m in found):
            found.append(named)
    return found


@dataclass(slots=True)
class DateChoice:
    """Every date printed, described for the ranker, and the one chosen."""

    values: list[object]
    features: list[Features]
    found: FoundDate | None


def find_date(
    lines: Sequence[Line],
    cue: OrderCue | None,
    fallback: DateOrder = DateOrder.MDY,
    model: FieldModel | None = None,
) -> DateChoice:
    """The transaction date: labelled, near a time, near the top; ambiguous ones flagged."""
    order = cue.order if cue else fallback
    cands: list[_Candidate] = []
    n = max(1, len(lines))
    for line in lines:
        for m in _dates_in(line.text, order):
            before = _label_score(line, m.start)
            above = _label_above(lines, line, m.start, m.end)
            near = bool(parse_time(line.text[m.end :]) or parse_time(line.text[: m.start]))
            score = before + above + (1.0 if near else 0.0)
            score -= 0.5 * line.index / n  # the transaction date is printed near the top
            cands.append(_Candidate(line, m, score, before, above, near))
    if not cands:
        return DateChoice([], [], _damaged_date(lines, order))
    # The same date printed several times is surer.
    counts: dict[object, int] = {}
    for c in cands:
        counts[c.match.value] = counts.get(c.match.value, 0) + 1
    for c in cands:
        c.score += 0.3 * (counts[c.match.value] - 1)
    hand = max(cands, key=lambda c: c.score)
    typical = typical_height(lines)
    feats = [
        date_features(
            c.line,
            c.match.start,
            c.match.end,
            hand=c.score,
            label_before=c.label_before,
            label_above=c.label_above,
            near_time=c.near_time,
            ambiguous=c.match.ambiguous,
            named_month=c.match.order is None,
            cue_strong=cue is not None and cue.strong,
            count=counts[c.match.value],
            n_lines=n,
            typical_height=typical,
        )
        | {"hand_best": 1.0 if c is hand else 0.0}
        | _cue_features(cue, c.match.ambiguous)
        for c in cands
    ]
    # The hand rules choose the date: the learned model chose the same on every cross-validated file and
    # worse on one invoice it never saw (tests/bench/train_ranker.py); it gives the date its calibrated confidence.
    best, calibrated = hand, None
    if model is not None:
        calibrated = model.confidence_of(feats, cands.index(hand))
    m = best.match
    flags: tuple[str, ...] = ()
    sure = calibrated if calibrated is not None else 0.9 if best.score >= 1.5 else 0.7
    if m.ambiguous:
        if cue is None or not cue.strong:  # a guess: flagged and unsure whatever the model says
            flags = ("ambiguous_date",)
            sure = min(sure, 0.45)
        elif calibrated is None:  # the model knows how often a settled order is right; the hand rules do not
            sure = min(sure, 0.75)
    f = span_field(best.line, m.start, m.end, m.value, sure, flags=flags)
    if calibrated is not None:  # calibrated with the OCR score as a feature: not scaled by it again
        f = replace(f, confidence=round(sure, 4))
    return DateChoice([c.match.value for c in cands], feats, FoundDate(f, best.line, m.end))


_LENIENT = re.compile(r"(?P<d>\d{1,2})(?P<s>[/.\-])+(?P<m>\d{1,2})(?P=s)+(?P<y>(?:19|20)\d{2})")


def _damaged_date(lines: Sequence[Line], order: DateOrder) -> FoundDate | None:
    """When no date reads cleanly: one OCR damaged ("26-05--2018", "#19536001/06/2018"), kept unsure."""
    for line in lines:
        for m in _LENIENT.finditer(line.text):
            text = f"{m['d']}/{m['m']}/{m['y']}"
            for dm in find_dates(text, order=order):
                flags = ("ambiguous_date",) if dm.ambiguous else ()
                f = span_field(line, m.start(), m.end(), dm.value, 0.35, flags=flags)
                return FoundDate(f, line, m.end())
    return None


_TIME = re.compile(r"(?<![\d:.,])(?:[01]?\d|2[0-3])(?::|h(?=\d))[0-5]\d(?::[0-5]\d)?(?:\s?[AaPp]\.?[Mm]\b\.?)?(?![\d])")


def find_time(lines: Sequence[Line], found: FoundDate | None) -> Field | None:
    """The time of the transaction: right after the date when printed there, else the first one."""
    if found is not None:
        rest = found.line.text[found.end :]
        m = _TIME.match(rest.lstrip()) or re.match(r"\d(?::[0-5]\d){1,2}(?:\s?[AaPp]\.?[Mm]\b\.?)?", rest)
        if m:
            offset = found.end + (len(rest) - len(rest.lstrip()) if m.re is _TIME else 0)
            value = parse_time(m.group(0))
            if value:
                return span_field(found.line, offset + m.start(), offset + m.end(), value, 0.85)
        ordered = [found.line, *(ln for ln in lines if ln is not found.line)]
    else:
        ordered = list(lines)
    for line in ordered:
        for tm in _TIME.finditer(line.text):
            value = parse_time(tm.group(0))
            if value is not None:
                return span_field(line, tm.start(), tm.end(), value, 0.75)
    return None
