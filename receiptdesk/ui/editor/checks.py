"""What the checks and the reader say about a document, above its values.

A check about one value ("Date “31/02” is not a date") is said under that value,
where the user corrects it, and not again here: here go the checks across
several values (the sum of the lines, subtotal + tax vs total), and a pointer to
the values marked ⚠ when only those have something to say.
"""

from __future__ import annotations

from collections.abc import Container
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from receiptdesk.core.document import Check, Document
from receiptdesk.ui import theme
from receiptdesk.ui.theme import Role


def about_one_value(check: Check) -> str | None:
    """The value a check is about, when it is about one only (its words go under that value)."""
    return check.fields[0] if len(check.fields) == 1 else None


class ChecksLabel(QLabel):
    """Checks across several values, or that the amounts add up."""

    def __init__(self) -> None:
        super().__init__(wordWrap=True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Checks of the amounts and dates")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_checks(self, doc: Document, values_shown: Container[str]) -> None:
        problems = [c for c in doc.checks if c.status != "ok"]
        here = [c for c in problems if about_one_value(c) not in values_shown]
        warning = theme.css(Role.WARNING)
        if here:
            lines = "".join(f"<li>{escape(c.message)}</li>" for c in here)
            more = "<p style='margin:0'>Also the values marked ⚠ below.</p>" if len(here) < len(problems) else ""
            self.setText(f"<b style='color:{warning}'>Worth a look</b><ul style='margin:0'>{lines}</ul>{more}")
            self.setAccessibleDescription(" ".join(c.message for c in here))
        elif problems:
            self.setText(f"<b style='color:{warning}'>Worth a look:</b> the values marked ⚠ below.")
            self.setAccessibleDescription("Worth a look: the values marked below.")
        elif doc.checks:
            self.setText(f"<span style='color:{theme.css(Role.OK)}'>✓ The amounts add up.</span>")
            self.setAccessibleDescription("The amounts add up.")
        else:
            self.setText("")
            self.setAccessibleDescription("")
        self.setVisible(bool(doc.checks))


class WarningsLabel(QLabel):
    """What the reader said about its own result (a page it could not read, an upload left in S3): shown
    beside the values, so a partial reading is never taken for a whole one."""

    def __init__(self) -> None:
        super().__init__(wordWrap=True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Warnings about this reading")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        theme.style_sheet(self, "background: {WARNING_BACKGROUND}; border: 1px solid {WARNING_BORDER}; padding: 6px;")

    def show_warnings(self, doc: Document | None) -> None:
        warnings = doc.warnings if doc is not None else []
        if warnings:
            lines = "".join(f"<li>{escape(w)}</li>" for w in warnings)
            title = "The reading is incomplete" if len(warnings) == 1 else f"{len(warnings)} warnings about the reading"
            self.setText(f"<b style='color:{theme.css(Role.WARNING)}'>⚠ {title}</b><ul style='margin:0'>{lines}</ul>")
            self.setAccessibleDescription(" ".join(warnings))
        else:
            self.setText("")
            self.setAccessibleDescription("")
        self.setVisible(bool(warnings))
