"""Files and folders into the library: every file dropped becomes a document at once.

Two steps, so the window can run the slow one off the database lane: `take_in`
opens the file (a regular file only, without blocking), copies it into the
library's folder while hashing it (read once: the hash, the size and the bytes
kept always agree) and probes the copy, touching no database; `record` writes
the row. A file that cannot be read as a document is still kept (byte for
byte) and recorded as failed with the reason; one that cannot even be read
is reported by its name. Nothing one file does stops the rest of the batch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError, bad_document
from receiptdesk.providers.files import MAX_FILE_BYTES, display_name, open_regular
from receiptdesk.providers.source import EXTENSIONS, Source
from receiptdesk.store.blobs import BlobStore, Received
from receiptdesk.store.library import Library
from receiptdesk.store.records import Status

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Taken:
    """A file after the file step: copied in (`received`) or not, and what it was found to be."""

    path: Path
    name: str  # as the user can read it
    received: Received | None  # None when the file could not be read at all
    media_type: str | None = None
    pages: int = 0
    error: ReceiptDeskError | None = None  # why it cannot be read as a document


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    path: Path
    doc_id: int | None  # None only when the file could not even be copied
    created: bool  # False when the same bytes were already in the library
    error: ReceiptDeskError | None = None
    name: str = field(default="")

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", display_name(self.path))


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked (links to folders not followed, so a loop ends) for the kinds
    of files ReceiptDesk reads, in name order. A folder that cannot be listed is given back as
    itself, so the import reports it."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    unreadable: list[Path] = []
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=lambda e: unreadable.append(Path(e.filename or folder))):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if f.lower().endswith(EXTENSIONS) and not f.startswith("."):
                found.append(Path(root) / f)
    yield from sorted(found)
    yield from unreadable


def take_in(blobs: BlobStore, path: Path) -> Taken:
    """The file step: open, copy in while hashing, probe the copy. No database; never raises for a file."""
    name = display_name(path)
    try:
        if path.is_dir():
            raise bad_document(f"The folder {name} could not be opened: check its permissions.")
        with open_regular(path, name) as f:
            received = blobs.receive(f, name, MAX_FILE_BYTES)
    except ReceiptDeskError as e:
        return Taken(path, name, None, error=e)
    except Exception as e:  # a surprise must not stop the batch: logged, reported as a bug for this file
        log.exception("taking in %s failed", name)
        return Taken(path, name, None, error=ReceiptDeskError(ErrorKind.BUG, f"{name} could not be imported ({e})."))
    try:
        source = Source.open(received.incoming, name=name)
    except ReceiptDeskError as e:
        return Taken(path, name, received, error=e)
    except Exception as e:  # noqa: BLE001 - a decoder's own failure on a damaged file: the file's fault
        log.warning("probing %s failed: %r", name, e)
        return Taken(path, name, received, error=bad_document(f"{name} is damaged and cannot be read."))
    return Taken(path, name, received, source.media_type, source.pages)


def record(library: Library, taken: Taken) -> ImportOutcome:
    """The record step (db lane): the document's row; a file that is no readable document is kept as failed."""
    if taken.received is None:
        return ImportOutcome(taken.path, None, False, taken.error, taken.name)
    try:
        doc_id, created = library.add_file(
            taken.path, media_type=taken.media_type, page_count=taken.pages, received=taken.received, name=taken.name
        )
        if created and taken.error is not None:
            library.set_status(doc_id, Status.FAILED, taken.error)
            log.info("kept %s as a failed document: %s", taken.name, taken.error.message)
    except ReceiptDeskError as e:
        return ImportOutcome(taken.path, None, False, e, taken.name)
    return ImportOutcome(taken.path, doc_id, created, taken.error, taken.name)


def import_file(library: Library, path: Path) -> ImportOutcome:
    return record(library, take_in(library.blobs, path))


def import_paths(library: Library, paths: Iterable[Path]) -> list[ImportOutcome]:
    return [import_file(library, p) for p in expand(paths)]


@dataclass(slots=True)
class ImportSummary:
    """What an import did, in counts."""

    added: int = 0
    already: int = 0
    failed: int = 0  # kept, but not readable as a document
    not_added: int = 0  # could not even be read

    def count(self, outcome: ImportOutcome) -> None:
        if outcome.doc_id is None:
            self.not_added += 1
        elif not outcome.created:
            self.already += 1
        elif outcome.error is not None:
            self.failed += 1
        else:
            self.added += 1

    @property
    def total(self) -> int:
        return self.added + self.already + self.failed + self.not_added

    def __str__(self) -> str:
        parts = [f"{self.added} added"]
        if self.already:
            parts.append(f"{self.already} already in the library")
        if self.failed:
            parts.append(f"{self.failed} kept but not readable")
        if self.not_added:
            parts.append(f"{self.not_added} could not be added")
        return f"{self.total} file{'s' if self.total != 1 else ''}: " + ", ".join(parts)
