"""The list's column headings, drawn without asking the selection whether a whole column is chosen.

For each heading it paints, Qt's QHeaderView asks whether the columns beside it are wholly selected (the
style's "selected position"), whether or not it highlights them; the answer walks every row of the list.
With all of 100,000 documents chosen (Ctrl+A) that is half a million calls into the model and more than
a second before the window paints again (tests/bench/library_scale.py). These headings are drawn by the
same style, with the same text, sort arrow, hover and press, and that question left out: the list
chooses rows, never columns.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QCursor, QMouseEvent, QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QWidget

_POSITIONS = QStyleOptionHeader.SectionPosition


class ListHeader(QHeaderView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setHighlightSections(True)  # as a table's own header: the headings of chosen rows' cells are bold
        self._pressed = -1

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = self.logicalIndexAt(event.position().toPoint())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._pressed = -1
        super().mouseReleaseEvent(event)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        if not rect.isValid():
            return
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.rect = rect
        opt.section = logical
        model = self.model()
        opt.text = str(model.headerData(logical, self.orientation(), Qt.ItemDataRole.DisplayRole) or "")
        aligned = model.headerData(logical, self.orientation(), Qt.ItemDataRole.TextAlignmentRole)
        opt.textAlignment = Qt.AlignmentFlag(aligned) if aligned is not None else self.defaultAlignment()
        opt.iconAlignment = Qt.AlignmentFlag.AlignVCenter
        if self.isSortIndicatorShown() and self.sortIndicatorSection() == logical:
            ascending = self.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
            indicator = QStyleOptionHeader.SortIndicator
            opt.sortIndicator = indicator.SortDown if ascending else indicator.SortUp
        if self.sectionsClickable():
            if logical == self._pressed:
                opt.state |= QStyle.StateFlag.State_Sunken
            elif self.underMouse() and logical == self.logicalIndexAt(self._mouse()):
                opt.state |= QStyle.StateFlag.State_MouseOver
        chosen = self.selectionModel()
        if self.highlightSections() and chosen is not None and chosen.hasSelection():
            opt.state |= QStyle.StateFlag.State_On  # every column holds a chosen row's cell: rows are chosen whole
        opt.position = self._position(logical)
        opt.selectedPosition = QStyleOptionHeader.SelectedPosition.NotAdjacent
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)
        painter.restore()

    def _mouse(self) -> QPoint:
        return self.viewport().mapFromGlobal(QCursor.pos())

    def _position(self, logical: int) -> QStyleOptionHeader.SectionPosition:
        shown = [v for v in range(self.count()) if not self.isSectionHidden(self.logicalIndex(v))]
        if len(shown) <= 1:
            return _POSITIONS.OnlyOneSection
        visual = self.visualIndex(logical)
        if visual == shown[0]:
            return _POSITIONS.Beginning
        return _POSITIONS.End if visual == shown[-1] else _POSITIONS.Middle
