"""Starting an interview and moving it to another date: thin views over services/interview_start.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benchmarking.forms.interviews import InterviewDateForm, InterviewStartForm
from benchmarking.models import Catalogue
from benchmarking.selectors.catalogues import catalogue_periods
from benchmarking.selectors.interviews import (
    can_edit,
    get_interview_for_user,
)
from benchmarking.services.interview_start import OpenInterviewExists, interview_date_change, interview_start
from benchmarking.services.interviews import (
    InterviewError,
    StaleVersionError,
)
from benchmarking.views.interviews import expert_of, step_url
from clusters.models import Cluster

CLUSTER_SEARCH_LIMIT = 20


def _search_clusters(text: str):
    text = text.strip()
    if not text:
        return Cluster.objects.none()
    return Cluster.objects.search(text).order_by("name")[:CLUSTER_SEARCH_LIMIT]


@login_required
@require_GET
def cluster_search(request):
    """The autocomplete's source: at most 20 clusters whose name contains `q`."""
    expert_of(request.user)
    clusters = _search_clusters(request.GET.get("q", "")[:100])
    results = [{"id": c.pk, "name": c.name, "country": c.country.name, "region": c.region} for c in clusters]
    return JsonResponse({"results": results})


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request):
    expert = expert_of(request.user)
    query = (request.POST.get("q") or request.GET.get("q") or "")[:100]
    # Without JavaScript the search is a plain GET; its results become radio buttons.
    choices = list(_search_clusters(query)) if query else None
    form = InterviewStartForm(request.POST or None, cluster_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_start(expert=expert, user=request.user, **form.cleaned_data)
        except OpenInterviewExists as exc:
            messages.info(request, str(exc))
            return redirect(exc.interview.get_absolute_url())
        except InterviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Interview with %(cluster)s started on catalogue v%(version)s, in force on %(date)s.")
                % {
                    "cluster": interview.cluster,
                    "version": interview.catalogue.version,
                    "date": date_format(interview.date),
                },
            )
            return redirect(step_url(interview, interview.catalogue.categories.first().code))
    chosen = form["cluster"].value()
    chosen_cluster = Cluster.objects.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    context = {
        "form": form,
        "query": query,
        "choices": choices,
        "chosen_cluster": chosen_cluster,
        "catalogue_periods": catalogue_periods(),
        **_catalogue_in_force(form),
    }
    return render(request, "benchmarking/interviews/new.html", context)


def _catalogue_in_force(form) -> dict:
    """The catalogue an interview on the form's date would use (the start page says it)."""
    day = form.fields["date"].initial
    if form.is_bound:
        try:
            day = form.fields["date"].clean(form["date"].value())
        except ValidationError:
            return {}
    return {"in_force_day": day, "in_force": Catalogue.objects.in_force_on(day)}


@login_required
@require_POST
def interview_date_view(request, pk):
    """Move an open interview to another date; its catalogue follows the date (or the change is refused)."""
    interview = get_interview_for_user(request.user, pk)
    if not can_edit(request.user, interview):
        raise PermissionDenied(_("This interview is read-only for you."))
    form = InterviewDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(interview.get_absolute_url())
    before = interview.catalogue.version
    try:
        interview = interview_date_change(
            interview=interview, date=form.cleaned_data["date"], expected_version=form.cleaned_data["version"],
            user=request.user,
        )  # fmt: skip
    except StaleVersionError:
        messages.error(
            request,
            _(
                "Not changed: the interview was changed in another tab or by another person. "
                "Check the date and try again."
            ),
        )
    except InterviewError as exc:
        messages.error(request, str(exc))
    else:
        text = _("The interview date is now %(date)s; the interview uses catalogue v%(version)s.")
        if interview.catalogue.version != before:
            text = _(
                "The interview date is now %(date)s; the interview now uses catalogue v%(version)s, "
                "in force on that day."
            )
        messages.success(request, text % {"date": date_format(interview.date), "version": interview.catalogue.version})
    return redirect(interview.get_absolute_url())
