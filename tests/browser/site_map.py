"""The site map of the browser walks: every kind of page, as each role sees it (issue 27).

`build_site()` makes the data (a draft, a submitted and an approved interview, a report, a label,
a recommendation waiting for the board, a questionnaire invitation taken up by a manager) and
returns {role name: (user or None, [path, ...])}. The phone walk (no sideways scroll in en/es/de),
the axe-core walk and the Content-Security-Policy walk read the same map; a new page belongs here.
"""

from django.urls import reverse
from django.utils import timezone

from benchmarking.forms.interviews import InterviewStepForm
from benchmarking.models import Answer, Interview
from benchmarking.selectors.interviews import interview_sheet
from benchmarking.services.questionnaire import invitation_accept, invitation_send, proposals_save_step
from benchmarking.services.reports import report_issue
from benchmarking.services.review import interview_approve
from benchmarking.tests.interview_helpers import valid_step_data
from clusters.models import ComparativePortfolio
from tests import factories


def _propose(invitation, user, code: str) -> None:
    """The invited manager proposes the answers of step `code` (the expert's step shows them)."""
    interview = invitation.interview
    Answer.objects.filter(interview=interview, indicator__category__code=code).delete()
    sheet = interview_sheet(interview)
    step = InterviewStepForm(valid_step_data(interview, code) | {"version": 1}, sheet=sheet,
                             category=sheet.category(code))
    step.validate()
    proposals_save_step(invitation=invitation, expected_version=invitation.version,
                        values=step.saveable_values(), user=user)


def build_site() -> dict[str, tuple[object, list[str]]]:
    staff = factories.UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    expert = factories.ExpertFactory(user__username="expert")
    draft = factories.InterviewFactory(
        expert=expert, date=timezone.localdate(),
        cluster__name="Asociación de la Industria Automotriz y de Autopartes del Estado de Querétaro",
    )  # fmt: skip
    factories.answer_all(draft)
    submitted = factories.answer_all(factories.InterviewFactory(status=Interview.Status.SUBMITTED))
    waiting = factories.InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True)
    factories.answer_all(waiting)
    recommendation = interview_approve(interview=waiting, user=staff).recommendation
    ict = ComparativePortfolio.objects.get(slug="ict")
    for n in range(6):  # peers: the report's charts and per-category table have groups to compare
        factories.approved_interview(cluster=factories.ClusterFactory(portfolio=ict), seed=n, maturity=0.2 + n / 8)
    approved = factories.approved_interview(
        expert=expert, seed=42, cluster__name="Bavarian Software Cluster", cluster__portfolio=ict
    )
    report = report_issue(interview=approved, user=staff)
    label = factories.LabelFactory(cluster=approved.cluster)
    cluster = approved.cluster
    manager = factories.UserFactory(username="manager", email="manager@example.org")
    cluster.managers.add(manager)
    invited = factories.UserFactory(username="invited", email="ana.ruiz@example.org")
    invitation = invitation_send(interview=draft, email=invited.email, language="en-gb", user=expert.user)
    invitation_accept(invitation=invitation, user=invited)
    _propose(invitation, invited, "E")
    board = factories.board_member(username="board")
    steps = [
        reverse("benchmarking:interview_step", kwargs={"pk": draft.pk, "code": category.code})
        for category in draft.catalogue.categories.order_by("order")
    ]
    return {
        "public": (None, [
            reverse("home"),
            reverse("clusters:list"),
            reverse("clusters:detail", args=[cluster.slug]),
            reverse("benchmarking:label_verify"),
            reverse("benchmarking:label_public", args=[label.code]),
            reverse("benchmarking:label_certificate", args=[label.code]),
            reverse("login"),
            reverse("password_reset"),
            "/no/such/page/",  # the 404 page
            reverse("api:docs"),
            reverse("opendata:statistics"),
            reverse("opendata:dataset"),
            reverse("opendata:credential_verify"),
        ]),
        "expert": (expert.user, [
            reverse("benchmarking:interview_list"),
            reverse("benchmarking:interview_new"),
            reverse("benchmarking:interview_detail", args=[draft.pk]),
            *steps,
            reverse("benchmarking:interview_history", args=[draft.pk]),
            reverse("benchmarking:interview_recommendations", args=[draft.pk]),
            reverse("benchmarking:interview_invitation", args=[draft.pk]),
            reverse("benchmarking:review_queue"),  # the 403 page
        ]),
        "secretariat": (staff, [
            reverse("benchmarking:review_queue"),
            reverse("benchmarking:review_interview", args=[submitted.pk]),
            reverse("benchmarking:review_approve", args=[submitted.pk]),
            reverse("benchmarking:label_list"),
            reverse("benchmarking:label_staff", args=[label.code]),
            reverse("benchmarking:cluster_labels", args=[cluster.pk]),
            reverse("benchmarking:silver_audit_new", args=[cluster.pk]),
            reverse("benchmarking:gold_assessment_new", args=[cluster.pk]),
            reverse("benchmarking:report", args=[report.code]),
            reverse("benchmarking:board_decided"),
            reverse("exchange:exports"),
            reverse("exchange:legacy_import"),
        ]),
        "board": (board, [
            reverse("benchmarking:board_pending"),
            reverse("benchmarking:board_recommendation", args=[recommendation.pk]),
            reverse("benchmarking:board_decided"),
        ]),
        "manager": (manager, [
            reverse("benchmarking:my_cluster"),
            reverse("benchmarking:report", args=[report.code]),
            reverse("comparisons:compare", args=[cluster.slug]),
            reverse("comparisons:compare", args=[cluster.slug]) + f"?portfolios={ict.pk}&compare=1",
        ]),
        "invited manager": (invited, [
            reverse("benchmarking:my_cluster"),
            reverse("benchmarking:questionnaire", args=[draft.pk]),
            reverse("benchmarking:questionnaire_step", args=[draft.pk, "A"]),
            reverse("benchmarking:questionnaire_print", args=[draft.pk]),
        ]),
    }
