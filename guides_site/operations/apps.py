from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Health probes, error pages and logs: what keeps the site readable when it is in trouble."""

    name = "guides_site.operations"
