"""Amazon Textract AnalyzeExpense as a ReceiptDesk provider (the contract in providers/base.py).

Single-page files within the synchronous limits go straight to
AnalyzeExpense with their bytes (no bucket needed); multi-page PDF/TIFF
and files over 10 MB go through the user's S3 bucket and an asynchronous
job. What the service would refuse is refused here first, with the limit
in the message, and the price is said before any call.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from receiptdesk.core.dates import DateOrder
from receiptdesk.core.document import Document
from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Context, Estimate, Extraction, Limits, check_limits
from receiptdesk.providers.source import Source
from receiptdesk.providers.textract.client import AwsClients
from receiptdesk.providers.textract.errors import classify, error_code
from receiptdesk.providers.textract.job_state import JobState, next_attempt
from receiptdesk.providers.textract.jobs import AsyncRoute, job_is_over
from receiptdesk.providers.textract.limits import check_page_sizes
from receiptdesk.providers.textract.mapping import map_documents
from receiptdesk.providers.textract.settings import (
    ACCEPTED,
    ASYNC_DOCUMENT_LIMITS,
    ASYNC_IMAGE_LIMITS,
    JOB_LIFETIME_DAYS,
    MB,
    MULTI_PAGE_TYPES,
    SETTINGS_PLACE,
    SYNC_LIMITS,
    AwsCredentials,
    TextractSettings,
)

log = logging.getLogger(__name__)

SERVICE = "Amazon Textract"
SYNC, ASYNC = "sync", "async via S3"
# A JobId no job has: GetExpenseAnalysis on it is free and tells keys, permission and endpoint apart.
_PROBE_JOB_ID = "receiptdesk-connection-test"


@dataclass(frozen=True, slots=True)
class ConnectionResult:
    ok: bool
    message: str
    kind: ErrorKind | None = None


class TextractProvider:
    name = "textract"
    title = "Amazon Textract"
    needs_network = True

    def __init__(
        self,
        settings: TextractSettings,
        credentials: AwsCredentials | None = None,
        *,
        date_order: DateOrder | None = None,
    ) -> None:
        self.settings = settings
        self._date_order = date_order  # the user's habit, for dates the document leaves open
        self._clients = AwsClients(settings, credentials)  # nothing is built until the first call
        self._async = AsyncRoute(self._clients, settings)

    def __repr__(self) -> str:
        return f"TextractProvider(region={self.settings.region!r}, bucket={self.settings.bucket!r})"

    # ------------------------------------------------------------ estimate
    def route(self, source: Source) -> str:
        """Which way this file goes; raises what the service would refuse."""
        check_limits(source, Limits(ACCEPTED, sys.maxsize, sys.maxsize), SERVICE)  # the format first
        check_page_sizes(source)
        if source.pages <= SYNC_LIMITS.max_pages and source.size <= SYNC_LIMITS.max_bytes:
            return SYNC
        if source.media_type not in MULTI_PAGE_TYPES:
            check_limits(source, ASYNC_IMAGE_LIMITS, SERVICE)
        check_limits(source, ASYNC_DOCUMENT_LIMITS, SERVICE)
        if not self.settings.bucket:
            why = f"has {source.pages} pages" if source.pages > 1 else f"is over {SYNC_LIMITS.max_bytes // MB} MB"
            raise ReceiptDeskError(
                ErrorKind.SETTINGS,
                f"This {source.kind_label} {why}: Amazon Textract reads such files only from an S3 bucket. "
                f"Set a bucket in {SETTINGS_PLACE}.",
            )
        return ASYNC

    def estimate(self, source: Source) -> Estimate:
        route = self.route(source)
        pages = max(1, source.pages)
        warnings: tuple[str, ...] = ()
        if route == ASYNC:
            s = self.settings
            after = " and deleted when it is done" if s.delete_uploaded else " (and kept there)"
            warnings = (
                f"The file is uploaded to s3://{s.bucket}/{s.key_prefix} while Amazon Textract reads it{after}.",
            )
        return Estimate(
            pages_billed=pages,
            price=(self.settings.price_per_page * pages).quantize(Decimal("0.0001")),
            currency=self.settings.currency,
            route=route,
            warnings=warnings,
        )

    # ------------------------------------------------------------- extract
    def extract(self, source: Source, ctx: Context) -> Extraction:
        resume = ctx.resume if ctx.resume and ctx.resume.get("provider", "textract") == "textract" else None
        if resume and resume.get("sha256") and resume.get("sha256") != source.sha256:
            log.warning("Ignoring a Textract job checkpointed for another file (%s)", resume.get("job_id"))
            resume = None
        state = JobState.from_json(resume)
        if resume and resume.get("dead"):
            state = None  # that job is over; a new one gets the next attempt's token
        route = SYNC if state is None and self.route(source) == SYNC else ASYNC
        with self._clients.retry_notices(lambda text: ctx.progress(0.1 if route == SYNC else 0.2, text)):
            if state is not None:  # a job started earlier (before a restart): poll it, never start another
                return self._finish_job(state, ctx)
            if route == SYNC:
                return self._sync(source, ctx)
            return self._new_job(source, ctx, next_attempt(resume))

    def _new_job(self, source: Source, ctx: Context, attempt: int) -> Extraction:
        """Start a job and wait for it. When the token brings back a job that is already over (failed,
        or expired since), that dead job is all it will ever bring: start once more with a new token."""
        state = self._async.start(source, ctx, attempt)
        try:
            return self._finish_job(state, ctx)
        except ReceiptDeskError as e:
            if e.kind is ErrorKind.BAD_DOCUMENT or not job_is_over(e):
                raise
            log.info("Textract job %s was over (%s); starting attempt %d", state.job_id, e.kind, attempt + 1)
            ctx.progress(0.05, "The earlier Amazon Textract job for this file is over; starting a new one")
            return self._finish_job(self._async.start(source, ctx, attempt + 1), ctx)

    def _sync(self, source: Source, ctx: Context) -> Extraction:
        ctx.raise_if_cancelled()
        ctx.progress(0.1, "Sending the document to Amazon Textract")
        textract = self._clients.textract()
        try:
            response = textract.analyze_expense(Document={"Bytes": source.read_bytes()})
        except Exception as e:
            raise self._classify(e, "reading the document") from e
        ctx.progress(0.9, "Reading the answer")
        raw = _jsonable(response)
        documents = self.remap_all(raw)
        ctx.progress(1.0, "Done")
        pages = int(raw.get("DocumentMetadata", {}).get("Pages") or 1)
        return Extraction(document=documents[0], raw=raw, pages_billed=pages, documents=documents)

    def _finish_job(self, state: JobState, ctx: Context) -> Extraction:
        raw, call_warnings = self._async.collect(state, ctx)
        raw = _jsonable(raw)
        documents = self.remap_all(raw)
        for doc in documents:  # an upload left behind concerns every document read from it
            doc.warnings.extend(w for w in call_warnings if w not in doc.warnings)
        ctx.progress(1.0, "Done")
        pages = int(raw.get("DocumentMetadata", {}).get("Pages") or max(len(d.pages) for d in documents) or 1)
        return Extraction(document=documents[0], raw=raw, pages_billed=pages, documents=documents)

    def remap(self, raw: Any) -> Document:
        return self.remap_all(raw)[0]

    def remap_all(self, raw: Any) -> list[Document]:
        """Every receipt or invoice of a stored response, each its own document."""
        return map_documents(raw, date_order=self._date_order)

    # ------------------------------------------------------- jobs kept across runs
    def can_fetch_again(self, remote: dict[str, Any] | None) -> bool:
        """Whether the job checkpointed in `remote` still holds its result, free to fetch again.

        Read again passes that checkpoint as `ctx.resume` (unless the user asks for a fresh
        reading): the result comes back from GetExpenseAnalysis instead of a second billed job."""
        state = JobState.from_json(remote)
        if state is None or (remote or {}).get("dead"):
            return False
        return datetime.now(UTC) < state.expires

    def read_again_state(self, remote: dict[str, Any] | None, *, fresh: bool = False) -> dict[str, Any] | None:
        """What to pass as `ctx.resume` when the user reads a document again.

        `remote` is the last job's checkpoint. While Textract keeps its result, that checkpoint:
        the result is fetched, not paid for again. A fresh reading (asked for) or a job that is
        over gets the next attempt, so a new token: the same token would only bring the old job back."""
        if remote and fresh:
            return {**remote, "dead": True}
        if self.can_fetch_again(remote):
            return remote
        return {**remote, "dead": True} if remote and JobState.from_json(remote) is not None else None

    def discard(self, remote: dict[str, Any] | None) -> str | None:
        """The user stopped the reading for good: remove the job's upload from S3 (Textract has no way
        to stop a job; it ends by itself). A warning when the copy could not be deleted."""
        state = JobState.from_json(remote)
        return self._async.delete_upload(state) if state is not None else None

    def remove_stale_uploads(self, older_than: timedelta = timedelta(days=JOB_LIFETIME_DAYS)) -> list[str]:
        """At start: delete uploads no job can still need (older than a job lives), left by a run that
        quit mid-job and never resumed. Blocking (S3 calls): run it off the GUI thread."""
        return self._async.remove_stale_uploads(older_than)

    # ------------------------------------------------------ test connection
    def test_connection(self) -> ConnectionResult:
        """One cheap call to Textract (and one to the bucket when set) that says exactly what is wrong."""
        s = self.settings
        try:
            textract = self._clients.textract()
            textract.get_expense_analysis(JobId=_PROBE_JOB_ID, MaxResults=1)
        except ReceiptDeskError as e:
            return ConnectionResult(False, e.message, e.kind)
        except Exception as e:  # noqa: BLE001 - the answer we hope for is an error
            if error_code(e) != "InvalidJobIdException":  # the job is unknown: keys, permission and endpoint work
                err = self._classify(e, "testing the connection")
                return ConnectionResult(False, err.message, err.kind)
        where = f"Amazon Textract in {s.region} accepts these credentials."
        if not s.bucket:
            return ConnectionResult(True, f"{where} No S3 bucket is set: files with several pages cannot be read.")
        try:
            answer = self._clients.s3().head_bucket(Bucket=s.bucket)
        except Exception as e:  # noqa: BLE001 - classified right here
            err = self._classify(e, "opening the S3 bucket", s.bucket)
            return ConnectionResult(False, err.message, err.kind)
        bucket_region = answer.get("BucketRegion") or answer.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get(
            "x-amz-bucket-region"
        )
        if bucket_region and bucket_region != s.region:
            return ConnectionResult(
                False,
                f"The S3 bucket {s.bucket!r} is in {bucket_region}, but Amazon Textract is set to {s.region}. "
                f"Textract reads only buckets in its own region: change one of them in {SETTINGS_PLACE}.",
                ErrorKind.SETTINGS,
            )
        return ConnectionResult(True, f"{where} The S3 bucket {s.bucket!r} is ready for multi-page files.")

    def _classify(self, e: Exception, action: str, bucket: str | None = None) -> ReceiptDeskError:
        return classify(e, action=action, secrets=self._clients.secrets, bucket=bucket, region=self.settings.region)


def _jsonable(response: dict[str, Any]) -> dict[str, Any]:
    """The response as the service sent it: boto3's ResponseMetadata and paging token dropped."""
    return {k: v for k, v in response.items() if k not in ("ResponseMetadata", "NextToken")}
