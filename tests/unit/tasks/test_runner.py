import threading

import pytest

from receiptdesk.core.errors import ReceiptDeskError, bad_document
from receiptdesk.providers.base import RunContext
from receiptdesk.tasks.runner import TaskRunner


@pytest.fixture
def runner(qapp):
    r = TaskRunner({"db": 1, "extract": 2})
    yield r
    assert r.shutdown(5000)
    assert r.active() == 0


def test_result_arrives_on_the_gui_thread(qtbot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}

    def work(ctx: RunContext) -> int:
        seen["worker"] = threading.current_thread()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["callback_on_gui"] = threading.current_thread() is threading.main_thread()

    runner.submit("extract", work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["worker"] is not threading.main_thread()
    assert seen["callback_on_gui"] is True


def test_errors_come_back_classified_not_raised_in_the_worker(qtbot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def work(ctx: RunContext) -> None:
        raise bad_document("empty.pdf is empty (0 bytes).")

    runner.submit("extract", work, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ReceiptDeskError)
    assert "empty" in errors[0].message


def test_cancel_stops_a_cooperative_task(qtbot, runner: TaskRunner) -> None:
    started = threading.Event()
    stopped: list[bool] = []

    def slow(ctx: RunContext) -> str:
        started.set()
        for _ in range(500):
            ctx.wait(0.01)  # raises Cancelled once cancelled
        return "finished"

    done: list[str] = []
    handle = runner.submit("extract", slow, on_done=done.append, on_cancelled=lambda: stopped.append(True))
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(stopped), timeout=3000)
    assert done == []


def test_progress_is_throttled_and_delivered(qtbot, runner: TaskRunner) -> None:
    seen: list[float] = []

    def work(ctx: RunContext) -> None:
        for i in range(1001):
            ctx.progress(i / 1000, "reading")

    finished: list[object] = []
    runner.submit("extract", work, on_progress=lambda f, t: seen.append(f), on_done=finished.append)
    qtbot.waitUntil(lambda: bool(finished))
    assert seen[-1] == pytest.approx(1.0)
    assert len(seen) <= 101  # one per percent at most, not a thousand repaints


def test_db_lane_runs_one_task_at_a_time(qtbot, runner: TaskRunner) -> None:
    inside = 0
    most = 0
    lock = threading.Lock()
    done: list[object] = []

    def work(ctx: RunContext) -> None:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        ctx.wait(0.02)
        with lock:
            inside -= 1

    for _ in range(5):
        runner.submit("db", work, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 5)
    assert most == 1


def test_busy_signal_brackets_the_work(qtbot, runner: TaskRunner) -> None:
    states: list[bool] = []
    runner.busy_changed.connect(states.append)
    done: list[object] = []
    runner.submit("extract", lambda ctx: None, on_done=done.append)
    qtbot.waitUntil(lambda: states == [True, False])


def test_a_result_that_arrives_after_shutdown_is_not_handed_to_its_callback(qtbot, qapp) -> None:
    """A page picture finished as the window closed must not call into the closed window's widgets."""
    runner = TaskRunner({"render": 1})
    got: list[object] = []
    runner.submit("render", lambda ctx: "picture", on_done=got.append)
    assert runner.wait_idle(5000)  # the worker is done; its result is queued for the GUI thread
    assert runner.shutdown(5000)
    qapp.processEvents()
    assert got == []
    assert runner.active() == 0
