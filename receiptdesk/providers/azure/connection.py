"""Tools > Settings > a service's tab > "Test connection": one cheap call, one exact answer.

v3 asks for the resource details (GET /formrecognizer/info), v2.1 for the
custom-model summary (GET /formrecognizer/v2.1/custom/models?op=summary);
neither analyses anything or costs a page. A 404 cannot tell a wrong
endpoint from a version the resource does not serve, so only then we ask
once with the other version and say which it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from azure.core.exceptions import AzureError, HttpResponseError

from receiptdesk.core.errors import ErrorKind
from receiptdesk.providers.azure.client import AzureClients
from receiptdesk.providers.azure.errors import classify
from receiptdesk.providers.azure.settings import V3, V21, AzureSettings


@dataclass(frozen=True, slots=True)
class ConnectionResult:
    ok: bool
    message: str
    kind: ErrorKind | None = None  # what went wrong, when it did


def _ask(clients: AzureClients, api_version: str) -> None:
    admin = clients.admin(api_version)
    if api_version == V3:
        admin.get_resource_details()
    else:
        admin.get_account_properties()


def check_connection(clients: AzureClients, settings: AzureSettings) -> ConnectionResult:
    version = settings.generation
    try:
        _ask(clients, settings.api_version)
    except HttpResponseError as e:
        if e.status_code == 404:
            return _not_found(clients, settings)
        error = classify(e, settings, phase="connect")
        return ConnectionResult(False, error.message, error.kind)
    except AzureError as e:
        error = classify(e, settings, phase="connect")
        return ConnectionResult(False, error.message, error.kind)
    return ConnectionResult(True, f"Connected to {settings.host} with {version}: the endpoint and key work.")


def _not_found(clients: AzureClients, settings: AzureSettings) -> ConnectionResult:
    other = V21 if settings.api_version == V3 else V3
    other_name = "v2.1" if other == V21 else other
    try:
        _ask(clients, other)
    except AzureError:
        return ConnectionResult(
            False,
            f"No Form Recognizer resource answers at {settings.endpoint.strip()}. Check the endpoint URL in "
            "Settings (Azure portal > your resource > Keys and Endpoint); it names the resource and its region.",
            ErrorKind.CREDENTIALS,
        )
    return ConnectionResult(
        False,
        f"The resource at {settings.host} serves API {other_name} but not {settings.generation}. "
        f"Choose API version {other_name} in Settings.",
        ErrorKind.SETTINGS,
    )
