"""From words with boxes to a canonical Document: the offline provider's parser.

The reader (OCR or a PDF's text layer) hands over `PageText`s; this module
rebuilds the printed lines and finds the merchant, date, amounts, currency
and line items on them, each with its box and a confidence. What it cannot
find it leaves empty: it never invents a value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import Document, DocumentKind, Field, Page, Provenance
from receiptdesk.core.validation import OK, validate
from receiptdesk.providers.local.item_model import ItemModel, default_items_model
from receiptdesk.providers.local.parsing.address_choice import address_candidates, choose_address
from receiptdesk.providers.local.parsing.amounts import Money, Run, decimal_comma, document_currency, runs_of
from receiptdesk.providers.local.parsing.countries import Country, country_of, local_currency
from receiptdesk.providers.local.parsing.dates import DateChoice, OrderCue, find_date, find_time, order_cue
from receiptdesk.providers.local.parsing.evidence import money_field
from receiptdesk.providers.local.parsing.item_rows import ItemRow, choose_items, item_candidates, shown_items
from receiptdesk.providers.local.parsing.labels import fold
from receiptdesk.providers.local.parsing.layout import Line, build_lines, full_text
from receiptdesk.providers.local.parsing.parts import PART_FIELDS, PartCandidates, choose_part, part_candidates
from receiptdesk.providers.local.parsing.places import country_currency
from receiptdesk.providers.local.parsing.tax_lines import summed_tax
from receiptdesk.providers.local.parsing.tax_table import table_field
from receiptdesk.providers.local.parsing.totals import (
    ZERO_DECIMAL,
    Candidate,
    Evidence,
    Ranked,
    choose_total,
    gather,
    totals_fields,
)
from receiptdesk.providers.local.parsing.vendor import MerchantBlock, merchant
from receiptdesk.providers.local.parsing.vendor_choice import choose_vendor, vendor_candidates
from receiptdesk.providers.local.ranking import FieldModel, Ranker, default_ranker
from receiptdesk.providers.local.words import PageText

# 13: tax lines at 10% and 1% (or 20% and 2%) are two taxes, not one printed twice; a table's column headings
# at the top are no vendor;
# 12: an invoice's seller under its own heading ("FROM", "Supplier") with the address below it; taxes
# included at several rates summed where the prices they imply make the total; 11: no item printed after the
# total that is its payment, change, or a footer's phone number or postcode; a
# document's title ("PAYMENT RECEIPT") is no vendor, the word that says which title cut with it; 10: vendor and
# address candidates and features; 9: a one or zero read for a small l or o inside a word of a name or address
# put right, a store number's "#" cut with it, the vendor before a phone printed on its line, the vendor's and
# address's new ranker features; 8: label words
# of more languages and scripts, several tax lines summed (parsing/tax_lines.py), a tax table read
# by its columns (parsing/tax_table.py), a tip guide ignored, era years, more currencies and tax numbers; 7: line
# items' confidences calibrated (model/items.json), unsure item fields flagged low_confidence; 6: line-item rows
# chosen by the learned model; 5: subtotal and tax ranked
PARSER_VERSION = "13"
_INVOICE_WORDS = (
    "BILL TO",
    "BILLED TO",
    "DUE DATE",
    "PAYMENT TERMS",
    "INVOICE DATE",
    "RECHNUNGSDATUM",
    "FACTUURDATUM",
    "FACTUUR DATUM",
    "DATE DE FACTURE",
    "FECHA DE FACTURA",
    "DATA WYSTAWIENIA",
    "ZAHLUNGSZIEL",
)


def reading_version(ranker: Ranker | None = None, items: ItemModel | None = None) -> str:
    """What a stored reading was parsed with ("parser 5, ranker 6f320ab1, items 0c1d2e3f"), as its provenance
    carries it: a document whose stored version differs can be parsed again from its stored words
    (LocalProvider.remap)."""
    ranker_version = (ranker or default_ranker()).version
    return f"parser {PARSER_VERSION}, ranker {ranker_version}, items {(items or default_items_model()).version}"


def parse(
    pages: list[PageText],
    *,
    date_order: DateOrder | None = None,
    currency: str | None = None,
    ranker: Ranker | None = None,
    items_model: ItemModel | None = None,
) -> Document:
    """The document these pages hold, as far as the parser can tell.

    `date_order` is the user's habit (the "Dates like 03/04 are" setting), used only for a
    date the document itself leaves open; such a date is still flagged "ambiguous_date".
    `currency` is the user's usual currency, for a document that prints none and names no country.
    `ranker` chooses among the candidates (default: the committed model; HAND_RULES: none); `items_model`
    chooses the line-item rows (default: model/items.json; ITEM_RULES: the hand rules).
    """
    lines = build_lines(pages)
    doc = Document(
        provenance=Provenance("local", model=f"parser {PARSER_VERSION}"),
        pages=[Page(p.number, p.width, p.height, p.unit) for p in sorted(pages, key=lambda p: p.number)],
        text=full_text(lines),
    )
    if not lines:
        doc.checks = validate(doc)
        return doc
    ranker = ranker if ranker is not None else default_ranker()
    items_model = items_model if items_model is not None else default_items_model()
    doc.provenance = Provenance("local", model=reading_version(ranker, items_model))
    reading = _Reading.of(lines, date_order)
    fields: dict[str, Field] = {}
    ranked = reading.total(ranker.get("total"))
    fields.update(totals_fields(ranked, reading.ev, reading.all_money))
    for name, part in reading.parts(ranked.chosen, fields, ranker).items():
        if part is None:
            fields.pop(name, None)  # the model reads no subtotal (or no separate tax) on this receipt
        else:
            fields[name] = part
    several = summed_tax(reading.ev, fields) or table_field(reading.lines, reading.runs, fields)
    if several is not None:
        fields["total_tax"] = several

    kind = _kind(lines)
    block = _merchant_block(lines, kind, ranker)
    for name, f in (
        ("vendor_name", block.vendor),
        ("vendor_address", block.address),
        ("vendor_phone", block.phone),
        ("vendor_tax_id", block.tax_id),
    ):
        if f is not None:
            fields[name] = f

    found = reading.date(ranker.get("date")).found
    if found is not None:
        fields["date"] = found.field
    time = find_time(lines, found)
    if time is not None:
        fields["time"] = time

    first_item_line = _after_header(lines, block.address or block.vendor)
    total = ranked.chosen.money if ranked.chosen is not None else None
    rows = choose_items(lines, reading.runs, first_item_line, reading.allow_integers, items_model, total)
    doc.line_items = [r.item for r in rows]
    doc.fields = fields
    doc.currency = _currency(lines, reading.currency, reading.country) or currency
    doc.kind = kind
    doc.checks = validate(doc)
    adds_up = any(c.name == "line_sum" and c.status == OK for c in doc.checks)
    doc.line_items = shown_items(rows, items_model, adds_up)
    # a calibrated confidence already weighs the arithmetic (its features): lowering it again would undo that
    learned = {
        "total": "total",
        "date": "date",
        "vendor_name": "vendor",
        "vendor_address": "address",
        "subtotal": "subtotal",
        "total_tax": "tax",
    }
    _feed_checks(doc, calibrated={name for name, key in learned.items() if ranker.get(key) is not None})
    return doc


def _merchant_block(lines: list[Line], kind: DocumentKind, ranker: Ranker) -> MerchantBlock:
    """The merchant block: the hand rules' vendor and address, then the models' choice of them."""
    block = merchant(lines)
    # the vendor model learned from receipts only: an invoice's seller stays with the rules written for it
    vendor_model = ranker.get("vendor") if kind is DocumentKind.RECEIPT else None
    address_model = ranker.get("address")
    if address_model is not None:  # after the hand rules' vendor, which the address features place it against
        block = replace(block, address=choose_address(lines, block.vendor, block.address, address_model))
    if vendor_model is not None:
        block = replace(block, vendor=choose_vendor(lines, block.vendor, vendor_model))
    return block


def item_candidates_of(pages: list[PageText], ranker: Ranker | None = None) -> list[ItemRow]:
    """Every line with an amount and the features the item model sees: what tests/bench/train_items.py learns
    from (the item zone starts under the merchant block exactly as parse() finds it)."""
    lines = build_lines(pages)
    if not lines:
        return []
    reading = _Reading.of(lines, None)
    ranker = ranker if ranker is not None else default_ranker()
    block = _merchant_block(lines, _kind(lines), ranker)
    first = _after_header(lines, block.address or block.vendor)
    chosen = reading.total(ranker.get("total")).chosen
    return item_candidates(lines, reading.runs, first, reading.allow_integers, chosen.money if chosen else None)


@dataclass(slots=True)
class _Reading:
    """What every field's search starts from: lines, amounts with their labels, currency, date order."""

    lines: list[Line]
    currency: str | None
    runs: list[list[Run]]
    all_money: list[Money]
    allow_integers: bool
    ev: Evidence
    cue: OrderCue | None
    date_order: DateOrder | None
    country: Country | None

    @classmethod
    def of(cls, lines: list[Line], date_order: DateOrder | None) -> _Reading:
        comma = decimal_comma(lines)
        currency = document_currency(lines)
        runs = runs_of(lines, comma)
        all_money: list[Money] = [m for line_runs in runs for r in line_runs for m in r.amounts]
        allow_integers = currency in ZERO_DECIMAL or _prices_without_cents(all_money)
        ev = gather(runs, allow_integers)
        all_money = [m for m in all_money if m.line.index not in ev.suggestions]  # a tip guide's amounts
        country = country_of(lines, currency)
        cue = order_cue(
            lines,
            currency,
            currency_named=currency not in (None, "USD") or _names_usd(lines),
            country=country.code if country else None,
            decimal_comma=comma,
        )
        return cls(lines, currency, runs, all_money, allow_integers, ev, cue, date_order, country)

    def total(self, model: FieldModel | None) -> Ranked:
        return choose_total(self.ev, self.all_money, self.allow_integers, model, len(self.lines))

    def part_candidates(self, total: Candidate | None, fields: dict[str, Field]) -> dict[str, PartCandidates]:
        """The subtotal's and the tax's candidates, against this total and the hand rules' picks in `fields`."""
        hand = {part: fields[name].value if name in fields else None for part, name in PART_FIELDS.items()}
        return part_candidates(self.ev, self.all_money, self.allow_integers, total.money if total else None, hand)

    def parts(self, total: Candidate | None, fields: dict[str, Field], ranker: Ranker) -> dict[str, Field | None]:
        """The learned subtotal and tax where the ranker has them (None: the model says the receipt prints none)."""
        models = {part: model for part in PART_FIELDS if (model := ranker.get(part)) is not None}
        if not models:
            return {}  # the hand rules' subtotal and tax stand
        found = self.part_candidates(total, fields)
        out: dict[str, Field | None] = {}
        for part, model in models.items():
            chosen = choose_part(found[part], model)
            out[PART_FIELDS[part]] = None
            if chosen is not None and chosen[0].money is not None:
                field = money_field(chosen[0].money, 1.0, chosen[0].label)
                out[PART_FIELDS[part]] = replace(field, confidence=round(chosen[1], 4))
        return out

    def date(self, model: FieldModel | None) -> DateChoice:
        return find_date(self.lines, self.cue, fallback=self.date_order or DateOrder.MDY, model=model)


def candidates(pages: list[PageText]) -> dict[str, list[tuple[object, dict[str, float]]]]:
    """Each field's candidates with the features the ranker sees: what tests/bench/train_ranker.py learns from."""
    lines = build_lines(pages)
    if not lines:
        return {"total": [], "date": [], "vendor": [], "address": [], "subtotal": [], "tax": []}
    reading = _Reading.of(lines, None)
    ranked = reading.total(None)
    dates = reading.date(None)
    parts = reading.part_candidates(ranked.hand, totals_fields(ranked, reading.ev, reading.all_money))
    block = merchant(lines)
    vendors, vendor_feats = vendor_candidates(lines, block.vendor)
    places, place_feats = address_candidates(lines, block.vendor, block.address)
    return {
        "address": [(c.value, f) for c, f in zip(places, place_feats, strict=True)],
        "vendor": [(c.value, f) for c, f in zip(vendors, vendor_feats, strict=True)],
        "total": [(c.money.value, f) for c, f in zip(ranked.cands, ranked.features, strict=True)]
        if ranked.hand is not None
        else [],
        "date": list(zip(dates.values, dates.features, strict=True)),
        **{
            part: [(p.money.value if p.money else None, f) for p, f in zip(*parts[part], strict=True)]
            for part in PART_FIELDS
        },
    }


# How much a check that fails (or warns) lowers the confidence of the fields it names.
_CHECK_PENALTY = {"failed": 0.7, "warning": 0.9}
LOW_CONFIDENCE = 0.5


def _feed_checks(doc: Document, calibrated: set[str] | frozenset[str] = frozenset()) -> None:
    """Arithmetic that does not add up makes its fields less sure; unsure fields, line items' too, say so in
    their flags."""
    for check in doc.checks:
        factor = _CHECK_PENALTY.get(check.status)
        if factor is None or check.name == "ambiguous_date":
            continue  # an ambiguous date already carries its own flag and confidence
        for name in check.fields:
            f = doc.fields.get(name) if name not in calibrated else None
            if f is not None:
                doc.fields[name] = replace(f, confidence=round(f.confidence * factor, 4))
    for fields in (doc.fields, *(item.fields for item in doc.line_items)):
        for name, f in fields.items():
            if f.confidence < LOW_CONFIDENCE and "low_confidence" not in f.flags:
                fields[name] = replace(f, flags=(*f.flags, "low_confidence"))


_GROUPED = re.compile(r"\d{1,3}(?:[,.'’ ]\d{3})+")


def _prices_without_cents(money: Sequence[Money]) -> bool:
    """Whether this receipt prices in whole units (rupiah, yen, won): no cents, or mostly grouped thousands."""
    cents = sum(1 for m in money if m.has_decimals and m.value != 0)
    grouped = sum(1 for m in money if not m.has_decimals and _GROUPED.fullmatch(m.text.lstrip("-−")))
    return cents == 0 or (grouped >= 2 and grouped >= cents)


_HEADER_LINES = 12  # where a receipt prints its merchant's name, address and company number
_AMOUNT = re.compile(r"\d[.,]\d{2}(?!\d)")


def _currency(lines: Sequence[Line], printed: str | None, found: Country | None = None) -> str | None:
    """The currency printed, else the country's (from the address and company forms at the top, or a checked
    phone or tax number); a bare "$" on a Malaysian or Singaporean till means its own dollar or ringgit, a
    "$" in Canada the Canadian dollar, "kr" in Norway the krone."""
    unsure = printed is None or (printed in _SIGN_CURRENCIES and not (printed == "USD" and _names_usd(lines)))
    if found is not None and unsure:
        local = local_currency(found, printed)  # a checked phone or tax number outweighs the address's words
        if local is not None:
            return local
    header = []  # the lines above the first amount: not "SINGAPORE NOODLES $9.95"
    for line in lines[:_HEADER_LINES]:
        if line.page != 1 or _AMOUNT.search(line.text):
            break
        header.append(line)
    country = country_currency("\n".join(line.text for line in header))
    if country is not None and (printed is None or (printed == "USD" and not _names_usd(lines))):
        return country
    return printed


# What a bare sign is read as before the country is known ("$", "kr", "¥").
_SIGN_CURRENCIES = frozenset({"USD", "SEK", "DKK", "JPY", "CNY"})


def _names_usd(lines: Sequence[Line]) -> bool:
    return any("USD" in fold(line.text) or "US$" in line.text for line in lines)


def _after_header(lines: Sequence[Line], f: Field | None) -> int:
    """The first line below the merchant block, where items may start."""
    if f is None or f.box is None:
        return 0
    for i, line in enumerate(lines):
        if line.page == f.page and line.box.y0 > f.box.y1 - 1e-6:
            return i
    return 0


_INVOICE_TITLE = re.compile(
    r"^\W*(?:INVOICE|RECHNUNG|FACTURE|FACTURA|FATTURA|FACTUUR|FAKTURA)\b(?!\s*(?:NO\b|NR\b|#|NUMBER|N°))"
)


def _kind(lines: Sequence[Line]) -> DocumentKind:
    """An invoice bills someone, is due, or is titled so; a till's "TAX INVOICE" or "Invoice No" is a receipt."""
    texts = [fold(line.text) for line in lines[:60]]
    head = " ".join(texts)
    if any(w in head for w in _INVOICE_WORDS) or any(_INVOICE_TITLE.match(t) for t in texts):
        return DocumentKind.INVOICE
    return DocumentKind.RECEIPT
