"""The timeline on the secretariat's pages: a helper that the cluster, interview and label views call."""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from activity.actions import action_choices
from activity.selectors import Entry, timeline_page
from benchmarking.permissions import is_secretariat

PAGE_PARAMETER = "timeline_page"


class TimelineFilterForm(forms.Form):
    """The timeline's one filter: an action, or all (GET)."""

    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]


@dataclass(frozen=True)
class Timeline:
    form: TimelineFilterForm
    page: Page
    entries: list[Entry]
    action: str
    page_parameter: str = PAGE_PARAMETER


def timeline_for(request, queryset: QuerySet) -> Timeline | None:
    """The page of `queryset` that the request asks for; None for anyone outside the secretariat.

    An unknown action in the address is said in the form and the whole timeline is shown.
    """
    if not is_secretariat(request.user):
        return None
    form = TimelineFilterForm(request.GET if "action" in request.GET else None)
    action = form.cleaned_data["action"] if form.is_bound and form.is_valid() else ""
    page, entries = timeline_page(queryset, action=action, number=request.GET.get(PAGE_PARAMETER))
    return Timeline(form, page, entries, action)
