"""The command line: the same services as the window, without one.

    receiptdesk extract PATH... [--provider NAME] [--format json|jsonl] [--workers N]
    receiptdesk parse RESPONSE.json [--provider textract|azure] [--format json|jsonl]
    receiptdesk import PATH... [--provider NAME] [--no-extract]
    receiptdesk import --response RESPONSE.json --file DOCUMENT [--provider textract|azure]
    receiptdesk list [--search TEXT] [--format table|jsonl|json] [--trash]
    receiptdesk delete ID... [--for-good]
    receiptdesk restore ID...
    receiptdesk reparse
    receiptdesk show ID
    receiptdesk export FOLDER [--search TEXT]
    receiptdesk resume

`extract` and `parse` never touch the library; the others work on the
library in the data folder (RECEIPTDESK_DATA_DIR, or the platform's).
`extract` and `parse` print one JSON object per document found (a file with
two receipts gives two, each with its "part" and its warnings). Errors go to
stderr in the user's words, and so does what a cloud service is doing while
it takes its time; the exit status is 1 when any input failed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

from receiptdesk import __version__
from receiptdesk.cli_library import (
    _fail,
    _filter_options,
    _print_json,
    _report,
    cmd_delete,
    cmd_export,
    cmd_list,
    cmd_reparse,
    cmd_restore,
    cmd_show,
)
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Extraction, RunContext
from receiptdesk.providers.source import Source
from receiptdesk.services import exporter, importer, jobs, logs, organizer
from receiptdesk.services.exporter import Format, Originals
from receiptdesk.services.paths import AppPaths
from receiptdesk.services.rendering import PageRenderer
from receiptdesk.services.wiring import Readers, Services, open_readers, open_services

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- extract
def shown(path: Path) -> str:
    """A path as text that can be printed: bytes of a name that are not UTF-8 become U+FFFD."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _Progress:
    """What a cloud reading is doing, on stderr: each new step at once, a long wait every few seconds
    ("… is reading the document (2 minutes …)"), so a slow service is never silence nor a flood."""

    EVERY = 10.0  # seconds between two lines about the same step

    def __init__(self, path: Path, enabled: bool) -> None:
        self._path = path
        self._enabled = enabled
        self._step = ""
        self._said = 0.0

    def __call__(self, fraction: float, text: str) -> None:
        if not self._enabled or not text:
            return
        step, now = text.split(" (")[0], time.monotonic()
        if step == self._step and now - self._said < self.EVERY:
            return
        self._step, self._said = step, now
        print(f"receiptdesk: {shown(Path(self._path.name))}: {text}", file=sys.stderr, flush=True)


def _extract_one(readers: Readers, provider_name: str, path: Path) -> list[dict[str, Any]]:
    try:
        provider = readers.providers.get(provider_name)
        source = Source.open(path)
        provider.estimate(source)
        result = provider.extract(source, RunContext(on_progress=_Progress(path, provider.needs_network)))
        return [exporter.result_json(shown(path), doc, None) for doc in result.documents]
    except ReceiptDeskError as e:
        return [exporter.result_json(shown(path), None, e)]
    except Exception as e:
        log.exception("extracting %s failed", shown(path))
        bug = ReceiptDeskError(ErrorKind.BUG, f"Reading {shown(path)} failed because of a bug ({type(e).__name__}).")
        return [exporter.result_json(shown(path), None, bug)]


def cmd_extract(args: argparse.Namespace) -> int:
    readers = open_readers()
    provider = args.provider or readers.settings.get("extract.provider")
    paths = list(importer.expand(Path(p) for p in args.paths))
    if not paths:
        return _fail("no files to read")
    workers = max(1, args.workers or min(2, os.cpu_count() or 1))
    readers.settings.set("extract.workers", workers)  # the OCR engine shares the cores among them
    failed = 0

    def results() -> Iterator[dict[str, Any]]:
        nonlocal failed
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for rows in pool.map(lambda p: _extract_one(readers, provider, p), paths):
                for row in rows:
                    if row["status"] != "ok":
                        failed += 1
                        print(f"receiptdesk: {row['source']}: {row['error']['message']}", file=sys.stderr)
                    yield row

    _print_json(results(), args.format)
    return 1 if failed else 0


# ---------------------------------------------------------------- parse
def _load_response(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ReceiptDeskError(ErrorKind.BAD_DOCUMENT, f"{path.name} is not a JSON response: {e}") from e


def guess_provider(raw: Any) -> str:
    """Which service wrote a saved response, from its shape."""
    if isinstance(raw, dict):
        if "ExpenseDocuments" in raw:
            return "textract"
        if "analyzeResult" in raw or "documentResults" in raw or "readResults" in raw or "apiVersion" in raw:
            return "azure"
    raise ReceiptDeskError(
        ErrorKind.BAD_DOCUMENT,
        "This is not a saved Textract or Azure response; say which with --provider textract|azure.",
    )


def cmd_parse(args: argparse.Namespace) -> int:
    readers = open_readers()
    rows: list[dict[str, Any]] = []
    failed = 0
    for name in args.responses:
        path = Path(name)
        try:
            raw = _load_response(path)
            documents = readers.providers.remap_all(args.provider or guess_provider(raw), raw)
            rows.extend(exporter.result_json(str(path), document, None) for document in documents)
        except ReceiptDeskError as e:
            failed += 1
            print(f"receiptdesk: {path}: {e.message}", file=sys.stderr)
            rows.append(exporter.result_json(str(path), None, e))
    _print_json(rows, args.format)
    return 1 if failed else 0


# ---------------------------------------------------------------- library commands
def _extract_ids(services: Services, provider_name: str, ids: list[int], workers: int) -> int:
    """Read documents: jobs begin and settle here, providers run on worker threads."""
    services.settings.set("extract.workers", workers)  # the OCR engine shares the cores among them
    provider = services.providers.get(provider_name)
    lib = services.library
    failed = 0
    started = {i: jobs.begin(lib, i, provider.name) for i in ids}

    def saver(job_id: int) -> Callable[[dict[str, Any]], None]:
        return lambda state: lib.jobs.checkpoint(job_id, state)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(jobs.read, provider, started[i], RunContext(), saver(started[i].job.id)) for i in ids}
        renderer = PageRenderer(services.paths.cache)
        for i in ids:
            outcome = futures[i].result()
            jobs.settle(lib, i, started[i], provider.name, outcome)
            if isinstance(outcome, Extraction):  # a suggested category, a possible copy of another
                organizer.organize_file(lib, i, organizer.page_hash(renderer, lib.original_path(i)))
            failed += 0 if _report(services, i) else 1
    return failed


_READABLE = "PDF, JPEG, PNG, TIFF, HEIC, BMP, WebP or GIF files (and .txt files named one by one)"


def cmd_import(args: argparse.Namespace) -> int:
    services = open_services()
    try:
        if args.response:
            return _import_response(services, args)
        if not args.paths:
            return _fail("name the files or folders to import")
        files = list(importer.expand(Path(p) for p in args.paths))
        if not files:
            where = ", ".join(shown(Path(p)) for p in args.paths)
            return _fail(f"nothing to import in {where}: ReceiptDesk imports {_READABLE}.")
        summary = importer.ImportSummary()
        to_read = []
        for path in files:
            o = importer.import_file(services.library, path)  # each file alone: one bad file stops nothing
            summary.count(o)
            if o.doc_id is None:
                print(
                    f"receiptdesk: {shown(o.path)}: {o.error.message if o.error else 'not imported'}", file=sys.stderr
                )
            elif not o.created and (o.error is not None or services.library.get(o.doc_id).extracted is not None):
                print(f"{o.doc_id:>5}  already in the library: {o.name}")
            elif o.error is not None:
                _report(services, o.doc_id)
            else:
                to_read.append(o.doc_id)
        unread = 0
        if to_read and not args.no_extract:
            provider = args.provider or services.settings.get("extract.provider")
            workers = max(1, args.workers or min(2, os.cpu_count() or 1))
            unread = _extract_ids(services, provider, to_read, workers)
        read = f"; {len(to_read) - unread} read, {unread} not read" if to_read and not args.no_extract else ""
        print(f"Imported {summary}{read}.", flush=True)
        return 1 if summary.failed or summary.not_added or unread else 0
    finally:
        services.close()


def _import_response(services: Services, args: argparse.Namespace) -> int:
    if not args.file:
        return _fail("--response needs --file: the document the response was made from")
    try:
        raw = _load_response(Path(args.response))
        provider = services.providers.get(
            args.provider if args.provider not in (None, "local") else guess_provider(raw)
        )
        document = provider.remap(raw)
    except ReceiptDeskError as e:
        return _fail(e.message)
    outcome = importer.import_file(services.library, Path(args.file))
    if outcome.doc_id is None:
        return _fail(outcome.error.message if outcome.error else "the document could not be imported")
    services.library.save_extraction(outcome.doc_id, document, raw)
    renderer = PageRenderer(services.paths.cache)
    organizer.organize_file(services.library, outcome.doc_id, organizer.page_hash(renderer, Path(args.file)))
    return 0 if _report(services, outcome.doc_id) else 1


def cmd_resume(args: argparse.Namespace) -> int:
    """Finish every document not done: queued, being read when a run stopped, waiting for the
    network, or failed for a reason that may pass. Never one the user stopped."""
    services = open_services()
    try:
        failed = 0
        by_provider: dict[str, list[int]] = {}
        for doc_id, provider in jobs.to_resume(services.library, services.settings.get("extract.provider")):
            by_provider.setdefault(provider, []).append(doc_id)
        for provider, ids in by_provider.items():
            failed += _extract_ids(services, provider, ids, max(1, args.workers or 2))
        if not by_provider:
            print("Nothing to resume.")
        else:
            count = sum(len(ids) for ids in by_provider.values())
            print(f"Resumed {count} document{'s' if count != 1 else ''}: {count - failed} read, {failed} not read.")
        return 1 if failed else 0
    finally:
        services.close()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="receiptdesk", description="Receipts and invoices, read and checked offline.")
    p.add_argument("--version", action="version", version=f"ReceiptDesk {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="read files and print their fields as JSON (the library is not touched)")
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument("--provider", help="local (default), textract or azure")
    e.add_argument("--format", choices=("json", "jsonl"), default="json")
    e.add_argument("--workers", type=int, default=0, help="files read at the same time (default: 2)")
    e.set_defaults(run=cmd_extract)

    pr = sub.add_parser("parse", help="map saved Textract or Azure responses without calling anything")
    pr.add_argument("responses", nargs="+", metavar="RESPONSE.json")
    pr.add_argument("--provider", choices=("textract", "azure"))
    pr.add_argument("--format", choices=("json", "jsonl"), default="json")
    pr.set_defaults(run=cmd_parse)

    i = sub.add_parser("import", help="add files to the library and read them")
    i.add_argument("paths", nargs="*", metavar="PATH")
    i.add_argument("--provider", help="local (default), textract or azure")
    i.add_argument("--no-extract", action="store_true", help="only add the files")
    i.add_argument("--response", metavar="RESPONSE.json", help="a saved provider response for --file")
    i.add_argument("--file", metavar="DOCUMENT", help="the document --response was made from")
    i.add_argument("--workers", type=int, default=0)
    i.set_defaults(run=cmd_import)

    ls = sub.add_parser("list", help="print the library")
    ls.add_argument("--search", help="only documents with all these words")
    ls.add_argument("--format", choices=("table", "jsonl", "json"), default="table")
    _filter_options(ls)
    ls.add_argument("--trash", action="store_true", help="the documents in the Trash instead")
    ls.set_defaults(run=cmd_list)

    de = sub.add_parser("delete", help="move documents to the Trash (their originals are kept)")
    de.add_argument("ids", nargs="+", type=int, metavar="ID")
    de.add_argument("--for-good", action="store_true", help="empty the Trash of these too: no way back")
    de.set_defaults(run=cmd_delete)

    rp = sub.add_parser(
        "reparse",
        help="parse again, without OCR, what an older version of the reader read and what a re-read with new "
        "settings left (quit or stopped halfway)",
    )
    rp.set_defaults(run=cmd_reparse)

    rs = sub.add_parser("restore", help="put documents back from the Trash")
    rs.add_argument("ids", nargs="+", type=int, metavar="ID")
    rs.set_defaults(run=cmd_restore)

    sh = sub.add_parser("show", help="print one document as JSON, with its edits")
    sh.add_argument("id", type=int)
    sh.set_defaults(run=cmd_show)

    ex = sub.add_parser("export", help="write the library (or what the filters choose) as CSV, Excel or JSON")
    ex.add_argument("folder", metavar="PATH", help="the folder the files are written to")
    ex.add_argument(
        "--format",
        action="append",
        choices=[f.value for f in Format],
        help="csv (documents and line items), xlsx or json; repeat for several (default: csv and json)",
    )
    ex.add_argument("--search", help="only documents with all these words (terms like total>100 work too)")
    _filter_options(ex)
    ex.add_argument(
        "--originals",
        choices=[o.value for o in Originals],
        help="also copy the original files, named by date and vendor, into a folder or a .zip",
    )
    ex.add_argument("--name", default="receipts", help="the files' name before the extension (default: receipts)")
    ex.add_argument("--replace", action="store_true", help="write over the files of an earlier export")
    ex.set_defaults(run=cmd_export)

    r = sub.add_parser("resume", help="finish extractions a previous run left open")
    r.add_argument("--workers", type=int, default=0)
    r.set_defaults(run=cmd_resume)
    return p


def _crash_notice(paths: AppPaths) -> IO[str] | None:
    """Keep a crash log for this run, and say once where the last run's crash log is."""
    try:
        crash_log = logs.start_crash_log(paths.logs)
        previous = logs.previous_crash(paths)
        if previous is not None:
            moved = logs.crash_shown(previous)
            print(f"receiptdesk: the last run stopped unexpectedly; what it was doing is in {moved}", file=sys.stderr)
        return crash_log
    except OSError as e:  # a read-only log folder must not stop the command
        log.warning("no crash log: %s", e)
        return None


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    # A decoder's warnings about a damaged file ("Corrupt EXIF data") go to the log, not the terminal:
    # the file's own message says what matters.
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").addHandler(logging.NullHandler())
    crash_log = _crash_notice(AppPaths.from_environment())
    try:
        return int(args.run(args))
    except ReceiptDeskError as e:
        return _fail(f"{e.message} {e.hint}")
    except KeyboardInterrupt:
        return 130
    finally:
        if crash_log is not None:
            logs.stop_crash_log(crash_log)
