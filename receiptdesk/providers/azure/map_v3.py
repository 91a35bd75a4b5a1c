"""Where the 2023-07-31 (v3) result keeps things: content, pages, documents[].fields.

Geometry is `boundingRegions` [{pageNumber, polygon}] in the page's unit
(pixels for images, inches for PDFs), text is `content` (as printed).
"""

from __future__ import annotations

from typing import Any

from receiptdesk.core.document import Page
from receiptdesk.core.geometry import Box, enclosing
from receiptdesk.providers.azure.parts import AnalyzedDocument, Parts
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
        AnalyzedDocument(str(d.get("docType") or ""), d.get("fields") or {})
        for d in body.get("documents") or []
        if isinstance(d, dict)
    ]
    model_id = str(body.get("modelId") or "")
    api = str(body.get("apiVersion") or "")
    return Parts(
        reader=reader,
        pages=pages,
        text=text,
        documents=documents,
        model=" ".join(x for x in (model_id, api) if x) or None,
        model_hint=model_id,
    )


def _page(p: dict[str, Any]) -> Page:
    return Page(
        int(p.get("pageNumber") or 1),
        float(p.get("width") or 0.0),
        float(p.get("height") or 0.0),
        str(p.get("unit") or "pixel"),
    )
