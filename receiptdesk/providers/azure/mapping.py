"""An Azure Form Recognizer result (v2.0, v2.1 or 2023-07-31) -> canonical Documents, one per document found.

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
from receiptdesk.providers.azure.parts import AnalyzedDocument, KeyValue, Parts
from receiptdesk.providers.azure.tables import table_items
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
    """Map a stored raw response again, without calling anything: its first document."""
    return remap_all(raw, kind_hint=kind_hint)[0]


def remap_all(raw: Any, *, kind_hint: str | None = None) -> list[Document]:
    """Every receipt or invoice of a stored response, each its own document."""
    outer, body = analyze_result(raw)
    v2 = "readResults" in body or "documentResults" in body
    parts = read_v2(body) if v2 else read_v3(body)
    return assemble_all(parts, created=_created(outer), kind_hint=kind_hint)


def assemble(parts: Parts, *, created: datetime | None = None, kind_hint: str | None = None) -> Document:
    return assemble_all(parts, created=created, kind_hint=kind_hint)[0]


def assemble_all(parts: Parts, *, created: datetime | None = None, kind_hint: str | None = None) -> list[Document]:
    """One Document per document Azure found (a layout-only result: one for the file).

    Each has the pages it is printed on (the file's page numbers), its fields and items, its
    confidence; tables give line items to a document whose model returned none, and printed
    key-value pairs go to `extra` of the document on their page."""
    analyzed: list[AnalyzedDocument | None] = list(parts.documents) or [None]
    several = len(analyzed) > 1
    out: list[Document] = []
    for n, found in enumerate(analyzed, start=1):
        on = set(found.pages) if found is not None and several and found.pages else None
        pages = [p for p in parts.pages if on is None or p.number in on]
        text = parts.text
        if on is not None and parts.page_text:
            text = "\n".join(parts.page_text[p] for p in sorted(on) if parts.page_text.get(p))
        doc = Document(
            Provenance(PROVIDER, parts.model, created),
            kind=_kind(parts, kind_hint, found),
            pages=pages,
            text=text,
            doc_type=found.doc_type if found else None,
            confidence=found.confidence if found else None,
            part=n if several else None,
        )
        parts.reader.currencies.clear()  # each document's own currency
        if found is not None:
            for name, f in found.fields.items():
                if isinstance(f, Mapping):
                    _add(doc, parts.reader, name, f)
        if not doc.line_items:
            doc.line_items = table_items([t for t in parts.tables if on is None or t.page in on])
        for kv in parts.key_values:
            if (on is None and n == 1) or (on is not None and kv.key.page in on):
                _add_pair(doc, kv)
        doc.currency = _currency(parts.reader)
        doc.checks = validate(doc)
        out.append(doc)
    return out


def _add_pair(doc: Document, kv: KeyValue) -> None:
    """A printed label and its value, kept under the label's text (numbered when it repeats)."""
    label = " ".join((kv.key.text or "").split()).rstrip(":").strip() or "key"
    value = kv.value
    f = Field(
        value.value if value else None,
        value.text if value else None,
        value.confidence if value else kv.key.confidence,
        value.page if value and value.page else kv.key.page,
        value.box if value else None,
        label=kv.key.text,
        label_box=kv.key.box,
        label_confidence=kv.key.confidence,
    )
    name, i = f"keyValue.{label}", 1
    while name in doc.extra:
        i += 1
        name = f"keyValue.{label} ({i})"
    doc.extra[name] = f


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


def _kind(parts: Parts, hint: str | None, found: AnalyzedDocument | None = None) -> DocumentKind:
    """From the docType or model; for custom and layout results, from the page shape."""
    for name in (found.doc_type if found else "", parts.model_hint, hint or ""):
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
