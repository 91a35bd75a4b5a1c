"""After a document is read: a suggested category, and whether it may be a copy of another.

`page_hash` draws the first page (through the page cache the viewer shares) and
reduces it to a difference hash: the same receipt photographed, scanned again
or saved as another PDF gives nearly the same bits. It reads files, so it runs
on the render lane; `organize` is the quick database step after it.
"""

from __future__ import annotations

import re
from pathlib import Path

from receiptdesk.core.document import Document
from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.services.rendering import PageRenderer
from receiptdesk.store import organize
from receiptdesk.store.library import Library

HASH_SIDE = 16  # 16 x 16 differences: 256 bits
MIN_EDGES = 16  # bits set below which a page is too plain to compare by its looks

# Words on a receipt that say what kind of expense it is, in the names of the default categories.
# Generic words only (never a shop's name), matched as whole words in the vendor's name and the items.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "Fuel": ("fuel", "petrol", "diesel", "unleaded", "gasoline", "benzin", "litres", "liters"),
    "Lodging": ("hotel", "motel", "hostel", "inn", "lodge", "room charge", "accommodation", "overnight"),
    "Travel": ("airline", "airlines", "airport", "flight", "boarding", "taxi", "cab", "railway", "train",
               "ticket", "parking", "toll", "bus fare", "car rental"),
    "Meals": ("restaurant", "cafe", "café", "coffee", "bistro", "grill", "pizza", "pizzeria", "burger",
              "sushi", "kitchen", "diner", "bakery", "latte", "cappuccino", "espresso", "gratuity",
              "dine in", "take away", "takeaway"),
    "Groceries": ("supermarket", "grocery", "groceries", "market", "mart", "milk", "bread", "eggs", "butter",
                  "banana", "bananas", "vegetables", "fruit"),
    "Office supplies": ("stationery", "office", "paper", "toner", "envelopes", "stapler", "pens",
                        "notebook", "printer"),
    "Software": ("software", "licence", "license", "subscription", "saas", "cloud", "app store"),
    "Phone and internet": ("mobile", "broadband", "internet", "telecom", "data plan", "phone bill"),
    "Utilities": ("electricity", "water bill", "gas bill", "energy", "kwh", "utility"),
    "Health": ("pharmacy", "chemist", "clinic", "medical", "dental", "doctor", "hospital"),
}  # fmt: skip
_PATTERNS = {
    name: re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    for name, words in CATEGORY_WORDS.items()
}


def suggest_category(document: Document, known: list[str]) -> str | None:
    """The category whose words appear most in the vendor's name (counted twice) and the items.

    Only categories the user still has are suggested; None when no word says anything."""
    vendor = str(document.value("vendor_name") or "")
    items = " ".join(str(f.value) for item in document.line_items for f in item.fields.values() if f.value)
    scores: dict[str, int] = {}
    for name, pattern in _PATTERNS.items():
        score = 2 * len(pattern.findall(vendor)) + len(pattern.findall(items))
        if score:
            scores[name] = score
    allowed = {k.casefold(): k for k in known}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    for name, _ in ranked:
        if name.casefold() in allowed:
            return allowed[name.casefold()]
    return None


def difference_hash(png: Path) -> str:
    """A 256-bit dHash of a picture: each bit says whether a cell is brighter than its right neighbour."""
    from PIL import Image

    with Image.open(png) as img:
        small = img.convert("L").resize((HASH_SIDE + 1, HASH_SIDE), Image.Resampling.LANCZOS)
        px = list(small.tobytes())  # one byte a pixel in mode L
    bits = 0
    for y in range(HASH_SIDE):
        row = px[y * (HASH_SIDE + 1) : (y + 1) * (HASH_SIDE + 1)]
        for x in range(HASH_SIDE):
            bits = (bits << 1) | (row[x] > row[x + 1])
    return f"{bits:0{HASH_SIDE * HASH_SIDE // 4}x}"


def page_hash(renderer: PageRenderer, original: Path) -> str | None:
    """The first page's hash, or None for a file that cannot be drawn or a plain page (compared by values only)."""
    try:
        found = difference_hash(renderer.page(original, 1).path)
    except (ReceiptDeskError, OSError, ValueError):  # a damaged file: its own reading reports that
        return None
    # A blank or plain page has (almost) no edges: every such page would look like every other.
    return found if int(found, 16).bit_count() >= MIN_EDGES else None


def starts_the_file(library: Library, doc_id: int) -> bool:
    """Whether the document begins on the original's first page (the page the hash is drawn from)."""
    s = library.summary(doc_id)
    return s.part <= 1 and (s.pages is None or s.pages.split("-")[0].strip() in ("", "1"))


def organize_file(library: Library, doc_id: int, hash_of_page: str | None) -> list[int]:
    """After a reading of a file: the document and every part cut from the same file (a PDF of three
    receipts), the page's hash kept only on the one that begins on that page. Returns their ids."""
    parts = library.parts_of(doc_id) or [doc_id]
    for part in parts:
        organize_read(library, part, hash_of_page if starts_the_file(library, part) else None)
    return parts


def organize_read(library: Library, doc_id: int, hash_of_page: str | None) -> None:
    """Suggest a category from the current values and mark a possible duplicate (the db lane)."""
    record = library.get(doc_id)
    if record.current is not None:
        organize.suggest_category(library.db, doc_id, suggest_category(record.current, organize.categories(library.db)))
    organize.mark_duplicate(library.db, doc_id, hash_of_page)
