"""Forms for labels: verification and status changes. The Silver audit and the Gold assessment
are in forms/silver_gold.py."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms

from benchmarking.limits import REASON_MAX_LENGTH
from benchmarking.selectors.labels import normalise_code


def form_helper(form, *fields, submit: str, css_class: str = "btn-primary", method: str = "post") -> FormHelper:
    helper = FormHelper(form)
    helper.form_method = method
    helper.layout = Layout(*fields)
    helper.add_input(Submit("submit", submit, css_class=css_class))
    return helper


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Label code",
        max_length=40,
        help_text="As printed on the certificate, for example MEX001201605B. Case and spaces do not matter.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(self, Field("code", autocomplete="off"), submit="Verify", method="get")
        self.helper.form_tag = True

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError("Enter a label code.")
        return code


class LabelStatusForm(forms.Form):
    """The reason for suspending, reinstating or withdrawing a label."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=f"Shown in the label's history. At most {REASON_MAX_LENGTH} characters.",
    )

    def __init__(self, *args, submit: str = "Confirm", css_class: str = "btn-primary", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(self, Field("reason"), submit=submit, css_class=css_class)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason.")
        return reason
