"""The parts of an export that are not plain text: the Excel workbook and the copy of the originals.

Both are written under a temporary name and put in place whole when the
export finishes (a failed export leaves nothing half written), private to
the user (0600 files, 0700 folder). Excel cells are typed: dates are dates,
amounts and quantities are numbers, text is text (never a formula).
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from receiptdesk.core.fields import ValueKind
from receiptdesk.services.exporter import DOCUMENT_COLUMNS, LINE_COLUMNS, Originals
from receiptdesk.store.records import DocumentSummary

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def _part(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


class Workbook:
    """An .xlsx with a Documents sheet and a Line items sheet, appended to row by row (openpyxl write-only)."""

    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook as OpenpyxlWorkbook

        self.path = path
        self._book = OpenpyxlWorkbook(write_only=True)
        self._documents = self._book.create_sheet("Documents")
        self._lines = self._book.create_sheet("Line items")
        for sheet, columns in ((self._documents, DOCUMENT_COLUMNS), (self._lines, LINE_COLUMNS)):
            sheet.freeze_panes = "A2"
            sheet.append([label for _, label, _ in columns])

    def __enter__(self) -> Workbook:
        return self

    def add(self, row: dict[str, Any], lines: list[dict[str, Any]]) -> None:
        self._documents.append(self._cells(self._documents, row, DOCUMENT_COLUMNS))
        for line in lines:
            self._lines.append(self._cells(self._lines, line, LINE_COLUMNS))

    @staticmethod
    def _cells(sheet: Any, row: dict[str, Any], columns: tuple[tuple[str, str, ValueKind], ...]) -> list[Any]:
        from openpyxl.cell import WriteOnlyCell

        out: list[Any] = []
        for name, _, kind in columns:
            value = row.get(name)
            if value is None or value == "":
                out.append(None)
            elif kind is ValueKind.MONEY and isinstance(value, Decimal):
                c = WriteOnlyCell(sheet, value=value)
                c.number_format = MONEY_FORMAT
                out.append(c)
            elif kind is ValueKind.DATE and isinstance(value, date):
                c = WriteOnlyCell(sheet, value=value)
                c.number_format = DATE_FORMAT
                out.append(c)
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                out.append(value)
            else:
                c = WriteOnlyCell(sheet, value=str(value))
                c.data_type = "s"  # text, even when it starts with '=': a vendor's name never runs as a formula
                out.append(c)
        return out

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        tmp = _part(self.path)
        if kind is not None:
            tmp.unlink(missing_ok=True)
            return
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        try:
            self._book.save(tmp)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def original_name(s: DocumentSummary) -> str:
    """'2024-03-05 Aldi.jpg': the date and vendor, as an accountant files them."""
    suffix = Path(s.file_name).suffix.lower()
    vendor = _UNSAFE.sub(" ", s.vendor or Path(s.file_name).stem).strip(" .") or "document"
    return f"{s.date or 'no date'} {vendor[:80]}{suffix}"


class OriginalsCopy:
    """The original files, each named by date and vendor, in a folder or a .zip beside the export."""

    def __init__(self, target: Path, how: Originals | None) -> None:
        self.target = target
        self.zip = how is Originals.ZIP
        self._tmp = _part(target)
        self._names: set[str] = set()
        if self.zip:
            fd = os.open(self._tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._archive: zipfile.ZipFile | None = zipfile.ZipFile(os.fdopen(fd, "wb"), "w", zipfile.ZIP_DEFLATED)
        else:
            self._archive = None
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp.mkdir(mode=0o700)

    def __enter__(self) -> OriginalsCopy:
        return self

    def _unique(self, name: str) -> str:
        stem, suffix = os.path.splitext(name)
        n, candidate = 1, name
        while candidate.casefold() in self._names:
            n += 1
            candidate = f"{stem} ({n}){suffix}"
        self._names.add(candidate.casefold())
        return candidate

    def add(self, summary: DocumentSummary, original: Path) -> None:
        name = self._unique(original_name(summary))
        if self._archive is not None:
            self._archive.write(original, name)
            return
        target = self._tmp / name
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, original.open("rb") as src:
            shutil.copyfileobj(src, out)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._archive is not None:
            fp = self._archive.fp
            self._archive.close()
            if fp is not None:
                fp.close()
        if kind is not None:
            self._discard(self._tmp)
            return
        if self.target.exists():  # replacing an earlier copy (the caller asked): the old one goes
            aside = self.target.with_name(f".{self.target.name}.old")
            self._discard(aside)
            os.replace(self.target, aside)
            os.replace(self._tmp, self.target)
            self._discard(aside)
        else:
            os.replace(self._tmp, self.target)

    @staticmethod
    def _discard(path: Path) -> None:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
