from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation

from . import guide_page


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


class GuidePageMiddleware:
    """Serve a guide page to a reader without cookies, or with only the CSRF cookie and their
    visitor id, ahead of the rest of the middleware.

    Most readers arrive from a search, with no cookie, and every such reader gets the same
    guide page but for a new CSRF token; a returning reader differs only in their CSRF secret,
    visitor id and vote. Past WhiteNoise, the rest of the middleware costs as much as serving
    that cached page (bench/README.md). So, placed right after WhiteNoise, this serves the
    page, with the headers the whole stack gave the last new reader at this address, with this
    reader's vote box, view count and CSRF token filled in (guide_page.kept_response), and
    lets CsrfViewMiddleware read and set the reader's CSRF cookie as it does for every page.
    Any other request, or a guide changed or voted on since, goes through the whole stack, and
    the page it gives a reader without cookies is kept. This holds only while nothing else in
    that page or its headers differs between such readers: a CSP nonce, say, would have to be
    filled in here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if not guide_page.may_be_kept(request):
            return self.get_response(request)
        request.get_host()  # a Host this site doesn't serve is refused here as anywhere
        if request.COOKIES:
            self.csrf.process_request(request)
        response = guide_page.kept_response(request)
        if response is not None:
            return self.csrf.process_response(request, response)
        response = self.get_response(request)
        guide_page.keep(request, response)
        return response
