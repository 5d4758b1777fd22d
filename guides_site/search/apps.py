from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "guides_site.search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from guides_site.dashboard.panels import register

        from . import signals  # noqa: F401
        from .dashboard import missed_searches_panel
        from .postgres import set_name_threshold

        register(missed_searches_panel)
        connection_created.connect(set_name_threshold)
