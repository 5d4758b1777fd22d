from django.db import models
from django.utils.translation import gettext_lazy as _


class MissedSearch(models.Model):
    """How many searches for one text found nothing, on one day. Nothing about who searched:
    no address, no visitor id."""

    text = models.CharField(_("search"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        ordering = ["-day", "-count"]
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        constraints = [
            models.UniqueConstraint(
                fields=["text", "language", "day"], name="one_missed_search_per_text_and_day"
            )
        ]

    def __str__(self):
        return self.text


class DismissedSearch(models.Model):
    """A text an editor has dealt with: it no longer shows on the editors' home page."""

    text = models.CharField(_("search"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    dismissed = models.DateTimeField(_("dismissed"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed search")
        verbose_name_plural = _("dismissed searches")
        constraints = [
            models.UniqueConstraint(fields=["text", "language"], name="one_dismissal_per_text")
        ]

    def __str__(self):
        return self.text


class IndexGeneration(models.Model):
    """One row: a number raised by every change to the search index. Kept search pages
    (search/views.py) are served only while it has the value they were made with, on every
    app server, as the database is shared and a cache may not be."""

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("search index generation")

    def __str__(self):
        return str(self.number)
