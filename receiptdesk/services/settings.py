"""Every setting declared once, with its type, default and meaning; stored as versioned JSON.

Secrets are not settings: keys live only in the OS keyring (services/secrets).
A settings file from an older version is moved forward by registered
migrators; one that cannot be read is set aside and the defaults are used,
never a crash at start.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.core.locales import currencies_in_use

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
FILE_NAME = "settings.json"


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    type: type
    default: Any
    title: str
    choices: tuple[str, ...] = ()


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("extract.provider", str, "local", "Read new documents with", ("local", "textract", "azure")),
        Option("extract.date_order", str, "auto", "Dates like 03/04 are", ("auto", "DMY", "MDY")),
        # for a receipt that prints no currency and names no country: "" leaves the currency blank
        Option("extract.currency", str, "", "Amounts with no currency printed are in", ("", *currencies_in_use())),
        Option("extract.workers", int, 2, "Documents read at the same time"),
        Option("appearance.theme", str, "system", "Theme", ("system", "light", "dark")),
        Option("textract.region", str, "us-east-1", "AWS region"),
        Option("textract.profile", str, "", "AWS profile in ~/.aws (instead of the keys below)"),
        Option("textract.bucket", str, "", "S3 bucket for multi-page files"),
        Option("textract.prefix", str, "receiptdesk/", "S3 key prefix"),
        Option("textract.job_tag", str, "", "Job tag, to find ReceiptDesk's jobs in your AWS account"),
        Option("textract.kms_key_id", str, "", "KMS key for the results"),
        Option("textract.output_bucket", str, "", "S3 bucket for Textract's own copy of results"),
        Option("textract.output_prefix", str, "", "S3 prefix for Textract's own copy of results"),
        Option("textract.delete_uploaded", bool, True, "Delete uploaded files from S3 when done"),
        Option("textract.price_per_page", str, "0.01", "Price per page (USD)"),
        Option("textract.endpoint_url", str, "", "Textract endpoint URL (leave empty for AWS)"),
        Option("textract.s3_endpoint_url", str, "", "S3 endpoint URL (leave empty for AWS)"),
        Option("azure.endpoint", str, "", "Endpoint URL of your Form Recognizer resource"),
        Option("azure.api_version", str, "2023-07-31", "API version", ("2023-07-31", "2.1")),
        Option("azure.model", str, "auto", "Model", ("auto", "invoice", "receipt")),
        Option("azure.locale", str, "en-US", "Locale hint"),
        Option("azure.tier", str, "standard", "Pricing tier", ("standard", "free")),
        Option("azure.pages", str, "", "Pages to read from long files (like 1-3; empty: all)"),
        Option("azure.price_per_page", str, "0.01", "Price per page (USD)"),
        Option("export.folder", str, "", "The folder exports were last written to"),
        Option("export.formats", str, "csv,xlsx", "The formats last exported (csv, xlsx, json)"),
    )
}

# version -> function moving a settings dict from that version to the next
MIGRATORS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class Settings:
    def __init__(self, path: Path, values: dict[str, Any] | None = None) -> None:
        self.path = path
        self._values: dict[str, Any] = dict(values or {})

    @classmethod
    def load(cls, config_dir: Path) -> Settings:
        path = config_dir / FILE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as e:
            aside = path.with_name(FILE_NAME + ".unreadable")
            log.warning("settings file %s could not be read (%s); using defaults, kept it as %s", path, e, aside)
            path.replace(aside)
            return cls(path)
        version = int(data.get("version", 1))
        values = dict(data.get("values", {}))
        while version < SETTINGS_VERSION:
            values = MIGRATORS[version](values)
            version += 1
        return cls(path, {k: v for k, v in values.items() if k in OPTIONS and _valid(OPTIONS[k], v)})

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        return self._values.get(key, option.default)

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        if not _valid(option, value):
            raise ValueError(f"{option.title}: {value!r} is not a valid value")
        if value == option.default:
            self._values.pop(key, None)
        else:
            self._values[key] = value

    def save(self) -> None:
        """Write atomically, so a crash never leaves half a settings file."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"version": SETTINGS_VERSION, "values": self._values}, f, indent=2, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as e:
            raise ReceiptDeskError(
                ErrorKind.STORAGE, f"The settings could not be saved in {self.path.parent}.", detail=str(e)
            ) from e


def _valid(option: Option, value: Any) -> bool:
    if option.type is int and isinstance(value, bool):
        return False
    if not isinstance(value, option.type):
        return False
    return not option.choices or value in option.choices
