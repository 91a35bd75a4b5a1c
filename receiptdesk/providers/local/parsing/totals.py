"""The total, subtotal, tax, tip and discount, chosen by label, position and arithmetic.

Never "the largest number": a receipt prints the cash handed over, tax
summaries and running totals too. Each amount earns points for the label
before it, and more when the receipt's own arithmetic agrees with it (cash −
change, subtotal + tax + service + rounding − discount). The winner's
confidence says how clear the choice was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import product

from receiptdesk.core.document import Field
from receiptdesk.providers.local.parsing.amounts import Money, Run
from receiptdesk.providers.local.parsing.evidence import money_field
from receiptdesk.providers.local.parsing.features import Features, total_features
from receiptdesk.providers.local.parsing.labels import Label, fold
from receiptdesk.providers.local.ranking import SHOWN_UNDER_SURE, FieldModel

CENT = Decimal("0.01")
_ZERO = Decimal(0)
# Currencies written without decimals.
ZERO_DECIMAL = frozenset("JPY KRW IDR VND CLP ISK HUF TWD UGX PYG COP".split())


def _close(a: Decimal, b: Decimal, tol: Decimal = _ZERO) -> bool:
    """Printed arithmetic is exact (rounding has its own line), so by default only equal is close."""
    return abs(a - b) <= tol


@dataclass(slots=True)
class Evidence:
    """What the receipt says about its amounts, gathered from the labelled runs."""

    runs: dict[Label, list[Run]] = field(default_factory=dict)
    payment_line: int | None = None  # index of the first cash/change line
    suggestions: set[int] = field(default_factory=set)  # lines of a tip guide: amounts nobody paid

    def values(self, label: Label) -> list[Money]:
        return [m for r in self.runs.get(label, []) if (m := r.value) is not None]

    def first(self, label: Label) -> Money | None:
        vals = self.values(label)
        return vals[0] if vals else None


_GUIDE = re.compile(r"SUGGEST|GUIDE|\bTIP CALC|\bFOR YOUR CONVENIENCE")


def _tip_suggestion(runs: Sequence[Run], under_guide: bool) -> bool:
    """A row of a US restaurant's tip guide, "18% (Tip $17.09) Total $119.87" or "20%: $3.70" under its heading:
    what the tip and the bill would be, not what they are."""
    if not runs or "%" not in runs[0].line.text:
        return False
    labels = {r.label.label for r in runs}
    return under_guide or (Label.TIP in labels and Label.TOTAL in labels)


def gather(runs_by_line: Sequence[list[Run]], allow_integers: bool) -> Evidence:
    ev = Evidence()
    guide_at = -10  # the line of a "Suggested gratuity" / "Tip guide" heading: the rows under it are suggestions
    for i, runs in enumerate(runs_by_line):
        heading = bool(runs) and bool(_GUIDE.search(fold(runs[0].line.text)))
        if heading:
            guide_at = i
        suggestion = heading or _tip_suggestion(runs, i - guide_at <= 6)
        if suggestion:
            ev.suggestions.add(runs[0].line.index)
        for k, run in enumerate(runs):
            label = run.label.label
            if label in (Label.NONE, Label.TAX_ID, Label.COUNT) or (suggestion and label in (Label.TIP, Label.TOTAL)):
                continue
            if not run.amounts and k == len(runs) - 1:
                run = _value_below(run, runs_by_line, i) or run
            amounts = tuple(m for m in run.amounts if m.has_decimals or allow_integers)
            if not amounts:
                continue
            run = Run(run.line, run.label, run.label_start, run.label_end, amounts)
            ev.runs.setdefault(label, []).append(run)
    # Where the payment lines start: the first cash/change line after the first total (a "CARD"
    # in a product name above the totals is not a payment).
    totals = [r.line.index for lab in (Label.TOTAL, Label.SUBTOTAL) for r in ev.runs.get(lab, [])]
    after = min(totals) if totals else -1
    payments = [r.line.index for lab in (Label.PAID, Label.CHANGE) for r in ev.runs.get(lab, [])]
    payments = [i for i in payments if i > after] or ([] if totals else payments)
    ev.payment_line = min(payments) if payments else None
    return ev


def _value_below(run: Run, runs_by_line: Sequence[list[Run]], i: int) -> Run | None:
    """A label alone on its line whose amount was printed (or read) just below it."""
    if i + 1 >= len(runs_by_line):
        return None
    below = runs_by_line[i + 1]
    if len(below) != 1 or below[0].label.label is not Label.NONE or not below[0].amounts:
        return None
    if below[0].label_text and any(c.isalpha() for c in below[0].label_text.replace("RM", "")):
        return None
    gap = below[0].line.box.y0 - run.line.box.y1
    if gap > 1.5 * max(run.line.height, 1e-6) or below[0].line.page != run.line.page:
        return None
    return Run(run.line, run.label, run.label_start, run.label_end, below[0].amounts)


def sums(ev: Evidence, subtotal: Decimal) -> set[Decimal]:
    """Every total the receipt's parts could add up to from this subtotal."""

    def options(label: Label) -> list[Decimal]:
        vals = [m.value for m in ev.values(label)][:4]
        return [_ZERO, *vals]

    out = set()
    for tax, svc, rnd, tip, disc in product(
        options(Label.TAX), options(Label.SERVICE), options(Label.ROUNDING), options(Label.TIP), options(Label.DISCOUNT)
    ):
        out.add(subtotal + tax + svc + rnd + tip - abs(disc))
    return out


@dataclass(slots=True)
class Candidate:
    money: Money
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    run: Run | None = None

    def add(self, points: float, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)


def _candidates(all_money: Iterable[Money], allow_integers: bool) -> dict[Decimal, Candidate]:
    out: dict[Decimal, Candidate] = {}
    for m in all_money:
        if m.value == 0 or not (m.has_decimals or allow_integers):
            continue
        if m.value not in out:
            out[m.value] = Candidate(m)
    return out


@dataclass(slots=True)
class Ranked:
    """The total's candidates, each described for the ranker, and the one chosen."""

    cands: list[Candidate]
    features: list[Features]
    hand: Candidate | None  # the hand rules' choice
    chosen: Candidate | None
    confidence: float | None = None  # calibrated, when the learned model chose


def choose_total(
    ev: Evidence,
    all_money: Sequence[Money],
    allow_integers: bool,
    model: FieldModel | None = None,
    n_lines: int = 1,
) -> Ranked:
    """The hand rules' points for every amount; the learned model (when given) picks among them.

    Where the hand rules find no total at all (no label, no arithmetic, several amounts) the model
    does not either: it never falls back to guessing one of several numbers."""
    scored = _score_candidates(ev, all_money, allow_integers)
    if not scored:
        return Ranked([], [], None, None)
    hand = _best(ev, scored)
    cands = list(scored.values())
    features = total_features(ev, cands, hand, all_money, n_lines)
    if model is None or hand is None:
        return Ranked(cands, features, hand, hand)
    k, confidence, _ = model.choose(features)
    chosen = features[k]
    if chosen.get("r_only") or chosen.get("r_paid_only"):
        confidence = min(confidence, _GUESS)  # no total label, no arithmetic: shown as a guess, never as sure
    elif chosen.get("label_strength", 0.0) <= 1 and not any(v for n, v in chosen.items() if n.startswith("r_")):
        # a weak label ("Balance", "Amount") and nothing on the receipt adding up to it: out of fold 7 of 8
        # such totals were right, too few to promise the 97 in 100 that "sure" means (MODEL_CARD.md)
        confidence = min(confidence, SHOWN_UNDER_SURE)
    return Ranked(cands, features, hand, cands[k], confidence)


_GUESS = 0.45


def _best(ev: Evidence, cands: dict[Decimal, Candidate]) -> Candidate | None:
    best = max(cands.values(), key=lambda c: (c.score, c.money.value))
    if best.score <= 0:
        return _fallback(ev, cands)
    return best


def _score_candidates(ev: Evidence, all_money: Sequence[Money], allow_integers: bool) -> dict[Decimal, Candidate]:
    cands = _candidates(all_money, allow_integers)
    if not cands:
        return cands
    # labels
    total_runs = ev.runs.get(Label.TOTAL, [])
    summaries = _summary_rows(total_runs)
    before_payment = [
        r for r in total_runs if (ev.payment_line is None or r.line.index < ev.payment_line) and r not in summaries
    ]
    last_total = max(before_payment, key=lambda r: r.line.index) if before_payment else None
    for run in total_runs:
        m = run.value
        if m is None or m.value not in cands:
            continue
        c = cands[m.value]
        points = float(run.label.strength)
        if run in summaries:
            points -= 1.5  # "Total : 10.94 0.66" under a tax table: its last column is the tax
        if ev.payment_line is not None and run.line.index > ev.payment_line + 2:
            points -= 2.0  # a tax summary under the payment lines
        if "%" in run.label_text:
            points -= 1.0  # "TOTAL 6% SUPPLIES": a part, not the whole
        if run is last_total:
            points += 0.5  # the last total before the payment is the final one
        if c.run is None or points > _label_points(c):
            c.money, c.run = m, run
        c.add(points if not c.reasons else 0.5, f"label {run.label_text!r}")
    # payment arithmetic: cash - change
    paid = ev.values(Label.PAID)
    change = ev.values(Label.CHANGE)
    for p in paid:
        for ch in change:
            if ch.value > 0 and p.value > ch.value:
                v = p.value - ch.value
                for c in cands.values():
                    if _close(c.money.value, v):
                        c.add(3.0, "cash − change")
        if not any(ch.value > 0 for ch in change) and p.value in cands:
            cands[p.value].add(1.0, "paid")
    # two amounts that differ by the change: the smaller is the total, the larger was handed over
    for ch in change:
        if ch.value <= 0:
            continue
        for c in cands.values():
            if not any(_close(c.money.value + ch.value, p.value) for p in paid) and (c.money.value + ch.value) in cands:
                c.add(2.0, "amount + change handed over")
    # parts add up
    for sub in ev.values(Label.SUBTOTAL):
        made = sums(ev, sub.value)
        for c in cands.values():
            if c.money.value != sub.value and any(_close(c.money.value, s) for s in made):
                c.add(2.0, "subtotal + parts")
    # a total adjusted by rounding beats the one before rounding
    for rnd in ev.values(Label.ROUNDING):
        if rnd.value == 0:
            continue
        for c in cands.values():
            if c.run is not None and (c.money.value + rnd.value) in cands:
                cands[c.money.value + rnd.value].add(2.0, "rounded")
    return cands


def _summary_rows(total_runs: Sequence[Run]) -> list[Run]:
    """Total rows of a tax summary: several amounts, printed below a total that stands alone on its line."""
    single = [r.line.index for r in total_runs if len(r.amounts) == 1]
    if not single:
        return []
    return [r for r in total_runs if len(r.amounts) >= 2 and r.line.index > min(single)]


def _label_points(c: Candidate) -> float:
    return float(c.run.label.strength) if c.run else 0.0


def _fallback(ev: Evidence, cands: dict[Decimal, Candidate]) -> Candidate | None:
    """No label and no arithmetic: the amount paid, else the one amount a ticket prints (a toll, a
    car park), else nothing: never the largest of several numbers. Either way the total is flagged unsure."""
    paid = ev.values(Label.PAID)
    if paid:
        c = cands.get(paid[0].value)
        if c:
            c.add(0.5, "paid, no total printed")
            return c
    if len(cands) == 1:
        (c,) = cands.values()
        c.add(0.5, "the only amount on the receipt")
        return c
    return None


def _pick(ev: Evidence, label: Label, total: Decimal | None, fits: set[Decimal] | None = None) -> Money | None:
    vals = ev.values(label)
    if not vals:
        return None
    if fits:
        for m in vals:
            if any(_close(m.value, f) for f in fits):
                return m
    if total is not None:
        below = [m for m in vals if abs(m.value) <= total]
        if below:
            return below[0]
        return None
    return vals[0]


def totals_fields(ranked: Ranked, ev: Evidence, all_money: Sequence[Money]) -> dict[str, Field]:
    """total, subtotal, total_tax, tip, discount as Fields (only those found)."""
    out: dict[str, Field] = {}
    best = ranked.chosen
    total = best.money.value if best else None
    if best is not None:
        label = best.run.label_text if best.run else None
        if ranked.confidence is not None:  # calibrated on held-out folds, OCR score included
            out["total"] = replace(money_field(best.money, 1.0, label), confidence=round(ranked.confidence, 4))
        else:
            sure = min(0.99, 0.2 + 0.17 * best.score)  # a weak label alone ~0.45, label and arithmetic ~0.95
            out["total"] = money_field(best.money, sure, label)
    # subtotal: the one that, with the other parts, makes the total
    subtotal = None
    subs = ev.values(Label.SUBTOTAL)
    if subs:
        fitting = [m for m in subs if total is not None and any(_close(total, s) for s in sums(ev, m.value))]
        subtotal = fitting[0] if fitting else _pick(ev, Label.SUBTOTAL, total)
        if subtotal is not None:
            out["subtotal"] = money_field(subtotal, 0.9 if fitting else 0.6, _label_of(ev, subtotal))
    fits: set[Decimal] = set()
    if total is not None and subtotal is not None:
        fits = {total - subtotal.value}
    tax = _pick(ev, Label.TAX, total, fits)
    if tax is not None and total is not None and tax.value == total and total != 0:
        tax = None  # "Gross incl. VAT 12.00" under another name: the total again, not its tax
    if tax is not None:
        out["total_tax"] = money_field(
            tax, 0.9 if fits and _close(tax.value, next(iter(fits))) else 0.6, _label_of(ev, tax)
        )
    parts: dict[str, Money] = {}
    for name, label in (("tip", Label.TIP), ("discount", Label.DISCOUNT)):
        m = _pick(ev, label, total)
        # a tip or discount is part of the bill, above its payment ("discount on purchases of
        # $5.00" under the change is an offer for next time)
        if m is not None and m.value != 0 and (ev.payment_line is None or m.line.index < ev.payment_line):
            out[name] = money_field(m, 0.6, _label_of(ev, m))
            parts[name] = m
    if subtotal is None and total is not None:
        found = _unlabelled_subtotal(all_money, total, tax, parts)
        if found is not None:
            printed = found.line.text[: found.start].strip(" :.-") or None
            out["subtotal"] = money_field(found, 0.75, printed)
    return out


def _unlabelled_subtotal(
    all_money: Sequence[Money], total: Decimal, tax: Money | None, parts: dict[str, Money]
) -> Money | None:
    """The amount above the tax, tip or discount that, with them, makes the total.

    Many receipts print the sum before tax under another name ("Item Total", "FOOD",
    "Eat In") or a name OCR garbled; the arithmetic names it. A tax the total
    includes ("Incl. VAT 22.82") is not added: then the discount or tip alone
    must account for the difference."""
    tip = parts["tip"].value if "tip" in parts else Decimal(0)
    discount = abs(parts["discount"].value) if "discount" in parts else Decimal(0)
    targets = [total - tax.value - tip + discount] if tax is not None and tax.value > 0 else []
    if parts:
        targets.append(total - tip + discount)
    if not targets:
        return None
    first = min(m.line.index for m in [*parts.values(), *([tax] if tax is not None else [])])
    for target in targets:
        if target <= 0 or target == total:
            continue
        above = [m for m in all_money if m.has_decimals and m.line.index < first and m.value == target]
        if above:
            return above[-1]
    return None


def _label_of(ev: Evidence, m: Money) -> str | None:
    for runs in ev.runs.values():
        for r in runs:
            if r.value is m:
                return r.label_text
    return None
