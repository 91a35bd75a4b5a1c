"""Dates as printed on receipts, read into `datetime.date`, ambiguity kept.

03/04/2024 is the 3rd of April in most of the world and March 4th in the
US. We never guess silently: a reading that could go both ways says so
(`alternatives`), and the caller decides from the rest of the document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class DateOrder(StrEnum):
    DMY = "DMY"
    MDY = "MDY"
    YMD = "YMD"


# Month names and common abbreviations in the languages receipts are most
# often printed in (accents removed, lower case).
_MONTHS: dict[str, int] = {}


def _add(month: int, *names: str) -> None:
    for name in names:
        _MONTHS[name] = month


_add(
    1,
    "jan",
    "january",
    "janvier",
    "janv",
    "januar",
    "jaenner",
    "janner",
    "enero",
    "ene",
    "gennaio",
    "gen",
    "janeiro",
    "januari",
    "stycznia",
    "styczen",
    "sty",
    "januar",
    "tammikuu",
)
_add(
    2,
    "feb",
    "february",
    "fevrier",
    "fev",
    "fevr",
    "februar",
    "febrero",
    "febbraio",
    "fevereiro",
    "februari",
    "lutego",
    "luty",
    "lut",
    "febr",
)
_add(
    3,
    "mar",
    "march",
    "mars",
    "marz",
    "maerz",
    "marzo",
    "marco",
    "maart",
    "mrt",
    "mac",
    "mars",
    "marca",
    "marzec",
    "mart",
)
_add(4, "apr", "april", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "kwi", "avril")
_add(5, "may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "maj")
_add(6, "jun", "june", "juin", "juni", "junio", "giugno", "giu", "junho", "czerwca", "cze")
_add(7, "jul", "july", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho", "lipca", "lip")
_add(8, "aug", "august", "aout", "augustus", "agosto", "ago", "ogos", "sierpnia", "sie", "augusti")
_add(
    9,
    "sep",
    "sept",
    "september",
    "septembre",
    "septiembre",
    "settembre",
    "set",
    "setembro",
    "wrzesnia",
    "wrz",
    "september",
)
_add(
    10,
    "oct",
    "october",
    "octobre",
    "oktober",
    "okt",
    "octubre",
    "ottobre",
    "ott",
    "outubro",
    "out",
    "pazdziernika",
    "paz",
)
_add(11, "nov", "november", "novembre", "noviembre", "novembro", "listopada", "lis")
_add(
    12,
    "dec",
    "december",
    "decembre",
    "dezember",
    "dez",
    "diciembre",
    "dic",
    "dicembre",
    "dezembro",
    "dis",
    "disember",
    "grudnia",
    "gru",
    "desember",
    "des",
)

_LETTERS = r"[^\W\d_]"
_NUMERIC = re.compile(
    r"(?<![\d])(?P<a>\d{1,4})(?P<sep>[./\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{4}|\d{2})"
    r"(?:(?![\d])|(?=\d{1,2}:\d{2}))"  # "09/03/20184:21PM": the time was glued on
)
_ISO_COMPACT_SPACES = re.compile(r"(?<![\d])(?P<a>\d{4})\s?[./\-]\s?(?P<b>\d{1,2})\s?[./\-]\s?(?P<c>\d{1,2})(?![\d])")
# A day glued to a code ("S#1 Jul.30'11", "KS#3 Oct.10'15") is not a day; years may follow an
# apostrophe or an acute accent ("27Dec´16").
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\d#])(?<!{_LETTERS})(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.|º)?[\s\-/.,]*(?:de\s+)?"
    rf"(?<!{_LETTERS})(?P<m>{_LETTERS}{{3,11}})(?!{_LETTERS})\.?[\s\-/.,'´’`]*(?:de\s+|del\s+)?"
    rf"(?P<y>\d{{4}}|\d{{2}})(?![\d]|:\d)"  # not the hour of "MAR-14 12:34"
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!{_LETTERS})(?P<m>{_LETTERS}{{3,11}})\.?[\s\-/.]*(?P<d>\d{{1,2}})(?![\d])(?:st|nd|rd|th)?"
    rf"[\s,.\-/'´’`]*(?P<y>\d{{4}}|\d{{2}})(?![\d]|:\d)"  # not the hour of "MAR-14 12:34"
)

MIN_YEAR = 1970
MAX_YEAR = 2099


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    value: date
    order: DateOrder | None  # the order used for a numeric date; None for a named month
    alternatives: tuple[date, ...] = field(default=())  # other valid readings

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


def month_number(name: str) -> int | None:
    return _MONTHS.get(_fold(name).rstrip("."))


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


# A Buddhist-era year (Thai receipts: 14/03/2567 is 2024): 543 years ahead, and no Common-era receipt is dated so.
_BUDDHIST_ERA = range(2513, 2643)


def _make(y: int, m: int, d: int) -> date | None:
    if y in _BUDDHIST_ERA:
        y -= 543
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _numeric(a: str, b: str, c: str, prefer: DateOrder) -> tuple[date, DateOrder, tuple[date, ...]] | None:
    if len(a) == 4:  # 2024-03-04: year first is never month/day swapped in practice
        d = _make(int(a), int(b), int(c))
        return (d, DateOrder.YMD, ()) if d else None
    if len(a) == 3:
        return None
    y = _year(c)
    readings: dict[DateOrder, date] = {}
    for order, (mm, dd) in ((DateOrder.DMY, (b, a)), (DateOrder.MDY, (a, b))):
        d = _make(y, int(mm), int(dd))
        if d:
            readings[order] = d
    if not readings:
        return None
    first = prefer if prefer in readings else next(iter(readings))
    value = readings[first]
    others = tuple(v for o, v in readings.items() if o is not first and v != value)
    return value, first, others


# Chinese, Japanese and Korean dates: 2024年3月14日, 2024년 3월 14일 (always year, month, day).
_CJK = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?")

# Japanese era years: 令和6年3月14日 is 2024 (令和元年 its first year, 2019), 平成31年 is 2019.
_ERA_START = {"令和": 2018, "平成": 1988}
_ERA = re.compile(r"(?P<era>令和|平成)\s*(?P<y>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?")
# ... and as tills abbreviate the present era: R6.3.14, R06/03/14 (Reiwa)
_ERA_SHORT = re.compile(
    r"(?<![A-Za-z\d])(?P<era>R)(?P<y>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
)
_ERA_LETTER = {"R": "令和"}
# Year first with a month's name: "2024-MAR-14", "2024 Mar 14"
_YEAR_MONTH_DAY = re.compile(
    rf"(?<![\d])(?P<y>(?:19|20)\d{{2}})[\s\-/.]+(?P<m>{_LETTERS}{{3,11}})\.?[\s\-/.]+(?P<d>\d{{1,2}})(?![\d])"
)
# Day, month and year with a space after each dot, as Czech and Slovak write them: "14. 3. 2024"
_SPACED_DOTS = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.\s(?P<m>\d{1,2})\.\s(?P<y>(?:19|20)\d{2})(?!\d)")


def _fixed_order_dates(text: str) -> list[DateMatch]:
    """Dates whose form says their order: Chinese, Japanese and Korean, Japanese era years, "14. 3. 2024"."""
    found = []
    for m in _CJK.finditer(text):
        d = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            found.append(DateMatch(m.start(), m.end(), d, DateOrder.YMD))
    for m in (*_ERA.finditer(text), *_ERA_SHORT.finditer(text)):
        era = _ERA_LETTER.get(m["era"], m["era"])
        year = _ERA_START[era] + (1 if m["y"] == "元" else int(m["y"]))
        d = _make(year, int(m["m"]), int(m["d"])) if year <= _ERA_START[era] + 31 else None
        if d:
            found.append(DateMatch(m.start(), m.end(), d, DateOrder.YMD))
    for m in _SPACED_DOTS.finditer(text):
        d = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            found.append(DateMatch(m.start(), m.end(), d, DateOrder.DMY))
    return found


def find_dates(text: str, *, order: DateOrder | None = None) -> list[DateMatch]:
    """Every date in the text, left to right; `order` is the preferred reading of n/n/n."""
    prefer = order if order in (DateOrder.DMY, DateOrder.MDY) else DateOrder.DMY
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    for dm in _fixed_order_dates(text):
        found.append(dm)
        taken.append((dm.start, dm.end))
    for m in _NUMERIC.finditer(text):
        r = _numeric(m["a"], m["b"], m["c"], prefer)
        if r and free(m.start(), m.end()):
            found.append(DateMatch(m.start(), m.end(), r[0], r[1], r[2]))
            taken.append((m.start(), m.end()))
    for m in _ISO_COMPACT_SPACES.finditer(text):
        d = _make(int(m["a"]), int(m["b"]), int(m["c"]))
        if d and free(m.start(), m.end()):
            found.append(DateMatch(m.start(), m.end(), d, DateOrder.YMD))
            taken.append((m.start(), m.end()))
    for rx in (_YEAR_MONTH_DAY, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for m in rx.finditer(text):
            month = month_number(m["m"])
            if month is None or not free(m.start(), m.end()):
                continue
            d = _make(_year(m["y"]), month, int(m["d"]))
            if d:
                found.append(DateMatch(m.start(), m.end(), d, None))
                taken.append((m.start(), m.end()))
    found.sort(key=lambda dm: dm.start)
    return found


def parse_date(text: str | None, *, order: DateOrder | None = None) -> DateMatch | None:
    """The first date in a value string ("12/07/2019", "Thursday, 26 March 2020")."""
    if not text:
        return None
    found = find_dates(text, order=order)
    return found[0] if found else None


_TIME = re.compile(r"(?<![\d])(?P<h>[01]?\d|2[0-3])[:.h](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ap>[AaPp]\.?[Mm]\.?)?")


def parse_time(text: str | None) -> str | None:
    """A time of day as "HH:MM" or "HH:MM:SS" (24 h), or None."""
    if not text:
        return None
    m = _TIME.search(text)
    if not m:
        return None
    h = int(m["h"])
    ap = (m["ap"] or "").lower().replace(".", "")
    if ap == "pm" and h < 12:
        h += 12
    elif ap == "am" and h == 12:
        h = 0
    return f"{h:02d}:{m['m']}" + (f":{m['s']}" if m["s"] else "")
