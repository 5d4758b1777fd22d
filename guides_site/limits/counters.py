"""Counters in fixed windows, shared by every worker and server: Redis when the site has
one, the database otherwise (and whenever Redis does not answer, so limits hold through a
cache outage). Never per-process memory: with four workers that let four times the limit
through, and a burst of page renders evicted the counts.
"""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import RateCounter

log = logging.getLogger(__name__)
_TABLE = RateCounter._meta.db_table
_quote = connection.ops.quote_name
_REDIS_PREFIX = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:"
_UPSERT_SQL = (
    "INSERT INTO {table} ({key}, {count}, expires) VALUES (%s, 1, %s) "
    "ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + 1"
)
# One hit in this many also removes expired counters, so the table stays small.
_PURGE_EVERY = 200


def window(seconds, now=None):
    """(the current window's number, seconds until the next one)."""
    now = time.time() if now is None else now
    number = int(now // seconds)
    return number, max(1, int((number + 1) * seconds - now))


def counts(keys):
    """{key: count} for the given keys."""
    if not keys:
        return {}
    redis = _redis()
    if redis is not None:
        try:
            values = redis.mget([_REDIS_PREFIX + key for key in keys])
            return {key: int(value or 0) for key, value in zip(keys, values, strict=True)}
        except Exception as error:  # any Redis failure: fall back to the database
            _redis_failed(error)
    rows = RateCounter.objects.filter(key__in=keys, expires__gt=timezone.now())
    found = dict(rows.values_list("key", "count"))
    return {key: found.get(key, 0) for key in keys}


def hit(keys):
    """Add one to each of [(key, seconds)], in one round trip or transaction; each key
    expires with its window, at most its seconds from now."""
    if not keys:
        return
    redis = _redis()
    if redis is not None:
        try:
            pipe = redis.pipeline()
            for key, seconds in keys:
                pipe.incr(_REDIS_PREFIX + key)
                pipe.expire(_REDIS_PREFIX + key, seconds + 1)
            pipe.execute()
            return
        except Exception as error:  # any Redis failure: fall back to the database
            _redis_failed(error)
    now = timezone.now()
    # One statement per key, an atomic upsert, so concurrent workers never lose a count.
    sql = _UPSERT_SQL.format(table=_TABLE, key=_quote("key"), count=_quote("count"))
    with transaction.atomic():
        with connection.cursor() as cursor:
            for key, seconds in keys:
                cursor.execute(sql, [key, now + timedelta(seconds=seconds + 1)])
        if random.randrange(_PURGE_EVERY) == 0:  # noqa: S311 (not for security)
            RateCounter.objects.filter(expires__lte=timezone.now()).delete()


def _redis():
    if not settings.REDIS_URL:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _redis_failed(error):
    log.warning("Rate limits counted in the database: Redis did not answer (%s)", error)
