"""A local Amazon Textract speaking the AWS JSON 1.1 protocol, answering with real recorded responses.

boto3 talks to it over HTTP exactly as to AWS (`endpoint_url=emulator.url`):
`POST /` with `X-Amz-Target: Textract.AnalyzeExpense`, `StartExpenseAnalysis`
or `GetExpenseAnalysis`. Answers come from ../shared/data/responses/textract
(loaded from there, chosen per test with `serve()`); errors have the wire
shape botocore parses (HTTP 400, or 500 for InternalServerError and
ThrottlingException, body {"__type": code, "Message": ...}).

Fault API (for provider and GUI tests):
    serve(name)                      which recorded response AnalyzeExpense and new jobs answer with
                                     (a name in the responses folder, or an absolute path)
    throttle(n, operation=None)      the next n calls get ThrottlingException, then calls succeed
    fail(code, message=None, operation=None, times=1)   the next `times` calls (None: all) fail with `code`
    stall(True/False)                jobs stay IN_PROGRESS while stalled
    disconnect(True/False)           requests are dropped unanswered (the network is down)
    finish_after(polls)              each job answers IN_PROGRESS to its first `polls` GetExpenseAnalysis
    expire(job_id=None)              the job (or every job) is gone: InvalidJobIdException
    fail_jobs(message) / partial_jobs(warnings, message) / succeed_jobs()   how new jobs end
    accept_keys({key_id: secret})    check SigV4 signatures: unknown keys and wrong secrets are refused
    delay(seconds)                   every answer comes that much later (to watch progress in the GUI)
    clear_faults()                   forget pending fail/throttle faults
    calls, count(operation), jobs    what it received, to assert how many jobs were started
Jobs check that their DocumentLocation exists in S3 when `s3_endpoint` is given (moto_server).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.emulators.sigv4 import sigv4_problem

SYNC_MAX_BYTES = 10 * 1024 * 1024
MAX_RESULTS = 20
TOKEN_PATTERN = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
JOB_TAG_PATTERN = re.compile(r"^[a-zA-Z0-9_.\-:]{1,64}$")

# Messages: the first two are real (quoted in GitHub issues, see research/responses.md),
# UnrecognizedClientException and InvalidSignatureException are the standard AWS texts;
# the rest are plausible stand-ins.
MESSAGES = {
    "UnsupportedDocumentException": "Request has unsupported document format",
    "InvalidParameterException": "Request has invalid parameters",
    "UnrecognizedClientException": "The security token included in the request is invalid.",
    "InvalidSignatureException": (
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    ),
    "ThrottlingException": "Rate exceeded",
    "ProvisionedThroughputExceededException": "Provisioned rate exceeded",
    "InternalServerError": "Internal server error",
    "DocumentTooLargeException": "Document size exceeds the limit",
    "BadDocumentException": "Unable to process the document",
    "InvalidS3ObjectException": (
        "Unable to get object metadata from S3. Check object key, region and/or access permissions."
    ),
    "AccessDeniedException": "User: arn:aws:iam::123456789012:user/receipts is not authorized to perform this action",
    "InvalidKMSKeyException": "Invalid KMS key",
    "IdempotentParameterMismatchException": "ClientRequestToken was reused with different parameters",
    "LimitExceededException": "Open jobs exceed maximum concurrent job limit",
    "InvalidJobIdException": "Request has invalid Job Id",
    "MissingAuthenticationTokenException": "Missing Authentication Token",
}
SERVER_ERRORS = frozenset({"InternalServerError", "ThrottlingException"})


@dataclass
class Call:
    operation: str
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Fault:
    code: str
    message: str
    operation: str | None
    remaining: int | None  # None: for ever


@dataclass
class Job:
    job_id: str
    token: str | None
    fingerprint: str
    response: dict[str, Any]
    polls: int = 0
    expired: bool = False
    params: dict[str, Any] = field(default_factory=dict)


class ServiceError(Exception):
    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message or MESSAGES.get(code, code)


class TextractEmulator:
    def __init__(self, responses_dir: Path, *, s3_endpoint: str | None = None, region: str = "us-east-1") -> None:
        self.responses_dir = Path(responses_dir)
        self.s3_endpoint = s3_endpoint
        self.region = region
        self.calls: list[Call] = []
        self.jobs: dict[str, Job] = {}
        self._tokens: dict[str, str] = {}
        self._faults: list[Fault] = []
        self._served = "test_analyze_expense_from_image.json"
        self._stalled = False
        self._in_progress_polls = 0
        self._job_end: tuple[str, str | None, list[dict[str, Any]]] = ("SUCCEEDED", None, [])
        self._keys: dict[str, str] | None = None
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._s3: Any = None
        self.offline = False
        self.latency = 0.0

    # ------------------------------------------------------------ lifecycle
    def start(self) -> TextractEmulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if emulator.offline:  # the network is down: the connection drops without an answer
                    self.close_connection = True
                    return
                if emulator.latency:
                    time.sleep(emulator.latency)
                status, body = emulator.handle(dict(self.headers.items()), raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="textract-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> TextractEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the emulator first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # ------------------------------------------------------------ fault API
    def serve(self, name: str) -> None:
        self.load(name)  # fail now, in the test, when the file is missing
        with self._lock:
            self._served = name

    def load(self, name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.responses_dir / name).read_text(encoding="utf-8"))
        data.pop("ResponseMetadata", None)  # boto3 adds it; it is not on the wire
        return data

    def throttle(self, times: int, *, operation: str | None = None, code: str = "ThrottlingException") -> None:
        self.fail(code, operation=operation, times=times)

    def fail(
        self, code: str, message: str | None = None, *, operation: str | None = None, times: int | None = 1
    ) -> None:
        with self._lock:
            self._faults.append(Fault(code, message or MESSAGES.get(code, code), operation, times))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def stall(self, on: bool = True) -> None:
        with self._lock:
            self._stalled = on

    def finish_after(self, polls: int) -> None:
        with self._lock:
            self._in_progress_polls = polls

    def delay(self, seconds: float) -> None:
        self.latency = seconds

    def disconnect(self, on: bool = True) -> None:
        """While on, every request is dropped unanswered, as when the network goes down mid-job."""
        self.offline = on

    def expire(self, job_id: str | None = None) -> None:
        with self._lock:
            for job in self.jobs.values():
                if job_id is None or job.job_id == job_id:
                    job.expired = True

    def fail_jobs(self, message: str) -> None:
        with self._lock:
            self._job_end = ("FAILED", message, [])

    def succeed_jobs(self) -> None:
        with self._lock:
            self._job_end = ("SUCCEEDED", None, [])

    def partial_jobs(self, warnings: list[dict[str, Any]], message: str | None = None) -> None:
        with self._lock:
            self._job_end = ("PARTIAL_SUCCESS", message, warnings)

    def accept_keys(self, keys: dict[str, str] | None) -> None:
        with self._lock:
            self._keys = dict(keys) if keys is not None else None

    def count(self, operation: str) -> int:
        with self._lock:
            return sum(1 for c in self.calls if c.operation == operation)

    # ------------------------------------------------------------- protocol
    def handle(self, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        lower = {k.lower(): v for k, v in headers.items()}
        target = lower.get("x-amz-target", "")
        operation = target.removeprefix("Textract.")
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return _error(ServiceError("SerializationException", "Malformed JSON"))
        with self._lock:
            self.calls.append(Call(operation, body, lower))
            try:
                self._check_signature(lower, raw)
                self._inject_fault(operation)
                if operation == "AnalyzeExpense":
                    return 200, self._analyze(body)
                if operation == "StartExpenseAnalysis":
                    return 200, self._start(body)
                if operation == "GetExpenseAnalysis":
                    return 200, self._get(body)
                raise ServiceError("UnknownOperationException", f"Unknown operation {target}")
            except ServiceError as e:
                return _error(e)

    def _inject_fault(self, operation: str) -> None:
        for fault in self._faults:
            if fault.operation not in (None, operation) or fault.remaining == 0:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
            raise ServiceError(fault.code, fault.message)

    def _analyze(self, body: dict[str, Any]) -> dict[str, Any]:
        document = body.get("Document") or {}
        if "Bytes" in document:
            data = base64.b64decode(document["Bytes"])
            if len(data) > SYNC_MAX_BYTES:
                raise ServiceError("DocumentTooLargeException")
            if not _accepted(data) or _pdf_pages(data) > 1:
                raise ServiceError("UnsupportedDocumentException")
        elif "S3Object" in document:
            self._check_s3(document["S3Object"])
        else:
            raise ServiceError("InvalidParameterException")
        return self.load(self._served)

    def _start(self, body: dict[str, Any]) -> dict[str, Any]:
        s3_object = (body.get("DocumentLocation") or {}).get("S3Object") or {}
        if not s3_object.get("Bucket") or not s3_object.get("Name"):
            raise ServiceError("InvalidParameterException")
        token = body.get("ClientRequestToken")
        if token is not None and not TOKEN_PATTERN.match(token):
            raise ServiceError("InvalidParameterException", "ClientRequestToken does not match the pattern")
        tag = body.get("JobTag")
        if tag is not None and not JOB_TAG_PATTERN.match(tag):
            raise ServiceError("InvalidParameterException", "JobTag does not match the pattern")
        channel = body.get("NotificationChannel")
        if channel is not None and not (channel.get("SNSTopicArn") and channel.get("RoleArn")):
            raise ServiceError("InvalidParameterException")
        if body.get("OutputConfig") is not None and not body["OutputConfig"].get("S3Bucket"):
            raise ServiceError("InvalidParameterException")
        params = {k: v for k, v in body.items() if k != "ClientRequestToken"}
        fingerprint = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
        if token is not None and token in self._tokens:
            job = self.jobs[self._tokens[token]]
            if job.fingerprint != fingerprint:
                raise ServiceError("IdempotentParameterMismatchException")
            return {"JobId": job.job_id}
        self._check_s3(s3_object)
        job = Job(uuid.uuid4().hex, token, fingerprint, self._job_response(), params=params)
        self.jobs[job.job_id] = job
        if token is not None:
            self._tokens[token] = job.job_id
        return {"JobId": job.job_id}

    def _job_response(self) -> dict[str, Any]:
        response = self.load(self._served)
        status, message, warnings = self._job_end
        response["JobStatus"] = status
        response.setdefault("AnalyzeExpenseModelVersion", "1.0")
        if message:
            response["StatusMessage"] = message
        if warnings:
            response["Warnings"] = copy.deepcopy(warnings)
        if status == "FAILED":
            response.pop("ExpenseDocuments", None)
        return response

    def _get(self, body: dict[str, Any]) -> dict[str, Any]:
        job = self.jobs.get(str(body.get("JobId")))
        if job is None or job.expired:
            raise ServiceError("InvalidJobIdException")
        job.polls += 1
        if self._stalled or job.polls <= self._in_progress_polls:
            return {"JobStatus": "IN_PROGRESS", "AnalyzeExpenseModelVersion": "1.0"}
        response = job.response
        if response["JobStatus"] == "FAILED":
            return {k: v for k, v in response.items() if k != "ExpenseDocuments"}
        size = min(int(body.get("MaxResults") or MAX_RESULTS), MAX_RESULTS)
        offset = 0
        if body.get("NextToken"):
            offset = _read_token(str(body["NextToken"]), job.job_id)
        documents = response.get("ExpenseDocuments") or []
        page = {k: v for k, v in response.items() if k != "ExpenseDocuments"}
        page["ExpenseDocuments"] = documents[offset : offset + size]
        if offset + size < len(documents):
            page["NextToken"] = _make_token(job.job_id, offset + size)
        return page

    def _check_s3(self, s3_object: dict[str, Any]) -> None:
        if not self.s3_endpoint:
            return
        if self._s3 is None:
            import boto3

            self._s3 = boto3.client(
                "s3",
                endpoint_url=self.s3_endpoint,
                region_name=self.region,
                aws_access_key_id="emulator",
                aws_secret_access_key="emulator",
            )
        s3 = self._s3
        params = {"Bucket": s3_object["Bucket"], "Key": s3_object["Name"]}
        if s3_object.get("Version"):
            params["VersionId"] = s3_object["Version"]
        try:
            s3.head_object(**params)
        except Exception:  # noqa: BLE001 - any failure means Textract could not read it
            raise ServiceError("InvalidS3ObjectException") from None

    def _check_signature(self, headers: dict[str, str], body: bytes) -> None:
        """A real SigV4 check when keys are set: an unknown key id or a wrong secret is refused as AWS does."""
        if self._keys is None:
            return
        problem = sigv4_problem(headers, body, self._keys)
        if problem is not None:
            raise ServiceError(problem)


def _error(e: ServiceError) -> tuple[int, dict[str, Any]]:
    status = 500 if e.code in SERVER_ERRORS else 400
    return status, {"__type": e.code, "Message": e.message}


def _make_token(job_id: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{job_id}:{offset}".encode()).decode()


def _read_token(token: str, job_id: str) -> int:
    try:
        owner, offset = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        if owner != job_id:
            raise ValueError(owner)
        return int(offset)
    except ValueError:
        raise ServiceError("InvalidParameterException", "Invalid NextToken") from None


def _accepted(data: bytes) -> bool:
    return data.startswith((b"%PDF", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*"))


def _pdf_pages(data: bytes) -> int:
    if not data.startswith(b"%PDF"):
        return 1
    from receiptdesk.providers.pdfium import PdfFile

    # In the test process the emulator's thread shares pdfium with the app's: the same lock.
    with PdfFile.open(data, "the upload") as pdf:
        return len(pdf)
