"""A RunContext that remembers what the provider reported and checkpointed."""

from __future__ import annotations

from typing import Any

from receiptdesk.providers.base import RunContext


class Recorder:
    def __init__(self, *, cancel_at_checkpoint: bool = False) -> None:
        self.progress: list[tuple[float, str]] = []
        self.checkpoints: list[dict[str, Any]] = []
        self._cancel_at_checkpoint = cancel_at_checkpoint
        self.context: RunContext | None = None

    def ctx(self, resume: dict[str, Any] | None = None) -> RunContext:
        self.context = RunContext(
            on_progress=lambda f, t: self.progress.append((f, t)),
            on_checkpoint=self._checkpoint,
            resume=resume,
        )
        return self.context

    def _checkpoint(self, state: dict[str, Any]) -> None:
        self.checkpoints.append(state)
        if self._cancel_at_checkpoint and self.context is not None:
            self.context.cancel()  # the app quits right after Azure accepted the file
