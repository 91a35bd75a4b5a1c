"""Before a call: refuse what Azure refuses (with the limit), say pages and price."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure import AzureProvider, AzureSettings
from receiptdesk.providers.source import Source
from tests.unit.providers.azure import files

ENDPOINT = "https://contoso-receipts.cognitiveservices.azure.com/"
KEY = "k" * 32


def provider(**settings: object) -> AzureProvider:
    return AzureProvider(AzureSettings(ENDPOINT, **settings), KEY)  # type: ignore[arg-type]


def refusal(p: AzureProvider, source: Source) -> ReceiptDeskError:
    with pytest.raises(ReceiptDeskError) as e:
        p.estimate(source)
    assert e.value.kind is ErrorKind.BAD_DOCUMENT
    return e.value


def test_a_one_page_receipt_costs_one_page_at_the_published_price(azure_data: Path) -> None:
    est = provider().estimate(Source.open(azure_data / "contoso-allinone.jpg"))
    assert (est.pages_billed, est.price, est.currency) == (1, Decimal("0.01"), "USD")
    assert est.route == "prebuilt-receipt, API 2023-07-31 (chosen automatically)"
    assert est.warnings[0].startswith("Read as a receipt (chosen automatically: the file is a photo)")


def test_every_page_is_billed_on_the_standard_tier(tmp_path: Path) -> None:
    est = provider(price_per_page=Decimal("0.015")).estimate(files.pdf(tmp_path / "three.pdf", 3))
    assert (est.pages_billed, est.price) == (3, Decimal("0.045"))
    assert est.route.startswith("prebuilt-invoice")


def test_the_free_tier_reads_two_pages_and_says_so_before_the_call(tmp_path: Path) -> None:
    est = provider(tier="free").estimate(files.pdf(tmp_path / "five.pdf", 5))
    assert (est.pages_billed, est.price) == (2, Decimal(0))
    assert any("reads only the first 2 of the 5 pages" in w for w in est.warnings)


def test_formats_azure_does_not_read_are_refused_with_the_list(tmp_path: Path) -> None:
    gif = tmp_path / "receipt.gif"
    from PIL import Image

    Image.new("RGB", (300, 600), "white").save(gif)
    e = refusal(provider(), Source.open(gif))
    assert "does not accept GIF files" in e.message
    assert "JPEG" in e.message and "HEIC" in e.message and "PDF" in e.message


def test_heif_is_read_from_v3_on_but_not_by_v21(tmp_path: Path) -> None:
    photo = files.heic(tmp_path / "photo.heic")
    assert provider().estimate(photo).pages_billed == 1
    e = refusal(provider(api_version="2.1"), photo)
    assert "(API v2.1) does not accept HEIC files. It accepts JPEG, PDF, PNG, TIFF." in e.message


def test_the_free_tier_refuses_files_over_4_mb(tmp_path: Path) -> None:
    big = files.image(tmp_path / "scan.png", 1200, 1200, noise=True)  # 4.3 MB of noise: no compression
    assert big.size > 4_000_000
    assert provider().estimate(big).pages_billed == 1  # standard reads up to 500 MB
    e = refusal(provider(tier="free"), big)
    assert "free tier" in e.message and "at most 4.0 MB" in e.message


def test_more_than_2000_pages_are_refused(tmp_path: Path) -> None:
    e = refusal(provider(), files.pdf(tmp_path / "ledger.pdf", 2001))
    assert "2001 pages" in e.message and "at most 2000" in e.message


@pytest.mark.parametrize(
    ("size", "words"),
    [((40, 300), "needs at least 50 × 50"), ((10_001, 60), "reads at most 10,000 × 10,000")],
)
def test_image_dimensions_outside_50_to_10000_pixels_are_refused(
    tmp_path: Path, size: tuple[int, int], words: str
) -> None:
    e = refusal(provider(), files.image(tmp_path / "odd.png", *size))
    assert words in e.message
    assert f"{size[0]} × {size[1]} pixels" in e.message


def test_v21_invoices_only_in_en_us(azure_data: Path) -> None:
    invoice = Source.open(azure_data / "Invoice_1.pdf")
    with pytest.raises(ReceiptDeskError) as e:
        provider(api_version="2.1", locale="en-GB").estimate(invoice)
    assert e.value.kind is ErrorKind.SETTINGS
    assert "v2.1 invoice model reads only en-US" in e.value.message
    assert provider(api_version="2.1", locale="en-GB", model="receipt").estimate(invoice).pages_billed == 1


def test_an_unlisted_v3_locale_is_a_warning_not_a_refusal(azure_data: Path) -> None:
    est = provider(locale="xx-YY").estimate(Source.open(azure_data / "Invoice_1.pdf"))
    assert any("does not list xx-YY among the invoice model's languages" in w for w in est.warnings)
