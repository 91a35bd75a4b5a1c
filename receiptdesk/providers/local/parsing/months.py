"""Month names in every language CLDR knows ("14. maaliskuuta 2024", "14 Mart 2024", "14. března 2024").

core/dates.py reads the month names of the languages receipts are most often printed in. The rest
come from Babel's CLDR data: every language's wide and abbreviated names, in both grammatical forms,
accents folded, keeping only names that mean one month in every language ("listopad" is November in
Polish and October in Croatian: left out). Loading all of CLDR takes seconds, so the table is built
once by `cldr_month_names()` and committed as model/months.json (a test checks it still matches).
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

from receiptdesk.core.dates import DateMatch

MONTHS_PATH = Path(__file__).resolve().parents[1] / "model" / "months.json"


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in folded if not unicodedata.combining(c)).strip(".")


def cldr_month_names() -> dict[str, int]:
    """Every unambiguous month name of every CLDR language, folded (slow: reads all of CLDR)."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    seen: dict[str, set[int]] = {}
    for ident in sorted(locale_identifiers()):
        if "_" in ident:
            continue  # a language's names, not each country's copy of them
        loc = Locale.parse(ident)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in loc.months.get(context, {}).get(width, {}).items():
                    key = _key(name)
                    if len(key) >= 3 and not any(c.isdigit() for c in key):
                        seen.setdefault(key, set()).add(int(number))
    return {k: next(iter(v)) for k, v in sorted(seen.items()) if len(v) == 1}


@cache
def month_names() -> dict[str, int]:
    try:
        data: dict[str, int] = json.loads(MONTHS_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return data


# A named month between a day and a four-digit year ("14. maaliskuuta 2024", "14 de marzo de 2024"),
# or before them ("Mart 14, 2024"). Only four-digit years: short words that are a month somewhere
# ("set", "out") stand beside small numbers on receipts too.
_WORD = r"(?P<m>[^\W\d_]{3,}\.?)"
_DAY_FIRST = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.?\s*(?:de\s+)?" + _WORD + r",?\s*(?:de\s+)?(?P<y>(?:19|20)\d{2})(?!\d)"
)
_MONTH_FIRST = re.compile(r"(?<![^\W\d_])" + _WORD + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d{2})(?!\d)")


def find_named_dates(text: str) -> list[DateMatch]:
    """Dates written with a month name from CLDR, left to right."""
    names = month_names()
    found = []
    for rx in (_DAY_FIRST, _MONTH_FIRST):
        for m in rx.finditer(text):
            month = names.get(_key(m["m"]))
            if month is None:
                continue
            try:
                value = date(int(m["y"]), month, int(m["d"]))
            except ValueError:
                continue
            found.append(DateMatch(m.start(), m.end(), value, None))
    return sorted(found, key=lambda dm: dm.start)
