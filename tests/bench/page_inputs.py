"""PageText inputs for the parser benchmarks, without running OCR.

Three sources: the ground-truth word boxes that come with the labelled sets
(SROIE `box/*.txt`, WildReceipt `box/*.json`), cached reader output (a JSON
list of PageText dicts per file, as the local reader writes it under
/work/cache/ocr/<set>/), and plain-text invoices read as the app reads them.
Only the benchmarks use this; nothing here ships in the package.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PIL import Image

from receiptdesk.core.geometry import Box
from receiptdesk.providers.local.reader import text_file_pages
from receiptdesk.providers.local.words import PageText, Word
from receiptdesk.providers.source import Source

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"  # the one scorer every figure comes from
DATA = SHARED / "data"

SETS: dict[str, Path] = {
    "sroie": DATA / "receipts" / "sroie" / "sroie-dev.jsonl",
    "wildreceipt": DATA / "receipts" / "wildreceipt" / "wildreceipt-dev.jsonl",
    "invoice2data": DATA / "invoices" / "invoice2data" / "invoice2data.jsonl",
}
# Sets nothing in the parser was tuned on (text only: ground-truth lines, no images to OCR):
# their figures are the hand rules' held-out ones.
HELD_OUT: dict[str, Path] = {
    "sroie-train": DATA / "receipts" / "sroie-train-text" / "sroie-train-text.jsonl",
}
ALL_SETS: dict[str, Path] = {**SETS, **HELD_OUT}

# Reader output caches, first found wins: the reader's own, then a parser-side one made with RapidOCR defaults.
CACHE_DIRS = [
    Path(p)
    for p in os.environ.get("RECEIPTDESK_OCR_CACHE", "/work/cache/ocr:/work/cache/ocr-parser-own").split(":")
    if p
]


def gold_rows(set_name: str) -> list[dict[str, Any]]:
    path = ALL_SETS[set_name]
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def set_dir(set_name: str) -> Path:
    return ALL_SETS[set_name].parent


def _word(text: str, xs: list[float], ys: list[float], w: float, h: float, conf: float = 1.0) -> Word | None:
    if not text.strip():
        return None
    return Word(text, Box.from_points(xs, ys, w, h), conf, 1)


def sroie_truth(row: dict[str, Any], set_name: str = "sroie") -> list[PageText]:
    """SROIE's ground-truth lines; a receipt without its image (sroie-train-text) is as wide and tall as its text
    plus a margin."""
    folder = set_dir(set_name)
    rows = []
    for raw in (folder / row["ocr_gt"]).read_text(encoding="utf-8", errors="replace").splitlines():
        parts = raw.split(",", 8)
        if len(parts) >= 9:
            rows.append(([float(v) for v in parts[:8]], parts[8]))
    if row.get("image"):
        with Image.open(folder / row["image"]) as img:
            width, height = img.size
    else:
        width = max((max(c[0::2]) for c, _ in rows), default=1.0) * 1.05
        height = max((max(c[1::2]) for c, _ in rows), default=1.0) * 1.05
    words = []
    for coords, text in rows:
        w = _word(text, coords[0::2], coords[1::2], width, height)
        if w:
            words.append(w)
    return [PageText(1, width, height, "pixel", words)]


def wild_truth(row: dict[str, Any]) -> list[PageText]:
    data = json.loads((set_dir("wildreceipt") / row["ocr_gt"]).read_text())
    width, height = float(data["width"]), float(data["height"])
    words = []
    for item in data["words"]:
        coords = [float(v) for v in item["box"]]
        w = _word(item.get("text") or "", coords[0::2], coords[1::2], width, height)
        if w:
            words.append(w)
    return [PageText(1, width, height, "pixel", words)]


def _page_from_dict(d: dict[str, Any]) -> PageText:
    number = int(d.get("number", 1))
    words = []
    for w in d.get("words", []):
        box = w["box"]
        if isinstance(box, dict):
            b = Box(float(box["x0"]), float(box["y0"]), float(box["x1"]), float(box["y1"]))
        else:
            b = Box(*(float(v) for v in box))
        words.append(Word(w["text"], b, float(w.get("confidence", 1.0)), int(w.get("page", number))))
    return PageText(
        number,
        float(d.get("width", 1)),
        float(d.get("height", 1)),
        d.get("unit", "pixel"),
        words,
        bool(d.get("from_text_layer", False)),
    )


def cache_dir(set_name: str) -> Path | None:
    """The first cache that holds this set (never a mix of two readers' output)."""
    for base in CACHE_DIRS:
        if (base / set_name).is_dir():
            return base / set_name
    return None


def cached(set_name: str, file_name: str) -> list[PageText] | None:
    folder = cache_dir(set_name)
    if folder is None:
        return None
    for cand in (folder / f"{file_name}.json", folder / f"{Path(file_name).stem}.json"):
        if cand.is_file():
            data = json.loads(cand.read_text())
            if isinstance(data, dict):
                data = data.get("pages", [])
            return [_page_from_dict(p) for p in data]
    return None


def pages_for(set_name: str, row: dict[str, Any], source: str) -> list[PageText] | None:
    """The PageTexts of one labelled file: `source` is "truth" (ground-truth boxes) or "ocr" (cached reader output)."""
    name = Path(row["image"] or row["ocr_gt"]).name
    if row["image"] and name.endswith(".txt"):  # read as the app reads a text file
        return text_file_pages(Source.open(set_dir(set_name) / row["image"]))
    if source == "truth":
        if set_name in ("sroie", "sroie-train"):
            return sroie_truth(row, set_name)
        if set_name == "wildreceipt":
            return wild_truth(row)
        return None
    return cached(set_name, name)


def load_scorer() -> Any:
    """../shared/tools/score_extraction.py as a module, for its normalisation."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
