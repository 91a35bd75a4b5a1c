"""What the user sets for Amazon Textract, what the service accepts, and what it costs.

Settings are plain values the app reads from its settings file; the access
key is handed in separately (the app keeps it in the OS keyring) and never
shows up in a repr, a log line or a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import Limits
from receiptdesk.providers.source import JPEG, PDF, PNG, TIFF

SETTINGS_PLACE = "Tools > Settings > Amazon Textract"

# Published AnalyzeExpense list price, US East (N. Virginia), first million pages a
# month: USD 0.01 per page (https://aws.amazon.com/textract/pricing/, "Analyze
# Expense API"; 0.008 after a million pages). Regions differ, so it is a setting.
DEFAULT_PRICE_PER_PAGE = Decimal("0.01")

MB = 1_000_000  # the quotas say "10 MB" and "500 MB"; decimal megabytes keep us on the safe side
# Textract quotas ("Set quotas in Amazon Textract", docs.aws.amazon.com/textract/latest/dg/limits.html,
# and DocumentTooLargeException in API_AnalyzeExpense.md / API_StartExpenseAnalysis.md):
# synchronous calls take JPEG, PNG, PDF and TIFF up to 10 MB, PDF and TIFF with one page;
# asynchronous calls read from S3: PDF and TIFF up to 500 MB and 3,000 pages, images up to 10 MB.
ACCEPTED = frozenset({JPEG, PNG, PDF, TIFF})
MULTI_PAGE_TYPES = frozenset({PDF, TIFF})
SYNC_LIMITS = Limits(media_types=ACCEPTED, max_bytes=10 * MB, max_pages=1)
ASYNC_DOCUMENT_LIMITS = Limits(media_types=MULTI_PAGE_TYPES, max_bytes=500 * MB, max_pages=3000)
ASYNC_IMAGE_LIMITS = Limits(media_types=frozenset({JPEG, PNG}), max_bytes=10 * MB, max_pages=1)
JOB_LIFETIME_DAYS = 7  # "A JobId value is only valid for 7 days" (API_GetExpenseAnalysis.md)
MAX_RESULTS_CAP = 20  # GetExpenseAnalysis MaxResults: "The largest value you can specify is 20"

RETRY_MODES = ("standard", "adaptive")
JOB_TAG = re.compile(r"[a-zA-Z0-9_.\-:]{1,64}")  # StartExpenseAnalysis JobTag pattern
# "The maximum height and width for documents is 10000 pixels"; "The maximum PDF page size is
# 40 inches x 2880 points" (docs.aws.amazon.com/textract/latest/dg/limits-document.html).
MAX_SIDE_PX = 10_000
MAX_PDF_PAGE_INCHES = 40.0


@dataclass(frozen=True, slots=True)
class AwsCredentials:
    """An access key the caller read from the keyring; its secret never leaves this object in text."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"AwsCredentials(access_key_id={self.masked_key_id!r}, secret_access_key='***')"

    __str__ = __repr__

    @property
    def masked_key_id(self) -> str:
        """Enough of the key id to tell keys apart in a message, not enough to use."""
        kid = self.access_key_id
        return f"{kid[:4]}…{kid[-4:]}" if len(kid) > 8 else "…"

    def secrets(self) -> tuple[str, ...]:
        """The strings that must never appear in text we produce."""
        return tuple(s for s in (self.secret_access_key, self.session_token) if s)


@dataclass(frozen=True, slots=True)
class TextractSettings:
    region: str = "us-east-1"
    profile: str | None = None  # a profile of the standard AWS config files, used when no keys are given
    bucket: str | None = None  # needed for multi-page and large files (the asynchronous route)
    prefix: str = "receiptdesk/"
    # Textract's JobTag (letters, digits and _ . - :, up to 64): to find ReceiptDesk's jobs in the
    # AWS console or CloudTrail. Empty: one tag per file ("receiptdesk-<hash>").
    # No SNS notification channel: ReceiptDesk polls, and a topic nobody reads only costs money.
    job_tag: str | None = None
    kms_key_id: str | None = None
    output_bucket: str | None = None  # OutputConfig: Textract also writes its results here
    output_prefix: str | None = None
    delete_uploaded: bool = True
    price_per_page: Decimal = DEFAULT_PRICE_PER_PAGE
    currency: str = "USD"
    endpoint_url: str | None = None  # None: the region's endpoint; set for VPC endpoints, LocalStack, tests
    s3_endpoint_url: str | None = None
    # Polling GetExpenseAnalysis: the first wait, how it grows, its ceiling, and when to stop
    # waiting in this run (the job is kept and looked at again later).
    poll_first: float = 2.0
    poll_growth: float = 1.5
    poll_max: float = 30.0
    poll_timeout: float = 30 * 60.0
    max_results: int = MAX_RESULTS_CAP
    # botocore's retries (throttling, 5xx, dropped connections): attempts in all, the first included.
    retry_mode: str = "standard"
    max_attempts: int = 5
    connect_timeout: float = 10.0
    read_timeout: float = 120.0

    def __post_init__(self) -> None:
        problems = []
        if not self.region:
            problems.append("choose an AWS region")
        if self.retry_mode not in RETRY_MODES:
            problems.append(f"the retry mode must be one of {', '.join(RETRY_MODES)}")
        if self.max_attempts < 1:
            problems.append("the number of attempts must be at least 1")
        if not 1 <= self.max_results <= MAX_RESULTS_CAP:
            problems.append(f"results per page must be between 1 and {MAX_RESULTS_CAP}")
        if self.poll_first <= 0 or self.poll_growth < 1 or self.poll_max < self.poll_first:
            problems.append("polling intervals must be positive and growing")
        if self.job_tag and not JOB_TAG.fullmatch(self.job_tag):
            problems.append("the job tag may hold only letters, digits and _ . - : (at most 64)")
        if self.output_prefix and not self.output_bucket:
            problems.append("an output prefix needs an output bucket")
        if self.price_per_page < 0:
            problems.append("the price per page cannot be negative")
        if problems:
            raise ReceiptDeskError(
                ErrorKind.SETTINGS, f"Amazon Textract settings: {'; '.join(problems)} ({SETTINGS_PLACE})."
            )

    @property
    def key_prefix(self) -> str:
        """The S3 key prefix, ending in "/" when it is not empty."""
        p = self.prefix.strip().strip("/")
        return f"{p}/" if p else ""
