"""LineItemGroups -> line items: ITEM, QUANTITY, UNIT_PRICE, PRICE, PRODUCT_CODE, and the row as printed.

A row sometimes carries a type twice (two PRODUCT_CODEs when the next
item's code sits just under this one); the one nearest the description
wins and the other stays in the item's `extra`.
"""

from __future__ import annotations

from typing import Any

from receiptdesk.core.document import Field, LineItem
from receiptdesk.core.fields import LINE_ITEM_FIELDS, ValueKind
from receiptdesk.core.geometry import Box
from receiptdesk.providers.textract.reading import Cues, Detected, as_dict, as_list, detect, to_field
from receiptdesk.providers.textract.summary import add_extra, extra_key, same_detection
from receiptdesk.providers.textract.taxonomy import LINE_ITEM_TYPES


def line_items(expense_document: dict[str, Any], cues: Cues) -> list[LineItem]:
    items: list[LineItem] = []
    for group in as_list(expense_document.get("LineItemGroups")):
        for raw_item in as_list(as_dict(group).get("LineItems")):
            fields = as_list(as_dict(raw_item).get("LineItemExpenseFields"))
            detected = [d for i, f in enumerate(fields) if (d := detect(f, i)) is not None]
            item = _line_item(detected, cues)
            if item.fields or item.extra:
                items.append(item)
    return items


def _line_item(detected: list[Detected], cues: Cues) -> LineItem:
    by_name: dict[str, list[tuple[float, Detected, Field]]] = {}
    item = LineItem()
    for d in detected:
        target = LINE_ITEM_TYPES.get(d.type)
        if target is None:
            add_extra(item.extra, extra_key(d), to_field(d, ValueKind.TEXT, cues, label_decides=d.type == "OTHER"))
            continue
        name, priority = target
        kind = LINE_ITEM_FIELDS[name].kind
        by_name.setdefault(name, []).append((priority, d, to_field(d, kind, cues, multiline=name == "row")))
    anchor = _anchor(by_name)
    for name, group in by_name.items():
        ranked = sorted(group, key=lambda entry: _rank_key(entry, anchor))
        item.fields[name] = ranked[0][2]
        for _, _, f in ranked[1:]:
            if not same_detection(item.fields[name], f):
                add_extra(item.extra, name, f)
    return item


def _anchor(by_name: dict[str, list[tuple[float, Detected, Field]]]) -> Box | None:
    """Where the item's description sits, to tell which of two codes belongs to it."""
    for _, d, _ in by_name.get("description", []):
        if d.box is not None:
            return d.box
    return None


def _rank_key(entry: tuple[float, Detected, Field], anchor: Box | None) -> tuple[float, float, int]:
    priority, d, f = entry
    unreadable = 1.0 if f.value is None else 0.0
    distance = abs(d.box.cy - anchor.cy) if (anchor is not None and d.box is not None) else 0.0
    return (unreadable - priority, round(distance, 3), d.order)
