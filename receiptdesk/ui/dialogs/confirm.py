"""Before a paid call: how many pages, about how much, and what the service would refuse."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from receiptdesk.ui.accounts import CostEstimate


def cost_text(cost: CostEstimate) -> str:
    readable = cost.documents - len(cost.refused)
    parts = [
        f"<p>{escape(cost.title)} will read {readable} document{'s' if readable != 1 else ''}: "
        f"<b>{cost.pages} page{'s' if cost.pages != 1 else ''} billed, about {escape(cost.price)}</b>.</p>"
    ]
    if cost.warnings:
        parts.append("<ul>" + "".join(f"<li>{escape(w)}</li>" for w in cost.warnings) + "</ul>")
    if cost.refused:
        refused = "".join(f"<li>{escape(name)}: {escape(why)}</li>" for _, name, why in cost.refused)
        parts.append(f"<p>Not sent, because the service would refuse them:</p><ul>{refused}</ul>")
    return "".join(parts)


def confirm_cost(parent: QWidget, cost: CostEstimate, proceed: Callable[[], None]) -> QMessageBox:
    """Ask before spending; nothing is sent when every file would be refused."""
    nothing = cost.documents == len(cost.refused)
    box = QMessageBox(parent)
    box.setObjectName("confirmCost")
    box.setWindowTitle("Nothing to send" if nothing else "Send to the cloud?")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(cost_text(cost))
    box.setIcon(QMessageBox.Icon.Warning if nothing else QMessageBox.Icon.Question)
    if nothing:
        box.setStandardButtons(QMessageBox.StandardButton.Close)
    else:
        send = box.addButton("Send", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(send)
        send.clicked.connect(proceed)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
