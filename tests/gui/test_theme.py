"""The theme chosen in Settings shows at once, in the whole window: no restart."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QGraphicsView, QLabel, QTableView, QWidget
from pytestqt.qtbot import QtBot

from receiptdesk.app import Window
from receiptdesk.core.document import Field
from receiptdesk.ui import theme
from receiptdesk.ui.library.columns import STATUS
from receiptdesk.ui.theme import Role
from tests.gui.conftest import OpenApp
from tests.gui.library_steps import choose, library_with, reading
from tests.gui.test_trash import named


@pytest.fixture
def restored_theme() -> Iterator[None]:
    """The application's look is shared by every test: put back as it was."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette = app.style().name(), app.palette()
    yield
    app.setStyle(style)
    app.setPalette(palette)


def dark(role: Role) -> QColor:
    return QColor(role.value[1])


def _text_colour(label: QLabel) -> QColor:
    label.ensurePolished()
    return label.palette().color(label.foregroundRole())


def _ground(widget: QWidget) -> QColor:
    """What the user sees in an empty corner of the widget."""
    picture = widget.grab().toImage()
    return picture.pixelColor(picture.width() - 8, picture.height() - 8)


def _settings(qtbot: QtBot, app: Window) -> QWidget:
    window = app.window
    window.commands.settings.trigger()
    qtbot.waitUntil(lambda: window.settings_dialog is not None and window.settings_dialog.isVisible(), timeout=10_000)
    assert window.settings_dialog is not None
    return window.settings_dialog


def _choose(dialog: QWidget, name: str) -> None:
    chooser = named(dialog, QComboBox, "Theme")
    chooser.setCurrentIndex(chooser.findData(name))  # as picked from the list


def test_a_theme_chosen_in_settings_shows_at_once_in_the_whole_window(
    qtbot: QtBot, open_app: OpenApp, tmp_path: Path, data_dir: Path, restored_theme: None
) -> None:
    unsure = reading("Bio", "7.00")
    unsure.fields["total"] = Field(Decimal("7.00"), "7.00", 0.3)  # read unsure: "Needs review", in warning colour
    (doc_id,) = library_with(tmp_path, ("a.jpg", unsure))
    app = open_app()
    window = app.window
    choose(qtbot, app, doc_id)
    table = named(window, QTableView, "Library")
    page = named(window, QGraphicsView, "Page")
    sure = named(window, QLabel, "How sure: Date")
    to_review = named(window, QLabel, "Documents that need review")
    qtbot.waitUntil(lambda: to_review.text() == "1 needs review (F8)", timeout=10_000)
    assert not theme.is_dark() and _ground(table.viewport()).lightness() > 128  # the offscreen platform is light

    dialog = _settings(qtbot, app)
    _choose(dialog, "dark")
    # At once, with the dialog still open: the list, the values, the page's ground and the status bar.
    assert _ground(table.viewport()).lightness() < 128
    status = table.model().index(0, STATUS)
    assert status.data() == "Needs review" and status.data(Qt.ItemDataRole.ForegroundRole) == dark(Role.WARNING)
    assert _text_colour(sure) == dark(Role.OK)
    assert page.backgroundBrush().color() == dark(Role.PAGE_BACKGROUND)
    assert _text_colour(to_review).lightness() > 128 and _ground(window.statusBar()).lightness() < 128

    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
    assert _ground(table.viewport()).lightness() > 128  # Cancel: as it was, nothing saved
    assert _text_colour(sure) == QColor(Role.OK.value[0])
    assert app.services.settings.get("appearance.theme") == "system"

    dialog = _settings(qtbot, app)
    _choose(dialog, "dark")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=10_000)
    assert app.services.settings.get("appearance.theme") == "dark"
    assert _ground(table.viewport()).lightness() < 128 and page.backgroundBrush().color() == dark(Role.PAGE_BACKGROUND)
