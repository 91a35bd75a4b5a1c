"""Original files, kept byte for byte under their SHA-256.

The same receipt dropped twice is stored once; a file is written to a
temporary name and renamed, so a crash never leaves half an original.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, source: Path) -> str:
        """Copy a file in (if not already there) and return its SHA-256."""
        try:
            digest = sha256_of(source)
            target = self.path_for(digest)
            if target.is_file():
                return digest
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return digest
        except OSError as e:
            if isinstance(e, FileNotFoundError | IsADirectoryError | PermissionError) and not source.is_file():
                raise ReceiptDeskError(ErrorKind.BAD_DOCUMENT, f"{source.name} cannot be read.", detail=str(e)) from e
            raise ReceiptDeskError(
                ErrorKind.STORAGE, f"{source.name} could not be copied into the library.", detail=str(e)
            ) from e

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)
