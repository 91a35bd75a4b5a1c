"""What a new user sees: the whole window is a place to drop receipts, with two ways to start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from receiptdesk.ui import theme
from receiptdesk.ui.theme import Role

WELCOME_TEXT = (
    "<p style='font-size:20pt'><b>Drop receipts here</b></p>"
    "<p style='font-size:11pt'>Phone photos, scans and PDFs of receipts and invoices – or whole folders of them.</p>"
    "<p>They are read on this computer and kept in your library, which works offline.<br>"
    "Nothing leaves this computer unless you choose Amazon Textract or Azure for a document.</p>"
)


class WelcomePage(QFrame):
    import_clicked = Signal()
    sample_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.show_drop(False)
        text = QLabel(WELCOME_TEXT)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        choose = QPushButton("Import files…")
        choose.setDefault(True)
        choose.clicked.connect(self.import_clicked)
        sample = QPushButton("Try a sample receipt")
        sample.clicked.connect(self.sample_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(choose)
        buttons.addWidget(sample)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_drop(self, over: bool) -> None:
        """The dashed frame lights up while files are dragged over the window."""
        border = (Role.DROP_HIGHLIGHT if over else Role.DROP_BORDER).name
        theme.style_sheet(
            self, f"#welcome {{{{ border: 3px dashed {{{border}}}; border-radius: 16px; margin: 24px; }}}}"
        )
