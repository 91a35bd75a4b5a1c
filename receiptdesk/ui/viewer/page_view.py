"""One page with the boxes of its fields drawn over it; the chosen field stands out."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen, QPixmap, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene, QGraphicsView, QWidget

from receiptdesk.core.geometry import Box
from receiptdesk.ui import theme
from receiptdesk.ui.theme import BOX_KINDS, HIGHLIGHT, Role

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0


@dataclass(frozen=True, slots=True)
class FieldBox:
    name: str  # "total", "line_items.2.amount"
    box: Box
    title: str = ""  # in the user's words: "Total", "Amount on line 3"
    kind: str = "name"  # name | date | amount | item: the colour of its box


class PageView(QGraphicsView):
    box_clicked = Signal(str)  # the field whose box was clicked
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(theme.colour(Role.PAGE_BACKGROUND))
        theme.follow(self, self._restyle)
        self.setAccessibleName("Page")
        self._turns = 0  # quarter turns clockwise the user gave the page
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._page: QGraphicsPixmapItem | None = None
        self._boxes: dict[str, QGraphicsRectItem] = {}
        self._highlighted: str | None = None
        self._fit = "page"  # "page", "width", or "" when the user zoomed

    @property
    def has_page(self) -> bool:
        return self._page is not None

    @property
    def highlighted(self) -> str | None:
        return self._highlighted

    def box_names(self) -> list[str]:
        return list(self._boxes)

    def box_rect(self, name: str) -> QRectF | None:
        """Where a field's box is drawn, in page pixels (for tests and scrolling to it)."""
        item = self._boxes.get(name)
        return item.rect() if item else None

    def show_page(self, pixmap: QPixmap, boxes: list[FieldBox]) -> None:
        scene = self.scene()
        scene.clear()
        self._boxes.clear()
        self._page = scene.addPixmap(pixmap)
        self._page.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        scene.setSceneRect(QRectF(pixmap.rect()))
        self.set_boxes(boxes)
        if self._fit:
            self._fit_now()

    def set_boxes(self, boxes: list[FieldBox]) -> None:
        """The boxes over the page on screen, replacing those drawn before."""
        scene = self.scene()
        for item in self._boxes.values():
            scene.removeItem(item)
        self._boxes.clear()
        if self._page is None:
            return
        w, h = self._page.pixmap().width(), self._page.pixmap().height()
        for fb in boxes:
            rect = QRectF(fb.box.x0 * w, fb.box.y0 * h, fb.box.width * w, fb.box.height * h).adjusted(-2, -2, 2, 2)
            item = scene.addRect(rect)
            item.setToolTip(fb.title or fb.name)
            item.setData(0, fb.name)
            item.setData(1, fb.kind)
            self._boxes[fb.name] = item
        self._style()

    def clear_page(self) -> None:
        self.scene().clear()
        self._boxes.clear()
        self._page = None
        self._highlighted = None

    def highlight(self, name: str | None) -> None:
        self._highlighted = name
        self._style()
        item = self._boxes.get(name) if name else None
        if item is not None:
            self.ensureVisible(item, 40, 40)

    def _restyle(self) -> None:
        """The theme changed: the ground round the page follows it. The boxes keep their colours in either
        theme: they are drawn on the page's paper, which is the same in both."""
        self.setBackgroundBrush(theme.colour(Role.PAGE_BACKGROUND))
        self._style()

    def _style(self) -> None:
        strong = QPen(HIGHLIGHT, 0)
        strong.setCosmetic(True)
        strong.setWidthF(3.0)
        for name, item in self._boxes.items():
            chosen = name == self._highlighted
            colour = BOX_KINDS.get(str(item.data(1)), BOX_KINDS["name"])
            pen = QPen(colour, 0)
            pen.setCosmetic(True)
            pen.setWidthF(1.5)
            item.setPen(strong if chosen else pen)
            fill = QColor(HIGHLIGHT if chosen else colour)
            fill.setAlpha(70 if chosen else 25)
            item.setBrush(QBrush(fill))
            item.setZValue(2 if chosen else 1)

    # ------------------------------------------------------------------ zoom and turn
    def set_turns(self, quarter_turns: int) -> None:
        """Show the page turned (the boxes turn with it: they sit on the page)."""
        self._turns = quarter_turns % 4
        self._apply(self._scale())

    def _scale(self) -> float:
        return max(MIN_ZOOM, min(MAX_ZOOM, self.zoom))

    def _apply(self, scale: float) -> None:
        self.setTransform(QTransform().scale(scale, scale).rotate(90 * self._turns))
        if self._fit:
            self._fit_now()
        self.zoom_changed.emit(self._scale())

    def _turned_size(self) -> tuple[float, float]:
        assert self._page is not None
        w, h = self._page.pixmap().width(), self._page.pixmap().height()
        return (h, w) if self._turns % 2 else (w, h)

    def _fit_now(self) -> None:
        if self._page is None:
            return
        w, h = self._turned_size()
        view = self.viewport().rect()
        scale = view.width() / max(1.0, w) if self._fit == "width" else min(view.width() / max(1.0, w),
                                                                           view.height() / max(1.0, h))  # fmt: skip
        scale = max(MIN_ZOOM, min(MAX_ZOOM, scale * 0.98))
        self.setTransform(QTransform().scale(scale, scale).rotate(90 * self._turns))
        if self._fit == "width":
            self.centerOn(self._page.boundingRect().center().x(), 0)
        self.zoom_changed.emit(scale)

    def fit(self) -> None:
        """The whole page in view."""
        self._fit = "page"
        self._fit_now()

    def fit_width(self) -> None:
        """The page as wide as the view, from its top: small print on an A4 invoice is readable."""
        self._fit = "width"
        self._fit_now()

    @property
    def zoom(self) -> float:
        t = self.transform()
        return float((t.m11() ** 2 + t.m12() ** 2) ** 0.5)

    def zoom_by(self, factor: float) -> None:
        self._fit = ""
        self._apply(max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor)))

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._fit_now()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hits = [i for i in self.items(event.position().toPoint()) if isinstance(i, QGraphicsRectItem)]
            if hits:
                smallest = min(hits, key=lambda i: i.rect().width() * i.rect().height())
                self.box_clicked.emit(str(smallest.data(0)))
        super().mousePressEvent(event)
