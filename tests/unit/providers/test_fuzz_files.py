"""The file openers on mutated copies of real files: a document, or a bad_document naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import KEPT, mutate, open_and_draw, seeds

EDITS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 2), st.integers(0, 255)), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return seeds(tmp_path_factory.mktemp("seeds"))


@pytest.mark.parametrize("path", sorted(KEPT.iterdir()), ids=lambda p: p.name)
def test_inputs_that_once_crashed_an_opener_are_refused_in_words(path: Path, tmp_path: Path) -> None:
    """Found by this fuzzing: PdfiumError on a page, TIFF TypeError 'Missing dimensions', decoder errors."""
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    assert open_and_draw(copy) in ("ok", "refused")


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.sampled_from(["seed.jpg", "seed.png", "seed.gif", "seed.bmp", "seed.webp", "seed.tif", "seed.pdf",
                        "seed.txt"]), EDITS, st.none() | st.integers(0, 1 << 20))  # fmt: skip
def test_a_mutated_file_opens_or_is_refused_by_name(
    seed_files: dict[str, bytes], tmp_path: Path, seed: str, edits: list[tuple[int, int, int]], cut: int | None
) -> None:
    path = tmp_path / f"mutated{Path(seed).suffix}"
    path.write_bytes(mutate(seed_files[seed], edits, cut))
    assert open_and_draw(path) in ("ok", "refused")
