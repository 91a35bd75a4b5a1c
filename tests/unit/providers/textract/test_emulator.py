"""The local Textract behaves as the service does where the provider and GUI tests rely on it."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.emulators.fixtures import s3_client
from tests.emulators.textract import TextractEmulator
from tests.unit.providers.textract.conftest import write_pdf


def textract(emulator: TextractEmulator) -> Any:
    return boto3.client(
        "textract",
        endpoint_url=emulator.url,
        region_name="us-east-1",
        aws_access_key_id="k",
        aws_secret_access_key="s",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def test_a_multi_page_pdf_sent_directly_is_refused_as_the_service_does(
    textract_emulator: TextractEmulator, tmp_path: Any
) -> None:
    pdf = write_pdf(tmp_path / "two.pdf", 2)
    with pytest.raises(ClientError) as err:
        textract(textract_emulator).analyze_expense(Document={"Bytes": pdf.read_bytes()})
    assert err.value.response["Error"] == {
        "Code": "UnsupportedDocumentException",
        "Message": "Request has unsupported document format",
    }
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_throttling_is_a_500_with_the_json_error_shape(textract_emulator: TextractEmulator) -> None:
    textract_emulator.throttle(1)
    with pytest.raises(ClientError) as err:
        textract(textract_emulator).get_expense_analysis(JobId="abc")
    assert err.value.response["Error"]["Code"] == "ThrottlingException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    textract_emulator.fail("AccessDeniedException", times=None)
    textract_emulator.clear_faults()
    with pytest.raises(ClientError) as err:
        textract(textract_emulator).get_expense_analysis(JobId="abc")
    assert err.value.response["Error"]["Code"] == "InvalidJobIdException"  # the faults are gone


def test_a_next_token_of_another_job_is_refused(
    textract_emulator: TextractEmulator, s3_bucket: str, moto_s3: str
) -> None:
    textract_emulator.serve("analyzeExpenseResponse-multipage.json")
    s3_client(moto_s3).put_object(Bucket=s3_bucket, Key="a.pdf", Body=b"%PDF-1.4")
    client = textract(textract_emulator)
    location = {"S3Object": {"Bucket": s3_bucket, "Name": "a.pdf"}}
    one = client.start_expense_analysis(DocumentLocation=location, ClientRequestToken="one")["JobId"]
    two = client.start_expense_analysis(DocumentLocation=location, ClientRequestToken="two")["JobId"]
    token = client.get_expense_analysis(JobId=one, MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as err:
        client.get_expense_analysis(JobId=two, MaxResults=1, NextToken=token)
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"


def test_a_job_on_a_missing_object_is_refused(textract_emulator: TextractEmulator, s3_bucket: str) -> None:
    with pytest.raises(ClientError) as err:
        textract(textract_emulator).start_expense_analysis(
            DocumentLocation={"S3Object": {"Bucket": s3_bucket, "Name": "never-uploaded.pdf"}}
        )
    assert err.value.response["Error"]["Code"] == "InvalidS3ObjectException"
    assert textract_emulator.jobs == {}


def test_delay_slows_every_answer(textract_emulator: TextractEmulator) -> None:
    textract_emulator.delay(0.3)
    began = time.monotonic()
    with pytest.raises(ClientError):
        textract(textract_emulator).get_expense_analysis(JobId="abc")
    assert time.monotonic() - began >= 0.3
