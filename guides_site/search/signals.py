"""The index follows every change to what it holds: guides, their steps, sections and tags,
and company names. Bulk updates (queryset.update) send no signal; the status filter at search
time keeps an unpublished guide out whatever the index holds."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from guides_site.guides.models import Company, CompanyTranslation, Guide, Section, Step, Tag

from . import index


@receiver(post_save, sender=Guide)
def guide_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.guides_changed([instance.pk])


@receiver(post_delete, sender=Guide)
def guide_deleted(sender, instance, **kwargs):
    index.reindex([instance.pk])  # its row is gone: this removes its entry


@receiver([post_save, post_delete], sender=Step)
@receiver([post_save, post_delete], sender=Section)
def guide_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        index.guides_changed([instance.guide_id])


@receiver(m2m_changed, sender=Guide.tags.through)
def guide_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        index.guides_changed(pk_set or [] if reverse else [instance.pk])


@receiver(post_save, sender=Tag)
def tag_saved(sender, instance, **kwargs):
    index.guides_changed(instance.guides.values_list("pk", flat=True))


@receiver(post_save, sender=Company)
def company_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.companies_changed([instance.pk])
        index.guides_changed(instance.guides.values_list("pk", flat=True))


@receiver([post_save, post_delete], sender=CompanyTranslation)
def company_translation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        index.companies_changed([instance.company_id])
        index.guides_changed(instance.company.guides.values_list("pk", flat=True))


@receiver(post_delete, sender=Company)
def company_deleted(sender, instance, **kwargs):
    index.engine().write_company_names([instance.pk], [])
