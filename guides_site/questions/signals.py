from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from guides_site.guides.models import Guide
from guides_site.guides.signals import bump_guides

from .models import Question


@receiver(post_save, sender=Question)
def question_saved(sender, instance, created, **kwargs):
    # A reader's new question shows on no page until an editor publishes it.
    if not (created and instance.status == Question.Status.PENDING):
        bump_guides(pk=instance.guide_id)
    Guide.objects.filter(pk=instance.guide_id).refresh_ranking()  # questions waiting


@receiver(post_delete, sender=Question)
def question_deleted(sender, instance, **kwargs):
    bump_guides(pk=instance.guide_id)
    Guide.objects.filter(pk=instance.guide_id).refresh_ranking()
