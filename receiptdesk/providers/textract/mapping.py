"""An AnalyzeExpense or GetExpenseAnalysis response (the boto3 dict as JSON) -> canonical Documents.

Handles every shape seen in the wild: 2021 responses without Blocks,
Currency or GroupProperties; 2022+ responses with OCR Blocks; paged
GetExpenseAnalysis results; fields without Geometry; documents without
SummaryFields.

One receipt, one document: Textract numbers the receipts and invoices it
finds in a file (ExpenseIndex), and each becomes its own Document with its
own pages, fields and line items. Pages keep the file's page numbers, so
boxes stay on the right page of the original. Consecutive expense documents
printing the same invoice or receipt number, or a page naming neither a
number nor a seller of its own, are one document continued on the next page
(Textract can give each page of a long invoice its own index), and are
joined. PARTIAL_SUCCESS warnings (pages Textract could not read) go on
every document: the unread page belongs to none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from receiptdesk.core.dates import DateOrder, find_dates, parse_time
from receiptdesk.core.document import Document, DocumentKind, Field, LineItem, Page, Provenance
from receiptdesk.core.errors import bad_document
from receiptdesk.core.geometry import Box
from receiptdesk.core.validation import validate
from receiptdesk.providers.textract.items import line_items
from receiptdesk.providers.textract.reading import (
    Cues,
    as_dict,
    as_list,
    box_of,
    clean,
    detect,
    read_cues,
)
from receiptdesk.providers.textract.summary import add_others, merge_summary, split_summary

PROVIDER = "textract"
# Pages come without a size; boxes are fractions of the page, so the page is 1 x 1.
PAGE_UNIT = "normalized"


@dataclass(frozen=True, slots=True)
class Line:
    page: int
    text: str
    box: Box | None
    confidence: float


def responses_of(raw: Any) -> list[dict[str, Any]]:
    """The response pages in `raw`: one response, or a list of GetExpenseAnalysis pages."""
    candidates = raw if isinstance(raw, list) else [raw]
    out: list[dict[str, Any]] = []
    for r in candidates:
        if not isinstance(r, dict):
            raise bad_document("This is not an Amazon Textract response: expected a JSON object.")
        if "ExpenseDocuments" not in r:
            status = r.get("JobStatus")
            if status == "IN_PROGRESS":
                raise bad_document("This Amazon Textract job was still running when the response was saved.")
            if status == "FAILED":
                reason = r.get("StatusMessage") or "no reason given"
                raise bad_document(f"This Amazon Textract job failed ({reason}); it holds no results.")
            raise bad_document(
                "This is not an Amazon Textract AnalyzeExpense or GetExpenseAnalysis response (no ExpenseDocuments)."
            )
        out.append(r)
    if not out:
        raise bad_document("The list holds no Amazon Textract responses.")
    return out


def map_response(raw: Any, *, date_order: DateOrder | None = None) -> Document:
    """The first document of the response (see `map_documents` for all of them)."""
    return map_documents(raw, date_order=date_order)[0]


def map_documents(raw: Any, *, date_order: DateOrder | None = None) -> list[Document]:
    """Map without calling anything; `date_order` is the user's habit, used when the document gives no cue."""
    responses = responses_of(raw)
    documents = [as_dict(d) for r in responses for d in as_list(r.get("ExpenseDocuments"))]
    all_lines, _ = _lines_and_pages(documents)
    cues = read_cues(documents, (ln.text for ln in all_lines), date_order)  # one habit for the whole file
    declared = max((_int(as_dict(r.get("DocumentMetadata")).get("Pages")) for r in responses), default=0)
    warnings = job_warnings(responses)
    groups = split_documents(documents)
    out = []
    for n, group in enumerate(groups, start=1):
        doc = _map_group(group, cues, responses, declared if len(groups) == 1 else 0)
        doc.warnings = list(warnings)
        doc.part = n if len(groups) > 1 else None
        out.append(doc)
    return out


def split_documents(documents: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Expense documents grouped by ExpenseIndex, a continued invoice joined to the one before.

    A group continues the previous one when it prints the same invoice or receipt number, or
    when it names neither a number nor a seller of its own (page 2 of an invoice: more items
    and the totals)."""
    by_index: dict[int, list[dict[str, Any]]] = {}
    for i, doc in enumerate(documents):
        index = doc.get("ExpenseIndex")
        by_index.setdefault(index if isinstance(index, int) else -1 - i, []).append(doc)
    groups: list[list[dict[str, Any]]] = []
    last_number: str | None = None
    for _, group in sorted(by_index.items(), key=lambda kv: (kv[0] < 0, abs(kv[0]))):
        number, seller = _identity(group)
        same = number is not None and number == last_number
        anonymous = number is None and seller is None
        if groups and (same or anonymous):
            groups[-1].extend(group)
        else:
            groups.append(list(group))
            last_number = number
    return groups or [[]]


_SELLER_TYPES = frozenset({"VENDOR_NAME", "VENDOR_ADDRESS", "VENDOR_PHONE", "TAX_PAYER_ID"})


def _identity(group: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """(the invoice or receipt number, the seller's name or address) a group prints, lower case."""
    number = seller = None
    for doc in group:
        for i, f in enumerate(as_list(doc.get("SummaryFields"))):
            d = detect(f, i)
            if d is None or not (text := clean(d.text).lower()):
                continue
            if d.type == "INVOICE_RECEIPT_ID":
                number = number or text
            elif d.type in _SELLER_TYPES or (d.type in ("NAME", "ADDRESS", "ADDRESS_BLOCK") and "VENDOR" in d.groups):
                seller = seller or text
    return number, seller


def job_warnings(responses: list[dict[str, Any]]) -> list[str]:
    """PARTIAL_SUCCESS in the user's words: which pages Textract could not read, and why."""
    out: list[str] = []
    for r in responses:
        for w in as_list(r.get("Warnings")):
            w = as_dict(w)
            pages = [str(p) for p in as_list(w.get("Pages"))]
            where = f"page {pages[0]}" if len(pages) == 1 else f"pages {', '.join(pages)}" if pages else "some pages"
            text = f"Amazon Textract could not read {where} ({w.get('ErrorCode') or 'no reason given'})."
            if text not in out:
                out.append(text)
    if not out and any(r.get("JobStatus") == "PARTIAL_SUCCESS" for r in responses):
        reason = next((str(r["StatusMessage"]) for r in responses if r.get("StatusMessage")), "no reason given")
        out.append(f"Amazon Textract read only part of the document ({reason}).")
    return out


def _map_group(documents: list[dict[str, Any]], cues: Cues, responses: list[dict[str, Any]], declared: int) -> Document:
    lines, block_pages = _lines_and_pages(documents)
    fields: dict[str, Field] = {}
    extra: dict[str, Field] = {}
    items: list[LineItem] = []
    field_pages: set[int] = set()
    for doc in documents:
        summary = [d for i, f in enumerate(as_list(doc.get("SummaryFields"))) if (d := detect(f, i)) is not None]
        field_pages.update(d.page for d in summary)
        candidates, others = split_summary(summary, cues)
        merge_summary(fields, extra, candidates)
        add_others(extra, others, cues)
        doc_items = line_items(doc, cues)
        field_pages.update(f.page for item in doc_items for f in item.fields.values() if f.page)
        items.extend(doc_items)

    time = _time_near_date(fields.get("date"), lines)
    if time is not None and "time" not in fields:
        fields["time"] = time

    found = {*block_pages, *field_pages}
    # One document of the file: pages 1..n; one of several: the file's pages it is printed on.
    numbers = list(range(1, max([declared, *found]) + 1)) if declared else sorted(found) or [1]
    doc_out = Document(
        provenance=Provenance(PROVIDER, _model(responses), datetime.now(UTC)),
        kind=_kind(fields, lines),
        currency=cues.currency,
        pages=[Page(n, 1.0, 1.0, PAGE_UNIT) for n in numbers],
        fields=fields,
        line_items=items,
        extra=extra,
        text=_text(lines, documents),
    )
    doc_out.checks = validate(doc_out)
    return doc_out


def _int(value: Any) -> int:
    return value if isinstance(value, int) and value > 0 else 0


def _model(responses: list[dict[str, Any]]) -> str:
    versions = [str(v) for r in responses if (v := r.get("AnalyzeExpenseModelVersion"))]
    return f"AnalyzeExpense {versions[0]}" if versions else "AnalyzeExpense"


def _lines_and_pages(documents: list[dict[str, Any]]) -> tuple[list[Line], set[int]]:
    """LINE blocks in reading order (each once, though several documents may repeat a page's blocks)."""
    lines: list[Line] = []
    pages: set[int] = set()
    seen: set[str] = set()
    for doc in documents:
        blocks = [as_dict(b) for b in as_list(doc.get("Blocks"))]
        # Blocks of a synchronous call carry no Page: they are all on the document's page.
        default_page = _doc_page(doc, blocks)
        for b in blocks:
            block_id = b.get("Id")
            if isinstance(block_id, str):
                if block_id in seen:
                    continue
                seen.add(block_id)
            page = _int(b.get("Page")) or default_page
            if b.get("BlockType") == "PAGE":
                pages.add(page)
            elif b.get("BlockType") == "LINE" and isinstance(b.get("Text"), str):
                conf = b.get("Confidence")
                confidence = float(conf) / 100 if isinstance(conf, int | float) else 0.0
                lines.append(Line(page, b["Text"], box_of(b), confidence))
    lines.sort(key=lambda ln: ln.page)  # stable: reading order within a page is kept
    return lines, pages


def _doc_page(doc: dict[str, Any], blocks: list[dict[str, Any]]) -> int:
    for b in blocks:
        if b.get("BlockType") == "PAGE" and _int(b.get("Page")):
            return _int(b.get("Page"))
    for f in as_list(doc.get("SummaryFields")):
        if page := _int(as_dict(f).get("PageNumber")):
            return page
    return 1


def _text(lines: list[Line], documents: list[dict[str, Any]]) -> str:
    """The document's text: its LINE blocks, or (2021 responses) what the fields printed."""
    if lines:
        out: list[str] = []
        page = lines[0].page
        for ln in lines:
            if ln.page != page:
                out.append("")
                page = ln.page
            out.append(ln.text)
        return "\n".join(out)
    texts: list[str] = []
    for doc in documents:
        for f in as_list(doc.get("SummaryFields")):
            d = detect(f, 0)
            if d is not None:
                texts.append(clean(f"{d.label} {d.text}" if d.label else d.text))
        for group in as_list(doc.get("LineItemGroups")):
            for item in as_list(as_dict(group).get("LineItems")):
                fields = [d for f in as_list(as_dict(item).get("LineItemExpenseFields")) if (d := detect(f, 0))]
                row = next((d.text for d in fields if d.type == "EXPENSE_ROW"), None)
                texts.append(clean(row) if row else " ".join(clean(d.text) for d in fields))
    return "\n".join(dict.fromkeys(t for t in texts if t))  # each text once, in order


_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}")


def _time_near_date(date_field: Field | None, lines: list[Line]) -> Field | None:
    """The time printed with the date (in its value, or on the same line of the page)."""
    if date_field is None or not date_field.text:
        return None
    own = _time_in(date_field.text)
    if own:
        return Field(own, date_field.text, date_field.confidence, date_field.page, date_field.box)
    if date_field.box is None:
        return None
    for ln in lines:
        if ln.page != date_field.page or ln.box is None or ln.box.vertical_overlap(date_field.box) < 0.5:
            continue
        t = _time_in(ln.text)
        if t:
            return Field(t, ln.text, ln.confidence, ln.page, ln.box)
    return None


def _time_in(text: str) -> str | None:
    """A clock time in text, never mistaking a date ("12.07.2019") for one."""
    for m in reversed(find_dates(text)):
        text = text[: m.start] + " " + text[m.end :]
    if not _CLOCK.search(text):
        return None
    return parse_time(text)


_INVOICE_FIELDS = (
    "due_date",
    "purchase_order",
    "payment_terms",
    "amount_due",
    "previous_balance",
    "customer_name",
    "customer_address",
    "billing_address",
    "shipping_address",
)
_INVOICE_WORD = re.compile(r"\b(?:invoice|rechnung|facture|factura|fattura)\b", re.IGNORECASE)


def _kind(fields: dict[str, Field], lines: list[Line]) -> DocumentKind:
    """Invoice when the document says so (a due date, a PO, a customer, "Invoice" printed), else receipt."""
    if any(name in fields for name in _INVOICE_FIELDS):
        return DocumentKind.INVOICE
    invoice_id = fields.get("invoice_id")
    if invoice_id is not None and _INVOICE_WORD.search(invoice_id.label or ""):
        return DocumentKind.INVOICE
    if any(_INVOICE_WORD.search(ln.text) for ln in lines[:15]):
        return DocumentKind.INVOICE
    return DocumentKind.RECEIPT
