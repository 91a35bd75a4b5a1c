"""Files and folders into the library: every file dropped becomes a document at once.

A file that cannot be read as a document is still kept (byte for byte) and
recorded as failed with the reason, so nothing the user handed over is
lost and the rest of the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.source import EXTENSIONS, Source
from receiptdesk.store.library import Library
from receiptdesk.store.records import Status

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    path: Path
    doc_id: int | None  # None only when the file could not even be copied
    created: bool  # False when the same bytes were already in the library
    error: ReceiptDeskError | None = None


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked for the kinds of files ReceiptDesk reads, in name order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in EXTENSIONS and not child.name.startswith("."):
                    yield child
        else:
            yield path


def import_file(library: Library, path: Path) -> ImportOutcome:
    try:
        source = Source.open(path)
    except ReceiptDeskError as problem:
        if problem.kind is not ErrorKind.BAD_DOCUMENT or not path.is_file():
            return ImportOutcome(path, None, False, problem)
        return _keep_failed(library, path, problem)
    try:
        doc_id, created = library.add_file(path, media_type=source.media_type, page_count=source.pages)
    except ReceiptDeskError as e:
        return ImportOutcome(path, None, False, e)
    return ImportOutcome(path, doc_id, created)


def _keep_failed(library: Library, path: Path, problem: ReceiptDeskError) -> ImportOutcome:
    try:
        doc_id, created = library.add_file(path, media_type=None, page_count=0)
    except ReceiptDeskError as e:
        return ImportOutcome(path, None, False, e)
    if created:
        library.set_status(doc_id, Status.FAILED, problem)
    log.info("kept %s as a failed document: %s", path.name, problem.message)
    return ImportOutcome(path, doc_id, created, problem)


def import_paths(library: Library, paths: Iterable[Path]) -> list[ImportOutcome]:
    return [import_file(library, p) for p in expand(paths)]
