"""Settings, built from the one declaration of every option (services/settings.py), plus the keys.

Keys are typed here and go straight to the OS keyring; the dialog never
shows a stored key back, only that one is stored. "Test connection" saves
first, so it tests what the user sees, and says exactly what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.core.locales import currency_title
from receiptdesk.services.secrets import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AZURE_KEY
from receiptdesk.services.settings import OPTIONS, Option, Settings
from receiptdesk.ui import theme

TABS = (("extract", "Reading"), ("appearance", "Appearance"), ("textract", "Amazon Textract"),
        ("azure", "Azure Form Recognizer"))  # fmt: skip
KEYS = {
    "textract": (
        (AWS_ACCESS_KEY_ID, "Access key ID"),
        (AWS_SECRET_ACCESS_KEY, "Secret access key"),
        (AWS_SESSION_TOKEN, "Session token (optional)"),
    ),
    "azure": ((AZURE_KEY, "Key"),),
}
KEYS_AFTER = {"textract": "textract.profile", "azure": "azure.endpoint"}
CHOICE_TITLES = {
    "local": "On this computer (offline)",
    "textract": "Amazon Textract",
    "azure": "Azure Form Recognizer",
    "auto": "Decide from the document",
    "system": "As the system is set",
    "light": "Light",
    "dark": "Dark",
    "DMY": "Day first (31/12/2024)",
    "MDY": "Month first (12/31/2024)",
    "invoice": "Invoice",
    "receipt": "Receipt",
    "standard": "Standard (S0)",
    "free": "Free (F0): first 2 pages only",
    "2023-07-31": "2023-07-31 (v3)",
    "2.1": "2.1 (older resources)",
}
THEME = "appearance.theme"
CURRENCY = "extract.currency"
# How the offline reader reads what a document leaves open: a change may be applied to the library read so far.
READING = ("extract.date_order", CURRENCY)
STORED = "stored in the keyring – type to replace"

# (provider, done(ok, message)) and (values, keys, done(keyring problem or None), failed): from the window.
TestConnection = Callable[[str, Callable[[bool, str], None]], None]
SaveSettings = Callable[
    [dict[str, Any], dict[str, str | None], Callable[[str | None], None], Callable[[ReceiptDeskError], None]], None
]


_LONG_LIST = 15  # rows a drop-down shows at once before it scrolls


def _choice_title(option: Option, choice: str) -> str:
    if option.key == CURRENCY:
        return currency_title(choice) if choice else "Leave it blank"
    return CHOICE_TITLES.get(choice, choice)


def _editor(option: Option, value: Any) -> QWidget:
    if option.choices:
        box = QComboBox()
        for choice in option.choices:
            box.addItem(_choice_title(option, choice), choice)
        box.setCurrentIndex(max(0, box.findData(value)))
        if len(option.choices) > _LONG_LIST:
            # Fusion opens a list as tall as the screen (154 currencies) and ignores the count of rows
            # to show; as a scrolling drop-down it keeps to that count
            box.setStyleSheet("combobox-popup: 0;")
            box.setMaxVisibleItems(_LONG_LIST)
            box.view().setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)  # Fusion hid it
        return box
    if option.type is bool:
        check = QCheckBox()
        check.setChecked(bool(value))
        return check
    if option.type is int:
        spin = QSpinBox()
        spin.setRange(1, 16)
        spin.setValue(int(value))
        return spin
    line = QLineEdit(str(value))
    line.setClearButtonEnabled(True)
    return line


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    assert isinstance(widget, QLineEdit)
    return widget.text().strip()


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        stored_keys: dict[str, bool],
        keyring_problem: str | None,
        usage: dict[str, int],
        save: SaveSettings,
        test: TestConnection,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(760)
        self._save, self._test = save, test
        self.editors: dict[str, QWidget] = {}
        self.keys: dict[str, QLineEdit] = {}
        self.results: dict[str, QLabel] = {}
        self.tests: dict[str, QPushButton] = {}
        self.tabs = QTabWidget()
        for prefix, title in TABS:
            self.tabs.addTab(self._tab(prefix, settings, stored_keys, usage.get(prefix)), title)
        self.keyring_note = QLabel(keyring_problem or "Keys are kept in the system keyring, never in a file.")
        self.keyring_note.setWordWrap(True)
        theme.style_sheet(self.keyring_note, "color: {WARNING};" if keyring_problem else "color: {hint};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save_and_close)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self._theme = str(settings.get(THEME))  # put back if the dialog is cancelled
        self._settings = settings
        self._reading = {key: settings.get(key) for key in READING}
        chooser = self.editors[THEME]
        assert isinstance(chooser, QComboBox)
        chooser.currentIndexChanged.connect(lambda _: self._show_theme(str(chooser.currentData())))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.keyring_note)
        layout.addWidget(buttons)

    def _tab(self, prefix: str, settings: Settings, stored: dict[str, bool], pages: int | None) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, option in OPTIONS.items():
            if key.startswith(prefix + "."):
                editor = _editor(option, settings.get(key))
                editor.setObjectName(key)
                editor.setAccessibleName(option.title)
                self.editors[key] = editor
                form.addRow(option.title, editor)
                if key == KEYS_AFTER.get(prefix):  # the keys right under where the account is named
                    self._key_rows(form, prefix, stored)
        if prefix in KEYS:
            test = QPushButton("Save and test connection")
            result = QLabel(wordWrap=True)
            result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            test.clicked.connect(lambda _=False, p=prefix: self.test_connection(p))
            self.tests[prefix], self.results[prefix] = test, result
            row = QHBoxLayout()
            row.addWidget(test)
            row.addStretch(1)
            form.addRow(row)
            form.addRow(result)
            if pages is not None:
                form.addRow(QLabel(f"Pages sent this month: {pages}"))
        return tab

    def _key_rows(self, form: QFormLayout, prefix: str, stored: dict[str, bool]) -> None:
        for name, title in KEYS[prefix]:
            line = QLineEdit()
            line.setObjectName(name)
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setPlaceholderText(STORED if stored.get(name) else "not set")
            self.keys[name] = line
            form.addRow(title, line)

    @staticmethod
    def _show_theme(name: str) -> None:
        """A theme chosen shows at once, in the whole window: the user sees what they choose."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, name)

    def reject(self) -> None:
        """Cancel keeps the theme the window had (as every setting, it changes only when saved)."""
        chooser = self.editors[THEME]
        if isinstance(chooser, QComboBox) and chooser.currentData() != self._theme:
            self._show_theme(self._theme)
        super().reject()

    def changed_reading(self) -> bool:
        """Whether what was saved while the dialog was open (Save, or "Save and test connection" before Cancel)
        changed how the offline reader reads: the date order, the usual currency."""
        return any(self._settings.get(key) != was for key, was in self._reading.items())

    def values(self) -> dict[str, Any]:
        return {key: _value(w) for key, w in self.editors.items()}

    def typed_keys(self) -> dict[str, str | None]:
        """Keys the user typed (None: leave the stored one as it is)."""
        return {name: (line.text().strip() or None) for name, line in self.keys.items()}

    def _alive(self) -> bool:
        """The user may close the dialog while it saves or tests: answers arriving later are dropped."""
        return shiboken6.isValid(self) and self.isVisible()

    def _apply(self, then: Callable[[str | None], None], failed: Callable[[ReceiptDeskError], None]) -> None:
        self.buttons.setEnabled(False)

        def saved(problem: str | None) -> None:
            if not self._alive():
                return
            self.buttons.setEnabled(True)
            for line in self.keys.values():
                if line.text().strip():
                    line.clear()
                    line.setPlaceholderText(STORED if problem is None else "kept until you quit")
            if problem:
                self.keyring_note.setText(problem)
                theme.style_sheet(self.keyring_note, "color: {WARNING};")
            then(problem)

        def refused(error: ReceiptDeskError) -> None:
            if not self._alive():
                return
            self.buttons.setEnabled(True)
            failed(error)

        self._save(self.values(), self.typed_keys(), saved, refused)

    def _save_and_close(self) -> None:
        def not_saved(error: ReceiptDeskError) -> None:
            self.keyring_note.setText(f"Not saved: {error.message}")
            theme.style_sheet(self.keyring_note, "color: {ERROR};")

        self._apply(lambda _: self.accept(), not_saved)

    def test_connection(self, provider: str) -> None:
        result, button = self.results[provider], self.tests[provider]
        button.setEnabled(False)
        theme.style_sheet(result, "color: {QUIET};")
        result.setText("Testing…")

        def tested(ok: bool, message: str) -> None:
            if not self._alive():
                return
            button.setEnabled(True)
            theme.style_sheet(result, "color: {OK};" if ok else "color: {ERROR};")
            result.setText(("✓ " if ok else "✗ ") + message)

        self._apply(lambda _: self._test(provider, tested), lambda error: tested(False, f"Not saved: {error.message}"))

    def show_tab(self, provider: str) -> None:
        for i, (prefix, _) in enumerate(TABS):
            if prefix == provider:
                self.tabs.setCurrentIndex(i)
