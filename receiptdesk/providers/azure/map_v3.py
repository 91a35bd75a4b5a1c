"""Where the 2023-07-31 (v3) result keeps things: content, pages, documents[].fields.

Geometry is `boundingRegions` [{pageNumber, polygon}] in the page's unit
(pixels for images, inches for PDFs), text is `content` (as printed).
"""

from __future__ import annotations

from typing import Any

from receiptdesk.core.document import Field, Page
from receiptdesk.core.geometry import Box, enclosing
from receiptdesk.providers.azure.parts import AnalyzedDocument, Cell, KeyValue, Parts, Table
from receiptdesk.providers.azure.values import FieldReader, Json


class V3Reader(FieldReader):
    def text(self, f: Json) -> str | None:
        content = f.get("content")
        return content if isinstance(content, str) else None

    def where(self, f: Json) -> tuple[int | None, Box | None]:
        regions = [r for r in f.get("boundingRegions") or [] if isinstance(r, dict)]
        if not regions:
            return None, None
        page = regions[0].get("pageNumber")
        if not isinstance(page, int):
            return None, None
        boxes = [
            b
            for r in regions
            if r.get("pageNumber") == page
            and (b := self.box(page, r.get("polygon") or r.get("boundingBox"))) is not None
        ]
        return page, enclosing(boxes)


def read_v3(body: Json) -> Parts:
    pages = [_page(p) for p in body.get("pages") or [] if isinstance(p, dict)]
    reader = V3Reader({p.number: p for p in pages})
    content = body.get("content")
    if isinstance(content, str) and content:
        text = content
    else:
        text = "\n".join(
            str(line.get("content") or "")
            for p in body.get("pages") or []
            for line in (p.get("lines") or [])
            if isinstance(line, dict)
        )
    documents = [
        AnalyzedDocument(
            str(d.get("docType") or ""),
            d.get("fields") or {},
            _confidence(d.get("confidence")),
            tuple(sorted({r["pageNumber"] for r in d.get("boundingRegions") or [] if isinstance(r, dict)
                          and isinstance(r.get("pageNumber"), int)})),
        )
        for d in body.get("documents") or []
        if isinstance(d, dict)
    ]  # fmt: skip
    model_id = str(body.get("modelId") or "")
    api = str(body.get("apiVersion") or "")
    return Parts(
        reader=reader,
        pages=pages,
        text=text,
        documents=documents,
        model=" ".join(x for x in (model_id, api) if x) or None,
        model_hint=model_id,
        tables=[_table(reader, t) for t in body.get("tables") or [] if isinstance(t, dict)],
        key_values=[kv for p in body.get("keyValuePairs") or [] if isinstance(p, dict) and (kv := _pair(reader, p))],
        page_text={
            int(p.get("pageNumber") or 1): "\n".join(
                str(line.get("content") or "") for line in p.get("lines") or [] if isinstance(line, dict)
            )
            for p in body.get("pages") or []
            if isinstance(p, dict)
        },
    )


def _confidence(raw: object) -> float | None:
    return float(raw) if isinstance(raw, int | float) else None


def _table(reader: V3Reader, t: dict[str, Any]) -> Table:
    cells = []
    for c in t.get("cells") or []:
        if not isinstance(c, dict):
            continue
        page, box = reader.where(c)
        header = c.get("kind") in ("columnHeader", "rowHeader")
        conf = _confidence(c.get("confidence"))
        text = str(c.get("content") or "")
        cells.append(Cell(int(c.get("rowIndex") or 0), int(c.get("columnIndex") or 0), text, page, box, header,
                          conf if conf is not None else 1.0))  # fmt: skip
    page, _ = reader.where(t)
    return Table(page, tuple(cells))


def _pair(reader: V3Reader, pair: dict[str, Any]) -> KeyValue | None:
    key, value = pair.get("key"), pair.get("value")
    if not isinstance(key, dict) or not isinstance(text := key.get("content"), str) or not text.strip():
        return None
    conf = float(pair.get("confidence") or 0.0)
    kpage, kbox = reader.where(key)
    key_field = Field(text, text, conf, kpage, kbox)
    if not isinstance(value, dict):
        return KeyValue(key_field, None)
    vtext = value.get("content") if isinstance(value.get("content"), str) else None
    vpage, vbox = reader.where(value)
    return KeyValue(key_field, Field(vtext, vtext, conf, vpage, vbox))


def _page(p: dict[str, Any]) -> Page:
    return Page(
        int(p.get("pageNumber") or 1),
        float(p.get("width") or 0.0),
        float(p.get("height") or 0.0),
        str(p.get("unit") or "pixel"),
    )
