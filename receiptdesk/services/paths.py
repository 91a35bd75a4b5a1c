"""Where ReceiptDesk keeps things: the platform's folders, or one folder for portable use.

RECEIPTDESK_DATA_DIR puts everything (library, settings, cache, logs) under
one folder: tests and portable installs use it. Nothing here creates the
folders until asked, so looking up a path never touches the disk.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from receiptdesk import APP_NAME

ENV_DATA_DIR = "RECEIPTDESK_DATA_DIR"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data: Path  # the library: library.sqlite3 and originals/
    config: Path  # settings.json
    cache: Path  # rendered pages and thumbnails; safe to delete
    logs: Path

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> AppPaths:
        env = os.environ if environ is None else environ
        root = env.get(ENV_DATA_DIR)
        if root:
            base = Path(root).expanduser().resolve()
            return cls(base, base / "config", base / "cache", base / "logs")
        import platformdirs

        return cls(
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    def ensure(self) -> AppPaths:
        for p in (self.data, self.config, self.cache, self.logs):
            p.mkdir(parents=True, exist_ok=True)
        return self


def resources_dir() -> Path:
    """resources/ (icons, samples) inside the frozen bundle, inside the installed package (a wheel), or beside it."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    package = Path(__file__).resolve().parents[1]
    installed = package / "resources"
    return installed if installed.is_dir() else package.parent / "resources"
