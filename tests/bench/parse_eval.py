"""Score the offline parser on the labelled sets, from word boxes, in seconds (no OCR).

    python tests/bench/parse_eval.py SET [--source truth|ocr] [--half A|B|all] [--errors [FIELD]] [--out PRED]
    python tests/bench/parse_eval.py table        # every set, both sources, both halves, one table

SET is sroie, wildreceipt or invoice2data. `--source truth` parses the sets'
own ground-truth word boxes; `--source ocr` parses cached reader output
(RapidOCR: the first of $RECEIPTDESK_OCR_CACHE, default /work/cache/ocr then
/work/cache/ocr-parser-own, that holds the set; see tests/bench/page_inputs.py). The
files are split in two fixed halves by a hash of their id: tune on A, check
on B. Predictions are written as `receiptdesk extract --format jsonl` writes
them and scored with ../shared/tools/score_extraction.py, the one scorer.
`--errors` lists every wrong or missing field, gold beside predicted, after
the scorer's own normalisation, grouped so the largest error classes show.

Which figures are honest: the committed ranker (model/ranker.json) was trained on
sroie, sroie-train and wildreceipt, and the hand rules were tuned on sroie and
wildreceipt, so figures here on those sets are DEV figures. `--hand` parses with
the hand rules alone; `sroie-train --hand` is the hand rules' held-out figure
(426 receipts nothing was tuned on). The learned ranker's honest figures are
cross-validated: `python -m tests.bench.train_ranker --cv-only`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from receiptdesk.providers.local.item_model import ItemModel
from receiptdesk.providers.local.parser import parse
from receiptdesk.providers.local.ranking import HAND_RULES, Ranker
from tests.bench.page_inputs import ALL_SETS, SCORER, SETS, cache_dir, gold_rows, load_scorer, pages_for, set_dir

FIELDS = {
    "vendor": "vendor_name",
    "address": "vendor_address",
    "date": "date",
    "total": "total",
    "subtotal": "subtotal",
    "tax": "total_tax",
}


def half_of(doc_id: str) -> str:
    return "A" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "B"


def predict(
    set_name: str,
    source: str,
    half: str,
    out_dir: Path,
    ranker: Ranker | None = None,
    only: set[str] | None = None,
    items_model: ItemModel | None = None,
) -> tuple[Path, Path, list[dict[str, Any]], float]:
    """Parse every file of a set (one half, or the ids in `only`) and write gold and predictions beside each other."""
    rows = [
        r
        for r in gold_rows(set_name)
        if (half == "all" or half_of(r["id"]) == half) and (only is None or r["id"] in only)
    ]
    tag = ("" if ranker is None else f"-{ranker.version}") + ("" if items_model is None else f"-i{items_model.version}")
    gold_path = out_dir / f"{set_name}-{source}-{half}{tag}-gold.jsonl"
    pred_path = out_dir / f"{set_name}-{source}-{half}{tag}-pred.jsonl"
    kept = []
    started = time.perf_counter()
    with pred_path.open("w") as out:
        for row in rows:
            pages = pages_for(set_name, row, source)
            if pages is None:
                continue  # no input for this file (not cached yet): left out of gold and predictions alike
            kept.append(row)
            source_path = str(set_dir(set_name) / _named(row)["image"])
            try:
                doc = parse(pages, ranker=ranker, items_model=items_model)
                line = {"source": source_path, "status": "ok", "document": doc.to_json()}
            except Exception as exc:  # noqa: BLE001 - a crash is scored as an error, and shown
                line = {"source": source_path, "status": "error", "error": {"kind": "bug", "message": repr(exc)}}
                print(f"!! {row['id']}: {exc!r}", file=sys.stderr)
            out.write(json.dumps(line) + "\n")
    elapsed = time.perf_counter() - started
    gold_path.write_text("".join(json.dumps(_named(r)) + "\n" for r in kept))
    return gold_path, pred_path, kept, elapsed


def _named(row: dict[str, Any]) -> dict[str, Any]:
    """A text-only receipt (no image) is named by its text file, for the scorer's matching by file name."""
    return row if row.get("image") else {**row, "image": row["ocr_gt"]}


def score(gold: Path, pred: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, str(SCORER), str(gold), str(pred), "--json"], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def errors(pred: Path, rows: list[dict[str, Any]], only: str | None) -> None:
    sc = load_scorer()
    preds = {}
    for line in pred.read_text().splitlines():
        d = json.loads(line)
        preds[Path(d["source"]).name] = d.get("document") or {}
    classes: Counter[str] = Counter()
    for row in rows:
        doc = preds.get(Path(_named(row)["image"]).name, {})
        fields = doc.get("fields") or {}
        for key, canon in FIELDS.items():
            if only and key != only:
                continue
            g = sc.norm(key, row["fields"].get(key))
            if g is None:
                continue
            f = fields.get(canon) or {}
            p = sc.norm(key, f.get("value"))
            if p == g:
                continue
            kind = "missing" if p is None else "wrong"
            classes[f"{key} {kind}" + (f": {_date_error(str(g), p)}" if key == "date" else "")] += 1
            print(
                f"{row['id'][:16]:16s} {key:8s} {kind:7s} conf={f.get('confidence')} label={f.get('label')!r}\n"
                f"    gold={g!s}\n    pred={p!s}"
            )
    if only in (None, "items"):
        _item_errors(sc, preds, rows, classes)
    print("\nerror classes:", ", ".join(f"{k}: {v}" for k, v in classes.most_common()))


def _date_error(gold: str, pred: object) -> str:
    """What kind of date error: the label no date the scorer reads ("20:37"), day and month swapped (a day-first
    receipt its label stores month first, or the reverse), one digit apart (an OCR misread), or another date."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold):
        return "label is no date"
    if pred is None:
        return "none read"
    p = str(pred)
    if p[:4] == gold[:4] and p[5:7] == gold[8:10] and p[8:10] == gold[5:7]:
        return "day and month swapped"
    if len(p) == len(gold) and sum(a != b for a, b in zip(p, gold, strict=True)) == 1:
        return "one digit apart"
    return "another date"


def _item_errors(sc: Any, preds: dict[str, Any], rows: list[dict[str, Any]], classes: Counter[str]) -> None:
    """Line-item amounts the parser missed or invented, with the row it read them from."""
    for row in rows:
        gold_items = row["fields"].get("line_items") or []
        if not gold_items:
            continue
        doc = preds.get(Path(_named(row)["image"]).name, {})
        gold = Counter(a for _, a in sc.line_items(gold_items, pred=False) if a is not None)
        items = doc.get("line_items") or []
        got = Counter(a for _, a in sc.line_items(items, pred=True) if a is not None)
        missed, extra = gold - got, got - gold
        if not missed and not extra:
            continue
        classes["item amount missed"] += sum(missed.values())
        classes["item amount extra"] += sum(extra.values())
        print(f"{row['id'][:16]:16s} items   missed={sorted(str(a) for a in missed.elements())}")
        for item in items:
            amount = sc.norm_money((item.get("amount") or {}).get("value"))
            if amount in extra:
                print(f"    extra {amount!s:>9s} from row {(item.get('row') or {}).get('value')!r}")


def show(set_name: str, source: str, prefix: str) -> None:
    from receiptdesk.providers.local.parsing.layout import build_lines

    for row in gold_rows(set_name):
        if not row["id"].startswith(prefix):
            continue
        pages = pages_for(set_name, row, source)
        if pages is None:
            print(f"{row['id']}: no input")
            continue
        for line in build_lines(pages):
            b = line.box
            print(f"{line.index:3d} p{line.page} y={b.y0:.3f}-{b.y1:.3f} x={b.x0:.2f}-{b.x1:.2f} | {line.text}")
        doc = parse(pages)
        print("gold:", {k: v for k, v in row["fields"].items() if k != "line_items"})
        for name, f in doc.fields.items():
            print(f"  {name:15s} {f.value!s:45.45s} conf={f.confidence:.2f} flags={list(f.flags)} label={f.label!r}")
        for item in doc.line_items:
            print("  item", {k: str(v.value) for k, v in item.fields.items() if k != "row"})
        if row["fields"].get("line_items"):
            print("  gold items", row["fields"]["line_items"])
        for c in doc.checks:
            print("  check", c.name, c.status, c.message)


def run_one(
    set_name: str, source: str, half: str, out_dir: Path, show: bool = True, ranker: Ranker | None = None
) -> dict[str, Any]:
    gold, pred, rows, elapsed = predict(set_name, source, half, out_dir, ranker)
    result = score(gold, pred)
    result["parse_seconds"] = elapsed
    if show:
        where = cache_dir(set_name) if source == "ocr" else "the set's own word boxes"
        print(
            f"{set_name} source={source} ({where}) half={half}: {len(rows)} files parsed in {elapsed:.1f} s -> {pred}"
        )
        subprocess.run([sys.executable, str(SCORER), str(gold), str(pred)], check=True)
    return result


def table(out_dir: Path) -> None:
    for set_name in SETS:
        print(f"# {set_name}: ocr input from {cache_dir(set_name)}")
    cols = ["files", "F1", "vendor", "address", "date", "total", "subtotal", "tax", "li_amt_F1"]
    print(f"{'set':13s} {'source':6s} {'half':4s} " + " ".join(f"{c:>9s}" for c in cols))
    for set_name in SETS:
        for source in ("truth", "ocr"):
            if set_name == "invoice2data" and source == "truth":
                continue
            for half in ("A", "B", "all"):
                r = run_one(set_name, source, half, out_dir, show=False)
                f = r["fields"]
                vals = [str(r["documents"]), f"{r['key_fields']['f1']:.3f}"]
                for key in cols[2:8]:
                    vals.append(f"{f[key]['accuracy']:.3f}" if key in f else "-")
                vals.append(f"{r['line_items']['amount_f1']:.3f}" if "line_items" in r else "-")
                print(f"{set_name:13s} {source:6s} {half:4s} " + " ".join(f"{v:>9s}" for v in vals))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", choices=[*ALL_SETS, "table"])
    ap.add_argument("--source", choices=["truth", "ocr"], default="ocr")
    ap.add_argument("--half", choices=["A", "B", "all"], default="A")
    ap.add_argument(
        "--errors", nargs="?", const="", default=None, help="list wrong fields (optionally one field, or 'items')"
    )
    ap.add_argument("--hand", action="store_true", help="the hand rules alone, without the learned ranker")
    ap.add_argument("--show", default=None, help="print the rebuilt lines and fields of one file (id prefix)")
    ap.add_argument("--out", type=Path, default=None, help="folder for PRED/gold files (default: a temp folder)")
    args = ap.parse_args()
    out_dir = args.out or Path(tempfile.gettempdir()) / "receiptdesk-parse-eval"
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.set == "table":
        table(out_dir)
        return 0
    if args.set == "invoice2data" and args.source == "truth":
        print("invoice2data has no ground-truth word boxes: use --source ocr (text layer or OCR cache)")
        return 2
    if args.show:
        show(args.set, args.source, args.show)
        return 0
    result = run_one(args.set, args.source, args.half, out_dir, ranker=HAND_RULES if args.hand else None)
    if args.errors is not None:
        _, pred, rows, _ = predict(args.set, args.source, args.half, out_dir, HAND_RULES if args.hand else None)
        errors(pred, rows, args.errors or None)
    return 0 if result else 1


if __name__ == "__main__":
    sys.exit(main())
