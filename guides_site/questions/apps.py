from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "guides_site.questions"
    label = "questions"
    verbose_name = _("Readers' questions")

    def ready(self):
        from . import dashboard, signals  # noqa: F401 (register the panel, connect receivers)

        post_migrate.connect(_schedule_purge, sender=self)


def _schedule_purge(using, **kwargs):
    # Every deploy migrates: the daily purge is queued then if it is not waiting already.
    from .tasks import schedule_purge

    schedule_purge(using=using)
