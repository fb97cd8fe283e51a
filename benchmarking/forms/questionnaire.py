"""Forms of the questionnaire in advance (issue 16): the invitation, and the manager's account."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.language import supported


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("The manager's e-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = supported(get_language()) or settings.LANGUAGE_CODE
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ManagerAccountForm(forms.Form):
    """A new account from an invitation: the e-mail (and user name) is the invitation's."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )  # fmt: skip
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if get_user_model().objects.filter(username__iexact=self.email).exists() or get_user_model().objects.filter(
            email__iexact=self.email
        ).exists():
            raise forms.ValidationError(_("An account with this e-mail address exists already: log in instead."))
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(
                username=self.email, email=self.email, first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )  # fmt: skip
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
