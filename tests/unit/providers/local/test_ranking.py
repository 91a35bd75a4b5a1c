"""The learned ranker: the committed model chooses the total and date and says how sure it is."""

from __future__ import annotations

import json
from decimal import Decimal

from receiptdesk.providers.local.parser import parse, reading_version
from receiptdesk.providers.local.ranking import HAND_RULES, MODEL_PATH, FieldModel, Ranker, default_ranker
from tests.unit.providers.local.pages import receipt

_CLEAR = receipt(
    "CORNER MARKET",
    "Date: 12/03/2024 10:15",
    "Milk | 3.49",
    "Bread | 4.25",
    "SUBTOTAL | 7.74",
    "TAX | 0.62",
    "TOTAL | 8.36",
    "CASH | 20.00",
    "CHANGE | 11.64",
)


def test_committed_model_is_small_loads_and_is_named_in_the_reading() -> None:
    assert MODEL_PATH.stat().st_size < 20_000
    ranker = default_ranker()
    assert ranker == Ranker.from_json(json.loads(MODEL_PATH.read_text()))
    assert {"total", "date"} <= set(ranker.fields)
    doc = parse([_CLEAR])
    assert doc.provenance.model is not None
    assert f"ranker {ranker.version}" in doc.provenance.model
    assert doc.provenance.model == reading_version()  # what the library compares to re-read stored words


def test_a_total_the_arithmetic_confirms_is_shown_sure_and_a_lone_weak_one_is_not() -> None:
    sure = parse([_CLEAR]).fields["total"]
    assert sure.value == Decimal("8.36")
    assert sure.confidence >= 0.9
    weak = parse([receipt("SHOP", "Apples | 1.20", "Pears | 2.30", "Balance | 1.20")])  # a weak label, no sum
    assert weak.fields["total"].value == Decimal("1.20")
    assert weak.fields["total"].confidence < 0.9


def test_the_model_not_the_hand_points_makes_the_choice() -> None:
    """A model that prefers the largest amount picks the cash handed over: the ranking is the model's."""
    names = ("is_max",)
    biggest = FieldModel(names, (0.0,), (1.0,), (10.0,))
    doc = parse([_CLEAR], ranker=Ranker({"total": biggest}, "test"))
    assert doc.value("total") == Decimal("20.00")
    assert parse([_CLEAR], ranker=HAND_RULES).value("total") == Decimal("8.36")


def test_calibration_lowers_a_winner_whose_own_features_say_so() -> None:
    m = FieldModel(("hand",), (0.0,), (1.0,), (1.0,), (1.0, 0.0), ("ambiguous",), (-3.0,))
    assert m.calibrated(0.9, {"ambiguous": 1.0}) < 0.5 < m.calibrated(0.9, {"ambiguous": 0.0})
