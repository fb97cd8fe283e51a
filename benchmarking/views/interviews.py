"""Interview capture (issue 3): thin views over services.interviews and selectors.interviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity.selectors import interview_timeline
from activity.views import timeline_for
from benchmarking.forms.interviews import InterviewDateForm, InterviewStartForm, InterviewStepForm, StepVersionForm
from benchmarking.models import Catalogue, Expert
from benchmarking.selectors.catalogues import catalogue_periods, period_of
from benchmarking.selectors.interviews import (
    can_edit,
    expert_interview_page,
    get_interview_for_user,
    interview_history,
    interview_sheet,
    interview_summary,
)
from benchmarking.selectors.questionnaire import (
    live_invitation,
    proposals_by_indicator,
    shown_proposals,
    with_proposals,
)
from benchmarking.services.interview_start import OpenInterviewExists, interview_date_change, interview_start
from benchmarking.services.interviews import (
    IncompleteInterviewError,
    InterviewError,
    NotEditableError,
    StaleVersionError,
    interview_save_step,
    interview_submit,
)
from clusters.models import Cluster

CLUSTER_SEARCH_LIMIT = 20


def _expert_of(user) -> Expert:
    """Only accredited experts capture interviews; everyone else is refused."""
    expert = getattr(user, "expert", None)
    if expert is None:
        raise PermissionDenied(_("Only benchmarking experts can capture interviews."))
    return expert


def _step_url(interview, code: str) -> str:
    return reverse("benchmarking:interview_step", kwargs={"pk": interview.pk, "code": code})


@login_required
@require_GET
def interview_list(request):
    page = expert_interview_page(_expert_of(request.user), request.GET.get("page"))
    return render(request, "benchmarking/interviews/list.html", {"interviews": page.object_list, "page": page})


def _search_clusters(text: str):
    text = text.strip()
    if not text:
        return Cluster.objects.none()
    return Cluster.objects.search(text).order_by("name")[:CLUSTER_SEARCH_LIMIT]


@login_required
@require_GET
def cluster_search(request):
    """The autocomplete's source: at most 20 clusters whose name contains `q`."""
    _expert_of(request.user)
    clusters = _search_clusters(request.GET.get("q", "")[:100])
    results = [{"id": c.pk, "name": c.name, "country": c.country.name, "region": c.region} for c in clusters]
    return JsonResponse({"results": results})


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request):
    expert = _expert_of(request.user)
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
            return redirect(_step_url(interview, interview.catalogue.categories.first().code))
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


def _render_step(request, sheet, category, step, *, status=200, **extra):
    # The manager's proposals beside the fields (issue 16); the forms themselves are unchanged.
    shown = shown_proposals(step, proposals_by_indicator(sheet.interview))
    context = {
        "step_rows": [(form, shown.get(form.indicator.code)) for form in step.forms],
        "has_proposals": bool(shown),
        "interview": sheet.interview,
        "sheet": sheet,
        "category": category,
        "step": step,
        "progress": sheet.progress,
        "editable": can_edit(request.user, sheet.interview),
        "next_category": sheet.next_category(category),
        **extra,
    }
    return render(request, "benchmarking/interviews/step.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def interview_step(request, pk, code):
    interview = get_interview_for_user(request.user, pk)
    sheet = interview_sheet(interview)
    category = sheet.category(code)
    if request.method == "GET":
        step = InterviewStepForm(sheet=sheet, category=category, read_only=not can_edit(request.user, interview))
        return _render_step(request, sheet, category, step)
    if not can_edit(request.user, interview):
        raise PermissionDenied(_("This interview is read-only for you."))
    return _save_step(request, sheet, category)


def _save_step(request, sheet, category):
    interview = sheet.interview
    step = InterviewStepForm(request.POST, sheet=sheet, category=category)
    if step.expected_version is None:
        step.show_version(interview.version, sheet.answers)
        return _render_step(
            request,
            sheet,
            category,
            step,
            status=400,
            failure="The page did not say which version it was editing; nothing was saved.",
        )
    step.validate()
    try:
        new_version = interview_save_step(
            interview=interview,
            expected_version=step.expected_version,
            values=step.saveable_values(),
            user=request.user,
        )
    except StaleVersionError as exc:
        # The refused input stays on the page; it now carries the current version, so that
        # saving again deliberately applies it over the other save.
        step.show_saved_answers()
        step.show_version(exc.current, sheet.answers)
        return _render_step(request, sheet, category, step, status=409, conflict=exc)
    except NotEditableError as exc:
        raise PermissionDenied(str(exc)) from exc
    if step.problems:
        sheet = interview_sheet(interview)  # progress now includes what was just saved
        step.show_version(new_version, sheet.answers)
        return _render_step(request, sheet, category, step, partly_saved=True)
    messages.success(request, _("Saved %(category)s.") % {"category": f"{category.code}. {category.title}"})
    next_category = sheet.next_category(category)
    if "continue" in request.POST:
        if next_category:
            return redirect(_step_url(interview, next_category.code))
        return redirect(interview.get_absolute_url())
    return redirect(_step_url(interview, category.code))


@login_required
@require_GET
def interview_detail(request, pk):
    """The summary: every answer by category, what is missing, and the submit button."""
    interview = get_interview_for_user(request.user, pk)
    sheet = interview_sheet(interview)
    summary = interview_summary(sheet)
    periods = catalogue_periods()
    context = {
        "interview": interview,
        "sheet": sheet,
        "summary": summary,
        "proposals": with_proposals(summary, interview),
        "progress": sheet.progress,
        "editable": can_edit(request.user, interview),
        "version_form": StepVersionForm(initial={"version": interview.version}),
        "date_form": InterviewDateForm(initial={"date": interview.date, "version": interview.version}),
        "catalogue_period": period_of(interview.catalogue, periods),
        "invitation": live_invitation(interview),
        "timeline": timeline_for(request, interview_timeline(interview)),
    }
    return render(request, "benchmarking/interviews/detail.html", context)


@login_required
@require_POST
def interview_submit_view(request, pk):
    interview = get_interview_for_user(request.user, pk)
    if not can_edit(request.user, interview):
        raise PermissionDenied(_("This interview is read-only for you."))
    version_form = StepVersionForm(request.POST)
    if not version_form.is_valid():
        messages.error(request, _("The page did not say which version it was submitting; reload it and try again."))
        return redirect(interview.get_absolute_url())
    try:
        interview_submit(interview=interview, expected_version=version_form.cleaned_data["version"], user=request.user)
    except IncompleteInterviewError as exc:
        messages.error(request, str(exc))
    except StaleVersionError:
        messages.error(
            request,
            _(
                "Not submitted: the interview was changed in another tab or by another person "
                "since you opened the summary. Check the answers below and submit again."
            ),
        )
    except InterviewError as exc:  # not editable, or planned for a later day
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Submitted to the secretariat for review. Thank you."))
    return redirect(interview.get_absolute_url())


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


@login_required
@require_GET
def interview_history_view(request, pk):
    interview = get_interview_for_user(request.user, pk)
    context = {"interview": interview, "changes": interview_history(interview)}
    return render(request, "benchmarking/interviews/history.html", context)
