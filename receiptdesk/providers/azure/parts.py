"""What each generation's reader hands to the one assembler."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from receiptdesk.core.document import Page
from receiptdesk.providers.azure.values import FieldReader


@dataclass(frozen=True, slots=True)
class AnalyzedDocument:
    doc_type: str  # "receipt.retailMeal", "invoice", "prebuilt:receipt", "custom:..."
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Parts:
    reader: FieldReader
    pages: list[Page]
    text: str
    documents: list[AnalyzedDocument]
    model: str | None  # "prebuilt-receipt 2023-07-31", "prebuilt:invoice 2.1.0", "layout 2.0.0"
    model_hint: str  # the model id or docType, to tell invoice from receipt
