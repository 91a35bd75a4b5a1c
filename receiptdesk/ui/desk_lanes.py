"""What the Desk's parts (views, changes) use of the Desk itself: its library and its lanes.

Only for type checking: the Desk (ui/desk.py) provides all of it; its parts inherit this so each
says once what it relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from receiptdesk.core.errors import ReceiptDeskError
    from receiptdesk.providers.base import RunContext
    from receiptdesk.store.library import Library
    from receiptdesk.tasks.runner import TaskHandle


class DeskLanes:
    if TYPE_CHECKING:

        @property
        def library(self) -> Library: ...

        def _submit(self, lane: str, fn: Callable[[RunContext], Any], **callbacks: Any) -> TaskHandle | None: ...

        def _db(
            self,
            fn: Callable[[], Any],
            done: Callable[[Any], None] | None = None,
            failed: Callable[[ReceiptDeskError], None] | None = None,
        ) -> None: ...

        def _read(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None: ...
