"""Extraction jobs and the monthly page count, kept so work survives a quit.

A job is written before a provider is called and updated as it goes; what
a cloud provider checkpoints (a Textract JobId, an Azure continuation token)
is stored with it, so the next start resumes the same remote job instead of
paying for a second one.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.store.db import Database
from receiptdesk.store.records import Job

OPEN_STATES = ("pending", "running", "waiting")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _job(r: sqlite3.Row) -> Job:
    return Job(
        id=int(r["id"]),
        document_id=int(r["document_id"]),
        provider=r["provider"],
        state=r["state"],
        remote=json.loads(r["remote_json"]) if r["remote_json"] else None,
        attempts=int(r["attempts"]),
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        error_kind=r["error_kind"],
        error_message=r["error_message"],
    )


class Jobs:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open_for(self, document_id: int, provider: str) -> Job | None:
        rows = self.db.query(
            f"""SELECT * FROM jobs WHERE document_id = ? AND provider = ? AND state IN
                ({",".join("?" * len(OPEN_STATES))}) ORDER BY id DESC LIMIT 1""",
            (document_id, provider, *OPEN_STATES),
        )
        return _job(rows[0]) if rows else None

    def last_remote(self, document_id: int, provider: str) -> dict[str, object] | None:
        """What the last job with this service checkpointed (a JobId …), whatever became of it."""
        rows = self.db.query(
            """SELECT remote_json FROM jobs WHERE document_id = ? AND provider = ? AND remote_json IS NOT NULL
               ORDER BY id DESC LIMIT 1""",
            (document_id, provider),
        )
        return json.loads(rows[0]["remote_json"]) if rows else None

    def start(self, document_id: int, provider: str) -> Job:
        """The open job for this document and provider, or a new one: asking twice never doubles the work."""
        with self.db.transaction():
            existing = self.open_for(document_id, provider)
            if existing:
                return existing
            t = _now()
            cur = self.db.execute(
                "INSERT INTO jobs(document_id, provider, state, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?)",
                (document_id, provider, t, t),
            )
            return self.get(int(cur.lastrowid or 0))

    def get(self, job_id: int) -> Job:
        rows = self.db.query("SELECT * FROM jobs WHERE id = ?", (job_id,))
        if not rows:
            raise KeyError(job_id)
        return _job(rows[0])

    def running(self, job_id: int) -> None:
        self.db.execute(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?", (_now(), job_id)
        )

    def checkpoint(self, job_id: int, remote: dict[str, object]) -> None:
        self.db.execute(
            "UPDATE jobs SET remote_json = ?, updated_at = ? WHERE id = ?", (json.dumps(remote), _now(), job_id)
        )

    def finish(self, job_id: int) -> None:
        self.db.execute(
            "UPDATE jobs SET state = 'done', error_kind = NULL, error_message = NULL, updated_at = ? WHERE id = ?",
            (_now(), job_id),
        )

    def fail(self, job_id: int, error: ReceiptDeskError, *, waiting: bool = False) -> None:
        """Record why; a waiting job (offline, throttled) is picked up again later."""
        self.db.execute(
            "UPDATE jobs SET state = ?, error_kind = ?, error_message = ?, updated_at = ? WHERE id = ?",
            ("waiting" if waiting else "failed", error.kind.value, error.message, _now(), job_id),
        )

    def pause(self, job_id: int) -> None:
        """Stopped (quit, cancel): back to pending with its remote state, to be picked up again."""
        self.db.execute("UPDATE jobs SET state = 'pending', updated_at = ? WHERE id = ?", (_now(), job_id))

    def cancel(self, job_id: int) -> None:
        self.db.execute(
            "UPDATE jobs SET state = 'failed', error_kind = 'cancelled', updated_at = ? WHERE id = ?", (_now(), job_id)
        )

    def unfinished(self) -> list[Job]:
        """Jobs a previous run left open (it quit or crashed, or the network was down)."""
        rows = self.db.query(
            f"SELECT * FROM jobs WHERE state IN ({','.join('?' * len(OPEN_STATES))}) ORDER BY id", OPEN_STATES
        )
        return [_job(r) for r in rows]


class Usage:
    """Pages sent to each paid service, per calendar month."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def month_of(when: datetime | None = None) -> str:
        return (when or datetime.now(UTC)).strftime("%Y-%m")

    def add(self, provider: str, pages: int, *, month: str | None = None) -> None:
        if pages <= 0:
            return
        self.db.execute(
            """INSERT INTO usage(month, provider, pages) VALUES (?, ?, ?)
               ON CONFLICT(month, provider) DO UPDATE SET pages = pages + excluded.pages""",
            (month or self.month_of(), provider, pages),
        )

    def pages(self, provider: str, *, month: str | None = None) -> int:
        rows = self.db.query(
            "SELECT pages FROM usage WHERE month = ? AND provider = ?", (month or self.month_of(), provider)
        )
        return int(rows[0]["pages"]) if rows else 0
