"""Filters on the library list, and the simple terms the search box takes (`vendor:aldi`, `total>100`).

A filter is a few SQL conditions on the documents table, bound as parameters,
added to the one query that lists the library (listing.py): the window, the
exports and the command line all filter the same way. Dates are compared as
ISO strings and amounts as numbers, so '>100' never matches the text '100'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class Period(StrEnum):
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_QUARTER = "this_quarter"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"


PERIOD_LABELS = {
    Period.THIS_MONTH: "This month",
    Period.LAST_MONTH: "Last month",
    Period.THIS_QUARTER: "This quarter",
    Period.THIS_YEAR: "This year",
    Period.LAST_YEAR: "Last year",
}


class StatusFilter(StrEnum):
    NEEDS_REVIEW = "needs_review"
    REVIEWED = "reviewed"
    FAILED = "failed"
    READING = "reading"  # queued, being read, or waiting for the network


STATUS_FILTER_LABELS = {
    StatusFilter.NEEDS_REVIEW: "Needs review",
    StatusFilter.REVIEWED: "Reviewed",
    StatusFilter.FAILED: "Failed",
    StatusFilter.READING: "Reading",
}

# Each status filter as a condition on indexed columns (documents_to_review, documents_by_status).
_STATUS_SQL = {
    StatusFilter.NEEDS_REVIEW: "review = 'needs_review'",
    StatusFilter.REVIEWED: "review = 'reviewed'",
    StatusFilter.FAILED: "status = 'failed'",
    StatusFilter.READING: "status IN ('queued', 'extracting', 'waiting')",
}


def period_range(period: Period, today: date) -> tuple[date, date]:
    """The first and last day of a period around `today`."""
    if period is Period.THIS_MONTH:
        first = today.replace(day=1)
        return first, _month_end(first)
    if period is Period.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if period is Period.THIS_QUARTER:
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return first, _month_end(date(first.year, first.month + 2, 1))
    if period is Period.THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_or_day(text: str, *, end: bool) -> date | None:
    """'2024', '2024-03' or '2024-03-05' as its first (or last, `end`) day; None if it is no date."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            first = date(int(m[1]), int(m[2]), 1)
            return _month_end(first) if end else first
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Filters:
    """What the filter bar (or the command line) narrows the list to; None means any."""

    since: date | None = None
    until: date | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    status: StatusFilter | None = None
    currency: str | None = None
    provider: str | None = None
    category: str | None = None
    tag: str | None = None
    vendor: str | None = None  # a part of the vendor's name

    @property
    def active(self) -> int:
        """How many filters are set (the filter bar shows it)."""
        return sum(getattr(self, f.name) is not None for f in fields(self))

    def sql(self) -> tuple[list[str], list[Any]]:
        """The conditions and their parameters, to be joined with AND."""
        where: list[str] = []
        params: list[Any] = []
        if self.since is not None or self.until is not None:
            # both date indexes' leading expressions, stated, so a range starts inside whichever
            # index the list's order walks (SQLite matches an index on an expression by its text)
            where.append("(doc_date IS NULL) = 0 AND (doc_date IS NOT NULL) = 1")
        if self.since is not None:
            where.append("doc_date >= ?")
            params.append(self.since.isoformat())
        if self.until is not None:
            where.append("doc_date <= ?")
            params.append(self.until.isoformat())
        amount = self.min_total is not None or self.max_total is not None
        if self.currency is not None:
            # a range of the totals index (total IS NULL, currency, amount): with an amount, a tight one
            where.append(
                "(total IS NULL) = 0 AND currency = ?" if amount else "(total IS NULL) IN (0, 1) AND currency = ?"
            )
            params.append(self.currency.upper())
        elif amount:
            where.append("(total IS NULL) = 0")  # the totals index's own expression: a range of it
        if self.min_total is not None:
            where.append("CAST(total AS REAL) >= ?")
            params.append(float(self.min_total))
        if self.max_total is not None:
            where.append("CAST(total AS REAL) <= ?")
            params.append(float(self.max_total))
        if self.status is not None:
            where.append(_STATUS_SQL[self.status])

        if self.provider is not None:
            where.append("provider = ?")
            params.append(self.provider.lower())  # the readers' names: local, textract, azure
        if self.category is not None:
            # the category as the list spells it ('travel' -> 'Travel'), so its index is used
            where.append("category = COALESCE((SELECT name FROM categories WHERE name = ?), ?)")
            params += [self.category, self.category]
        if self.tag is not None:
            where.append("id IN (SELECT document_id FROM tags WHERE tag = ?)")
            params.append(self.tag)
        if self.vendor is not None:
            where.append("vendor LIKE ? ESCAPE '\\'")
            params.append("%" + re.sub(r"([%_\\])", r"\\\1", self.vendor) + "%")
        return where, params


# `name:value`, `name>value`, `name>=value` ... ; a value may be quoted to hold spaces.
_TERM = re.compile(r"(?i)^(vendor|total|amount|date|category|tag|status|currency|provider)(:|>=|<=|>|<|=)(.+)$")
_TOKENS = re.compile(r'(\S*?"[^"]*"\S*|\S+)')
_STATUS_WORDS = {
    "review": StatusFilter.NEEDS_REVIEW,
    "needs_review": StatusFilter.NEEDS_REVIEW,
    "needs-review": StatusFilter.NEEDS_REVIEW,
    "reviewed": StatusFilter.REVIEWED,
    "failed": StatusFilter.FAILED,
    "reading": StatusFilter.READING,
}


def parse_search(text: str) -> tuple[str, list[Filters]]:
    """The search box's text -> the words left to search for, and one filter per term it understood.

    A term it cannot read (`total>abc`, `date:soon`) stays a word, so nothing typed is dropped silently."""
    words: list[str] = []
    terms: list[Filters] = []
    for token in _TOKENS.findall(text):
        m = _TERM.match(token)
        term = _term(m[1].lower(), m[2], m[3].strip('"')) if m else None
        if term is None:
            words.append(token)
        else:
            terms.append(term)
    return " ".join(words), terms


def _term(name: str, op: str, value: str) -> Filters | None:
    if not value:
        return None
    if name in ("total", "amount"):
        amount = _decimal(value)
        if amount is None:
            return None
        if op in (">", ">="):
            return Filters(min_total=amount + (Decimal("0.01") if op == ">" else 0))
        if op in ("<", "<="):
            return Filters(max_total=amount - (Decimal("0.01") if op == "<" else 0))
        return Filters(min_total=amount, max_total=amount)
    if name == "date":
        first, last = month_or_day(value, end=False), month_or_day(value, end=True)
        if first is None or last is None:
            return None
        if op in (">", ">="):
            return Filters(since=first if op == ">=" else last + timedelta(days=1))
        if op in ("<", "<="):
            return Filters(until=last if op == "<=" else first - timedelta(days=1))
        return Filters(since=first, until=last)
    if op not in (":", "="):
        return None
    if name == "status":
        status = _STATUS_WORDS.get(value.lower())
        return Filters(status=status) if status else None
    if name == "currency":
        return Filters(currency=value)
    if name == "provider":
        return Filters(provider=value)
    if name == "category":
        return Filters(category=value)
    if name == "tag":
        return Filters(tag=value)
    return Filters(vendor=value)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
