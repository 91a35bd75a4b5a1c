"""Original files, kept byte for byte under their SHA-256.

The same receipt dropped twice is stored once. A file is copied in once,
hashed as it is written, into a temporary `.incoming-<pid>-*` name beside its
place; it takes its SHA-256 name only when the library records it, so a kill
at any moment leaves either a temporary file (removed at the next start) or
a kept original with its row, never half an original under a real name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError, bad_document

_CHUNK = 1 << 20
INCOMING = ".incoming-"
# A temporary file of a process we cannot ask about (another platform) counts as left over after this.
_STALE_SECONDS = 24 * 3600


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _alive(pid: int) -> bool | None:
    """Whether process `pid` still runs; None where we cannot tell."""
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True, slots=True)
class Received:
    """A file copied in under a temporary name, waiting for the library to record it."""

    incoming: Path
    sha256: str
    size: int  # of what was written, not what the file system said before


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.remove_leftovers()  # at start: what a killed run was copying in

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def receive(self, source: BinaryIO, name: str, limit: int | None = None) -> Received:
        """Copy an open file in under a temporary name, hashing what is written: (that file, its
        SHA-256, its size). Read once, so the hash, the size and the bytes kept always agree."""
        incoming = self.root / INCOMING.strip(".-")
        tmp: str | None = None
        try:
            incoming.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=incoming, prefix=f"{INCOMING}{os.getpid()}-")
            h = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                while True:
                    try:
                        chunk = source.read(_CHUNK)
                    except OSError as e:
                        raise bad_document(f"{name} could not be read to the end ({e.strerror or e}).") from e
                    if not chunk:
                        break
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise bad_document(
                            f"{name} is too large (over {limit / 1e6:,.0f} MB, the most ReceiptDesk reads)."
                        )
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            return Received(Path(tmp), h.hexdigest(), size)
        except BaseException as e:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            if isinstance(e, OSError):
                raise ReceiptDeskError(
                    ErrorKind.STORAGE, f"{name} could not be copied into the library.", detail=str(e)
                ) from e
            raise

    def keep(self, incoming: Path, sha256: str) -> bool:
        """Give a received file its SHA-256 name; False (and the copy dropped) when those bytes are kept already."""
        target = self.path_for(sha256)
        try:
            if target.is_file():
                incoming.unlink(missing_ok=True)
                return False
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(incoming, target)
            return True
        except OSError as e:
            raise ReceiptDeskError(
                ErrorKind.STORAGE, "A file could not be moved into the library's folder.", detail=str(e)
            ) from e

    def discard(self, incoming: Path) -> None:
        with contextlib.suppress(OSError):
            incoming.unlink(missing_ok=True)

    def put(self, source: Path) -> str:
        """Copy a file in (if not already there) and return its SHA-256."""
        try:
            f = source.open("rb")
        except OSError as e:
            raise bad_document(f"{source.name} cannot be read.", detail=str(e)) from e
        with f:
            received = self.receive(f, source.name)
        self.keep(received.incoming, received.sha256)
        return received.sha256

    def remove_leftovers(self) -> int:
        """Delete half-copied files a killed or crashed run left behind; returns how many."""
        removed = 0
        folder = self.root / INCOMING.strip(".-")
        if not folder.is_dir():
            return 0
        for p in folder.glob(f"{INCOMING}*"):
            try:
                pid = int(p.name[len(INCOMING) :].split("-", 1)[0])
            except ValueError:
                pid = -1
            if pid == os.getpid():
                continue
            alive = _alive(pid) if pid > 0 else False
            if alive is None:
                try:
                    alive = time.time() - p.stat().st_mtime < _STALE_SECONDS
                except OSError:
                    continue
            if alive:
                continue
            with contextlib.suppress(OSError):
                p.unlink()
                removed += 1
        return removed

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)
