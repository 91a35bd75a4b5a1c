"""The asynchronous route: S3 upload (moto), StartExpenseAnalysis, polling, paging, restart, idempotency."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from receiptdesk.core.errors import Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import Source
from receiptdesk.providers.textract import TextractProvider
from tests.emulators.fixtures import s3_client
from tests.emulators.textract import TextractEmulator

MULTIPAGE = "analyzeExpenseResponse-multipage.json"


@pytest.fixture
def emulator(textract_emulator: TextractEmulator) -> TextractEmulator:
    textract_emulator.serve(MULTIPAGE)
    return textract_emulator


def keys_in(moto_s3: str, bucket: str) -> list[str]:
    listing = s3_client(moto_s3).list_objects_v2(Bucket=bucket)
    return [o["Key"] for o in listing.get("Contents", [])]


def versions_in(moto_s3: str, bucket: str) -> list[dict[str, Any]]:
    versions: list[dict[str, Any]] = s3_client(moto_s3).list_object_versions(Bucket=bucket).get("Versions", [])
    return versions


def versioned(moto_s3: str, bucket: str) -> str:
    s3_client(moto_s3).put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return bucket


def test_multi_page_pdf_is_uploaded_analysed_paged_and_cleaned_up(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    emulator.finish_after(2)  # two polls IN_PROGRESS, then done
    checkpoints: list[dict[str, Any]] = []
    progress: list[tuple[float, str]] = []
    ctx = RunContext(on_checkpoint=checkpoints.append, on_progress=lambda f, t: progress.append((f, t)))
    extraction = make_provider(bucket=s3_bucket, max_results=1).extract(two_page_pdf, ctx)

    ops = [c.operation for c in emulator.calls]
    assert ops == ["StartExpenseAnalysis"] + ["GetExpenseAnalysis"] * 4  # 2 polls in progress, 2 result pages
    start = emulator.calls[0].body
    key = f"receiptdesk/{two_page_pdf.sha256}.pdf"
    assert start["DocumentLocation"] == {"S3Object": {"Bucket": s3_bucket, "Name": key}}
    token = start["ClientRequestToken"]
    assert re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", token) and token.startswith(two_page_pdf.sha256[:40])
    assert re.fullmatch(r"[a-zA-Z0-9_.\-:]{1,64}", start["JobTag"])
    assert "NotificationChannel" not in start and "OutputConfig" not in start and "KMSKeyId" not in start
    gets = [c.body for c in emulator.calls[1:]]
    assert all(g["MaxResults"] == 1 and g["JobId"] == checkpoints[0]["job_id"] for g in gets)
    assert "NextToken" in gets[-1] and "NextToken" not in gets[-2]

    # The job was checkpointed as soon as it existed.
    assert len(checkpoints) == 1
    assert checkpoints[0]["key"] == key and checkpoints[0]["bucket"] == s3_bucket
    assert checkpoints[0]["sha256"] == two_page_pdf.sha256

    doc = extraction.document
    assert doc.value("total") == Decimal("5715.00")
    assert doc.value("due_date") is not None
    assert len(doc.line_items) == 8 and [p.number for p in doc.pages] == [1, 2]
    assert extraction.pages_billed == 2
    assert len(extraction.raw["ExpenseDocuments"]) == 2 and "NextToken" not in extraction.raw
    assert [f for f, _ in progress] == sorted(f for f, _ in progress)  # progress only moves forward
    assert progress[-1] == (1.0, "Done")
    assert keys_in(moto_s3, s3_bucket) == []  # deleted when done (the default)


def test_the_upload_can_be_kept(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    make_provider(bucket=s3_bucket, prefix="scans/2024", delete_uploaded=False).extract(two_page_pdf, RunContext())
    assert keys_in(moto_s3, s3_bucket) == [f"scans/2024/{two_page_pdf.sha256}.pdf"]


def test_versioned_bucket_passes_the_version_and_deletes_only_it(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    bucket = versioned(moto_s3, s3_bucket)
    make_provider(bucket=bucket).extract(two_page_pdf, RunContext())
    location = emulator.calls[0].body["DocumentLocation"]["S3Object"]
    assert location["Version"]  # the uploaded version, so Textract reads exactly these bytes
    assert versions_in(moto_s3, bucket) == []  # that version removed, no delete marker left behind


def test_every_option_reaches_the_request(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    make_provider(
        bucket=s3_bucket,
        job_tag="accounts-2024",
        output_bucket="receiptdesk-results",
        output_prefix="out",
        kms_key_id="alias/receipts",
    ).extract(two_page_pdf, RunContext())
    start = emulator.calls[0].body
    assert start["JobTag"] == "accounts-2024"
    assert "NotificationChannel" not in start  # ReceiptDesk polls; no SNS topic is published to
    assert start["OutputConfig"] == {"S3Bucket": "receiptdesk-results", "S3Prefix": "out"}
    assert start["KMSKeyId"] == "alias/receipts"


def test_a_restart_in_the_middle_continues_the_same_job(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    emulator.stall()
    saved: list[dict[str, Any]] = []
    cancel = threading.Event()

    def remember_and_quit(state: dict[str, Any]) -> None:
        saved.append(state)  # the app writes this to its jobs table ...
        cancel.set()  # ... and then the user quits

    with pytest.raises(Cancelled):
        make_provider(bucket=s3_bucket).extract(
            two_page_pdf, RunContext(on_checkpoint=remember_and_quit, cancel_event=cancel)
        )
    assert emulator.count("StartExpenseAnalysis") == 1
    assert keys_in(moto_s3, s3_bucket) != []  # the job may still need the upload

    emulator.stall(False)
    fresh = make_provider(bucket=s3_bucket)  # a new app session: new provider, new clients
    stored = json.loads(json.dumps(saved[0]))  # as the jobs table keeps it
    extraction = fresh.extract(two_page_pdf, RunContext(resume=stored))
    assert extraction.document.value("total") == Decimal("5715.00")
    assert emulator.count("StartExpenseAnalysis") == 1
    assert {c.body["JobId"] for c in emulator.calls if c.operation == "GetExpenseAnalysis"} == {saved[0]["job_id"]}
    assert keys_in(moto_s3, s3_bucket) == []


def test_network_down_while_polling_then_back(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    emulator.stall()
    saved: list[dict[str, Any]] = []

    def network_goes_down(state: dict[str, Any]) -> None:
        saved.append(state)
        emulator.disconnect()

    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(on_checkpoint=network_goes_down))
    assert err.value.kind is ErrorKind.NETWORK and err.value.retryable
    assert "the document will be read when it is back" in err.value.message

    emulator.disconnect(False)
    emulator.stall(False)
    extraction = make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(resume=saved[0]))
    assert extraction.document.value("total") == Decimal("5715.00")
    assert emulator.count("StartExpenseAnalysis") == 1


def test_the_same_file_twice_is_one_job(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    bucket = versioned(moto_s3, s3_bucket)
    first = make_provider(bucket=bucket, delete_uploaded=False).extract(two_page_pdf, RunContext())
    second = make_provider(bucket=bucket, delete_uploaded=False).extract(two_page_pdf, RunContext())
    assert emulator.count("StartExpenseAnalysis") == 2
    job_ids = {c.body["JobId"] for c in emulator.calls if c.operation == "GetExpenseAnalysis"}
    assert len(emulator.jobs) == 1 and len(job_ids) == 1  # the token made the service answer with the same job
    assert len(versions_in(moto_s3, bucket)) == 1  # the second run reused the upload (and its version)
    assert first.document.value("total") == second.document.value("total")


def test_changed_settings_start_a_new_job_rather_than_fail(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext())
    make_provider(bucket=s3_bucket, kms_key_id="alias/other").extract(two_page_pdf, RunContext())
    assert len(emulator.jobs) == 2


def test_a_job_older_than_seven_days_is_expired_without_asking(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    old = {
        "job_id": "0123456789abcdef0123456789abcdef",
        "started": (datetime.now(UTC) - timedelta(days=8)).isoformat(),
        "bucket": s3_bucket,
        "key": f"receiptdesk/{two_page_pdf.sha256}.pdf",
        "version": None,
        "sha256": two_page_pdf.sha256,
    }
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(resume=old))
    assert err.value.kind is ErrorKind.EXPIRED
    assert "Extract the document again" in err.value.message
    assert emulator.count("GetExpenseAnalysis") == 0 and emulator.count("StartExpenseAnalysis") == 0


def test_a_job_the_service_forgot_is_expired_not_retried(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    emulator.stall()
    saved: list[dict[str, Any]] = []
    cancel = threading.Event()

    def remember_and_quit(state: dict[str, Any]) -> None:
        saved.append(state)
        cancel.set()

    with pytest.raises(Cancelled):
        make_provider(bucket=s3_bucket).extract(
            two_page_pdf, RunContext(on_checkpoint=remember_and_quit, cancel_event=cancel)
        )
    emulator.expire()
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(resume=saved[0]))
    assert err.value.kind is ErrorKind.EXPIRED
    assert "7 days" in err.value.message
    assert emulator.count("GetExpenseAnalysis") == 1  # asked once, told it is gone, stopped
    assert keys_in(moto_s3, s3_bucket) == []  # the job is over: its upload is removed


def test_a_stalled_job_stops_waiting_but_is_kept(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    emulator.stall()
    saved: list[dict[str, Any]] = []
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket, poll_timeout=0.2).extract(two_page_pdf, RunContext(on_checkpoint=saved.append))
    assert err.value.kind is ErrorKind.PENDING and err.value.retryable  # waits; is not marked failed
    assert "still reading" in err.value.message and "The job is kept" in err.value.message
    assert saved and emulator.count("GetExpenseAnalysis") >= 2
    # Polling slows down: growing pauses, not a busy loop.
    assert emulator.count("GetExpenseAnalysis") < 20


def test_cancel_stops_polling_promptly(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    emulator.stall()
    cancel = threading.Event()
    ctx = RunContext(cancel_event=cancel, on_progress=lambda f, t: cancel.set() if "reading" in t else None)
    with pytest.raises(Cancelled):
        make_provider(bucket=s3_bucket, poll_first=5.0, poll_max=5.0, poll_timeout=60.0).extract(two_page_pdf, ctx)
    assert emulator.count("GetExpenseAnalysis") == 1


def test_a_failed_job_says_why(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    moto_s3: str,
    two_page_pdf: Source,
) -> None:
    emulator.fail_jobs("UNSUPPORTED_DOCUMENT: The document format is not supported")
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext())
    assert err.value.kind is ErrorKind.BAD_DOCUMENT
    assert "The document format is not supported" in err.value.message
    assert keys_in(moto_s3, s3_bucket) == []


def test_a_job_that_failed_on_the_service_side_can_be_tried_again(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    emulator.fail_jobs("Internal error while processing")
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext())
    assert err.value.kind is ErrorKind.SERVICE and err.value.retryable
    assert "Internal error while processing" in err.value.message


def test_partial_success_keeps_what_was_read_and_warns(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    emulator.partial_jobs([{"ErrorCode": "PAGE_UNREADABLE", "Pages": [2]}])
    extraction = make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext())
    assert extraction.warnings == ["Amazon Textract could not read page 2 (PAGE_UNREADABLE)."]
    assert extraction.document.value("invoice_id") == "00000135"
    assert extraction.raw["JobStatus"] == "PARTIAL_SUCCESS"


def test_a_checkpoint_of_another_file_is_not_used(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    stale = {"job_id": "feedfacefeedfacefeedfacefeedface", "started": datetime.now(UTC).isoformat(), "sha256": "0" * 64}
    make_provider(bucket=s3_bucket).extract(two_page_pdf, RunContext(resume=stale))
    assert emulator.count("StartExpenseAnalysis") == 1
    assert all(c.body["JobId"] != stale["job_id"] for c in emulator.calls if c.operation == "GetExpenseAnalysis")


def test_a_missing_bucket_is_a_setting_to_fix(
    make_provider: Callable[..., TextractProvider],
    emulator: TextractEmulator,
    s3_bucket: str,
    two_page_pdf: Source,
) -> None:
    with pytest.raises(ReceiptDeskError) as err:
        make_provider(bucket="no-such-bucket-here").extract(two_page_pdf, RunContext())
    assert err.value.kind is ErrorKind.SETTINGS
    assert "'no-such-bucket-here' does not exist" in err.value.message
    assert emulator.calls == []


def test_the_emulator_refuses_a_reused_token_with_other_parameters(
    textract_emulator: TextractEmulator, s3_bucket: str, moto_s3: str
) -> None:
    """What the provider's token design avoids, the service (here, its emulator) would do."""
    import boto3
    from botocore.exceptions import ClientError

    from receiptdesk.providers.textract.errors import classify

    s3_client(moto_s3).put_object(Bucket=s3_bucket, Key="a.pdf", Body=b"%PDF-1.4")
    textract = boto3.client(
        "textract",
        endpoint_url=textract_emulator.url,
        region_name="us-east-1",
        aws_access_key_id="k",
        aws_secret_access_key="s",
    )
    location = {"S3Object": {"Bucket": s3_bucket, "Name": "a.pdf"}}
    first = textract.start_expense_analysis(DocumentLocation=location, ClientRequestToken="tok-1")
    again = textract.start_expense_analysis(DocumentLocation=location, ClientRequestToken="tok-1")
    assert first["JobId"] == again["JobId"]
    with pytest.raises(ClientError) as raised:
        textract.start_expense_analysis(DocumentLocation=location, ClientRequestToken="tok-1", JobTag="other")
    err = classify(raised.value, action="starting the analysis")
    assert err.kind is ErrorKind.SETTINGS
    assert "already has a job for this document" in err.message
