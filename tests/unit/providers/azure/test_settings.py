"""Settings are checked when built, with messages that say what to write instead."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure import DEFAULT_PRICE_PER_PAGE, AzureProvider, AzureSettings

ENDPOINT = "https://contoso-receipts.cognitiveservices.azure.com/"


def test_defaults_are_the_published_ones() -> None:
    s = AzureSettings(ENDPOINT)
    assert (s.api_version, s.model, s.locale, s.tier) == ("2023-07-31", "auto", "en-US", "standard")
    assert s.price_per_page == DEFAULT_PRICE_PER_PAGE == Decimal("0.01")  # USD 10 per 1,000 pages
    assert s.host == "contoso-receipts.cognitiveservices.azure.com"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"endpoint": "contoso.cognitiveservices.azure.com"}, "must be a URL like https://"),
        ({"endpoint": "http://contoso.cognitiveservices.azure.com/"}, "must start with https://"),
        ({"api_version": "2024-11-30"}, "2023-07-31 or 2.1"),
        ({"model": "business-card"}, "auto, invoice, receipt"),
        ({"tier": "S0"}, "standard or free"),
        ({"locale": "english"}, "Write it like en-US"),
        ({"api_version": "2.1", "locale": "de-DE"}, "reads only en-AU, en-CA, en-GB, en-IN, en-US"),
        ({"price_per_page": Decimal("-1")}, "cannot be negative"),
    ],
)
def test_wrong_settings_are_refused_with_what_to_do(changes: dict[str, object], words: str) -> None:
    with pytest.raises(ReceiptDeskError) as e:
        AzureSettings(**{"endpoint": ENDPOINT, **changes})  # type: ignore[arg-type]
    assert e.value.kind is ErrorKind.SETTINGS
    assert words in e.value.message


def test_plain_http_is_only_for_this_computer() -> None:
    assert AzureSettings("http://127.0.0.1:5000/").host == "127.0.0.1"


def test_locale_is_written_the_way_azure_expects() -> None:
    assert AzureSettings(ENDPOINT, locale="de-de").locale == "de-DE"
    assert AzureSettings(ENDPOINT, locale="sr-latn").locale == "sr-Latn"
    assert AzureSettings(ENDPOINT, locale="").locale == ""


def test_the_key_is_not_in_settings_or_the_providers_repr() -> None:
    key = "0123456789abcdef0123456789abcdef"
    provider = AzureProvider(AzureSettings(ENDPOINT), key)
    assert key not in repr(provider)
    assert key not in repr(provider.settings)
    assert key not in repr(provider.clients)
    assert key not in repr(provider.with_model("invoice"))
    assert "key" not in {f for f in provider.settings.__slots__}


def test_a_missing_key_says_where_to_set_it() -> None:
    with pytest.raises(ReceiptDeskError) as e:
        AzureProvider(AzureSettings(ENDPOINT), "  ")
    assert e.value.kind is ErrorKind.CREDENTIALS
    assert "Tools > Settings > Azure Form Recognizer" in e.value.message


def test_with_model_reads_the_same_resource_with_the_other_model() -> None:
    provider = AzureProvider(AzureSettings(ENDPOINT), "k" * 32)
    other = provider.with_model("invoice")
    assert other.settings == replace(provider.settings, model="invoice")
