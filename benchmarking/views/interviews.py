"""Interview capture (issue 3): thin views over services.interviews and selectors.interviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity.selectors import interview_timeline
from activity.views import timeline_for
from benchmarking.forms.interviews import InterviewDateForm, InterviewStepForm, StepVersionForm
from benchmarking.models import Expert
from benchmarking.selectors.catalogues import catalogue_periods, period_of
from benchmarking.selectors.interview_history import interview_history
from benchmarking.selectors.interviews import (
    can_edit,
    expert_interview_page,
    get_interview_for_user,
    interview_sheet,
    interview_summary,
)
from benchmarking.selectors.questionnaire import (
    live_invitation,
    proposals_by_indicator,
    shown_proposals,
    with_proposals,
)
from benchmarking.services.interviews import (
    IncompleteInterviewError,
    InterviewError,
    NotEditableError,
    StaleVersionError,
    interview_save_step,
    interview_submit,
)


def expert_of(user) -> Expert:
    """Only accredited experts capture interviews; everyone else is refused."""
    expert = getattr(user, "expert", None)
    if expert is None:
        raise PermissionDenied(_("Only benchmarking experts can capture interviews."))
    return expert


def step_url(interview, code: str) -> str:
    return reverse("benchmarking:interview_step", kwargs={"pk": interview.pk, "code": code})


@login_required
@require_GET
def interview_list(request):
    page = expert_interview_page(expert_of(request.user), request.GET.get("page"))
    return render(request, "benchmarking/interviews/list.html", {"interviews": page.object_list, "page": page})


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
            return redirect(step_url(interview, next_category.code))
        return redirect(interview.get_absolute_url())
    return redirect(step_url(interview, category.code))


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
@require_GET
def interview_history_view(request, pk):
    interview = get_interview_for_user(request.user, pk)
    context = {"interview": interview, "changes": interview_history(interview)}
    return render(request, "benchmarking/interviews/history.html", context)
