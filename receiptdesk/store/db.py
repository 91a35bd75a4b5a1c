"""The library's SQLite file: connection, pragmas, transactions, migrations.

One file in the user's data folder, WAL mode, foreign keys on. The schema is
versioned with PRAGMA user_version; an older file is copied aside and then
migrated inside one transaction, a newer one is refused rather than damaged.
SQLite failures are classified here, once, into errors the user can act on.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError

Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would commit the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


# SQLite's primary result codes (the low byte of an extended code) and what each means for the user.
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_NO_ACCESS = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH})


def storage_error(e: sqlite3.Error, path: Path) -> ReceiptDeskError:
    """What a SQLite failure means for the user, by its error code (never its message text)."""
    code = getattr(e, "sqlite_errorcode", None)
    name = getattr(e, "sqlite_errorname", None) or type(e).__name__
    detail = f"{name}: {e}"
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _BUSY:
        msg = "The library is busy in another ReceiptDesk window or program. Close it and try again."
    elif primary == sqlite3.SQLITE_FULL:
        msg = "The disk holding the library is full. Free some space and try again."
    elif primary in _NO_ACCESS:
        msg = f"The library at {path} is read-only. Check the folder's permissions."
    elif primary in _DAMAGED:
        msg = f"The library file {path.name} is damaged. A backup may be beside it in {path.parent}."
    elif primary == sqlite3.SQLITE_CANTOPEN:
        msg = f"The library at {path} cannot be opened. Check the folder exists and is writable."
    elif primary == sqlite3.SQLITE_IOERR:
        msg = "The disk could not be read or written. Check the drive and try again."
    elif primary == sqlite3.SQLITE_NOMEM:
        msg = "The computer ran out of memory. Close some programs and try again."
    else:
        return ReceiptDeskError(ErrorKind.BUG, "The library failed unexpectedly.", detail=detail)
    return ReceiptDeskError(ErrorKind.STORAGE, msg, detail=detail)


def _private(path: Path) -> None:
    """The library holds every receipt's text and amounts: its file is the user's only (0600).
    SQLite gives the -wal and -shm files the database file's permissions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Never open (and close) a descriptor on a library that exists: closing any descriptor of a file
    # drops every POSIX lock this process holds on it, those of SQLite's other connections too.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    if os.name == "posix":
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            with contextlib.suppress(FileNotFoundError, PermissionError):
                os.chmod(p, 0o600)


class Database:
    """A connection shared by the db lane; a lock keeps one statement at a time."""

    def __init__(self, path: Path, migrations: Sequence[Migration], *, reader: bool = False) -> None:
        """`reader`: a second connection that only reads (the list's queries), so in WAL mode it never
        waits behind an import's writes; it expects the file already at the latest version."""
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        try:
            _private(path)
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA busy_timeout = 5000")
            self._refuse_newer(len(migrations))  # before anything writes to the file
            if reader:
                self._conn.execute("PRAGMA query_only = ON")
                return
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(migrations)
        except sqlite3.Error as e:
            raise storage_error(e, path) from e
        except OSError as e:
            raise ReceiptDeskError(
                ErrorKind.STORAGE,
                f"The library at {path} cannot be opened. Check the folder exists and is writable.",
                detail=str(e),
            ) from e

    @property
    def version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self, latest: int) -> None:
        current = self.version
        if current > latest:
            self._conn.close()
            raise ReceiptDeskError(
                ErrorKind.STORAGE,
                f"This library was written by a newer ReceiptDesk (format {current}; this version reads up to "
                f"{latest}). Update ReceiptDesk to open it; nothing was changed.",
            )

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        current, latest = self.version, len(migrations)
        if current == latest:
            return
        if current > 0:
            self.backup(self.path.with_name(f"{self.path.name}.v{current}-{datetime.now():%Y%m%d-%H%M%S}.bak"))
        # Off while tables are made anew (SQLite's own procedure for schema changes), checked after.
        self._conn.execute("PRAGMA foreign_keys = OFF")
        with self.transaction():
            for version in range(current, latest):
                migrations[version](self._conn)
                self._conn.execute(f"PRAGMA user_version = {version + 1}")
            broken = self._conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise sqlite3.IntegrityError(f"the upgraded library has {len(broken)} dangling references")
        self._conn.execute("PRAGMA foreign_keys = ON")

    def backup(self, target: Path) -> None:
        """A consistent copy of the file, made with SQLite's own backup."""
        _private(target)
        dest = sqlite3.connect(target)
        try:
            with self._lock:
                self._conn.backup(dest)
        finally:
            dest.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing; nested use joins the outer transaction."""
        with self._lock:
            outer = self._depth == 0
            try:
                if outer:
                    self._conn.execute("BEGIN IMMEDIATE")
                self._depth += 1
                try:
                    yield self._conn
                except BaseException:
                    self._depth -= 1
                    if outer and self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self._depth -= 1
                if outer:
                    self._conn.execute("COMMIT")
            except sqlite3.Error as e:  # a full disk or a locked file, in the user's words
                raise storage_error(e, self.path) from e

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        try:
            with self._lock:
                return self._conn.execute(sql, params)
        except sqlite3.Error as e:
            raise storage_error(e, self.path) from e

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise storage_error(e, self.path) from e

    def column(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The first column of every row, without building a Row each (100,000 ids in a few ms)."""
        try:
            with self._lock:
                cur = self._conn.cursor()
                cur.row_factory = None
                return [r[0] for r in cur.execute(sql, params)]
        except sqlite3.Error as e:
            raise storage_error(e, self.path) from e

    def close(self) -> None:
        with self._lock:
            self._conn.close()
