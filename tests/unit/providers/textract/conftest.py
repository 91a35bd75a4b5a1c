"""Fixtures for the Textract provider tests: local S3 (moto_server), the emulator, settings and files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from receiptdesk.providers.source import Source
from receiptdesk.providers.textract import AwsCredentials, TextractProvider, TextractSettings
from tests.emulators.fixtures import REGION, moto_s3, s3_bucket, textract_emulator
from tests.emulators.textract import TextractEmulator

__all__ = ["moto_s3", "s3_bucket", "textract_emulator"]

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789"


@pytest.fixture(scope="session")
def responses(shared: Path) -> Path:
    return shared / "data" / "responses" / "textract"


def load_response(responses: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((responses / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture
def credentials() -> AwsCredentials:
    return AwsCredentials(KEY_ID, SECRET, SESSION_TOKEN)


@pytest.fixture
def make_settings(textract_emulator: TextractEmulator, moto_s3: str) -> Callable[..., TextractSettings]:
    """Settings pointing at the emulator and moto, with polling and retries fast enough for tests."""

    def make(**overrides: Any) -> TextractSettings:
        values: dict[str, Any] = {
            "region": REGION,
            "endpoint_url": textract_emulator.url,
            "s3_endpoint_url": moto_s3,
            "poll_first": 0.01,
            "poll_growth": 1.5,
            "poll_max": 0.05,
            "poll_timeout": 5.0,
            "max_attempts": 2,
            "connect_timeout": 2.0,
            "read_timeout": 10.0,
        }
        values.update(overrides)
        return TextractSettings(**values)

    return make


@pytest.fixture
def make_provider(
    make_settings: Callable[..., TextractSettings], credentials: AwsCredentials
) -> Callable[..., TextractProvider]:
    def make(**overrides: Any) -> TextractProvider:
        return TextractProvider(make_settings(**overrides), credentials)

    return make


@pytest.fixture
def receipt(responses: Path) -> Source:
    """The photographed receipt that test_analyze_expense_from_image.json was made from."""
    return Source.open(responses / "receipt.jpg")


def write_pdf(path: Path, pages: int, *, size: tuple[int, int] = (300, 400)) -> Source:
    from PIL import Image, ImageDraw

    images = []
    for n in range(pages):
        img = Image.new("RGB", size, "white")
        ImageDraw.Draw(img).text((20, 20), f"Invoice page {n + 1}", fill="black")
        images.append(img)
    images[0].save(path, save_all=True, append_images=images[1:])
    return Source.open(path)


@pytest.fixture
def two_page_pdf(tmp_path: Path) -> Source:
    return write_pdf(tmp_path / "invoice.pdf", 2)
