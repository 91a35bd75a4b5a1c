"""Whether a document read needs a person's look, and why, in the user's words.

The reader marks a document "Needs review" when a key value is missing, an
arithmetic or date check does not hold, or a key value was read unsure; the
user marks it "Reviewed". A value the user typed is sure by definition.
"""

from __future__ import annotations

from receiptdesk.core.document import Document
from receiptdesk.core.fields import FIELDS

MUST_HAVE = ("vendor_name", "date", "total")
UNSURE = 0.6  # below this a key value is read unsure (the editor marks the same)
# From this a value is shown as sure (in the editor's "OK" colour): such values must be right at least 97
# times in 100, and the offline reader's confidences keep to that (providers/local/ranking.py).
SURE = 0.9
NEEDS_REVIEW = "needs_review"
REVIEWED = "reviewed"


def review_reasons(doc: Document) -> list[str]:
    reasons = [f"No {FIELDS[name].label.lower()} was found." for name in MUST_HAVE if doc.fields.get(name) is None
               or doc.fields[name].empty]  # fmt: skip
    reasons += [c.message for c in doc.checks if c.status != "ok"]
    for name in MUST_HAVE:
        f = doc.fields.get(name)
        if f is None or f.empty or "edited" in f.flags:
            continue
        if f.confidence < UNSURE or "low_confidence" in f.flags or "ambiguous_date" in f.flags:
            reasons.append(f"The {FIELDS[name].label.lower()} was read unsure.")
    reasons += list(doc.warnings)  # a cloud reading that says it is partial
    return reasons


def verdict(doc: Document | None, current: str | None) -> str | None:
    """The review mark after a change: the user's "Reviewed" stands; otherwise the reader's say."""
    if current == REVIEWED:
        return REVIEWED
    return NEEDS_REVIEW if doc is None or review_reasons(doc) else None
