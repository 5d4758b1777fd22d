from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "guides_site.guides"
    label = "guides"
    verbose_name = _("Guides")

    def ready(self):
        from . import dashboard, signals  # noqa: F401 (register the panels, connect receivers)
