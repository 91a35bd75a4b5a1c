"""Where the vendor goes wrong: the hand rules' pick against the label, sorted into error classes with counts.

    python -m tests.bench.vendor_errors [--sets sroie,wildreceipt] [--sources ocr,truth] [--show CLASS]
    python -m tests.bench.vendor_errors --field address    # the same classes for the address

Texts are compared as ../shared/tools/score_extraction.py compares them (upper case, letters and
digits only). For each wrong or missing vendor the label is looked for among the header's lines
(each line alone, each run of two or three adjacent lines joined, each line's left/right blocks)
and the chosen value is placed against it:

- "right line, wrong extent": the label is inside the chosen line(s), or the chosen text inside the label
- "label spans lines the rules did not join" / "rules joined lines the label does not"
- "other line chosen, above/below the label's: <what>" where the label is one header line (or a part of
  one) and the rules chose another: the company's legal name where the label names the brand (or the
  reverse), an address or town line, a line with numbers, another name-like line
- "label not in the text exactly, a few edits away": no line holds it but one is within a few edits (an OCR
  misread; on the sets' own text, the label's own typo)
- "label not in the text": neither (a logo read as nothing, a label naming what is not printed)
- "no vendor predicted"
Nothing here feeds the parser; it only prints counts.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from receiptdesk.providers.local.parser import parse
from receiptdesk.providers.local.parsing.labels import fold
from receiptdesk.providers.local.parsing.layout import Line, build_lines
from receiptdesk.providers.local.parsing.places import address_score, has_postcode, legal_suffix_at
from receiptdesk.providers.local.ranking import HAND_RULES
from tests.bench.page_inputs import cache_dir, gold_rows, load_scorer, pages_for

HEAD = 20  # lines from the top searched for the label


def _spans(lines: list[Line], longest: int = 3) -> list[tuple[int, int, str]]:
    """(first line, last line, text) for each line, each block of a line, and each run of 2-3 adjacent lines."""
    out = []
    for i, ln in enumerate(lines):
        out.append((i, i, ln.text))
        for b in ln.blocks() if len(ln.words) > 1 else []:
            if b.text != ln.text:
                out.append((i, i, b.text))
        for k in range(2, longest + 1):
            if i + k <= len(lines):
                out.append((i, i + k - 1, " ".join(x.text for x in lines[i : i + k])))
    return out


def classify(sc: Any, gold: str, pred: str | None, lines: list[Line], field: str = "vendor") -> str:
    g = sc.norm_text(gold)
    p = sc.norm_text(pred) if pred else ""
    if p == g:
        return "right"
    head = lines[:HEAD]
    spans = _spans(head, 3 if field == "vendor" else 6)
    normed = [(a, b, sc.norm_text(t)) for a, b, t in spans]
    exact = [(a, b, t) for a, b, t in normed if t == g]
    inside = [(a, b, t) for a, b, t in normed if a == b and g and g in t]
    # where the rules' value sits: the lines whose text holds it
    chosen = [i for i, ln in enumerate(head) if p and (p in sc.norm_text(ln.text) or sc.norm_text(ln.text) in p)]
    if not p:
        where = f"no {field} predicted"
        if not exact and not inside:
            return where + " (label not in the text)"
        return where + " (label is in the text)"
    if p and g and (g in p or p in g):
        multi = any(a != b for a, b, _ in exact)
        if multi and p in g:
            return "label spans lines the rules did not join"
        if g in p and len(chosen) > 1:
            return "rules joined lines the label does not"
        return "right line, wrong extent" + (" (label longer)" if p in g else " (label shorter)")
    if exact or inside:
        a = (exact or inside)[0][0]
        if not chosen:
            return "other text chosen (not a header line)"
        c = chosen[0]
        rel = "above" if c < a else "below"
        if field != "vendor":
            return f"other lines chosen, {rel} the label's"
        return f"other line chosen, {rel} the label's: {_what(pred or '', gold)}"
    best = max((SequenceMatcher(None, g, t).ratio() for _, _, t in normed), default=0.0)
    part = max((_part_ratio(g, t) for _, _, t in normed), default=0.0)
    if best >= 0.8 or part >= 0.85:
        return "label not in the text exactly, a few edits away (OCR misread, or the label's typo)"
    return "label not in the text (logo, or names what is not printed)"


def _what(pred: str, gold: str) -> str:
    """What the rules chose instead: the legal name over a brand, an address or town line, a slogan ..."""
    p, g = fold(pred), fold(gold)
    if legal_suffix_at(p) is not None and legal_suffix_at(g) is None:
        return "the company's legal name (label: the brand)"
    if legal_suffix_at(g) is not None and legal_suffix_at(p) is None:
        return "a brand or other name (label: the legal name)"
    if address_score(p) >= 1 or has_postcode(p):
        return "an address or town line"
    if any(ch.isdigit() for ch in p):
        return "a line with numbers (store no., time)"
    return "another name-like line (slogan, person, heading)"


def _part_ratio(g: str, t: str) -> float:
    """How well the label matches the best window of a longer text (a misread name inside a line)."""
    if not g or len(t) < len(g):
        return 0.0
    return max(SequenceMatcher(None, g, t[i : i + len(g)]).ratio() for i in range(0, len(t) - len(g) + 1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="sroie,wildreceipt")
    ap.add_argument("--field", default="vendor", choices=["vendor", "address"])
    ap.add_argument("--sources", default="ocr,truth")
    ap.add_argument("--show", default=None, help="print the files of classes whose name contains this")
    args = ap.parse_args()
    sc = load_scorer()
    for set_name in args.sets.split(","):
        for source in args.sources.split(","):
            if source == "ocr" and cache_dir(set_name) is None:
                continue
            counts: Counter[str] = Counter()
            shown: dict[str, list[str]] = defaultdict(list)
            n = 0
            for row in gold_rows(set_name):
                gold = row["fields"].get(args.field)
                if not gold or not sc.norm_text(gold):
                    continue
                pages = pages_for(set_name, row, source)
                if pages is None:
                    continue
                n += 1
                doc = parse(pages, ranker=HAND_RULES)
                f = doc.fields.get("vendor_name" if args.field == "vendor" else "vendor_address")
                pred = None if f is None else str(f.value)
                lines = build_lines(pages)
                kind = classify(sc, gold, pred, lines, args.field)
                counts[kind] += 1
                if args.show and args.show in kind:
                    top = " | ".join(ln.text for ln in lines[:6])
                    shown[kind].append(f"  {row['id'][:14]} gold={gold!r} pred={pred!r}\n      top: {top[:200]}")
            what = "a vendor" if args.field == "vendor" else "an address"
            print(f"\n{set_name} ({source}): {n} files with {what} label")
            for kind, c in counts.most_common():
                print(f"  {c:4d}  {kind}")
            for kind, items in shown.items():
                print(f"\n  -- {kind}")
                print("\n".join(items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
