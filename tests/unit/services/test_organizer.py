"""After reading: a suggested category, and copies of one receipt found by their values or their looks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from receiptdesk.core.document import Document, Field, LineItem, Provenance
from receiptdesk.providers.base import RunContext
from receiptdesk.services import importer, jobs, organizer
from receiptdesk.services.rendering import PageRenderer
from receiptdesk.store import organize
from receiptdesk.store.library import Library
from tests.conftest import ROOT
from tests.unit.services.test_services import ScriptedProvider

SAMPLES = ROOT / "resources" / "samples"


def _doc(vendor: str, day: date | None, total: str | None, items: tuple[str, ...] = ()) -> Document:
    fields = {"vendor_name": Field(vendor)}
    if day:
        fields["date"] = Field(day)
    if total:
        fields["total"] = Field(Decimal(total))
    return Document(
        Provenance("scripted", "v1"), currency="EUR", fields=fields,
        line_items=[LineItem({"description": Field(i)}) for i in items], text=vendor,
    )  # fmt: skip


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def _read(library: Library, path: Path, doc: Document, renderer: PageRenderer) -> int:
    (o,) = importer.import_paths(library, [path])
    doc_id = o.doc_id or 0
    jobs.extract_document(library, ScriptedProvider([doc]), doc_id, RunContext())
    organizer.organize_read(library, doc_id, organizer.page_hash(renderer, library.original_path(doc_id)))
    return doc_id


def test_the_same_receipt_in_two_files_is_a_possible_duplicate_by_its_values(library: Library, tmp_path: Path) -> None:
    renderer = PageRenderer(tmp_path / "cache")
    a, b, c = (tmp_path / n for n in ("a.png", "b.png", "c.png"))
    Image.new("RGB", (60, 90), "white").save(a)
    Image.new("RGB", (90, 60), (20, 20, 20)).save(b)  # looks nothing alike
    Image.new("RGB", (40, 40), (200, 0, 0)).save(c)
    first = _read(library, a, _doc("Bäckerei Ernst GmbH", date(2024, 3, 5), "12.50"), renderer)
    second = _read(library, b, _doc("BACKEREI ERNST GMBH.", date(2024, 3, 5), "12.5"), renderer)
    other = _read(library, c, _doc("Bäckerei Ernst GmbH", date(2024, 3, 6), "12.50"), renderer)
    assert library.summary(first).duplicate_of is None
    assert library.summary(second).duplicate_of == first
    assert library.summary(other).duplicate_of is None  # another day: another purchase
    library.keep_both([first, second])
    organizer.organize_read(library, second, None)  # read again: not flagged again
    assert library.summary(second).duplicate_of is None
    third = _read(library, tmp_path / "a.png", _doc("x", None, None), renderer)  # same bytes: the same document
    assert third == first


def test_the_same_page_saved_as_a_jpeg_and_a_pdf_looks_the_same(library: Library, tmp_path: Path) -> None:
    renderer = PageRenderer(tmp_path / "cache")
    photo = Image.open(SAMPLES / "receipt.jpg").convert("RGB")
    jpeg, pdf = tmp_path / "scan.jpg", tmp_path / "scan.pdf"
    photo.resize((photo.width // 2, photo.height // 2)).save(jpeg, quality=50)
    photo.save(pdf, resolution=150)
    first = _read(library, jpeg, _doc("Unreadable", None, None), renderer)  # values too poor to compare
    second = _read(library, pdf, _doc("Other", None, "3.00"), renderer)
    invoice = _read(library, SAMPLES / "invoice.png", _doc("Other", None, "3.00"), renderer)
    assert library.summary(second).duplicate_of == first
    assert library.summary(invoice).duplicate_of is None
    library.trash([first])  # the copy in the Trash: the other one is no longer marked
    assert library.summary(second).duplicate_of is None


def test_a_category_is_suggested_from_the_vendor_and_items_but_never_over_the_users(library: Library) -> None:
    known = organize.categories(library.db)
    hotel = _doc("City Hotel", None, None, ("Room charge", "Breakfast"))
    assert organizer.suggest_category(hotel, known) == "Lodging"
    fuel = _doc("Station 42", None, None, ("Diesel 40.2 L",))
    assert organizer.suggest_category(fuel, known) == "Fuel"
    assert organizer.suggest_category(_doc("J. Smith", None, None, ("Widget",)), known) is None
    assert organizer.suggest_category(hotel, [k for k in known if k != "Lodging"]) is None  # removed by the user


def test_a_suggestion_is_marked_and_the_users_choice_wins(library: Library, tmp_path: Path) -> None:
    renderer = PageRenderer(tmp_path / "cache")
    Image.new("RGB", (10, 10), "white").save(tmp_path / "h.png")
    doc_id = _read(library, tmp_path / "h.png", _doc("Seaside Hotel", None, None, ("Room",)), renderer)
    s = library.summary(doc_id)
    assert s.category == "Lodging" and s.category_suggested
    library.set_category([doc_id], "travel")  # typed in another case: the list's spelling
    s = library.summary(doc_id)
    assert s.category == "Travel" and not s.category_suggested
    organizer.organize_read(library, doc_id, None)
    assert library.summary(doc_id).category == "Travel"


def test_the_parts_of_one_file_are_organized_and_never_copies_of_each_other(library: Library, tmp_path: Path) -> None:
    renderer = PageRenderer(tmp_path / "cache")
    (o,) = importer.import_paths(library, [SAMPLES / "receipt.jpg"])
    doc_id = o.doc_id or 0
    first, second = _doc("Seaside Hotel", date(2024, 5, 1), "80.00"), _doc("Station 42", None, "40.00", ("Diesel",))
    library.save_extraction(doc_id, first, None)
    (part_two,) = library.save_parts(doc_id, [first, second], None)
    parts = organizer.organize_file(library, doc_id, organizer.page_hash(renderer, library.original_path(doc_id)))
    assert parts == [doc_id, part_two]
    one, two = library.summary(doc_id), library.summary(part_two)
    assert (one.category, two.category) == ("Lodging", "Fuel")  # each part its own suggestion
    assert one.duplicate_of is None and two.duplicate_of is None
    hashes = library.db.column("SELECT page_hash FROM documents WHERE id IN (?, ?) ORDER BY id", (doc_id, part_two))
    assert hashes[0] is not None and hashes[1] is None  # the file's first page is the first part's only
