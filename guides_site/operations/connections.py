"""Kept database connections, checked when they may have gone bad, not on every request.

Django's CONN_HEALTH_CHECKS runs a query before the first one of every request that reuses
a connection: on PostgreSQL one more round trip per page view, as much as a cached guide
page's own query (bench/README.md). A kept connection goes bad in two ways. After an error,
Django already checks it and closes it at the end of that request (errors_occurred, in
close_if_unusable_or_obsolete, with or without CONN_HEALTH_CHECKS). While it sits idle, the
server, a proxy or a restart may drop it: so a connection is checked when it is reused after
DATABASE_IDLE_CHECK_SECONDS without a request, and replaced if it doesn't answer.
"""

import time

from django.conf import settings
from django.db import connections


def check_idle_connections(**kwargs):
    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        last_used = getattr(connection, "last_request_finished", None)
        if (
            connection.connection is not None
            and last_used is not None
            and now - last_used > settings.DATABASE_IDLE_CHECK_SECONDS
            and not connection.is_usable()
        ):
            connection.close()


def note_request_finished(**kwargs):
    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        connection.last_request_finished = now
