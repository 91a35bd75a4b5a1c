"""The command line's library verbs: list, show, export, delete, restore, reparse.

Split from cli.py (which reads files and builds the parser) along that seam; the
helpers that print are here and shared by both.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.core.fields import document_count
from receiptdesk.services import exporter, reparse
from receiptdesk.services.exporter import ExportExists, Format, Originals
from receiptdesk.services.wiring import Services, open_services
from receiptdesk.store import listing
from receiptdesk.store.filters import Filters, StatusFilter, month_or_day
from receiptdesk.store.listing import ListQuery


def _print_json(objects: Sequence[dict[str, Any]] | Iterator[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for obj in objects:
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        return
    items = list(objects)
    print(json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False, indent=2))


def _fail(message: str) -> int:
    print(f"receiptdesk: {message}", file=sys.stderr)
    return 1


def _report(services: Services, doc_id: int) -> bool:
    s = services.library.summary(doc_id)
    total = f"{s.total} {s.currency or ''}".strip() if s.total else "-"
    line = f"{s.id:>5}  {s.status.value:<10} {s.vendor or '-'} | {s.date or '-'} | {total}  ({s.file_name})"
    if s.error_message:
        line += f"\n       {s.error_message}"
    print(line, flush=True)
    return s.status.value not in ("failed", "waiting")


def _filters(args: argparse.Namespace) -> Filters:
    """The filter options shared by `list` and `export`; a date may be a year, a month or a day."""
    since = month_or_day(args.since, end=False) if args.since else None
    until = month_or_day(args.until, end=True) if args.until else None
    for given, parsed, name in ((args.since, since, "--since"), (args.until, until, "--until")):
        if given and parsed is None:
            raise ReceiptDeskError(
                ErrorKind.SETTINGS, f"{name} {given} is not a date: write 2024, 2024-03 or 2024-03-05."
            )
    return Filters(since=since, until=until, status=StatusFilter(args.status) if args.status else None,
                   category=args.category, tag=args.tag)  # fmt: skip


def _query(args: argparse.Namespace) -> ListQuery:
    return ListQuery(args.search or "", filters=_filters(args))


def cmd_list(args: argparse.Namespace) -> int:
    services = open_services()
    try:
        docs = services.library.walk(replace(_query(args), trash=args.trash))
        if args.format == "table":
            shown = 0
            for d in docs:
                _report(services, d.id)
                shown += 1
            if not shown:
                filtered = _filters(args).active
                print(f"Nothing matches “{args.search}”." if args.search else
                      "Nothing matches these filters." if filtered else "No documents.")  # fmt: skip
            return 0
        rows = (
            {
                "id": d.id, "file": d.file_name, "status": d.status.value, "vendor": d.vendor, "date": d.date,
                "total": d.total, "currency": d.currency, "kind": d.kind, "provider": d.provider,
                "error": {"kind": d.error_kind, "message": d.error_message} if d.error_kind else None,
                "notes": d.notes, "sha256": d.sha256, "review": d.review, "category": d.category,
                "category_suggested": d.category_suggested, "tags": list(d.tags), "duplicate_of": d.duplicate_of,
            }
            for d in docs
        )  # fmt: skip
        if args.format == "json":
            print(json.dumps(list(rows), ensure_ascii=False, indent=2))
        else:
            _print_json(iter(rows), "jsonl")
        return 0
    finally:
        services.close()


def _known(services: Services, ids: list[int]) -> list[int] | None:
    known = set(listing.summaries(services.library.db, ids))
    missing = [i for i in ids if i not in known]
    if missing:
        _fail("there is no document " + ", ".join(map(str, missing)))
        return None
    return ids


def cmd_delete(args: argparse.Namespace) -> int:
    services = open_services()
    try:
        ids = _known(services, args.ids)
        if ids is None:
            return 1
        services.library.trash(ids)
        if args.for_good:
            for doc_id in ids:
                services.library.delete(doc_id)
            print(f"Deleted for good: {', '.join(map(str, ids))}")
        else:
            print(f"Moved to the Trash: {', '.join(map(str, ids))} (receiptdesk restore ID... puts them back)")
        return 0
    finally:
        services.close()


def cmd_restore(args: argparse.Namespace) -> int:
    services = open_services()
    try:
        ids = _known(services, args.ids)
        if ids is None:
            return 1
        services.library.restore(ids)
        print(f"Restored: {', '.join(map(str, ids))}")
        return 0
    finally:
        services.close()


def cmd_reparse(args: argparse.Namespace) -> int:
    """Parse again, without OCR, what an older offline parser read and what a change of the reading settings
    was asked to apply to (edits kept)."""
    services = open_services()
    try:
        done = reparse.reparse(services.library, services.providers, reparse.pending(services.library)).done
        said = f"Parsed again: {document_count(done)}." if done else "Every reading is up to date."
        if kept := reparse.kept_as_checked(services.library):
            said += f" {kept} marked reviewed kept the values you checked."
        print(said)
        return 0
    finally:
        services.close()


def cmd_show(args: argparse.Namespace) -> int:
    services = open_services()
    try:
        try:
            record = services.library.get(args.id)
        except KeyError:
            return _fail(f"there is no document {args.id}")
        print(json.dumps(exporter.record_json(record), ensure_ascii=False, indent=2))
        return 0
    finally:
        services.close()


def cmd_export(args: argparse.Namespace) -> int:
    services = open_services()
    try:
        library = services.library
        records = (library.get(d.id) for d in library.walk(_query(args)))
        formats = [Format(f) for f in dict.fromkeys(args.format)] if args.format else list(exporter.DEFAULT_FORMATS)
        try:
            written = exporter.export(
                records, Path(args.folder), stem=args.name, formats=formats,
                originals=Originals(args.originals) if args.originals else None,
                original_path=lambda s: library.blobs.path_for(s.sha256), replace=args.replace,
            )  # fmt: skip
        except ExportExists as e:
            return _fail(f"{e.message} (--replace writes over them)")
        except ReceiptDeskError as e:
            return _fail(e.message)
        for p in written:
            print(p)
        return 0
    finally:
        services.close()


def _filter_options(p: argparse.ArgumentParser) -> None:
    if not any(a.dest == "search" for a in p._actions):
        p.add_argument("--search", help="only documents with all these words")
    p.add_argument("--since", metavar="DATE", help="documents dated on or after: 2024, 2024-03 or 2024-03-05")
    p.add_argument("--until", metavar="DATE", help="documents dated on or before: 2024, 2024-03 or 2024-03-05")
    p.add_argument("--status", choices=[s.value for s in StatusFilter])
    p.add_argument("--category")
    p.add_argument("--tag")
