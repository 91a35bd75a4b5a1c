"""Amounts of money on the lines of a receipt, each paired with the label printed before it.

A number is only money when it looks like money: not part of a date, a time,
a percentage, a phone number, a barcode or a code like "SS21/39". Which
separator is the decimal one is decided once for the whole document, since a
receipt does not switch conventions halfway down.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from receiptdesk.core.dates import find_dates
from receiptdesk.core.money import ISO_CODES, currency_in, find_amounts
from receiptdesk.providers.local.parsing.labels import Classified, Label, classify, fold
from receiptdesk.providers.local.parsing.layout import BLOCK_GAP, Line

_TIME = re.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?(?!\d)|(?<![\d.,])\d{1,2}[.:]\d{2}\s?[AaPp]\.?[Mm]\b")
# (not the day and month of a date: "14.03" of 14.03.2024 says nothing about the decimal mark)
_DOT_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?!\d|\.\d)")
_COMMA_DECIMAL = re.compile(r"(?<![\d.,])\d{1,3}(?:[.\s]\d{3})*,\d{2}(?!\d|,\d)")
# Letters that may stand right before an amount: currency signs and codes.
_CURRENCY_PREFIX = re.compile(r"(?:RM|Rp|Rs\.?|kr|Fr\.?|[A-Z]{3}|[$€£¥₹₩฿₫₱₽₺₪])$", re.IGNORECASE)
# A unit of measure after a number: a size or weight ("1.5L", "1.25KG", "2.5 KG"), not money.
# (a lone G, L or M only glued to its number: "25.000 M" and "5.00 L" are amounts with a tax code)
_UNITS = r"(?:\s?(?:KGS?|GM|GR|GRAMS?|MG|LTR|LT|ML|CL|OZ|LBS?|CM|MM)|[GLM])\b"
_UNIT_AFTER = re.compile(r"^" + _UNITS, re.IGNORECASE)
MEASURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?" + _UNITS, re.IGNORECASE)
# What may follow an amount on a receipt: a tax code letter or two, a currency.
_SUFFIX_OK = re.compile(r"^(?:[A-Z]{1,2}\b|[A-Z]{3}\b|[$€£¥]|\*|-|\))", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Money:
    line: Line
    start: int  # in line.text
    end: int
    value: Decimal
    currency: str | None
    has_decimals: bool

    @property
    def text(self) -> str:
        return self.line.text[self.start : self.end]

    @property
    def x(self) -> float:
        return self.line.span_box(self.start, self.end).x1


def decimal_comma(lines: Sequence[Line]) -> bool | None:
    """True when the document writes 12,50; False for 12.50; None when it cannot tell."""
    dots = commas = 0
    for line in lines:
        dots += len(_DOT_DECIMAL.findall(line.text))
        commas += len(_COMMA_DECIMAL.findall(line.text))
    if dots == commas:
        return None
    return commas > dots


# ISO codes that are also words on a receipt ("PEN 2.50" is a pen; "SDN BHD" a Malaysian company form).
_CODES_AS_WORDS = frozenset("ALL PEN TOP CUP GEL BOB MAD TRY SOS BAM BHD LAK MOP".split())
_CURRENCY_LABEL = re.compile(r"\b(?:CURRENCY|WAHRUNG|DEVISE|MONEDA|VALUTA|MOEDA|WALUTA)\b|\([A-Z]{3}\)")


def document_currency(lines: Sequence[Line]) -> str | None:
    """The currency named most often on the document, as an ISO code.

    A sign ($, €, RM) or a code ("EUR") counts wherever it is printed; a code that is also a
    word ("PEN", "BHD" of "SDN BHD") only after a currency label ("Currency: PEN") or when it
    stands beside amounts twice."""
    seen: Counter[str] = Counter()
    beside: Counter[str] = Counter()
    for line in lines:
        for m in find_amounts(line.text):
            if m.amount.currency:
                beside[m.amount.currency] += 1
        labelled = bool(_CURRENCY_LABEL.search(fold(line.text)))
        for word in line.words:
            code = currency_in(word.text)
            if code and (labelled or code not in _CODES_AS_WORDS or code not in fold(word.text)):
                seen[code] += 1  # a sign, a code ("EUR" over a column), or a word-like one after its label
    for code, n in beside.items():
        if code not in _CODES_AS_WORDS or n >= 2:
            seen[code] += n
    if not seen:
        return None
    # "$" alone says USD only weakly: a named local currency wins over it.
    best = seen.most_common()
    if best[0][0] == "USD" and len(best) > 1:
        return best[1][0]
    return best[0][0]


def _masked(text: str) -> list[tuple[int, int]]:
    spans = [(d.start, d.end) for d in find_dates(text)]
    spans += [(m.start(), m.end()) for m in _TIME.finditer(text)]
    return spans


def _word_money(line: Line, k: int, comma: bool | None) -> list[Money]:
    word = line.words[k].text
    base = line.starts[k]
    masked = _masked(word)
    out = []
    for m in find_amounts(word, decimal_comma=comma):
        if any(s < m.end and m.start < e for s, e in masked):
            continue
        before = word[: m.start]
        after = word[m.end :]
        token = word[m.start : m.end]
        amount = m.amount
        if after.lstrip().startswith("%"):
            continue
        # digits glued to a code on the left ("SS21", "CS00084670", "#01") are not money
        left = before.rstrip("-−(")
        # (but a lone R for rand, or an S or E where OCR misread $ or £, may stand before an amount with cents)
        glued = left and (left[-1].isalnum() or left[-1] in "#/") and not _CURRENCY_PREFIX.search(left)
        if glued and not (amount.has_decimals and re.search(r"(?:^|\s)[RSE]$", left)):
            continue
        if left.rstrip().upper().endswith(("NO", "NO.", "#")) and not amount.has_decimals:
            continue
        if after[:1] in "/:" and after[1:2].isdigit():
            continue
        if after[:1].isalpha() and not amount.has_decimals and amount.currency != "VND":
            continue  # "74C", "2PCS" (a count, not money)
        if _is_measure(token, after):
            continue
        if after[:1].isdigit():
            continue
        digits = sum(c.isdigit() for c in token)
        if not amount.has_decimals and digits > 7:
            continue  # a barcode or an account number
        if "-" in before[-1:] and before[-2:-1].isdigit():
            continue  # the second half of "03-4162"
        out.append(Money(line, base + m.start, base + m.end, amount.value, amount.currency, amount.has_decimals))
    return out


def _is_measure(token: str, after: str) -> bool:
    """A size or weight: a number with a unit after it, unless a two-decimal amount is followed by a
    single letter, which on a receipt is its tax code ("3.50 L", "2,49 G")."""
    unit = _UNIT_AFTER.match(after)
    if unit is None:
        return False
    decimals = re.search(r"[.,](\d+)$", token)
    return decimals is None or len(decimals.group(1)) != 2 or len(unit.group(0).strip()) > 1


_BARE_CENTS = re.compile(r"(?:(?<=^)|(?<=[\s$:]))[.,](?P<c>\d{2})(?![\d.,])")


def _cents(line: Line, k: int, comma: bool | None) -> list[Money]:
    """Amounts printed without the leading zero (".40" on some tills)."""
    word = line.words[k].text
    base = line.starts[k]
    out = []
    for m in _BARE_CENTS.finditer(word):
        if (m.group(0)[0] == ",") != bool(comma):
            continue
        negative = word[: m.start()].rstrip().endswith("-")
        value = Decimal("0." + m.group("c"))
        out.append(Money(line, base + m.start(), base + m.end(), -value if negative else value, None, True))
    return out


def line_money(line: Line, comma: bool | None) -> list[Money]:
    """Every amount on a line, left to right."""
    out: list[Money] = []
    for k in range(len(line.words)):
        out.extend(_word_money(line, k, comma))
        out.extend(_cents(line, k, comma))
    out.sort(key=lambda m: m.start)
    return out


@dataclass(frozen=True, slots=True)
class Run:
    """A label and the amounts printed after it on the same line ("TOTAL : 4.60 0.28")."""

    line: Line
    label: Classified
    label_start: int
    label_end: int
    amounts: tuple[Money, ...]

    @property
    def label_text(self) -> str:
        return self.line.text[self.label_start : self.label_end].strip()

    @property
    def value(self) -> Money | None:
        """The amount the label speaks of: the rightmost one (the others are bases and rates)."""
        return self.amounts[-1] if self.amounts else None


def _has_letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


def label_runs(line: Line, money: Sequence[Money]) -> list[Run]:
    """The line cut into label + amounts runs; amounts without a label of their own inherit the one before."""
    runs: list[Run] = []
    pos = 0
    current: list[Money] = []
    label_span = (0, 0)
    for m in money:
        between = line.text[pos : m.start]
        if _has_letters(_strip_currency(between)) or (not runs and not current):
            if current or runs:
                runs.append(_run(line, label_span, current))
            current = []
            label_span = (pos, m.start)
        current.append(m)
        pos = m.end
    if current or not runs:
        runs.append(_run(line, label_span if money else (0, len(line.text)), current))
    return runs


def _strip_currency(text: str) -> str:
    words = [w for w in re.split(r"[\s:.()]+", text) if w and w.upper() not in ISO_CODES]
    return " ".join(w for w in words if not re.fullmatch(r"RM|Rp|Rs|kr|Kč|zł|Ft|lei|€|\$|£", w, re.IGNORECASE))


def _run(line: Line, span: tuple[int, int], amounts: list[Money]) -> Run:
    start, end = _nearest_phrase(line, span[0], span[1])
    return Run(line, classify(line.text[start:end]), start, end, tuple(amounts))


def _nearest_phrase(line: Line, start: int, end: int) -> tuple[int, int]:
    """Of the text before an amount, the last phrase with words: the one that labels it.

    "Prices include VAT      Invoice total EUR 49,99" is labelled "Invoice total EUR", not by the note.
    """
    ks = [k for k in line.span_words(start, end) if line.starts[k] >= start]
    if len(ks) < 2:
        return start, end
    groups: list[list[int]] = [[ks[0]]]
    for a, b in pairwise(ks):
        if line.gap(line.words[a], line.words[b]) > BLOCK_GAP:
            groups.append([b])
        else:
            groups[-1].append(b)
    for group in reversed(groups):
        text = " ".join(line.words[k].text for k in group)
        if _has_letters(_strip_currency(text)) and classify(text).label is not Label.NONE:
            return line.starts[group[0]], end
    return start, end


def runs_of(lines: Sequence[Line], comma: bool | None) -> list[list[Run]]:
    """Label runs of every line, by line index."""
    return [label_runs(line, line_money(line, comma)) for line in lines]


__all__ = ["Label", "Money", "Run", "decimal_comma", "document_currency", "label_runs", "line_money", "runs_of"]
