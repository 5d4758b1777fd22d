from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "guides_site.dashboard"
    label = "dashboard"
    verbose_name = _("Editors' home")

    def ready(self):
        from django.contrib import admin

        # The admin's home page shows what needs editors first, then Django's list of models.
        admin.site.index_template = "dashboard/index.html"
