"""The vendor's address chosen by the learned ranker among runs of header lines, and how sure it is.

The hand rules (vendor.py) start the address after the name and end it at the postcode or the phone
line; a receipt that prints the town before the street, an address the rules did not see start (no
street word they know), or lines they took for a second name leave them with none or a part. Here
every run of one to five adjacent header lines above the transaction that holds no date, web or banner
line is a candidate (each line cut before a phone or tax number printed after it), with the hand rules' own
address; each is described by what it is made of (address, name and phone lines, street words,
postcodes), where it starts and ends against the vendor and the lines around it, and its OCR score.
The ranker (ranking.py, trained by tests/bench/train_ranker.py) chooses; none of this names a place.
On an invoice that names its seller apart from the header's block (the buyer's), the rules' address stays.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import median

from receiptdesk.core.document import Field
from receiptdesk.providers.local.parsing.evidence import segments_field, within
from receiptdesk.providers.local.parsing.features import Features
from receiptdesk.providers.local.parsing.labels import compare_key, fold
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.places import address_score, has_postcode, has_street, legal_suffix_at
from receiptdesk.providers.local.parsing.sellers import (
    headed_seller,
    labelled_seller,
    names_a_buyer,
    payee,
    sender_line,
)
from receiptdesk.providers.local.parsing.spelling import corrected_address
from receiptdesk.providers.local.parsing.vendor import header_kinds, header_lines, number_cut
from receiptdesk.providers.local.parsing.vendor_choice import is_labelled
from receiptdesk.providers.local.ranking import FieldModel

_TOP = 14  # header lines searched
_LONGEST = 5  # lines in one address
# The kinds of header line an address may be made of (a phone line only for what precedes its number).
_PARTS = frozenset({"address", "name", "noise", "phone", "taxid", "reg"})
_AFTER_END = frozenset({"phone", "taxid", "reg", "web"})
_STOPS = frozenset({"stop", "date", "banner"})


@dataclass(frozen=True, slots=True)
class AddressCandidate:
    value: str
    parts: tuple[tuple[Line, int], ...]  # each line and where its address text ends


def address_candidates(
    lines: Sequence[Line], vendor: Field | None, hand: Field | None
) -> tuple[list[AddressCandidate], list[Features]]:
    """Every run of adjacent header lines that could be the address, and the hand rules' address."""
    header = header_lines(lines)[:_TOP]
    if not header:
        return [], []
    kinds = header_kinds(header)
    if "stop" in kinds:  # the transaction has begun: an address is printed above it
        header, kinds = header[: kinds.index("stop")], kinds[: kinds.index("stop")]
    ends = [number_cut(ln.text) for ln in header]
    found: dict[str, tuple[AddressCandidate, list[int]]] = {}
    for i in range(len(header)):
        for j in range(i + 1, min(len(header), i + _LONGEST) + 1):
            idx = list(range(i, j))
            if kinds[j - 1] not in _PARTS:
                break
            parts = [header[k].text[: ends[k]].strip(" ,") for k in idx]
            if not parts[0] or not all(parts) or not any(address_score(fold(p)) >= 1 for p in parts):
                continue  # no street, postcode, region or house number: a name, an item, not an address
            value = corrected_address(" ".join(parts))
            key = compare_key(value)
            if len(key) >= 5 and key not in found:
                found[key] = (AddressCandidate(value, tuple((header[k], ends[k]) for k in idx)), idx)
    hand_key = compare_key(str(hand.value)) if hand is not None and hand.value is not None else ""
    if hand is not None and hand_key and hand_key not in found:
        found[hand_key] = (AddressCandidate(str(hand.value), ()), [])
    vendor_last = max((i for i, ln in enumerate(header) if within(ln, vendor)), default=-1)
    typical = max(median([ln.height for ln in lines if ln.words] or [1e-6]), 1e-6)
    cands = [c for c, _ in found.values()]
    feats = [_features(c, idx, header, kinds, ends, hand_key, vendor_last, typical) for c, idx in found.values()]
    return cands, feats


def _features(
    cand: AddressCandidate,
    idx: list[int],
    header: list[Line],
    kinds: list[str],
    ends: list[int],
    hand_key: str,
    vendor_last: int,
    typical: float,
) -> Features:
    key = compare_key(cand.value)
    folded = fold(cand.value)
    texts = [fold(header[k].text) for k in idx]
    after = kinds[idx[-1] + 1] if idx and idx[-1] + 1 < len(kinds) else "stop"
    before = kinds[idx[0] - 1] if idx and idx[0] > 0 else "none"
    return {
        "hand_best": 1.0 if key == hand_key else 0.0,
        "hand_part": 1.0 if hand_key and key != hand_key and (key in hand_key or hand_key in key) else 0.0,
        "n": float(len(idx)),
        "start": float(idx[0] if idx else _TOP),
        "after_vendor": float(idx[0] - vendor_last if idx else 0),
        "right_after_vendor": 1.0 if idx and idx[0] == vendor_last + 1 else 0.0,
        "addr_share": sum(kinds[k] == "address" for k in idx) / max(1, len(idx)),
        "addr_sum": float(sum(address_score(t) for t in texts)),
        "addr_min": float(min((address_score(t) for t in texts), default=0)),
        "postcode_last": 1.0 if texts and has_postcode(texts[-1]) else 0.0,
        "postcode": 1.0 if has_postcode(folded) else 0.0,
        "street_first": 1.0 if texts and has_street(texts[0]) else 0.0,
        "street": 1.0 if has_street(folded) else 0.0,
        "legal": 1.0 if legal_suffix_at(folded) is not None else 0.0,
        "next_addr": 1.0 if after == "address" else 0.0,
        "next_name": 1.0 if after == "name" else 0.0,
        "next_phone": 1.0 if after in _AFTER_END else 0.0,
        "next_stop": 1.0 if after in _STOPS else 0.0,
        "prev_addr": 1.0 if before == "address" else 0.0,
        "cut": 1.0 if any(ends[k] < len(header[k].text) for k in idx) else 0.0,
        "names": float(sum(kinds[k] == "name" for k in idx)),
        "phones": float(sum(kinds[k] in ("phone", "taxid", "reg") for k in idx)),
        "digits": sum(c.isdigit() for c in key) / max(1, len(key)),
        "log_len": math.log1p(len(key)),
        "ocr": min((header[k].confidence for k in idx), default=0.0),
        "exact_text": 1.0 if min((header[k].confidence for k in idx), default=0.0) >= 0.999 else 0.0,
        "height": median([header[k].height for k in idx]) / typical if idx else 1.0,
        "comma": 1.0 if "," in cand.value else 0.0,
        "past_postcode": float(_past_postcode(texts)),
        "has_vendor": 1.0 if idx and idx[0] <= vendor_last else 0.0,
        "labelled": float(sum(1 for k in idx if is_labelled(header[k].text))),
        "amounts": float(sum(1 for t in texts if _AMOUNT.search(t))),
    }


# An amount with its cents ("4,50", "26.00"): an item's or a total's line, not the address.
_AMOUNT = re.compile(r"(?<![\d.,])\d+[.,]\d{2}(?![\d.,])")


def _past_postcode(texts: list[str]) -> int:
    """Lines after the line with the postcode: an address mostly ends there (a country or state line may follow)."""
    at = next((i for i, t in enumerate(texts) if has_postcode(t)), None)
    return 0 if at is None else len(texts) - 1 - at


def _seller_named_apart(lines: Sequence[Line]) -> bool:
    """An invoice that names its seller apart from the header's block (a "Bill to" block, a sender line
    above the window, "Seller:" or a "FROM" block, the account holder to pay): the block's address is not
    the seller's."""
    header = header_lines(lines)
    if names_a_buyer(header):
        return True
    if sender_line(header) is not None or labelled_seller(header) is not None or headed_seller(header) is not None:
        return True
    return payee(lines) is not None


def choose_address(lines: Sequence[Line], vendor: Field | None, hand: Field | None, model: FieldModel) -> Field | None:
    """The address the model ranks first among the header's runs of lines, with its calibrated confidence."""
    if _seller_named_apart(lines):
        return hand  # the header's block is the buyer's: the rules read the seller's address elsewhere
    cands, feats = address_candidates(lines, vendor, hand)
    if not cands:
        return hand
    picked = model.pick(feats)
    if picked is None:
        return hand
    k, confidence, hands = picked
    if hand is not None and hands:
        return replace(hand, confidence=round(confidence, 4))
    chosen = cands[k]
    if not chosen.parts:
        return hand
    found = segments_field(chosen.parts, 1.0)
    return replace(found, value=chosen.value, confidence=round(confidence, 4))
