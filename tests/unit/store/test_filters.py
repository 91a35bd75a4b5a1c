"""Filters and search terms on a real library file: every one is SQL, and the list stays an index walk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receiptdesk.store import listing, organize
from receiptdesk.store.filters import Filters, Period, StatusFilter, parse_search, period_range
from receiptdesk.store.library import Library
from receiptdesk.store.listing import ListQuery, SortBy
from receiptdesk.store.records import DocumentSummary
from tests.library_rows import fill


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "lib")
    fill(lib, 600)
    yield lib
    lib.close()


def _all(library: Library) -> list[DocumentSummary]:
    return list(library.walk(ListQuery()))


def _ids(library: Library, search: str = "", **filters: object) -> set[int]:
    return set(listing.ids(library.reader, ListQuery(search, filters=Filters(**filters))))  # type: ignore[arg-type]


def test_periods_are_the_calendar_a_user_means() -> None:
    today = date(2025, 1, 15)
    assert period_range(Period.THIS_MONTH, today) == (date(2025, 1, 1), date(2025, 1, 31))
    assert period_range(Period.LAST_MONTH, today) == (date(2024, 12, 1), date(2024, 12, 31))
    assert period_range(Period.THIS_QUARTER, date(2024, 8, 31)) == (date(2024, 7, 1), date(2024, 9, 30))
    assert period_range(Period.THIS_QUARTER, date(2024, 12, 31)) == (date(2024, 10, 1), date(2024, 12, 31))
    assert period_range(Period.THIS_YEAR, today) == (date(2025, 1, 1), date(2025, 12, 31))
    assert period_range(Period.LAST_YEAR, today) == (date(2024, 1, 1), date(2024, 12, 31))
    assert period_range(Period.LAST_MONTH, date(2024, 3, 31)) == (date(2024, 2, 1), date(2024, 2, 29))


def test_each_filter_keeps_exactly_the_documents_it_names(library: Library) -> None:
    docs = _all(library)
    some = [d.id for d in docs[:40]]
    library.set_category(some[:25], "Travel")
    library.add_tag(some[10:30], "client-x")
    library.db.execute("UPDATE documents SET provider = 'textract' WHERE id % 7 = 0")
    library.db.execute("UPDATE documents SET review = 'needs_review' WHERE id % 11 = 0 AND status = 'ok'")
    library.db.execute("UPDATE documents SET status = 'waiting' WHERE id % 13 = 0")
    docs = _all(library)

    def expect(keep: object) -> set[int]:
        return {d.id for d in docs if keep(d)}  # type: ignore[operator]

    in_2024 = expect(lambda d: d.date and "2024-01-01" <= d.date <= "2024-12-31")
    assert in_2024 and _ids(library, since=date(2024, 1, 1), until=date(2024, 12, 31)) == in_2024
    big = expect(lambda d: d.total and Decimal(d.total) >= 100)
    assert _ids(library, min_total=Decimal(100)) == big
    assert _ids(library, min_total=Decimal(10), max_total=Decimal(20)) == expect(
        lambda d: d.total and 10 <= Decimal(d.total) <= 20
    )
    assert _ids(library, status=StatusFilter.FAILED) == expect(lambda d: d.status.value == "failed")
    assert _ids(library, status=StatusFilter.READING) == expect(lambda d: d.status.value == "waiting")
    assert _ids(library, status=StatusFilter.NEEDS_REVIEW) == expect(lambda d: d.review == "needs_review")
    assert _ids(library, currency="usd") == expect(lambda d: d.currency == "USD")
    assert _ids(library, provider="Textract") == expect(lambda d: d.provider == "textract")
    assert _ids(library, category="travel") == set(some[:25])
    assert _ids(library, tag="CLIENT-X") == set(some[10:30])
    assert _ids(library, category="Travel", tag="client-x") == set(some[10:25])
    # with the words of the search (FTS) as well
    assert _ids(library, "tesco", currency="EUR") == expect(lambda d: d.vendor == "Tesco" and d.currency == "EUR")


def test_search_terms_filter_like_the_filter_bar_and_are_not_matched_as_text(library: Library) -> None:
    docs = _all(library)
    library.set_category([d.id for d in docs[:5]], "Travel")
    library.add_tag([d.id for d in docs[3:9]], "client-x")
    docs = _all(library)
    assert _ids(library, "total>100") == {d.id for d in docs if d.total and Decimal(d.total) > 100}
    assert _ids(library, "total<=5") == {d.id for d in docs if d.total and Decimal(d.total) <= 5}
    assert _ids(library, "date:2024-03") == {d.id for d in docs if d.date and d.date.startswith("2024-03")}
    assert _ids(library, "date:2019") == {d.id for d in docs if d.date and d.date.startswith("2019")}
    assert _ids(library, "vendor:ald") == {d.id for d in docs if d.vendor == "Aldi"}
    assert _ids(library, 'vendor:"café lu"') == {d.id for d in docs if d.vendor == "Café Luna"}
    assert _ids(library, "category:travel") == {d.id for d in docs[:5]}
    assert _ids(library, "tag:client-x category:travel") == {d.id for d in docs[3:5]}
    assert _ids(library, "status:failed") == {d.id for d in docs if d.status.value == "failed"}
    assert _ids(library, "aldi total>100") == {d.id for d in docs if d.vendor == "Aldi" and Decimal(d.total or 0) > 100}
    # what is no term stays words: nothing typed is dropped
    assert parse_search("lunch 12:30 total>abc") == ("lunch 12:30 total>abc", [])


def _plan(library: Library, query: ListQuery) -> str:
    sql, params = listing._select(query, "id")
    return " ".join(str(r[3]) for r in library.reader.query(f"EXPLAIN QUERY PLAN {sql}", params))


def test_filters_keep_the_list_an_index_walk(library: Library) -> None:
    """A filter with no index of its own (the reader) walks the index of the list's order (no sort of 100,000
    rows); a date range, an amount, a currency, a status, a category or a tag is a range of its index: only
    the rows it picks are sorted (100,000 documents, SQL alone: currency 427 -> 120 ms, with an amount 26 ms,
    total>100 224 -> 75 ms; the window's kept order needs no sort at all: total>100 23 ms)."""
    for sort in SortBy:
        plan = _plan(library, ListQuery(sort=sort, filters=Filters(provider="local")))
        assert "USE TEMP B-TREE" not in plan, (sort, plan)
    assert "documents_by_date_desc" in _plan(library, ListQuery(filters=Filters(provider="local")))
    for f, index in (
        (Filters(min_total=Decimal(100)), "documents_by_total (<expr>=?)"),
        (Filters(currency="EUR"), "documents_by_total (<expr>=? AND currency=?)"),
        (Filters(currency="EUR", min_total=Decimal(100)), "documents_by_total (<expr>=? AND currency=? AND <expr>>?)"),
        (Filters(status=StatusFilter.FAILED), "documents_by_status"),
        (Filters(status=StatusFilter.NEEDS_REVIEW), "documents_to_review"),
        (Filters(category="Travel"), "documents_by_category"),
    ):
        assert f"SEARCH documents USING INDEX {index}" in _plan(library, ListQuery(filters=f)), f
    for sort in SortBy:
        ranged = _plan(library, ListQuery(sort=sort, filters=Filters(since=date(2024, 1, 1), until=date(2024, 3, 31))))
        assert "SEARCH documents USING INDEX documents_by_date" in ranged and "doc_date>?" in ranged, ranged
    assert "tags_by_tag" in _plan(library, ListQuery(filters=Filters(tag="client-x")))


def test_sums_per_currency_are_exact_and_count_what_has_no_total(library: Library) -> None:
    docs = _all(library)[:50]
    sums = organize.sums(library.reader, [d.id for d in docs])
    expected: dict[str, Decimal] = {}
    for d in docs:
        if d.total:
            expected[d.currency or ""] = expected.get(d.currency or "", Decimal(0)) + Decimal(d.total)
    assert sums.count == 50 and sums.by_currency == expected
    assert sums.without_total == sum(1 for d in docs if not d.total)
    assert sums.text().startswith("50 documents chosen · ")
    # a whole list chosen is summed by its own conditions, to the same figures
    query = ListQuery("total>100", filters=Filters(currency="EUR"))
    shown = listing.ids(library.reader, query)
    sql, params = listing.where(query)
    assert organize.sums_where(library.reader, sql, params, len(shown)) == organize.sums(library.reader, shown)


def test_the_windows_kept_orders_filter_exactly_as_the_query_does(library: Library) -> None:
    """The window lists through the orders kept in memory: a filter or a term must narrow them as SQL does."""
    docs = _all(library)
    library.set_category([d.id for d in docs[:30]], "Travel")
    library.add_tag([d.id for d in docs[10:50]], "client-x")
    queries = [
        ListQuery("total>100"),
        ListQuery("tesco date:2024", SortBy.TOTAL, False),
        ListQuery(filters=Filters(category="travel")),
        ListQuery("aldi", SortBy.VENDOR, filters=Filters(tag="client-x", min_total=Decimal(5))),
        ListQuery(filters=Filters(since=date(2020, 1, 1), until=date(2021, 6, 30), currency="EUR")),
        ListQuery("tesco"),
    ]
    for q in queries:
        assert library.orders.ids(q) == listing.ids(library.reader, q), q
    assert library.orders.ids(ListQuery("total>100")) != library.orders.ids(ListQuery())
