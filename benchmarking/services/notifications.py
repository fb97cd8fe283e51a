"""E-mails telling people that something happened to an interview, each with a link to the page.

Each goes to its recipients in their own language once the transaction that made the change
has committed (ecei_site.mail: nothing is announced that was rolled back, one message per
recipient, a mail server that is down is logged, never raised: the expert's submission and
the secretariat's approval stand whatever the mail server does).
"""

from benchmarking.models import Interview, LabelRecommendation, Report
from benchmarking.permissions import board_members, secretariat_members
from benchmarking.rules.people import experts_behind
from ecei_site.mail import send_mail_after_commit, site_url


def notify_decision(interview: Interview, *, template: str) -> None:
    """Tell the expert that the secretariat returned or rejected the interview."""
    send_mail_after_commit(
        interview.expert.user,
        template=template,
        context={"interview": interview, "url": site_url("benchmarking:interview_detail", pk=interview.pk)},
    )


def notify_submitted(interview: Interview) -> None:
    """Tell the secretariat that an interview awaits review."""
    send_mail_after_commit(
        secretariat_members().select_related("profile"),
        template="emails/interview_submitted.txt",
        context={"interview": interview, "url": site_url("benchmarking:review_interview", pk=interview.pk)},
    )


def notify_report_issued(interview: Interview, report: Report) -> None:
    """Tell the expert and the cluster's managers that the interview is approved and its report issued."""
    managers = interview.cluster.managers.filter(is_active=True).select_related("profile")
    send_mail_after_commit(
        [interview.expert.user, *managers],
        template="emails/report_issued.txt",
        context={"interview": interview, "report": report, "url": site_url("benchmarking:report", code=report.code)},
    )


# --- The questionnaire in advance (issue 16) ---------------------------------------------------


def invitation_link(token: str) -> str:
    return site_url("benchmarking:invitation_accept", token=token)


def notify_invitation(invitation, token: str) -> None:
    """Send the manager the invitation's link (the only place the token ever appears), in
    their language if the address is known, else in the one the expert chose."""
    send_mail_after_commit(
        invitation.email,
        template="emails/questionnaire_invitation.txt",
        context={"interview": invitation.interview, "invitation": invitation, "url": invitation_link(token)},
        default_language=invitation.language,
    )


def notify_ready(invitation) -> None:
    """Tell the expert that the manager has marked the questionnaire ready for the interview."""
    interview = invitation.interview
    send_mail_after_commit(
        interview.expert.user,
        template="emails/questionnaire_ready.txt",
        context={"interview": interview, "url": site_url("benchmarking:interview_detail", pk=interview.pk)},
    )


def notify_board(recommendation: LabelRecommendation) -> None:
    """Tell the EUCLES board, each member in their language, that a label recommendation waits."""
    send_mail_after_commit(
        list(board_members().select_related("profile")),
        template="emails/board_recommendation.txt",
        context={"recommendation": recommendation, "url": site_url("benchmarking:board_pending")},
    )


def _decision_staff_url(recommendation: LabelRecommendation) -> str:
    """Where the secretariat sees the outcome (the board's own pages are the board's alone)."""
    if recommendation.label is not None:
        return site_url("benchmarking:label_staff", code=recommendation.label.code)
    if recommendation.interview_id:
        return site_url("benchmarking:review_interview", pk=recommendation.interview_id)
    return site_url("benchmarking:cluster_labels", pk=recommendation.cluster_id)


def notify_board_decided(recommendation: LabelRecommendation) -> None:
    """Tell everyone the board's decision concerns, each in their language: the secretariat member
    who recommended the label (an approval, or a decline with its reason), the cluster's contact and
    active managers (the label, its code and validity; or that none is awarded), and the experts
    whose work it rests on (the interview's expert, the Silver auditor, the Gold assessors)."""
    context = {
        "recommendation": recommendation,
        "label": recommendation.label,
        "cluster": recommendation.cluster,
        "staff_url": _decision_staff_url(recommendation),
    }
    if recommendation.label is not None:
        context["url"] = site_url("benchmarking:label_public", code=recommendation.label.code)
    send_mail_after_commit(
        recommendation.recommended_by,
        template="emails/board_decided_secretariat.txt",
        context=context,
    )
    cluster = recommendation.cluster
    managers = cluster.managers.filter(is_active=True).select_related("profile")
    approved = recommendation.status == LabelRecommendation.Status.APPROVED
    send_mail_after_commit(
        [*managers, cluster.contact_email],
        template="emails/label_awarded.txt" if approved else "emails/label_declined.txt",
        context=context,
    )
    experts = [expert.user for expert, _day in experts_behind(recommendation) if expert.user.is_active]
    if recommendation.interview_id:  # the expert's own page of the interview
        context["interview_url"] = site_url("benchmarking:interview_detail", pk=recommendation.interview_id)
    send_mail_after_commit(experts, template="emails/board_decided_expert.txt", context=context)


def notify_award_undone(recommendation: LabelRecommendation) -> None:
    """Tell the cluster's contact and active managers, who were told of the award, that it was
    undone and its label withdrawn (`recommendation` as decided, before the undo). The
    secretariat's reason stays with the recommendation: it may name people."""
    cluster = recommendation.cluster
    managers = cluster.managers.filter(is_active=True).select_related("profile")
    send_mail_after_commit(
        [*managers, cluster.contact_email],
        template="emails/label_award_undone.txt",
        context={"recommendation": recommendation, "label": recommendation.label, "cluster": cluster},
    )
