from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "guides_site.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self):
        from guides_site.dashboard.panels import register

        from . import signals  # noqa: F401 (connects the receivers)
        from .reach import unreachable_channels_panel

        register(unreachable_channels_panel)
