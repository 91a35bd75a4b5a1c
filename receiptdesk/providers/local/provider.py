"""The offline provider: read the words on this computer, then parse them into a document.

Reading (OCR or a PDF's own text) is the slow, expensive half, so its result,
the words of every page with their boxes, is the raw response kept beside the
document: a better parser can re-map it later without reading again. The
parser works in each page's upright reading frame; its boxes are mapped back
onto the page as the user sees it here, so the viewer highlights the right spot.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import Document, Field, Page, Provenance
from receiptdesk.core.errors import bad_document
from receiptdesk.providers.base import Context, Estimate, Extraction, Limits, check_limits
from receiptdesk.providers.local.engine import OcrEngine
from receiptdesk.providers.local.imaging import to_page_box
from receiptdesk.providers.local.parser import parse
from receiptdesk.providers.local.reader import Reader
from receiptdesk.providers.local.words import PageText, pages_from_json, pages_to_json
from receiptdesk.providers.source import SUPPORTED, Source

RAW_VERSION = 1
# Offline there is no service to refuse a file; these only stop what would never finish.
LIMITS = Limits(media_types=SUPPORTED, max_bytes=1_000_000_000, max_pages=2000)
# Beyond this many pages that may need OCR, say it will take a while.
SLOW_PAGES = 20


class LocalProvider:
    name = "local"
    title = "On this computer"
    needs_network = False

    def __init__(
        self,
        engine: OcrEngine | None = None,
        *,
        workers: int = 1,
        date_order: DateOrder | None = None,
        currency: str | None = None,
    ) -> None:
        """`workers`: extractions that may run at once, so each uses its share of the cores.
        `date_order`: the user's habit, for dates a receipt leaves open (they stay flagged).
        `currency`: the user's usual currency, for a receipt that prints none and names no country."""
        self.date_order = date_order
        self.currency = currency
        if engine is None:
            engine = OcrEngine(threads=max(1, (os.cpu_count() or 1) // max(1, workers)))
        self.engine = engine  # nothing is loaded until the first page needs OCR
        self.reader = Reader(engine)

    def estimate(self, source: Source) -> Estimate:
        check_limits(source, LIMITS, "The offline reader")
        warnings: tuple[str, ...] = ()
        if source.pages > SLOW_PAGES:
            warnings = (f"Reading {source.pages} pages on this computer may take a few minutes.",)
        return Estimate(pages_billed=0, price=Decimal(0), route="offline", warnings=warnings)

    def extract(self, source: Source, ctx: Context) -> Extraction:
        self.estimate(source)
        pages = self.reader.read(source, ctx)
        if not any(p.words for p in pages):
            raise bad_document(
                f"No text was found in {source.name}. If it is a receipt, try a sharper, well-lit photo or scan."
            )
        ctx.raise_if_cancelled()
        warnings = [f"No text was found on page {p.number}." for p in pages if not p.words and len(pages) > 1]
        reader = self._reader_name(pages)
        raw = {"version": RAW_VERSION, "reader": reader, "pages": pages_to_json(pages)}
        return Extraction(self._document(pages, reader), raw, warnings, pages_billed=0)

    def remap(self, raw: Any) -> Document:
        if not isinstance(raw, dict) or not isinstance(raw.get("pages"), list):
            raise bad_document("The stored reading of this document is not in a form ReceiptDesk knows.")
        return self._document(pages_from_json(raw["pages"]), str(raw.get("reader") or "offline reader"))

    def _reader_name(self, pages: list[PageText]) -> str:
        layer = any(p.from_text_layer for p in pages)
        ocr = not all(p.from_text_layer for p in pages)
        parts = (["PDF text layer"] if layer else []) + ([self.engine.description] if ocr else [])
        return " and ".join(parts)

    def _document(self, pages: list[PageText], reader: str) -> Document:
        doc = parse(pages, date_order=self.date_order, currency=self.currency)
        parser_model = doc.provenance.model or "parser"
        model = f"{reader} + {parser_model}"
        doc.provenance = Provenance("local", model, datetime.now(UTC))
        return on_page(doc, pages)


def on_page(doc: Document, pages: list[PageText]) -> Document:
    """The document with every box moved from its page's reading frame onto the page as shown."""
    by_number = {p.number: p for p in pages}

    def move(f: Field) -> Field:
        page = by_number.get(f.page or 1)
        if f.box is None or page is None or (not page.rotation and not page.skew):
            return f
        return replace(f, box=to_page_box(f.box, page.rotation, page.skew, page.width, page.height))

    def move_all(fields: dict[str, Field]) -> dict[str, Field]:
        return {name: move(f) for name, f in fields.items()}

    doc.fields = move_all(doc.fields)
    doc.extra = move_all(doc.extra)
    for item in doc.line_items:
        item.fields = move_all(item.fields)
        item.extra = move_all(item.extra)
    doc.pages = [
        Page(p.number, *((p.height, p.width) if p.rotation in (90, 270) else (p.width, p.height)), p.unit)
        for p in pages
    ]
    return doc
