"""The canonical document every provider produces and everything else reads.

Values are typed (Decimal for money and quantities, date for dates, str
otherwise), each with the text as printed, a confidence, its page and its
box, so the editor can show where a value came from and exports can carry
it. The JSON form is the one DESIGN.md gives and the scorer reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from receiptdesk.core.fields import ValueKind, spec_for
from receiptdesk.core.geometry import Box
from receiptdesk.core.money import money_str, to_decimal

Value = Decimal | date | str


class DocumentKind(StrEnum):
    RECEIPT = "receipt"
    INVOICE = "invoice"


@dataclass(frozen=True, slots=True)
class Field:
    value: Value | None = None
    text: str | None = None  # as printed
    confidence: float = 0.0  # 0..1
    page: int | None = None  # 1-based
    box: Box | None = None
    label: str | None = None  # the printed label next to it ("Total:", "TEND")
    flags: tuple[str, ...] = ()  # e.g. "ambiguous_date", "low_confidence"
    label_box: Box | None = None  # where the label is printed (on the same page)
    label_confidence: float | None = None  # how sure the reader is of the label's text, 0..1
    currency: str | None = None  # ISO 4217 the provider gave this amount, when it differs by field

    @property
    def empty(self) -> bool:
        return self.value is None or self.value == ""

    def with_value(self, value: Value | None) -> Field:
        return replace(self, value=value)


@dataclass(frozen=True, slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    unit: str = "pixel"  # pixel | point | inch


@dataclass(slots=True)
class LineItem:
    fields: dict[str, Field] = field(default_factory=dict)
    extra: dict[str, Field] = field(default_factory=dict)

    def get(self, name: str) -> Field | None:
        return self.fields.get(name)

    def value(self, name: str) -> Value | None:
        f = self.fields.get(name)
        return f.value if f else None


@dataclass(frozen=True, slots=True)
class Provenance:
    provider: str  # local | textract | azure
    model: str | None = None  # "rapidocr PP-OCRv6 + parser 1", "prebuilt-receipt 2023-07-31", ...
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """One arithmetic or sanity check, shown beside the fields it concerns."""

    name: str  # total_arithmetic | line_sum | line_arithmetic | ambiguous_date | not_money ...
    status: str  # ok | warning | failed
    message: str
    fields: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "message": self.message, "fields": list(self.fields)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Check:
        return cls(data["name"], data["status"], data["message"], tuple(data.get("fields") or ()))


@dataclass(slots=True)
class Document:
    provenance: Provenance
    kind: DocumentKind = DocumentKind.RECEIPT
    currency: str | None = None
    pages: list[Page] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    line_items: list[LineItem] = field(default_factory=list)
    extra: dict[str, Field] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    text: str = ""
    doc_type: str | None = None  # the provider's own type (Azure "receipt.retailMeal")
    # What the reader says about its own result, in the user's words: pages it could not read,
    # an upload it could not delete. Stored and exported with the document, shown beside it.
    warnings: list[str] = field(default_factory=list)
    confidence: float | None = None  # the provider's confidence in the document as a whole, 0..1
    part: int | None = None  # which document of the file (1-based) when the file holds several

    @property
    def needs_review(self) -> bool:
        """A partial or doubtful reading: the reader warned, or a check failed. The library lists
        such documents as needing review, so a partial result is never taken as complete."""
        return bool(self.warnings) or any(c.status == "failed" for c in self.checks)

    def value(self, name: str) -> Value | None:
        f = self.fields.get(name)
        return f.value if f else None

    def field_at(self, path: str) -> Field | None:
        """A field by the path edits and the viewer use: "total", or "line_items.2.amount"."""
        if not path.startswith("line_items."):
            return self.fields.get(path)
        _, index, name = path.split(".", 2)
        i = int(index)
        return self.line_items[i].fields.get(name) if i < len(self.line_items) else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "provider": self.provenance.provider,
            "model": self.provenance.model,
            "created": self.provenance.created.isoformat() if self.provenance.created else None,
            "kind": self.kind.value,
            "doc_type": self.doc_type,
            "currency": self.currency,
            "pages": [{"number": p.number, "width": p.width, "height": p.height, "unit": p.unit} for p in self.pages],
            "fields": {name: field_to_json(f) for name, f in self.fields.items()},
            "line_items": [_item_to_json(item) for item in self.line_items],
            "extra": {name: field_to_json(f) for name, f in self.extra.items()},
            "checks": [c.to_json() for c in self.checks],
            "warnings": list(self.warnings),
            "needs_review": self.needs_review,
            "text": self.text,
        }
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 4)
        if self.part is not None:
            out["part"] = self.part
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        created = data.get("created")
        return cls(
            provenance=Provenance(
                data.get("provider") or "unknown",
                data.get("model"),
                datetime.fromisoformat(created) if created else None,
            ),
            kind=DocumentKind(data.get("kind") or "receipt"),
            currency=data.get("currency"),
            pages=[
                Page(int(p["number"]), float(p["width"]), float(p["height"]), p.get("unit", "pixel"))
                for p in data.get("pages") or []
            ],
            fields={n: field_from_json(n, f) for n, f in (data.get("fields") or {}).items()},
            line_items=[_item_from_json(i) for i in data.get("line_items") or []],
            extra={n: field_from_json(n, f, text_only=True) for n, f in (data.get("extra") or {}).items()},
            checks=[Check.from_json(c) for c in data.get("checks") or []],
            text=data.get("text") or "",
            doc_type=data.get("doc_type"),
            warnings=[str(w) for w in data.get("warnings") or []],
            confidence=float(data["confidence"]) if data.get("confidence") is not None else None,
            part=int(data["part"]) if data.get("part") is not None else None,
        )


def value_to_json(value: Value | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return money_str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def value_from_json(kind: ValueKind, raw: object) -> Value | None:
    if raw is None or raw == "":
        return None
    if kind in (ValueKind.MONEY, ValueKind.NUMBER):
        return to_decimal(raw)
    if kind is ValueKind.DATE:
        try:
            return date.fromisoformat(str(raw)[:10])
        except ValueError:
            return None
    return str(raw)


def field_to_json(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {
        "value": value_to_json(f.value),
        "text": f.text,
        "confidence": round(f.confidence, 4),
        "page": f.page,
        "box": f.box.to_json() if f.box else None,
    }
    if f.label:
        out["label"] = f.label
    if f.flags:
        out["flags"] = list(f.flags)
    if f.label_box:
        out["label_box"] = f.label_box.to_json()
    if f.label_confidence is not None:
        out["label_confidence"] = round(f.label_confidence, 4)
    if f.currency:
        out["currency"] = f.currency
    return out


def field_from_json(name: str, data: dict[str, Any], *, line_item: bool = False, text_only: bool = False) -> Field:
    kind = ValueKind.TEXT if text_only else spec_for(name, line_item=line_item).kind
    box = data.get("box")
    label_box = data.get("label_box")
    label_conf = data.get("label_confidence")
    return Field(
        value=value_from_json(kind, data.get("value")),
        text=data.get("text"),
        confidence=float(data.get("confidence") or 0.0),
        page=data.get("page"),
        box=Box.from_json(box) if box else None,
        label=data.get("label"),
        flags=tuple(data.get("flags") or ()),
        label_box=Box.from_json(label_box) if label_box else None,
        label_confidence=float(label_conf) if label_conf is not None else None,
        currency=data.get("currency"),
    )


def _item_to_json(item: LineItem) -> dict[str, Any]:
    out: dict[str, Any] = {name: field_to_json(f) for name, f in item.fields.items()}
    if item.extra:
        out["extra"] = {name: field_to_json(f) for name, f in item.extra.items()}
    return out


def _item_from_json(data: dict[str, Any]) -> LineItem:
    extra = data.get("extra") or {}
    return LineItem(
        fields={n: field_from_json(n, f, line_item=True) for n, f in data.items() if n != "extra"},
        extra={n: field_from_json(n, f, text_only=True) for n, f in extra.items()},
    )
