"""The questionnaire in advance (issue 16): thin views over services.questionnaire and
selectors.questionnaire. The expert invites; the manager, through the link, proposes."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.usernames import username_for_email
from benchmarking.documents.questionnaire_print import questionnaire_context, questionnaire_pdf
from benchmarking.forms.interviews import InterviewStepForm
from benchmarking.forms.questionnaire import InvitationForm, ManagerAccountForm
from benchmarking.permissions import is_own_interview
from benchmarking.selectors.interviews import get_interview_for_user, interview_summary
from benchmarking.selectors.questionnaire import (
    get_invitation_for_manager,
    get_questionnaire_interview_for_user,
    live_invitation,
    proposal_sheet,
)
from benchmarking.services.interviews import NotEditableError, StaleVersionError
from benchmarking.services.questionnaire import (
    QuestionnaireError,
    invitation_accept,
    invitation_addressee_refusal,
    invitation_for_token,
    invitation_link_refusal,
    invitation_refusal,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    manager_account_create,
    manager_may_edit,
    proposals_save_step,
    questionnaire_mark_ready,
)

# --- The expert: invite, resend, revoke ---------------------------------------------------------


def _invitation_url(interview) -> str:
    return reverse("benchmarking:interview_invitation", kwargs={"pk": interview.pk})


@login_required
@require_http_methods(["GET", "POST"])
def interview_invitation(request, pk):
    interview = get_interview_for_user(request.user, pk)
    invitation = live_invitation(interview)
    refusal = invitation_refusal(interview=interview, user=request.user)
    form = InvitationForm(request.POST or None, initial={"email": interview.cluster.contact_email})
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if form.is_valid():
            try:
                invitation_send(interview=interview, user=request.user, **form.cleaned_data)
            except QuestionnaireError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect(_invitation_url(interview))
    context = {"interview": interview, "invitation": invitation, "form": form, "refusal": refusal}
    return render(request, "benchmarking/questionnaire/invitation.html", context, status=400 if form.errors else 200)


def _invitation_action(request, pk, action, done: str):
    interview = get_interview_for_user(request.user, pk)
    if not is_own_interview(request.user, interview):
        raise PermissionDenied(_("Only the interview's expert invites the cluster's manager."))
    invitation = live_invitation(interview)
    if invitation is None:
        messages.error(request, _("This interview has no invitation."))
        return redirect(_invitation_url(interview))
    try:
        action(invitation=invitation, user=request.user)
    except QuestionnaireError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(_invitation_url(interview))


@login_required
@require_POST
def interview_invitation_resend(request, pk):
    return _invitation_action(request, pk, invitation_resend, _("A new link was sent; the old one no longer works."))


@login_required
@require_POST
def interview_invitation_revoke(request, pk):
    return _invitation_action(request, pk, invitation_revoke, _("Invitation revoked: its link no longer works."))


# --- The link -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    """The link: its addressee accepts, logged in or with a new account; anyone else is refused."""
    invitation = invitation_for_token(token[:100])
    if invitation is not None and request.user.is_authenticated and invitation.manager_id == request.user.pk:
        return _own_invitation_again(request, invitation)
    refusal = invitation_link_refusal(invitation)
    if refusal:
        status = 404 if invitation is None else 410
        return _refused_page(request, refusal, status)
    if request.user.is_authenticated:
        refusal = invitation_addressee_refusal(invitation=invitation, user=request.user)
        if refusal:
            return _refused_page(request, refusal, 403, log_out_and_return=True)
    account_form = ManagerAccountForm(
        request.POST if request.method == "POST" and not request.user.is_authenticated else None,
        email=invitation.email,
    )
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                invitation_accept(invitation=invitation, user=request.user)
            elif account_form.is_valid():
                _create_account_and_log_in(request, invitation, account_form.cleaned_data)
            else:
                return _accept_page(request, invitation, account_form, status=400)
        except QuestionnaireError as error:
            return _refused_page(request, str(error), 409)
        messages.success(request, _("Welcome. Your answers are saved as proposals for the expert."))
        return redirect("benchmarking:questionnaire", pk=invitation.interview_id)
    return _accept_page(request, invitation, account_form)


def _own_invitation_again(request, invitation):
    """The manager who took up the invitation opens its link again: to the questionnaire, or,
    once the expert has withdrawn it, to their cluster."""
    if invitation.is_revoked:
        messages.info(
            request, _("The expert has withdrawn this questionnaire. Your cluster's labels and reports are here.")
        )
        return redirect("benchmarking:my_cluster")
    messages.info(request, _("You accepted this invitation already: here is your questionnaire."))
    return redirect("benchmarking:questionnaire", pk=invitation.interview_id)


def _create_account_and_log_in(request, invitation, data) -> None:
    user = manager_account_create(
        invitation=invitation, first_name=data["first_name"], last_name=data["last_name"], password=data["password1"]
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if user.username != invitation.email:
        messages.info(request, _("Your user name, to log in: %(username)s") % {"username": user.username})


def _refused_page(request, refusal: str, status: int, *, log_out_and_return: bool = False):
    context = {"refusal": refusal, "log_out_and_return": log_out_and_return}
    return render(request, "benchmarking/questionnaire/link_refused.html", context, status=status)


def _accept_page(request, invitation, account_form, status=200):
    context = {
        "invitation": invitation,
        "interview": invitation.interview,
        "account_form": account_form,
        "username": None if request.user.is_authenticated else username_for_email(invitation.email),
    }
    return render(request, "benchmarking/questionnaire/accept.html", context, status=status)


# --- The manager: the questionnaire ---------------------------------------------------------------


@login_required
@require_GET
def questionnaire(request, pk):
    invitation = get_invitation_for_manager(request.user, pk)
    sheet = proposal_sheet(invitation.interview)
    context = {
        "invitation": invitation,
        "interview": invitation.interview,
        "summary": interview_summary(sheet),
        "progress": sheet.progress,
        "editable": manager_may_edit(invitation),
    }
    return render(request, "benchmarking/questionnaire/overview.html", context)


def _render_manager_step(request, invitation, sheet, category, step, *, status=200, **extra):
    context = {
        "invitation": invitation,
        "interview": invitation.interview,
        "sheet": sheet,
        "category": category,
        "step": step,
        "progress": sheet.progress,
        "editable": manager_may_edit(invitation),
        "next_category": sheet.next_category(category),
        # The step page shared with the expert's (interviews/_step_page.html) links and keeps
        # its draft under the questionnaire's names.
        "step_url_name": "benchmarking:questionnaire_step",
        "summary_url_name": "benchmarking:questionnaire",
        "draft_key": "questionnaire",
        **extra,
    }
    return render(request, "benchmarking/questionnaire/step.html", context, status=status)


def _manager_step_url(invitation, code: str) -> str:
    return reverse("benchmarking:questionnaire_step", kwargs={"pk": invitation.interview_id, "code": code})


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_step(request, pk, code):
    invitation = get_invitation_for_manager(request.user, pk)
    sheet = proposal_sheet(invitation.interview)
    category = sheet.category(code)
    editable = manager_may_edit(invitation)
    if request.method == "GET":
        step = InterviewStepForm(sheet=sheet, category=category, read_only=not editable)
        step.show_version(invitation.version, sheet.answers)
        return _render_manager_step(request, invitation, sheet, category, step)
    if not editable:
        raise PermissionDenied(_("The questionnaire can no longer be changed."))
    return _save_manager_step(request, invitation, sheet, category)


def _save_manager_step(request, invitation, sheet, category):
    step = InterviewStepForm(request.POST, sheet=sheet, category=category)
    if step.expected_version is None:
        step.show_version(invitation.version, sheet.answers)
        failure = _("The page did not say which version it was editing; nothing was saved.")
        return _render_manager_step(request, invitation, sheet, category, step, status=400, failure=failure)
    step.validate()
    try:
        new_version = proposals_save_step(
            invitation=invitation, expected_version=step.expected_version, values=step.saveable_values(),
            user=request.user,
        )  # fmt: skip
    except StaleVersionError as exc:
        step.show_saved_answers()
        step.show_version(exc.current, sheet.answers)
        return _render_manager_step(request, invitation, sheet, category, step, status=409, conflict=exc)
    except NotEditableError as exc:
        raise PermissionDenied(str(exc)) from exc
    if step.problems:
        sheet = proposal_sheet(invitation.interview)
        step.show_version(new_version, sheet.answers)
        return _render_manager_step(request, invitation, sheet, category, step, partly_saved=True)
    messages.success(request, _("Saved %(code)s. %(title)s.") % {"code": category.code, "title": category.title})
    next_category = sheet.next_category(category)
    if "continue" in request.POST:
        if next_category:
            return redirect(_manager_step_url(invitation, next_category.code))
        return redirect("benchmarking:questionnaire", pk=invitation.interview_id)
    return redirect(_manager_step_url(invitation, category.code))


@login_required
@require_POST
def questionnaire_ready(request, pk):
    invitation = get_invitation_for_manager(request.user, pk)
    try:
        questionnaire_mark_ready(invitation=invitation, user=request.user)
    except QuestionnaireError as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("Thank you: the expert has been told that the questionnaire is ready."))
    return redirect("benchmarking:questionnaire", pk=pk)


# --- Printing: the blank questionnaire ------------------------------------------------------------


@login_required
@require_GET
def questionnaire_print(request, pk):
    interview = get_questionnaire_interview_for_user(request.user, pk)
    return render(request, "benchmarking/questionnaire/print.html", questionnaire_context(interview))


@login_required
@require_GET
def questionnaire_pdf_view(request, pk):
    interview = get_questionnaire_interview_for_user(request.user, pk)
    pdf = questionnaire_pdf(interview, get_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"ECEI-questionnaire-v{interview.catalogue.version}-{get_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
