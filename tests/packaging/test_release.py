"""What cannot run here is still checked here: the Windows installer script compiles with makensis,
the release workflow matches GitHub's schema and its shell steps and the packaging scripts pass
shellcheck, the wheel carries resources/ and the licence."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import receiptdesk
from receiptdesk.providers.local.models import DETECTORS, RECOGNIZERS
from tests.conftest import ROOT
from tests.packaging.conftest import need

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
SCRIPTS = [
    ROOT / "dev", ROOT / ".ci" / "run", ROOT / "packaging" / "build.sh", ROOT / "packaging" / "linux" / "build-deb.sh",
    ROOT / "packaging" / "linux" / "check-deb.sh", ROOT / "packaging" / "windows" / "build-installer.sh",
]  # fmt: skip


def test_the_windows_installer_script_compiles(tmp_path: Path) -> None:
    need("makensis", "nsis")
    payload = tmp_path / "receiptdesk"  # stand-in: the real bundle is compiled in by ./dev test
    (payload / "_internal").mkdir(parents=True)
    for name in ("receiptdesk.exe", "receiptdesk-cli.exe", "_internal/base_library.zip"):
        (payload / name).write_bytes(b"stand-in")
    done = subprocess.run([ROOT / "packaging" / "windows" / "build-installer.sh", "--stand-in", payload],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_release_workflow_matches_githubs_schema() -> None:
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           WORKFLOW], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_builds_and_smoke_tests_windows_and_macos() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    runners = {name: job["runs-on"] for name, job in jobs.items()}
    assert runners["windows"] == "windows-latest" and runners["macos"] == "macos-latest"
    for name in ("windows", "macos"):
        runs = "\n".join(step.get("run", "") for step in jobs[name]["steps"])
        assert "packaging/build.sh" in runs and "packaging/smoke_test.py" in runs, name


def bash_steps() -> list[tuple[str, str]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = []
    for name, job in workflow["jobs"].items():
        default = job.get("defaults", {}).get("run", {}).get("shell", "bash")
        for i, step in enumerate(job["steps"]):
            if "run" in step and step.get("shell", default) == "bash":
                # ${{ expr }} is replaced before the shell sees it
                steps.append((f"{name}[{i}]", re.sub(r"\$\{\{[^}]*\}\}", "x", step["run"])))
    return steps


@pytest.mark.parametrize(("where", "script"), bash_steps())
def test_each_shell_step_of_the_workflow_passes_shellcheck(where: str, script: str, tmp_path: Path) -> None:
    shellcheck = need("shellcheck", "shellcheck")
    path = tmp_path / "step.sh"
    path.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + script)
    done = subprocess.run([shellcheck, "-S", "warning", path], capture_output=True, text=True)
    assert done.returncode == 0, f"{where}:\n{done.stdout}"


def test_the_packaging_scripts_pass_shellcheck() -> None:
    shellcheck = need("shellcheck", "shellcheck")
    done = subprocess.run([shellcheck, "-S", "warning", *SCRIPTS], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_the_wheel_ships_resources_and_the_licence_and_finds_them_once_installed(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                           "-w", tmp_path, ROOT], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("receiptdesk-*.whl")
    assert wheel.name.startswith(f"receiptdesk-{receiptdesk.__version__}-")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(site)
    assert f"receiptdesk-{receiptdesk.__version__}.dist-info/licenses/LICENSE" in names
    for icon in (ROOT / "resources" / "icons").iterdir():
        assert f"receiptdesk/resources/icons/{icon.name}" in names
    assert "receiptdesk/resources/samples/receipt.jpg" in names
    assert {"receiptdesk/providers/local/model/ranker.json", "receiptdesk/providers/local/model/months.json"} <= names
    # the int8 OCR models (an engine option) ride along in the wheel
    assert {f"receiptdesk/{m.path}" for m in (DETECTORS["small-int8"], RECOGNIZERS["small-int8"])} <= names
    # the installed package finds its own copy, not the checkout's
    found = subprocess.run([sys.executable, "-c", "from receiptdesk.services.paths import resources_dir; "
                            "print(resources_dir())"], cwd=tmp_path, env={"PYTHONPATH": str(site)},
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == site / "receiptdesk" / "resources"
