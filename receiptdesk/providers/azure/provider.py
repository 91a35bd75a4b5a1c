"""Azure Form Recognizer as a ReceiptDesk provider (prebuilt invoice and receipt).

One analysis is a POST and a long-running operation. Its continuation token
is checkpointed the moment the POST is accepted, so quitting, a crash or a
lost network resumes the same operation (results live 24 h) instead of
paying again; polling honours the service's Retry-After and checks the
task between rounds, so a cancel is noticed at once. Waiting has a deadline
(`AzureSettings.poll_timeout`): past it the analysis is PENDING, kept, and
looked at again by the next run until its 24 hours are over; then it says
so plainly. Read again passes the last checkpoint back (`can_fetch_again`)
and gets the kept result with a free GET instead of a second billed POST.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from azure.core.exceptions import AzureError

from receiptdesk.core.document import Document
from receiptdesk.core.errors import Cancelled, ErrorKind, ReceiptDeskError
from receiptdesk.providers.azure.client import AzureClients, safe_token
from receiptdesk.providers.azure.connection import ConnectionResult, check_connection
from receiptdesk.providers.azure.errors import classify
from receiptdesk.providers.azure.estimate import estimate, model_id, trimmed
from receiptdesk.providers.azure.mapping import remap, remap_all
from receiptdesk.providers.azure.settings import AzureSettings
from receiptdesk.providers.base import Context, Estimate, Extraction
from receiptdesk.providers.source import Source

log = logging.getLogger(__name__)

WAIT_ROUND = 0.2  # seconds between looks at the task while the poller waits
CHECKPOINT_KIND = "azure-operation"
RESULT_LIFETIME = timedelta(hours=24)  # "analyze results are kept 24 hours" (Azure data retention)


class AzureProvider:
    name = "azure"
    title = "Azure Form Recognizer"
    needs_network = True

    def __init__(self, settings: AzureSettings, key: str, **client_options: Any) -> None:
        if not key or not key.strip():
            raise ReceiptDeskError(
                ErrorKind.CREDENTIALS,
                "No Azure key is set. Paste the key of your Form Recognizer resource in Tools > Settings > "
                "Azure Form Recognizer.",
            )
        self.settings = settings
        self._key = key.strip()
        self._client_options = client_options
        self._clients: AzureClients | None = None

    def __repr__(self) -> str:  # never the key
        return f"AzureProvider({self.settings.host!r}, {self.settings.api_version!r}, model={self.settings.model!r})"

    @property
    def clients(self) -> AzureClients:
        if self._clients is None:
            self._clients = AzureClients(self.settings, self._key, **self._client_options)
        return self._clients

    def with_model(self, model: str) -> AzureProvider:
        """The same provider reading with another model ("invoice", "receipt", "auto")."""
        return AzureProvider(replace(self.settings, model=model), self._key, **self._client_options)

    def close(self) -> None:
        if self._clients is not None:
            self._clients.close()

    # --- the contract ------------------------------------------------------------------
    def estimate(self, source: Source) -> Estimate:
        return estimate(source, self.settings)[0]

    def remap(self, raw: Any) -> Document:
        return remap(raw)

    def remap_all(self, raw: Any) -> list[Document]:
        """Every receipt or invoice of a stored response, each its own document."""
        return remap_all(raw)

    def can_fetch_again(self, remote: dict[str, Any] | None) -> bool:
        """Whether the analysis checkpointed in `remote` still holds its result (Azure keeps it 24 h):
        passed back as `ctx.resume`, Read again fetches it instead of paying for a new analysis."""
        state = _our_checkpoint(remote)
        return state is not None and datetime.now(UTC) < _expires(state)

    def read_again_state(self, remote: dict[str, Any] | None, *, fresh: bool = False) -> dict[str, Any] | None:
        """What to pass as `ctx.resume` when the user reads a document again: the last analysis while
        Azure keeps its result (fetched, not paid again), else nothing (a new analysis)."""
        return remote if not fresh and self.can_fetch_again(remote) else None

    def discard(self, remote: dict[str, Any] | None) -> str | None:
        """Nothing to clean up: Azure deletes the result itself after 24 hours."""
        return None

    def extract(self, source: Source, ctx: Context) -> Extraction:
        state = _our_checkpoint(ctx.resume)
        if state is not None:
            return self._resume(state, ctx)
        est, choice = estimate(source, self.settings)
        api = self.settings.api_version
        ctx.raise_if_cancelled()
        ctx.progress(0.02, f"Sending {source.path.name} to Azure ({model_id(choice.kind)})")
        try:
            poller = self.clients.begin(source, choice.kind, ctx, api, self.settings.locale, self.settings.pages)
        except AzureError as e:
            raise classify(e, self.settings, phase="post", locale=self.settings.locale) from e
        state = {
            "kind": CHECKPOINT_KIND,
            "api_version": api,
            "model": choice.kind,
            "automatic": choice.note() if choice.automatic else None,
            "token": self._token(poller),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "pages": est.pages_billed,
            "warnings": trimmed(source, self.settings),
        }
        if state["token"]:
            ctx.checkpoint(state)
        log.info("Azure accepted %s for %s (%s)", source.path.name, model_id(choice.kind), self.settings.generation)
        raw = self._wait(poller, ctx, self.settings, state, phase="poll")
        return self._extraction(raw, state, list(est.warnings), ctx)

    def test_connection(self) -> ConnectionResult:
        """One cheap call that says exactly what is wrong with the endpoint, key or version."""
        return check_connection(self.clients, self.settings)

    # --- inside ------------------------------------------------------------------------
    def _resume(self, state: dict[str, Any], ctx: Context) -> Extraction:
        api = str(state.get("api_version") or self.settings.api_version)
        kind = str(state.get("model") or "receipt")
        settings = replace(self.settings, api_version=api) if api != self.settings.api_version else self.settings
        if datetime.now(UTC) >= _expires(state):
            raise ReceiptDeskError(
                ErrorKind.EXPIRED,
                f"The Azure analysis started {_when(_started(state))} has expired: Azure keeps a result 24 hours "
                "and it can no longer be fetched. Read the document again to start a new analysis (billed again).",
            )
        ctx.progress(0.1, "Fetching the Azure analysis started earlier")
        try:
            poller = self.clients.resume(str(state["token"]), kind, ctx, api)
        except ValueError as e:  # a token this SDK version cannot read
            raise ReceiptDeskError(
                ErrorKind.EXPIRED,
                "The Azure analysis started earlier cannot be resumed by this version of ReceiptDesk. "
                "Read the document again.",
                detail=str(e),
            ) from e
        except AzureError as e:
            raise classify(e, settings, phase="resume") from e
        raw = self._wait(poller, ctx, settings, state, phase="resume")
        warnings = [str(state["automatic"])] if state.get("automatic") else []
        return self._extraction(raw, state, warnings, ctx)

    def _token(self, poller: Any) -> str | None:
        token = safe_token(str(poller.continuation_token()), self._key)
        if token is None:
            log.warning("This azure-core puts request headers in its continuation tokens; the analysis is not saved")
        return token

    def _wait(self, poller: Any, ctx: Context, settings: AzureSettings, state: dict[str, Any], *, phase: str) -> Any:
        start = time.monotonic()
        try:
            while not poller.done():
                ctx.raise_if_cancelled()
                elapsed = time.monotonic() - start
                if elapsed > settings.poll_timeout:
                    raise ReceiptDeskError(
                        ErrorKind.PENDING,
                        f"Azure is still reading the document after {_duration(elapsed)}. The analysis is kept: "
                        f"ReceiptDesk looks at it again later (Azure keeps it until {_when(_expires(state))}).",
                    )
                poller.wait(timeout=WAIT_ROUND)
                elapsed = time.monotonic() - start
                ctx.progress(
                    0.1 + 0.85 * elapsed / (elapsed + 8.0),
                    f"Azure is reading the document ({_duration(elapsed)}, stops waiting at "
                    f"{_duration(settings.poll_timeout)})",
                )
            ctx.raise_if_cancelled()
            return poller.result()
        except Cancelled:
            log.info("Azure analysis cancelled; its checkpoint stays for the next run")
            raise
        except AzureError as e:
            err = classify(e, settings, phase=phase, locale=settings.locale)
            status = getattr(e, "status_code", None) or 0
            if err.kind is ErrorKind.SERVICE and (status >= 500 or status == 408) and state.get("token"):
                # Azure failing on its side while we wait does not end the analysis: it is kept.
                raise ReceiptDeskError(
                    ErrorKind.PENDING,
                    f"{err.message.rstrip('.')}. The analysis is kept: ReceiptDesk looks at it again later "
                    f"(Azure keeps it until {_when(_expires(state))}).",
                    detail=err.detail,
                ) from e
            raise err from e

    def _extraction(self, raw: Any, state: dict[str, Any], warnings: list[str], ctx: Context) -> Extraction:
        kind = str(state.get("model") or "")
        documents = remap_all(raw, kind_hint=kind)
        for doc in documents:  # what the call left out (the free tier's pages) is part of each reading
            doc.warnings.extend(str(w) for w in state.get("warnings") or [] if w not in doc.warnings)
        ctx.progress(1.0, "Read by Azure")
        pages = len({p.number for d in documents for p in d.pages}) or int(state.get("pages") or 0)
        return Extraction(documents[0], raw, warnings, pages_billed=pages, documents=documents)


def _started(state: dict[str, Any]) -> datetime:
    try:
        started = datetime.fromisoformat(str(state.get("started")))
    except ValueError:
        return datetime.now(UTC)
    return started if started.tzinfo else started.replace(tzinfo=UTC)


def _expires(state: dict[str, Any]) -> datetime:
    return _started(state) + RESULT_LIFETIME


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} seconds" if seconds < 90 else f"{seconds / 60:.0f} minutes"


def _our_checkpoint(resume: dict[str, Any] | None) -> dict[str, Any] | None:
    if resume and resume.get("kind") == CHECKPOINT_KIND and isinstance(resume.get("token"), str):
        return resume
    return None
