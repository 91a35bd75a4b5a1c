"""The SDK clients of one provider, built on first use, and one analysis on them.

Both generations return an `LROPoller`; we hand each a `cls` callback that
returns the final GET's JSON body untouched, so what is stored is exactly
what the service sent (and can be re-mapped for free). The v3 poller gets a
polling method whose sleeps are the task's own `ctx.wait`, so a cancel
stops its thread at the next sleep; the v2.1 client fixes its own polling
method, so there we stop waiting at once and its thread finishes on its own
when the service does.
"""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

from azure.ai.formrecognizer import (
    DocumentAnalysisClient,
    DocumentModelAdministrationClient,
    FormRecognizerClient,
    FormTrainingClient,
)
from azure.core.credentials import AzureKeyCredential
from azure.core.pipeline import PipelineResponse
from azure.core.polling import LROPoller
from azure.core.polling.base_polling import LROBasePolling

from receiptdesk.providers.azure.settings import V3, AzureSettings
from receiptdesk.providers.base import Context
from receiptdesk.providers.source import Source


def raw_body(pipeline_response: PipelineResponse[Any, Any], _deserialized: object, _headers: object) -> Any:
    """The poller's `cls`: the final response's JSON as the service sent it."""
    return json.loads(pipeline_response.http_response.text())


def safe_token(token: str, key: str) -> str | None:
    """The continuation token, or None when it carries the key (azure-core before 1.38 pickled
    the whole first request, headers and all); what is checkpointed goes to the database."""
    try:
        decoded = base64.b64decode(token, validate=False)
    except (ValueError, TypeError):
        decoded = b""
    return None if key in token or key.encode() in decoded else token


class _TaskPolling(LROBasePolling[Any, Any, Any]):
    """azure-core's polling (Retry-After, then the interval), sleeping on the task's clock."""

    def __init__(self, ctx: Context, floor: float, endpoint: str) -> None:
        super().__init__(timeout=floor, path_format_arguments={"endpoint": endpoint})
        self._ctx = ctx
        self._floor = floor

    def _sleep(self, delay: float) -> None:
        # Raises Cancelled in the poller's thread when the task is cancelled; that ends it.
        self._ctx.wait(max(float(delay), self._floor))


class AzureClients:
    """Lazily built clients for one endpoint and key; safe to share between threads."""

    def __init__(self, settings: AzureSettings, key: str, **client_options: Any) -> None:
        self._settings = settings
        self._credential = AzureKeyCredential(key)
        self._options = client_options  # e.g. a transport, for tests
        self._built: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AzureClients({self._settings.host!r}, {self._settings.api_version!r})"

    @property
    def endpoint(self) -> str:
        return self._settings.endpoint.strip().rstrip("/")

    def _options_for(self, api_version: str) -> dict[str, Any]:
        s = self._settings
        return {
            "api_version": api_version,
            "polling_interval": s.polling_interval,
            "retry_total": s.retry_total,
            "retry_connect": s.retry_total,
            "retry_read": s.retry_total,
            "retry_status": s.retry_total,
            "retry_backoff_factor": s.retry_backoff_factor,
            "retry_backoff_max": s.retry_backoff_max,
            "connection_timeout": min(30.0, s.timeout),
            "read_timeout": s.timeout,
            **self._options,
        }

    def _get(self, role: str, api_version: str) -> Any:
        with self._lock:
            client = self._built.get((role, api_version))
            if client is None:
                cls: Any
                if role == "analysis":
                    cls = DocumentAnalysisClient if api_version == V3 else FormRecognizerClient
                else:
                    cls = DocumentModelAdministrationClient if api_version == V3 else FormTrainingClient
                client = cls(self.endpoint, self._credential, **self._options_for(api_version))
                self._built[(role, api_version)] = client
            return client

    def analysis(self, api_version: str) -> Any:
        return self._get("analysis", api_version)

    def admin(self, api_version: str) -> Any:
        return self._get("admin", api_version)

    def close(self) -> None:
        with self._lock:
            built, self._built = self._built, {}
        for client in built.values():
            client.close()

    # --- one analysis ------------------------------------------------------------------
    def begin(
        self, source: Source, kind: str, ctx: Context, api_version: str, locale: str, pages: str = ""
    ) -> LROPoller[Any]:
        """POST the file (streamed from disk) to prebuilt-`kind`; returns the running poller.
        `pages` ("1-3,5") makes Azure read (and bill) only those pages."""
        page_list = "".join(pages.split())
        client = self.analysis(api_version)
        with source.path.open("rb") as stream:
            if api_version == V3:
                return client.begin_analyze_document(  # type: ignore[no-any-return]
                    f"prebuilt-{kind}",
                    stream,
                    locale=locale or None,
                    pages=page_list or None,
                    cls=raw_body,
                    polling=self._polling(ctx),
                )
            begin = client.begin_recognize_invoices if kind == "invoice" else client.begin_recognize_receipts
            return begin(  # type: ignore[no-any-return]
                stream,
                content_type=source.media_type,
                include_field_elements=True,  # readResults lines: the document text
                locale=locale or None,
                cls=raw_body,
                **({"pages": page_list.split(",")} if page_list else {}),
            )

    def resume(self, token: str, kind: str, ctx: Context, api_version: str) -> LROPoller[Any]:
        """Poll an operation started earlier (from its continuation token); posts nothing."""
        client = self.analysis(api_version)
        if api_version == V3:
            return client.begin_analyze_document(  # type: ignore[no-any-return]
                f"prebuilt-{kind}", None, continuation_token=token, cls=raw_body, polling=self._polling(ctx)
            )
        begin = client.begin_recognize_invoices if kind == "invoice" else client.begin_recognize_receipts
        return begin(None, continuation_token=token, cls=raw_body)  # type: ignore[no-any-return]

    def _polling(self, ctx: Context) -> _TaskPolling:
        return _TaskPolling(ctx, self._settings.polling_interval, self.endpoint)
