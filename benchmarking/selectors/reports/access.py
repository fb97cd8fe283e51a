"""Who may read an individual report, and the reports of a manager's clusters."""

from django.db.models import Prefetch
from django.http import Http404

from benchmarking.models import (
    Interview,
    Report,
)
from benchmarking.permissions import is_secretariat
from clusters.models import Cluster


def may_read_report(user, report: Report) -> bool:
    """The secretariat, the interviewing expert and the cluster's managers read a report."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_secretariat(user):
        return True
    interview = report.interview
    if interview.expert.user_id == user.pk:
        return True
    return interview.cluster.managers.filter(pk=user.pk).exists()


def get_report_for_user(user, code: str, *, document: bool = True) -> Report:
    """The report `code` if `user` may read it, else 404: whether it exists is not theirs to know.
    Without its document (snapshot and translations) when the caller does not read it."""
    reports = Report.objects.select_related("interview__expert", "interview__cluster")
    if not document:
        reports = reports.defer(*Report.DOCUMENT_FIELDS)
    report = reports.filter(code=code).first()
    if report is None or not may_read_report(user, report):
        raise Http404("No such report.")
    return report


def managed_clusters(user) -> list[Cluster]:
    """The user's clusters with their labels and their interviews' issued reports (4 queries)."""
    reports = Prefetch("reports", queryset=Report.objects.defer(*Report.DOCUMENT_FIELDS).order_by("-version"))
    approved = Prefetch(
        "interviews",
        queryset=Interview.objects.filter(status=Interview.Status.APPROVED).prefetch_related(reports),
        to_attr="approved_interviews",
    )
    return list(Cluster.objects.filter(managers=user).select_related("portfolio").prefetch_related("labels", approved))
