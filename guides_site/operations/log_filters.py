import logging


class RefusalsInOneLine(logging.Filter):
    """Log an expected refusal as its one line, without the traceback.

    Django logs every SuspiciousOperation (a wrong Host, an oversized body, a forged admin
    lookup) to a django.security.* logger, and a 4xx that came from an exception (BadRequest,
    PermissionDenied) with that exception: the client's doing, and a traceback says nothing a
    reader of the log needs. On a handler, because a filter on the django.security logger would
    not see its children's records.
    """

    def filter(self, record):
        refusal = record.name.startswith("django.security") or (
            getattr(record, "status_code", 500) < 500
        )
        if refusal:
            record.exc_info = record.exc_text = None
        return True
