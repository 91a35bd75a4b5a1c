"""Opening a file the user handed over, safely, and the limits checked before anything decodes it.

A named pipe blocks a reader forever and a link to /dev/zero never ends: only
regular files are opened, without blocking, and never read past the size
limit. Every failure names the file by the name the user knows (a name that
is not UTF-8 is shown with a replacement character) and says what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from receiptdesk.core.errors import ReceiptDeskError, bad_document

# Limits, checked before decoding (README "Limits"). A receipt or invoice is far smaller.
MAX_FILE_BYTES = 200 * 1024 * 1024  # the largest file imported or read
MAX_TEXT_BYTES = 2 * 1024 * 1024  # the largest plain-text receipt
MAX_PIXELS = 80_000_000  # pixels of one decoded picture (a JPEG counts after its 1/8 reduction)
MAX_PAGES = 3000  # pages of a PDF (counting them decodes nothing; Textract reads up to 3,000)
MAX_FRAMES = 200  # pages of a TIFF, each a whole picture to decode

_CHUNK = 1 << 20


def display_name(path: Path) -> str:
    """The file's name as the user can read it: bytes that are not UTF-8, and control characters
    (a line break in a name), become U+FFFD."""
    name = path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c if c.isprintable() else "\ufffd" for c in name)


def _refuse_kind(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise bad_document(f"{name} is a folder, not a file.")
    if stat.S_ISFIFO(mode):
        raise bad_document(f"{name} is a named pipe, not a file: save what it gives into a file and import that.")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise bad_document(f"{name} is a device, not a file.")
    if stat.S_ISSOCK(mode):
        raise bad_document(f"{name} is a socket, not a file.")
    raise bad_document(f"{name} is not a regular file.")


def _os_error(e: OSError, name: str) -> ReceiptDeskError:
    if isinstance(e, FileNotFoundError):
        return bad_document(f"{name} does not exist any more (was it moved or deleted?).")
    if isinstance(e, PermissionError):
        return bad_document(f"You may not read {name}: check its permissions, or copy it somewhere you can read.")
    if isinstance(e, IsADirectoryError):
        return bad_document(f"{name} is a folder, not a file.")
    if e.errno == errno.ELOOP:
        return bad_document(f"{name} is a link that leads back to itself, not a file.")
    if e.errno == errno.ENAMETOOLONG:
        return bad_document(f"The name or folder path of {name} is too long to open.")
    return bad_document(f"{name} could not be read ({os.strerror(e.errno) if e.errno else e}).", detail=str(e))


def open_regular(path: Path, name: str | None = None, *, limit: int = MAX_FILE_BYTES) -> BinaryIO:
    """The file opened for reading, or bad_document: only a regular file within `limit` bytes.

    Checked before opening (a FIFO's open would block) and again on the open file (it may have been
    swapped for something else in between); opened with O_NONBLOCK all the same."""
    name = name or display_name(path)
    try:
        _refuse_kind(os.stat(path).st_mode, name)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise _os_error(e, name) from e
    try:
        info = os.fstat(fd)
        _refuse_kind(info.st_mode, name)
        check_size(info.st_size, name, limit)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_size(size: int, name: str, limit: int = MAX_FILE_BYTES) -> None:
    if size > limit:
        raise bad_document(
            f"{name} is too large ({size / 1e6:,.0f} MB; ReceiptDesk reads files up to {limit / 1e6:,.0f} MB)."
        )


def read_chunks(f: BinaryIO, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Everything in the open file, but never more than `limit` bytes (a file still growing)."""
    parts: list[bytes] = []
    total = 0
    try:
        while chunk := f.read(_CHUNK):
            total += len(chunk)
            check_size(total, name, limit)
            parts.append(chunk)
    except OSError as e:
        raise _os_error(e, name) from e
    return b"".join(parts)


def read_file(path: Path, name: str | None = None, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, read once, within `limit`."""
    name = name or display_name(path)
    with open_regular(path, name, limit=limit) as f:
        return read_chunks(f, name, limit)
