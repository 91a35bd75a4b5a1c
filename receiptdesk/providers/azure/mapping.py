"""An Azure Form Recognizer result (v2.0, v2.1 or 2023-07-31) -> the canonical Document.

Takes the raw REST body as the service and the SDK recordings give it
({"status", "analyzeResult": {...}}) or the bare analyzeResult, so a saved
response maps again for free. Every field without a canonical name is kept
under `extra` with Azure's own name; nothing is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from receiptdesk.core.document import Document, DocumentKind, Field, LineItem, Provenance
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError, bad_document
from receiptdesk.core.fields import FIELDS as CANONICAL
from receiptdesk.core.fields import LINE_ITEM_FIELDS as CANONICAL_ITEM
from receiptdesk.core.validation import validate
from receiptdesk.providers.azure.choice import PAGE_BAND
from receiptdesk.providers.azure.fieldmap import FIELDS, ITEMS, LINE_ITEM_FIELDS
from receiptdesk.providers.azure.map_v2 import read_v2
from receiptdesk.providers.azure.map_v3 import read_v3
from receiptdesk.providers.azure.parts import Parts
from receiptdesk.providers.azure.values import FieldReader, Json, squeeze

PROVIDER = "azure"


def analyze_result(raw: Any) -> tuple[Json, Json]:
    """(outer operation body, analyzeResult); refuses what is not a finished Azure result."""
    if not isinstance(raw, Mapping):
        raise bad_document("This is not an Azure Form Recognizer response (expected a JSON object).")
    status = str(raw.get("status") or "").lower()
    if status == "failed":
        error = raw.get("error") or {}
        message = error.get("message") if isinstance(error, Mapping) else None
        raise ReceiptDeskError(
            ErrorKind.SERVICE, f"This saved Azure analysis failed: {message or 'the service gave no reason'}."
        )
    if status in ("notstarted", "running"):
        raise bad_document("This saved Azure response is of an analysis that had not finished; it holds no result.")
    body = raw.get("analyzeResult", raw)
    if not isinstance(body, Mapping) or not any(
        k in body for k in ("documents", "pages", "documentResults", "readResults")
    ):
        raise bad_document(
            "This is not an Azure Form Recognizer result: it has neither documents/pages (API 2023-07-31) "
            "nor documentResults/readResults (API v2.x)."
        )
    return raw, body


def remap(raw: Any, *, kind_hint: str | None = None) -> Document:
    """Map a stored raw response again, without calling anything."""
    outer, body = analyze_result(raw)
    v2 = "readResults" in body or "documentResults" in body
    parts = read_v2(body) if v2 else read_v3(body)
    return assemble(parts, created=_created(outer), kind_hint=kind_hint)


def assemble(parts: Parts, *, created: datetime | None = None, kind_hint: str | None = None) -> Document:
    reader = parts.reader
    primary = parts.documents[0] if parts.documents else None
    doc = Document(
        Provenance(PROVIDER, parts.model, created),
        kind=_kind(parts, kind_hint),
        pages=list(parts.pages),
        text=parts.text,
        doc_type=primary.doc_type if primary else None,
    )
    if primary is not None:
        for name, f in primary.fields.items():
            if isinstance(f, Mapping):
                _add(doc, reader, name, f)
    for i, other in enumerate(parts.documents[1:], start=2):
        # A second receipt on the same file (or a second page read as its own receipt).
        for name, f in other.fields.items():
            if isinstance(f, Mapping):
                doc.extra.update(reader.extras(f"document{i}.{name}", f))
    doc.currency = _currency(reader)
    doc.checks = validate(doc)
    return doc


def _add(doc: Document, reader: FieldReader, name: str, f: Json) -> None:
    if name == ITEMS and isinstance(f.get("valueArray"), list):
        doc.line_items.extend(_item(reader, el) for el in f["valueArray"] if isinstance(el, Mapping))
        return
    canonical = FIELDS.get(name)
    if canonical is None or (canonical in doc.fields and not doc.fields[canonical].empty):
        doc.extra.update(reader.extras(name, f))
        return
    doc.fields[canonical] = reader.field(f, CANONICAL[canonical].kind)
    doc.extra.update(reader.address_parts(name, f))


def _item(reader: FieldReader, element: Json) -> LineItem:
    item = LineItem()
    obj = element.get("valueObject")
    if isinstance(obj, Mapping):
        for name, f in obj.items():
            if not isinstance(f, Mapping):
                continue
            canonical = LINE_ITEM_FIELDS.get(name)
            if canonical is None or canonical in item.fields:
                item.extra.update(reader.extras(name, f))
                continue
            item.fields[canonical] = reader.field(f, CANONICAL_ITEM[canonical].kind)
            item.extra.update(reader.address_parts(name, f))
    row = reader.text(element)
    if row:
        page, box = reader.where(element)
        item.fields["row"] = Field(squeeze(row), row, float(element.get("confidence") or 0.0), page, box)
    return item


def _kind(parts: Parts, hint: str | None) -> DocumentKind:
    """From the docType or model; for custom and layout results, from the page shape."""
    for name in (parts.documents[0].doc_type if parts.documents else "", parts.model_hint, hint or ""):
        low = name.lower()
        if "invoice" in low:
            return DocumentKind.INVOICE
        if "receipt" in low:
            return DocumentKind.RECEIPT
    if parts.pages:
        p = parts.pages[0]
        short, long = sorted((p.width, p.height))
        if p.unit == "inch" and short > 0 and PAGE_BAND[0] <= long / short <= PAGE_BAND[1]:
            return DocumentKind.INVOICE
    return DocumentKind.RECEIPT


def _currency(reader: FieldReader) -> str | None:
    if not reader.currencies:
        return None
    counts = Counter(reader.currencies)
    best = max(counts.values())
    return next(c for c in reader.currencies if counts[c] == best)


def _created(outer: Json) -> datetime | None:
    for key in ("lastUpdatedDateTime", "createdDateTime"):
        raw = outer.get(key)
        if isinstance(raw, str):
            try:
                return datetime.fromisoformat(raw)
            except ValueError:
                continue
    return None
