"""SQLite failures classified by their error code, and a library private to its user."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from receiptdesk.core.errors import ErrorKind, ReceiptDeskError
from receiptdesk.services.logs import Redactor, setup_logging
from receiptdesk.services.paths import AppPaths
from receiptdesk.store.db import Database, storage_error
from receiptdesk.store.library import DB_NAME, Library
from receiptdesk.store.schema import MIGRATIONS


def test_a_mistake_mentioning_full_is_a_bug_not_a_full_disk(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3", MIGRATIONS)
    with pytest.raises(ReceiptDeskError) as caught:
        db.query("SELECT fullness_of_disk FROM documents")  # "no such column": SQLITE_ERROR
    assert caught.value.kind is ErrorKind.BUG
    assert caught.value.detail is not None and caught.value.detail.startswith("SQLITE_ERROR")
    db.close()


def test_a_file_that_is_no_database_is_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a library" * 200)
    with pytest.raises(ReceiptDeskError) as caught:
        Database(path, MIGRATIONS)
    assert caught.value.kind is ErrorKind.STORAGE
    assert "lib.sqlite3 is damaged" in caught.value.message


def test_a_library_locked_by_another_program_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    Database(path, MIGRATIONS).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    conn = sqlite3.connect(path, timeout=0.05, isolation_level=None)  # the app waits 5 s; this test need not
    try:
        with pytest.raises(sqlite3.OperationalError) as raw:
            conn.execute("BEGIN IMMEDIATE")
        e = storage_error(raw.value, path)
        assert e.kind is ErrorKind.STORAGE and "busy in another" in e.message
    finally:
        conn.close()
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_library_its_journal_and_the_log_are_the_users_only(tmp_path: Path) -> None:
    paths = AppPaths.from_environment({"RECEIPTDESK_DATA_DIR": str(tmp_path / "data")}).ensure()
    log_file = setup_logging(paths.logs, Redactor())
    library = Library(paths.data)
    library.db.execute("CREATE TABLE IF NOT EXISTS scratch(x)")
    try:
        for folder in (paths.data, paths.config, paths.cache, paths.logs):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        files = [paths.data / DB_NAME, paths.data / f"{DB_NAME}-wal", paths.data / f"{DB_NAME}-shm", log_file]
        for f in files:
            assert f.exists() and stat.S_IMODE(f.stat().st_mode) == 0o600, f
    finally:
        library.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_older_world_readable_library_is_made_private_when_opened(tmp_path: Path) -> None:
    root = tmp_path / "data"
    Library(root).close()
    (root / DB_NAME).chmod(0o644)
    Library(root).close()
    assert stat.S_IMODE((root / DB_NAME).stat().st_mode) == 0o600
