"""Applying the user's edits over an extracted document.

The extracted document is never changed; an edit names a field by path
("total", "line_items.2.amount") and holds the new value in its JSON form.
The result is what the editor shows and exports carry.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from receiptdesk.core.document import Document, Field, LineItem, value_from_json
from receiptdesk.core.fields import spec_for
from receiptdesk.core.validation import validate
from receiptdesk.store.records import Edit

EDITED = "edited"


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


def apply_edits(extracted: Document, edits: dict[str, Edit]) -> Document:
    doc = copy.deepcopy(extracted)
    for path, edit in edits.items():
        index, name = parse_path(path)
        if path == "currency":
            doc.currency = (edit.new_value or "").upper() or None
            continue
        if index is None:
            doc.fields[name] = _edited(doc.fields.get(name), edit.new_value, line_item=False, name=name)
            continue
        while len(doc.line_items) <= index:
            doc.line_items.append(LineItem())
        item = doc.line_items[index]
        item.fields[name] = _edited(item.fields.get(name), edit.new_value, line_item=True, name=name)
    doc.checks = validate(doc)
    return doc
