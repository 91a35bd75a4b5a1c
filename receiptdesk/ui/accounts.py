"""The user's cloud accounts: keys, settings, what a reading will cost, whether a connection works.

These are short calls a user waits for with a dialog open, so they run on
their own `quick` lane and never queue behind OCR on the `extract` lane.
Keys go from the dialog to the keyring here and nowhere else.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.providers.source import Source
from receiptdesk.services.secrets import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AZURE_KEY, NAMES
from receiptdesk.services.wiring import Services
from receiptdesk.store import listing
from receiptdesk.tasks.runner import TaskHandle
from receiptdesk.ui.errors import as_error

Submit = Callable[..., TaskHandle | None]


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """What reading some documents with a paid service will cost, before it is asked."""

    provider: str
    title: str  # the service as the user knows it
    documents: int
    pages: int
    price: str  # "0.0300 USD"
    warnings: tuple[str, ...]
    refused: tuple[tuple[int, str, str], ...]  # (document id, file name, why the service would refuse it)

    @property
    def refused_ids(self) -> set[int]:
        return {doc_id for doc_id, _, _ in self.refused}


@dataclass(frozen=True, slots=True)
class SettingsState:
    stored_keys: dict[str, bool]  # key name -> one is stored
    keyring_problem: str | None  # why keys are kept only until quitting, if they are
    usage: dict[str, int]  # provider -> pages sent this month


class Accounts(QObject):
    problem = Signal(object)  # ReceiptDeskError

    def __init__(self, services: Services, submit: Submit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._submit = submit

    def _quick(
        self, work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[ReceiptDeskError], None]
    ) -> None:
        self._submit("quick", lambda ctx: work(), on_done=done, on_error=lambda e: failed(as_error(e)))

    def estimate(self, doc_ids: Sequence[int], provider: str, done: Callable[[CostEstimate], None]) -> None:
        """Pages and price of reading documents with `provider`, and what it refuses."""
        library = self.services.library
        ids = list(doc_ids)

        def work() -> CostEstimate:
            built = self.services.providers.get(provider)
            pages, price, currency = 0, Decimal(0), "USD"
            warnings: list[str] = []
            refused: list[tuple[int, str, str]] = []
            found = listing.summaries(library.reader, ids)
            documents = [found[i] for i in ids if i in found]
            for s in documents:
                doc_id, name = s.id, s.file_name
                try:
                    e = built.estimate(Source.open(library.blobs.path_for(s.sha256)))
                except ReceiptDeskError as no:
                    refused.append((doc_id, name, no.message))
                    continue
                pages, price, currency = pages + e.pages_billed, price + e.price, e.currency
                warnings.extend(w for w in e.warnings if w not in warnings)
            total = f"{price:.4f} {currency}"
            return CostEstimate(provider, built.title, len(documents), pages, total, tuple(warnings), tuple(refused))

        self._quick(work, done, self.problem.emit)

    def missing_keys(self, provider: str, done: Callable[[ReceiptDeskError | None], None]) -> None:
        """Why a paid service cannot be asked yet (no keys, no endpoint), before any price is shown."""

        def work() -> ReceiptDeskError | None:
            secrets, settings = self.services.secrets, self.services.settings
            if provider == "azure":
                if not str(settings.get("azure.endpoint")).strip() or secrets.get(AZURE_KEY) is None:
                    return ReceiptDeskError(ErrorKind.CREDENTIALS, "Azure Form Recognizer needs its endpoint and key "
                                            "first: add them in Tools > Settings > Azure Form Recognizer.")  # fmt: skip
            elif provider == "textract":
                in_keyring = (
                    secrets.get(AWS_ACCESS_KEY_ID) is not None and secrets.get(AWS_SECRET_ACCESS_KEY) is not None
                )
                elsewhere = (str(settings.get("textract.profile")).strip() or os.environ.get("AWS_ACCESS_KEY_ID")
                             or (Path.home() / ".aws" / "credentials").is_file())  # fmt: skip
                if not in_keyring and not elsewhere:
                    return ReceiptDeskError(ErrorKind.CREDENTIALS, "Amazon Textract needs your AWS access key first: "
                                            "add it in Tools > Settings > Amazon Textract.")  # fmt: skip
            return None

        self._quick(work, done, self.problem.emit)

    def test_connection(self, provider: str, done: Callable[[bool, str], None]) -> None:
        def work() -> tuple[bool, str]:
            built = self.services.providers.get(provider)
            test = getattr(built, "test_connection", None)
            if test is None:
                return True, f"{built.title} needs no connection."
            result = test()
            return bool(result.ok), str(result.message)

        self._quick(work, lambda answer: done(*answer), lambda e: done(False, e.message))

    def state(self, done: Callable[[SettingsState], None]) -> None:
        """Which keys are stored, whether the keyring works, pages sent this month."""

        def work() -> SettingsState:
            secrets = self.services.secrets
            stored = {name: secrets.get(name) is not None for name in NAMES}
            usage = {p.name: self.services.library.usage.pages(p.name) for p in self.services.providers.infos()}
            return SettingsState(stored, secrets.problem, usage)

        self._quick(work, done, self.problem.emit)

    def save(
        self,
        values: dict[str, Any],
        keys: dict[str, str | None],
        done: Callable[[str | None], None],
        failed: Callable[[ReceiptDeskError], None],
    ) -> None:
        """Settings to the file, keys to the keyring; providers are built again on their next use."""

        def work() -> str | None:
            settings = self.services.settings
            for key, value in values.items():
                settings.set(key, value)
            settings.save()
            for name, secret in keys.items():
                if secret is not None:
                    self.services.secrets.set(name, secret)
            self.services.providers.forget()
            return self.services.secrets.problem

        self._quick(work, done, failed)
