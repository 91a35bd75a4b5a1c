"""Amazon Textract AnalyzeExpense: sync and async routes, mapping to the canonical document."""

from receiptdesk.providers.textract.mapping import map_response
from receiptdesk.providers.textract.provider import ConnectionResult, TextractProvider
from receiptdesk.providers.textract.settings import DEFAULT_PRICE_PER_PAGE, AwsCredentials, TextractSettings

__all__ = [
    "DEFAULT_PRICE_PER_PAGE",
    "AwsCredentials",
    "ConnectionResult",
    "TextractProvider",
    "TextractSettings",
    "map_response",
]
