"""What each generation's reader hands to the one assembler."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from receiptdesk.core.document import Field, Page
from receiptdesk.core.geometry import Box
from receiptdesk.providers.azure.values import FieldReader


@dataclass(frozen=True, slots=True)
class AnalyzedDocument:
    doc_type: str  # "receipt.retailMeal", "invoice", "prebuilt:receipt", "custom:..."
    fields: dict[str, Any]
    confidence: float | None = None  # the service's confidence in the document (docType) as a whole
    pages: tuple[int, ...] = ()  # the pages it is printed on; empty: not said (all of them)


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    column: int
    text: str
    page: int | None
    box: Box | None
    header: bool
    confidence: float


@dataclass(frozen=True, slots=True)
class Table:
    page: int | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class KeyValue:
    """A printed "label: value" pair the layout found (keyValuePairs); the label may stand alone."""

    key: Field
    value: Field | None


@dataclass(frozen=True, slots=True)
class Parts:
    reader: FieldReader
    pages: list[Page]
    text: str
    documents: list[AnalyzedDocument]
    model: str | None  # "prebuilt-receipt 2023-07-31", "prebuilt:invoice 2.1.0", "layout 2.0.0"
    model_hint: str  # the model id or docType, to tell invoice from receipt
    tables: list[Table] = field(default_factory=list)
    key_values: list[KeyValue] = field(default_factory=list)
    page_text: dict[int, str] = field(default_factory=dict)  # each page's lines, to give each document its text
