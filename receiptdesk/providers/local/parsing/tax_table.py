"""The tax a receipt prints in a table's column: "Steuer % | Netto | Steuer | Brutto", "Moms % | Moms | Netto |
Brutto", "IVA | Base imponible | Cuota".

German, Nordic and Spanish tills print no "MwSt 0,54" line: the tax stands in the column headed by the tax's
name, one row per rate and often a sum row ("Gesamtbetrag 5,19 0,54 5,73"). The column is found by where
its heading stands over the rows; its sum row, else the rows added up, is the receipt's tax.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from receiptdesk.core.document import Field
from receiptdesk.core.geometry import enclosing
from receiptdesk.providers.local.parsing.amounts import Money, Run
from receiptdesk.providers.local.parsing.labels import TAX_WORDS, Label, tokens
from receiptdesk.providers.local.parsing.layout import Line

# Headings of the column that holds the tax's amount ("Cuota": Spain's, where "IVA" heads the rates).
_AMOUNT_HEADS = TAX_WORDS | {"CUOTA", "STEUER", "STEUERBETRAG"}
# Other columns of such a table: the base, the gross amount, the rate.
_OTHER_HEADS = frozenset(
    "NETTO NET NETT BRUTTO GROSS BASE BASIS IMPONIBLE GRUNNLAG GRUNDLAG SUM SUMME SUMMA BELOPP BELOB TOTAL "
    "UMSATZ NETTOBETRAG BRUTTOBETRAG EXCL INCL".split()
)
_MAX_ROWS = 6


@dataclass(frozen=True, slots=True)
class _Heading:
    """A tax table's heading: which of its columns holds the tax, counting all columns or those not of rates."""

    among_all: int
    columns: int
    among_amounts: int  # the rates' column holds "19%", not an amount, on most tills
    amount_columns: int

    def pick(self, row: Sequence[Money]) -> Money | None:
        ordered = sorted(row, key=lambda m: m.x)
        if len(ordered) == self.amount_columns:
            return ordered[self.among_amounts]
        if len(ordered) == self.columns:  # a rate printed without its % sign ("12,00")
            return ordered[self.among_all]
        return None


def _tax_heading(line: Line) -> _Heading | None:
    """Which column holds the tax's amount, when the line heads a tax table (one word or phrase a column)."""
    words = line.words
    if len(words) < 3:
        return None
    rate = [("%" in w.text or (k + 1 < len(words) and words[k + 1].text.startswith("%"))) for k, w in enumerate(words)]
    toks = [set(tokens(w.text)) for w in words]
    heads = [k for k, t in enumerate(toks) if "CUOTA" in t] or [
        k for k, t in enumerate(toks) if t & _AMOUNT_HEADS and not rate[k]
    ]
    others = sum(1 for k, t in enumerate(toks) if k not in heads and (t & (_OTHER_HEADS | _AMOUNT_HEADS) or rate[k]))
    if len(heads) != 1 or others < 2 or others + 1 != len(words):
        return None
    (at,) = heads
    amounts = [
        k
        for k in range(len(words))
        if not rate[k] and not (toks[k] & TAX_WORDS and "CUOTA" in toks[heads[0]] and k != at)
    ]
    return _Heading(at, len(words), amounts.index(at), len(amounts))


def table_field(lines: Sequence[Line], runs_by_line: Sequence[list[Run]], fields: dict[str, Field]) -> Field | None:
    """The tax field read from a tax table, where it differs from the tax already read and is below the total."""
    found = table_tax(lines, runs_by_line)
    total = fields.get("total")
    if found is None or total is None or not isinstance(total.value, Decimal):
        return None
    value, amounts = found
    tax = fields.get("total_tax")
    if not 0 < value < total.value or (tax is not None and tax.value == value):
        return None
    first = amounts[0]
    return Field(
        value=value,
        text=" + ".join(m.text for m in amounts),
        confidence=round(0.8 * min(m.line.span_confidence(m.start, m.end) for m in amounts), 4),
        page=first.line.page,
        box=enclosing(m.line.span_box(m.start, m.end) for m in amounts if m.line.page == first.line.page),
        label="tax table",
    )


def table_tax(lines: Sequence[Line], runs_by_line: Sequence[list[Run]]) -> tuple[Decimal, list[Money]] | None:
    """The tax a table prints (its sum row's, else its rows' added up) and the amounts it was read from."""
    for i, line in enumerate(lines):
        if any(r.amounts for r in runs_by_line[i]):
            continue
        head = _tax_heading(line)
        if head is None:
            continue
        picked: list[Money] = []
        for j in range(i + 1, min(len(lines), i + 1 + _MAX_ROWS)):
            row = [m for r in runs_by_line[j] for m in r.amounts]
            if len(row) < 2:
                break
            m = head.pick(row)
            if m is None:
                return None
            if any(r.label.label in (Label.TOTAL, Label.SUBTOTAL) for r in runs_by_line[j]):
                return (m.value, [m]) if m.value > 0 else None  # the sum row
            picked.append(m)
        if picked and all(m.value >= 0 for m in picked):
            return sum((m.value for m in picked), Decimal(0)), picked
        return None
    return None
