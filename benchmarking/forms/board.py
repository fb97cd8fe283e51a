"""The EUCLES board's batch form: one date and meeting, a decision per recommendation.

The rules are in services/board.py; the form only reads the input.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from benchmarking.limits import REASON_MAX_LENGTH
from benchmarking.rules.board import MEETING_MAX_LENGTH, Decision

APPROVE, DECLINE = "approve", "decline"


class BoardBatchForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Decision date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date of the board's decision.")},
    )
    meeting = forms.CharField(
        label=_("Board meeting"),
        max_length=MEETING_MAX_LENGTH,
        help_text=_("Its name or reference, for example “Board meeting 2026-11”."),
        error_messages={"required": _("Name the board meeting (its name or reference).")},
    )

    def __init__(self, *args, recommendations=(), **kwargs):
        self.recommendations = list(recommendations)
        super().__init__(*args, **kwargs)
        for recommendation in self.recommendations:
            self.fields[f"decision_{recommendation.pk}"] = forms.ChoiceField(
                label=_("Decision"),
                choices=[("", _("Not now")), (APPROVE, _("Approve")), (DECLINE, _("Decline"))],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{recommendation.pk}"] = forms.CharField(
                label=_("Note (required to decline)"),
                required=False,
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def rows(self):
        """Each recommendation with its two fields, for the template."""
        return [(r, self[f"decision_{r.pk}"], self[f"note_{r.pk}"]) for r in self.recommendations]

    @property
    def decisions(self) -> list[Decision]:
        return [
            Decision(r, self.cleaned_data[f"decision_{r.pk}"] == APPROVE, self.cleaned_data[f"note_{r.pk}"])
            for r in self.recommendations
            if self.cleaned_data.get(f"decision_{r.pk}")
        ]

    def add_refusals(self, *, meeting: dict[str, str], lines: dict[int, str]) -> None:
        """The service's refusals next to the fields they concern."""
        for field, message in meeting.items():
            self.add_error(field if field in self.fields else None, message)
        for pk, message in lines.items():
            self.add_error(f"decision_{pk}", message)


class BoardDecisionUndoForm(forms.Form):
    """The secretariat's reason for undoing a decision of the board (services/board.py decides)."""

    reason = forms.CharField(
        label=_("Why is the decision undone?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the recommendation and, for an approval, as the reason the label is withdrawn."),
        error_messages={"required": _("Say why the decision is undone: the reason is kept with the recommendation.")},
    )
