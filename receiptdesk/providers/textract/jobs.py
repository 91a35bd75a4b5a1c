"""The asynchronous route: upload to S3, StartExpenseAnalysis, poll, page through the results.

A job costs money once and lives 7 days, so it is never started twice for
one document: the ClientRequestToken is derived from the file's SHA-256,
the request's settings and an attempt number, the upload is reused when the
same bytes are already in the bucket, and the JobId is checkpointed the
moment it is known so a restart polls the same job instead of starting
another. A job that failed or expired is dead for good, and its token
would only bring the same dead JobId back: the next attempt gets a new token.

A job is never abandoned while Textract keeps it: when this run stops
waiting (the poll deadline, or Textract failing on its side for longer than
the retries), the error is PENDING, the job stays checkpointed, and the next
run looks at it again, until its 7 days are over; then it says so plainly.
The upload is deleted on every way out that ends the job (done, failed,
expired, refused, stopped by the user: `discard`); only a pause (quitting,
the network gone, still running) keeps it for the job that still needs it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Context
from receiptdesk.providers.source import JPEG, PDF, PNG, TIFF, Source
from receiptdesk.providers.textract.client import AwsClients
from receiptdesk.providers.textract.errors import RESULTS_REFUSED, classify, error_code
from receiptdesk.providers.textract.job_state import JobState, job_tag, request_token
from receiptdesk.providers.textract.settings import JOB_LIFETIME_DAYS, TextractSettings

log = logging.getLogger(__name__)

EXTENSIONS = {PDF: "pdf", TIFF: "tiff", JPEG: "jpg", PNG: "png"}
_FAILED_DOCUMENT_WORDS = ("document", "format", "page", "size", "large", "password", "corrupt", "unsupported")


class AsyncRoute:
    def __init__(self, clients: AwsClients, settings: TextractSettings) -> None:
        self._clients = clients
        self._settings = settings

    # --------------------------------------------------------------- calls
    def _call(self, action: str, fn: Callable[..., Any], *, bucket: str | None = None, **params: Any) -> Any:
        try:
            return fn(**params)
        except Exception as e:
            raise self._classify(e, action, bucket) from e

    def _classify(self, e: Exception, action: str, bucket: str | None) -> ReceiptDeskError:
        return classify(e, action=action, secrets=self._clients.secrets, bucket=bucket, region=self._settings.region)

    # --------------------------------------------------------------- start
    def start(self, source: Source, ctx: Context, attempt: int = 0) -> JobState:
        """Upload (unless the same bytes are there) and start the job; checkpoint it at once.

        When the job cannot be started (refused, cancelled before it began), the upload is removed.
        """
        s = self._settings
        if not s.bucket:
            raise ReceiptDeskError(ErrorKind.SETTINGS, "No S3 bucket is set for Amazon Textract.")
        ctx.progress(0.05, f"Uploading to the S3 bucket {s.bucket}")
        key, version = self._upload(source, s.bucket)
        upload = JobState("", datetime.now(UTC), s.bucket, key, version, source.sha256, attempt)
        try:
            ctx.raise_if_cancelled()
            s3_object: dict[str, str] = {"Bucket": s.bucket, "Name": key}
            if version:
                s3_object["Version"] = version
            params: dict[str, Any] = {
                "DocumentLocation": {"S3Object": s3_object},
                "JobTag": job_tag(source.sha256, s.job_tag),
            }
            if s.output_bucket:
                params["OutputConfig"] = {"S3Bucket": s.output_bucket}
                if s.output_prefix:
                    params["OutputConfig"]["S3Prefix"] = s.output_prefix
            if s.kms_key_id:
                params["KMSKeyId"] = s.kms_key_id
            params["ClientRequestToken"] = request_token(source.sha256, params, attempt)
            ctx.progress(0.15, "Starting Amazon Textract")
            textract = self._clients.textract()
            response = self._call("starting the analysis", textract.start_expense_analysis, bucket=s.bucket, **params)
        except BaseException as e:
            if not (isinstance(e, ReceiptDeskError) and e.kind in (ErrorKind.NETWORK, ErrorKind.THROTTLED)):
                self.delete_upload(upload)  # no job will read it (a wait for the network keeps it for the retry)
            raise
        state = JobState(str(response["JobId"]), datetime.now(UTC), s.bucket, key, version, source.sha256, attempt)
        ctx.checkpoint(state.to_json())
        log.info("Textract job %s started for %s (attempt %d)", state.job_id, source.path.name, attempt)
        return state

    def _upload(self, source: Source, bucket: str) -> tuple[str, str | None]:
        key = f"{self._settings.key_prefix}{source.sha256}.{EXTENSIONS.get(source.media_type, 'bin')}"
        s3 = self._clients.s3()
        try:
            head = s3.head_object(Bucket=bucket, Key=key)
        except Exception as e:
            if error_code(e) not in ("404", "NoSuchKey", "NotFound"):
                raise self._classify(e, "checking the S3 bucket", bucket) from e
        else:
            same = head.get("ContentLength") == source.size and head.get("Metadata", {}).get("sha256") == source.sha256
            if same:  # a retry: reuse the object (and its version) so the job request stays the same
                return key, _version(head)
        response = self._call(
            "uploading to the S3 bucket",
            s3.put_object,
            bucket=bucket,
            Bucket=bucket,
            Key=key,
            Body=source.read_bytes(),
            ContentType=source.media_type,
            Metadata={"sha256": source.sha256},
        )
        return key, _version(response)

    # ---------------------------------------------------------------- poll
    def collect(self, state: JobState, ctx: Context) -> tuple[dict[str, Any], list[str]]:
        """Wait for the job, fetch every result page, remove the upload; the merged response and
        warnings about the call (an upload that could not be deleted)."""
        try:
            first = self.wait(state, ctx)
            raw = self.results(state, first, ctx)
        except ReceiptDeskError as e:
            if job_is_over(e):
                self.delete_upload(state)  # the job is over: the copy in S3 has done its work
                # A dead job's token brings only the same dead job back: the next one gets a new token.
                ctx.checkpoint({**state.to_json(), "dead": True})
            raise
        warnings = []
        cleanup = self.delete_upload(state)
        if cleanup:
            warnings.append(cleanup)
        return raw, warnings

    def wait(self, state: JobState, ctx: Context) -> dict[str, Any]:
        """Poll with growing pauses until the job is done; returns the first result page.

        Stopping to wait (the deadline, lasting failures on Textract's side) raises PENDING:
        the job runs on and is looked at again later."""
        s = self._settings
        interval = s.poll_first
        begun = time.monotonic()
        polls = 0
        while True:
            self._check_age(state)
            ctx.raise_if_cancelled()
            page = self._poll(state)
            status = page.get("JobStatus")
            if status in ("SUCCEEDED", "PARTIAL_SUCCESS"):
                return page
            if status == "FAILED":
                raise _job_failed(page)
            if status != "IN_PROGRESS":
                raise ReceiptDeskError(ErrorKind.SERVICE, f"Amazon Textract reported an unknown job status {status!r}.")
            polls += 1
            waited = time.monotonic() - begun
            ctx.progress(
                0.2 + 0.6 * (1 - 0.8**polls),
                f"Amazon Textract is reading the document ({_duration(waited)}, stops waiting at "
                f"{_duration(s.poll_timeout)})",
            )
            if waited + interval > s.poll_timeout:
                raise ReceiptDeskError(
                    ErrorKind.PENDING,
                    f"Amazon Textract is still reading the document after {_duration(waited)}. The job is kept: "
                    f"ReceiptDesk looks at it again later (Textract keeps it until {_when(state.expires)}).",
                )
            ctx.wait(interval)
            interval = min(interval * s.poll_growth, s.poll_max)

    def _poll(self, state: JobState, token: str | None = None) -> dict[str, Any]:
        """One GetExpenseAnalysis; Textract failing on its side past the retries leaves the job waiting."""
        try:
            return self._page(state.job_id, token)
        except ReceiptDeskError as e:
            if e.kind is ErrorKind.SERVICE and not _results_refused(e):
                raise ReceiptDeskError(
                    ErrorKind.PENDING,
                    f"{e.message.rstrip('.')}. The job is kept: ReceiptDesk looks at it again later "
                    f"(Textract keeps it until {_when(state.expires)}).",
                    detail=e.detail,
                ) from e
            raise

    def _check_age(self, state: JobState) -> None:
        if datetime.now(UTC) > state.expires:
            raise ReceiptDeskError(
                ErrorKind.EXPIRED,
                f"The Amazon Textract job started {state.started:%Y-%m-%d} has expired: Textract keeps a job "
                f"{JOB_LIFETIME_DAYS} days and its result can no longer be fetched. Extract the document again "
                "to start a new job (it is billed again).",
            )

    def _page(self, job_id: str, token: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"JobId": job_id, "MaxResults": self._settings.max_results}
        if token:
            params["NextToken"] = token
        textract = self._clients.textract()
        page: dict[str, Any] = self._call("reading the results", textract.get_expense_analysis, **params)
        return page

    def results(self, state: JobState, first: dict[str, Any], ctx: Context) -> dict[str, Any]:
        """All result pages (NextToken), merged into one GetExpenseAnalysis-shaped response."""
        pages = [first]
        seen: set[str] = set()
        token = first.get("NextToken")
        while token:
            if token in seen:
                raise ReceiptDeskError(ErrorKind.SERVICE, "Amazon Textract returned the same result page twice.")
            seen.add(token)
            ctx.raise_if_cancelled()
            ctx.progress(0.85, f"Fetching results page {len(pages) + 1}")
            page = self._poll(state, token)
            pages.append(page)
            token = page.get("NextToken")
        return merge_pages(pages)

    # ------------------------------------------------------------- cleanup
    def delete_upload(self, state: JobState) -> str | None:
        """Remove the uploaded file (the version we made); a warning when it cannot be."""
        if not (self._settings.delete_uploaded and state.bucket and state.key):
            return None
        params: dict[str, Any] = {"Bucket": state.bucket, "Key": state.key}
        if state.version:
            params["VersionId"] = state.version
        try:
            self._call("deleting the uploaded file", self._clients.s3().delete_object, bucket=state.bucket, **params)
        except ReceiptDeskError as e:
            log.warning("Could not delete s3://%s/%s: %s", state.bucket, state.key, e.detail or e.message)
            return f"The uploaded copy s3://{state.bucket}/{state.key} could not be deleted: {e.message}"
        return None

    def remove_stale_uploads(self, older_than: timedelta = timedelta(days=JOB_LIFETIME_DAYS)) -> list[str]:
        """Delete uploads under the prefix older than any job can be (a run that quit and never came back).

        Returns the keys removed. Only ReceiptDesk's own names (<sha256>.<ext>) under the prefix are touched."""
        s = self._settings
        if not (s.bucket and s.delete_uploaded):
            return []
        cutoff = datetime.now(UTC) - older_than
        s3 = self._clients.s3()
        removed: list[str] = []
        try:
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=s.bucket, Prefix=s.key_prefix):
                for obj in page.get("Contents") or []:
                    key = str(obj["Key"])
                    name = key[len(s.key_prefix) :]
                    if _OUR_UPLOAD.fullmatch(name) and obj["LastModified"] <= cutoff:
                        self._call(
                            "deleting an old upload", s3.delete_object, bucket=s.bucket, Bucket=s.bucket, Key=key
                        )
                        removed.append(key)
        except ReceiptDeskError:
            raise
        except Exception as e:
            raise self._classify(e, "listing the S3 bucket", s.bucket) from e
        return removed


_OUR_UPLOAD = re.compile(r"[0-9a-f]{64}\.(?:pdf|tiff|jpg|png|bin)")


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} seconds" if seconds < 90 else f"{seconds / 60:.0f} minutes"


def _version(response: dict[str, Any]) -> str | None:
    version = response.get("VersionId")
    return str(version) if version and version != "null" else None


def merge_pages(pages: list[dict[str, Any]]) -> dict[str, Any]:
    first = pages[0]
    merged: dict[str, Any] = {
        "DocumentMetadata": first.get("DocumentMetadata") or {},
        "JobStatus": pages[-1].get("JobStatus") or first.get("JobStatus"),
        "ExpenseDocuments": [d for p in pages for d in p.get("ExpenseDocuments") or []],
    }
    for key in ("AnalyzeExpenseModelVersion", "StatusMessage"):
        value = next((p[key] for p in pages if p.get(key)), None)
        if value:
            merged[key] = value
    warnings: list[dict[str, Any]] = []
    for p in pages:
        for w in p.get("Warnings") or []:
            if w not in warnings:
                warnings.append(w)
    if warnings:
        merged["Warnings"] = warnings
    return merged


_JOB_FAILED = "The Amazon Textract job failed"


def _job_failed(page: dict[str, Any]) -> ReceiptDeskError:
    reason = str(page.get("StatusMessage") or "no reason given")
    if any(w in reason.lower() for w in _FAILED_DOCUMENT_WORDS):
        return ReceiptDeskError(ErrorKind.BAD_DOCUMENT, f"Amazon Textract could not read the document ({reason}).")
    return ReceiptDeskError(ErrorKind.SERVICE, f"{_JOB_FAILED} ({reason}). Try again later.")


def _is_job_failure(e: ReceiptDeskError) -> bool:
    return e.kind is ErrorKind.SERVICE and e.message.startswith(_JOB_FAILED)


def _results_refused(e: ReceiptDeskError) -> bool:
    return e.message.startswith(RESULTS_REFUSED)


def job_is_over(e: ReceiptDeskError) -> bool:
    """The job ended for good (expired, failed, refused, its results refused): its upload and its
    token are done with."""
    return e.kind in (ErrorKind.EXPIRED, ErrorKind.BAD_DOCUMENT) or _is_job_failure(e) or _results_refused(e)
