"""Cloud readings you can trust (issue 12), through boto3 against the emulator and moto's S3:
partial results said and stored, one receipt per document, no job lost or paid twice,
uploads removed on every way out, errors that say what to fix."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from receiptdesk.core.document import Document
from receiptdesk.core.errors import Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from receiptdesk.providers.textract import TextractProvider
from tests.emulators.fixtures import s3_client
from tests.emulators.textract import TextractEmulator
from tests.unit.providers.textract.conftest import load_response

MULTIPAGE = "analyzeExpenseResponse-multipage.json"


def keys_in(moto_s3: str, bucket: str) -> list[str]:
    listing = s3_client(moto_s3).list_objects_v2(Bucket=bucket)
    return [o["Key"] for o in listing.get("Contents", [])]


# ------------------------------------------------------------------ warnings are part of a document
def test_a_partial_success_is_stored_on_the_document_and_marked_for_review(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    textract_emulator.partial_jobs([{"ErrorCode": "UNREADABLE_PAGE", "Pages": [2]}], "Could not read page 2")
    extraction = make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext())
    doc = extraction.document
    assert doc.warnings == ["Amazon Textract could not read page 2 (UNREADABLE_PAGE)."]
    assert doc.needs_review
    # Stored with the document JSON (what the library keeps and exports carry), and read back.
    again = Document.from_json(json.loads(json.dumps(doc.to_json())))
    assert again.warnings == doc.warnings and again.needs_review
    assert doc.to_json()["needs_review"] is True
    # Mapping the stored response again (no call) gives the same warning.
    assert make_provider().remap(extraction.raw).warnings == doc.warnings


def test_an_upload_that_cannot_be_deleted_is_a_warning_on_the_document(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    moto_s3: str,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    s3 = s3_client(moto_s3)
    locked = "receiptdesk-locked"  # object lock: S3 refuses to delete the uploaded version
    s3.create_bucket(Bucket=locked, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket=locked,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}},
        },
    )
    textract_emulator.serve(MULTIPAGE)
    doc = make_provider(bucket=locked).extract(two_page_pdf, RunContext()).document
    assert len(doc.warnings) == 1 and "could not be deleted" in doc.warnings[0]
    assert f"s3://{locked}/receiptdesk/{two_page_pdf.sha256}.pdf" in doc.warnings[0]
    assert doc.needs_review and doc.to_json()["warnings"] == doc.warnings


# ------------------------------------------------------------------ confidence
def test_line_items_carry_the_confidence_of_their_reading_not_of_their_type(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, tmp_path: Path
) -> None:
    textract_emulator.serve("invoice-expense-response.json")  # line item types at 70 %, values at 97-99.98 %
    image = tmp_path / "invoice.png"
    Image.new("RGB", (400, 500), "white").save(image)
    doc = make_provider().extract(Source.open(image), RunContext()).document
    confidences = [item.fields["description"].confidence for item in doc.line_items]
    assert confidences and all(c > 0.97 for c in confidences)
    assert max(confidences) == pytest.approx(0.9998, abs=1e-4)


# ------------------------------------------------------------------ one receipt, one document
def test_two_receipts_in_one_file_come_back_as_two_documents(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    responses: Path,
    receipt: Source,
    tmp_path: Path,
) -> None:
    first = load_response(responses, "test_analyze_expense_from_image.json")
    second = load_response(responses, "invoice-expense-response.json")
    expense = second["ExpenseDocuments"][0] | {"ExpenseIndex": 2}
    combined = first | {"ExpenseDocuments": [first["ExpenseDocuments"][0], expense]}
    served = tmp_path / "two-receipts.json"
    served.write_text(json.dumps(combined), encoding="utf-8")
    textract_emulator.serve(str(served))

    extraction = make_provider().extract(receipt, RunContext())
    a, b = extraction.documents
    assert extraction.document is a
    assert (a.part, b.part) == (1, 2)
    assert a.value("total") == Decimal("1810.46") and len(a.line_items) == 4
    assert b.value("invoice_id") == "123PQR456" and b.value("total") == Decimal("6231.09")
    assert len(b.line_items) == 4
    # Nothing of one receipt leaks into the other.
    assert a.value("invoice_id") != "123PQR456" and not any(f.text == "123PQR456" for f in a.extra.values())
    assert all(f.page == 1 and f.box is not None for f in b.fields.values() if f.text)


# ------------------------------------------------------------------ a job is never abandoned
def test_a_service_failing_while_polling_leaves_the_job_waiting(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    textract_emulator.fail("InternalServerError", operation="GetExpenseAnalysis", times=None)
    saved: list[dict[str, Any]] = []
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(on_checkpoint=saved.append))
    assert err.value.kind is ErrorKind.PENDING and err.value.retryable
    assert "The job is kept" in err.value.message and "UTC" in err.value.message
    assert keys_in(moto_s3, s3_bucket) != []  # the job still needs its upload

    textract_emulator.clear_faults()  # the service is back: the next run finishes the same job
    doc = make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(resume=saved[-1])).document
    assert doc.value("total") == Decimal("5715.00")
    assert textract_emulator.count("StartExpenseAnalysis") == 1
    assert keys_in(moto_s3, s3_bucket) == []


def test_an_expired_job_is_replaced_by_a_new_one_with_a_new_token(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext())
    textract_emulator.expire()  # seven days later: Textract has forgotten the job

    doc = make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext()).document
    assert doc.value("total") == Decimal("5715.00")
    starts = [c.body for c in textract_emulator.calls if c.operation == "StartExpenseAnalysis"]
    tokens = [s["ClientRequestToken"] for s in starts]
    assert len(tokens) == 3 and tokens[0] == tokens[1] != tokens[2]  # the dead job's token, then a new one
    assert len(textract_emulator.jobs) == 2
    assert keys_in(moto_s3, s3_bucket) == []


def test_a_failed_job_is_not_brought_back_by_its_token(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    textract_emulator.fail_jobs("Internal failure")
    saved: list[dict[str, Any]] = []
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(on_checkpoint=saved.append))
    assert err.value.kind is ErrorKind.SERVICE and "job failed" in err.value.message
    assert saved[-1]["dead"] is True  # the library keeps this: the next job gets the next attempt

    textract_emulator.succeed_jobs()  # new jobs succeed again
    doc = make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(resume=saved[-1])).document
    assert doc.value("total") == Decimal("5715.00")
    tokens = {c.body["ClientRequestToken"] for c in textract_emulator.calls if c.operation == "StartExpenseAnalysis"}
    assert len(tokens) == 3  # the first job, its automatic second attempt, and the one after the restart


def test_read_again_fetches_the_kept_result_instead_of_paying_again(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    saved: list[dict[str, Any]] = []
    provider = make_provider(bucket=s3_bucket)
    provider.extract(two_page_pdf, RunContext(on_checkpoint=saved.append))
    last = saved[-1]
    assert provider.can_fetch_again(last)
    doc = provider.extract(two_page_pdf, RunContext(resume=last)).document
    assert doc.value("total") == Decimal("5715.00")
    assert textract_emulator.count("StartExpenseAnalysis") == 1  # billed once
    assert provider.read_again_state(last) == last
    assert not provider.can_fetch_again({**last, "started": "2020-01-01T00:00:00+00:00"})
    assert not provider.can_fetch_again(None)

    # Asked for a fresh reading: a new job (a new token), billed again.
    fresh = provider.read_again_state(last, fresh=True)
    provider.extract(two_page_pdf, RunContext(resume=fresh))
    assert textract_emulator.count("StartExpenseAnalysis") == 2 and len(textract_emulator.jobs) == 2


# ------------------------------------------------------------------ uploads removed on every way out
def test_a_refused_start_removes_the_upload(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.fail("InvalidKMSKeyException", operation="StartExpenseAnalysis")
    with pytest.raises(ReceiptDeskError):
        make_provider(bucket=s3_bucket, kms_key_id="alias/gone").extract(two_page_pdf, RunContext())
    assert keys_in(moto_s3, s3_bucket) == []


def test_stop_removes_the_upload_of_the_running_job(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    textract_emulator.stall()
    saved: list[dict[str, Any]] = []
    cancel = threading.Event()

    def started(state: dict[str, Any]) -> None:
        saved.append(state)
        cancel.set()  # the user presses Stop

    provider = make_provider(bucket=s3_bucket)
    with pytest.raises(Cancelled):
        provider.extract(two_page_pdf, RunContext(on_checkpoint=started, cancel_event=cancel))
    assert keys_in(moto_s3, s3_bucket) != []  # a pause (quitting) keeps it for the job
    assert provider.discard(saved[-1]) is None  # a stop ends it: the caller discards
    assert keys_in(moto_s3, s3_bucket) == []


# ------------------------------------------------------------------ errors that say what to fix
def test_a_bucket_textract_cannot_read_is_a_setting_not_a_bad_file(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.fail("InvalidS3ObjectException", operation="StartExpenseAnalysis")
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext())
    assert err.value.kind is ErrorKind.SETTINGS
    assert "its own region (us-east-1)" in err.value.message and s3_bucket in err.value.message
    assert "opens in another program" not in err.value.hint
    assert keys_in(moto_s3, s3_bucket) == []


def test_invalid_parameters_while_polling_are_not_blamed_on_the_file(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    textract_emulator.fail("InvalidParameterException", operation="GetExpenseAnalysis", times=2)
    saved: list[dict[str, Any]] = []
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(on_checkpoint=saved.append))
    assert err.value.kind is ErrorKind.SERVICE  # not a bad file, and not a wait that would never end
    assert "refused to hand over the results" in err.value.message
    assert "opens in another program" not in err.value.hint
    assert saved[-1]["dead"] is True  # the next reading starts a new job with a new token
    assert textract_emulator.count("StartExpenseAnalysis") == 2  # one new attempt right away, refused too


# ------------------------------------------------------------------ limits checked before upload
def test_an_image_over_10000_pixels_is_refused_before_any_call(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, tmp_path: Path
) -> None:
    path = tmp_path / "banner.png"
    Image.new("1", (10_001, 20), 1).save(path)
    with pytest.raises(ReceiptDeskError) as err:
        make_provider().estimate(Source.open(path))
    assert err.value.kind is ErrorKind.BAD_DOCUMENT
    assert "10,001 × 20 pixels" in err.value.message and "at most 10,000" in err.value.message
    assert textract_emulator.calls == []


def test_a_pdf_page_over_40_inches_is_refused_before_any_call(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, tmp_path: Path
) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(8.5 * 72, 45 * 72)
    path = tmp_path / "plan.pdf"
    pdf.save(path)
    pdf.close()
    with pytest.raises(ReceiptDeskError) as err:
        make_provider().extract(Source.open(path), RunContext())
    assert "Page 1 of the PDF is 8 × 45 inches" in err.value.message and "40 inches" in err.value.message
    assert textract_emulator.calls == []


# ------------------------------------------------------------------ every charge and date type
def _field(ftype: str, text: str, label: str | None, top: float, currency: str | None = None) -> dict[str, Any]:
    """An ExpenseField in the documented shape (API_ExpenseField.md), values at 99 %, types at 70 %."""
    geometry = {"BoundingBox": {"Left": 0.6, "Top": top, "Width": 0.2, "Height": 0.02}}
    f: dict[str, Any] = {
        "Type": {"Text": ftype, "Confidence": 70.0},
        "ValueDetection": {"Text": text, "Confidence": 99.0} | ({"Geometry": geometry} if text else {}),
        "PageNumber": 1,
    }
    if label is not None:
        label_geometry = {"BoundingBox": {"Left": 0.1, "Top": top, "Width": 0.3, "Height": 0.02}}
        f["LabelDetection"] = {"Text": label, "Confidence": 95.0, "Geometry": label_geometry}
    if currency:
        f["Currency"] = {"Code": currency, "Confidence": 90.0}
    return f


def test_charges_and_dates_of_the_taxonomy_are_typed_and_add_up(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    receipt: Source,
    tmp_path: Path,
) -> None:
    summary = [
        _field("SUBTOTAL", "$100.00", "Subtotal", 0.50, "USD"),
        _field("SERVICE_CHARGE", "$10.00", "Service 10%", 0.52, "USD"),
        _field("SHIPPING_HANDLING_CHARGE", "$5.00", "Shipping & handling", 0.54, "USD"),
        _field("TAX", "$8.00", "Tax", 0.56, "USD"),
        _field("GRATUITY", "$2.00", "Tip", 0.58, "USD"),
        _field("DISCOUNT", "-$5.00", "Discount", 0.60, "USD"),
        _field("TOTAL", "$120.00", "Total", 0.62, "EUR"),  # a per-field currency is kept as given
        _field("ORDER_DATE", "2024-03-01", "Order date", 0.10),
        _field("DELIVERY_DATE", "2024-03-05", "Delivered", 0.12),
        _field("DUE_DATE", "", "Due date:", 0.14),  # printed label, nothing after it
        _field("STATE", "WA", None, 0.20),
        _field("STATE", "WA", None, 0.30),  # the same text printed again elsewhere
    ]
    response = {"DocumentMetadata": {"Pages": 1}, "ExpenseDocuments": [{"ExpenseIndex": 1, "SummaryFields": summary}]}
    served = tmp_path / "charges.json"
    served.write_text(json.dumps(response), encoding="utf-8")
    textract_emulator.serve(str(served))

    doc = make_provider().extract(receipt, RunContext()).document
    assert doc.value("service_charge") == Decimal("10.00") and doc.value("shipping") == Decimal("5.00")
    (total_check,) = [c for c in doc.checks if c.name == "total_arithmetic"]
    assert total_check.status == "ok", total_check.message
    assert str(doc.value("order_date")) == "2024-03-01" and str(doc.value("delivery_date")) == "2024-03-05"
    due = doc.fields["due_date"]
    assert due.value is None and due.label == "Due date:" and due.label_box is not None
    total = doc.fields["total"]
    assert total.currency == "EUR" and doc.fields["subtotal"].currency == "USD"
    assert total.label_box is not None and total.label_confidence == pytest.approx(0.95)
    assert total.confidence == pytest.approx(0.99)  # the value's own reading, not the type's 70 %
    states = [f for name, f in doc.extra.items() if name.startswith("state")]
    assert len(states) == 2 and states[0].box != states[1].box  # both printed readings kept


def test_uploads_left_by_a_run_that_never_came_back_are_removed(
    make_provider: Callable[..., TextractProvider],
    textract_emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    textract_emulator.serve(MULTIPAGE)
    textract_emulator.stall()
    cancel = threading.Event()
    with pytest.raises(Cancelled):  # the app quits mid-job and is not opened again for weeks
        make_provider(bucket=s3_bucket).extract(
            two_page_pdf, RunContext(on_checkpoint=lambda _: cancel.set(), cancel_event=cancel)
        )
    s3_client(moto_s3).put_object(Bucket=s3_bucket, Key="receiptdesk/notes.txt", Body=b"the user's own file")
    provider = make_provider(bucket=s3_bucket)
    assert provider.remove_stale_uploads() == []  # the job may still need it: younger than 7 days
    removed = provider.remove_stale_uploads(older_than=timedelta(0))  # as it is 7 days later
    assert removed == [f"receiptdesk/{two_page_pdf.sha256}.pdf"]
    assert keys_in(moto_s3, s3_bucket) == ["receiptdesk/notes.txt"]  # nothing but ReceiptDesk's own uploads
