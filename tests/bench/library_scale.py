"""How the window holds up as the library grows: figures printed, never asserted.

    python -m tests.bench.library_scale [--sizes 1000,10000,100000] [--cache /work/cache/bench]
                                        [--receipts 50] [--skip heartbeat,filters]

Builds (once, cached) libraries of each size through the store from real receipts' text
(tests/bench/library_corpus.py), then, each size in a fresh process, opens the real window
offscreen and measures, median of 3: start to the list filled; search as you type (a common
word, a rare word, an amount), per keystroke; sort by date, total and vendor; choosing a
document until its page and values are shown (page already drawn once); the queries that choose
documents to parse again from their words (at start; how many a settings change may re-read; what is
pending), and the rows on screen shown again afterwards; resident memory.
Then a 10 ms GUI-thread heartbeat while real receipts are imported and read into the 10,000
library: the longest gap and the 99th percentile. Prints one table and the growth from the
smallest to the largest library. Then, on a copy of each library with categories and tags,
each filter of the filter bar and a few search terms until the list is shown again, and the
count and sums per currency of every document chosen.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.library_corpus import PHOTO, cached  # noqa: E402

DEFAULT_CACHE = Path("/work/cache/bench")
RUNS = 3


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Clock:
    """Waits on the Qt event loop until a condition holds; returns the seconds it took."""

    def __init__(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        # Waits for the next event as the window's own loop does (a busy loop of processEvents would hold Python's
        # lock against the worker threads it is timing); the timer wakes it to look at the condition again.
        self._tick = QTimer(interval=2)
        self._tick.start()
        self._process = lambda: QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    def until(self, cond: Callable[[], bool], start: float, timeout: float = 120.0) -> float:
        while not cond():
            if time.perf_counter() - start > timeout:
                raise TimeoutError("the window did not answer in time")
            self._process()
        return time.perf_counter() - start


def _qt(data: Path) -> Any:
    """In a bench child process: Qt offscreen on the library in `data` (before anything opens it)."""
    os.environ["RECEIPTDESK_DATA_DIR"] = str(data)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _open() -> Any:
    """The real window as users get it, shown, with an in-memory keyring and no log file."""
    from receiptdesk.app import open_window
    from receiptdesk.services.paths import AppPaths
    from tests.memory_keyring import MemoryKeyring

    app = open_window(AppPaths.from_environment(), keyring_backend=MemoryKeyring(), log_to_file=False)
    app.window.show()
    return app


def measure(data: Path, size: int) -> dict[str, Any]:
    """Runs in its own process: the window on a copy-free library of `size` documents."""
    qt = _qt(data)
    from PySide6.QtCore import Qt

    from receiptdesk.store.listing import SortBy

    clock = Clock()
    out: dict[str, Any] = {"size": size}

    def filled(app: Any) -> bool:
        model = app.window.library.model
        return model.rowCount() == size and model.summary(0) is not None

    starts = []
    app = None
    for _ in range(RUNS):
        if app is not None:
            app.close()
        t = time.perf_counter()
        app = _open()
        starts.append(clock.until(lambda a=app: filled(a), t))
    assert app is not None
    out["start"] = statistics.median(starts)
    window, model = app.window, app.window.library.model

    def relisted(action: Callable[[], None]) -> float:
        resets: list[int] = []

        def reset() -> None:
            resets.append(1)

        model.modelReset.connect(reset)
        t = time.perf_counter()
        action()
        took = clock.until(lambda: bool(resets) and (model.rowCount() == 0 or model.summary(0) is not None), t)
        model.modelReset.disconnect(reset)
        return took

    reader = app.services.library.reader
    common = str(reader.column("SELECT vendor FROM documents GROUP BY vendor ORDER BY COUNT(*) DESC LIMIT 1")[0])
    rare = str(reader.column("SELECT vendor FROM documents GROUP BY vendor ORDER BY COUNT(*), vendor LIMIT 1")[0])
    amount = str(reader.column("SELECT total FROM documents WHERE total IS NOT NULL LIMIT 1 OFFSET 17")[0])
    out["words"] = [common, rare, amount]
    for name, word in (
        ("search_common", common.split()[0]),
        ("search_rare", rare.split()[0]),
        ("search_amount", amount),
    ):
        per_key = []
        for _ in range(RUNS):
            for n in range(1, len(word) + 1):  # each keystroke asks again
                per_key.append(relisted(lambda w=word[:n]: window._searched(w)))
            relisted(lambda: window._searched(""))
        out[name] = statistics.median(per_key)
        out[name + "_max"] = max(per_key)
    for key, sort in (("sort_date", SortBy.DATE), ("sort_total", SortBy.TOTAL), ("sort_vendor", SortBy.VENDOR)):
        times = []
        for descending in (True, False, True):
            times.append(relisted(lambda s=sort, d=descending: window._sorted(s, d)))
        out[key] = statistics.median(times)
    relisted(lambda: window._sorted(SortBy.DATE, True))

    from receiptdesk.services import reparse

    library = app.services.library
    queries = (("stale", reparse.stale), ("unreviewed", reparse.count_unreviewed), ("pending", reparse.pending))
    for key, query in queries:  # on the db lane
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            query(library)
            times.append(time.perf_counter() - t)
        out[key] = statistics.median(times)
    refills = []
    redrawn: list[object] = []

    def count(*args: object) -> None:
        redrawn.append(args)

    model.dataChanged.connect(count)
    for _ in range(RUNS):  # after the library is read again: the rows on screen asked for and shown again
        redrawn.clear()
        t = time.perf_counter()
        model.forget_rows()  # redraws at once (the old values), then again when the new ones come
        refills.append(clock.until(lambda: len(redrawn) >= 2, t))
    model.dataChanged.disconnect(count)
    out["refill"] = statistics.median(refills)

    real = json.loads((data / "real-originals.json").read_text())
    chosen = []
    for doc_id in real[:4]:  # the first time draws the page into the cache
        for attempt in range(RUNS + 1):
            pages: list[int] = []
            shown = pages.append
            window.viewer.page_shown.connect(shown)
            window.library.select([])
            t = time.perf_counter()
            window.library.select([doc_id])
            took = clock.until(
                lambda d=doc_id, p=pages: bool(p) and window.editor.record is not None and window.editor.record.id == d,
                t,
            )
            window.viewer.page_shown.disconnect(shown)
            if attempt:
                chosen.append(took)
    out["choose"] = statistics.median(chosen)
    qt.processEvents()
    out["rss_mb"] = _rss_mb()
    del Qt
    app.close()
    return out


def organized(cache: Path, size: int) -> Path:
    """A copy of the cached library with categories and tags (the cached one stays as built): every tenth
    document in Travel, every fortieth tagged client-x. The originals are linked, not copied."""
    base = cached(cache, size)
    root = cache / f"{base.name}-organized"
    done = root / ".complete"
    if done.exists() and done.stat().st_mtime >= (base / ".complete").stat().st_mtime:
        return root  # made from the cached library as it is now (a rebuilt one is copied again)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copy2(base / "library.sqlite3", root / "library.sqlite3")
    shutil.copy2(base / "real-originals.json", root / "real-originals.json")
    (root / "originals").symlink_to(base / "originals")
    from receiptdesk.store.library import Library

    library = Library(root)
    with library.db.transaction() as conn:
        conn.execute("UPDATE documents SET category = 'Travel' WHERE id % 10 = 0")
        conn.execute("INSERT INTO tags(document_id, tag) SELECT id, 'client-x' FROM documents WHERE id % 40 = 0")
    library.close()
    (root / ".complete").touch()
    return root


def measure_filters(data: Path, size: int) -> dict[str, Any]:
    """Runs in its own process: each filter chosen in the window's filter bar (or typed as a search term)
    until the list is shown again, median of 3 from the whole list; then every document chosen until
    their count and sums per currency show."""
    qt = _qt(data)
    from PySide6.QtCore import QDate

    from receiptdesk.store.filters import StatusFilter
    from receiptdesk.ui.library.filters import CUSTOM, FilterBar

    clock = Clock()
    app = _open()
    window, model = app.window, app.window.library.model
    bar: FilterBar = window.order.filter_bar
    clock.until(lambda: model.rowCount() == size and model.summary(0) is not None and bar.currency.count() > 1,
                time.perf_counter())  # fmt: skip
    reader = app.services.library.reader
    year = str(reader.column("SELECT substr(doc_date, 1, 4) y FROM documents WHERE doc_date IS NOT NULL "
                             "GROUP BY y ORDER BY COUNT(*) DESC LIMIT 1")[0])  # fmt: skip
    out: dict[str, Any] = {"size": size}

    def relisted(action: Callable[[], None]) -> tuple[float, int]:
        resets: list[int] = []

        def reset() -> None:
            resets.append(1)

        model.modelReset.connect(reset)
        t = time.perf_counter()
        action()
        took = clock.until(lambda: bool(resets) and (model.rowCount() == 0 or model.summary(0) is not None), t)
        model.modelReset.disconnect(reset)
        return took, model.rowCount()

    def dates(first: QDate, last: QDate) -> Callable[[], None]:
        def choose() -> None:
            for edit, d in ((bar.since, first), (bar.until, last)):
                edit.blockSignals(True)
                edit.setDate(d)
                edit.blockSignals(False)
            bar.period.setCurrentIndex(bar.period.findData(CUSTOM))

        return choose

    def combo(box: Any, value: object) -> Callable[[], None]:
        return lambda: box.setCurrentIndex(box.findData(value))

    def amount_and_more() -> None:
        bar.category.blockSignals(True)
        bar.category.setCurrentIndex(bar.category.findData("Travel"))
        bar.category.blockSignals(False)
        bar.min_total.setText("100")  # the list is asked after a pause in typing

    y = int(year)
    cases: list[tuple[str, Callable[[], None], Callable[[], None]]] = [
        ("filter_year", dates(QDate(y, 1, 1), QDate(y, 12, 31)), bar.reset),
        ("filter_month", dates(QDate(y, 3, 1), QDate(y, 3, 31)), bar.reset),
        ("filter_status", combo(bar.status, StatusFilter.FAILED), bar.reset),
        ("filter_currency", combo(bar.currency, "USD"), bar.reset),
        ("filter_category", combo(bar.category, "Travel"), bar.reset),
        ("filter_tag", combo(bar.tag, "client-x"), bar.reset),
        ("filter_combined", amount_and_more, bar.reset),
        ("term_total", lambda: window._searched("total>100"), lambda: window._searched("")),
        ("term_date_vendor", lambda: window._searched(f"date:{year}-03 total<20"), lambda: window._searched("")),
    ]
    for key, choose, back in cases:
        times = []
        for _ in range(RUNS):
            took, rows = relisted(choose)
            times.append(took)
            relisted(back)
        out[key] = statistics.median(times)
        out[key + "_rows"] = rows
    sums = []
    for _ in range(RUNS):
        window.library.select([])
        qt.processEvents()
        t = time.perf_counter()
        window.library.table.selectAll()
        sums.append(clock.until(lambda: window.order.sums.text().startswith(f"{size:,} documents chosen"), t))
    out["sum_all"] = statistics.median(sums)
    app.close()
    qt.processEvents()
    return out


def heartbeat(data: Path, receipts: int) -> dict[str, Any]:
    """Runs in its own process: a 10 ms timer's gaps while receipts are imported and read."""
    qt = _qt(data)
    from PySide6.QtCore import QTimer

    clock = Clock()
    app = _open()
    model = app.window.library.model
    size = app.services.library.reader.column("SELECT COUNT(*) FROM documents")[0]
    clock.until(lambda: model.rowCount() == size, time.perf_counter())
    photos = sorted((ROOT.parent / "shared" / "data" / "receipts" / "sroie" / "img").glob("*.jpg"))[:receipts]
    if len(photos) < receipts:
        photos += [PHOTO] * (receipts - len(photos))
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, p in enumerate(photos):  # new bytes each, so each is a new document
            files.append(Path(tmp) / f"{n:03}-{p.name}")
            files[-1].write_bytes(p.read_bytes() + b" heartbeat %d %f" % (n, time.time()))
        beats: list[float] = []
        timer = QTimer(interval=10)
        timer.timeout.connect(lambda: beats.append(time.perf_counter()))
        timer.start()
        t = time.perf_counter()
        app.window.importing.import_files(files)
        clock.until(lambda: model.rowCount() >= size + receipts and not app.desk.reading_ids(), t, timeout=3600)
        took = time.perf_counter() - t
        timer.stop()
    gaps = sorted(b - a for a, b in itertools.pairwise(beats))
    worst = sorted(((b - a, a - t) for a, b in itertools.pairwise(beats)), reverse=True)[:5]
    app.close()
    qt.processEvents()
    return {
        "receipts": receipts,
        "seconds": took,
        "longest_gap": gaps[-1],
        "p99_gap": gaps[int(len(gaps) * 0.99)],
        "beats": len(beats),
        "worst": [(round(g * 1000), round(at, 1)) for g, at in worst],  # (gap ms, seconds after the drop)
    }


def _run_child(args: list[str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "tests.bench.library_scale", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"child failed: {done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


ROWS = (
    ("start", "start to window with the list filled", "s", 1.0),
    ("search_common", "search as you type, common word, per keystroke", "ms", 0.1),
    ("search_rare", "search as you type, rare word, per keystroke", "ms", 0.1),
    ("search_amount", "search as you type, an amount, per keystroke", "ms", 0.1),
    ("sort_date", "sort by date", "ms", 0.2),
    ("sort_total", "sort by total", "ms", 0.2),
    ("sort_vendor", "sort by vendor", "ms", 0.2),
    ("stale", "readings of an older parser to parse again (at start, db lane)", "ms", 1.0),
    ("unreviewed", "how many documents a settings change may re-read (db lane)", "ms", 1.0),
    ("pending", "what is to be read again, at start (db lane)", "ms", 1.0),
    ("refill", "rows on screen shown again after the library is read again", "ms", 0.1),
    ("choose", "choose a document to its page and values shown (page cached)", "ms", 0.15),
    ("rss_mb", "resident memory of the window", "MB", 400.0),
)


FILTER_ROWS = (
    ("filter_year", "filter: a year (dates from ... to ...)", "ms", 0.1),
    ("filter_month", "filter: a month", "ms", 0.1),
    ("filter_status", "filter: status Failed", "ms", 0.1),
    ("filter_currency", "filter: currency USD", "ms", 0.1),
    ("filter_category", "filter: category Travel (1 in 10)", "ms", 0.1),
    ("filter_tag", "filter: tag client-x (1 in 40)", "ms", 0.1),
    ("filter_combined", "filter: Travel and amount from 100 (typed, after the pause)", "ms", 0.4),
    ("term_total", "search term total>100", "ms", 0.1),
    ("term_date_vendor", "search terms date:YYYY-03 total<20", "ms", 0.1),
    ("sum_all", "choose every document: count and sum per currency shown", "ms", 0.2),
)


def _table(sizes: list[int], results: list[dict[str, Any]], rows: tuple[tuple[str, str, str, float], ...]) -> None:
    print("| figure | " + " | ".join(f"{s:,} documents" for s in sizes) + " | target (largest) | growth |")
    print("|---" * (len(sizes) + 3) + "|")
    for key, title, unit, target in rows:
        values = [r[key] for r in results]
        growth = values[-1] / values[0] if values[0] else float("nan")
        met = "met" if values[-1] <= target else "MISSED"
        shown = [_fmt(v, unit) + (f" ({r[key + '_rows']:,} shown)" if key + "_rows" in r else "")
                 for v, r in zip(values, results, strict=True)]  # fmt: skip
        print(f"| {title} | " + " | ".join(shown) + f" | <= {_fmt(target, unit)} ({met}) | x{growth:.2f} |")


def _fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--receipts", type=int, default=50, help="real receipts imported and read for the heartbeat")
    ap.add_argument("--skip", default="", help="heartbeat, filters (comma-separated)")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--heartbeat", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--filters", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, int(args.sizes))))
        return
    if args.heartbeat:
        print(json.dumps(heartbeat(args.heartbeat, args.receipts)))
        return
    if args.filters:
        print(json.dumps(measure_filters(args.filters, int(args.sizes))))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for size in sizes:
        t = time.perf_counter()
        data = cached(args.cache, size)
        print(f"library of {size:,}: ready in {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
        results.append(_run_child(["--measure", str(data), "--sizes", str(size)]))
    _table(sizes, results, ROWS)
    if "filters" not in args.skip.split(","):
        filtered = []
        for size in sizes:
            data = organized(args.cache, size)
            filtered.append(_run_child(["--filters", str(data), "--sizes", str(size)]))
        print("\nFilters, in the window's filter bar and as search terms (the list asked again and shown):")
        _table(sizes, filtered, FILTER_ROWS)
    if "heartbeat" not in args.skip.split(","):
        base = cached(args.cache, 10_000)
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "library"
            shutil.copytree(base, copy)  # the cached library stays as built
            beat = _run_child(["--heartbeat", str(copy), "--receipts", str(args.receipts)])
        print(
            f"\nGUI-thread heartbeat (10 ms timer) while {beat['receipts']} real receipts were imported and read into"
            f" the 10,000-document library ({beat['seconds']:.0f} s): longest gap {beat['longest_gap'] * 1000:.0f} ms"
            f" (target <= 100), 99th percentile {beat['p99_gap'] * 1000:.0f} ms (target <= 30); the five longest"
            f" (ms, seconds after the drop): {beat['worst']}"
        )


if __name__ == "__main__":
    main()
