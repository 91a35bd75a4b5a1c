""" "Open with ReceiptDesk" as the desktop runs it: `receiptdesk FILE`, and a second launch with a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import receiptdesk
from tests.conftest import ROOT

SAMPLES = ROOT / "resources" / "samples"
WAIT_S = 240  # OCR on a loaded CI machine


def env_for(data: Path) -> dict[str, str]:
    return {**os.environ, "RECEIPTDESK_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def receiptdesk_cmd(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "receiptdesk", *args], env=env_for(data), cwd=ROOT,
                          capture_output=True, text=True, timeout=WAIT_S)  # fmt: skip


def listed(data: Path) -> dict[str, str]:
    """What the library says about each file: its status."""
    done = receiptdesk_cmd("list", "--format", "jsonl", data=data)
    assert done.returncode == 0, done.stderr
    return {row["file"]: row["status"] for row in map(json.loads, done.stdout.splitlines())}


def wait_for(what: str, check: Callable[[], bool], window: subprocess.Popen[str]) -> None:
    """Poll another process's library until `check` holds; fail at once if the window died."""
    deadline = time.monotonic() + WAIT_S
    while not check():
        assert window.poll() is None, f"the window exited ({window.returncode}): {window.communicate()[1][-2000:]}"
        assert time.monotonic() < deadline, f"{what} did not happen in {WAIT_S} s"
        time.sleep(0.5)


@pytest.fixture
def windows() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Starts `receiptdesk FILE...` as the desktop would; every window still open is ended."""
    started: list[subprocess.Popen[str]] = []

    def start(*args: str, data: Path) -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, "-m", "receiptdesk", *args], env=env_for(data), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)


def test_open_with_imports_the_file_and_a_second_launch_hands_its_file_to_that_window(
    tmp_path: Path, windows: Callable[..., subprocess.Popen[str]]
) -> None:
    data = tmp_path / "data"
    first = windows(str(SAMPLES / "receipt.jpg"), data=data)
    wait_for("reading receipt.jpg", lambda: listed(data).get("receipt.jpg") == "ok", first)

    # a relative path, from another folder, as a file manager in that folder would pass it
    second = subprocess.run([sys.executable, "-m", "receiptdesk", "invoice.png"], env=env_for(data), cwd=SAMPLES,
                            capture_output=True, text=True, timeout=WAIT_S)  # fmt: skip
    assert second.returncode == 0, second.stderr
    wait_for("the first window reading invoice.png", lambda: listed(data).get("invoice.png") == "ok", first)
    log = (data / "logs" / "receiptdesk.log").read_text(encoding="utf-8")
    assert log.count(f"ReceiptDesk {receiptdesk.__version__} started") == 1, "a second window was opened"

    # the window crashes: its lock and socket are left behind, and the next launch takes them over
    first.kill()
    first.communicate(timeout=60)
    third = windows(str(SAMPLES / "cafe-photo.jpg"), data=data)
    wait_for("a new window reading cafe-photo.jpg", lambda: "cafe-photo.jpg" in listed(data), third)
    assert listed(data)["receipt.jpg"] == "ok"


def test_a_launch_on_another_library_opens_its_own_window(
    tmp_path: Path, windows: Callable[..., subprocess.Popen[str]]
) -> None:
    one, other = tmp_path / "one", tmp_path / "other"
    first = windows(data=one)
    wait_for("the first window", lambda: "started" in _log(one), first)
    second = windows(str(SAMPLES / "invoice.png"), data=other)
    wait_for("the second library reading invoice.png", lambda: listed(other).get("invoice.png") == "ok", second)
    assert listed(one) == {}
    assert first.poll() is None


def _log(data: Path) -> str:
    log = data / "logs" / "receiptdesk.log"
    return log.read_text(encoding="utf-8") if log.is_file() else ""


def test_help_and_version_print_and_exit(tmp_path: Path) -> None:
    helped = receiptdesk_cmd("--help", data=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "receiptdesk [FILE...]" in helped.stdout
    for verb in ("extract", "parse", "import", "list", "show", "export", "resume"):
        assert f"\n  {verb} " in helped.stdout, verb
    version = receiptdesk_cmd("--version", data=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"ReceiptDesk {receiptdesk.__version__}\n")
    assert not (tmp_path / "library.sqlite3").exists()


def test_a_file_that_is_not_there_is_refused_without_a_window(tmp_path: Path) -> None:
    done = receiptdesk_cmd("lsit", data=tmp_path / "data")
    assert done.returncode == 2
    assert "no such file or command: lsit" in done.stderr
    assert "list" in done.stderr
    assert not (tmp_path / "data").exists()  # no window, no library


def test_a_file_url_from_a_file_manager_is_a_file() -> None:
    from receiptdesk.__main__ import as_path

    assert as_path((SAMPLES / "receipt.jpg").as_uri()) == SAMPLES / "receipt.jpg"
    assert as_path("file:///tmp/a%20b.pdf") == Path("/tmp/a b.pdf")
