from django.db import models


class RateCounter(models.Model):
    """How many accepted submissions one reader, address or network made in one window.

    The rate limits' store when there is no Redis: every worker shares it, and, unlike the
    page cache, nothing evicts it.
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
