"""Every value of every recorded response is found in what ReceiptDesk makes of it (issue 12).

The walk goes through each response as the service sent it, independently of the mappers: every
printed value (and every printed label) of every field, summary or line item, must come out as a
field's text (or label) of one of the documents the response maps to, in `fields`, `extra` or a
line item. A field the mapper drops, merges away or leaves out with its document fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from receiptdesk.core.document import Document, Field
from receiptdesk.providers.azure.mapping import remap_all
from receiptdesk.providers.textract.mapping import map_documents
from tests.conftest import SHARED

RESPONSES = SHARED / "data" / "responses"


def _norm(text: str | None) -> str:
    """Compared as words: case, spacing, a trailing colon and stray rules ("TRANS ID\\n-") aside."""
    words = [w for w in (text or "").split() if any(c.isalnum() for c in w)]
    return " ".join(words).strip(" :").lower()


def _outputs(docs: list[Document]) -> Iterator[Field]:
    for doc in docs:
        yield from doc.fields.values()
        yield from doc.extra.values()
        for item in doc.line_items:
            yield from item.fields.values()
            yield from item.extra.values()


def _box(detection: dict[str, Any] | None) -> list[float] | None:
    bb = ((detection or {}).get("Geometry") or {}).get("BoundingBox")
    if not bb:
        return None
    left, top = bb["Left"], bb["Top"]
    return [left, top, left + bb["Width"], top + bb["Height"]]


def _found(text: str, box: list[float] | None, out: list[tuple[str, list[float] | None]]) -> bool:
    """`text` at `box` (to a thousandth of the page) among the output's readings."""
    for t, b in out:
        if t != text:
            continue
        if box is None or (b is not None and all(abs(x - y) <= 1e-3 for x, y in zip(box, b, strict=True))):
            return True
    return False


def _textract_fields(raw: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for doc in raw.get("ExpenseDocuments") or []:
        yield from doc.get("SummaryFields") or []
        for group in doc.get("LineItemGroups") or []:
            for item in group.get("LineItems") or []:
                yield from item.get("LineItemExpenseFields") or []


def _azure_fields(f: dict[str, Any], name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    yield name, f
    for i, element in enumerate(f.get("valueArray") or [], start=1):
        yield from _azure_fields(element, f"{name}.{i}")
    for sub, sf in (f.get("valueObject") or {}).items():
        yield from _azure_fields(sf, f"{name}.{sub}")


def _files(folder: str) -> list[Path]:
    if not (RESPONSES / folder).is_dir():
        return []
    return sorted(
        p for p in (RESPONSES / folder).rglob("*.json") if "errors" not in p.parts and "_extract" not in p.parts
    )


@pytest.mark.parametrize("path", _files("textract"), ids=lambda p: p.name)
def test_every_textract_value_and_label_is_kept(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = list(_outputs(map_documents(raw)))
    # A value is found with its own box: the same text printed twice (the vendor's state and the
    # customer's) is two readings, both kept.
    texts = [(_norm(f.text), f.box.to_json() if f.box else None) for f in out]
    labels = {_norm(f.label) for f in out}
    missing = []
    for f in _textract_fields(raw):
        value = (f.get("ValueDetection") or {}).get("Text") or ""
        label = (f.get("LabelDetection") or {}).get("Text") or ""
        kind = (f.get("Type") or {}).get("Text")
        if value.strip() and not _found(_norm(value), _box(f.get("ValueDetection")), texts):
            missing.append(f"{kind} value {value!r}")
        if label.strip() and _norm(label) not in labels:
            missing.append(f"{kind} label {label!r}")
    assert missing == []


@pytest.mark.parametrize("path", _files("azure"), ids=lambda p: p.name)
def test_every_azure_value_is_kept(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    body = raw.get("analyzeResult", raw)
    found = body.get("documents") or body.get("documentResults") or []
    out = list(_outputs(remap_all(raw)))
    texts = {_norm(f.text) for f in out}
    missing = []
    for d in found:
        for name, f in d.get("fields", {}).items():
            for path_name, field in _azure_fields(f, name):
                if field.get("valueArray") or field.get("valueObject"):
                    continue  # an array or object is its elements
                printed = field.get("content", field.get("text"))
                if isinstance(printed, str) and printed.strip() and _norm(printed) not in texts:
                    missing.append(f"{path_name} {printed!r}")
    assert missing == []
