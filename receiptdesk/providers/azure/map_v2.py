"""Where the v2.0 / v2.1 result keeps things: readResults, documentResults[].fields.

Geometry is a `boundingBox` of 8 numbers plus a `page`, in the unit of
that page's readResults entry; text is `text` (as printed). Results made
without text details carry no lines, so the document text is then empty.
"""

from __future__ import annotations

from typing import Any

from receiptdesk.core.document import Page
from receiptdesk.core.geometry import Box
from receiptdesk.providers.azure.parts import AnalyzedDocument, Cell, Parts, Table
from receiptdesk.providers.azure.values import FieldReader, Json


class V2Reader(FieldReader):
    def text(self, f: Json) -> str | None:
        text = f.get("text")
        return text if isinstance(text, str) else None

    def where(self, f: Json) -> tuple[int | None, Box | None]:
        page = f.get("page")
        if not isinstance(page, int):
            return None, None
        return page, self.box(page, f.get("boundingBox"))


def read_v2(body: Json) -> Parts:
    read_results = [r for r in body.get("readResults") or [] if isinstance(r, dict)]
    pages = [_page(r) for r in read_results]
    reader = V2Reader({p.number: p for p in pages})
    text = "\n".join(
        str(line.get("text") or "") for r in read_results for line in r.get("lines") or [] if isinstance(line, dict)
    )
    documents = [
        AnalyzedDocument(str(d.get("docType") or ""), d.get("fields") or {}, _confidence(d.get("docTypeConfidence")),
                         _page_range(d.get("pageRange")))
        for d in body.get("documentResults") or []
        if isinstance(d, dict)
    ]  # fmt: skip
    version = str(body.get("version") or "")
    model = documents[0].doc_type if documents else "layout"
    return Parts(
        reader=reader,
        pages=pages,
        text=text,
        documents=documents,
        model=" ".join(x for x in (model, version) if x) or None,
        model_hint=model,
        tables=[
            _table(reader, pr.get("page"), t)
            for pr in body.get("pageResults") or []
            if isinstance(pr, dict)
            for t in pr.get("tables") or []
            if isinstance(t, dict)
        ],
        page_text={
            int(r.get("page") or 1): "\n".join(
                str(line.get("text") or "") for line in r.get("lines") or [] if isinstance(line, dict)
            )
            for r in read_results
        },
    )


def _confidence(raw: object) -> float | None:
    return float(raw) if isinstance(raw, int | float) else None


def _page_range(raw: object) -> tuple[int, ...]:
    if isinstance(raw, list) and len(raw) == 2 and all(isinstance(n, int) for n in raw):
        return tuple(range(raw[0], raw[1] + 1))
    return ()


def _table(reader: V2Reader, page: object, t: dict[str, Any]) -> Table:
    number = page if isinstance(page, int) else None
    cells = []
    for c in t.get("cells") or []:
        if not isinstance(c, dict):
            continue
        box = reader.box(number, c.get("boundingBox"))
        conf = _confidence(c.get("confidence"))
        cells.append(Cell(int(c.get("rowIndex") or 0), int(c.get("columnIndex") or 0), str(c.get("text") or ""),
                          number, box, bool(c.get("isHeader")), conf if conf is not None else 1.0))  # fmt: skip
    return Table(number, tuple(cells))


def _page(r: dict[str, Any]) -> Page:
    return Page(
        int(r.get("page") or 1),
        float(r.get("width") or 0.0),
        float(r.get("height") or 0.0),
        str(r.get("unit") or "pixel"),
    )
