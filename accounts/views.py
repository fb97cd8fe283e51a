from axes.helpers import get_client_ip_address
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.views.i18n import set_language as django_set_language

from accounts.language import remember, supported
from accounts.throttle import password_reset_allowed


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


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, throttled per address and per client (accounts.throttle). Over
    the limit the form is answered like any other, with the same neutral page, and no e-mail."""

    def form_valid(self, form):
        client = get_client_ip_address(self.request)
        if not password_reset_allowed(email=form.cleaned_data["email"], client=client):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
