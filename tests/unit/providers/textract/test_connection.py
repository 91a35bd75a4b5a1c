"""Tools > Settings > Amazon Textract > Test connection: one cheap call that says exactly what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from receiptdesk.core.errors import ErrorKind
from receiptdesk.providers.textract import AwsCredentials, TextractProvider, TextractSettings
from tests.emulators.fixtures import free_port, s3_client
from tests.emulators.textract import TextractEmulator
from tests.unit.providers.textract.conftest import KEY_ID, SECRET


@pytest.fixture
def isolated_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """AWS config files of our own, and none of the machine's keys in the environment."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "aws-config"
    config.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance metadata lookups on a laptop
    return config


def test_all_is_well(
    make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator, s3_bucket: str
) -> None:
    result = make_provider(bucket=s3_bucket).test_connection()
    assert result.ok, result.message
    assert "us-east-1 accepts these credentials" in result.message
    assert f"The S3 bucket '{s3_bucket}' is ready" in result.message
    assert [c.operation for c in textract_emulator.calls] == ["GetExpenseAnalysis"]  # free, starts nothing


def test_without_a_bucket_it_says_what_that_means(make_provider: Callable[..., TextractProvider]) -> None:
    result = make_provider().test_connection()
    assert result.ok
    assert "No S3 bucket is set" in result.message


def test_unknown_key(make_settings: Callable[..., TextractSettings], textract_emulator: TextractEmulator) -> None:
    textract_emulator.accept_keys({"AKIAOTHERKEY0000000": SECRET})
    result = TextractProvider(make_settings(), AwsCredentials(KEY_ID, SECRET)).test_connection()
    assert not result.ok and result.kind is ErrorKind.CREDENTIALS
    assert "AWS did not accept the access key (The security token included in the request is invalid)" in result.message
    assert "Tools > Settings > Amazon Textract" in result.message


def test_wrong_secret(make_settings: Callable[..., TextractSettings], textract_emulator: TextractEmulator) -> None:
    textract_emulator.accept_keys({KEY_ID: SECRET})
    result = TextractProvider(make_settings(), AwsCredentials(KEY_ID, SECRET + "x")).test_connection()
    assert not result.ok and result.kind is ErrorKind.CREDENTIALS
    assert "Check your AWS Secret Access Key" in result.message


def test_no_permission(make_provider: Callable[..., TextractProvider], textract_emulator: TextractEmulator) -> None:
    textract_emulator.fail("AccessDeniedException", operation="GetExpenseAnalysis")
    result = make_provider().test_connection()
    assert not result.ok and result.kind is ErrorKind.CREDENTIALS
    assert "no permission to use Amazon Textract" in result.message
    assert "not authorized to perform" in result.message


def test_endpoint_unreachable(make_settings: Callable[..., TextractSettings], credentials: AwsCredentials) -> None:
    provider = TextractProvider(make_settings(endpoint_url=f"http://127.0.0.1:{free_port()}"), credentials)
    result = provider.test_connection()
    assert not result.ok and result.kind is ErrorKind.NETWORK
    assert "Cannot reach Amazon Textract in us-east-1" in result.message


def test_bucket_missing(make_provider: Callable[..., TextractProvider], s3_bucket: str) -> None:
    result = make_provider(bucket="receiptdesk-missing").test_connection()
    assert not result.ok and result.kind is ErrorKind.SETTINGS
    assert "The S3 bucket 'receiptdesk-missing' does not exist" in result.message


def test_bucket_in_another_region(make_provider: Callable[..., TextractProvider], moto_s3: str, s3_bucket: str) -> None:
    s3_client(moto_s3).create_bucket(
        Bucket="receiptdesk-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    result = make_provider(bucket="receiptdesk-eu").test_connection()
    assert not result.ok and result.kind is ErrorKind.SETTINGS
    assert "is in eu-west-1, but Amazon Textract is set to us-east-1" in result.message


def test_a_profile_from_the_aws_config_files(
    make_settings: Callable[..., TextractSettings], textract_emulator: TextractEmulator, isolated_aws: Path
) -> None:
    isolated_aws.write_text(
        f"[profile receipts]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\nregion = us-east-1\n"
    )
    textract_emulator.accept_keys({KEY_ID: SECRET})
    result = TextractProvider(make_settings(profile="receipts")).test_connection()
    assert result.ok, result.message
    assert KEY_ID in textract_emulator.calls[0].headers["authorization"]


def test_a_profile_that_does_not_exist(make_settings: Callable[..., TextractSettings], isolated_aws: Path) -> None:
    result = TextractProvider(make_settings(profile="nope")).test_connection()
    assert not result.ok and result.kind is ErrorKind.CREDENTIALS
    assert "The AWS profile 'nope' is not in your AWS config files" in result.message


def test_no_credentials_at_all(make_settings: Callable[..., TextractSettings], isolated_aws: Path) -> None:
    result = TextractProvider(make_settings()).test_connection()
    assert not result.ok and result.kind is ErrorKind.CREDENTIALS
    assert "No AWS credentials are set" in result.message
