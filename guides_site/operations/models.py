import functools
import secrets

from django.db import models


def new_identity():
    return secrets.token_hex(8)


class DatabaseIdentity(models.Model):
    """One row naming this copy of the database: restore_db gives it a new value.

    Cached pages are keyed by version counters kept in the database, which a restore rewinds,
    while the cache (Redis) may keep the pages of the newer versions for a day. The page-cache
    keys carry this value too, so no page cached before a restore is served after it.
    """

    value = models.CharField(max_length=32, default=new_identity)

    def __str__(self):
        return self.value


@functools.cache
def database_identity():
    """This database's identity, read once per process: app servers restart after a restore
    (restore_db refuses to run while they use the database)."""
    row, _ = DatabaseIdentity.objects.get_or_create(pk=1)
    return row.value


def renew_database_identity():
    DatabaseIdentity.objects.update_or_create(pk=1, defaults={"value": new_identity()})
    database_identity.cache_clear()
