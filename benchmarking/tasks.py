"""The benchmarking's background work (issue 26): what follows an approval, off the request.

Approving an interview (services.review.interview_approve) decides, refreshes the peers and
recommends the label in its transaction, and asks in that same transaction for
`approved_report_issue`: the worker issues the report from the statistics as they then stand,
mails the expert and the managers, and asks for `report_pdf_render` in each language its
readers use, so that the PDF is in the storage before anyone asks (the PDF view still renders a
missing one on demand). With the immediate backend (the tests) the report is issued at once, in
the approval's transaction, and the PDFs are left to their first request.

Both are idempotent: a retry, or a second worker, finds the work done and does nothing.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from accounts.language import preferred_language
from benchmarking.documents.report_pdf import report_pdf_stored
from benchmarking.models import Interview, Report
from benchmarking.services.notifications import notify_report_issued
from benchmarking.services.reports import report_issue
from ecei_site.tasks import deferrable, enqueue_with_transaction, retried


def report_languages(interview: Interview) -> list[str]:
    """The languages the report's readers use (the expert, the cluster's managers), the site's first."""
    readers = [interview.expert.user, *interview.cluster.managers.filter(is_active=True).select_related("profile")]
    languages = [settings.LANGUAGE_CODE, *(preferred_language(user) for user in readers)]
    return list(dict.fromkeys(translation.get_supported_language_variant(code) for code in languages))


@task()
@retried
def approved_report_issue(interview_id: int, version: int, user_id: int | None = None) -> str:
    """Issue the report of the approval that left the interview at `version`, once."""
    with transaction.atomic():
        interview = (
            Interview.objects.select_for_update()
            .select_related("cluster", "expert__user", "catalogue")
            .filter(pk=interview_id)
            .first()
        )
        if interview is None or interview.status != Interview.Status.APPROVED or interview.version != version:
            return "superseded"  # reopened (or decided again) meanwhile: that decision has its own task
        if Report.objects.filter(interview=interview, issued_at__gte=interview.decided_at).exists():
            return "issued before"
        user = interview.decided_by if interview.decided_by_id == user_id else None
        report = report_issue(interview=interview, user=user)
        notify_report_issued(interview, report)
        if deferrable():  # with a worker, the PDFs follow; without one, their first request renders them
            for language in report_languages(interview):
                enqueue_with_transaction(report_pdf_render, report.pk, language)
        return report.code


@task()
@retried
def report_pdf_render(report_id: int, language: str) -> str:
    """Render and store the report's PDF in `language` unless it is stored already."""
    report = Report.objects.filter(pk=report_id).select_related("interview").first()
    if report is None:
        return "no such report"
    report_pdf_stored(report, language).close()
    return report.code
