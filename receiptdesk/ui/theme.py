"""Every colour the window uses beyond the palette's own, in one place, for light and dark themes.

Each colour is a role ("a warning's text", "an unsure cell's background") with a
light and a dark value; which one applies follows the application palette, so
the window reads in either theme. Widgets ask here instead of writing colours.

The theme changes while the window is open (Settings > Appearance), so nothing
keeps a colour it was given once: a style sheet is set with `style_sheet`, as a
template of roles that `apply` fills in again; what is drawn from colours in
code (rich text, a view's ground) is redrawn by the function given to `follow`.
Models give colours when asked, so their views only repaint.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

THEMES = ("system", "light", "dark")
TEMPLATE = "themeStyleSheet"  # the property a widget keeps its style sheet's template in
SYSTEM_STYLE = "systemStyle"  # the application's property: the platform's own style, for "system"
APPLIED = "appliedTheme"  # the application's property: the theme in place now
CHANGED = QEvent.Type(QEvent.registerEventType())  # sent to every widget once the theme has changed


class Role(Enum):
    # text
    ERROR = ("#b3261e", "#ffb4ab")
    WARNING = ("#8a5a00", "#f5c26b")
    OK = ("#1e7b34", "#7dd99a")
    QUIET = ("#555555", "#c4c4c4")  # what to do under a message, readable on its coloured background too
    # backgrounds, with the palette's text over them
    ERROR_BACKGROUND = ("#fdecea", "#5c1f1b")
    ERROR_BORDER = ("#f1aeb5", "#a8463f")
    WARNING_BACKGROUND = ("#fff4e5", "#4d3b12")
    WARNING_BORDER = ("#f5c26b", "#9a7420")
    NOTICE_BACKGROUND = ("#e6effc", "#1d3151")  # a place that is not the library (the Trash): calm, not alarming
    NOTICE_BORDER = ("#9dbbea", "#4a6fa8")
    # page viewer
    PAGE_BACKGROUND = ("#e4e4e4", "#2b2b2b")
    DROP_BORDER = ("#b0b0b0", "#6b6b6b")
    DROP_HIGHLIGHT = ("#1e6edc", "#7ab3ff")


# Boxes on the page, by what the value is (the same in both themes: they sit on the page's paper).
BOX_KINDS: dict[str, QColor] = {
    "name": QColor(30, 110, 220),  # vendor, customer, addresses, numbers printed as text
    "date": QColor(140, 60, 200),
    "amount": QColor(20, 140, 80),
    "item": QColor(200, 110, 20),
}
HIGHLIGHT = QColor(255, 170, 0)


def is_dark() -> bool:
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colour(role: Role) -> QColor:
    light, dark = role.value
    return QColor(dark if is_dark() else light)


def css(role: Role) -> str:
    """The colour as a style sheet value ("#b3261e")."""
    return colour(role).name()


def hint_css() -> str:
    """Quiet text (hints, the file a document came from): the palette's placeholder colour."""
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.PlaceholderText).name()


def dark_palette() -> QPalette:
    """A dark palette for Fusion (Settings > Theme > Dark, and the dark screenshots)."""
    p = QPalette()
    window, base, text = QColor("#2b2b2b"), QColor("#1f1f1f"), QColor("#e8e8e8")
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor("#262626"))
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, QColor("#353535"))
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, QColor("#3a3a3a"))
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.Highlight, QColor("#2f65ca"))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor("#9a9a9a"))
        p.setColor(group, QPalette.ColorRole.Link, QColor("#7ab3ff"))
    # Disabled buttons and boxes keep the dark ground (left unset, a disabled button was drawn light grey).
    for role, value in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.Base, base),
                        (QPalette.ColorRole.Button, QColor("#303030"))):  # fmt: skip
        p.setColor(QPalette.ColorGroup.Disabled, role, value)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#777777"))
    return p


def apply(app: QApplication, name: str) -> None:
    """ "light", "dark" or "system" (the platform's own style and palette), at once: every widget open
    follows (style sheets set with `style_sheet`, drawing given to `follow`)."""
    if app.property(APPLIED) == name:
        return  # already in place: repolishing every widget open costs more the more there are
    app.setProperty(APPLIED, name)
    if app.property(SYSTEM_STYLE) is None:  # the first time: the platform's look is still in place
        app.setProperty(SYSTEM_STYLE, app.style().name())
        if name == "system":
            return
    if name == "system":
        app.setStyle(str(app.property(SYSTEM_STYLE)))
        app.setPalette(QPalette())  # no role set: the platform's palette
    else:
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if name == "dark" else app.style().standardPalette())
    app.setStyleSheet(app.styleSheet())  # palette(...) in the window's own style sheet, read again
    for widget in app.allWidgets():
        template = widget.property(TEMPLATE)
        if isinstance(template, str):
            widget.setStyleSheet(_filled(template))
        QApplication.sendEvent(widget, QEvent(CHANGED))


def _filled(template: str) -> str:
    if "{" not in template:
        return template
    which = 1 if is_dark() else 0
    return template.format(hint=hint_css(), **{role.name: role.value[which] for role in Role})


def style_sheet(widget: QWidget, template: str) -> None:
    """A style sheet with colours by role, filled in now and again when the theme changes:
    "color: {WARNING};", "border: 1px solid {NOTICE_BORDER};", "color: {hint};" (braces of the
    style sheet itself doubled)."""
    widget.setProperty(TEMPLATE, template)
    widget.setStyleSheet(_filled(template))


class _Follower(QObject):
    def __init__(self, widget: QWidget, redraw: Callable[[], None]) -> None:
        super().__init__(widget)
        self._redraw = redraw
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == CHANGED:
            self._redraw()
        return False


def follow(widget: QWidget, redraw: Callable[[], None]) -> None:
    """`redraw` runs whenever the theme changes, for as long as the widget lives."""
    _Follower(widget, redraw)


FOCUS_CSS = (
    # Where the keyboard is, plainly: a ring in the palette's highlight colour.
    "QLineEdit:focus, QPlainTextEdit:focus, QTableView:focus, QGraphicsView:focus "
    "{ border: 2px solid palette(highlight); }"
)
