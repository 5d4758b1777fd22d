"""Invalidate cached pages when what they show changes.

Cached fragments of a guide's page are keyed by its cache_version and its company's (see
templates/guides/guide.html). The versions live in the rows the page reads anyway, so every
app server and worker sees a change at once, whatever cache backend it uses.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Company, Guide, Section, Step, Tag


def bump_guides(**filters):
    Guide.objects.filter(**filters).update(cache_version=F("cache_version") + 1)


def bump_companies(**filters):
    """Raise these companies' versions, and their guides': a guide's own version then changes
    whenever anything on its page does, so that the page kept for a new reader is checked on
    the guide's row alone (page_cache.kept_guide_state), one table instead of three."""
    with transaction.atomic():
        Company.objects.filter(**filters).update(cache_version=F("cache_version") + 1)
        bump_guides(company__in=Company.objects.filter(**filters).values("pk"))


@receiver([post_save, post_delete], sender=Guide)
def guide_changed(sender, instance, **kwargs):
    bump_guides(pk=instance.pk)
    # Its siblings list it among related guides and translations.
    bump_companies(pk=instance.company_id)


@receiver([post_save, post_delete], sender=Company)
def company_changed(sender, instance, **kwargs):
    bump_companies(pk=instance.pk)


@receiver([post_save, post_delete], sender=Step)
@receiver([post_save, post_delete], sender=Section)
def guide_part_changed(sender, instance, **kwargs):
    bump_guides(pk=instance.guide_id)


@receiver(post_save, sender=Tag)
def tag_changed(sender, instance, **kwargs):
    bump_guides(tags=instance)


@receiver(m2m_changed, sender=Guide.tags.through)
def guide_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # tag.guides.add(...): instance is the tag
        bump_guides(pk__in=pk_set or [])
    else:
        bump_guides(pk=instance.pk)
