"""One window per library: a later launch hands its files to the window already open.

The first process on a library takes a lock file in the library's folder (QLockFile: a lock
left by a process that crashed is taken over) and listens on a local socket named after that
folder. A later launch finds the lock held, connects, sends its files as one JSON line, waits
for "ok" and exits; the window imports the files and comes to the front. macOS does not pass
files on the command line when a document is opened from the Finder: it sends the running app
a file-open event, which `FileOpenEvents` turns into the same list of paths.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QLockFile, QObject, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "window.lock"
MAX_MESSAGE = 1 << 20  # a million bytes of paths is no launch
ANSWER_TIMEOUT_MS = 30_000  # the first window may still be opening its library when asked


def server_name(library: Path) -> str:
    """The socket's name: the same for every launch on this library by this user, short enough for /tmp."""
    user = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    key = f"{user}\0{library.resolve()}".encode()
    return f"receiptdesk-{hashlib.sha256(key).hexdigest()[:20]}"


class WindowServer(QObject):
    """The first window's end: receives the files later launches send and says "ok" to each."""

    files_received = Signal(list)  # list[Path], possibly empty (a launch without files: come to the front)

    def __init__(self, name: str, lock: QLockFile) -> None:
        super().__init__()
        self._lock = lock
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the lock, so a socket of that name is one a crashed window left behind.
        QLocalServer.removeServer(name)
        if not self._server.listen(name):
            log.warning("later launches cannot reach this window: %s", self._server.errorString())
        self._server.newConnection.connect(self._accept)

    def close(self) -> None:
        """Stop answering before the window goes, so a launch meanwhile opens its own."""
        self._server.close()
        self._lock.unlock()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_MESSAGE:
                socket.abort()
            return
        line = bytes(socket.readLine().data())
        try:
            files = [Path(f) for f in json.loads(line)["files"]]
        except (ValueError, KeyError, TypeError):
            log.warning("a launch sent something that is not a list of files; ignored")
            socket.write(b"bad\n")
            socket.disconnectFromServer()
            return
        socket.write(b"ok\n")
        socket.disconnectFromServer()
        self.files_received.emit(files)


def claim(library: Path) -> WindowServer | None:
    """This process's server when it is the first window on `library`; None when another window holds it."""
    lock = QLockFile(str(library / LOCK_NAME))
    lock.setStaleLockTime(0)  # only a dead process's lock is stale, however old
    if not lock.tryLock(0):
        if lock.error() == QLockFile.LockError.LockFailedError:
            return None
        # The folder does not let us lock (read-only, odd file system): open the window anyway.
        log.warning("cannot lock %s (%s): later launches may open windows of their own", library, lock.error().name)
    return WindowServer(server_name(library), lock)


def hand_over(library: Path, files: list[Path], timeout_ms: int = ANSWER_TIMEOUT_MS) -> bool:
    """Send `files` to the window open on `library`; True once it has them.

    Runs before this process has a window or an event loop, so it may block. The other
    window may have taken the lock a moment ago and not be listening yet: keep trying.
    """
    name = server_name(library)
    message = json.dumps({"files": [str(f) for f in files]}).encode() + b"\n"
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left = max(1, int((deadline - time.monotonic()) * 1000))
        socket = QLocalSocket()
        socket.connectToServer(name)
        if socket.waitForConnected(min(left, 1000)):
            socket.write(message)
            answer = b""
            while b"\n" not in answer and socket.waitForReadyRead(max(1, int((deadline - time.monotonic()) * 1000))):
                answer += bytes(socket.readAll().data())
            socket.abort()
            return answer == b"ok\n"
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)  # nothing listens yet: the other window is still starting


class FileOpenEvents(QObject):
    """Install on the QApplication: documents opened from the macOS Finder, Dock or "Open With"."""

    files_opened = Signal(list)  # list[Path]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        path = event.file() or event.url().toLocalFile()
        if not path:
            return False
        self.files_opened.emit([Path(path)])
        return True
