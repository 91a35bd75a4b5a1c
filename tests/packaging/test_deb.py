"""The .deb's contents as the desktop reads them, built over a stand-in bundle (the real bundle's
.deb is built, installed, opened with a receipt and removed by packaging/linux/check-deb.sh in CI)."""

from __future__ import annotations

import configparser
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import receiptdesk
from tests.conftest import ROOT
from tests.packaging.conftest import need

APP_ID = "org.receiptdesk.ReceiptDesk"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("dpkg-deb", "dpkg")
    tmp = tmp_path_factory.mktemp("deb")
    bundle = tmp / "receiptdesk"
    bundle.mkdir()
    (bundle / "receiptdesk").write_text("#!/bin/sh\necho stand-in\n")
    (bundle / "receiptdesk").chmod(0o755)
    done = subprocess.run([ROOT / "packaging" / "linux" / "build-deb.sh", bundle, tmp / "out"], capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (deb,) = (tmp / "out").glob("receiptdesk_*.deb")
    assert deb.name.startswith(f"receiptdesk_{receiptdesk.__version__}_")
    root = tmp / "root"
    subprocess.run(["dpkg-deb", "-R", deb, root], check=True)
    return root


def desktop_entry(root: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(root / "usr" / "share" / "applications" / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_package_carries_the_apps_version_and_its_size(unpacked: Path) -> None:
    control = dict(
        line.split(": ", 1) for line in (unpacked / "DEBIAN" / "control").read_text().splitlines() if ": " in line
    )
    assert control["Package"] == "receiptdesk"
    assert control["Version"] == receiptdesk.__version__
    assert int(control["Installed-Size"]) > 0
    assert (unpacked / "usr" / "bin" / "receiptdesk").readlink() == Path("/opt/receiptdesk/receiptdesk")


def test_the_desktop_entry_validates_and_opens_pdfs_and_images_with_the_files_as_arguments(unpacked: Path) -> None:
    validate = need("desktop-file-validate", "desktop-file-utils")
    path = unpacked / "usr" / "share" / "applications" / f"{APP_ID}.desktop"
    done = subprocess.run([validate, path], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    entry = desktop_entry(unpacked)
    assert entry["Exec"] == "receiptdesk %F"  # files from "Open with" are arguments: __main__ opens them
    types = set(filter(None, entry["MimeType"].split(";")))
    assert {"application/pdf", "image/jpeg", "image/png", "image/tiff", "image/heic"} <= types


def test_the_metainfo_validates_and_says_the_version_and_the_same_file_types(unpacked: Path) -> None:
    appstreamcli = need("appstreamcli", "appstream")
    path = unpacked / "usr" / "share" / "metainfo" / f"{APP_ID}.metainfo.xml"
    done = subprocess.run([appstreamcli, "validate", "--no-net", path], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    component = ET.parse(path).getroot()
    assert component.findtext("id") == APP_ID == receiptdesk.APP_ID
    assert component.find("launchable").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]
    (release,) = component.iter("release")
    assert release.get("version") == receiptdesk.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{receiptdesk.__version__}] - {release.get('date')}" in changelog
    mediatypes = {m.text for m in component.iter("mediatype")}
    assert mediatypes == set(filter(None, desktop_entry(unpacked)["MimeType"].split(";")))


def test_the_icon_is_there_in_every_size_the_resources_have(unpacked: Path) -> None:
    sizes = sorted(int(re.sub(r"\D", "", p.stem)) for p in (ROOT / "resources" / "icons").glob("receiptdesk-*.png"))
    assert sizes, "no icons in resources/icons"
    hicolor = unpacked / "usr" / "share" / "icons" / "hicolor"
    for size in sizes:
        assert (hicolor / f"{size}x{size}" / "apps" / "receiptdesk.png").is_file(), size
    assert (hicolor / "scalable" / "apps" / "receiptdesk.svg").is_file()
    assert desktop_entry(unpacked)["Icon"] == "receiptdesk"
