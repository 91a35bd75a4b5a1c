"""The vendor chosen by the learned ranker among the header's lines, and how sure it is.

The hand rules (vendor.py) read the merchant block one way: the legal entity, else the first
name-like line. Receipts disagree often enough (a slogan or "Store #12" above the shop's name,
a name broken over two lines, the brand above the company's legal name) that a fixed order
cannot settle it. Here every line at the top of the page, every two adjacent name lines joined,
and the hand rules' own pick are candidates, each described by what a person would look at:
where it sits, how large it is printed, what kind of line the rules think it is, its capitals,
digits and company form, whether it is printed again (a web address, a footer). The ranker
(ranking.py, trained by tests/bench/train_ranker.py) weighs them and chooses; none of this names a shop.
The model learned from receipts: the parser asks it only on receipts (model/MODEL_CARD.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import median

from receiptdesk.core.document import Field
from receiptdesk.providers.local.parsing.evidence import lines_field, within
from receiptdesk.providers.local.parsing.features import Features
from receiptdesk.providers.local.parsing.labels import compare_key, fold, letters
from receiptdesk.providers.local.parsing.layout import Line
from receiptdesk.providers.local.parsing.names import clean_name
from receiptdesk.providers.local.parsing.places import (
    BUSINESS_WORDS,
    DOCUMENT_TITLE,
    address_score,
    has_postcode,
    has_street,
    is_banner,
    is_title,
    legal_suffix_at,
)
from receiptdesk.providers.local.parsing.sellers import names_a_buyer
from receiptdesk.providers.local.parsing.spelling import corrected_name
from receiptdesk.providers.local.parsing.vendor import header_kinds, header_lines, number_cut
from receiptdesk.providers.local.ranking import FieldModel

# Lines from the top that may name the shop, and what kinds of line may be joined to the next.
_TOP = 12
_KINDS = ("name", "address", "phone", "taxid", "reg", "web", "banner", "stop", "date", "noise")
_JOINABLE = frozenset({"name"})
# A field's label and its value ("Store: 5", "Host: Ryan", "Manager : ..."): a till's line, not a shop's name.
# A phrase of a sentence: three words or more that start in small letters or end in a full stop or "!".
_SENTENCE = re.compile(r"^(?:[a-z]\S*(?:\s+\S+){2,}|\S+(?:\s+\S+){2,}[a-z][.!?])$")
_LABELLED = re.compile(r"^\W*[^\W\d][^:：#]{0,15}[:：]")
_TITLE_IN = re.compile(r"\b(?:" + DOCUMENT_TITLE + r")\b")


@dataclass(frozen=True, slots=True)
class VendorCandidate:
    value: str
    lines: tuple[Line, ...]


def vendor_candidates(lines: Sequence[Line], hand: Field | None) -> tuple[list[VendorCandidate], list[Features]]:
    """Every header line and adjacent pair that could be the vendor, the hand rules' pick among them."""
    header = header_lines(lines)[:_TOP]
    if not header:
        return [], []
    kinds = header_kinds(header)
    hand_key = compare_key(str(hand.value)) if hand is not None and hand.value is not None else ""
    found: dict[str, tuple[VendorCandidate, list[int]]] = {}

    def add(value: str, idx: list[int], shown: tuple[Line, ...] | None = None) -> None:
        key = compare_key(value)
        if letters(value) < 2 or not key or key in found or is_title(fold(value)):
            return  # (a document's title, "PAYMENT RECEIPT", names no one)
        found[key] = (VendorCandidate(value, shown or tuple(header[i] for i in idx)), idx)

    for i, line in enumerate(header):
        if kinds[i] == "noise":
            continue
        add(corrected_name(clean_name(line.text)), [i])
        end = number_cut(line.text)  # "Subway#15936-0 Phone 608-758-4560": the name before the phone
        if 0 < end < len(line.text) and letters(line.text[:end]) >= 2 and any(c.isdigit() for c in line.text[end:]):
            add(corrected_name(clean_name(line.text[:end].strip())), [i])
        blocks = line.blocks()
        if len(blocks) > 1:
            for b in blocks:  # a block of its own: the name beside a logo's text or a till number
                if letters(b.text) >= 2:
                    add(corrected_name(clean_name(b.text)), [i], (b,))
    for i in range(len(header) - 1):
        if kinds[i] in _JOINABLE and kinds[i + 1] in _JOINABLE:
            add(corrected_name(clean_name(header[i].text + " " + header[i + 1].text)), [i, i + 1])
    if hand is not None and hand_key and hand_key not in found:
        idx = [i for i, ln in enumerate(header) if within(ln, hand)]
        found[hand_key] = (VendorCandidate(str(hand.value), tuple(header[i] for i in idx)), idx)
    cands = [c for c, _ in found.values()]
    feats = _features(lines, header, kinds, [(c, idx) for c, idx in found.values()], hand_key)
    return cands, feats


def _features(
    lines: Sequence[Line],
    header: list[Line],
    kinds: list[str],
    cands: list[tuple[VendorCandidate, list[int]]],
    hand_key: str,
) -> list[Features]:
    typical = max(median([ln.height for ln in lines if ln.words] or [1e-6]), 1e-6)
    tallest = max((ln.height for ln in header), default=typical)
    centre = sum((ln.box.x0 + ln.box.x1) / 2 for ln in header) / len(header)
    first_address = next((i for i, k in enumerate(kinds) if k == "address"), len(header))
    name_rank = {i: r for r, i in enumerate(i for i, k in enumerate(kinds) if k == "name")}
    page_keys = [compare_key(ln.text) for ln in lines]
    web_keys = [compare_key(ln.text) for ln, k in zip(header, kinds, strict=True) if k == "web"]
    web_keys += [compare_key(ln.text) for ln in lines if re.search(r"WWW|\.COM|HTTP|@", fold(ln.text))]
    hand_rank = next((idx[0] for c, idx in cands if idx and compare_key(c.value) == hand_key), len(header))
    out = []
    n = len(cands)
    for cand, idx in cands:
        own_lines = {ln.index for ln in cand.lines}
        value = cand.value
        folded = fold(value)
        key = compare_key(value)
        first = idx[0] if idx else len(header)
        chars = [c for c in value if not c.isspace()]
        n_letters = sum(c.isalpha() for c in chars)
        heights = [ln.height for ln in cand.lines] or [typical]
        ocr = min((ln.confidence for ln in cand.lines), default=0.0)
        box_centre = sum((ln.box.x0 + ln.box.x1) / 2 for ln in cand.lines) / len(cand.lines) if cand.lines else centre
        raw = " ".join(ln.text for ln in cand.lines)
        # what is printed, a title or number cut off but no word put right ("Details" is not "Retails")
        printed = fold(clean_name(raw))
        f: Features = {
            "hand_best": 1.0 if key == hand_key else 0.0,
            "hand_part": 1.0 if hand_key and key != hand_key and (key in hand_key or hand_key in key) else 0.0,
            "rank": float(first),
            "rank_log": math.log1p(first),
            "first": 1.0 if first == 0 else 0.0,
            "name_rank": float(name_rank.get(first, 6)),
            "y": cand.lines[0].box.y0 if cand.lines else 0.5,
            "height": median(heights) / typical,
            "tallest": 1.0 if max(heights) >= tallest - 1e-9 else 0.0,
            "centre_off": abs(box_centre - centre),
            "width": max((ln.box.x1 for ln in cand.lines), default=0.0)
            - min((ln.box.x0 for ln in cand.lines), default=0.0),
            "n_lines": float(len(idx)),
            "caps": sum(c.isupper() for c in chars) / max(1, n_letters),
            "letters": n_letters / max(1, len(chars)),
            "digits": sum(c.isdigit() for c in chars) / max(1, len(chars)),
            "punct": sum(not c.isalnum() for c in chars) / max(1, len(chars)),
            "log_len": math.log1p(len(key)),
            "n_words": float(len(value.split())),
            "legal": 1.0 if legal_suffix_at(folded) is not None else 0.0,
            "business": 1.0 if any(w in BUSINESS_WORDS for w in re.findall(r"[A-Z]+", folded)) else 0.0,
            "addr": float(address_score(folded)),
            "street": 1.0 if has_street(folded) else 0.0,
            "postcode": 1.0 if has_postcode(folded) else 0.0,
            "banner": 1.0 if is_banner(folded) or is_banner(printed) else 0.0,
            # the name printed before the document's title ("OYO PAYMENT RECEIPT")
            "title": 1.0 if any(_TITLE_IN.search(fold(ln.text)) for ln in cand.lines) else 0.0,
            # phrases printed apart on the line: column headings ("Hotel Details   Check In   Rooms"), a label and
            # its value, not a name
            "blocks": math.log(max(len(ln.blocks()) for ln in cand.lines)) if cand.lines else 0.0,
            "cleaned": 1.0 if compare_key(raw) != key else 0.0,
            "before_address": 1.0 if first < first_address else 0.0,
            "address_next": 1.0 if idx and idx[-1] + 1 < len(kinds) and kinds[idx[-1] + 1] == "address" else 0.0,
            "repeated": math.log1p(
                sum(1 for i, k in enumerate(page_keys) if len(key) >= 3 and key in k and i not in own_lines)
            ),
            "in_web": 1.0 if len(key) >= 4 and any(key in w for w in web_keys) else 0.0,
            "phone_inside": 1.0 if any(c.isdigit() for c in value[number_cut(value) :]) else 0.0,
            "sentence": 1.0 if _SENTENCE.match(value) else 0.0,
            "labelled": 1.0 if any(is_labelled(ln.text) for ln in cand.lines) else 0.0,
            "ocr": ocr,
            "exact_text": 1.0 if ocr >= 0.999 else 0.0,
            "n_cands": math.log1p(n),
        }
        f["h_max"] = median(heights) / max(tallest, 1e-6)
        f["taller_below"] = _taller_below(header, kinds, idx)
        f["above_hand"] = 1.0 if first < hand_rank else 0.0
        f["below_hand"] = 1.0 if first > hand_rank else 0.0
        for k in _KINDS:
            f[f"k_{k}"] = 1.0 if idx and kinds[idx[0]] == k else 0.0
        if idx:
            f.update(_neighbours(header, kinds, idx))
        out.append(f)
    return out


def is_labelled(text: str) -> bool:
    """A field's label and its value ("Store: 5", "Host: Ryan"): a till's line, not a shop's name or address."""
    return _LABELLED.match(text) is not None


def _taller_below(header: list[Line], kinds: list[str], idx: list[int]) -> float:
    """How much taller than the candidate's first line the tallest of the next three name lines is printed (log
    ratio, 0 when none is), its own second line included: a slogan, a greeting or a person's name above the
    shop's name is printed smaller than the name, alone or joined to it."""
    if not idx:
        return 0.0
    height = header[idx[0]].height
    below = [ln.height for i, ln in enumerate(header) if i > idx[0] and kinds[i] == "name"][:3]
    tallest = max(below, default=0.0)
    return math.log(tallest / height) if tallest > height > 0 else 0.0


def _similar(a: Line, b: Line) -> float:
    """How alike two lines are printed: 1 for the same height, less the more they differ."""
    return min(a.height, b.height) / max(a.height, b.height, 1e-6)


def _gap(a: Line, b: Line) -> float:
    """The space between two lines, in their heights."""
    return max(0.0, b.box.y0 - a.box.y1) / max(a.height, b.height, 1e-6)


def _neighbours(header: list[Line], kinds: list[str], idx: list[int]) -> Features:
    """How the candidate sits among the lines around it: a name broken over two lines prints both alike."""
    f: Features = {}
    last, first = idx[-1], idx[0]
    if len(idx) > 1:
        a, b = header[idx[0]], header[idx[1]]
        f["k2_name"] = 1.0 if kinds[idx[1]] == "name" else 0.0
        f["pair_sim"] = _similar(a, b)
        f["pair_gap"] = min(_gap(a, b), 5.0)
        f["pair_second_len"] = math.log1p(letters(b.text))
        f["pair_second_digits"] = 1.0 if any(c.isdigit() for c in b.text) else 0.0
        f["pair_second_words"] = float(min(len(b.text.split()), 4))
        f["pair_same_case"] = 1.0 if a.text.isupper() == b.text.isupper() else 0.0
        f["pair_aligned"] = 1.0 - min(
            1.0, abs((a.box.x0 + a.box.x1) - (b.box.x0 + b.box.x1)) / max(a.box.x1 - a.box.x0, 1e-6)
        )
    if last + 1 < len(header):
        nxt = header[last + 1]
        f["next_name"] = 1.0 if kinds[last + 1] == "name" else 0.0
        f["next_sim"] = _similar(header[last], nxt) * f["next_name"]
        f["next_gap"] = min(_gap(header[last], nxt), 5.0)
    if first > 0:
        prev = header[first - 1]
        f["prev_name"] = 1.0 if kinds[first - 1] == "name" else 0.0
        f["prev_sim"] = _similar(prev, header[first]) * f["prev_name"]
    return f


# The most a vendor the hand rules did not find is shown as sure: it is a guess among the header's lines.
GUESS = 0.45


def choose_vendor(lines: Sequence[Line], hand: Field | None, model: FieldModel) -> Field | None:
    """The vendor the model ranks first among the header's candidates, with its calibrated confidence.

    A model that does not choose (`chooses` false) keeps the hand rules' vendor and only calibrates
    how sure it is. Where the rules find none, the model's pick is shown as a guess, flagged for
    review, unless the header prints a buyer's block (then nothing: better than the buyer's name)."""
    cands, feats = vendor_candidates(lines, hand)
    if not cands:
        return hand
    picked = model.pick(feats) if hand is not None else model.choose(feats)
    if picked is None:
        return hand
    k, confidence, hands = picked
    if hand is not None and hands:
        return replace(hand, confidence=round(confidence, 4))
    chosen = cands[k]
    if not chosen.lines:
        return hand
    if hand is None:
        if names_a_buyer(header_lines(lines)):
            return None  # the rules found only the buyer's block: better nothing than the buyer's name
        confidence = min(confidence, GUESS)
    return replace(lines_field(chosen.lines, chosen.value, 1.0), confidence=round(confidence, 4))
