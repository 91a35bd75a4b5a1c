"""Screenshots of the window drawn by a real X server (Xvfb), in the light and the dark theme.

    xvfb-run -a -s "-screen 0 1400x900x24" python -m tests.gui.screenshot resources/screenshot.png
    xvfb-run -a -s "-screen 0 1400x900x24" python -m tests.gui.screenshot docs/screenshots --theme dark

It runs the app as users get it on a throwaway data folder. With a .png path it takes the README's
picture: a sample receipt read and open with the total's box marked. With a folder it takes every
view (welcome.png, document.png, review.png, trash.png, settings.png) in the theme asked for, each file name
ending in -light or -dark. Exit status 1 when anything is missing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"


def main(out: Path, theme: str) -> int:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    from receiptdesk.app import app_icon, open_window
    from receiptdesk.services.paths import AppPaths
    from receiptdesk.services.settings import Settings
    from tests.memory_keyring import MemoryKeyring

    def pump(seconds: float, until: Callable[[], bool] | None = None) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if until is not None and until():
                return True
            time.sleep(0.01)
        return False

    def grab(widget: QWidget, name: str) -> bool:
        pump(0.5)
        path = out if out.suffix == ".png" else out / f"{name}-{theme}.png"
        picture = widget.screen().grabWindow(0, widget.x(), widget.y(), widget.width(), widget.height())
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"{path}: {picture.width()}x{picture.height()} on {app.platformName()}")
        return bool(picture.save(str(path), "PNG"))

    with tempfile.TemporaryDirectory() as data:
        os.environ["RECEIPTDESK_DATA_DIR"] = data
        paths = AppPaths.from_environment().ensure()
        settings = Settings.load(paths.config)
        settings.set("appearance.theme", theme)
        settings.save()
        opened = open_window(paths, keyring_backend=MemoryKeyring())
        window = opened.window
        window.setWindowIcon(app_icon())
        window.resize(1320, 820)
        window.move(0, 0)
        window.show()
        ok = True
        if out.suffix != ".png":
            ok &= grab(window, "welcome")
        window.importing.import_files([SAMPLES / "receipt.jpg", SAMPLES / "invoice.png"])
        model = window.library.model
        if not pump(300, lambda: model.rowCount() == 2 and not opened.desk.reading_ids()):
            print("the samples were not read in time", file=sys.stderr)
            return 1
        shown: list[int] = []
        window.viewer.page_shown.connect(shown.append)
        receipt = next(i for i in model.ids() if (s := model.cached(i)) is not None and s.file_name == "receipt.jpg")
        window.library.select([receipt])
        if not pump(30, lambda: bool(shown)):
            print("the page was not shown", file=sys.stderr)
            return 1
        window.editor.form.focus_field("total")
        window.viewer.highlight("total")
        ok &= grab(window, "document")
        if out.suffix != ".png":
            ok &= _review_and_settings(window, pump, grab)
        opened.close()
        return 0 if ok else 1


def _review_and_settings(window: Any, pump: Callable[..., bool], grab: Callable[[Any, str], bool]) -> bool:
    """A value corrected (its note, the edit mark), a document marked, then the Settings dialog."""
    row = window.editor.form.rows["vendor_name"]
    row.edit.setText("Mega Market Plus")
    row.edit.editingFinished.emit()
    pump(30, lambda: window.editor.record is not None and "vendor_name" in window.editor.record.edits)
    row.edit.setFocus()
    ok = grab(window, "review")
    ok &= _trash(window, pump, grab)
    window.open_settings("textract")
    if not pump(10, lambda: window.settings_dialog is not None and window.settings_dialog.isVisible()):
        return False
    dialog = window.settings_dialog
    dialog.move(window.x() + 200, window.y() + 80)
    ok &= grab(dialog, "settings")
    dialog.reject()
    return ok


def _trash(window: Any, pump: Callable[..., bool], grab: Callable[[Any, str], bool]) -> bool:
    """The Trash with a document in it, chosen: the bar over the list and its buttons."""
    model = window.library.model
    chosen = window.library.selected_ids()
    window.changes.trash(chosen)
    window.library.trash_button.click()
    if not pump(30, lambda: model.rowCount() == 1 and model.id_at(0) in chosen):
        return False
    window.library.select(chosen)
    ok = grab(window, "trash")
    window.changes.stack.undo()  # back in the library, for the views after this one
    window.library.trash_button.click()
    return ok and pump(30, lambda: model.rowCount() == 2)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, nargs="?", default=ROOT / "resources" / "screenshot.png")
    ap.add_argument("--theme", choices=("light", "dark"), default="light")
    args = ap.parse_args()
    sys.exit(main(args.out, args.theme))
