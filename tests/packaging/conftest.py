"""Tools the packaging checks run: on CI (.ci/run installs them) a missing one fails, elsewhere it skips."""

from __future__ import annotations

import os
import shutil

import pytest


def need(tool: str, package: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    message = f"needs {tool} (apt-get install {package}); .ci/run installs it"
    if os.environ.get("RECEIPTDESK_CI"):
        pytest.fail(message)
    pytest.skip(message)
