"""`import` and `resume` as a user runs them on odd inputs: each file alone, a summary, an honest exit status."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.e2e.test_cli import receiptdesk

RECEIPT = "{name}\n12 High Street\n\nMilk        1.20\nBread       2.30\n\nTOTAL       3.50\n"


def _text(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(RECEIPT.format(name=name.upper()), encoding="utf-8")
    return path


def test_import_goes_past_odd_files_and_sums_up(tmp_path: Path) -> None:
    data, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    good = _text(inbox, "shop.txt")
    odd_name = inbox / os.fsdecode(b"b\xe4cker.txt")  # not UTF-8
    odd_name.write_text(RECEIPT.format(name="BAKERY"), encoding="utf-8")
    os.mkfifo(inbox / "pipe.pdf")
    (inbox / "loop.png").symlink_to(inbox / "loop.png")
    (inbox / "junk.pdf").write_bytes(b"%PDF-1.4\n garbage")
    done = receiptdesk("import", str(good), str(odd_name), str(inbox / "pipe.pdf"), str(inbox / "loop.png"),
                       str(inbox / "junk.pdf"), data=data)  # fmt: skip
    assert done.returncode == 1, done.stderr  # some failed
    assert "Traceback" not in done.stderr
    assert "pipe.pdf is a named pipe" in done.stderr and "loop.png is a link that leads back to itself" in done.stderr
    assert "junk.pdf is damaged" in done.stdout
    assert (
        "Imported 5 files: 2 added, 1 kept but not readable, 2 could not be added; 2 read, 0 not read." in done.stdout
    )
    rows = [json.loads(x) for x in receiptdesk("list", "--format", "jsonl", data=data).stdout.splitlines()]
    assert sorted((r["file"], r["status"]) for r in rows) == [
        ("b\ufffdcker.txt", "ok"), ("junk.pdf", "failed"), ("shop.txt", "ok")]  # fmt: skip


def test_a_folder_with_nothing_to_import_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "notes"
    empty.mkdir()
    (empty / "todo.md").write_text("buy milk")
    done = receiptdesk("import", str(empty), data=tmp_path / "data")
    assert done.returncode == 1
    assert "nothing to import in" in done.stderr and "PDF, JPEG, PNG" in done.stderr


def test_resume_reads_what_an_import_left_queued(tmp_path: Path) -> None:
    data = tmp_path / "data"
    files = [str(_text(tmp_path, f"r{i}.txt")) for i in range(3)]
    added = receiptdesk("import", "--no-extract", *files, data=data)
    assert added.returncode == 0 and "Imported 3 files: 3 added." in added.stdout, added.stderr
    resumed = receiptdesk("resume", data=data)
    assert resumed.returncode == 0, resumed.stderr
    assert "Resumed 3 documents: 3 read, 0 not read." in resumed.stdout
    again = receiptdesk("resume", data=data)
    assert "Nothing to resume." in again.stdout
