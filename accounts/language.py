"""The reader's language: one place that decides it for pages and for e-mails.

Precedence on a page: the language chosen in this session (the switch, or the profile's
preference copied in at login), then the language cookie, then the browser's
Accept-Language (Django's LocaleMiddleware does the last two).
"""

from django.conf import settings
from django.utils import translation

SESSION_KEY = "ecei_language"


def supported(code: str | None) -> str | None:
    """The site's language for `code` ("de-AT" gives "de"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def preferred_language(user) -> str:
    """The language to write to `user` in (e-mails): their preference, else the site's default."""
    profile = getattr(user, "profile", None) if user is not None else None
    return supported(profile.language if profile else None) or settings.LANGUAGE_CODE


def address_language(address: str, default: str | None = None) -> str:
    """The language to write to a bare e-mail address: that of the active user who has it
    (a cluster's contact address is often a manager's), else `default`, else the site's default."""
    from django.contrib.auth import get_user_model

    user = (
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True)
        .select_related("profile")
        .order_by("pk")
        .first()
    )
    if user is None and supported(default):
        return supported(default)
    return preferred_language(user)


def remember(request, code: str) -> None:
    """Keep the choice for the session and, for a logged-in user, as their preference."""
    request.session[SESSION_KEY] = code
    if request.user.is_authenticated:
        from accounts.models import Profile

        Profile.objects.update_or_create(user=request.user, defaults={"language": code})
