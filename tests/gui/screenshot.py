"""The README's screenshot: the window with a receipt open, drawn by a real X server (Xvfb).

    xvfb-run -a -s "-screen 0 1400x900x24" python -m tests.gui.screenshot resources/screenshot.png

It runs the app as users get it on a throwaway data folder, drops a sample
receipt, waits for it to be read, opens it with the total's box marked and
grabs the window from the screen. Exit status 1 when anything is missing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "receipt.jpg"


def main(out: Path) -> int:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from receiptdesk.app import app_icon, open_window
    from receiptdesk.services.paths import AppPaths
    from tests.memory_keyring import MemoryKeyring

    def pump(seconds: float, until: object = None) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if callable(until) and until():
                return True
            time.sleep(0.01)
        return False

    with tempfile.TemporaryDirectory() as data:
        os.environ["RECEIPTDESK_DATA_DIR"] = data
        opened = open_window(AppPaths.from_environment(), keyring_backend=MemoryKeyring())
        window = opened.window
        window.setWindowIcon(app_icon())
        window.resize(1320, 820)
        window.move(0, 0)
        window.show()
        window.import_files([SAMPLE])
        model = window.library.model
        if not pump(300, lambda: model.rowCount() == 1 and not opened.desk.reading_ids()):
            print("the sample was not read in time", file=sys.stderr)
            return 1
        shown: list[int] = []
        window.viewer.page_shown.connect(shown.append)
        window.library.select([model.summary(0).id])
        if not pump(30, lambda: bool(shown)):
            print("the page was not shown", file=sys.stderr)
            return 1
        window.editor.form.focus_field("total")
        window.viewer.highlight("total")
        pump(1.0)
        screen = window.screen()
        picture = screen.grabWindow(0, window.x(), window.y(), window.width(), window.height())
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = picture.save(str(out), "PNG")
        print(f"{out}: {picture.width()}x{picture.height()} on {app.platformName()}")
        opened.close()
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshot.png"))
