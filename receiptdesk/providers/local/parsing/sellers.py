"""Who sold it, on an invoice: the cues that tell the seller's block from the buyer's.

An invoice prints two name-and-address blocks, the seller's and the buyer's
("Bill to"), side by side or one above the other; the seller is the one with
the company form, the bank and tax details, the one named on the one-line
return address above an envelope's window, or the holder of the account the
invoice asks to be paid into. Receipts have one block and none of these cues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from receiptdesk.core.document import Field
from receiptdesk.providers.local.parsing.evidence import lines_field, span_field
from receiptdesk.providers.local.parsing.labels import fold, letters
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.names import clean_name
from receiptdesk.providers.local.parsing.places import address_score, has_postcode, has_street, legal_suffix_at
from receiptdesk.providers.local.parsing.spelling import corrected_address


def header_columns(header: list[Line]) -> list[list[Line]]:
    """The header column by column: an invoice prints the seller on one side and the buyer or title on the other."""
    top = header[:6]
    two_sided = [bs for line in top if len(bs := line.blocks()) > 1 and all(letters(b.text) >= 3 for b in bs)]
    if len(two_sided) < 2:
        return [header]
    right_start = min(bs[1].box.x0 for bs in two_sided)
    left: list[Line] = []
    right: list[Line] = []
    for line in header:
        blocks = line.blocks()
        for k, block in enumerate(blocks):
            in_right = (k > 0 or len(blocks) == 1) and block.box.x0 >= max(0.5, right_start - 0.02)
            (right if in_right else left).append(block)
    return [col for col in (left, right) if col]


# The labels a buyer's address block opens with ("Bill to", "Factuuradres").
_BUYER_BLOCK_LABELS = (
    r"BILL(?:ED)?\s*TO|SHIP(?:PED)?\s*TO|SOLD\s*TO|INVOICE\s*TO|DELIVER(?:ED|Y)?\s*TO|FACTUURADRES|(?:AF)?LEVERADRES|"
    r"RECHNUNGSADRESSE|LIEFERADRESSE|NABYWCA|DESTINATAIRE|FACTURER\s*A|LIVRER\s*A"
)
_BUYER_BLOCK = re.compile(r"(?:" + _BUYER_BLOCK_LABELS + r")\b")
# Words that mark the buyer's block on an invoice (the seller is the other one).
_BUYER = re.compile(r"\b(?:" + _BUYER_BLOCK_LABELS + r"|ATTN|CUSTOMER|CLIENT|BUYER|KLANT|CLIENTE)\b")
# Words that mark the seller: its label, or the bank and registration details only a seller prints.
_SELLER_LABEL = re.compile(
    r"^\W*(?:SELLER|SOLD\s*BY|VENDOR|SUPPLIER|VERKAUFER|VENDEUR|VERKOPER|LEVERANCIER|SPRZEDAWCA)\W+"
)
_SELLER_DETAILS = re.compile(r"\b(?:IBAN|BIC|SWIFT|KVK|BTW|VAT|UST|TVA|SIRET|HRB|NIP|ABN|GSTIN)\b")


def same_name(a: str, b: str) -> bool:
    """One name inside the other, letters and digits only ("NETPRESSE" in "Netpresse SARL")."""
    a, b = re.sub(r"[^A-Z0-9]", "", fold(a)), re.sub(r"[^A-Z0-9]", "", fold(b))
    return bool(a) and bool(b) and (a in b or b in a)


def seller_score(column: list[Line]) -> float:
    """How much a header column looks like the seller's block rather than the buyer's."""
    texts = [fold(line.text) for line in column]
    score = 0.0
    if any(legal_suffix_at(t) is not None for t in texts[:4]):
        score += 2
    score += sum(1 for t in texts if _SELLER_DETAILS.search(t))
    if any(_BUYER.search(t) for t in texts[:2]):
        score -= 3  # the column opens with "Bill to": the buyer's
    return score


def labelled_seller(header: list[Line]) -> Field | None:
    """A seller named after its label ("Seller: ...", "Sold by: ...", "Sprzedawca: ...")."""
    for line in header:
        m = _SELLER_LABEL.match(fold(line.text))
        if m and len(fold(line.text)) == len(line.text):
            rest = line.text[m.end() :]
            name = clean_name(rest)
            if letters(name) >= 3:
                start = m.end() + (len(rest) - len(rest.lstrip()))
                return span_field(line, start, start + len(name), name, 0.75)
    return None


# A heading alone over the seller's block, the name on the line below ("FROM" / "East Repair Inc." /
# its street / its town): invoice templates print the seller's block so, beside or above "Bill to".
_SELLER_HEADING = re.compile(
    r"^\W*(?:FROM|(?:BILL(?:ED)?|INVOICE)\s*FROM|SELLER|SOLD\s*BY|VENDOR|SUPPLIER|VON|ABSENDER|VERKAUFER|"
    r"VENDEUR|EXPEDITEUR|VERKOPER|LEVERANCIER|AFZENDER|FORNITORE|PROVEEDOR|SPRZEDAWCA)\W*$"
)
_ALIGNED = 0.03  # how far (a share of the page's width) a block's left edge may sit from its heading's


def headed_seller(header: list[Line]) -> tuple[Field, Field | None] | None:
    """The seller's name and address from a block under its own heading ("FROM", "Supplier")."""
    for i, line in enumerate(header):
        for heading in line.blocks():
            if _SELLER_HEADING.match(fold(heading.text)) is None:
                continue
            below = [_aligned(ln, heading.box.x0) for ln in header[i + 1 : i + 5]]
            if not below or below[0] is None:
                continue
            name = clean_name(below[0].text)
            if letters(name) < 3 or address_score(fold(name)) >= 1 or _BUYER.search(fold(name)):
                continue
            start = below[0].text.find(name)
            vendor = span_field(below[0], max(0, start), max(0, start) + len(name), name, 0.75)
            parts: list[Line] = []
            for block in below[1:]:
                text = fold(block.text) if block is not None else ""
                if block is None or not (has_street(text) or has_postcode(text) or address_score(text) >= 1):
                    break
                parts.append(block)
            address = lines_field(parts, corrected_address(" ".join(b.text for b in parts)), 0.7) if parts else None
            return vendor, address
    return None


def _aligned(line: Line, x0: float) -> Line | None:
    """The block of a line that starts where a heading starts: the same column."""
    return next((b for b in line.blocks() if abs(b.box.x0 - x0) <= _ALIGNED), None)


# The holder of the account an invoice asks to be paid into: the seller, wherever the page prints it.
_PAYEE_LABEL = re.compile(
    r"\b(?:ACCOUNT\s*(?:NAME|HOLDER)|BENEFICIARY(?:\s*NAME)?|PAYEE|TITULAIRE\s*(?:DU\s*COMPTE)?|BENEFICIAIRE|"
    r"KONTOINHABER|BEGUNSTIGDE|TENAAMSTELLING|INTESTATARIO|BENEFICIARIO)\s*[:.]\s*"
)
_PAYEE_END = re.compile(r"\s+(?:[-\u2013|](?=\s)|(?:IBAN|BIC|SWIFT|A/C|ACCOUNT|BANK|RIB)\b)|[,;]")
# Bank details beside it: an "Account name" elsewhere (a utility bill's) is the customer's.
_BANK = re.compile(
    r"\b(?:IBAN|BIC|SWIFT|SORT\s*CODE|BSB|ROUTING|RIB|A/C\s*NO|ACCOUNT\s*(?:NO|NUMBER|#)|BANK|BANQUE|BANCO|BANCA)\b"
)


def payee(lines: Sequence[Line]) -> Field | None:
    """The seller named as the holder of the bank account to pay ("Titulaire du compte : NETPRESSE")."""
    for i, line in enumerate(lines):
        text = fold(line.text)
        if len(text) != len(line.text):
            continue
        m = _PAYEE_LABEL.search(text)
        if m is None or not any(_BANK.search(fold(ln.text)) for ln in lines[max(0, i - 1) : i + 2]):
            continue
        end = _PAYEE_END.search(text, m.end())
        name = clean_name(line.text[m.end() : end.start() if end else len(text)])
        if letters(name) >= 3:
            return span_field(line, m.end(), m.end() + len(name), name, 0.75)
    return None


# The parts of a sender line: "QualityHosting AG - Uferweg 40-42 - D-63571 Gelnhausen".
_SENDER_SEP = re.compile(r"\s+[-\u2013\u00b7\u2022|]\s+")


def sender_line(header: list[Line]) -> tuple[Field, Field] | None:
    """The sender's name and address from the one-line return address a letter prints above the recipient's window.

    European invoices (DIN 5008 and the like) put the buyer's address block
    where an envelope's window shows it, with the seller's name, street and
    postcode on one small line above it: the block below is the buyer's, the
    name on that line is the seller. (A letterhead above it names the seller too.)"""
    for line in header[:12]:
        parts = _SENDER_SEP.split(line.text)
        if len(parts) < 3:
            continue
        name = clean_name(parts[0])
        rest = fold(" ".join(parts[1:]))
        if letters(name) < 3 or any(c.isdigit() for c in name) or address_score(fold(name)) >= 1:
            continue  # a phone number or opening hours ("Tel 020 ...", "Open 7 days") leads a shop's line
        if not (has_street(rest) and has_postcode(rest)):
            continue
        start = len(line.text) - len(line.text.lstrip())
        vendor = span_field(line, start, start + len(name), name, 0.8)
        after = next(_SENDER_SEP.finditer(line.text)).end()
        address = ", ".join(p.strip(" ,") for p in parts[1:])
        return vendor, span_field(line, after, len(line.text.rstrip()), corrected_address(address), 0.7)
    return None


def is_buyers(column: list[Line]) -> bool:
    """A header column that opens with "Bill to", "Factuuradres": the buyer's block, never the seller's."""
    return bool(column) and bool(_BUYER_BLOCK.match(fold(column[0].text).lstrip(" *#:-")))


def names_a_buyer(header: list[Line]) -> bool:
    """Whether the header prints a buyer's block: its names and address are not the seller's."""
    return any(is_buyers(column) for column in header_columns(header))
