"""services/bulk.history_record: a past history written in bulk under the one-at-a-time rules,
its derived data refreshed at the end; a broken rule refuses the batch and writes nothing of it."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarking.demo.calendar import noon
from benchmarking.demo.values import MISSING_REASONS, plausible_values
from benchmarking.models import GoldAssessment, Interview, Label, LabelRecommendation, PeerValue
from benchmarking.rules.gold import active_gold_indicators, gold_result
from benchmarking.rules.label_periods import bronze_terms
from benchmarking.services.bulk import history_record
from benchmarking.services.bulk_records import (
    BoardMeeting,
    HistoryBatch,
    HistoryError,
    PastBenchmarking,
    PastGoldAssessment,
)
from benchmarking.services.label_facts import label_facts
from clusters.models import Cluster, ComparativePortfolio
from tests.factories import ClusterFactory, ExpertFactory, LabelFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def new_cluster(slug="bulk-cluster") -> Cluster:
    return ClusterFactory.build(slug=slug, name=slug.title(), portfolio=ComparativePortfolio.objects.first())


def benchmarking(cluster, expert, day, **overrides) -> PastBenchmarking:
    approved = noon(day + datetime.timedelta(days=20))
    fields = {
        "mode": Interview.Mode.VIDEO,
        "interviewee_name": "Chris Cluster",
        "interviewee_role": "Cluster manager",
        "submitted_at": approved - datetime.timedelta(days=5),
        "approved_at": approved,
        "values": plausible_values(random.Random(1), interview_date=day, maturity=0.6),
        "missing_reasons": MISSING_REASONS,
    }
    return PastBenchmarking(cluster=cluster, expert=expert, date=day, **{**fields, **overrides})


def record(*batches, reviewer, board):
    return history_record(batches=list(batches), reviewer=reviewer, board=board)


def nothing_written():
    return not (Interview.objects.exists() or Label.objects.exists() or GoldAssessment.objects.exists())


def test_it_writes_benchmarkings_with_their_labels_by_the_rules(reference_data, expert, staff_user, board_user):
    LabelFactory(code="DEU041201401B", cluster=ClusterFactory(slug="elsewhere"))
    cluster = new_cluster()
    first, second = D(2015, 3, 10), D(2017, 1, 10)  # the second renews the first, still valid
    meeting = BoardMeeting(D(2021, 3, 20), "EUCLES board meeting March 2021")
    third = D(2021, 2, 1)
    batch = HistoryBatch(
        clusters=[cluster],
        benchmarkings=[benchmarking(cluster, expert, d) for d in (first, second)]
        + [benchmarking(cluster, expert, third, meeting=meeting)],
    )
    assert record(batch, reviewer=staff_user, board=board_user) == [cluster.pk]

    cluster = Cluster.objects.get(slug="bulk-cluster")
    assert cluster.name_folded and cluster.country_name == "Germany"  # what save() keeps
    interviews = cluster.interviews.order_by("date")
    assert [i.answers.count() for i in interviews] == [36, 36, 36]
    assert {i.status for i in interviews} == {Interview.Status.APPROVED}
    assert {i.decided_by for i in interviews} == {staff_user}
    labels = list(cluster.labels.order_by("benchmarked_on"))
    assert [label.code for label in labels] == ["DEU042201503B", "DEU043201701B", "DEU044202102B"]
    terms = bronze_terms(benchmarked_on=first, previous=None)
    assert (labels[0].valid_from, labels[0].valid_until, labels[0].renews) == (
        terms.valid_from,
        terms.valid_until,
        None,
    )
    terms = bronze_terms(benchmarked_on=second, previous=labels[0])
    assert (labels[1].valid_from, labels[1].valid_until, labels[1].renews) == (*terms_dates(terms), labels[0])
    # Before the board, the approval awarded the label; since, the board's meeting.
    assert labels[0].awarded_on == D(2015, 3, 30) and labels[2].awarded_on == meeting.decided_on
    approval = LabelRecommendation.objects.get(label=labels[2])
    assert (approval.status, approval.decided_by, approval.meeting) == ("approved", board_user, meeting.name)
    assert not LabelRecommendation.objects.filter(label__in=labels[:2]).exists()
    # The derived data, refreshed once at the end by the service.
    facts = label_facts(list(cluster.labels.order_by("-valid_until", "-pk")))
    assert (cluster.label_status, cluster.label_valid_from, cluster.label_valid_until) == (
        facts.status,
        facts.valid_from,
        facts.valid_until,
    )
    assert PeerValue.objects.filter(cluster=cluster, interview=interviews.last()).exists()


def terms_dates(terms):
    return terms.valid_from, terms.valid_until


def test_an_expert_not_accredited_on_the_day_is_refused_and_nothing_is_written(reference_data, staff_user, board_user):
    expert = ExpertFactory(accredited_from=D(2015, 1, 1))
    cluster = new_cluster()
    batch = HistoryBatch(clusters=[cluster], benchmarkings=[benchmarking(cluster, expert, D(2014, 6, 1))])
    with pytest.raises(HistoryError, match="does not cover"):
        record(batch, reviewer=staff_user, board=board_user)
    assert nothing_written()
    assert not Cluster.objects.filter(slug="bulk-cluster").exists()


def test_a_refused_batch_leaves_the_batches_before_it_written_and_refreshed(
    reference_data, expert, staff_user, board_user
):
    good, bad = new_cluster("good"), new_cluster("bad")
    batches = [
        HistoryBatch(clusters=[good], benchmarkings=[benchmarking(good, expert, D(2016, 5, 1))]),
        HistoryBatch(clusters=[bad], benchmarkings=[benchmarking(bad, expert, D(2009, 5, 1))]),
    ]
    with pytest.raises(HistoryError):
        record(*batches, reviewer=staff_user, board=board_user)
    assert list(Cluster.objects.filter(slug__in=["good", "bad"]).values_list("slug", flat=True)) == ["good"]
    assert Cluster.objects.get(slug="good").label_status == Label.Status.ACTIVE
    assert PeerValue.objects.filter(cluster=good).exists()


@pytest.mark.parametrize(
    "broken, reason",
    [
        ({"values": {"A1": 2001}}, "neither a value nor a reason"),
        ({"approved_at": noon(D(2016, 4, 20))}, "approved after it took place"),
        ({"meeting": BoardMeeting(D(2016, 5, 2), "Too early")}, "cannot decide before the recommendation"),
    ],
)
def test_a_benchmarking_against_the_rules_is_refused(reference_data, expert, staff_user, board_user, broken, reason):
    cluster = new_cluster()
    batch = HistoryBatch(clusters=[cluster], benchmarkings=[benchmarking(cluster, expert, D(2016, 5, 1), **broken)])
    with pytest.raises(HistoryError, match=reason):
        record(batch, reviewer=staff_user, board=board_user)
    assert nothing_written()


def test_nobody_approves_their_own_interview(reference_data, expert, board_user):
    cluster = new_cluster()
    batch = HistoryBatch(clusters=[cluster], benchmarkings=[benchmarking(cluster, expert, D(2016, 5, 1))])
    with pytest.raises(HistoryError, match="four eyes"):
        record(batch, reviewer=expert.user, board=board_user)
    assert nothing_written()


def test_a_history_is_written_oldest_first(reference_data, expert, staff_user, board_user):
    # The bulk write does not re-base later labels on an earlier benchmarking, as the board does.
    cluster = new_cluster()
    later, earlier = benchmarking(cluster, expert, D(2017, 1, 10)), benchmarking(cluster, expert, D(2015, 3, 10))
    batch = HistoryBatch(clusters=[cluster], benchmarkings=[later, earlier])
    with pytest.raises(HistoryError, match="written oldest first"):
        record(batch, reviewer=staff_user, board=board_user)
    assert nothing_written()


def gold(cluster, first, second, *, below=False, meeting=True) -> PastGoldAssessment:
    indicators = active_gold_indicators()
    scores = {i: Decimal(100) for i in indicators}
    if below:
        scores[indicators[0]] = indicators[0].threshold - 1
    assessed_on = timezone.localdate() - datetime.timedelta(days=30)
    decided_on = timezone.localdate() - datetime.timedelta(days=10)
    return PastGoldAssessment(
        cluster=cluster,
        first_assessor=first,
        second_assessor=second,
        assessed_on=assessed_on,
        scores=scores,
        recorded_at=noon(assessed_on),
        meeting=BoardMeeting(decided_on, "EUCLES board meeting") if meeting else None,
    )


def test_a_passed_gold_assessment_earns_its_label_at_the_meeting(
    reference_data, expert, other_expert, staff_user, board_user
):
    assessment = gold(ClusterFactory(), expert, other_expert)
    record(HistoryBatch(gold_assessments=[assessment]), reviewer=staff_user, board=board_user)
    stored = GoldAssessment.objects.get()
    assert (stored.passed, stored.overall_score) == (True, gold_result(assessment.scores).overall_score)
    assert stored.scores.count() == len(assessment.scores)
    label = Label.objects.get(gold_assessment=stored)
    assert (label.level, label.awarded_on) == (Label.Level.GOLD, assessment.meeting.decided_on)
    assert LabelRecommendation.objects.get(label=label).decided_by == board_user


def test_a_gold_assessment_below_a_threshold_is_not_awarded_and_nothing_is_written(
    reference_data, expert, other_expert, staff_user, board_user
):
    assessment = gold(ClusterFactory(), expert, other_expert, below=True)
    with pytest.raises(HistoryError, match="Below their threshold"):
        record(HistoryBatch(gold_assessments=[assessment]), reviewer=staff_user, board=board_user)
    assert nothing_written()


def test_a_gold_assessment_below_a_threshold_is_recorded_without_a_label(
    reference_data, expert, other_expert, staff_user, board_user
):
    assessment = gold(ClusterFactory(), expert, other_expert, below=True, meeting=False)
    record(HistoryBatch(gold_assessments=[assessment]), reviewer=staff_user, board=board_user)
    assert GoldAssessment.objects.get().passed is False
    assert not Label.objects.exists()


def test_a_gold_assessment_needs_two_different_assessors(reference_data, expert, staff_user, board_user):
    with pytest.raises(HistoryError, match="two different assessors"):
        record(
            HistoryBatch(gold_assessments=[gold(ClusterFactory(), expert, expert)]),
            reviewer=staff_user,
            board=board_user,
        )
    assert nothing_written()


# --- The board's rules, asked once per batch (issue 30) -----------------------------------------


def decided_batch(clusters, expert, meeting) -> HistoryBatch:
    return HistoryBatch(
        clusters=clusters,
        benchmarkings=[benchmarking(cluster, expert, D(2021, 2, 1), meeting=meeting) for cluster in clusters],
    )


def test_a_board_member_who_conducted_one_benchmarking_of_the_batch_is_refused(
    reference_data, expert, staff_user, board_user
):
    own = ExpertFactory(user=board_user)
    meeting = BoardMeeting(D(2021, 3, 20), "EUCLES board meeting March 2021")
    clusters = [new_cluster(f"cluster-{n}") for n in range(3)]
    batch = HistoryBatch(
        clusters=clusters,
        benchmarkings=[
            benchmarking(clusters[0], expert, D(2021, 2, 1), meeting=meeting),
            benchmarking(clusters[1], own, D(2021, 2, 1), meeting=meeting),  # the board member's own work
            benchmarking(clusters[2], expert, D(2021, 2, 1), meeting=meeting),
        ],
    )
    with pytest.raises(HistoryError, match="You conducted this benchmarking"):
        record(batch, reviewer=staff_user, board=board_user)
    assert nothing_written()


@pytest.mark.parametrize("decisions", [1, 4])
def test_the_board_rules_cost_the_same_queries_for_any_number_of_decisions(
    reference_data, expert, staff_user, board_user, decisions
):
    """One at a time they were three queries a label (PostgreSQL: 20 of the 50 s of seed_demo's
    history at 1,000 clusters): who commented on each interview is now read once per batch."""
    meeting = BoardMeeting(D(2021, 3, 20), "EUCLES board meeting March 2021")
    clusters = [new_cluster(f"cluster-{n}") for n in range(decisions)]
    with CaptureQueriesContext(connection) as queries:
        record(decided_batch(clusters, expert, meeting), reviewer=staff_user, board=board_user)

    assert LabelRecommendation.objects.filter(decided_by=board_user).count() == decisions
    assert sum('"benchmarking_reviewcomment"' in q["sql"] for q in queries.captured_queries) == 1
