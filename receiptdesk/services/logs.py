"""The log file, with every secret scrubbed before a line is written."""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

LOG_NAME = "receiptdesk.log"
# Shapes of AWS credentials, scrubbed even if they were never registered.
_AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")


class Redactor(logging.Filter):
    """Replaces known secret values (and AWS key ids) with *** in every record."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        if len(secret) >= 6:  # shorter strings would scrub ordinary words
            with self._lock:
                self._secrets.add(secret)

    def scrub(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for s in secrets:
            text = text.replace(s, "***")
        return _AWS_KEY_ID.sub("AKIA***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = self.scrub(message), None
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        return True


def setup_logging(log_dir: Path, redactor: Redactor, *, level: int = logging.INFO) -> Path:
    """A rotating log file for the app's own loggers; third-party chatter stays at warnings."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    handler.set_name("receiptdesk-file")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "receiptdesk-file"]:
        root.removeHandler(old)  # opened again (tests, a second library): one file handler only
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("receiptdesk").setLevel(level)
    return path
