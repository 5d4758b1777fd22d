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
