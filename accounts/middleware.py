from django.utils import translation

from accounts.language import SESSION_KEY, supported


class SessionLanguageMiddleware:
    """After LocaleMiddleware: the language chosen in this session wins over cookie and browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = supported(request.session.get(SESSION_KEY))
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)
