"""The credential verification form: a pasted credential or an uploaded file, one of the two."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opendata.credentials import MAX_CREDENTIAL_CHARS


class CredentialForm(forms.Form):
    credential = forms.CharField(
        label=_("Credential"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off", "class": "font-monospace"}
        ),
        help_text=_("Paste the credential (a long text of three parts separated by dots, starting with eyJ)."),
    )
    upload = forms.FileField(
        label=_("Or upload the credential file"),
        required=False,
        help_text=_("The .jwt file downloaded from the label's page."),
    )

    def clean(self):
        data = super().clean()
        text = (data.get("credential") or "").strip()
        upload = data.get("upload")
        if upload and not text:
            if upload.size > MAX_CREDENTIAL_CHARS:
                self.add_error("upload", _("This file is too large to be a credential."))
                return data
            try:
                text = upload.read().decode("utf-8").strip()
            except UnicodeDecodeError:
                self.add_error("upload", _("This file is not a credential: it is not text."))
                return data
        if not text:
            self.add_error("credential", _("Paste a credential or choose its file."))
        elif len(text) > MAX_CREDENTIAL_CHARS:
            self.add_error("credential", _("This text is too long to be a credential."))
        data["text"] = text
        return data
