"""Character error rate of an OCR reading against the labelled text lines of a dev set.

Each labelled box (a SROIE line, a WildReceipt word) is compared with what
the engine read inside it, with spaces dropped (WildReceipt's labels have
none), case folded (many SROIE labels are capitals whatever the print) and
dot leaders counted once. The engine is charged for what it misread, missed
or invented where there is labelled text, not for how it cut or ordered lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from receiptdesk.providers.local.imaging import to_page_box
from receiptdesk.providers.local.words import PageText

_RUNS = re.compile(r"([^\w])\1+")

# (text, x0, y0, x1, y1) in pixels of the image
Item = tuple[str, float, float, float, float]


def sroie_truth(box_file: Path) -> list[Item]:
    items: list[Item] = []
    for line in box_file.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(",", 8)
        if len(parts) < 9 or not parts[8].strip():
            continue
        xs = [float(v) for v in parts[0:8:2]]
        ys = [float(v) for v in parts[1:8:2]]
        items.append((parts[8], min(xs), min(ys), max(xs), max(ys)))
    return items


def wildreceipt_truth(box_file: Path) -> list[Item]:
    data = json.loads(box_file.read_text(encoding="utf-8"))
    items: list[Item] = []
    for w in data["words"]:
        if not w["text"].strip():
            continue
        xs, ys = w["box"][0::2], w["box"][1::2]
        items.append((w["text"], min(xs), min(ys), max(xs), max(ys)))
    return items


def layout(items: Sequence[Item]) -> str:
    """Rows top to bottom (an item joins a row when its centre is within half a line of it), left to right."""
    if not items:
        return ""
    heights = sorted(max(1.0, i[4] - i[2]) for i in items)
    tol = heights[len(heights) // 2] * 0.5
    rows: list[list[Item]] = []
    row_cy: list[float] = []
    for it in sorted(items, key=lambda i: (i[2] + i[4]) / 2):
        cy = (it[2] + it[4]) / 2
        if rows and abs(cy - row_cy[-1]) <= tol:
            rows[-1].append(it)
            row_cy[-1] = sum((i[2] + i[4]) / 2 for i in rows[-1]) / len(rows[-1])
        else:
            rows.append([it])
            row_cy.append(cy)
    lines = ["".join(i[0] for i in sorted(r, key=lambda i: i[1])) for r in rows]
    return "\n".join(normalise(line) for line in lines)


def normalise(text: str) -> str:
    """Case folded, spaces dropped, runs of one punctuation mark as one (labels count dot leaders freely)."""
    return _RUNS.sub(r"\1", "".join(text.split()).casefold())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (pages are a few thousand characters)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    bb = np.array([ord(c) for c in b], dtype=np.int64)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    prev = idx.copy()
    for i, ca in enumerate(a, 1):
        cur = np.empty_like(prev)
        cur[0] = i
        np.minimum(prev[1:] + 1, prev[:-1] + (bb != ord(ca)), out=cur[1:])
        prev = np.minimum.accumulate(cur - idx) + idx
    return int(prev[-1])


def page_errors(predicted: Sequence[Item], truth: Sequence[Item]) -> tuple[int, int]:
    """(character errors, characters in the truth) for one page.

    Every character read is placed along its line (by its position in the
    text) and given to the one labelled box that holds it best: within the
    box's width, and overlapping the most of its height. Each labelled box is
    then compared with the characters it was given. Text the labels leave out
    (WildReceipt labels only some words) is not held against the engine;
    misreadings, misses and inventions where there is labelled text are.
    """
    got: list[list[tuple[float, str]]] = [[] for _ in truth]
    for ptext, px0, py0, px1, py1 in predicted:
        if not ptext:
            continue
        rows = []
        for k, (_, gx0, gy0, gx1, gy1) in enumerate(truth):
            overlap = min(gy1, py1) - max(gy0, py0)
            if overlap > 0.4 * min(gy1 - gy0, py1 - py0):
                rows.append((overlap / max(gy1 - gy0, 1e-6), k, gx0, gx1))
        if not rows:
            continue
        rows.sort(reverse=True)
        step = (px1 - px0) / len(ptext)
        for i, ch in enumerate(ptext):
            x = px0 + (i + 0.5) * step
            for _, k, gx0, gx1 in rows:
                if gx0 - 0.3 * step <= x <= gx1 + 0.3 * step:
                    got[k].append((x, ch))
                    break
    errors = chars = 0
    for (text, *_), mine in zip(truth, got, strict=True):
        want = normalise(text)
        if want:
            errors += edit_distance(normalise("".join(ch for _, ch in sorted(mine))), want)
            chars += len(want)
    return errors, chars


def page_items(page: PageText, width: float, height: float) -> list[Item]:
    """A page's words as items in the pixels of the image as the user sees it (reading frame undone)."""
    items: list[Item] = []
    rw, rh = (height, width) if page.rotation in (90, 270) else (width, height)
    for w in page.words:
        b = to_page_box(w.box, page.rotation, page.skew, rw, rh)
        items.append((w.text, b.x0 * width, b.y0 * height, b.x1 * width, b.y1 * height))
    return items


def truth_for(image: Path) -> list[Item]:
    """The labelled lines of a dev image (sroie/img/X.jpg -> sroie/box/X.txt, wildreceipt -> box/X.json)."""
    box_dir = image.parent.parent / "box"
    if (box_dir / f"{image.stem}.txt").exists():
        return sroie_truth(box_dir / f"{image.stem}.txt")
    return wildreceipt_truth(box_dir / f"{image.stem}.json")
