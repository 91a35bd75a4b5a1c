"""The list's queries: every document reachable, sorted by the store, at any size."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from receiptdesk.store import listing
from receiptdesk.store.library import Library
from receiptdesk.store.listing import ListQuery, SortBy
from tests.library_rows import fill


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def test_a_library_past_ten_thousand_documents_lists_every_one(library: Library) -> None:
    fill(library, 10_001)
    assert len(listing.ids(library.reader, ListQuery())) == 10_001
    assert len(library.documents()) == 10_001
    everything = [s.id for s in library.walk(ListQuery(sort=SortBy.VENDOR, descending=False))]
    assert sorted(everything) == list(range(1, 10_002))  # each once, none left out
    assert len(listing.ids(library.reader, ListQuery("tesco"))) == sum(
        1 for s in library.walk(ListQuery()) if s.vendor == "Tesco"
    )


def test_each_sort_is_the_order_a_user_expects_and_blanks_come_last_both_ways(library: Library) -> None:
    fill(library, 500)
    rows = list(library.walk(ListQuery()))
    by_id = {s.id: s for s in rows}

    def order(sort: SortBy, descending: bool) -> list[int]:
        return listing.ids(library.reader, ListQuery("", sort, descending))

    for descending in (False, True):
        dates = [by_id[i].date for i in order(SortBy.DATE, descending)]
        known = [d for d in dates if d]
        assert dates[: len(known)] == known and not any(dates[len(known) :])  # undated last
        assert known == sorted(known, reverse=descending)

        totals = [by_id[i] for i in order(SortBy.TOTAL, descending)]
        priced = [s for s in totals if s.total]
        assert totals[: len(priced)] == priced  # no total: last
        # within one currency, by amount as a number ("9.50" before "10.00"), never across currencies
        for currency in {s.currency for s in priced}:
            amounts = [Decimal(s.total or "") for s in priced if s.currency == currency]
            assert amounts == sorted(amounts, reverse=descending)
        currencies = [s.currency for s in priced]
        assert currencies == sorted(currencies, reverse=descending)

        vendors = [(by_id[i].vendor or by_id[i].file_name).lower() for i in order(SortBy.VENDOR, descending)]
        assert vendors == sorted(vendors, reverse=descending)


def test_every_sort_walks_an_index_instead_of_sorting_rows(library: Library) -> None:
    """A sort of 100,000 rows costs an index walk; SQLite says when it would sort (a temp b-tree)."""
    fill(library, 50)
    for sort in SortBy:
        for descending in (False, True):
            sql, params = listing._select(ListQuery("", sort, descending), "id")
            plan = " ".join(str(r[3]) for r in library.reader.query(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "USE TEMP B-TREE" not in plan, (sort, descending, plan)


def test_kept_orders_follow_every_change_and_searches_keep_the_order(library: Library, tmp_path: Path) -> None:
    fill(library, 300)
    orders = library.orders
    by_total = ListQuery(sort=SortBy.TOTAL)
    first = orders.ids(by_total)
    assert first == listing.ids(library.reader, by_total)
    tesco = orders.ids(ListQuery("tesco", SortBy.TOTAL))
    assert tesco == listing.ids(library.reader, ListQuery("tesco", SortBy.TOTAL))  # same as SQL's own order
    library.trash([first[0]])  # written on the other connection: the kept order is dropped
    assert orders.ids(by_total) == first[1:]
