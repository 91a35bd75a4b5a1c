"""The merchant block at the top: vendor name, address, phone and tax number.

A receipt opens with the shop's name (often a logo read as text, sometimes a
brand above the legal entity), its registration number, address, phone and
tax number, then a banner ("TAX INVOICE", "COPY") and the transaction. The
vendor is the legal-entity line when there is one (that is the name on the
registration), else the first name-like line of the block; banners,
cashier lines and handwriting above the block are not the vendor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from receiptdesk.core.dates import find_dates
from receiptdesk.core.document import Field
from receiptdesk.providers.local.parsing.evidence import lines_field, segments_field, span_field
from receiptdesk.providers.local.parsing.labels import fold, letters
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.names import block_end, clean_name, vendor_lines
from receiptdesk.providers.local.parsing.places import (
    address_score,
    has_postcode,
    is_banner,
    is_region_line,
    is_title,
    legal_suffix_at,
)
from receiptdesk.providers.local.parsing.sellers import (
    headed_seller,
    header_columns,
    is_buyers,
    labelled_seller,
    payee,
    same_name,
    seller_score,
    sender_line,
)
from receiptdesk.providers.local.parsing.spelling import corrected_address, corrected_name

PHONE_LABEL = re.compile(
    r"\b(?:[T1][E3][L1I]|TELE?PHONE|PHONE|PH|FAX|HP|H/P|MOBILE|MOB|CALL|TLF|TELEFON|TELEFONO|WHATSAPPS?)\b"
    r"|(?:HOTLINE|CARELINE)\b"
)
_PHONE = re.compile(r"(?<![\d])\+?\(?\d[\d ().\-/]{5,22}\d(?![\d])")
_MONEY_LIKE = re.compile(r"(?<![\d.,])\d{1,6}[.,]\d{2}(?![\d])")
# A registration number line: "(519537-X)", "CO. REG. NO.: 795225-A", "BR NO 124525H".
_REG_WORDS = re.compile(
    r"\b(?:CO|COMPANY|CORP|REG|REGN|REGISTRATION|NO|NUMBER|BR|BRN|ROC|ROB|BUSINESS|SSM|CRN|UEN)\b\.?"
)
_REG_CODE = re.compile(r"^(?:[A-Z]{0,3}\d{5,12}\s?-\s?[A-Z]{1,2}|[A-Z]{0,3}\d{5,12}[A-Z]|[A-Z]{0,3}\d{6,12})$")
_TAX_ID = re.compile(
    r"\b(?:[G6C0]ST|VAT|SST|TAX|TIN|ABN|NIP|UST|BTW|TVA|IVA|MWST|GSTIN|NPWP|KVK|SIRET|UID|CIF|NIF|RFC)[\s.\-/:]*"
    r"(?:(?:[I1l]D|N[O0]|NR|REG(?:ISTRATION)?|REF|NUMBER|IDNR|#)[\s.,:#\-]*)*(?P<id>[A-Z]{0,3}[\d][\d\s.\-/A-Z]{5,20}\d)"
)


def _tax_id_in(text: str) -> re.Match[str] | None:
    """A tax number after its label ("VAT: GB123456789", "NIP 774-00-01-454"); not "TAX: 12.50 ..."."""
    m = _TAX_ID.search(text)
    return None if m is None or _MONEY_LIKE.search(m.group("id")) else m


# A registration or tax number whose label OCR garbled ("6T ID:001137704960").
_SOME_ID = re.compile(r"\b(?:ID|NO|REG)\b[\s.:#]*\d{9,}")
_WEB = re.compile(r"\S@\S+\.|\bWWW\.|\.COM\b|\.NET\b|HTTP|\.CO\.|\.ORG\b|\.MY\b|EMAIL|E-MAIL")
_HEAD_STOP = re.compile(
    r"\b(?:CASHIER|SERVER|TABLE|ORDER|RECEIPT\s*(?:NO|#)|INV(?:OICE)?\.?\s*(?:NO|#)|BILL\s*NO|TERMINAL|POS|DOC\s*NO|SLIP|"
    r"QTY|DESCRIPTION|ITEM|SALESPERSON|MEMBER|GUEST|CHECK|TRANS)\b"
    # an invoice's number ("Facture n° 2022089083", "Rechnung Nr. 58"; not "facturen")
    r"|\b(?:FACTURE|FACTURA|FATTURA|RECHNUNG|FAKTURA|FACTUUR)\s*(?:N\s?°|N[O0]\b|NR\b|NUM(?:ERO)?\b|NUMMER\b|#)"
)


def phone_in(text: str) -> re.Match[str] | None:
    """A phone number: 7 to 15 digits in groups, not a date and time ("14.03.2024 18:02")."""
    dates = [(d.start, d.end) for d in find_dates(text)]
    for m in _PHONE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in dates):
            continue
        if 7 <= sum(c.isdigit() for c in m.group(0)) <= 15:
            return m
    return None


@dataclass(frozen=True, slots=True)
class MerchantBlock:
    vendor: Field | None
    address: Field | None
    phone: Field | None
    tax_id: Field | None


def _is_reg(text: str) -> bool:
    rest = _REG_WORDS.sub(" ", text.replace("(", " ").replace(")", " "))
    rest = re.sub(r"[\s.:#]+", " ", rest).strip()
    return bool(_REG_CODE.match(rest))


def line_kind(line: Line) -> str:
    """What a header line is: name, address, phone, taxid, reg, web, banner, stop, date."""
    text = fold(line.text)
    if _tax_id_in(text):
        return "taxid"
    if _MONEY_LIKE.search(text) and not PHONE_LABEL.search(text) and not phone_in(text) and address_score(text) < 2:
        return "stop"  # an amount: the transaction has begun
    if _is_reg(text):
        return "reg"
    if PHONE_LABEL.search(text) or (phone_in(text) and letters(text) <= 3):
        return "phone"
    if _WEB.search(text):
        return "web"
    if find_dates(line.text):
        return "date"
    if is_banner(text):
        return "banner"
    if _HEAD_STOP.search(text):
        return "stop"
    if address_score(text) >= 2 and (legal_suffix_at(text) is None or has_postcode(text)):
        return "address"
    if letters(text) < 2:
        return "noise"
    return "name"


def header_lines(lines: Sequence[Line]) -> list[Line]:
    """The lines of page 1 above the transaction (before items, totals and payment)."""
    out: list[Line] = []
    for line in lines:
        if line.page != 1:
            break
        if len(out) >= 18 or line.box.y0 > 0.45:
            break
        out.append(line)
    return out


def _named_above_address(header: list[Line], kinds: list[str]) -> list[str]:
    """A top line over a postcode line is the sender's name even with a word that usually
    marks an advert ("Free Service Abonné" over "75371 Paris Cedex 08", "DAILY FRESH MART")."""
    kinds = list(kinds)
    for i in range(min(3, len(header) - 1)):
        text = fold(header[i].text)
        if kinds[i] == "banner" and not is_title(text) and kinds[i + 1] == "address":
            below = fold(header[i + 1].text)
            if has_postcode(below) and address_score(below) >= 3 and letters(text) >= 3:
                kinds[i] = "name"
    return kinds


def _block_start(header: list[Line], kinds: list[str]) -> int:
    """Skip a lone line far above the merchant block (a handwritten name, a stamp)."""
    if len(header) < 3:
        return 0
    gaps = [header[i + 1].box.y0 - header[i].box.y1 for i in range(len(header) - 1)]
    h = max(0.004, sorted(ln.height for ln in header)[len(header) // 2])
    if gaps[0] > 2.5 * h and kinds[0] == "name" and kinds[1] in ("name", "address"):
        return 1
    return 0


def merchant(lines: Sequence[Line]) -> MerchantBlock:
    header = header_lines(lines)
    if not header:
        return MerchantBlock(None, None, None, None)
    columns = header_columns(header)
    if len(columns) > 1:
        columns.sort(key=seller_score, reverse=True)
    found = MerchantBlock(None, None, None, None)
    cues = 0.0  # how much the block read looks like a seller's
    for column in columns:
        if len(columns) > 1 and is_buyers(column):
            continue
        found = _merchant_in(column, lines)
        if found.vendor is not None:
            cues = seller_score(column)
            break
    named = labelled_seller(header)
    headed = headed_seller(header) if named is None else None
    if headed is not None:  # the seller's block under its heading ("FROM"): the block read may be the buyer's
        return MerchantBlock(headed[0], headed[1], found.phone, found.tax_id)
    sender = sender_line(header)
    if named is None and sender is not None and (found.vendor is None or _below(found.vendor, sender[0])):
        return MerchantBlock(sender[0], sender[1], found.phone, found.tax_id)  # the block read is the buyer's
    if named is None and (found.vendor is None or cues <= 0):
        named = payee(lines)
    if named is not None:
        # the block at the top names someone else (the buyer): its address is not the seller's
        same = found.vendor is not None and same_name(str(found.vendor.value), str(named.value))
        found = MerchantBlock(named, found.address if same else None, found.phone, found.tax_id)
    return found


def _below(field: Field, other: Field) -> bool:
    return field.box is not None and other.box is not None and field.box.y0 > other.box.y0


def header_kinds(header: list[Line]) -> list[str]:
    """What each header line is (name, address, phone, banner ...), as the merchant block is read."""
    kinds = _named_above_address(header, [line_kind(ln) for ln in header])
    return [
        ("noise" if k in ("name", "banner") and _column_headings(ln, nxt) else k)
        for k, ln, nxt in zip(kinds, header, [*header[1:], None], strict=True)
    ]


def _column_headings(line: Line, below: Line | None) -> bool:
    """A table's row of column headings ("Hotel Details  Check In  Check Out  Rooms"): three word blocks or
    more, each over a block of the row below it. It names a column, not the shop."""
    if below is None:
        return False
    heads, cells = line.blocks(), below.blocks()
    if len(heads) < 3 or len(cells) < 2 or any(c.isdigit() for c in line.text):
        return False
    return all(any(c.box.x0 < h.box.x1 and h.box.x0 < c.box.x1 for c in cells) for h in heads)


def _merchant_in(header: list[Line], lines: Sequence[Line]) -> MerchantBlock:
    kinds = header_kinds(header)
    start = _block_start(header, kinds)
    stop = block_end(header, kinds, start)
    name_lines = vendor_lines(header, kinds, start, stop)
    if not name_lines:
        name_lines = vendor_lines(header, kinds, 0, len(header))
    vendor = None
    if name_lines:
        value = corrected_name(clean_name(" ".join(ln.text for ln in name_lines)))
        sure = 0.8 if legal_suffix_at(fold(value)) is not None else 0.55
        vendor = lines_field(name_lines, value, sure)
    address = _address(header, kinds, name_lines)
    phone, tax_id = _phone(header, kinds), _tax_id(lines)
    if phone is not None and tax_id is not None and _digits(phone) == _digits(tax_id):
        phone = None  # the tax number printed apart from its label ("NIP:      774-00-01-454")
    return MerchantBlock(vendor, address, phone, tax_id)


def _digits(f: Field) -> str:
    return "".join(c for c in str(f.value) if c.isdigit())


def _address(header: list[Line], kinds: list[str], name_lines: list[Line]) -> Field | None:
    """The address lines after the name: from the first street/postcode line to the phone, tax or banner lines."""
    after = header.index(name_lines[-1]) + 1 if name_lines else 0
    parts: list[tuple[Line, int]] = []  # line, where its address text ends
    seen_postcode = False
    for i in range(after, len(header)):
        kind = kinds[i]
        line = header[i]
        text = fold(line.text)
        if not parts:
            if kind in ("reg", "taxid", "web", "noise", "date", "phone"):
                continue
            if kind == "name":
                # a second name line (a brand, "BISTRO & CAFE") before the address starts
                if any(kinds[k] == "address" for k in range(i + 1, min(i + 3, len(header)))):
                    continue
                if address_score(text) < 1:
                    continue
            elif kind != "address" or letters(text) < 2:
                break
        elif kind == "phone":
            cut = PHONE_LABEL.search(text)
            if cut and address_score(text[: cut.start()]) >= 2:
                parts.append((line, cut.start()))
            break
        elif kind not in ("address", "name") or (
            seen_postcode and not _after_postcode(text) and not _region_follows(header, kinds, i)
        ):
            # an address ends with its postcode line (and maybe a state or country after it)
            break
        cut = PHONE_LABEL.search(text) or _TAX_ID.search(text) or _SOME_ID.search(text)
        parts.append((line, cut.start() if cut else len(line.text)))
        seen_postcode = seen_postcode or has_postcode(text)
        if cut:
            break
    if not parts or not any(kinds[header.index(ln)] == "address" for ln, _ in parts):
        return None
    found = segments_field(parts, 0.7)
    return replace(found, value=corrected_address(str(found.value)))  # its text stays as printed


def number_cut(text: str) -> int:
    """Where a text ends before a phone, tax or registration number printed in it (its length when none is):
    where a line's address, or a name printed before its phone, ends."""
    folded = fold(text)
    if len(folded) != len(text):
        return len(text)
    cut = PHONE_LABEL.search(folded) or _TAX_ID.search(folded) or _SOME_ID.search(folded)
    return cut.start() if cut else len(text)


def _region_follows(header: list[Line], kinds: list[str], i: int) -> bool:
    """A town line after the postcode line counts when the state or country line follows it."""
    return i + 1 < len(header) and kinds[i] == "name" and is_region_line(fold(header[i + 1].text))


def _after_postcode(text: str) -> bool:
    """What may follow the postcode line: a state or country, or a branch line with a number."""
    if is_region_line(text):
        return True
    digits = any(c.isdigit() for c in text)
    return digits and (address_score(text) >= 1 or len(text.split()) <= 3)


def _phone(header: list[Line], kinds: list[str]) -> Field | None:
    for line, kind in zip(header, kinds, strict=True):
        if kind != "phone":
            continue
        m = phone_in(line.text)
        if m:
            return span_field(line, m.start(), m.end(), m.group(0).strip(), 0.8)
    return None


def _tax_id(lines: Sequence[Line]) -> Field | None:
    for line in lines:
        folded = fold(line.text)
        m = _tax_id_in(folded)
        if m and len(folded) == len(line.text):
            value = m.group("id").strip()
            return span_field(line, m.start("id"), m.end("id"), value, 0.8)
    return None
