from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation

from . import page_cache, views


class AdminLanguageMiddleware:
    """Let the admin follow the editor's chosen language.

    With English pages unprefixed (prefix_default_language=False), LocaleMiddleware treats
    every unprefixed path, /admin/ included, as English. Editors choose their language with
    the language cookie (or their browser's Accept-Language) instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Say that no page needs the camera, the microphone, location, payment or USB."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class FirstVisitMiddleware:
    """Serve a guide page to a reader without any cookie ahead of the rest of the middleware.

    Most readers arrive from a search, with no cookie, and every such reader gets the same
    guide page but for a new CSRF token. Past WhiteNoise, the rest of the middleware costs as
    much as serving that cached page (bench/README.md). So, placed right after WhiteNoise,
    this serves the page, with its headers, as the whole stack gave it to the previous such
    reader at this address, with this reader's view count and CSRF token filled in, and lets
    CsrfViewMiddleware give the reader a CSRF cookie. Any other request, or a guide changed
    or voted on since, goes through the whole stack, and the page it gives a reader without
    cookies is kept. This holds only while nothing else in that page or its headers differs
    between such readers: a CSP nonce, say, would have to be filled in here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not _is_first_visit(request):
            return self.get_response(request)
        request.get_host()  # a Host this site doesn't serve is refused here as anywhere
        kept = page_cache.first_visit_page(request, release=views.RELEASE)
        if kept:
            response = views.first_visit_guide_page(request, kept)
            if response:
                return self.csrf.process_response(request, response)
        response = self.get_response(request)
        page = getattr(response, "first_visit_page", None)
        if page and response.status_code == 200:
            page_cache.keep_first_visit_page(request, response, **page, release=views.RELEASE)
        return response


def _is_first_visit(request):
    """A plain GET from a reader without cookies: not from htmx, not conditional."""
    return (
        request.method == "GET"
        and not request.COOKIES
        and not request.META.get("QUERY_STRING")
        and "HTTP_HX_REQUEST" not in request.META
        and "HTTP_IF_NONE_MATCH" not in request.META
        and "HTTP_IF_MODIFIED_SINCE" not in request.META
    )
