"""boto3 clients for one provider instance, built on first use, never at import.

The session takes the caller's keys when given, else the named profile of
the standard AWS config files, else boto3's usual chain. botocore's retry
modes handle throttling and dropped connections, so one place sets how
hard to try.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from receiptdesk.providers.textract.errors import SERVICE_CODES, THROTTLING_CODES, classify
from receiptdesk.providers.textract.settings import AwsCredentials, TextractSettings

USER_AGENT = "receiptdesk"


class AwsClients:
    """The Textract and S3 clients of one provider instance (boto3 clients are thread-safe once built)."""

    def __init__(self, settings: TextractSettings, credentials: AwsCredentials | None) -> None:
        self._settings = settings
        self._credentials = credentials
        self._lock = threading.Lock()
        self._session: Any = None
        self._textract: Any = None
        self._s3: Any = None
        self._local = threading.local()  # who hears about retries on this thread

    def __repr__(self) -> str:
        return f"AwsClients(region={self._settings.region!r}, credentials={self._credentials!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        return self._credentials.secrets() if self._credentials else ()

    @contextlib.contextmanager
    def retry_notices(self, notice: Callable[[str], None]) -> Iterator[None]:
        """While inside, each retry botocore makes on this thread is told to `notice`, so the user sees
        "busy, trying again" instead of a bar that stands still."""
        self._local.notice = notice
        try:
            yield
        finally:
            self._local.notice = None

    def _on_needs_retry(self, attempts: int = 0, response: Any = None, caught_exception: Any = None, **_: Any) -> None:
        """botocore asks every handler whether to retry; this one only listens (it answers None)."""
        notice = getattr(self._local, "notice", None)
        total = self._settings.max_attempts
        if notice is None or attempts >= total:
            return
        parsed = response[1] if isinstance(response, tuple) and len(response) > 1 else {}
        code = str((parsed.get("Error") or {}).get("Code", "")) if isinstance(parsed, dict) else ""
        if code in THROTTLING_CODES:
            why = "Amazon Textract is busy"
        elif code in SERVICE_CODES:
            why = "Amazon Textract had a problem on its side"
        elif caught_exception is not None:
            why = "The connection to AWS dropped"
        else:
            return
        notice(f"{why}; trying again (attempt {attempts + 1} of {total})")

    def textract(self) -> Any:
        with self._lock:
            if self._textract is None:
                self._textract = self._client("textract", self._settings.endpoint_url)
            return self._textract

    def s3(self) -> Any:
        with self._lock:
            if self._s3 is None:
                self._s3 = self._client("s3", self._settings.s3_endpoint_url)
            return self._s3

    def _client(self, service: str, endpoint_url: str | None) -> Any:
        import boto3
        from botocore.config import Config

        s = self._settings
        try:
            if self._session is None:
                if self._credentials is not None:
                    self._session = boto3.session.Session(
                        aws_access_key_id=self._credentials.access_key_id,
                        aws_secret_access_key=self._credentials.secret_access_key,
                        aws_session_token=self._credentials.session_token,
                        region_name=s.region,
                    )
                else:
                    self._session = boto3.session.Session(profile_name=s.profile or None, region_name=s.region)
            retries: Any = {"mode": s.retry_mode, "total_max_attempts": s.max_attempts}  # counting the first
            config = Config(
                region_name=s.region,
                retries=retries,
                connect_timeout=s.connect_timeout,
                read_timeout=s.read_timeout,
                user_agent_extra=USER_AGENT,
            )
            client = self._session.client(service, endpoint_url=endpoint_url, config=config)
            client.meta.events.register("needs-retry", self._on_needs_retry)
            return client
        except Exception as e:
            raise classify(e, action="connecting to AWS", secrets=self.secrets, region=s.region) from e
