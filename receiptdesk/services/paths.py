"""Where ReceiptDesk keeps things: the platform's folders, or one folder for portable use.

RECEIPTDESK_DATA_DIR puts everything (library, settings, cache, logs) under
one folder: tests and portable installs use it. Nothing here creates the
folders until asked, so looking up a path never touches the disk.
"""

from __future__ import annotations

import contextlib
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
        """Create the folders, private to the user: they hold every receipt's text and amounts."""
        for p in (self.data, self.config, self.cache, self.logs):
            private_dir(p)
        return self


def private_dir(path: Path) -> Path:
    """The folder, created if need be, readable by its owner only (0700; Windows keeps its ACLs)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """The file, created empty if need be, readable and writable by its owner only (0600)."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    _chmod(path, 0o600)
    return path


def private_opener(path: str, flags: int) -> int:
    """For open(..., opener=): a file created by it is the owner's only."""
    return os.open(path, flags, 0o600)


def _chmod(path: Path, mode: int) -> None:
    if os.name == "posix":
        with contextlib.suppress(PermissionError):  # a folder the user chose but does not own
            os.chmod(path, mode)


def resources_dir() -> Path:
    """resources/ (icons, samples) inside the frozen bundle, inside the installed package (a wheel), or beside it."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    package = Path(__file__).resolve().parents[1]
    installed = package / "resources"
    return installed if installed.is_dir() else package.parent / "resources"
