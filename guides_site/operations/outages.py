"""Outages of the cache, which the site can do without: short, and logged once.

During a cache outage every request meets the same error; one line per request would bury
the log (and fill the disk) for no more information than the first line gave.
"""

import logging
import threading
import time
from contextlib import contextmanager

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

_cache_log = logging.getLogger("guides_site.cache")


class OncePerInterval(logging.Filter):
    """Let one record through per `seconds` for each logger, without its traceback, and say
    how many were held back since."""

    def __init__(self, seconds=60):
        super().__init__()
        self.seconds = seconds
        self._lock = threading.Lock()
        self._last = {}
        self._held = {}

    def filter(self, record):
        now = time.monotonic()
        with self._lock:
            last = self._last.get(record.name)
            if last is not None and now - last < self.seconds:
                self._held[record.name] = self._held.get(record.name, 0) + 1
                return False
            self._last[record.name] = now
            held = self._held.pop(record.name, 0)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()}: {type(error).__name__}: {error}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        if held:
            record.msg = f"{record.getMessage()} ({held} more since the last report)"
            record.args = ()
        record.msg = f"{record.getMessage()}; next report in {self.seconds} s at the earliest"
        record.args = ()
        return True


class _FailFast:
    """A Redis connection that, once Redis has failed to answer, fails at once for
    `retry_after` seconds instead of waiting for its timeout again.

    During an outage every page makes several cache calls; each waiting its full socket
    timeout on a hung Redis added up to seconds per page. django-redis ignores the error
    (IGNORE_EXCEPTIONS) and the page is built from the database. One call tries Redis again
    after the pause, so the cache comes back by itself.
    """

    retry_after = 5.0
    _down_until = 0.0  # shared by every connection of the process

    def connect_check_health(self, *args, **kwargs):
        if time.monotonic() < _FailFast._down_until:
            raise redis.exceptions.ConnectionError("Redis did not answer moments ago")
        with self._noting_failures():
            return super().connect_check_health(*args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        with self._noting_failures():
            return super().send_packed_command(*args, **kwargs)

    def read_response(self, *args, **kwargs):
        with self._noting_failures():
            return super().read_response(*args, **kwargs)

    @contextmanager
    def _noting_failures(self):
        try:
            yield
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            _FailFast._down_until = time.monotonic() + self.retry_after
            raise


class FailFastConnection(_FailFast, redis.connection.Connection):
    pass


class FailFastSSLConnection(_FailFast, redis.connection.SSLConnection):
    pass


class FailOpenFileBasedCache(FileBasedCache):
    """Django's file cache, which the site can do without as it does without Redis: a folder
    that cannot be written or read (a full disk, a read-only deploy) costs a miss and a line
    in the log once a minute, never a page."""

    def _createdir(self):
        # Also called when the cache is first used in a process: the folder may come later.
        try:
            super()._createdir()
        except OSError:
            _cache_log.exception("File cache %s could not be made", self._dir)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except OSError:
            _cache_log.exception("File cache %s could not be read", self._dir)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except OSError:
            _cache_log.exception("File cache %s could not be written", self._dir)
