"""Ctrl+E in a text box on a real X server, where Qt binds Ctrl+E to 'end of line' (the X11 key scheme).

    xvfb-run -a python -m tests.gui.export_shortcut

Opens the app on a throwaway data folder, types into the search box, presses Ctrl+E there and prints
what happened: 'export dialog opened on xcb' when the export dialog came up. Exit status 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def main() -> int:
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from receiptdesk.app import open_window
    from receiptdesk.services.paths import AppPaths
    from receiptdesk.store.library import Library
    from receiptdesk.ui.dialogs.export import ExportDialog
    from tests.library_rows import fill
    from tests.memory_keyring import MemoryKeyring

    def pump(seconds: float, until: object) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if callable(until) and until():
                return True
            time.sleep(0.01)
        return False

    bindings = [k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.MoveToEndOfLine)]
    print(f"end of line is {bindings} on {app.platformName()}")
    with tempfile.TemporaryDirectory() as data:
        os.environ["RECEIPTDESK_DATA_DIR"] = data
        library = Library(AppPaths.from_environment().ensure().data)
        fill(library, 20)  # a library, so the list and its search box show (not the welcome page)
        library.close()
        opened = open_window(AppPaths.from_environment(), keyring_backend=MemoryKeyring())
        window = opened.window
        window.show()
        window.activateWindow()
        if not pump(10, lambda: window.library.model.rowCount() == 20):
            print("the library was not listed", file=sys.stderr)
            return 1
        search = window.library.search
        search.setFocus()
        if not pump(10, search.hasFocus):
            print("the search box did not get the focus", file=sys.stderr)
            return 1
        QTest.keyClicks(search, "aldi")
        QTest.keyClick(search, Qt.Key.Key_Home)
        QTest.keyClick(search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        ok = pump(5, lambda: isinstance(window.order._dialog, ExportDialog))
        print(f"export dialog {'opened' if ok else 'did not open'} on {app.platformName()}")
        opened.close()
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
