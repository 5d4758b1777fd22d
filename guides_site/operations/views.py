"""Error pages: a refusal that sets no cookie, and a 503 rather than a 500 while the database
is unreachable."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils import translation
from django.utils.log import log_response
from django.views import defaults

# How long a reader (or a crawler) is asked to wait while the database is unreachable.
RETRY_AFTER_SECONDS = 30


def error_page(request, template_name, status):
    """An error page in the page's language, without a CSRF token.

    The page has no form, and a token in it would make CSRF protection send a cookie with a
    refusal. The language comes from the address when the error came before LocaleMiddleware.
    """
    language = (
        getattr(request, "LANGUAGE_CODE", None)
        or translation.get_language_from_path(request.path_info)
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        return render(request, template_name, {"csrf_token": ""}, status=status)


def bad_request(request, exception):
    """handler400. Django's own runs CSRF protection again: it sets a cookie, and on a body
    CSRF protection could not read it fails again, with a 500."""
    return error_page(request, "400.html", 400)


def server_error(request):
    """handler500: while the database is unreachable, a 503 that says so, logged as one line;
    anything else keeps the plain 500 page."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    response = error_page(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Logged here, without the traceback, and marked so that Django does not log it again.
    log_response(
        "%s (database: %s): %s",
        response.reason_phrase,
        " ".join(str(error).split()),
        request.path,
        response=response,
        request=request,
    )
    return response
