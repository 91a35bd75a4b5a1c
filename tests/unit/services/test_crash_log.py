"""A native crash leaves a crash log; the next start finds it once, and the command line says where."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from receiptdesk.services.logs import previous_crash
from receiptdesk.services.paths import AppPaths
from tests.conftest import ROOT

CRASH = """
import faulthandler, sys
from pathlib import Path
from receiptdesk.services.logs import start_crash_log
start_crash_log(Path(sys.argv[1]))
faulthandler._sigsegv()
"""


def _run(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECEIPTDESK_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_crash_is_logged_and_reported_once_at_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    paths = AppPaths.from_environment({"RECEIPTDESK_DATA_DIR": str(data)})
    crashed = _run("-c", CRASH, str(paths.logs), data=data)
    assert crashed.returncode == -signal.SIGSEGV
    # The crashed run's own file holds the traceback of the thread that died.
    assert "Segmentation fault" in (paths.logs / "crash.log").read_text()
    assert previous_crash(paths) is None  # not moved aside until a run starts

    first = _run("-m", "receiptdesk", "list", data=data)
    assert first.returncode == 0, first.stderr
    assert "the last run stopped unexpectedly" in first.stderr
    shown = Path(first.stderr.rsplit(" in ", 1)[1].strip())
    assert "Segmentation fault" in shown.read_text()
    assert previous_crash(paths) is None  # shown once

    second = _run("-m", "receiptdesk", "list", data=data)
    assert second.returncode == 0 and "stopped unexpectedly" not in second.stderr
    assert (paths.logs / "crash.log").stat().st_size == 0  # a clean run leaves nothing to report


def test_previous_crash_finds_the_crash_a_new_start_moved_aside(tmp_path: Path) -> None:
    from receiptdesk.services.logs import crash_shown

    data = tmp_path / "data"
    paths = AppPaths.from_environment({"RECEIPTDESK_DATA_DIR": str(data)})
    assert _run("-c", CRASH, str(paths.logs), data=data).returncode == -signal.SIGSEGV
    # What the window does at start (in a child: faulthandler is process-wide, pytest has its own).
    script = (
        "import sys; from pathlib import Path; from receiptdesk.services import logs; "
        "out = logs.start_crash_log(Path(sys.argv[1])); logs.stop_crash_log(out)"
    )
    assert _run("-c", script, str(paths.logs), data=data).returncode == 0
    found = previous_crash(paths)
    assert found is not None and "Segmentation fault" in found.read_text()
    crash_shown(found)
    assert previous_crash(paths) is None
