"""A local Azure Form Recognizer for tests: both API generations, real recorded answers.

It speaks the service's wire protocol on 127.0.0.1 so the real SDK clients
(DocumentAnalysisClient, FormRecognizerClient and the admin clients) talk
to it unchanged:

    POST /formrecognizer/documentModels/{model}:analyze?api-version=2023-07-31
    POST /formrecognizer/v2.1/prebuilt/{invoice|receipt}/analyze
        -> 202, Operation-Location, Retry-After
    GET  <Operation-Location>
        -> {"status": "running"} `polls_before_done` times, then the recorded result
    GET  /formrecognizer/info?api-version=2023-07-31          (resource details)
    GET  /formrecognizer/v2.1/custom/models?op=summary        (account properties)

Results are the real recorded bodies from ../shared/data/responses/azure,
read from there (never copied) and served byte for byte. Every request is
checked for the Ocp-Apim-Subscription-Key header (a wrong key gets the real
401 body) and recorded in `calls`.

Faults, for the next requests (each used once unless `times` says more):

    emu.fail_post("unauthorized" | "not_found" | "invalid_locale" | "invalid_content"
                  | "bad_argument" | "unsupported_locale" | "throttled" | "quota" | "server_error", times=1)
    emu.fail_poll("throttled" | "server_error" | "expired", times=1)
    emu.fail_operation(code="InternalServerError", message=...)  # the next analysis ends "failed"
    emu.clear_faults()                  # forget pending faults (the service is back)
    emu.stall()    / emu.release()      # operations stay "running" until released
    emu.expire()                        # every result so far is gone (404 on GET)
    emu.served_versions = {"2.1"}       # a resource that answers 404 to 2023-07-31

Bodies of 401, 404, 400 are the real recorded ones (errors/); the 429, 500,
free-tier quota (403), failed-operation and expired bodies were not recorded
anywhere and follow the documented error shape {"error": {"code", "message",
"innererror"}}.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

V3 = "2023-07-31"
KEY_HEADER = "Ocp-Apim-Subscription-Key"

# Default recorded results per route (relative to data/responses/azure).
DEFAULT_RESULTS = {
    (
        "v3",
        "prebuilt-receipt",
    ): "sdk-recordings/test_dac_analyze_prebuilts.pyTestDACAnalyzePrebuiltstest_receipt_png.json",
    ("v3", "prebuilt-invoice"): "sdk-recordings/aad_analysis_node_invoices__recording_url.json",
    ("v2.1", "receipt"): "receipt-result.json",
    ("v2.1", "invoice"): "sample-invoice-output.json",
}

# Real error bodies (errors/) and the documented shape where none was recorded.
ERROR_FILES = {
    "unauthorized": (401, "errors/apim_401_invalid_key.json"),
    "not_found": (404, "errors/apim_404_resource_not_found.json"),
    "invalid_locale": (400, "errors/di-2023-07-31_400_InvalidArgument_locale.json"),
    "invalid_content": (400, "errors/di-v3_400_InvalidRequest_InvalidContent.json"),
    "bad_argument": (400, "errors/fr-v2.1_400_BadArgument_damaged_file.json"),
    "unsupported_locale": (400, "errors/fr-v2.1_400_UnsupportedLocale.json"),
}
THROTTLED_BODY = {
    "error": {
        "code": "429",
        "message": "Requests to the Analyze Document operation under Form Recognizer API have exceeded "
        "rate limit of your current FormRecognizer S0 pricing tier. Please retry after 1 second.",
    }
}
QUOTA_BODY = {  # the text azure-ai-formrecognizer's QuotaExceededPolicy looks for
    "error": {
        "code": "403",
        "message": "Out of call volume quota for FormRecognizer F0 pricing tier. Please retry after 7 days. "
        "To increase your call volume switch to a paid tier.",
    }
}
SERVER_ERROR_BODY = {"error": {"code": "InternalServerError", "message": "An unexpected error occurred."}}
EXPIRED_BODY = {
    "error": {
        "code": "NotFound",
        "message": "Resource not found.",
        "innererror": {
            "code": "OperationNotFound",
            "message": "The requested operation was not found. The identifier may be invalid or the "
            "operation may have expired.",
        },
    }
}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    key_ok: bool
    body_size: int
    content_type: str | None
    at: float  # time.monotonic()


@dataclass
class Operation:
    id: str
    route: str  # "v3" | "v2.1"
    model: str
    result: Path
    polls_left: int
    failure: dict[str, Any] | None = None
    polls: int = 0


@dataclass
class _Fault:
    name: str
    times: int
    retry_after: str | None = None


@dataclass
class AzureEmulator:
    data: Path  # .../shared/data/responses/azure
    key: str = "emulator-key-7f3a9c1e5b2d4f60"
    polls_before_done: int = 1
    retry_after: str = "0"  # on 202 and on "running"; tests keep it at 0
    served_versions: set[str] = field(default_factory=lambda: {V3, "2.1"})
    calls: list[Call] = field(default_factory=list)
    operations: dict[str, Operation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._results: dict[tuple[str, str], Path] = {k: self.data / v for k, v in DEFAULT_RESULTS.items()}
        self._post_faults: deque[_Fault] = deque()
        self._poll_faults: deque[_Fault] = deque()
        self._next_failure: dict[str, Any] | None = None
        self._stalled = False
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> AzureEmulator:
        handler = type("Handler", (_Handler,), {"emulator": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="azure-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the emulator first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    # --- what it answers ------------------------------------------------------------------
    def use(self, recorded: str | Path, *, route: str | None = None, model: str | None = None) -> None:
        """Answer analyses with this recorded result (a path under data/, or absolute).

        Without route/model it is used for every route and model.
        """
        path = Path(recorded) if Path(recorded).is_absolute() else self.data / recorded
        if not path.is_file():
            raise FileNotFoundError(path)
        with self._lock:
            for key in list(self._results):
                if (route is None or key[0] == route) and (model is None or key[1] == model):
                    self._results[key] = path

    def fail_post(self, name: str, *, times: int = 1, retry_after: str | None = "0") -> None:
        if name not in {*ERROR_FILES, "throttled", "quota", "server_error"}:
            raise ValueError(f"unknown POST fault {name!r}")
        with self._lock:
            self._post_faults.append(_Fault(name, times, retry_after))

    def fail_poll(self, name: str, *, times: int = 1, retry_after: str | None = "0") -> None:
        if name not in {"throttled", "server_error", "expired"}:
            raise ValueError(f"unknown poll fault {name!r}")
        with self._lock:
            self._poll_faults.append(_Fault(name, times, retry_after))

    def fail_operation(self, code: str = "InternalServerError", message: str = "An unexpected error occurred.") -> None:
        with self._lock:
            self._next_failure = {"code": code, "message": message}

    def clear_faults(self) -> None:
        """Forget pending POST and poll faults (the service is back)."""
        with self._lock:
            self._post_faults.clear()
            self._poll_faults.clear()

    def stall(self) -> None:
        with self._lock:
            self._stalled = True

    def release(self) -> None:
        with self._lock:
            self._stalled = False

    def expire(self) -> None:
        with self._lock:
            self.operations.clear()

    # --- what tests read ------------------------------------------------------------------
    def posts(self) -> list[Call]:
        return [c for c in self.calls if c.method == "POST"]

    def polls(self) -> list[Call]:
        return [c for c in self.calls if c.method == "GET" and "analyzeResults" in c.path]

    # --- inside ---------------------------------------------------------------------------
    def _take(self, queue: deque[_Fault]) -> _Fault | None:
        with self._lock:
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.popleft()
            return fault

    def _new_operation(self, route: str, model: str) -> Operation:
        with self._lock:
            op = Operation(uuid.uuid4().hex, route, model, self._results[(route, model)], self.polls_before_done)
            op.failure, self._next_failure = self._next_failure, None
            self.operations[op.id] = op
            return op

    def _stalled_now(self) -> bool:
        with self._lock:
            return self._stalled


def error_body(emulator: AzureEmulator, name: str) -> tuple[int, bytes]:
    if name in ERROR_FILES:
        status, rel = ERROR_FILES[name]
        return status, (emulator.data / rel).read_bytes()
    if name == "throttled":
        return 429, json.dumps(THROTTLED_BODY).encode()
    if name == "expired":
        return 404, json.dumps(EXPIRED_BODY).encode()
    if name == "quota":
        return 403, json.dumps(QUOTA_BODY).encode()
    return 500, json.dumps(SERVER_ERROR_BODY).encode()


class _Handler(BaseHTTPRequestHandler):
    emulator: AzureEmulator  # HTTP/1.0: one request per connection, so no handler thread outlives a test

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    # --- plumbing -------------------------------------------------------------------------
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("apim-request-id", uuid.uuid4().hex)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(data).encode(), headers)

    def _fault(self, fault: _Fault) -> None:
        status, body = error_body(self.emulator, fault.name)
        headers = {"Retry-After": fault.retry_after} if status == 429 and fault.retry_after is not None else {}
        if status == 400:
            headers["ms-azure-ai-errorcode"] = json.loads(body)["error"]["code"]
        self._send(status, body, headers)

    def _record(self, body_size: int) -> tuple[str, dict[str, str], bool]:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        key_ok = self.headers.get(KEY_HEADER) == self.emulator.key
        call = Call(
            self.command, url.path, query, key_ok, body_size, self.headers.get("Content-Type"), time.monotonic()
        )
        with self.emulator._lock:
            self.emulator.calls.append(call)
        return url.path, query, key_ok

    # --- routes ---------------------------------------------------------------------------
    def do_POST(self) -> None:
        body = self._body()
        path, query, key_ok = self._record(len(body))
        emu = self.emulator
        if not key_ok:
            return self._fault(_Fault("unauthorized", 1))
        route, model = _analyze_route(path, query)
        if route is None or model is None:
            return self._fault(_Fault("not_found", 1))
        if (V3 if route == "v3" else "2.1") not in emu.served_versions:
            return self._fault(_Fault("not_found", 1))
        if (fault := emu._take(emu._post_faults)) is not None:
            return self._fault(fault)
        if (route, model) not in emu._results:
            return self._json(404, {"error": {"code": "NotFound", "message": f"Model {model} not found."}})
        op = emu._new_operation(route, model)
        host = f"http://{self.headers.get('Host')}"
        if route == "v3":
            location = f"{host}/formrecognizer/documentModels/{model}/analyzeResults/{op.id}?api-version={V3}"
        else:
            location = f"{host}/formrecognizer/v2.1/prebuilt/{model}/analyzeResults/{op.id}"
        self._send(202, b"", {"Operation-Location": location, "Retry-After": emu.retry_after})

    def do_GET(self) -> None:
        path, query, key_ok = self._record(0)
        emu = self.emulator
        if not key_ok:
            return self._fault(_Fault("unauthorized", 1))
        version = query.get("api-version", "2.1" if "/v2.1/" in path else "")
        if version not in emu.served_versions:
            return self._fault(_Fault("not_found", 1))
        if path == "/formrecognizer/info":
            return self._json(200, _RESOURCE_DETAILS)
        if path == "/formrecognizer/v2.1/custom/models" and query.get("op") == "summary":
            return self._json(200, _ACCOUNT_SUMMARY)
        if "/analyzeResults/" not in path:
            return self._fault(_Fault("not_found", 1))
        if (fault := emu._take(emu._poll_faults)) is not None:
            return self._fault(fault)
        op_id = path.rsplit("/", 1)[-1]
        with emu._lock:
            op = emu.operations.get(op_id)
        if op is None:
            return self._fault(_Fault("expired", 1))
        op.polls += 1
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if emu._stalled_now() or op.polls_left > 0:
            op.polls_left = max(0, op.polls_left - 1)
            status = {"status": "running", "createdDateTime": now, "lastUpdatedDateTime": now}
            return self._json(200, status, {"Retry-After": emu.retry_after})
        if op.failure is not None:
            return self._json(200, _failed(op, now))
        self._send(200, op.result.read_bytes())


def _analyze_route(path: str, query: dict[str, str]) -> tuple[str | None, str | None]:
    prefix = "/formrecognizer/documentModels/"
    if path.startswith(prefix) and path.endswith(":analyze"):
        return "v3", path[len(prefix) : -len(":analyze")]
    parts = path.strip("/").split("/")
    if parts[:3] == ["formrecognizer", "v2.1", "prebuilt"] and len(parts) == 5 and parts[4] == "analyze":
        return "v2.1", parts[3]
    return None, None


def _failed(op: Operation, now: str) -> dict[str, Any]:
    assert op.failure is not None
    out: dict[str, Any] = {"status": "failed", "createdDateTime": now, "lastUpdatedDateTime": now}
    if op.route == "v3":
        out["error"] = dict(op.failure)
    else:
        out["analyzeResult"] = {"version": "2.1.0", "readResults": [], "errors": [dict(op.failure)]}
    return out


_RESOURCE_DETAILS = {
    "customDocumentModels": {"count": 0, "limit": 250},
    "customNeuralDocumentModelBuilds": {"used": 0, "quota": 20, "quotaResetDateTime": "2026-12-01T00:00:00Z"},
}
_ACCOUNT_SUMMARY = {"summary": {"count": 0, "limit": 5000, "lastUpdatedDateTime": "2026-11-21T00:00:00Z"}}
