"""Page views, tallied in memory and added to the database in batches.

Writing one UPDATE per page view made every reader of a guide queue for the database's
writer (SQLite has one; PostgreSQL locks the guide's row), and it cost more than the rest
of the page. So each process keeps a tally and adds it to the database in one transaction
at most every VIEW_COUNT_FLUSH_SECONDS, and once more when the process exits. A process
killed outright loses at most that many seconds of its views; votes never go this way.
"""

import atexit
import logging
import threading
import time
from collections import Counter, defaultdict

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F

from .models import Guide

log = logging.getLogger(__name__)

_lock = threading.Lock()
_tally = Counter()
_last_flush = time.monotonic()
# Below every database's limit on query parameters.
_BATCH = 500


def count_view(guide_id):
    """Count a view of the guide; return its views not yet in the database, this one
    included, so that the page can show the stored count plus these."""
    with _lock:
        _tally[guide_id] += 1
        pending = _tally[guide_id]
        due = time.monotonic() - _last_flush >= settings.VIEW_COUNT_FLUSH_SECONDS
    if due:
        flush()
    return pending


def pending_views(guide_id):
    with _lock:
        return _tally[guide_id]


def flush():
    """Add the tally to the database. If the database refuses, the tally is kept for the
    next flush."""
    global _tally, _last_flush
    with _lock:
        tally, _tally = _tally, Counter()
        _last_flush = time.monotonic()
    if not tally:
        return
    # Most guides gain the same few numbers of views: one UPDATE per number, not per guide.
    guides_by_views = defaultdict(list)
    for guide_id, views in tally.items():
        guides_by_views[views].append(guide_id)
    try:
        with transaction.atomic():
            for views, guide_ids in guides_by_views.items():
                for start in range(0, len(guide_ids), _BATCH):
                    Guide.objects.filter(pk__in=guide_ids[start : start + _BATCH]).update(
                        view_count=F("view_count") + views
                    )
    except DatabaseError:
        log.warning("Could not save %s page views; will try again.", tally.total(), exc_info=True)
        with _lock:
            _tally.update(tally)


atexit.register(flush)
