"""Read again without OCR: stored words parsed again when the offline parser or its model changed.

Every reading on this computer keeps its words (the raw response) and says which parser and
ranker made it (`reading_version()` ends its model name). When ReceiptDesk is upgraded, the
documents read by an older parser are parsed again from those words: no OCR, seconds for
thousands, the user's corrections kept (they are edits beside the reading, never in it), a
document marked reviewed left as the user checked it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from receiptdesk.core.errors import ReceiptDeskError
from receiptdesk.core.review import REVIEWED
from receiptdesk.providers.local.parser import reading_version
from receiptdesk.services.providers import Providers
from receiptdesk.store.library import Library

log = logging.getLogger(__name__)


# The latest reading of each document made on this computer, its words kept. A document marked reviewed is left
# out of every re-parse: its values are the ones a person checked, and a newer parser or setting must not change
# what they saw and confirmed ("Read again" still does, when asked).
_LOCAL = """SELECT e.document_id FROM extractions e JOIN documents d ON d.id = e.document_id
    WHERE e.provider = 'local' AND e.raw_json IS NOT NULL
      AND e.id = (SELECT MAX(x.id) FROM extractions x WHERE x.document_id = e.document_id)"""
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


def unreviewed(library: Library) -> list[int]:
    """Every document read on this computer, not marked reviewed nor in the Trash, with its words kept: what a
    change of the reading settings (the date order, the usual currency) applies to when the user asks."""
    return library.db.column(_LOCAL + " AND d.review IS NOT ? AND d.deleted_at IS NULL", (REVIEWED,))


def reparse(
    library: Library, providers: Providers, doc_ids: list[int], stopped: Callable[[], bool] = lambda: False
) -> int:
    """Parse these documents again from their stored words; returns how many were."""
    done = 0
    for doc_id in doc_ids:
        if stopped():
            break
        kept = library.words_read(doc_id)
        if kept is None or kept[1] != "local":
            continue
        extraction_id, _, raw = kept
        try:
            # written only if the user has not marked it reviewed, nor had it read anew, meanwhile
            done += library.replace_reading(doc_id, extraction_id, providers.remap("local", raw))
        except (ReceiptDeskError, KeyError) as e:  # a document deleted meanwhile, words in an old form
            log.info("document %s not parsed again: %s", doc_id, e)
    return done
