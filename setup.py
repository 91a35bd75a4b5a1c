"""resources/ (icons, sample receipts) sits beside the package in the repository; in a wheel it is
installed as receiptdesk/resources, where services/paths.resources_dir() looks first. pyproject.toml
cannot map a folder outside the package into it together with package discovery, so this does."""

from setuptools import find_packages, setup

RESOURCES = ["receiptdesk.resources", "receiptdesk.resources.icons", "receiptdesk.resources.samples"]

setup(
    packages=[*find_packages(include=["receiptdesk", "receiptdesk.*"]), *RESOURCES],
    package_dir={"receiptdesk.resources": "resources"},
    package_data={name: ["*"] for name in RESOURCES[1:]},
)
