"""Summary fields -> canonical fields, with repeated types resolved and nothing dropped.

Textract often reports a type more than once: two VENDOR_NAMEs, the same
date twice, five TOTALs on a statement. Each canonical name takes the most
telling candidate (a direct type over a group-derived one, the amount
labelled "Total" or "Amount due" over a "Balance 0.00", a company over an
"Attn:" contact, a value that parses over one that does not; Textract's
own order breaks ties). The others go to `extra` with their printed label.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from receiptdesk.core.document import Field, value_to_json
from receiptdesk.core.fields import FIELDS, ValueKind
from receiptdesk.providers.textract.reading import Cues, Detected, to_field
from receiptdesk.providers.textract.taxonomy import (
    GROUPED_TYPES,
    MULTILINE,
    SUMMARY_TYPES,
    grouped_name,
    is_contact_label,
    label_decides,
    payable_label_score,
)

# Amounts whose printed label tells the amount to pay from a part or a balance.
_PAYABLE_NAMES = frozenset({"total", "amount_due"})


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    field: Field
    priority: float
    detected: Detected


def canonical_name(d: Detected) -> tuple[str, float] | None:
    if d.type in SUMMARY_TYPES:
        return SUMMARY_TYPES[d.type]
    if d.type in GROUPED_TYPES:
        return grouped_name(d.type, d.groups, d.label)
    return None


def split_summary(detected: list[Detected], cues: Cues) -> tuple[list[Candidate], list[Detected]]:
    """Candidates for canonical names, and the fields that have none (for `extra`)."""
    candidates: list[Candidate] = []
    others: list[Detected] = []
    for d in detected:
        target = canonical_name(d)
        if target is None:
            others.append(d)
            continue
        name, priority = target
        kind = FIELDS[name].kind
        f = to_field(d, kind, cues, multiline=name in MULTILINE, label_decides=label_decides(d.type, d.groups))
        candidates.append(Candidate(name, f, priority, d))
    return candidates, others


def _score(c: Candidate, rivals: list[Candidate]) -> float:
    score = c.priority
    kind = FIELDS[c.name].kind
    if c.field.value is None:
        score -= 5  # printed but not readable as what it should be
    zero = kind is ValueKind.MONEY and c.field.value == Decimal(0)
    if zero and any(isinstance(r.field.value, Decimal) and r.field.value != 0 for r in rivals):
        score -= 2  # a "Balance 0.00" beside a real amount
    if c.name in _PAYABLE_NAMES:
        score += payable_label_score(c.detected.label)
    if c.name == "customer_name" and is_contact_label(c.detected.label):
        score -= 1.5
    # Confidence only matters when it differs clearly; otherwise Textract's order stands.
    return score + round(c.field.confidence, 1)


def rank(candidates: list[Candidate]) -> list[Candidate]:
    """Best first; equal scores keep Textract's order."""
    scored = [(-_score(c, candidates), c.detected.order, i) for i, c in enumerate(candidates)]
    return [candidates[i] for _, _, i in sorted(scored)]


def same_reading(a: Field, b: Field) -> bool:
    if a.value is not None and b.value is not None:
        return value_to_json(a.value) == value_to_json(b.value)
    return " ".join((a.text or "").split()).lower() == " ".join((b.text or "").split()).lower()


def same_detection(a: Field, b: Field) -> bool:
    """The same reading of the same print: Textract reports one value under two types.

    The same text printed twice (the vendor's state and the customer's, both "WA") is two
    readings, each kept with its own box.
    """
    if not (a.text or "").strip() and not (b.text or "").strip():
        return a.label == b.label and a.page == b.page  # two labels printed with nothing after them
    return same_reading(a, b) and a.page == b.page and a.box == b.box


def extra_key(d: Detected) -> str:
    """The `extra` name of a field without a canonical one: its label for OTHER, else its type."""
    if d.type == "OTHER":
        label = (d.label or "").strip().rstrip(":").strip()
        return label or "other"
    prefix = d.groups[0].lower() + "_" if d.groups else ""
    return prefix + d.type.lower()


def add_extra(extra: dict[str, Field], key: str, f: Field) -> None:
    """Keep `f` under `key`, or `key (2)`... when taken; an identical reading under that key is not repeated.

    `extra` holds text (as its JSON form does): a typed reading is kept as its JSON string ("2.00", "2024-03-04").
    """
    if f.value is not None and not isinstance(f.value, str):
        f = replace(f, value=value_to_json(f.value))
    n = 1
    name = key
    while name in extra:
        if same_detection(extra[name], f):
            return
        n += 1
        name = f"{key} ({n})"
    extra[name] = f


def merge_summary(fields: dict[str, Field], extra: dict[str, Field], candidates: list[Candidate]) -> None:
    """Fold one expense document's candidates in: the best reading wins, the others go to extra
    (the same print reported under two types only once)."""
    by_name: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_name.setdefault(c.name, []).append(c)
    for name, group in by_name.items():
        ranked = rank(group)
        if name not in fields:
            fields[name] = ranked[0].field
            ranked = ranked[1:]
        for c in ranked:
            if same_detection(fields[name], c.field):
                continue
            add_extra(extra, name, c.field)


def add_others(extra: dict[str, Field], others: list[Detected], cues: Cues) -> None:
    for d in others:
        add_extra(extra, extra_key(d), to_field(d, ValueKind.TEXT, cues, label_decides=label_decides(d.type, d.groups)))
