from django.conf import settings
from django.utils import translation


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
