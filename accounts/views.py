from django.http import HttpResponseNotAllowed
from django.views.i18n import set_language as django_set_language

from accounts.language import remember, supported


def set_language(request):
    """The language switch: Django's set_language (cookie, safe redirect), plus the session
    and, for a logged-in user, the profile preference. Works without JavaScript."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    response = django_set_language(request)
    code = supported(request.POST.get("language"))
    if code and code == request.POST.get("language"):
        remember(request, code)
    return response
