from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Health probes, error pages and logs: what keeps the site readable when it is in trouble."""

    name = "guides_site.operations"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from .connections import check_idle_connections, note_request_finished

        request_started.connect(check_idle_connections, dispatch_uid="check_idle_connections")
        request_finished.connect(note_request_finished, dispatch_uid="note_request_finished")
