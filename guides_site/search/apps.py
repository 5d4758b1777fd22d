from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "guides_site.search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from guides_site.dashboard.panels import register

        from . import signals  # noqa: F401
        from .dashboard import missed_searches_panel

        register(missed_searches_panel)
