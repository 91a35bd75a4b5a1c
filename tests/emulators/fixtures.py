"""pytest fixtures for the local services: S3 from `moto_server`, and the Textract emulator.

Use them from a conftest: `from tests.emulators.fixtures import moto_s3, s3_bucket, textract_emulator`.
moto_server runs once per session on a free port (found next to the running
Python, as in the project's venv) and is stopped at the end; each test gets
a clean S3 (moto's reset) and its own emulator.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.emulators.textract import TextractEmulator

REGION = "us-east-1"
BUCKET = "receiptdesk-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def moto_server_executable() -> str | None:
    beside = Path(sys.executable).parent / "moto_server"
    if beside.exists():
        return str(beside)
    return shutil.which("moto_server")


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[str]:
    """The endpoint URL of a moto_server on 127.0.0.1, for the whole session."""
    exe = moto_server_executable()
    if exe is None:
        pytest.fail("moto_server is not installed next to this Python (pip install 'moto[server]')")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start on port {port}")
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def reset_moto(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def s3_client(url: str) -> Any:
    import boto3

    return boto3.client(
        "s3", endpoint_url=url, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


@pytest.fixture
def s3_bucket(moto_s3: str) -> str:
    """An empty bucket in a freshly reset moto S3."""
    reset_moto(moto_s3)
    s3_client(moto_s3).create_bucket(Bucket=BUCKET)
    return BUCKET


@pytest.fixture
def textract_emulator(shared: Path, moto_s3: str) -> Iterator[TextractEmulator]:
    """A running Textract emulator answering with ../shared/data/responses/textract, checking S3 in moto."""
    emulator = TextractEmulator(shared / "data" / "responses" / "textract", s3_endpoint=moto_s3, region=REGION)
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()
