"""Applying the user's edits over an extracted document.

The extracted document is never changed; an edit names a field by path
("total", "line_items.2.amount") and holds the new value in its JSON form.
A change to the rows themselves (added, removed, moved, split, merged) is one
edit of the path "line_items" holding every row: each says which row it came
from, so the boxes and how sure the reading was stay with what was read.
Edits apply in the order they were made. The result is what the editor
shows and exports carry.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

from receiptdesk.core.document import Document, Field, LineItem, value_from_json, value_to_json
from receiptdesk.core.fields import spec_for
from receiptdesk.core.validation import validate
from receiptdesk.store.records import Edit

EDITED = "edited"
ROWS = "line_items"  # the path of an edit of the rows as a whole


def parse_path(path: str) -> tuple[int | None, str]:
    """("total") -> (None, "total"); ("line_items.2.amount") -> (2, "amount")."""
    if path.startswith("line_items."):
        _, index, name = path.split(".", 2)
        return int(index), name
    return None, path


def _edited(old: Field | None, raw: str | None, *, line_item: bool, name: str) -> Field:
    value = value_from_json(spec_for(name, line_item=line_item).kind, raw)
    base = old or Field()
    kept = (f for f in base.flags if f not in ("ambiguous_date", "low_confidence", EDITED))
    return replace(base, value=value, confidence=1.0, flags=(*kept, EDITED))


def rows_to_json(items: list[LineItem], sources: list[int | None]) -> str:
    """The rows as the user arranged them: each row's values and the row read it came from."""
    rows = [
        {"from": src, "values": {n: value_to_json(f.value) for n, f in item.fields.items() if not f.empty}}
        for item, src in zip(items, sources, strict=True)
    ]
    return json.dumps(rows, ensure_ascii=False)


def _rows(extracted: Document, raw: str | None) -> list[LineItem]:
    out = []
    for row in json.loads(raw or "[]"):
        src = row.get("from")
        base = extracted.line_items[src] if isinstance(src, int) and 0 <= src < len(extracted.line_items) else None
        fields: dict[str, Field] = {}
        values: dict[str, Any] = row.get("values") or {}
        for name, raw_value in values.items():
            read = base.fields.get(name) if base else None
            if read is not None and value_to_json(read.value) == raw_value:
                fields[name] = read  # as read, with its box and how sure
            else:
                fields[name] = _edited(read, raw_value, line_item=True, name=name)
        out.append(LineItem(fields, dict(base.extra) if base else {}))
    return out


def apply_edits(extracted: Document, edits: dict[str, Edit]) -> Document:
    """The document with the edits applied in the order given (the order they were made)."""
    doc = copy.deepcopy(extracted)
    for path, edit in edits.items():
        if path == "currency":
            doc.currency = (edit.new_value or "").upper() or None
            continue
        if path == ROWS:
            doc.line_items = _rows(extracted, edit.new_value)
            continue
        index, name = parse_path(path)
        if index is None:
            if edit.new_value is None and name not in extracted.fields:
                doc.fields.pop(name, None)  # added by hand, then taken back
                continue
            doc.fields[name] = _edited(doc.fields.get(name), edit.new_value, line_item=False, name=name)
            continue
        while len(doc.line_items) <= index:
            doc.line_items.append(LineItem())
        item = doc.line_items[index]
        item.fields[name] = _edited(item.fields.get(name), edit.new_value, line_item=True, name=name)
    doc.checks = validate(doc)
    return doc


def read_value(doc: Document, path: str) -> str | None:
    """What the reading says for a path, in the JSON form edits use."""
    if path == "currency":
        return doc.currency
    if path == ROWS:
        return rows_to_json(doc.line_items, list(range(len(doc.line_items))))
    f = doc.field_at(path)
    return value_to_json(f.value) if f else None
