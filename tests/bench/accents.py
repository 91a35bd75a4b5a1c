"""Accents read on labelled receipt lines, for each ratio the recognizer could require of an accent.

    python -m tests.bench.accents [--limit 0] [--sets sroie,wildreceipt] [--ratios 1,2,4,8,16]

The strong recognizer reads every labelled line of the dev sets (cut as
tests/bench/recognizers.py cuts them); each column's best class, its
probability and its plain letter's probability are kept, then decoded again
for every ratio (recognizer.unaccent: an accented Latin letter under `ratio`
times its plain letter's probability reads plain; ratio 1 is plain greedy
decoding, the reader before the rule). Per set and ratio:

- CER, case folded without spaces, accents counted (tests/bench/ocr_quality.normalise);
- lines exactly right;
- lines with an accent the label has not (the label has no accented letter, the reading has one);
- accented letters of the labels found in the reading (per line, each accented letter counted at
  most as often as the label has it): the accents a French or German receipt must keep;
- decode time per line: the greedy decode alone and with the accent rule, on the same model outputs.

    python -m tests.bench.accents --pages FILE_LIST [--set sroie]

reads the listed images of a set (names, one a line, under its img/ folder) as the app reads
them (detector, line crops, recognizer) and prints every accented letter the model's best
reading has, with its probability, its plain letter's, their ratio and the line as decoded
now: the ratios of the accents a detected line gets, where labelled crops show few.
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from receiptdesk.providers.local.models import STRONG_RECOGNIZER  # noqa: E402
from receiptdesk.providers.local.recognizer import Recognizer, unaccent  # noqa: E402
from tests.bench.ocr_quality import edit_distance, normalise  # noqa: E402
from tests.bench.recognizers import BATCH, DATA, dev_lines  # noqa: E402


@dataclass
class Columns:
    best: np.ndarray
    sure: np.ndarray
    plain: np.ndarray
    unmarked: np.ndarray


def accented(text: str) -> Counter[str]:
    """The Latin letters with a diacritic in `text`, case folded."""
    return Counter(
        c
        for c in text.casefold()
        if unicodedata.name(c, "").startswith("LATIN ") and unicodedata.normalize("NFD", c) != c
    )


def read_columns(rec: Recognizer, crops: list[np.ndarray]) -> tuple[list[Columns], float, float]:
    """Each crop's columns (in input order), and the seconds spent decoding without and with the rule."""
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
    out: list[Columns | None] = [None] * len(crops)
    plain_s = rule_s = 0.0
    for k in range(0, len(order), BATCH):
        chunk = order[k : k + BATCH]
        (probs,) = rec.session.run(None, {rec.input: rec.prepare([crops[i] for i in chunk])})
        probs = np.asarray(probs, dtype=np.float32)
        for turn in (k // BATCH % 2, 1 - k // BATCH % 2):  # each first in turn: neither gets the warm cache
            started = time.perf_counter()
            if turn:
                rec.decode(probs)
                rule_s += time.perf_counter() - started
            else:
                best = probs.argmax(axis=2)
                rec.collapse(best, np.take_along_axis(probs, best[:, :, None], axis=2)[:, :, 0])
                plain_s += time.perf_counter() - started
        best = probs.argmax(axis=2)
        sure = np.take_along_axis(probs, best[:, :, None], axis=2)[:, :, 0]
        plain = rec._plain[best]
        unmarked = np.take_along_axis(probs, plain[:, :, None], axis=2)[:, :, 0]
        for j, i in enumerate(chunk):
            out[i] = Columns(best[j : j + 1], sure[j : j + 1], plain[j : j + 1], unmarked[j : j + 1])
    return [c for c in out if c is not None], plain_s, rule_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="images per set (0: all)")
    ap.add_argument("--sets", default="sroie,wildreceipt")
    ap.add_argument("--ratios", default="1,1.5,2,3,4,6,8,16,64,1e9")
    ap.add_argument("--show", type=float, default=0.0, help="print the lines this ratio changes")
    ap.add_argument("--pages", type=Path, help="a list of image names to read as pages (see above)")
    ap.add_argument("--set", default="sroie", help="the set --pages names images of")
    args = ap.parse_args()
    if args.pages:
        pages(args.set, args.pages.read_text().split())
        return
    rec = Recognizer(STRONG_RECOGNIZER.find(), threads=1)
    ratios = [float(r) for r in args.ratios.split(",")]
    for set_name in args.sets.split(","):
        images = dev_lines(set_name, args.limit)
        lines = [line for image in images for line in image]
        rec.read([lines[0].crop])  # warm
        columns: list[Columns] = []
        plain_s = rule_s = 0.0
        for image in images:
            cols, p, r = read_columns(rec, [line.crop for line in image])
            columns += cols
            plain_s += p
            rule_s += r
        print(f"\n{set_name}: {len(images)} images, {len(lines)} lines")
        ms = 1000 / len(lines)
        print(f"decode ms per line: greedy {ms * plain_s:.3f}, with the rule {ms * rule_s:.3f}")
        for half, name in ((0, "even images"), (1, "odd images"), (None, "all images")):
            chosen = [i for i, line in enumerate(lines) if half is None or line.image % 2 == half]
            table(rec, name, [columns[i] for i in chosen], [lines[i].truth for i in chosen], ratios, args.show)


def table(
    rec: Recognizer, name: str, columns: list[Columns], truths: list[str], ratios: list[float], show: float
) -> None:
    label_accents = [accented(t) for t in truths]
    n_label = sum(sum(c.values()) for c in label_accents)
    n_lines = sum(bool(c) for c in label_accents)
    chars = sum(len(t) for t in truths)
    print(f"\n{name}: {len(truths)} lines, {chars} characters; ", end="")
    print(f"{n_lines} labelled lines hold {n_label} accented letters")
    print("| ratio | CER | lines exactly right | lines with an accent the label has not | label accents read |")
    print("|---|---|---|---|---|")
    baseline: list[str] = []
    for ratio in ratios:
        texts = [rec.collapse(unaccent(c.best, c.sure, c.plain, c.unmarked, ratio), c.sure)[0][0] for c in columns]
        if not baseline:
            baseline = texts
        read = [normalise(t) for t in texts]
        errors = sum(edit_distance(r, t) for r, t in zip(read, truths, strict=True))
        exact = sum(r == t for r, t in zip(read, truths, strict=True))
        spurious = sum(bool(accented(r)) and not a for r, a in zip(read, label_accents, strict=True))
        kept = sum(sum((accented(r) & a).values()) for r, a in zip(read, label_accents, strict=True))
        print(f"| {ratio:g} | {errors / chars:.4f} | {exact} | {spurious} | {kept}/{n_label} |")
        if ratio == show and name.startswith("all"):
            for before, after, t in zip(baseline, texts, truths, strict=True):
                if before != after:
                    print(f"    {before!r} -> {after!r} (label {t!r})")


def pages(set_name: str, names: list[str]) -> None:
    from receiptdesk.providers.base import RunContext
    from receiptdesk.providers.local.engine import OcrEngine, OcrSettings
    from receiptdesk.providers.local.reader import Reader
    from receiptdesk.providers.source import Source

    engine = OcrEngine(OcrSettings(rec_model="small"), threads=1)  # the strong model alone
    reader = Reader(engine)
    strong = engine._get_models().first
    decode = strong.decode
    found: list[tuple[str, float, float, str]] = []

    def noting(probs: np.ndarray) -> list[tuple[str, float, float]]:
        out = decode(probs)
        best = probs.argmax(axis=2)
        plain = strong._plain[best]
        for n, t in zip(*np.nonzero(plain != best), strict=True):
            pa, pp = float(probs[n, t, best[n, t]]), float(probs[n, t, plain[n, t]])
            found.append((strong.classes[best[n, t]], pa, pp, out[n][0]))
        return out

    strong.decode = noting  # type: ignore[method-assign]
    print("| image | letter | its probability | plain letter's | ratio | line as read |")
    print("|---|---|---|---|---|---|")
    for name in names:
        reader.read(Source.open(DATA / set_name / "img" / name), RunContext())
        for char, pa, pp, line in found:
            print(f"| {name} | {char} | {pa:.3f} | {pp:.4f} | {pa / max(pp, 1e-9):.1f} | {line} |", flush=True)
        found.clear()


if __name__ == "__main__":
    main()
