from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """A user's preferences that outlive a session: the language of the site and of e-mails."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the site and of e-mails. Empty: the browser's language."),
    )

    class Meta:
        verbose_name = _("profile")

    def __str__(self):
        return str(self.user)
