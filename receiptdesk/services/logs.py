"""The log file, with every secret scrubbed before a line is written."""

from __future__ import annotations

import contextlib
import faulthandler
import io
import logging
import logging.handlers
import re
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import IO, cast

from receiptdesk.services.paths import AppPaths, private_dir, private_file, private_opener

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


class _PrivateLog(logging.handlers.RotatingFileHandler):
    """The log holds file names and vendors: each file it starts is the user's only (0600)."""

    def _open(self) -> io.TextIOWrapper:
        f = open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener)  # noqa: SIM115
        return cast(io.TextIOWrapper, f)


def setup_logging(log_dir: Path, redactor: Redactor, *, level: int = logging.INFO) -> Path:
    """A rotating log file for the app's own loggers; third-party chatter stays at warnings."""
    private_dir(log_dir)
    path = private_file(log_dir / LOG_NAME)
    handler = _PrivateLog(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
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


CRASH_LOG = "crash.log"  # where a native crash (a signal in pdfium, Qt, ONNX) writes its traceback
_PENDING = "crash-*.log"  # crash logs of earlier runs, not shown to the user yet
_SHOWN = "shown"  # the folder they move to once shown


def start_crash_log(log_dir: Path) -> IO[str]:
    """Write Python's traceback of every thread to the log folder if the process dies by a signal.

    A crash left by an earlier run is first moved aside (crash-<when>.log) for `previous_crash`,
    so this run starts with an empty file. Keep the returned file open for the life of the process."""
    private_dir(log_dir)
    path = log_dir / CRASH_LOG
    try:
        if path.stat().st_size > 0:
            path.replace(log_dir / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.log")
    except FileNotFoundError:
        pass
    out = open(private_file(path), "w", encoding="utf-8")  # noqa: SIM115 - open until the process ends
    faulthandler.enable(file=out, all_threads=True)
    return out


def threads_on_request() -> None:
    """`kill -USR1 <pid>` prints where every thread is to standard error: a window that stops answering can say
    what it waits for without a debugger (the packaging smoke test asks so before it gives up). Not on Windows."""
    if hasattr(signal, "SIGUSR1") and sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):  # no real standard error
            faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)


def previous_crash(paths: AppPaths) -> Path | None:
    """The newest crash log an earlier run left and nobody was shown yet; None after a clean run.

    A crash log is moved into the log folder's `shown` folder by `crash_shown`, so it is offered once."""
    found = sorted(p for p in paths.logs.glob(_PENDING) if p.is_file())
    return found[-1] if found else None


def crash_shown(path: Path) -> Path:
    """Move a crash log aside once the user was told of it (with the older ones of the same kind)."""
    shown = private_dir(path.parent / _SHOWN)
    moved = shown / path.name
    for old in path.parent.glob(_PENDING):
        old.replace(shown / old.name)
    return moved


def stop_crash_log(out: IO[str]) -> None:
    """At a clean exit: nothing to report, so the empty crash log is left for the next run to reuse."""
    if faulthandler.is_enabled():
        faulthandler.disable()
    out.close()
