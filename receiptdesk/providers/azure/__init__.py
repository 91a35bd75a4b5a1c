"""Azure Form Recognizer (Document Intelligence): prebuilt invoice and receipt, API 2023-07-31 and v2.1.

The composition root builds `AzureProvider(AzureSettings(...), key)` with the
key from the OS keyring; nothing here talks to the network at import.
"""

from receiptdesk.providers.azure.choice import ModelChoice, choose_model
from receiptdesk.providers.azure.connection import ConnectionResult
from receiptdesk.providers.azure.mapping import remap
from receiptdesk.providers.azure.provider import AzureProvider
from receiptdesk.providers.azure.settings import DEFAULT_PRICE_PER_PAGE, V3, V21, AzureSettings

__all__ = [
    "DEFAULT_PRICE_PER_PAGE",
    "V3",
    "V21",
    "AzureProvider",
    "AzureSettings",
    "ConnectionResult",
    "ModelChoice",
    "choose_model",
    "remap",
]
