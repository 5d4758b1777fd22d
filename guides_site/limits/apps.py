from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    name = "guides_site.limits"
    verbose_name = _("Limits")
