"""What a restart needs to pick an asynchronous job up again, and the token that starts it once.

Kept apart from the route (jobs.py) because it is pure data: the checkpoint a
document's row stores, and the ClientRequestToken derived from the file's
SHA-256, the request's settings and the attempt number.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from receiptdesk.providers.textract.settings import JOB_LIFETIME_DAYS


@dataclass(frozen=True, slots=True)
class JobState:
    """What a restart needs to pick a running job up again (what ctx.checkpoint stores)."""

    job_id: str
    started: datetime
    bucket: str
    key: str
    version: str | None
    sha256: str
    attempt: int = 0

    @property
    def expires(self) -> datetime:
        return self.started + timedelta(days=JOB_LIFETIME_DAYS)

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": "textract",
            "route": "async",
            "job_id": self.job_id,
            "started": self.started.isoformat(),
            "bucket": self.bucket,
            "key": self.key,
            "version": self.version,
            "sha256": self.sha256,
            "attempt": self.attempt,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> JobState | None:
        if not data or not isinstance(data.get("job_id"), str):
            return None
        try:
            started = datetime.fromisoformat(str(data["started"]))
        except (KeyError, ValueError):
            started = datetime.now(UTC)
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        return cls(
            job_id=data["job_id"],
            started=started,
            bucket=str(data.get("bucket") or ""),
            key=str(data.get("key") or ""),
            version=data.get("version") or None,
            sha256=str(data.get("sha256") or ""),
            attempt=_attempt(data),
        )


def next_attempt(resume: dict[str, Any] | None) -> int:
    """The attempt a new job for this document starts with: after a dead job, the one after it."""
    if not resume or resume.get("provider", "textract") != "textract":
        return 0
    return _attempt(resume) + (1 if resume.get("dead") else 0)


def _attempt(data: dict[str, Any]) -> int:
    value = data.get("attempt")
    return value if isinstance(value, int) and value >= 0 else 0


def request_token(sha256: str, params: dict[str, Any], attempt: int = 0) -> str:
    """64 characters of [0-9a-f-]: the document's hash, then a hash of the other start parameters
    and the attempt number.

    The same file with the same settings gives the same token (so the same job);
    changed settings give a new job rather than IdempotentParameterMismatchException;
    a new attempt (after a job failed or expired) gives a new job.
    """
    payload = json.dumps({"params": params, "attempt": attempt} if attempt else params, sort_keys=True)
    fingerprint = hashlib.sha256(payload.encode()).hexdigest()
    return f"{sha256[:40]}-{fingerprint[:23]}"


def job_tag(sha256: str, setting: str | None = None) -> str:
    """The JobTag the user set (to find ReceiptDesk's jobs in their AWS account), else one per file."""
    return setting or f"receiptdesk-{sha256[:20]}"
