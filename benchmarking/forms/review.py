"""Forms of the secretariat's decisions on an interview. The rules are in services/review.py."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.limits import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH
from clusters.models import EligibilityWaiver
from clusters.validators import HTTP_SCHEMES


class DecisionForm(forms.Form):
    """Carries the version the reviewer saw: a decision on a changed interview is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    submit_label = "Confirm"
    submit_class = "btn-primary"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_fields()
        self.helper = FormHelper(self)
        self.helper.layout = Layout(*self.layout_fields(), Field("version"))
        self.helper.add_input(Submit("confirm", self.submit_label, css_class=self.submit_class))

    def add_fields(self):
        """Fields that depend on the interview, in subclasses."""

    def layout_fields(self):
        return [Field(name) for name in self.fields if name != "version"]


class ApproveForm(DecisionForm):
    submit_label = _("Approve and recommend the label")
    submit_class = "btn-success"


class ReasonForm(DecisionForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        help_text=f"Kept in the interview's history; the expert is told. At most {REASON_MAX_LENGTH} characters.",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason.")
        return reason


class RejectForm(ReasonForm):
    submit_label = "Reject the interview"
    submit_class = "btn-danger"


class ReopenForm(ReasonForm):
    submit_label = "Reopen the interview"
    submit_class = "btn-warning"


class ReturnForm(DecisionForm):
    """A general comment, and an optional comment per indicator (fields named by its code)."""

    comment = forms.CharField(
        label="General comment for the expert",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=COMMENT_MAX_LENGTH,
        help_text="What the expert should check or complete before submitting again.",
        error_messages={"required": "Write a comment for the expert."},
    )
    submit_label = "Return to the expert"
    submit_class = "btn-warning"

    def __init__(self, *args, rows=(), **kwargs):
        """`rows`: the review summary, (category, [SummaryRow, ...]) pairs, for the per-indicator fields."""
        self.rows = list(rows)
        super().__init__(*args, **kwargs)

    def add_fields(self):
        for _category, category_rows in self.rows:
            for row in category_rows:
                code = row.indicator.code
                self.fields[f"on_{code}"] = forms.CharField(
                    label=f"{code} {row.indicator.wording}",
                    required=False,
                    max_length=COMMENT_MAX_LENGTH,
                    widget=forms.Textarea(
                        attrs={"rows": 1, "class": "form-control form-control-sm", "placeholder": "Comment on " + code}
                    ),
                    help_text=f"Answer: {row.display or '(none)'}",
                    initial=row.answer.review_comment if row.answer else "",
                )

    def layout_fields(self):
        fieldsets = [
            Fieldset(f"{category.code}. {category.title}", *[Field(f"on_{row.indicator.code}") for row in rows])
            for category, rows in self.rows
        ]
        return [Field("comment"), *fieldsets]

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("Write a comment for the expert.")
        return comment

    @property
    def answer_comments(self) -> dict[str, str]:
        return {name.removeprefix("on_"): value for name, value in self.cleaned_data.items() if name.startswith("on_")}


class EligibilityFactsForm(forms.Form):
    """The cluster's eligibility facts the reviewer records (services/eligibility.py)."""

    eccp_profile_url = forms.URLField(
        label=_("ECCP profile URL"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("The cluster's profile on the European Cluster Collaboration Platform (http or https)."),
    )
    eccp_validated_on = forms.DateField(
        label=_("ECCP validation date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    eligibility_waiver = forms.ChoiceField(
        label=_("Or: criteria waived because"), required=False, choices=EligibilityWaiver.choices
    )
    eligibility_waiver_note = forms.CharField(
        label=_("Waiver details"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the programme that recognises the cluster."),
    )
    english_website_checked_on = forms.DateField(
        label=_("English website showing activity, checked on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    public_collaboration = forms.CharField(
        label=_("Visible collaboration with public bodies"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where it can be seen; needed when no public body is a member."),
    )
    # The cluster's updated_at as the page showed it: a change made meanwhile is not overwritten.
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_eccp_profile_url(self):
        url = self.cleaned_data["eccp_profile_url"].strip()
        if url and url.split(":", 1)[0].lower() not in HTTP_SCHEMES:
            raise forms.ValidationError(_("Enter a web address that starts with http:// or https://."))
        return url

    def clean_stamp(self):
        stamp = self.cleaned_data["stamp"]
        try:
            return datetime.datetime.fromisoformat(stamp) if stamp else None
        except ValueError:
            raise forms.ValidationError(_("Reload the page and try again.")) from None
