"""Exports as an accountant opens them: typed Excel cells, headers in words, originals named by date and vendor."""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from receiptdesk.core.document import Document, Field, LineItem, Provenance
from receiptdesk.providers.base import RunContext
from receiptdesk.services import exporter, importer, jobs
from receiptdesk.services.exporter import ExportExists, Format, Originals
from receiptdesk.store.library import Library
from tests.unit.services.test_services import ScriptedProvider, _png


def _receipt(vendor: str, day: date, total: str, currency: str = "EUR") -> Document:
    return Document(
        Provenance("scripted", "v1"),
        currency=currency,
        fields={
            "vendor_name": Field(vendor),
            "date": Field(day, day.isoformat(), 0.9),
            "total": Field(Decimal(total), total, 0.9),
            "total_tax": Field(Decimal("1.60"), "1.60", 0.9),
        },
        line_items=[
            LineItem({"description": Field("Coffee"), "quantity": Field(Decimal(2)), "amount": Field(Decimal(total))})
        ],
        text=vendor,
    )


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def _add(library: Library, tmp_path: Path, name: str, doc: Document) -> int:
    (o,) = importer.import_paths(library, [_png(tmp_path, name, salt=name.encode())])
    doc_id = o.doc_id or 0
    jobs.extract_document(library, ScriptedProvider([doc]), doc_id, RunContext())
    return doc_id


def _records(library: Library, ids: list[int]) -> Iterator:  # type: ignore[type-arg]
    return (library.get(i) for i in ids)


def test_xlsx_has_a_sheet_per_table_with_dates_as_dates_and_amounts_as_numbers(
    library: Library, tmp_path: Path
) -> None:
    a = _add(library, tmp_path, "a.png", _receipt("Café Luna", date(2024, 3, 5), "12.50"))
    b = _add(library, tmp_path, "b.png", _receipt('=HYPERLINK("http://x")', date(2024, 4, 1), "1234.00", "USD"))
    library.set_category([a], "Meals")
    library.add_tag([a, b], "client x")
    library.edit(a, "line_items.0.amount", Decimal("12.40"))
    (xlsx,) = exporter.export(_records(library, [a, b]), tmp_path / "out", formats=[Format.XLSX])
    assert xlsx.name == "receipts.xlsx" and xlsx.stat().st_mode & 0o077 == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Documents", "Line items"]
    docs = book["Documents"]
    header = [c.value for c in docs[1]]
    assert header[:6] == ["Document", "File", "Status", "Type", "Vendor", "Date"]
    row = {h: c.value for h, c in zip(header, docs[2], strict=True)}
    assert row["Vendor"] == "Café Luna"
    assert isinstance(row["Date"], datetime) and row["Date"].date() == date(2024, 3, 5)
    assert isinstance(row["Total"], float) and row["Total"] == 12.5 and row["Tax"] == 1.6
    assert row["Category"] == "Meals" and row["Tags"] == "client-x"
    assert row["Corrected by you"] == "Line 1 amount"
    expected = {"needs_review": "Needs review", "reviewed": "Reviewed"}.get(library.summary(a).review or "", "Done")
    assert row["Status"] == expected and row["Read by"] == "scripted"
    hostile = {h: c for h, c in zip(header, docs[3], strict=True)}
    assert hostile["Vendor"].data_type == "s" and hostile["Vendor"].value.startswith(
        "=HYPERLINK"
    )  # text, not a formula
    assert hostile["Total"].value == 1234 and hostile["Currency"].value == "USD"
    lines = book["Line items"]
    line_header = [c.value for c in lines[1]]
    first = {h: c.value for h, c in zip(line_header, lines[2], strict=True)}
    assert first["Description"] == "Coffee" and first["Quantity"] == 2 and first["Amount"] == 12.4
    assert first["Vendor"] == "Café Luna" and first["Document"] == a


def test_csv_headers_are_words_and_json_keeps_machine_names(library: Library, tmp_path: Path) -> None:
    a = _add(library, tmp_path, "a.png", _receipt("Aldi", date(2024, 3, 5), "12.50"))
    library.set_category([a], "Groceries")
    docs_csv, lines_csv, js = exporter.export(_records(library, [a]), tmp_path / "out")
    with docs_csv.open(encoding="utf-8-sig") as f:
        (row,) = list(csv.DictReader(f))
    assert row["Vendor"] == "Aldi" and row["Total"] == "12.50" and row["Date"] == "2024-03-05"
    assert row["Category"] == "Groceries" and row["Tax"] == "1.60"
    assert "vendor_name" not in row
    with lines_csv.open(encoding="utf-8-sig") as f:
        assert next(csv.DictReader(f))["Unit price"] == ""
    (data,) = json.loads(js.read_text(encoding="utf-8"))
    assert data["document"]["fields"]["vendor_name"]["value"] == "Aldi"
    assert data["library"]["category"] == "Groceries" and data["library"]["duplicate_of"] is None


def test_an_export_never_overwrites_without_being_told(library: Library, tmp_path: Path) -> None:
    a = _add(library, tmp_path, "a.png", _receipt("Aldi", date(2024, 3, 5), "12.50"))
    out = tmp_path / "out"
    exporter.export(_records(library, [a]), out, formats=[Format.CSV])
    first = (out / "receipts.csv").read_bytes()
    library.edit(a, "total", Decimal("99.00"))
    with pytest.raises(ExportExists) as refused:
        exporter.export(_records(library, [a]), out, formats=[Format.CSV, Format.XLSX])
    assert {p.name for p in refused.value.paths} == {"receipts.csv", "receipts-lines.csv"}
    assert (out / "receipts.csv").read_bytes() == first and not (out / "receipts.xlsx").exists()
    exporter.export(_records(library, [a]), out, formats=[Format.CSV], replace=True)
    assert "99.00" in (out / "receipts.csv").read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in out.iterdir()) == ["receipts-lines.csv", "receipts.csv"]  # no leftovers


@pytest.mark.parametrize("how", [Originals.FOLDER, Originals.ZIP])
def test_originals_are_copied_named_by_date_and_vendor(library: Library, tmp_path: Path, how: Originals) -> None:
    a = _add(library, tmp_path, "a.png", _receipt("Aldi Süd", date(2024, 3, 5), "12.50"))
    b = _add(library, tmp_path, "b.png", _receipt("Aldi Süd", date(2024, 3, 5), "3.10"))
    c = _add(library, tmp_path, "c.png", _receipt("Shell/Station", date(2024, 2, 1), "40.00"))
    written = exporter.export(_records(library, [a, b, c]), tmp_path / "out", formats=[Format.JSON], originals=how,
                              original_path=lambda s: library.blobs.path_for(s.sha256))  # fmt: skip
    target = written[-1]
    expected = {"2024-03-05 Aldi Süd.png", "2024-03-05 Aldi Süd (2).png", "2024-02-01 Shell Station.png"}
    if how is Originals.ZIP:
        assert target.name == "receipts-originals.zip" and target.stat().st_mode & 0o077 == 0
        with zipfile.ZipFile(target) as z:
            assert set(z.namelist()) == expected
            assert z.read("2024-02-01 Shell Station.png") == library.original_path(c).read_bytes()
    else:
        assert target.name == "receipts-originals" and target.stat().st_mode & 0o077 == 0
        assert {p.name for p in target.iterdir()} == expected
        assert (target / "2024-03-05 Aldi Süd.png").read_bytes() == library.original_path(a).read_bytes()
    with pytest.raises(ExportExists):
        exporter.export(_records(library, [a]), tmp_path / "out", formats=[], originals=how,
                        original_path=lambda s: library.blobs.path_for(s.sha256))  # fmt: skip


def test_the_readers_names_in_exports_are_the_windows() -> None:
    from receiptdesk.providers.azure.provider import AzureProvider
    from receiptdesk.providers.local.provider import LocalProvider
    from receiptdesk.providers.textract.provider import TextractProvider

    for provider in (LocalProvider, TextractProvider, AzureProvider):
        assert exporter.PROVIDER_TITLES[provider.name] == provider.title
