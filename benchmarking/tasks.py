"""The benchmarking's background work (issue 26): what follows an approval, off the request.

Approving an interview (services.review.interview_approve) decides and recommends the label in
its transaction, and asks in that same transaction for `approved_report_issue`: the worker
brings the cluster's peer values up to date (the refresh that was most of the approval's time
at 10,000 clusters), issues the report from the statistics as they then stand, mails the expert
and the managers, and asks for `report_pdf_render` in each language its readers use, so that the
PDF is in the storage before anyone asks (the PDF view still renders a missing one on demand).
With the immediate backend (the tests) all of it runs at once, in the approval's transaction, and
the PDFs are left to their first request.

The other refreshes of derived data that need not hold up a request: `peer_values_update`
(a reopening, a cluster's move to another portfolio or country) and `label_facts_update` (the
label facts of many clusters, a batch a task). The daily reminders (`label_reminders_send`,
`questionnaire_reminders_send`) can be asked for by their commands (`--enqueue`) and send each
mail as a task of its own (ecei_site.mail.mail_send).

All are idempotent: a retry, or a second worker, finds the work done and does nothing.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from accounts.language import preferred_language
from benchmarking.documents.report_pdf import report_pdf_stored
from benchmarking.models import Interview, Report
from benchmarking.services.label_facts import BATCH as LABEL_BATCH
from benchmarking.services.label_facts import label_facts_catch_up
from benchmarking.services.notifications import notify_report_issued
from benchmarking.services.peer_values import BATCH as PEER_BATCH
from benchmarking.services.peer_values import peer_values_refresh_stale
from benchmarking.services.reminders import send_label_reminders, send_questionnaire_reminders
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
        # The peers as they stand after the approval, which left the refresh to this task: a
        # retry, or a report issued before, finds them current (2 queries, nothing written).
        peer_values_refresh_stale([interview.cluster_id])
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


# --- Derived data, off the request ----------------------------------------------------------


@task()
@retried
def peer_values_update(cluster_ids: list[int]) -> str:
    """Refresh the peer values of those of these clusters found stale, a batch (PEER_BATCH) in
    this task's transaction; the rest is asked for in it, as the next task."""
    ids = sorted(set(cluster_ids))
    batch, rest = ids[:PEER_BATCH], ids[PEER_BATCH:]
    with transaction.atomic():
        refreshed = peer_values_refresh_stale(batch)
        if rest:
            enqueue_with_transaction(peer_values_update, rest)
    return f"{len(refreshed)} of {len(batch)} refreshed" + (f"; {len(rest)} follow" if rest else "")


@task()
@retried
def label_facts_update(cluster_ids: list[int] | None = None, after: int = 0) -> str:
    """Refresh the label facts of those of these clusters (every cluster when None) found stale,
    a batch (LABEL_BATCH clusters, ids above `after`) in this task's short transaction; the next
    batch is asked for in it, as the next task, so that no transaction holds the write lock long."""
    with transaction.atomic():
        batch, refreshed, more = label_facts_catch_up(cluster_ids, after=after, limit=LABEL_BATCH)
        if more:
            enqueue_with_transaction(label_facts_update, cluster_ids, batch[-1])
    return f"{len(refreshed)} of {len(batch)} refreshed" + ("; the next batch follows" if more else "")


# --- The daily reminders (their commands run them, or ask for them with --enqueue) ------------


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@task()
@retried
def label_reminders_send(today: str | None = None) -> str:
    """The renewal reminders due on `today` (YYYY-MM-DD; the worker's day when None), each once."""
    day = _day(today)
    return f"{len(send_label_reminders(today=day))} reminder(s) for {day:%Y-%m-%d}"


@task()
@retried
def questionnaire_reminders_send(today: str | None = None) -> str:
    """The questionnaire reminders due on `today` (YYYY-MM-DD; the worker's day when None), each once."""
    day = _day(today)
    return f"{len(send_questionnaire_reminders(today=day))} questionnaire reminder(s) for {day:%Y-%m-%d}"
