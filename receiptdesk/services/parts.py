"""One file, several documents: a PDF of three receipts split by page, and merged back.

A split keeps the one original and makes a document of each page range, each
with the values read on its pages: the offline reader's words are parsed again
page range by page range (no OCR), a cloud reading is divided by the pages its
values sit on. A merge puts the file back as one document, read as a whole.
Nothing is sent anywhere; the readings kept are reused.
"""

from __future__ import annotations

import copy
from typing import Any

from receiptdesk.core.document import Document, LineItem
from receiptdesk.core.errors import bad_document
from receiptdesk.services.providers import Providers
from receiptdesk.store.library import Library

PageRange = tuple[int, int]  # first and last page, from 1


def parse_ranges(text: str, pages: int) -> list[PageRange]:
    """ "1, 2-3, 4" -> [(1, 1), (2, 3), (4, 4)]; every page once, in order, or a clear refusal."""
    ranges: list[PageRange] = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            first, last = int(lo), int(hi or lo)
        except ValueError:
            raise bad_document(f"“{part}” is not a page or a range of pages (like 2-3).") from None
        if not 1 <= first <= last <= pages:
            raise bad_document(f"“{part}” is not within the document's {pages} pages.")
        ranges.append((first, last))
    covered = [n for first, last in ranges for n in range(first, last + 1)]
    if covered != list(range(1, pages + 1)) or len(ranges) < 2:
        raise bad_document(f"Give two or more ranges that cover pages 1 to {pages} once each, in order (1, 2-3).")
    return ranges


def _on_pages(doc: Document, pages: set[int]) -> Document:
    """The part of a reading whose values sit on these pages (a value with no page: the first's)."""
    first = min(pages)
    part = copy.deepcopy(doc)
    part.pages = [p for p in doc.pages if p.number in pages]
    part.fields = {n: f for n, f in doc.fields.items() if (f.page or first) in pages}
    part.line_items = [
        LineItem(dict(i.fields), dict(i.extra)) for i in doc.line_items
        if any((f.page or first) in pages for f in i.fields.values())
    ]  # fmt: skip
    return part


def reading_of_pages(providers: Providers, provider: str, raw: Any, whole: Document, pages: set[int]) -> Document:
    if provider == "local" and isinstance(raw, dict) and isinstance(raw.get("pages"), list):
        only = {**raw, "pages": [p for p in raw["pages"] if int(p.get("number", 0)) in pages]}
        return providers.remap("local", only)
    return _on_pages(whole, pages)


def split(library: Library, providers: Providers, doc_id: int, ranges: list[PageRange]) -> list[int]:
    """The document becomes one per range (the first keeps its id); returns every part's id."""
    record = library.get(doc_id)
    kept = library.raw_response(doc_id)
    if record.extracted is None or kept is None:
        raise bad_document("Read the document first: a split divides what was read.")
    provider, raw = kept
    parts = [reading_of_pages(providers, provider, raw, record.extracted, set(range(a, b + 1))) for a, b in ranges]
    return [doc_id, *library.save_parts(doc_id, parts, raw)]


def ranges_of(library: Library, doc_id: int) -> list[PageRange]:
    """The page ranges of the documents cut from this one's file (for an undo of a merge)."""
    out = []
    for part in library.parts_of(doc_id):
        lo, _, hi = (library.summary(part).pages or "").partition("-")
        if lo:
            out.append((int(lo), int(hi or lo)))
    return out


def merge(library: Library, providers: Providers, doc_id: int) -> int:
    """Every document cut from the same file as `doc_id` becomes one again, read as a whole."""
    parts = library.parts_of(doc_id)
    keep = parts[0]
    kept = library.raw_response(keep)
    library.join_parts(keep, parts[1:])
    if kept is not None:
        provider, raw = kept
        library.save_extraction(keep, providers.remap(provider, raw), raw)
    return keep
