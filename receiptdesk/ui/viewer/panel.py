"""The document beside its values: page after page, zoom, and the boxes of what was read."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.core.document import Document
from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.core.fields import kind_of, title_of
from receiptdesk.store.records import DocumentRecord, DocumentSummary
from receiptdesk.ui import theme
from receiptdesk.ui.desk_views import ShownPage
from receiptdesk.ui.viewer.page_view import FieldBox, PageView

# (the document, page number, done, failed): asks for a page to be drawn off the GUI thread.
Render = Callable[[DocumentSummary, int, Callable[[ShownPage], None], Callable[[ReceiptDeskError], None]], None]
# (the document, page number, done(page, picture)): a small picture of a page.
Thumbnail = Callable[[DocumentSummary, int, Callable[[int, QImage], None]], None]
THUMBS_AT_MOST = 60  # pages with a picture in the strip; the rest are listed by number


def field_boxes(doc: Document | None, page: int) -> list[FieldBox]:
    """The boxes of every value read on `page`, named as the editor names the fields."""
    if doc is None:
        return []
    out = [FieldBox(name, f.box, title_of(name), kind_of(name))
           for name, f in doc.fields.items() if f.box and (f.page or 1) == page]  # fmt: skip
    for i, item in enumerate(doc.line_items):
        for name, f in item.fields.items():
            if f.box and (f.page or 1) == page and name != "row":
                path = f"line_items.{i}.{name}"
                out.append(FieldBox(path, f.box, title_of(path), "item"))
    return out


def field_page(doc: Document | None, name: str) -> int | None:
    f = doc.field_at(name) if doc is not None else None
    return f.page if f and f.box else None


def _button(text: str, tip: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setAccessibleName(tip)
    b.setAutoRaise(True)
    if shortcut is not None:
        b.setShortcut(QKeySequence(shortcut))
        b.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
    return b


class ViewerPanel(QWidget):
    box_clicked = Signal(str)
    page_shown = Signal(int)  # after a page is on screen (tests wait for it)
    turn_requested = Signal(int, int)  # document id, quarter turns clockwise it should have
    read_again = Signal(int)  # the user took the offer to read a turned document again

    def __init__(self, render: Render, thumbnail: Thumbnail | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._render = render
        self._thumbnail = thumbnail
        self._record: DocumentRecord | None = None
        self._page = 1
        self._pages = 0
        self._want_highlight: str | None = None
        self._asked = 0  # a counter, so a late page of an earlier document is ignored
        self._shown = 0  # the page on screen

        self.view = PageView()
        self.view.box_clicked.connect(self.box_clicked)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        theme.style_sheet(self.message, "color: {hint}; font-size: 12pt; padding: 24px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)

        self.previous = _button("◀", "Previous page", QKeySequence.StandardKey.MoveToPreviousPage)
        self.next = _button("▶", "Next page", QKeySequence.StandardKey.MoveToNextPage)
        self.page_label = QLabel()
        self.zoom_out = _button("−", "Zoom out", QKeySequence.StandardKey.ZoomOut)
        self.fit = _button("Fit", "Fit the page in the window", "Ctrl+0")
        self.fit_width = _button("Width", "Fit the page's width in the window", "Ctrl+9")
        self.turn_left = _button("⟲", "Turn the page left", "Ctrl+Shift+L")
        self.turn_right = _button("⟳", "Turn the page right", "Ctrl+Shift+R")
        self.zoom_in = _button("+", "Zoom in", QKeySequence.StandardKey.ZoomIn)
        self.zoom_label = QLabel()
        self.previous.clicked.connect(lambda: self.go_to(self._page - 1))
        self.next.clicked.connect(lambda: self.go_to(self._page + 1))
        self.zoom_out.clicked.connect(self.view.zoom_out)
        self.zoom_in.clicked.connect(self.view.zoom_in)
        self.fit.clicked.connect(self.view.fit)
        self.fit_width.clicked.connect(self.view.fit_width)
        self.turn_left.clicked.connect(lambda: self._turn(-1))
        self.turn_right.clicked.connect(lambda: self._turn(1))
        self.offer = QLabel()
        self.offer.setWordWrap(True)
        self.offer.setAccessibleName("Read the turned page again")
        self.offer.linkActivated.connect(lambda _: self._record and self.read_again.emit(self._record.id))
        self.offer.hide()
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        for w in (self.previous, self.page_label, self.next):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.turn_left, self.turn_right, self.zoom_out, self.fit, self.fit_width, self.zoom_in,
                  self.zoom_label):  # fmt: skip
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.offer)
        self.strip = QListWidget()
        self.strip.setAccessibleName("Pages")
        self.strip.setViewMode(QListWidget.ViewMode.IconMode)
        self.strip.setFlow(QListWidget.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setIconSize(QSize(72, 96))
        self.strip.setFixedHeight(140)
        self.strip.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.strip.currentRowChanged.connect(self._strip_chosen)
        self.strip.hide()
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.strip)
        self.show_message("Choose a document in the list to see it here.")

    @property
    def page(self) -> int:
        return self._page

    @property
    def pages(self) -> int:
        return self._pages

    def show_message(self, text: str) -> None:
        self._asked += 1  # a page still being drawn for an earlier document is not wanted now
        self._record = None
        self._pages = 0
        self.view.clear_page()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self._update_bar()

    def show_record(self, record: DocumentRecord) -> None:
        """Show a document; the same one again (after an edit or a new reading) keeps its page and zoom."""
        if record.summary.media_type is None:  # kept, but not a document ReceiptDesk can draw
            self.show_message(f"{record.summary.file_name} cannot be shown.\nThe original file is kept in the library.")
            return
        same = self._record is not None and self._record.id == record.id
        turned = same and self._record is not None and self._record.summary.rotation != record.summary.rotation
        self._record = record
        self._pages = max(1, record.summary.page_count)
        self.view.set_turns(record.summary.rotation)
        if turned and record.summary.rotation:
            self.offer.setText("Turned. The values were read from the page as it was: "
                               "<a href='read'>read it again</a>?")  # fmt: skip
            self.offer.show()
        elif not same or not record.summary.rotation:
            self.offer.hide()
        if same and self._shown == self._page and self.view.has_page:
            # An edit or a new reading of the page on screen: only the boxes change.
            self.view.set_boxes(field_boxes(record.current, self._page))
            self.view.highlight(self._want_highlight)
            return
        if not same:
            self._page = 1
            self._want_highlight = None
            self.view.fit()
            self._fill_strip(record)
        self._load(self._page)

    def _fill_strip(self, record: DocumentRecord) -> None:
        """A picture of each page to go to, drawn one by one off the GUI thread (one page: no strip)."""
        self.strip.blockSignals(True)
        self.strip.clear()
        for n in range(1, self._pages + 1):
            item = QListWidgetItem(f"Page {n}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Page {n}")
            self.strip.addItem(item)
        self.strip.setCurrentRow(self._page - 1)
        self.strip.blockSignals(False)
        self.strip.setVisible(self._pages > 1)
        if self._pages > 1 and self._thumbnail is not None:
            for n in range(1, min(self._pages, THUMBS_AT_MOST) + 1):
                self._thumbnail(record.summary, n, partial(self._thumb, record.id))

    def _strip_chosen(self, row: int) -> None:
        if row >= 0:
            self.go_to(row + 1)

    def _thumb(self, doc_id: int, page: int, image: QImage) -> None:
        shown = self._record is not None and self._record.id == doc_id  # not a page of an earlier document
        if shown and 0 < page <= self.strip.count() and not image.isNull():
            item = self.strip.item(page - 1)
            if item is not None:
                item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _turn(self, step: int) -> None:
        if self._record is not None:
            self.turn_requested.emit(self._record.id, (self._record.summary.rotation + step) % 4)

    def go_to(self, page: int) -> None:
        if self._record is None or not 1 <= page <= self._pages or page == self._page:
            return
        self._page = page
        self.strip.blockSignals(True)
        self.strip.setCurrentRow(page - 1)
        self.strip.blockSignals(False)
        self._load(page)

    def highlight(self, name: str | None) -> None:
        """Show a field's box, turning to its page first."""
        self._want_highlight = name
        page = field_page(self._record.current if self._record else None, name) if name else None
        if page and page != self._page:
            self.go_to(page)
            return
        self.view.highlight(name)

    def _load(self, page: int) -> None:
        record = self._record
        if record is None:
            return
        self._asked += 1
        asked = self._asked
        self._update_bar()

        def done(shown: ShownPage) -> None:
            if asked != self._asked or self._record is None:
                return
            rendered = shown.page
            self._pages = max(self._pages, rendered.count)
            if shown.image.isNull():
                self.message.setText("This page could not be shown.")
                self.stack.setCurrentWidget(self.message)
                return
            self.view.show_page(QPixmap.fromImage(shown.image), field_boxes(self._record.current, rendered.number))
            self._shown = rendered.number
            self.view.highlight(self._want_highlight)
            self.stack.setCurrentWidget(self.view)
            self._update_bar()
            self.page_shown.emit(rendered.number)

        def failed(error: ReceiptDeskError) -> None:
            if asked != self._asked:
                return
            self.view.clear_page()
            self.message.setText(f"{record.summary.file_name} cannot be shown.\n{error.hint}")
            self.stack.setCurrentWidget(self.message)

        self._shown = 0
        self._render(record.summary, page, done, failed)

    def _update_bar(self) -> None:
        has = self._record is not None
        self.page_label.setText(f"Page {self._page} of {self._pages}" if has else "")
        self.previous.setEnabled(has and self._page > 1)
        self.next.setEnabled(has and self._page < self._pages)
        for b in (self.zoom_in, self.zoom_out, self.fit, self.fit_width, self.turn_left, self.turn_right):
            b.setEnabled(has)
        if not has:
            self.zoom_label.clear()
