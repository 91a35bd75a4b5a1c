"""The real OS keyring, once: GNOME Keyring on a private D-Bus session, as on a Linux desktop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.keyring

SECRET = "rd-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0"

STORE = f"""
import logging
from receiptdesk.services.wiring import open_services
s = open_services()
print("backend:", s.secrets.backend_name)
assert s.secrets.problem is None, s.secrets.problem
s.secrets.set("azure_key", "{SECRET}")
s.settings.set("azure.endpoint", "https://example.cognitiveservices.azure.com/")
s.settings.save()
logging.getLogger("receiptdesk.test").warning("connecting with %s", s.secrets.get("azure_key"))
s.close()
"""

READ = """
from receiptdesk.services.wiring import open_services
s = open_services()
print("read:", s.secrets.get("azure_key"))
s.close()
"""


def _in_keyring_session(home: Path, code: str, data_dir: Path) -> str:
    run = home / "run"
    run.mkdir(mode=0o700, exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(run),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "RECEIPTDESK_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    script = home / "script.py"
    script.write_text(code)
    unlock = "echo -n unlock-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
    shell = f"{unlock}; exec {sys.executable} {script}"
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def keyring_home(tmp_path: Path) -> Path:
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} (apt-get install gnome-keyring dbus; .ci/run installs it)")
    home = tmp_path / "home"
    home.mkdir()
    return home


def test_key_is_kept_in_the_os_keyring_and_nowhere_else(keyring_home: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    out = _in_keyring_session(keyring_home, STORE, data_dir)
    assert "SecretService" in out
    # a later session, same user: the key is still there
    assert f"read: {SECRET}" in _in_keyring_session(keyring_home, READ, data_dir)
    # ... and it is in no file ReceiptDesk wrote: database, settings, logs
    written = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "settings.json" for p in written)
    assert any(p.suffix == ".log" for p in written)
    for p in written:
        assert SECRET.encode() not in p.read_bytes(), f"the key leaked into {p}"
    # while the keyring's own file holds it (encrypted, so not as plain text either)
    keyrings = list((keyring_home / ".local" / "share" / "keyrings").glob("*.keyring"))
    assert keyrings
    assert all(SECRET.encode() not in k.read_bytes() for k in keyrings)
