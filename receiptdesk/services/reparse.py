"""Read again without OCR: stored words parsed again when the offline parser or its model changed.

Every reading on this computer keeps its words (the raw response) and says which parser and
ranker made it (`reading_version()` ends its model name). When ReceiptDesk is upgraded, the
documents read by an older parser are parsed again from those words: no OCR, seconds for
thousands, the user's corrections kept (they are edits beside the reading, never in it), a
document marked reviewed left as the user checked it. When the user changes a reading setting (the
date order, the usual currency) and asks for it, the documents it may change are listed in the library
(`parse_again`) and crossed off as they are parsed: a quit halfway goes on at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.core.review import REVIEWED
from receiptdesk.providers.local.parser import reading_version
from receiptdesk.services.providers import Providers
from receiptdesk.store.library import Library

log = logging.getLogger(__name__)


# The latest reading of each document made on this computer, its words kept. A document marked reviewed is left
# out of every re-parse: its values are the ones a person checked, and a newer parser or setting must not change
# what they saw and confirmed ("Read again" still does, when asked).
_LOCAL_FROM = """FROM extractions e JOIN documents d ON d.id = e.document_id
    WHERE e.provider = 'local' AND e.raw_json IS NOT NULL
      AND e.id = (SELECT MAX(x.id) FROM extractions x WHERE x.document_id = e.document_id)"""
_LOCAL = "SELECT e.document_id " + _LOCAL_FROM
_OLDER = " AND (e.model IS NULL OR substr(e.model, -length(?)) != ?)"


def stale(library: Library) -> list[int]:
    """Documents whose latest reading on this computer was parsed by another parser or model and kept
    its words. One query that returns only those: a library that is up to date costs an index walk."""
    current = reading_version()
    return library.db.column(_LOCAL + " AND d.review IS NOT ?" + _OLDER, (REVIEWED, current, current))


def kept_as_checked(library: Library) -> int:
    """How many documents an older parser read that stay as they are because the user marked them reviewed."""
    current = reading_version()
    kept = f"SELECT COUNT(*) FROM ({_LOCAL} AND d.review IS ?{_OLDER})"
    return int(library.db.column(kept, (REVIEWED, current, current))[0])


_UNREVIEWED = " AND d.review IS NOT ? AND d.deleted_at IS NULL"


def count_unreviewed(library: Library) -> int:
    """Every document read on this computer, not marked reviewed nor in the Trash, with its words kept: what a
    change of the reading settings (the date order, the usual currency) applies to when the user asks."""
    return int(library.db.column(f"SELECT COUNT(*) {_LOCAL_FROM}{_UNREVIEWED}", (REVIEWED,))[0])


def ask_unreviewed(library: Library) -> int:
    """Those documents are to be parsed again with the settings now saved; returns how many. Written to the
    library, not held in memory: what a quit leaves undone is parsed at the next start (`pending`). Each ask
    is numbered above every ask still listed, so a re-read under way leaves this one's rows alone."""
    with library.db.transaction() as conn:
        (ask,) = conn.execute("SELECT COALESCE(MAX(asked), 0) + 1 FROM parse_again").fetchone()
        return conn.execute(
            f"""INSERT INTO parse_again(document_id, asked) SELECT e.document_id, ? {_LOCAL_FROM}{_UNREVIEWED}
                ON CONFLICT(document_id) DO UPDATE SET asked = excluded.asked""",
            (ask, REVIEWED),
        ).rowcount


def pending(library: Library) -> dict[int, int | None]:
    """What is to be parsed again, each with the ask that listed it: documents asked for (`ask_unreviewed`) and
    not in the Trash, then the ones an older parser read (None: listed by no ask)."""
    asked = library.db.query(
        """SELECT p.document_id, p.asked FROM parse_again p JOIN documents d ON d.id = p.document_id
           WHERE d.deleted_at IS NULL ORDER BY p.document_id"""
    )
    out: dict[int, int | None] = {int(r[0]): int(r[1]) for r in asked}
    out.update((i, None) for i in stale(library) if i not in out)
    return out


@dataclass(frozen=True, slots=True)
class Reparsed:
    done: int  # parsed again and written
    left: int  # not reached (stopped): still pending, parsed at the next start


# Documents parsed again are crossed off the library's list this many at a time: a quit repeats at most these.
_CROSS_OFF = 50


def reparse(
    library: Library,
    providers: Providers,
    todo: dict[int, int | None],
    stopped: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Reparsed:
    """Parse these documents (`pending`) again from their stored words, each crossed off its list once it is,
    unless asked for again meanwhile."""
    done = reached = 0
    batch: list[tuple[int, int]] = []
    for doc_id, ask in todo.items():
        if stopped():
            break
        done += _parse_again(library, providers, doc_id)
        reached += 1
        if ask is not None:
            batch.append((doc_id, ask))
        if len(batch) == _CROSS_OFF:
            _cross_off(library, batch)
        progress(reached, len(todo))
    _cross_off(library, batch)
    return Reparsed(done, len(todo) - reached)


def _parse_again(library: Library, providers: Providers, doc_id: int) -> bool:
    kept = library.words_read(doc_id)
    if kept is None or kept[1] != "local":
        return False
    extraction_id, _, raw = kept
    try:
        # written only if the user has not marked it reviewed, nor had it read anew, meanwhile
        return library.replace_reading(doc_id, extraction_id, providers.remap("local", raw))
    except (ReceiptDeskError, KeyError) as e:  # a document deleted meanwhile, words in an old form
        log.info("document %s not parsed again: %s", doc_id, e)
        return False


def _cross_off(library: Library, done: list[tuple[int, int]]) -> None:
    if done:
        with library.db.transaction() as conn:
            conn.executemany("DELETE FROM parse_again WHERE document_id = ? AND asked = ?", done)
        done.clear()
