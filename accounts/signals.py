from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.language import SESSION_KEY, supported


@receiver(user_logged_in)
def apply_language_preference(sender, request, user, **kwargs):
    """At login the user's saved language replaces whatever the browser chose."""
    from accounts.models import Profile

    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    code = supported(language)
    if code and request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = code
