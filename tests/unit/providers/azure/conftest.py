"""Azure tests: the emulator fixtures, and the recorded responses by name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.emulators.azure_fixtures import azure_emulator, azure_provider, azure_settings  # noqa: F401


@pytest.fixture
def azure_data(shared: Path) -> Path:
    return shared / "data" / "responses" / "azure"


@pytest.fixture
def recorded(azure_data: Path) -> Callable[[str], Any]:
    """The raw REST body of a recorded response, as the service sent it."""

    def load(name: str) -> Any:
        return json.loads((azure_data / name).read_text(encoding="utf-8"))

    return load
