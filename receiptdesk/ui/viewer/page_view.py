"""One page with the boxes of its fields drawn over it; the chosen field stands out."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene, QGraphicsView, QWidget

from receiptdesk.core.geometry import Box

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
BOX_COLOUR = QColor(30, 110, 220)
HIGHLIGHT_COLOUR = QColor(255, 170, 0)


@dataclass(frozen=True, slots=True)
class FieldBox:
    name: str  # "total", "line_items.2.amount"
    box: Box


class PageView(QGraphicsView):
    box_clicked = Signal(str)  # the field whose box was clicked
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(QColor("#e4e4e4"))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._page: QGraphicsPixmapItem | None = None
        self._boxes: dict[str, QGraphicsRectItem] = {}
        self._highlighted: str | None = None
        self._fit = True

    @property
    def has_page(self) -> bool:
        return self._page is not None

    @property
    def zoom(self) -> float:
        return float(self.transform().m11())

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
            self.fit()

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
            item.setToolTip(fb.name)
            item.setData(0, fb.name)
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

    def _style(self) -> None:
        pen = QPen(BOX_COLOUR, 0)
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        strong = QPen(HIGHLIGHT_COLOUR, 0)
        strong.setCosmetic(True)
        strong.setWidthF(3.0)
        for name, item in self._boxes.items():
            chosen = name == self._highlighted
            item.setPen(strong if chosen else pen)
            fill = QColor(HIGHLIGHT_COLOUR if chosen else BOX_COLOUR)
            fill.setAlpha(70 if chosen else 25)
            item.setBrush(QBrush(fill))
            item.setZValue(2 if chosen else 1)

    # ------------------------------------------------------------------ zoom
    def fit(self) -> None:
        self._fit = True
        if self._page is not None:
            self.fitInView(self._page, Qt.AspectRatioMode.KeepAspectRatio)
            self.zoom_changed.emit(self.zoom)

    def zoom_by(self, factor: float) -> None:
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        self._fit = False
        self.scale(target / self.zoom, target / self.zoom)
        self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()

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
