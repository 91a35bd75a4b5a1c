"""The learned line-item rows: the committed model takes rows the hand rules miss and drops rows they take
wrongly; without the model file the rules choose."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from receiptdesk.core.document import Document
from receiptdesk.providers.local.item_model import (
    ITEM_RULES,
    ITEMS_PATH,
    ItemModel,
    default_items_model,
    load_items_model,
)
from receiptdesk.providers.local.parser import parse, reading_version
from tests.unit.providers.local.pages import receipt

# A sum of the items printed under them without a total's label ("Merchandise"): the rules take it for a third item.
_SUM_UNDER_ITEMS = receipt(
    "HARBOUR CAFE", "Flat white | 4.50", "Banana bread | 5.00", "Merchandise: | 9.50", "TOTAL | 9.50"
)
# An item whose name holds a payment word: the rules read "Visa" as a card payment and skip the row.
_PAYMENT_WORD_IN_NAME = receipt(
    "GARDEN SHOP", "Rose bush | 12.00", "Visa gift card | 25.00", "Seed tray | 3.50", "TOTAL | 40.50"
)


def _items(doc: Document) -> list[tuple[str, str]]:
    return [(str(i.value("description")), str(i.value("amount"))) for i in doc.line_items]


def test_a_sum_printed_under_the_items_is_not_an_item() -> None:
    assert _items(parse([_SUM_UNDER_ITEMS], items_model=ITEM_RULES))[-1] == ("Merchandise", "9.50")
    assert _items(parse([_SUM_UNDER_ITEMS])) == [("Flat white", "4.50"), ("Banana bread", "5.00")]


def test_an_item_whose_name_holds_a_payment_word_is_kept() -> None:
    assert _items(parse([_PAYMENT_WORD_IN_NAME], items_model=ITEM_RULES)) == [
        ("Rose bush", "12.00"),
        ("Seed tray", "3.50"),
    ]
    doc = parse([_PAYMENT_WORD_IN_NAME])
    assert _items(doc) == [("Rose bush", "12.00"), ("Visa gift card", "25.00"), ("Seed tray", "3.50")]
    assert {c.name: c.status for c in doc.checks}["line_sum"] == "ok"  # the items now add up to the total


def test_rows_whose_name_is_on_another_line_stay_with_the_rules() -> None:
    doc = parse([receipt("SHOP", "MILK", "2 x 3.50 | 7.00", "BREAD", "1 x 2.00 | 2.00", "TOTAL | 9.00")])
    assert _items(doc) == [("MILK", "7.00"), ("BREAD", "2.00")]


def test_the_committed_model_is_small_chooses_and_is_named_in_the_reading() -> None:
    assert ITEMS_PATH.stat().st_size < 10_000
    model = default_items_model()
    assert model == ItemModel.from_json(json.loads(ITEMS_PATH.read_text()))
    assert model.chooses
    doc = parse([_SUM_UNDER_ITEMS])
    assert doc.provenance.model == reading_version()
    assert doc.provenance.model is not None and doc.provenance.model.endswith(f"items {model.version}")


def test_without_the_model_file_the_rules_choose_and_the_log_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        model = load_items_model(tmp_path / "items.json")
    assert model is ITEM_RULES
    assert "No line-item model" in caplog.text
    doc = parse([_SUM_UNDER_ITEMS], items_model=model)
    assert _items(doc)[-1] == ("Merchandise", "9.50")
    assert doc.provenance.model is not None and doc.provenance.model.endswith("items rules")
