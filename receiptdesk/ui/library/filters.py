"""The filter bar beside the search: period, amount, status, currency, reader, category and tag.

It only says what the user chose (`filters_changed` with a store Filters); the
store does the filtering in SQL. The choices offered (categories, currencies,
tags) come from the library through `set_choices`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.store.filters import PERIOD_LABELS, STATUS_FILTER_LABELS, Filters, Period, period_range

CUSTOM = "custom"
DELAY_MS = 250  # typing an amount waits for a pause before the list is asked again


def _combo(name: str, any_text: str, items: Sequence[tuple[str, object]] = ()) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setToolTip(name)
    box.addItem(any_text, None)
    for text, data in items:
        box.addItem(text, data)
    return box


def _refill(box: QComboBox, items: Sequence[str]) -> None:
    """New choices; the one chosen stays chosen (or goes back to 'any' if it is gone)."""
    current = box.currentData()
    box.blockSignals(True)
    while box.count() > 1:
        box.removeItem(1)
    for item in items:
        box.addItem(item, item)
    found = box.findData(current) if current is not None else 0
    box.setCurrentIndex(max(found, 0))
    box.blockSignals(False)


class FilterBar(QWidget):
    filters_changed = Signal(object)  # Filters

    def __init__(
        self, providers: dict[str, str], today: Callable[[], date] = date.today, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today
        self.toggle = QToolButton()
        self.toggle.setText("Filters")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Show the filters")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.clear = QPushButton("Clear filters", flat=True)
        self.clear.setAccessibleName("Clear all filters")
        self.clear.hide()

        self.period = _combo("Period", "Any time", [(PERIOD_LABELS[p], p) for p in Period])
        self.period.addItem("Dates from … to …", CUSTOM)
        self.since = QDateEdit()
        self.since.setAccessibleName("Dated from")
        self.until = QDateEdit()
        self.until.setAccessibleName("Dated until")
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setDate(QDate.currentDate())
            d.hide()
        self.min_total = QLineEdit(placeholderText="Amount from")
        self.min_total.setAccessibleName("Amount from")
        self.max_total = QLineEdit(placeholderText="Amount to")
        self.max_total.setAccessibleName("Amount to")
        self.status = _combo("Status", "Any status", [(STATUS_FILTER_LABELS[s], s) for s in STATUS_FILTER_LABELS])
        self.currency = _combo("Currency", "Any currency")
        self.provider = _combo("Read by", "Any reader", [(title, name) for name, title in providers.items()])
        self.category = _combo("Category", "Any category")
        self.tag = _combo("Tag", "Any tag")

        self.panel = QWidget()
        grid = QGridLayout(self.panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.period, 0, 0)
        grid.addWidget(self.status, 0, 1)
        grid.addWidget(self.since, 1, 0)
        grid.addWidget(self.until, 1, 1)
        grid.addWidget(self.min_total, 2, 0)
        grid.addWidget(self.max_total, 2, 1)
        grid.addWidget(self.category, 3, 0)
        grid.addWidget(self.tag, 3, 1)
        grid.addWidget(self.currency, 4, 0)
        grid.addWidget(self.provider, 4, 1)
        self.panel.hide()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.toggle)
        top.addStretch(1)
        top.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.panel)

        self._typing = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._typing.timeout.connect(self._changed)
        self.toggle.toggled.connect(self.panel.setVisible)
        self.clear.clicked.connect(self.reset)
        self.period.currentIndexChanged.connect(self._period_chosen)
        for box in (self.status, self.currency, self.provider, self.category, self.tag):
            box.currentIndexChanged.connect(self._changed)
        for d in (self.since, self.until):
            d.dateChanged.connect(self._changed)
        for edit in (self.min_total, self.max_total):
            edit.textChanged.connect(lambda _: self._typing.start())

    def set_choices(self, categories: Sequence[str], currencies: Sequence[str], tags: Sequence[str]) -> None:
        _refill(self.category, categories)
        _refill(self.currency, sorted(currencies))
        _refill(self.tag, tags)

    def _period_chosen(self) -> None:
        custom = self.period.currentData() == CUSTOM
        self.since.setVisible(custom)
        self.until.setVisible(custom)
        self._changed()

    def filters(self) -> Filters:
        """What is chosen now, as the store's Filters."""
        since: date | None = None
        until: date | None = None
        chosen = self.period.currentData()
        if chosen == CUSTOM:
            since, until = _day(self.since), _day(self.until)
        elif chosen is not None:
            since, until = period_range(Period(chosen), self._today())
        return Filters(
            since=since,
            until=until,
            min_total=_amount(self.min_total.text()),
            max_total=_amount(self.max_total.text()),
            status=self.status.currentData(),
            currency=self.currency.currentData(),
            provider=self.provider.currentData(),
            category=self.category.currentData(),
            tag=self.tag.currentData(),
        )

    def _changed(self) -> None:
        f = self.filters()
        self.toggle.setText(f"Filters ({f.active})" if f.active else "Filters")
        self.clear.setVisible(bool(f.active))
        self.filters_changed.emit(f)

    def reset(self) -> None:
        for w in (self.period, self.status, self.currency, self.provider, self.category, self.tag):
            w.blockSignals(True)
            w.setCurrentIndex(0)
            w.blockSignals(False)
        for edit in (self.min_total, self.max_total):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.since.hide()
        self.until.hide()
        self._changed()


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ".")) if text.strip() else None
    except InvalidOperation:
        return None
    return value if value is None or value.is_finite() else None
