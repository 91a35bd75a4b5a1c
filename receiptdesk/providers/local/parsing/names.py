"""The merchant's name in the header: which lines make it, where the block ends, and the name cleaned.

The vendor is the legal-entity line when one is printed (the name on the
registration), else the first name-like line of the block. A name may be
broken over lines; a registration number, bracketed code or stray mark
printed after the company form is not part of it.
"""

from __future__ import annotations

import re

from receiptdesk.providers.local.parsing.labels import fold, letters
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.places import (
    BUSINESS_WORDS,
    DOCUMENT_TITLE,
    canonical_forms,
    is_title,
    legal_suffix_at,
    legal_suffixes,
    starts_with_suffix,
)

# A line under the name that gives the company's number: "Co. Reg. No.", "Company No", "Co No".
_REG_LINE = re.compile(r"^\W*(?:CO|COMPANY)\b\.?\s*(?:REG|NO\b|NUMBER)")
# Marks OCR or the printer left after the company form: ".(P)", ". -", "*".
_STRAY_MARK = re.compile(r"[\W_]*(?:\(\w{1,3}\))?[\W_]*")


def block_end(header: list[Line], kinds: list[str], start: int) -> int:
    """Where the merchant block ends: the first banner, stop or date line after its start.

    A banner or advertising line printed above the company's legal name ("Class buy." over
    "OGN GROUP SDN BHD") does not end it: the block has not begun yet.
    """
    for i in range(start + 1, len(header)):
        if kinds[i] in ("stop", "date"):
            return i
        if kinds[i] == "banner" and not _legal_name_follows(header, kinds, start, i):
            return i
    return len(header)


def _legal_name_follows(header: list[Line], kinds: list[str], start: int, i: int) -> bool:
    """Whether a company's legal name comes within three lines after this banner, no address before it."""
    if any(kinds[k] == "address" for k in range(start, i)):
        return False
    for j in range(i + 1, min(len(header), i + 4)):
        if kinds[j] == "name" and legal_suffix_at(fold(header[j].text)) is not None:
            return True
        if kinds[j] not in ("name", "banner", "noise", "web"):
            return False
    return False


def vendor_lines(header: list[Line], kinds: list[str], start: int, stop: int) -> list[Line]:
    """The vendor's line(s): the legal entity if printed, else the first name-like line."""
    first_name = next((i for i in range(start, stop) if kinds[i] == "name"), stop)
    # the street address proper (with a number): a brand line naming a mall does not end the name part
    first_address = next(
        (i for i in range(first_name, stop) if kinds[i] == "address" and any(c.isdigit() for c in header[i].text)),
        stop,
    )
    for i in range(start, first_address):
        if kinds[i] != "name":
            continue
        text = fold(header[i].text)
        at = legal_suffix_at(text)
        if at is None:
            continue
        chosen = [header[i]]
        j = i
        # a name broken over lines: "AIK HUAT HARDWARE / ENTERPRISE (SETIA / ALAM) SDN BHD"
        while j > start and _continues(fold(" ".join(ln.text for ln in chosen)), at, kinds[j - 1]):
            j -= 1
            chosen.insert(0, header[j])
            at = legal_suffix_at(fold(" ".join(ln.text for ln in chosen)))
            if at is None:
                break
        # ... and below: "ENTERPRISE (SETIA / ALAM) SDN BHD"
        k = i
        while k + 1 < stop and kinds[k + 1] == "name":
            joined = fold(" ".join(ln.text for ln in chosen))
            below = fold(header[k + 1].text)
            unclosed = joined.count("(") > joined.count(")")
            if _REG_LINE.match(below) or not (unclosed or starts_with_suffix(below)):
                break  # "Co. Reg. No.: 795225-A" under the name starts with "Co." but is its number
            k += 1
            chosen.append(header[k])
        return chosen
    names = [i for i in range(start, stop) if kinds[i] == "name" and letters(header[i].text) >= 3]
    if not names:
        return []
    pick = names[0]
    chosen = [header[pick]]
    nxt = pick + 1
    if nxt < stop and kinds[nxt] == "name" and _finishes_name(header[nxt]):
        chosen.append(header[nxt])
    return chosen


def _finishes_name(line: Line) -> bool:
    """A lone business word under the name ("WINDMILL FAMILY" / "RESTAURANT") is the rest of it.

    A longer line ("BISTRO & CAFE") says what the place is rather than finishing its name.
    """
    words = re.findall(r"[A-Z]+", fold(line.text))
    return len(words) == 1 and words[0] in BUSINESS_WORDS


def _continues(text: str, suffix_at: int | None, kind_above: str) -> bool:
    """Whether the name goes on on the line above: unclosed brackets, or nothing but suffixes here."""
    if kind_above != "name" or suffix_at is None:
        return False
    name = fold(clean_name(text))
    if name.count("(") != name.count(")"):
        return True
    head = re.sub(r"\([^)]*\)", " ", text[:suffix_at]).strip(" .,(")
    return not head or starts_with_suffix(head)


_TRAILING_CODE = re.compile(
    r"[\s(\[]*(?:CO(?:MPANY)?\.?\s*(?:REG\.?\s*)?NO\.?[:\s]*)?(?:(?<![A-Z0-9])[A-Z]{0,3}|(?<=[A-Z]))\d{4,}[-\s]?[A-Z]{0,2}[)\]]?"
)


# What announces a number, left at the end of a name when the number is cut off ("#", "No.", "No:").
_NUMBER_MARK = re.compile(r"(?:\s*#|\s+N[Oo][.:]?)+\s*$")


# A document title printed on the name's line ("Amazon Web Services Invoice").
_TITLE_AFTER = re.compile(
    r"(?<=\w)\s+(?:" + DOCUMENT_TITLE + r"|RECHNUNG|FACTURE|FACTURA|FATTURA|FAKTURA|FACTUUR|QUITTUNG|KVITTO)\s*$"
)


def clean_name(text: str) -> str:
    """The name without the registration number or document title printed after it ("... S/B (519537-X)")."""
    folded = fold(text)
    if len(folded) != len(text):
        return text.strip(" .,:-*(")
    title = _TITLE_AFTER.search(folded)
    # (a line that is a title as a whole, "PAYMENT RECEIPT", keeps it: it names no one)
    if title and letters(folded[: title.start()]) >= 3 and not is_title(folded):
        text, folded = text[: title.start()], folded[: title.start()]
    end = None
    found = legal_suffixes(folded)
    if found:
        rest = folded[found[-1].end() :]
        tail = rest.strip()
        if tail and (any(c.isdigit() for c in tail) or tail.startswith("(") or _STRAY_MARK.fullmatch(tail)):
            end = found[-1].end()
    if end is None:
        code = _TRAILING_CODE.search(folded)
        if code and code.end() == len(folded.rstrip()) and code.start() > 0:
            end = code.start()
    out = (text[:end] if end is not None else text).strip(" ,:-*(")
    if end is not None:  # the number cut off leaves its mark: "Smashburger #1407" is "Smashburger", not "... #"
        out = _NUMBER_MARK.sub("", out)
    if out.endswith(".") and not any(
        m.end() == len(out) and m.group(0).endswith(".") for m in legal_suffixes(fold(out))
    ):
        out = out.rstrip(".")  # a full stop, unless it ends "B.V." or "INC."
    return canonical_forms(out.strip())
