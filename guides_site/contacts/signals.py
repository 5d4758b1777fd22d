"""A change to a company's channels or translations changes its pages (guides/signals.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from guides_site.guides.models import CompanyTranslation
from guides_site.guides.signals import bump_companies

from .models import ContactChannel


@receiver([post_save, post_delete], sender=ContactChannel)
@receiver([post_save, post_delete], sender=CompanyTranslation)
def company_part_changed(sender, instance, **kwargs):
    bump_companies(pk=instance.company_id)
