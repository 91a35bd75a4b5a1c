"""The one place work leaves the GUI thread and comes back.

A task is a plain function of a context (progress, cancel) returning plain
data. The runner owns the signals and hands the bound signals to each
runnable (a runnable never owns a QObject: it is deleted on a pool thread),
so results, errors and progress arrive on the GUI thread, where callbacks
run. Lanes keep contention apart: `db` has one thread so SQLite sees one
writer; `read` answers the library list; `extract` runs OCR and cloud calls;
`render` draws pages; `quick` answers dialogs (estimates, connection tests,
the keyring).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, SignalInstance, Slot

from receiptdesk.core.errors import Cancelled
from receiptdesk.providers.base import RunContext

log = logging.getLogger(__name__)

# `quick` holds the short calls a user waits for with a dialog open (estimates, connection tests,
# the keyring), so they never queue behind OCR on `extract`. `read` answers the library list on its
# own SQLite connection, so scrolling, sorting and searching never wait behind an import's writes.
# `files` holds long work on the user's files (an export), so the db lane stays free for edits.
# `reparse` parses the library again from its stored words (an upgrade, a reading setting changed): most
# of an hour at 100,000 documents, so neither a dropped file nor an export waits behind it.
DEFAULT_LANES = {"db": 1, "read": 1, "files": 1, "extract": 2, "render": 2, "quick": 1, "reparse": 1}

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progress = Callable[[float, str], None]


@dataclass(slots=True)
class TaskHandle:
    id: int
    lane: str
    label: str
    ctx: RunContext
    on_done: Done | None = None
    on_error: Failed | None = None
    on_progress: Progress | None = None
    on_cancelled: Callable[[], None] | None = None

    def cancel(self) -> None:
        self.ctx.cancel()


def _throttled(task_id: int, signal: SignalInstance) -> Progress:
    """Progress as the worker reports it, sent on only per percent, new text, or the end."""
    last_fraction, last_text = -1.0, ""

    def report(fraction: float, text: str) -> None:
        nonlocal last_fraction, last_text
        if abs(fraction - last_fraction) < 0.01 and text == last_text and fraction < 1.0:
            return
        last_fraction, last_text = fraction, text
        signal.emit(task_id, fraction, text)

    return report


class _Runnable(QRunnable):
    def __init__(
        self,
        task_id: int,
        fn: Callable[[RunContext], Any],
        ctx: RunContext,
        finished: SignalInstance,
        failed: SignalInstance,
        cancelled: SignalInstance,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._id, self._fn, self._ctx = task_id, fn, ctx
        self._finished, self._failed, self._cancelled = finished, failed, cancelled

    def run(self) -> None:
        try:
            self._ctx.raise_if_cancelled()
            result = self._fn(self._ctx)
        except Cancelled:
            self._cancelled.emit(self._id)
        except BaseException as e:  # noqa: BLE001 - handed to the GUI thread, shown or logged there
            self._failed.emit(self._id, e)
        else:
            self._finished.emit(self._id, result)


class TaskRunner(QObject):
    _finished = Signal(int, object)
    _failed = Signal(int, object)
    _cancelled = Signal(int)
    _progress = Signal(int, float, str)

    busy_changed = Signal(bool)  # True when the first task starts, False when the last ends
    progress = Signal(str, float, str)  # lane, fraction, text: for a status bar

    def __init__(self, lanes: dict[str, int] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        for name, threads in (lanes or DEFAULT_LANES).items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(max(1, threads))
            self._pools[name] = pool
        self._ids = itertools.count(1)
        self._tasks: dict[int, TaskHandle] = {}
        self._lock = threading.Lock()  # `post` may be called from worker threads
        self.default_error_handler: Failed = lambda e: log.error("task failed", exc_info=e)
        self._closed = False
        conn = Qt.ConnectionType.QueuedConnection
        self._finished.connect(self._on_finished, conn)
        self._failed.connect(self._on_failed, conn)
        self._cancelled.connect(self._on_cancelled, conn)
        self._progress.connect(self._on_progress, conn)

    def submit(
        self,
        lane: str,
        fn: Callable[[RunContext], Any],
        *,
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_progress: Progress | None = None,
        on_cancelled: Callable[[], None] | None = None,
        label: str = "",
    ) -> TaskHandle:
        """Run fn(ctx) on a lane; callbacks run later on the GUI thread. Thread-safe."""
        if self._closed:
            raise RuntimeError("the task runner has shut down")
        task_id = next(self._ids)
        ctx = RunContext(on_progress=_throttled(task_id, self._progress))
        handle = TaskHandle(task_id, lane, label, ctx, on_done, on_error, on_progress, on_cancelled)
        with self._lock:
            first = not self._tasks
            self._tasks[task_id] = handle
        if first:
            self.busy_changed.emit(True)
        self._pools[lane].start(_Runnable(task_id, fn, ctx, self._finished, self._failed, self._cancelled))
        return handle

    @property
    def closed(self) -> bool:
        """Shut down: quitting, no new work is taken."""
        return self._closed

    def post(self, lane: str, fn: Callable[[RunContext], Any]) -> None:
        """Fire and forget from any thread (a checkpoint written on the db lane)."""
        self.submit(lane, fn)

    def _pop(self, task_id: int) -> TaskHandle | None:
        with self._lock:
            handle = self._tasks.pop(task_id, None)
            idle = not self._tasks
        if handle is not None and idle:
            self.busy_changed.emit(False)
        return handle

    # After shutdown, a result still on its way back is dropped: the window its callback would update
    # may already be gone (a page's picture drawn while the window closed).
    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        handle = self._pop(task_id)
        if handle and handle.on_done and not self._closed:
            handle.on_done(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        handle = self._pop(task_id)
        assert isinstance(error, BaseException)
        if self._closed:
            log.warning("a task failed while quitting", exc_info=error)
            return
        handler = (handle.on_error if handle else None) or self.default_error_handler
        handler(error)

    @Slot(int)
    def _on_cancelled(self, task_id: int) -> None:
        handle = self._pop(task_id)
        if handle and handle.on_cancelled and not self._closed:
            handle.on_cancelled()

    @Slot(int, float, str)
    def _on_progress(self, task_id: int, fraction: float, text: str) -> None:
        with self._lock:
            handle = self._tasks.get(task_id)
        if handle is None or self._closed:
            return
        if handle.on_progress:
            handle.on_progress(fraction, text)
        self.progress.emit(handle.lane, fraction, text or handle.label)

    def active(self, lane: str | None = None) -> int:
        with self._lock:
            return sum(1 for h in self._tasks.values() if lane is None or h.lane == lane)

    def cancel_all(self) -> None:
        with self._lock:
            handles = list(self._tasks.values())
        for h in handles:
            h.cancel()

    def wait_idle(self, timeout_ms: int = -1) -> bool:
        """Block until every lane's threads are done (used at quit and by tests)."""
        return all(pool.waitForDone(timeout_ms) for pool in self._pools.values())

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Cancel everything and wait for the threads; cooperative tasks stop between steps."""
        self._closed = True
        self.cancel_all()
        return self.wait_idle(timeout_ms)
