"""Before any call: the route, the pages billed and the price; refusals with the limit in the message."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.base import RunContext
from receiptdesk.providers.source import HEIC, JPEG, PDF, PNG, TIFF, Source
from receiptdesk.providers.textract import DEFAULT_PRICE_PER_PAGE, TextractProvider, TextractSettings
from tests.emulators.textract import TextractEmulator
from tests.unit.providers.textract.conftest import write_pdf


def described(media_type: str, *, size: int, pages: int) -> Source:
    """A file as Source.open describes it; estimate() looks at nothing else."""
    return Source(Path("scan"), media_type, size, pages, "ab" * 32)


def offline(**overrides: object) -> TextractProvider:
    """A provider whose endpoint nobody listens on: estimates must not call anything."""
    values: dict[str, object] = {"endpoint_url": "http://127.0.0.1:9", "s3_endpoint_url": "http://127.0.0.1:9"}
    values.update(overrides)
    return TextractProvider(TextractSettings(**values))  # type: ignore[arg-type]


def test_a_photo_goes_straight_to_analyze_expense(receipt: Source) -> None:
    estimate = offline().estimate(receipt)
    assert estimate.route == "sync"
    assert estimate.pages_billed == 1
    assert estimate.price == DEFAULT_PRICE_PER_PAGE == Decimal("0.01")
    assert estimate.currency == "USD"
    assert estimate.warnings == ()


def test_a_multi_page_pdf_goes_through_the_bucket_and_is_priced_per_page(tmp_path: Path) -> None:
    source = write_pdf(tmp_path / "three.pdf", 3)
    estimate = offline(bucket="my-receipts", price_per_page=Decimal("0.015")).estimate(source)
    assert estimate.route == "async via S3"
    assert estimate.pages_billed == 3
    assert estimate.price == Decimal("0.045")
    assert "s3://my-receipts/receiptdesk/" in estimate.warnings[0]
    assert "deleted" in estimate.warnings[0]


def test_a_multi_page_file_without_a_bucket_asks_for_one(two_page_pdf: Source) -> None:
    with pytest.raises(ReceiptDeskError) as err:
        offline().estimate(two_page_pdf)
    assert err.value.kind is ErrorKind.SETTINGS
    assert "has 2 pages" in err.value.message
    assert "Set a bucket in Tools > Settings > Amazon Textract" in err.value.message


def test_a_large_single_page_pdf_needs_the_bucket_too() -> None:
    big = described(PDF, size=12_000_000, pages=1)
    with pytest.raises(ReceiptDeskError) as err:
        offline().estimate(big)
    assert err.value.kind is ErrorKind.SETTINGS
    assert "over 10 MB" in err.value.message
    assert offline(bucket="b-1").estimate(big).route == "async via S3"


@pytest.mark.parametrize(
    ("media_type", "size", "pages", "limit"),
    [
        (HEIC, 2_000_000, 1, "does not accept HEIC files. It accepts JPEG, PDF, PNG, TIFF"),
        (JPEG, 12_000_000, 1, "accepts at most 10 MB"),  # images are 10 MB on both routes
        (PNG, 10_500_000, 1, "accepts at most 10 MB"),
        (PDF, 600_000_000, 1, "accepts at most 500 MB"),
        (TIFF, 520_000_000, 4, "accepts at most 500 MB"),
        (PDF, 5_000_000, 3001, "reads at most 3000"),
    ],
)
def test_what_the_service_refuses_is_refused_with_its_limit(media_type: str, size: int, pages: int, limit: str) -> None:
    with pytest.raises(ReceiptDeskError) as err:
        offline(bucket="b-1").estimate(described(media_type, size=size, pages=pages))
    assert err.value.kind is ErrorKind.BAD_DOCUMENT
    assert limit in err.value.message


def test_tiff_routes_like_pdf() -> None:
    assert offline().estimate(described(TIFF, size=300_000, pages=1)).route == "sync"
    assert offline(bucket="b-1").estimate(described(TIFF, size=300_000, pages=5)).route == "async via S3"


def test_extract_refuses_before_calling(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, two_page_pdf: Source
) -> None:
    provider = make_provider()  # no bucket
    with pytest.raises(ReceiptDeskError) as err:
        provider.extract(two_page_pdf, RunContext())
    assert err.value.kind is ErrorKind.SETTINGS
    assert textract_emulator.calls == []


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"retry_mode": "eager"}, "retry mode must be one of standard, adaptive"),
        ({"job_tag": "my tag!"}, "the job tag may hold only letters, digits and _ . - :"),
        ({"max_results": 50}, "between 1 and 20"),
        ({"max_attempts": 0}, "at least 1"),
        ({"output_prefix": "out/"}, "needs an output bucket"),
    ],
)
def test_settings_that_cannot_work_are_refused(overrides: dict[str, object], words: str) -> None:
    with pytest.raises(ReceiptDeskError) as err:
        TextractSettings(**overrides)  # type: ignore[arg-type]
    assert err.value.kind is ErrorKind.SETTINGS
    assert words in err.value.message
    assert "Tools > Settings > Amazon Textract" in err.value.message
