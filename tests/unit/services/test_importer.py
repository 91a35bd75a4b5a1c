"""Importing a batch where every odd file fails alone, by its name, and the rest goes on."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from receiptdesk.core.errors import ErrorKind
from receiptdesk.services import importer
from receiptdesk.store.library import Library
from receiptdesk.store.records import Status


def _receipt_png(path: Path, text: str = "TOTAL 12.50") -> Path:
    img = Image.new("RGB", (300, 200), "white")
    ImageDraw.Draw(img).text((20, 80), text, fill="black")
    img.save(path)
    return path


def _damaged_tiff(path: Path) -> Path:
    pages = [Image.new("RGB", (200, 300), c) for c in ("white", "gray", "black")]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    data = buf.getvalue()
    path.write_bytes(data[: len(data) * 2 // 3])  # cut off: the later pages' data and their directory
    return path


def _kept(library: Library) -> list[Path]:
    return [p for p in (library.root / "originals").rglob("*") if p.is_file() and len(p.name) == 64]


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "data")
    yield lib
    lib.close()


def test_odd_files_fail_alone_by_name_and_the_good_ones_go_in(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    good = _receipt_png(folder / "a-good.png")
    bad_name = folder / os.fsdecode(b"caf\xe9-receipt.png")  # Latin-1 bytes: not UTF-8
    _receipt_png(bad_name, "CAFE 3.20")
    _damaged_tiff(folder / "b-damaged.tif")
    (folder / "c-loop.pdf").symlink_to(folder / "c-loop.pdf")
    (folder / "d-zero.jpg").symlink_to("/dev/zero")
    os.mkfifo(folder / "e-pipe.pdf")
    (folder / "f-not-an-image.jpg").write_bytes(bytes(range(256)) * 4)
    _receipt_png(folder / "g-last.png", "TOTAL 99.00")

    outcomes: list[importer.ImportOutcome] = []
    worker = threading.Thread(target=lambda: outcomes.extend(importer.import_paths(library, [folder])))
    worker.start()
    worker.join(timeout=60)  # a pipe opened for reading would block here forever
    assert not worker.is_alive(), "the import stalled"

    by_name = {o.name: o for o in outcomes}
    assert set(by_name) == {"a-good.png", "caf\ufffd-receipt.png", "b-damaged.tif", "c-loop.pdf", "d-zero.jpg",
                            "e-pipe.pdf", "f-not-an-image.jpg", "g-last.png"}  # fmt: skip
    for name in ("a-good.png", "caf\ufffd-receipt.png", "g-last.png"):
        o = by_name[name]
        assert o.created and o.error is None and o.doc_id is not None, (name, o.error)
        assert library.summary(o.doc_id).status is Status.QUEUED
    assert library.summary(by_name["caf\ufffd-receipt.png"].doc_id or 0).file_name == "caf\ufffd-receipt.png"
    # Read but no document: kept as failed, with why, named by its name (never its SHA-256).
    for name, words in (("b-damaged.tif", "damaged"), ("f-not-an-image.jpg", "not a document")):
        o = by_name[name]
        assert o.doc_id is not None and o.error is not None and o.error.kind is ErrorKind.BAD_DOCUMENT
        s = library.summary(o.doc_id)
        assert s.status is Status.FAILED and s.error_message is not None
        assert name in s.error_message and words in s.error_message and s.sha256 not in s.error_message
    # Not files at all: refused before opening, nothing kept, the reason in words.
    for name, words in (("c-loop.pdf", "leads back to itself"), ("d-zero.jpg", "a device"),
                        ("e-pipe.pdf", "a named pipe")):  # fmt: skip
        o = by_name[name]
        assert o.doc_id is None and o.error is not None and words in o.error.message and name in o.error.message
    assert len(_kept(library)) == 5  # three good, two kept as failed
    assert sorted(p.read_bytes() for p in _kept(library) if p.read_bytes() == good.read_bytes())
    assert not list((library.root / "originals").rglob(".incoming-*"))


def test_a_file_that_vanished_before_its_turn_is_reported_by_name(tmp_path: Path, library: Library) -> None:
    gone = _receipt_png(tmp_path / "gone.png")
    listed = list(importer.expand([gone]))
    gone.unlink()
    [o] = [importer.import_file(library, p) for p in listed]
    assert o.doc_id is None and o.error is not None
    assert o.error.message == "gone.png does not exist any more (was it moved or deleted?)."


@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root reads every file")
def test_a_file_the_user_may_not_read_says_so_not_disk_space(tmp_path: Path, library: Library) -> None:
    secret = _receipt_png(tmp_path / "secret.png")
    secret.chmod(0)
    o = importer.import_file(library, secret)
    assert o.doc_id is None and o.error is not None and "permissions" in o.error.message


def test_the_file_step_touches_no_database_and_the_record_step_keeps_it(tmp_path: Path, library: Library) -> None:
    path = _receipt_png(tmp_path / "r.png")
    taken = importer.take_in(library.blobs, path)
    assert taken.received is not None and taken.error is None and taken.media_type == "image/png"
    assert taken.received.size == path.stat().st_size
    assert library.documents() == []  # nothing recorded yet
    assert not _kept(library)  # and no original under its name without a row
    outcome = importer.record(library, taken)
    assert outcome.created and outcome.doc_id is not None
    kept = library.original_path(outcome.doc_id)
    assert kept.read_bytes() == path.read_bytes() and library.summary(outcome.doc_id).size == kept.stat().st_size
    assert not taken.received.incoming.exists()


def test_half_copied_files_of_a_killed_run_are_removed_at_start(tmp_path: Path) -> None:
    root = tmp_path / "data"
    Library(root).close()
    incoming = root / "originals" / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    dead = incoming / ".incoming-999999999-abc"  # no such process
    dead.write_bytes(b"half a receipt")
    mine = incoming / f".incoming-{os.getpid()}-def"  # this process is copying it right now
    mine.write_bytes(b"being copied")
    Library(root).close()
    assert not dead.exists()
    assert mine.exists()


def test_summary_counts_what_happened(tmp_path: Path, library: Library) -> None:
    a = _receipt_png(tmp_path / "a.png")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    empty_too = tmp_path / "also-empty.jpg"  # the same (no) bytes: already there, not a second failure
    empty_too.write_bytes(b"")
    outcomes = importer.import_paths(library, [a, a, empty, empty_too, tmp_path / "missing.png"])
    summary = importer.ImportSummary()
    for o in outcomes:
        summary.count(o)
    assert str(summary) == "5 files: 1 added, 2 already in the library, 1 kept but not readable, 1 could not be added"
