"""`receiptdesk parse` and `extract` with the cloud services: one JSON object per document found,
each with its warnings, and what a slow service is doing said on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.emulators.fixtures import BUCKET, REGION, moto_s3, reset_moto, s3_client
from tests.emulators.textract import TextractEmulator
from tests.unit.providers.textract.conftest import write_pdf

__all__ = ["moto_s3"]  # the fixture, used by name


def receiptdesk(*args: str, data: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "RECEIPTDESK_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", **(env or {})}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "receiptdesk", *args], env=full, cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def two_receipts(shared: Path, folder: Path) -> Path:
    """A reference-shaped response of one file holding two receipts (ExpenseIndex 1 and 2)."""
    responses = shared / "data" / "responses" / "textract"
    first = json.loads((responses / "test_analyze_expense_from_image.json").read_text(encoding="utf-8"))
    second = json.loads((responses / "invoice-expense-response.json").read_text(encoding="utf-8"))
    first.pop("ResponseMetadata", None)
    docs = [first["ExpenseDocuments"][0], second["ExpenseDocuments"][0] | {"ExpenseIndex": 2}]
    path = folder / "two-receipts.json"
    path.write_text(json.dumps(first | {"ExpenseDocuments": docs}), encoding="utf-8")
    return path


def documents(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line)["document"] for line in stdout.splitlines()]


def test_parse_prints_one_object_per_receipt_found(tmp_path: Path, shared: Path) -> None:
    done = receiptdesk("parse", "--format", "jsonl", str(two_receipts(shared, tmp_path)), data=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    first, second = documents(done.stdout)
    assert (first["part"], second["part"]) == (1, 2)
    assert first["fields"]["total"]["value"] == "1810.46"
    assert second["fields"]["invoice_id"]["value"] == "123PQR456"
    assert first["warnings"] == [] and first["needs_review"] is False


def test_parse_prints_a_partial_result_with_its_warning(tmp_path: Path, shared: Path) -> None:
    raw = json.loads(
        (shared / "data" / "responses" / "textract" / "analyzeExpenseResponse-multipage.json").read_text("utf-8")
    )
    raw |= {"JobStatus": "PARTIAL_SUCCESS", "Warnings": [{"ErrorCode": "UNREADABLE_PAGE", "Pages": [3]}]}
    saved = tmp_path / "partial.json"
    saved.write_text(json.dumps(raw), encoding="utf-8")
    done = receiptdesk("parse", "--format", "jsonl", str(saved), data=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    (doc,) = documents(done.stdout)
    assert doc["warnings"] == ["Amazon Textract could not read page 3 (UNREADABLE_PAGE)."]
    assert doc["needs_review"] is True


@pytest.fixture
def emulator(shared: Path) -> Iterator[TextractEmulator]:
    with TextractEmulator(shared / "data" / "responses" / "textract") as emu:
        yield emu


def test_extract_with_textract_prints_each_receipt_and_what_it_is_doing(
    tmp_path: Path, shared: Path, emulator: TextractEmulator
) -> None:
    emulator.serve(str(two_receipts(shared, tmp_path)))
    data = tmp_path / "data"
    (data / "config").mkdir(parents=True)
    settings = {"version": 1, "values": {"textract.endpoint_url": emulator.url, "textract.region": "us-east-1"}}
    (data / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    keys = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "example-secret"}
    receipt = shared / "data" / "responses" / "textract" / "receipt.jpg"
    done = receiptdesk("extract", "--provider", "textract", "--format", "jsonl", str(receipt), data=data, env=keys)
    assert done.returncode == 0, done.stderr
    first, second = documents(done.stdout)
    assert first["fields"]["vendor_name"]["value"] == "MEGA MARKET PLUS"
    assert second["fields"]["invoice_id"]["value"] == "123PQR456"
    assert "receipt.jpg: Sending the document to Amazon Textract" in done.stderr
    assert emulator.count("AnalyzeExpense") == 1


def test_extract_says_while_textract_is_still_reading(tmp_path: Path, shared: Path, moto_s3: str) -> None:
    reset_moto(moto_s3)
    s3_client(moto_s3).create_bucket(Bucket=BUCKET)
    source = write_pdf(tmp_path / "invoice.pdf", 2)
    with TextractEmulator(shared / "data" / "responses" / "textract", s3_endpoint=moto_s3, region=REGION) as emu:
        emu.serve("analyzeExpenseResponse-multipage.json")
        emu.finish_after(1)  # the first look finds the job still running
        data = tmp_path / "data"
        (data / "config").mkdir(parents=True)
        values = {"textract.endpoint_url": emu.url, "textract.s3_endpoint_url": moto_s3, "textract.bucket": BUCKET}
        (data / "config" / "settings.json").write_text(json.dumps({"version": 1, "values": values}), "utf-8")
        keys = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "example-secret"}
        done = receiptdesk("extract", "--provider", "textract", str(source.path), data=data, env=keys)
    assert done.returncode == 0, done.stderr
    assert "invoice.pdf: Uploading to the S3 bucket" in done.stderr
    assert "invoice.pdf: Amazon Textract is reading the document (" in done.stderr
    assert json.loads(done.stdout)["document"]["fields"]["total"]["value"] == "5715.00"
    assert s3_client(moto_s3).list_objects_v2(Bucket=BUCKET).get("Contents") is None  # the upload is removed
