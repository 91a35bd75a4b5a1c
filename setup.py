"""resources/ (icons, sample receipts) sits beside the package in the repository; in a wheel it is
installed as receiptdesk/resources, where services/paths.resources_dir() looks first. pyproject.toml
cannot map a folder outside the package into it together with package discovery, so this does (and
so all package data is declared here: pyproject's package-data would replace this)."""

from setuptools import find_packages, setup

RESOURCES = ["receiptdesk.resources", "receiptdesk.resources.icons", "receiptdesk.resources.samples"]

setup(
    packages=[*find_packages(include=["receiptdesk", "receiptdesk.*"]), *RESOURCES],
    package_dir={"receiptdesk.resources": "resources"},
    # the offline reader's trained ranker and month names (providers/local/model/*.json) ride along too,
    # and the int8 copies of the OCR models (model/ocr/*.onnx, an engine option)
    package_data={
        **{name: ["*"] for name in RESOURCES[1:]},
        "receiptdesk.providers.local": ["model/*.json", "model/ocr/*.onnx"],
    },
)
