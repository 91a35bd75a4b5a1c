"""The bar over the list while it shows the Trash: where the user is, what can be done there, the way back.

Like a file manager's Trash: without it the Trash looked exactly like the library,
with Restore and Empty Trash only in the right-click menu. Its buttons trigger the
window's own actions (one path, one undo stack) and follow their enabled state.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from receiptdesk.ui import theme

TRASH_TEXT = "<b>Trash</b> — documents here are kept until you empty it."


def _button(text: str, name: str, action: QAction | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if action is not None:
        button.setToolTip(action.statusTip())
        button.clicked.connect(action.trigger)
        button.setEnabled(action.isEnabled())
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
    return button


class TrashBar(QFrame):
    def __init__(self, restore: QAction, empty: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashBar")
        self.setAccessibleName("You are in the Trash")
        self.text = QLabel(TRASH_TEXT)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("You are in the Trash: documents here are kept until you empty it")
        self.restore = _button("Restore", "Restore the chosen documents", restore)
        self.empty = _button("Empty Trash…", "Empty the Trash", empty)
        self.back = _button("Back to the library", "Back to the library")
        layout = QVBoxLayout(self)  # the words on a line of their own: the list's pane may be narrow
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        for b in (self.restore, self.empty):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        layout.addLayout(buttons)
        self.hide()
        # Colours from the theme's roles, so the bar reads in the light and the dark theme.
        theme.style_sheet(
            self,
            "#trashBar {{ background: {NOTICE_BACKGROUND}; border: 1px solid {NOTICE_BORDER}; border-radius: 6px; }}",
        )
