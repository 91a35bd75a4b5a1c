"""Line items as the user rearranges them: add, remove, move, split and merge rows.

Each row remembers the row read it came from, so what was read (its box, how
sure) stays with it; the store keeps the arrangement as one edit (store/edits.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from receiptdesk.core.document import Field, LineItem
from receiptdesk.store.edits import ROWS, rows_to_json
from receiptdesk.store.records import DocumentRecord


@dataclass(slots=True)
class Rows:
    items: list[LineItem]
    sources: list[int | None]  # the row read each came from (None: added by hand)

    @classmethod
    def of(cls, record: DocumentRecord) -> Rows:
        assert record.current is not None and record.extracted is not None
        items = [LineItem(dict(i.fields), dict(i.extra)) for i in record.current.line_items]
        edit = record.edits.get(ROWS)
        if edit is not None and edit.new_value:
            sources = [r.get("from") for r in json.loads(edit.new_value)]
        else:
            sources = list(range(len(items)))
        sources += [None] * (len(items) - len(sources))  # cells typed into rows past the end
        return cls(items, sources[: len(items)])

    def json(self) -> str:
        return rows_to_json(self.items, self.sources)

    def add(self, row: int) -> None:
        self.items.insert(row + 1, LineItem())
        self.sources.insert(row + 1, None)

    def remove(self, row: int) -> None:
        del self.items[row]
        del self.sources[row]

    def move(self, row: int, step: int) -> None:
        other = row + step
        self.items[row], self.items[other] = self.items[other], self.items[row]
        self.sources[row], self.sources[other] = self.sources[other], self.sources[row]

    def split(self, row: int) -> None:
        """Two lines from one: the description twice, the amounts left for the user to share out."""
        first = self.items[row]
        second = LineItem({n: f for n, f in first.fields.items() if n == "description"})
        self.items.insert(row + 1, second)
        self.sources.insert(row + 1, None)

    def merge(self, row: int) -> None:
        """One line from two: descriptions joined, amounts added."""
        a, b = self.items[row], self.items[row + 1]
        fields = dict(a.fields)
        texts = [str(x.value) for x in (a.fields.get("description"), b.fields.get("description")) if x and x.value]
        if texts:
            fields["description"] = replace(fields.get("description") or Field(), value=" ".join(texts))
        for name in ("amount", "tax"):
            x, y = a.fields.get(name), b.fields.get(name)
            if x is not None and y is not None and x.value is not None and y.value is not None:
                fields[name] = replace(x, value=x.value + y.value)  # type: ignore[operator]
        fields.pop("quantity", None)
        fields.pop("unit_price", None)
        self.items[row] = LineItem(fields, dict(a.extra))
        del self.items[row + 1]
        del self.sources[row + 1]


RowOp = Callable[[Rows, int], None]
