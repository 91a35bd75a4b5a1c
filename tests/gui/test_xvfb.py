"""The window on a real X server (Xvfb), as on a Linux desktop: it draws, and the screenshot shows it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT

pytestmark = pytest.mark.xvfb


def test_the_window_draws_a_read_receipt_on_a_real_x_server(tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("needs Xvfb (apt-get install xvfb xauth); .ci/run installs it")
    out = tmp_path / "window.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable, "-m", "tests.gui.screenshot", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "on xcb" in done.stdout  # drawn by the X11 platform, not offscreen
    with Image.open(out) as picture:
        assert picture.size == (1320, 820)
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 500  # text, a photo of a receipt, boxes: not a blank window


def _mean_light(path: Path) -> float:
    with Image.open(path) as picture:
        grey = picture.convert("L").resize((1, 1), Image.Resampling.BOX)  # one pixel: the mean
        return float(grey.getpixel((0, 0)))  # type: ignore[arg-type]


def test_every_view_in_the_light_and_the_dark_theme(tmp_path: Path) -> None:
    """The screenshots in docs/screenshots are made by this; here they are checked to draw and differ."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("needs Xvfb (apt-get install xvfb xauth); .ci/run installs it")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    for theme in ("light", "dark"):
        done = subprocess.run(
            ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable, "-m", "tests.gui.screenshot",
             str(tmp_path), "--theme", theme],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
    for view in ("welcome", "document", "review", "trash", "settings"):
        light, dark = _mean_light(tmp_path / f"{view}-light.png"), _mean_light(tmp_path / f"{view}-dark.png")
        assert dark < light - 40, (view, light, dark)  # the dark theme is dark everywhere, not only in parts


def test_ctrl_e_in_a_text_box_exports_where_qt_binds_it_to_end_of_line(tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("needs Xvfb (apt-get install xvfb xauth); .ci/run installs it")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", "tests.gui.export_shortcut"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert "Ctrl+E" in done.stdout and "on xcb" in done.stdout, done.stdout + done.stderr[-2000:]
    assert done.returncode == 0 and "export dialog opened on xcb" in done.stdout, done.stdout + done.stderr[-2000:]
