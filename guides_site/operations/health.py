"""What /readyz checks: can this process reach the database and the cache right now?"""

import secrets

from django.core.cache import cache
from django.db import Error, connection


def database_ready():
    """A query on a fresh cursor. A database that does not answer fails within its connect
    timeout (PostgreSQL's connect_timeout, SQLite's busy timeout)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Error:
        return False


def cache_ready():
    """A random value written and read back. The Redis cache fails open (IGNORE_EXCEPTIONS), so
    an outage shows as a value that does not come back rather than as an error. The key is new
    each time, so that probes running at once never read each other's value."""
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        ready = cache.get(key) == value
        cache.delete(key)
    except Exception:  # a backend that does raise raises its own client's errors
        return False
    return ready


def readiness():
    """Each check's name and whether it passed."""
    return {"database": database_ready(), "cache": cache_ready()}
