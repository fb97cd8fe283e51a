"""The cluster's public label facts (its indexed columns) always agree with its labels.

After every path that creates or changes a label (award, renewal, suspension, reinstatement,
withdrawal, reopening, rejection, the import, seed_demo, the fixture) the columns equal what
the labels say, and the public status computed from them, in SQL and in Python, equals the
one computed from the labels themselves by the one rule (LabelQuerySet.valid_on), on today
and on the days when validity changes by date alone (expiry, a renewal starting).
"""

import datetime
import io

import pytest
import tablib
from django.core.management import call_command
from django.utils import timezone

from benchmarking.admin import LabelResource
from benchmarking.models import Interview, Label
from benchmarking.selectors.public_status import PublicStatus, label_public_status
from benchmarking.services.label_facts import (
    LabelFacts,
    current_label_periods,
    label_facts,
    label_facts_disagreements,
)
from benchmarking.services.labels import label_award, label_reinstate, label_suspend, label_withdraw
from benchmarking.services.review import interview_approve, interview_reject, interview_reopen
from clusters.models import Cluster
from directory.selectors import cluster_public_status, public_clusters
from tests.factories import ClusterFactory, InterviewFactory, answer_all, approve_and_award, board_approves

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ONE_DAY = datetime.timedelta(days=1)
ECCP = "https://clustercollaboration.eu/cluster-organisations/test"


def status_from_labels(cluster: Cluster, day: datetime.date) -> str | None:
    """The public status read from the labels themselves, in SQL: the rule the facts stand for
    (the highest level valid on the day, else the most recent label with its status)."""
    latest = cluster.labels.order_by("-valid_until", "-pk").first()
    if latest is None:
        return None
    if cluster.labels.valid_on(day).exists():
        return PublicStatus.VALID
    return label_public_status(latest, day)


def days_that_matter(cluster: Cluster) -> list[datetime.date]:
    """Today and each day on which a label of the cluster starts or ends (and the days around)."""
    days = {TODAY}
    for label in cluster.labels.all():
        days |= {label.valid_from, label.valid_from - ONE_DAY, label.valid_until, label.valid_until + ONE_DAY}
    return sorted(days)


def assert_facts_agree(*clusters: Cluster) -> None:
    assert label_facts_disagreements() == []
    for cluster in clusters:
        cluster.refresh_from_db()
        for day in days_that_matter(cluster):
            expected = status_from_labels(cluster, day)
            listed = public_clusters(day).filter(pk=cluster.pk).first()
            assert (listed.public_status if listed else None) == expected, (cluster, day)
            if expected is not None:
                assert cluster_public_status(cluster, day) == expected, (cluster, day)


def submitted(cluster=None) -> Interview:
    extra = {"cluster": cluster} if cluster else {"cluster__eligible": True}
    return answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, **extra))


def award(cluster, benchmarked_on, level=Label.Level.BRONZE) -> Label:
    return label_award(cluster=cluster, level=level, benchmarked_on=benchmarked_on, source=Label.Source.IMPORT)


def test_a_cluster_without_labels_is_not_listed(reference_data):
    cluster = ClusterFactory()
    assert (cluster.label_status, cluster.label_valid_until) == ("", None)
    assert_facts_agree(cluster)


def test_approval_and_reopening_and_approval_again(reference_data, staff_user):
    interview = submitted()
    approval = interview_approve(interview=interview, user=staff_user)
    interview.cluster.refresh_from_db()
    assert interview.cluster.label_status == ""  # a recommendation is no label: not listed yet
    assert_facts_agree(interview.cluster)
    label = board_approves(approval.recommendation)
    interview.cluster.refresh_from_db()
    assert_facts_agree(interview.cluster)
    assert interview.cluster.label_valid_until == label.valid_until

    interview_reopen(interview=interview, user=staff_user, reason="A figure was wrong.")
    assert_facts_agree(interview.cluster)
    assert interview.cluster.label_status == Label.Status.SUSPENDED

    interview_approve(interview=interview, user=staff_user)
    assert_facts_agree(interview.cluster)
    assert public_clusters().get(pk=interview.cluster.pk).public_status == PublicStatus.VALID


def test_rejecting_a_reopened_interview_withdraws(reference_data, staff_user):
    interview = submitted()
    approve_and_award(interview=interview, user=staff_user)
    interview_reopen(interview=interview, user=staff_user, reason="A figure was wrong.")
    interview_reject(interview=interview, user=staff_user, reason="Not a cluster management.")
    assert_facts_agree(interview.cluster)
    assert interview.cluster.label_status == Label.Status.WITHDRAWN


def test_suspend_reinstate_withdraw(reference_data, staff_user):
    cluster = ClusterFactory()
    label = award(cluster, TODAY - datetime.timedelta(days=30))
    for change in (label_suspend, label_reinstate, label_withdraw):
        change(label=label, reason="Secretariat decision.", user=staff_user)
        assert_facts_agree(cluster)


def test_a_renewal_ahead_keeps_the_cluster_valid_until_the_renewal_ends(reference_data):
    cluster = ClusterFactory()
    first = award(cluster, add_days(TODAY, -700))
    renewal = award(cluster, add_days(TODAY, -10))
    assert renewal.renews == first and renewal.valid_from > TODAY
    assert_facts_agree(cluster)
    cluster.refresh_from_db()
    assert (cluster.label_valid_from, cluster.label_valid_until) == (renewal.valid_from, renewal.valid_until)
    assert public_clusters().get(pk=cluster.pk).latest_valid_until == first.valid_until  # the label valid today
    assert public_clusters(renewal.valid_from).get(pk=cluster.pk).latest_valid_until == renewal.valid_until
    assert cluster_public_status(cluster, renewal.valid_from) == PublicStatus.VALID
    assert cluster_public_status(cluster, add_days(renewal.valid_until, 1)) == PublicStatus.EXPIRED


def test_a_suspended_first_label_leaves_the_renewal_upcoming(reference_data, staff_user):
    cluster = ClusterFactory()
    first = award(cluster, add_days(TODAY, -700))
    award(cluster, add_days(TODAY, -10))
    label_suspend(label=first, reason="Complaint.", user=staff_user)
    assert_facts_agree(cluster)
    assert public_clusters().get(pk=cluster.pk).public_status == PublicStatus.UPCOMING


def test_an_expired_label_and_a_fresh_start_after_the_grace_year(reference_data):
    cluster = ClusterFactory()
    award(cluster, add_days(TODAY, -365 * 5))
    assert_facts_agree(cluster)
    assert public_clusters().get(pk=cluster.pk).public_status == PublicStatus.EXPIRED
    award(cluster, add_days(TODAY, -20))
    assert_facts_agree(cluster)
    assert public_clusters().get(pk=cluster.pk).public_status == PublicStatus.VALID


def test_gold_on_top_of_bronze(reference_data):
    cluster = ClusterFactory()
    award(cluster, add_days(TODAY, -400))
    award(cluster, add_days(TODAY, -30), level=Label.Level.GOLD)
    assert_facts_agree(cluster)


def test_the_label_import_keeps_the_facts(reference_data):
    cluster = ClusterFactory()
    rows = tablib.Dataset(headers=LabelResource.Meta.fields)
    valid_from = add_days(TODAY, -100)
    rows.append(
        [
            "DEU900202401B",
            cluster.slug,
            "bronze",
            valid_from,
            valid_from,
            valid_from,
            add_days(TODAY, 600),
            "active",
            "import",
        ]
    )

    result = LabelResource().import_data(rows, dry_run=False, raise_errors=True)

    assert not result.has_errors()
    assert_facts_agree(cluster)
    cluster.refresh_from_db()
    assert cluster.label_valid_until == add_days(TODAY, 600)


def test_the_seed_fixture_carries_facts_that_agree(seed_clusters):
    assert Cluster.objects.filter(label_valid_until__isnull=False).count() == 35
    assert_facts_agree(*Cluster.objects.all())


@pytest.mark.slow
def test_seed_demo_keeps_the_facts(reference_data):
    call_command("seed_demo", clusters=40, stdout=io.StringIO(), stderr=io.StringIO())
    assert_facts_agree(*Cluster.objects.order_by("pk")[:40])


def test_the_facts_are_the_most_recent_label_and_the_timeline_of_current_labels():
    def label(pk, level, start, end, status="active"):
        return Label(pk=pk, level=level, valid_from=start, valid_until=end, status=status)

    day = datetime.date
    gold = label(2, "gold", day(2026, 1, 1), day(2028, 1, 1))
    bronze = label(3, "bronze", day(2025, 6, 1), day(2029, 1, 1), "suspended")

    assert label_facts([gold, bronze]) == LabelFacts("suspended", day(2025, 6, 1), day(2029, 1, 1))
    assert label_facts([]).valid_until is None
    assert [(p.starts_on, p.ends_on, p.label_id, p.status) for p in current_label_periods([gold, bronze])] == [
        (datetime.date.min, day(2025, 12, 31), 3, "suspended"),
        (day(2026, 1, 1), day(2028, 1, 1), 2, "valid"),
        (day(2028, 1, 2), datetime.date.max, 3, "suspended"),
    ]
    assert current_label_periods([]) == []


def add_days(day: datetime.date, n: int) -> datetime.date:
    return day + datetime.timedelta(days=n)
